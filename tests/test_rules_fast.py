"""The whole-dataset rules made cheap keep their results: each rewritten step is compared with an
independent spelling of its rule (or with the slower spelling it replaced, kept here as the reference)."""

from __future__ import annotations

import zlib

import pytest

from hypothesis import given
from hypothesis import strategies as st

from usua.validation.repeats import SHINGLE_WORDS, _shingles

words = st.lists(st.sampled_from(["a", "b", "c", "é", "the", "war"]) | st.text(max_size=4), max_size=30)


@given(words, words)
def test_shingles_are_the_hashes_of_each_window_of_words(text, earlier):
    cache: dict[str, int] = {}
    _shingles(earlier, cache)  # the word hashes are shared between texts
    ids = [zlib.crc32(w.encode("utf-8")) for w in text]
    windows = [ids[i : i + SHINGLE_WORDS] for i in range(len(ids) - SHINGLE_WORDS + 1)] or [ids]
    assert _shingles(text, cache) == {hash(tuple(w)) for w in windows}
    assert _shingles(text) == _shingles(text, cache)


# --- the claims derivation: settle's single-claim path, and credibility, held and support ---

from collections import defaultdict  # noqa: E402
from datetime import date  # noqa: E402
from functools import cache  # noqa: E402
from pathlib import Path  # noqa: E402

from hypothesis import settings  # noqa: E402

from builders.curation import curation_files  # noqa: E402
from usua.claims import GRADES, Fact, _settle, agrees, settle  # noqa: E402
from usua.derivation import CLAIMABLE, derive  # noqa: E402
from usua.models.dates import date_fields  # noqa: E402
from usua.models.document import independent_documents, originals  # noqa: E402
from usua.validation import check_paths  # noqa: E402
from usua.validation.references import evidence_items  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
days = st.dates(min_value=date(2020, 1, 1), max_value=date(2025, 12, 31))


@given(
    st.sampled_from(["/status", "/date", "/speaker", "/participants/-"]),
    st.sampled_from(["happened", "planned", "2022-10", "2022-10-21", None, {"a": [1, "b"]}]),
    st.one_of(st.none(), days),
    st.one_of(st.none(), days),
    st.booleans(),
)
def test_a_single_claim_settles_as_the_general_rule_settles_it(field_, value, earliest, latest, is_date):
    f = Fact("evt:x", field_, value, "doc:a", earliest, latest, "B", None, "states", (), None)
    try:
        want = _settle(field_, [f], is_date)
    except ValueError:  # a claim that precedes itself leaves no current one: the rule refuses it
        want = None
    if want is None:
        assert latest is not None and earliest is not None and latest < earliest
        return
    assert settle(field_, [f], is_date) == want


@cache
def curated() -> dict:
    return check_paths(curation_files(ROOT), sources_dir=ROOT / "dataset" / "sources").records


def _reference_grades(records: dict, d) -> tuple[list[int], list[bool], dict]:
    """Credibility and held per fact, and support per record, as the derivation spelled them fact by fact."""
    own = {rec.id: rec for section in CLAIMABLE for rec in records.get(section, [])}
    docs = {doc.id: doc for doc in records.get("documents", [])}
    by_field = defaultdict(list)
    for f in d.facts:
        by_field[(f.record, f.field)].append(f)
    credibility, held = [], []
    for f in d.facts:
        settled = d.outcomes.get((f.record, f.field))
        if f.credibility is not None:
            grade = f.credibility
        elif settled is not None and settled.versions:
            grade = 4
        else:
            target = own[f.record].__class__ if f.record in own else None
            is_date = bool(target and f.field and f.field[1:].split("/")[0] in date_fields(target))
            others = [o for o in by_field[(f.record, f.field)] if o.document != f.document]
            grade = 1 if any(agrees(f, o, is_date) for o in others) else 6
        credibility.append(grade)
        held.append(f.field == "" or settled is None or f.key in settled.held)
    cited = defaultdict(set)
    for section in CLAIMABLE:
        for rec in records.get(section, []):
            cited[rec.id].update(ev.document for ev in evidence_items(section, rec))
    for c in records.get("claims", []):
        cited[c.record].add(c.evidence[0].document)
    support = {}
    for rid, documents in cited.items():
        ind = independent_documents(documents, docs.values(), root=originals(docs.values()))
        grades = [docs[i].source_grade if i in docs else "F" for i in ind]
        support[rid] = (len(ind), min(grades, key=GRADES.index) if grades else "F")
    return credibility, held, support


