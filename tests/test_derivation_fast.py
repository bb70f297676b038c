"""The claims derivation made cheap keeps its results: the canonical text of a value is json's, a
claim's key is its value's canonical text, the evidence walk without pointers finds what the walk with
pointers finds, and the derivation does not depend on the order of the claims (the record's own value
joins a field's settlement once, whichever claim on that field comes first); the date rules look at
the fields whose type holds a date, which are every field holding one."""

from __future__ import annotations

import json
from dataclasses import replace
from enum import Enum
from functools import cache
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from builders.curation import curation_files
from usua.claims import Fact, canonical, settle
from usua.derivation import derive
from usua.validation import check_paths
from usua.validation.references import evidence_items, iter_evidence

ROOT = Path(__file__).resolve().parents[1]


class Kind(str, Enum):
    A = "a"
    B = "b\u00e9\n"


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(),
    st.sampled_from(list(Kind)),
    st.dates(),
)
values = st.recursive(
    scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4), max_leaves=20
)


@given(values)
def test_canonical_is_the_json_text_with_sorted_keys(value):
    assert canonical(value) == json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


@given(values, values)
def test_a_claims_key_is_the_canonical_text_of_its_value(value, other):
    f = Fact("evt:x", "/status", value, "doc:a", None, None)
    assert f.key == canonical(value)
    g = replace(f, value=other)  # a copy computes its own key, whatever the original cached
    assert g.key == canonical(other) and f.key == canonical(value)
    # a fact holds its fields in slots, without a dict of its own (a large curation makes millions)
    assert not hasattr(f, "__dict__") and f == replace(f) and repr(f) == repr(replace(f))
    assert not hasattr(settle("/status", [f]), "__dict__")  # nor the outcome of a field's claims


@cache
def curated() -> dict:
    return check_paths(curation_files(ROOT), sources_dir=ROOT / "dataset" / "sources").records


def test_evidence_items_are_the_evidence_iter_evidence_walks():
    records = curated()
    assert sum(len(evidence_items(s, r)) for s, recs in records.items() for r in recs) > 100
    for section, recs in records.items():
        for rec in recs:
            assert sorted(map(id, evidence_items(section, rec))) == sorted(id(ev) for _, ev in iter_evidence(rec))


def _summary(d) -> tuple:
    return (
        [(f.record, f.field, f.document, f.key, f.claim, len(f.evidence)) for f in d.facts],
        d.credibility,
        d.held,
        {k: (canonical(o.value), sorted(o.held), len(o.versions)) for k, o in d.outcomes.items()},
        d.support,
        d.failures,
        d.idle_disagreements,
        {s: sorted(r.model_dump_json() for r in recs) for s, recs in d.records.items()},
    )


@settings(max_examples=25, deadline=None)
@given(st.data())
def test_the_derivation_does_not_depend_on_the_order_of_the_claims(data):
    records = curated()
    claims = records["claims"]
    targets = [r for s in ("events", "agreements", "statements") for r in records[s]]
    # more claims on a field the records hold themselves, agreeing with it (a conflict would need a
    # disagreement the validation asks for), one per record (two from one document merge into the first
    # one's claim, by design): the record's own value must join once
    extra = [
        c.model_copy(
            update={
                "id": f"clm:extra-{n}",
                "record": t.id,
                "field": "/status",
                "value": t.model_dump(mode="json")["status"],
            }
        )
        for n, (c, t) in enumerate(
            data.draw(
                st.lists(
                    st.tuples(st.sampled_from(claims), st.sampled_from(targets)),
                    max_size=4,
                    unique_by=lambda p: p[1].id,
                )
            )
        )
        if "status" in type(t).model_fields
    ]
    given_claims = [*claims, *extra]
    shuffled = data.draw(st.permutations(given_claims))
    assert _summary(derive({**records, "claims": given_claims})) == _summary(derive({**records, "claims": shuffled}))


def test_the_date_fields_are_every_field_holding_a_date():
    from usua.models.dates import DateValue
    from usua.models.dates import date_fields

    held = 0
    for recs in curated().values():
        for rec in recs:
            every = [n for n in type(rec).model_fields if isinstance(getattr(rec, n), DateValue)]
            assert every == [n for n in date_fields(type(rec)) if isinstance(getattr(rec, n), DateValue)]
            held += len(every)
    assert held > 50
