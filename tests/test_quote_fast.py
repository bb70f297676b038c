"""check_quote's fast path (one find on the text normalised once per document) gives the full check's verdict."""

from __future__ import annotations

from types import SimpleNamespace

from hypothesis import given, settings
from hypothesis import strategies as st

from usua.models import Evidence
from usua.models.document import Segment
from usua.text import _FOLD, line_starts, normalise
from usua.validation.evidence import LoadedText, check_quote, check_quote_fully

# few letters, so that quotes occur in the text zero, one or many times; folded variants and line breaks
ALPHABET = "ab \n'\"-" + "".join(chr(k) for k in _FOLD)
texts = st.text(alphabet=ALPHABET, min_size=1, max_size=80)
quotes = st.text(alphabet=ALPHABET, min_size=1, max_size=6).filter(lambda q: q.strip())
segments = st.lists(
    st.tuples(st.sampled_from(["title", "caption", "wrapper"]), st.integers(1, 6), st.integers(0, 3)), max_size=3
)


@settings(max_examples=400, deadline=None)
@given(
    text=texts,
    quote=st.one_of(quotes, texts.flatmap(lambda t: st.just(t[len(t) // 3 : len(t) // 3 + 5] or t))),
    occurrence=st.none() | st.integers(1, 3),
    given_offsets=st.none() | st.tuples(st.integers(0, 80), st.integers(1, 10)).map(lambda p: (p[0], p[0] + p[1])),
    given_segment=st.none() | st.sampled_from(["body", "title"]),
    runs=segments,
)
def test_fast_verdict_equals_full_verdict(text, quote, occurrence, given_offsets, given_segment, runs):
    raw = {"document": "doc:sample", "quote": quote}
    if occurrence is not None:
        raw["occurrence"] = occurrence
    if given_offsets is not None:
        raw["start"], raw["end"] = given_offsets
    if given_segment is not None:
        raw["segment"] = given_segment
    ev = Evidence.model_validate(raw)
    document = SimpleNamespace(
        segments=[Segment(kind=kind, first_line=first, last_line=first + n) for kind, first, n in runs]
    )
    loaded = LoadedText(text, normalise(text), line_starts(text), document)
    fast, full = check_quote(ev, loaded), check_quote_fully(ev, loaded)
    assert fast == full
    if fast.evidence is not None:
        assert fast.evidence.model_fields_set == full.evidence.model_fields_set
        assert fast.evidence.model_dump_json() == full.evidence.model_dump_json()
        # what pydantic's own copy would give, its set of given fields the shared one
        expected = ev.model_copy(
            update={"start": fast.evidence.start, "end": fast.evidence.end, "segment": fast.evidence.segment}
        )
        shared: dict = {}
        kept = check_quote(ev, loaded, shared).evidence
        assert kept == expected and kept.model_dump_json() == expected.model_dump_json()
        assert kept.model_fields_set is shared[frozenset(expected.model_fields_set)]