@settings(max_examples=30, deadline=None)
@given(st.data())
def test_credibility_held_and_support_are_those_of_the_rule_fact_by_fact(data):
    records = curated()
    claims, documents = records["claims"], records["documents"]
    targets = [r for s in ("events", "agreements", "statements", "roles") for r in records[s]]
    donors = [r for s in ("events", "agreements", "statements", "roles") for r in records[s]]
    extra = []
    # claims from other documents on the records' own fields, with their own value or another record's:
    # agreements, conflicts, nested dates, claims of several documents on one field
    for n, (t, donor, doc, cred) in enumerate(
        data.draw(
            st.lists(
                st.tuples(
                    st.sampled_from(targets),
                    st.sampled_from(donors),
                    st.sampled_from(documents),
                    st.sampled_from([None, None, 2]),
                ),
                max_size=8,
                unique_by=lambda x: x[0].id,  # one claim a record: a conflict needs two documents
            )
        )
    ):
        names = [n for n in ("status", *date_fields(type(t))) if n in type(t).model_fields]
        if not names or doc.id in {ev.document for ev in t.evidence}:
            continue
        name = data.draw(st.sampled_from(names))
        source = donor if name in type(donor).model_fields else t
        value = source.model_dump(mode="json", exclude_none=True).get(name)
        if value is None:
            continue
        base = claims[n % len(claims)]
        extra.append(
            base.model_copy(
                update={
                    "id": f"clm:extra-{n}",
                    "record": t.id,
                    "field": f"/{name}",
                    "value": value,
                    "credibility": cred,
                    "evidence": [base.evidence[0].model_copy(update={"document": doc.id})],
                }
            )
        )
    given_records = {**records, "claims": [*claims, *extra]}
    d = derive(given_records)
    assert (d.credibility, d.held, d.support) == _reference_grades(given_records, d)


# --- a date written without the fields its value gives ---

from usua.models.dates import DateValue  # noqa: E402
from usua.models.edtf import parse_edtf  # noqa: E402

edtf_values = st.one_of(
    st.none(),
    st.builds(
        lambda d, cut, q: d.isoformat()[:cut] + q,
        days,
        st.sampled_from([4, 7, 10]),
        st.sampled_from(["", "~", "?", "%"]),
    ),
    st.builds(lambda a, b: f"{min(a, b).isoformat()}/{max(a, b).isoformat()}", days, days),
    st.builds(lambda a: f"../{a.isoformat()}", days),
)


@given(edtf_values, st.sampled_from(["stated", "inferred"]), st.booleans())
def test_a_date_without_its_derived_fields_gets_them_from_its_value(value, method, given_derived):
    data = {"value": value, "method": method, **({"basis": "why"} if method != "stated" else {})}
    if given_derived:  # the same fields written out: the path that compares them
        data = {**data, **{k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in parse_edtf(value).items()}}
    d = DateValue.model_validate(data)
    assert {k: getattr(d, k) for k in parse_edtf(value)} == parse_edtf(value)
    assert d.model_dump() == DateValue.model_validate_json(DateValue(**data).model_dump_json()).model_dump()


# --- near-duplicate candidates: a pair set aside early is never near ---

from usua.validation.repeats import NEAR_JACCARD, SKETCH, _may_be_near, estimated_jaccard  # noqa: E402

hashes = st.integers(min_value=-(2**63), max_value=2**63 - 1)


@given(st.lists(hashes, max_size=2 * SKETCH, unique=True), st.data())
def test_a_pair_set_aside_is_not_near(base, data):
    # the second sketch: most of the first one's hashes (a near pair) and some of its own
    kept = data.draw(st.lists(st.sampled_from(base), unique=True)) if base else []
    b = sorted({*kept, *data.draw(st.lists(hashes, max_size=8))})[:SKETCH]
    a = sorted(base)[:SKETCH]
    score = estimated_jaccard(a, b)
    if score >= NEAR_JACCARD:
        assert _may_be_near(a, b)
    if not a and not b:
        assert _may_be_near(a, b) and score == 1.0


# --- a claim made by its own __init__ is the dataclass the generated one would make ---

import dataclasses  # noqa: E402

from usua.claims import canonical  # noqa: E402


@dataclasses.dataclass(frozen=True)
class _ReferenceFact:  # Fact's fields, with the __init__ dataclasses generates
    record: str
    field: str
    value: object
    document: str
    earliest: date | None
    latest: date | None
    grade: str = "F"
    credibility: int | None = None
    stance: str = "states"
    evidence: tuple = ()
    claim: str | None = None


@given(
    st.lists(
        st.one_of(st.none(), st.text(max_size=3), st.integers(), days, st.tuples(st.integers())),
        min_size=6,
        max_size=11,
    ),
    st.booleans(),
)
def test_a_claim_is_made_as_its_dataclass_would_make_it(args, by_name):
    names = [f.name for f in dataclasses.fields(_ReferenceFact)][: len(args)]
    made = Fact(**dict(zip(names, args))) if by_name else Fact(*args)
    want = _ReferenceFact(*args)
    assert [f.name for f in dataclasses.fields(Fact) if f.init] == [f.name for f in dataclasses.fields(_ReferenceFact)]
    assert dataclasses.astuple(made)[:-1] == dataclasses.astuple(want) and made.key == canonical(made.value)
    assert repr(made) == repr(want).replace("_ReferenceFact", "Fact")
    assert made == Fact(*args) and hash(made) == hash(Fact(*args))
    other = dataclasses.replace(made, value=[args[2]])
    assert other.key == canonical([args[2]]) and other.record == made.record
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.value = 1  # type: ignore[misc]
