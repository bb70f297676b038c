"""The coverage scan reads runs of scanned lines at once: the same candidate names as line by line."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from builders.coverage import SCANNED_SEGMENTS, _scanned_blocks, candidate_names
from builders.segments import Span, segment_at
from usua.text import line_starts, normalise

words = st.sampled_from(["Kyiv", "The", "of", "the", "U.S.", "Austin's", "x-Ray", "A-B", "said", "May", "I", "\u2019s"])
gaps = st.sampled_from([" ", "  ", "\t", "\n", "\n\n", ". ", ", ", ' "', "(", "-", ":"])
texts = st.lists(st.tuples(words, gaps), max_size=40).map(lambda parts: "".join(w + g for w, g in parts))


def by_line(text: str, norm: str, starts: list[int], spans: list[Span]) -> list[tuple[int, int]]:
    out = []
    for ln, ls in enumerate(starts):
        le = starts[ln + 1] - 1 if ln + 1 < len(starts) else len(text)
        if segment_at(spans, ls) in SCANNED_SEGMENTS and le > ls:
            out += candidate_names(text, ls, le, norm)
    return out


@given(texts, st.lists(st.tuples(st.integers(1, 12), st.integers(0, 3), st.sampled_from(["headline", "caption"]))))
def test_runs_of_lines_give_the_candidates_of_each_line(text, segments):
    starts = line_starts(text)
    spans = []
    for n, (first, extra, kind) in enumerate(segments):
        last = min(first + extra, len(starts))
        if first > last:
            continue
        end = starts[last] - 1 if last < len(starts) else len(text)
        spans.append(Span(n, kind, first, last, starts[first - 1], end, None))
    norm = normalise(text)
    got = [c for bs, be in _scanned_blocks(text, starts, spans) for c in candidate_names(text, bs, be, norm)]
    assert got == by_line(text, norm, starts, spans)
