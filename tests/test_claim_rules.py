"""The rules that derive a field from its claims (usua.claims): properties over generated claims."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from usua.claims import Fact, canonical, settle

STATUSES = ["planned", "happened", "ongoing", "cancelled"]
docs = st.sampled_from([f"doc:d{i}" for i in range(6)])
days = st.dates(min_value=date(2020, 1, 1), max_value=date(2025, 12, 31))


@st.composite
def facts(draw, field: str = "/status", values=st.sampled_from(STATUSES)) -> Fact:
    start = draw(days)
    end = start + timedelta(days=draw(st.integers(0, 40)))
    return Fact(
        record="evt:x",
        field=field,
        value=draw(values),
        document=draw(docs),
        earliest=start,
        latest=end,
        grade=draw(st.sampled_from("ABCDEF")),
        claim=draw(st.sampled_from([None, "clm:a", "clm:b"])),
    )


def outcome_key(o) -> tuple:
    return canonical(o.value), [[canonical(f.value) for f in g] for g in o.versions], sorted(o.held)


@given(st.lists(facts(), min_size=1, max_size=8), st.randoms())
def test_the_order_of_the_claims_does_not_change_the_derived_value(claims, rnd):
    shuffled = list(claims)
    rnd.shuffle(shuffled)
    assert outcome_key(settle("/status", claims)) == outcome_key(settle("/status", shuffled))


@given(st.lists(facts(), min_size=1, max_size=8), st.sampled_from(STATUSES), docs)
def test_the_latest_as_of_wins_without_a_disagreement(claims, status, doc):
    last = max(f.latest for f in claims)
    later = Fact("evt:x", "/status", status, doc, last + timedelta(days=1), last + timedelta(days=2), claim="clm:z")
    outcome = settle("/status", [*claims, later])
    assert outcome.value == status and outcome.versions == [] and outcome.current == [later]


@given(facts(), st.sampled_from(STATUSES))
def test_claims_of_the_same_window_that_differ_are_a_disagreement_with_every_version(first, other):
    second = Fact("evt:x", "/status", other, "doc:other", first.earliest, first.latest, claim="clm:other")
    outcome = settle("/status", [first, second])
    if other == first.value:
        assert outcome.versions == []
    else:
        assert sorted(canonical(g[0].value) for g in outcome.versions) == sorted(
            [canonical(first.value), canonical(other)]
        )
        assert outcome.value == first.value if first.claim is None else outcome.value in (first.value, other)


@given(st.lists(st.sampled_from(["ent:a", "ent:b", "ent:c"]), min_size=1, max_size=6))
def test_agreeing_values_merge_and_different_ones_conflict(values):
    claims = [
        Fact("stm:x", "/speaker", v, f"doc:d{i}", date(2022, 1, 1), date(2022, 1, 2)) for i, v in enumerate(values)
    ]
    outcome = settle("/speaker", claims)
    assert bool(outcome.versions) == (len(set(values)) > 1)
    assert outcome.value in values


def _date(value: str) -> dict:
    return {"value": value, "method": "inferred", "basis": "test"}


@given(st.permutations([_date("2022"), _date("2022-07"), _date("2022-07-29")]))
def test_nested_dates_agree_and_the_most_precise_wins(values):
    claims = [
        Fact("evt:x", "/date", v, f"doc:d{i}", date(2022, 10, 1), date(2022, 10, 1)) for i, v in enumerate(values)
    ]
    outcome = settle("/date", claims, is_date=True)
    assert outcome.value["value"] == "2022-07-29" and outcome.versions == []


def test_dates_that_do_not_nest_conflict():
    claims = [
        Fact("evt:x", "/date", _date("2022-07-29"), "doc:a", date(2022, 10, 1), date(2022, 10, 1)),
        Fact("evt:x", "/date", _date("2022-08"), "doc:b", date(2022, 10, 1), date(2022, 10, 1), claim="clm:b"),
    ]
    outcome = settle("/date", claims, is_date=True)
    assert len(outcome.versions) == 2 and outcome.value["value"] == "2022-07-29"  # the record keeps its own


@given(
    st.lists(
        st.sampled_from([{"entity": "ent:a", "role": "attendee"}, {"entity": "ent:b", "role": "host"}]), min_size=1
    )
)
def test_added_items_merge(items):
    claims = [
        Fact("evt:x", "/participants/-", v, f"doc:d{i}", None, None, claim=f"clm:{i}") for i, v in enumerate(items)
    ]
    outcome = settle("/participants/-", claims)
    assert sorted(map(canonical, outcome.value)) == sorted({canonical(v) for v in items})
