"""Property tests that guard the schema: round trips, model/JSON Schema agreement, invariants."""

from __future__ import annotations

import copy
import json
import re
from datetime import date

import jsonschema
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from usua.models import RECORD_MODELS, DateValue
from usua.models.base import ANY_ID_RE, ID_PREFIXES
from usua.models.dates import EDTF_RE, DatePrecision
from usua.schema import json_schema

from tests.arrow_records import from_arrow, to_arrow
from tests.strategies import RECORD_STRATEGIES, any_record, date_values

SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
VALIDATORS = {
    name: jsonschema.Draft202012Validator(
        json_schema(name), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    for name in RECORD_MODELS
}


def model_errors(kind: str, data) -> list[dict]:
    # strict JSON mode is how `usua validate` accepts a record: no "2" for 2, no 1 for true
    try:
        RECORD_MODELS[kind].model_validate_json(json.dumps(data), strict=True)
        return []
    except ValidationError as exc:
        return exc.errors()


def model_accepts(kind: str, data) -> bool:
    return not model_errors(kind, data)


def schema_accepts(kind: str, data) -> bool:
    return VALIDATORS[kind].is_valid(data)


@SETTINGS
@given(any_record)
def test_valid_record_roundtrips_through_json(kind_and_data):
    kind, data = kind_and_data
    model = RECORD_MODELS[kind]
    record = model.model_validate(data)
    again = model.model_validate_json(record.model_dump_json())
    assert again == record
    # Dumping is stable: a second trip gives the same text.
    assert again.model_dump_json() == record.model_dump_json()


@SETTINGS
@given(st.lists(any_record, min_size=1, max_size=4))
def test_valid_records_roundtrip_through_parquet(tmp_path_factory, items):
    by_kind: dict[str, list] = {}
    for kind, data in items:
        by_kind.setdefault(kind, []).append(RECORD_MODELS[kind].model_validate(data))
    folder = tmp_path_factory.mktemp("pq")
    for kind, records in by_kind.items():
        model = RECORD_MODELS[kind]
        path = folder / f"{kind}.parquet"
        pq.write_table(to_arrow(records, model), path)
        assert from_arrow(pq.read_table(path), model) == records


@SETTINGS
@given(any_record)
def test_schema_accepts_every_valid_record(kind_and_data):
    kind, data = kind_and_data
    dumped = RECORD_MODELS[kind].model_validate(data).model_dump(mode="json")
    assert schema_accepts(kind, data), list(VALIDATORS[kind].iter_errors(data))[:1]
    assert schema_accepts(kind, dumped)


# --- mutations: the models and the JSON Schema must give the same verdict -----------------------


def _paths(node, prefix=()):
    """Every (container path, key) in a JSON document."""
    if isinstance(node, dict):
        for k, v in node.items():
            yield prefix, k
            yield from _paths(v, prefix + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield prefix, i
            yield from _paths(v, prefix + (i,))


def _get(doc, path):
    for p in path:
        doc = doc[p]
    return doc


@st.composite
def mutated(draw):
    kind, data = draw(any_record)
    doc = copy.deepcopy(data)
    places = list(_paths(doc))
    how = draw(st.sampled_from(["drop", "unknown_field", "wrong_type", "bad_id", "bad_date"]))
    if how == "drop":
        dict_places = [(p, k) for p, k in places if isinstance(_get(doc, p), dict)]
        path, key = draw(st.sampled_from(dict_places))
        del _get(doc, path)[key]
    elif how == "unknown_field":
        dicts = [()] + [p + (k,) for p, k in places if isinstance(_get(doc, p + (k,)), dict)]
        target = _get(doc, draw(st.sampled_from(dicts)))
        target[draw(st.from_regex(r"[a-z_]{1,12}", fullmatch=True).filter(lambda k: k not in target))] = "x"
    elif how == "wrong_type":
        path, key = draw(st.sampled_from(places))
        _get(doc, path)[key] = draw(
            st.sampled_from([12345, 1.5, True, [], {"unexpected": 1}, "text", "12", "2022-01-01", None])
        )
    elif how == "bad_id":
        id_places = [(p, k) for p, k in places if isinstance(_get(doc, p)[k], str) and ANY_ID_RE.match(_get(doc, p)[k])]
        assume(id_places)
        path, key = draw(st.sampled_from(id_places))
        _get(doc, path)[key] = draw(
            st.one_of(
                st.text(max_size=12),
                st.sampled_from(["Ent:X", "ent:", "ent:a--b", "ent:A", "ent:a_b", "evt :x", "ent:a-", "xyz:abc"]),
            )
        )
    else:  # bad_date: any date-like string in a 'value' of a date
        date_places = [
            (p, k) for p, k in places if k == "value" and isinstance(_get(doc, p), dict) and "method" in _get(doc, p)
        ]
        assume(date_places)
        path, key = draw(st.sampled_from(date_places))
        _get(doc, path)[key] = draw(
            st.one_of(
                st.from_regex(r"[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?[~?%]?", fullmatch=True),
                st.text(alphabet="0123456789-/.~?%", max_size=12),
                st.text(max_size=8),
            )
        )
    return kind, doc


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(mutated())
def test_models_and_schema_agree_on_mutated_records(kind_and_doc):
    kind, doc = kind_and_doc
    errors = model_errors(kind, doc)
    by_model, by_schema = not errors, schema_accepts(kind, doc)
    if by_model == by_schema:
        return
    # The schema is never stricter than the models; the models are stricter only through the
    # cross-field rules published in the schema (x-usua-cross-field-rules), raised as value errors.
    assert by_schema and not by_model, f"schema rejects what the models accept: {kind} {json.dumps(doc)[:600]}"
    for e in errors:
        where = _get(doc, e["loc"]) if e["loc"] else doc
        assert e["type"] == "value_error" and isinstance(where, dict), (e, json.dumps(doc)[:600])


# --- invariants ---------------------------------------------------------------------------------


@SETTINGS
@given(date_values())
def test_date_invariants(data):
    d = DateValue.model_validate(data)
    if d.value is None:
        assert d.precision == DatePrecision.unknown and d.earliest is None and d.latest is None
        return
    assert d.precision in ("day", "month", "year")
    assert EDTF_RE.match(d.value)
    if d.earliest and d.latest:
        assert d.earliest <= d.latest
    if "/" not in d.value:
        span = (d.latest - d.earliest).days + 1
        if d.precision == "day":
            assert span == 1
        elif d.precision == "month":
            assert 28 <= span <= 31 and d.earliest.day == 1 and d.earliest.month == d.latest.month
        else:
            assert span in (365, 366) and (d.earliest.month, d.earliest.day) == (1, 1)
    assert d.approximate == any(q in d.value for q in "~%")
    assert d.uncertain == any(q in d.value for q in "?%")


@SETTINGS
@given(any_record)
def test_id_invariants(kind_and_data):
    kind, data = kind_and_data
    record = RECORD_MODELS[kind].model_validate(data)
    prefix = ID_PREFIXES.get(kind)
    if prefix:
        assert record.id.startswith(prefix + ":")
        assert re.fullmatch(rf"{prefix}:[a-z0-9]+(-[a-z0-9]+)*", record.id)
    assert ANY_ID_RE.match(record.id)


@SETTINGS
@given(date_values(), st.sampled_from(["precision", "earliest", "latest"]))
def test_contradictory_derived_date_fields_are_rejected(data, field):
    d = DateValue.model_validate(data)
    assume(d.value is not None and getattr(d, field) is not None)
    wrong = {
        "precision": "day" if d.precision != "day" else "year",
        "earliest": date(999 + 1, 1, 1),
        "latest": date(9999, 12, 31),
    }[field]
    assume(wrong != getattr(d, field))
    with pytest.raises(ValidationError):
        DateValue.model_validate({**data, field: wrong})


@SETTINGS
@given(st.integers(1000, 9999), st.integers(0, 13), st.integers(0, 32))
def test_published_date_pattern_accepts_exactly_the_real_calendar_days(y, m, d):
    value = f"{y:04d}-{m:02d}-{d:02d}"
    try:
        date(y, m, d)
        real = True
    except ValueError:
        real = False
    assert bool(EDTF_RE.match(value)) == real
    assert (
        model_accepts(
            "event",
            {
                "id": "evt:x",
                "type": "meeting",
                "title": "t",
                "status": "happened",
                "date": {"value": value, "method": "stated"},
                "evidence": [{"document": "doc:d", "quote": "quoted words"}],
            },
        )
        == real
    )


def test_leap_days_follow_the_gregorian_rules():
    for year, leap in [(1900, False), (2000, True), (2023, False), (2024, True), (2100, False), (2400, True)]:
        assert bool(EDTF_RE.match(f"{year}-02-29")) == leap


@SETTINGS
@given(RECORD_STRATEGIES["agreement"])
def test_an_adopted_agreement_needs_an_adopted_date_and_no_signature(data):
    """A declaration 'made' or 'issued' is adopted; the lifecycle never needs an invented signature for it."""
    adopted = {**data, "status": "adopted", "adopted": {"value": "2023-07", "method": "stated"}}
    adopted.pop("signed", None)
    adopted.pop("in_force", None)
    assert model_accepts("agreement", adopted)
    without_date = {k: v for k, v in adopted.items() if k != "adopted"}
    assert not model_accepts("agreement", without_date)
