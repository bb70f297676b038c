"""The quick screen of JSON Lines records (usua.validation.screen) and the cached date derivation: a
record the screen accepts is one the models accept, with the same referenced ids, and a cached
derivation is the derivation."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from tests.fuzz import mutated
from tests.strategies import RECORD_STRATEGIES, any_record, edtf_values
from usua.models import SECTIONS
from usua.models.dates import EDTFError, _derive_uncached, derived_date, parse_edtf
from usua.validation.quotes import weak_quote
from usua.validation.reader import RECORD_TYPES
from usua.validation.references import evidence_lists, referenced_ids
from usua.validation.screen import QUOTED_ID, mentioned_ids, screen


def _model_verdict(rtype: str, item: Any) -> Any:
    """The record as the models validate a JSON Lines record (strict, from JSON), or None if refused."""
    model = SECTIONS[RECORD_TYPES[rtype]]
    try:
        rec = model.__pydantic_validator__.validate_json(json.dumps(item), strict=True)
    except (ValidationError, ValueError):
        return None
    section = RECORD_TYPES[rtype]
    if any(weak_quote(ev.quote) for _, evs in evidence_lists(section, rec) for ev in evs):
        return None  # a weak quote makes a record invalid too
    return rec


def _screened(rtype: str, item: Any) -> list[str] | None:
    """The ids a JSON Lines record refers to if the screen accepts it (as validate_lines uses it), else None."""
    check = screen(rtype)
    assert check is not None
    try:  # (a number too long to write is refused before any validator sees it)
        line = json.dumps({rtype: item}, ensure_ascii=False)
    except (ValueError, TypeError):  # (or a value JSON cannot hold: JSON Lines cannot bring it)
        return None
    if check.accept(json.dumps(item, ensure_ascii=False).encode("utf-8", "surrogatepass")) is None:
        return None
    # validate_lines sends a line with \\u escapes to the models (they could spell an id the search of ids
    # misses), but the screen must be right on it all the same; json.dumps escapes only control characters
    # here, which no id holds, so the search finds them all
    return QUOTED_ID.findall(line)


SCREENED = sorted(t for t in RECORD_STRATEGIES if screen(t) is not None)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_what_the_screen_accepts_the_models_accept(doc):
    for section, items in doc.items():
        rtype = {s: t for t, s in RECORD_TYPES.items()}.get(section)
        if rtype not in SCREENED or not isinstance(items, list):
            continue
        for item in items:
            refs = _screened(rtype, item)
            if refs is None:
                continue
            rec = _model_verdict(rtype, item)
            assert rec is not None, f"the screen accepted a record the models refuse: {item}"
            # every reference is found (an extra id-shaped text only costs an exact check later)
            assert set(refs) >= set(referenced_ids(section, rec))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(any_record)
def test_the_screen_accepts_valid_records_with_their_references(kind_record):
    rtype, item = kind_record
    if rtype not in SCREENED:
        return
    rec = _model_verdict(rtype, item)
    refs = _screened(rtype, item)
    if rec is None:
        assert refs is None
        return
    assert refs is not None, f"the screen sent a valid record to the models: {item}"
    assert set(refs) >= set(referenced_ids(RECORD_TYPES[rtype], rec))


def test_ids_spelt_with_escapes_are_left_to_the_models():
    line = json.dumps({"event": {"id": "evt:x", "part_of": "evt:\u0079"}}).replace("y", "\\u0079")
    assert mentioned_ids(line) is None
    assert mentioned_ids('{"event": {"id": "evt:x", "part_of": "evt:y", "title": "\\"ent:z\\""}}') == ["evt:x", "evt:y"]


def _one_event() -> dict:
    return {
        "id": "evt:x",
        "type": "meeting",
        "status": "happened",
        "date": {"value": "2022-05-13", "method": "stated"},
        "title": "A meeting",
        "evidence": [{"document": "doc:a", "quote": "Austin met Reznikov"}],
    }


def test_the_screen_leaves_to_the_models_what_json_schema_lets_through():
    base = _one_event()
    assert _model_verdict("event", base) is not None and _screened("event", base) is not None
    cases = {
        "an integer written 3.0": {"evidence": [{**base["evidence"][0], "occurrence": 2.0}]},
        "a derived field that disagrees": {"date": {**base["date"], "precision": "month"}},
        "an interval that ends first": {"date": {"value": "2022-05/2021", "method": "stated"}},
        "an event part of itself": {"part_of": "evt:x"},
        "an id ending in a line break (Python's $ would match before it)": {"part_of": "evt:y\n"},
        "a weak quote": {"evidence": [{"document": "doc:a", "quote": "the"}]},
        "an end offset alone": {"evidence": [{**base["evidence"][0], "end": 4}]},
    }
    for what, change in cases.items():
        item = {**base, **change}
        assert _model_verdict("event", item) is None, what
        assert _screened("event", item) is None, what


date_like = st.from_regex(r"[.0-9?~%/-]{0,24}", fullmatch=True)


@settings(max_examples=500, deadline=None)
@given(st.one_of(edtf_values(), st.text(max_size=30), date_like))
def test_cached_date_derivation_is_the_derivation(value):
    try:
        want: Any = _derive_uncached(value)
    except EDTFError as exc:
        want = ("error", str(exc))
    for _ in range(2):  # the first call fills the cache, the second reads it
        try:
            got: Any = derived_date(value)
        except EDTFError as exc:
            got = ("error", str(exc))
        assert got == want
    if not isinstance(want, tuple):
        copy = parse_edtf(value)
        copy["precision"] = "changed"  # parse_edtf hands out a copy: the cache stays as derived
        assert derived_date(value) == want
