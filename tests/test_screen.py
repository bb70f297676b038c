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


def _event_line(i: int, **change: Any) -> str:
    return json.dumps({"event": {**_one_event(), "id": f"evt:e{i}", **change}})


#: Lines a large file may hold that the block screen must not accept, each with what is wrong.
BROKEN_LINES = [
    '{"event": {"id": "evt:bad"',  # a syntax error
    json.dumps({"event": {**_one_event(), "id": "evt:Upper"}}),  # a pattern
    json.dumps({"event": {**_one_event(), "id": "evt:extra", "colour": "red"}}),  # an unknown field
    json.dumps({"event": {**_one_event(), "id": "evt:later", "date": {"value": "2022-05/2021", "method": "stated"}}}),
    json.dumps({"event": {**_one_event(), "id": "evt:weak", "evidence": [{"document": "doc:a", "quote": "the"}]}}),
    json.dumps({"event": None}),  # a null record
    json.dumps({"event": _one_event(), "entity": {"id": "ent:two", "kind": "state", "name": "Two"}}),  # two keys
    json.dumps({"redirect": {"id": "evt:gone", "to": "evt:e1"}}),  # a type the screen leaves to the models
    json.dumps({"schema_version": "1.0.0"}),  # a header in the middle
    json.dumps({"evnt": _one_event()}),  # an unknown record type
    "",  # a blank line
    "   ",
    '  {"event": ' + json.dumps({**_one_event(), "id": "evt:spaced"}) + "}",  # valid, written with spaces first
    json.dumps({"event": {**_one_event(), "id": "evt:ref", "part_of": "evt:missing"}}),  # an unknown reference
]
#: Those of BROKEN_LINES that are errors on their own line.
ERRORS = {*BROKEN_LINES[:7], BROKEN_LINES[9], BROKEN_LINES[13]}


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.tuples(st.integers(1, 600), st.sampled_from(BROKEN_LINES)), max_size=12))
def test_block_screening_tells_what_line_by_line_tells(tmp_path_factory, broken):
    """Blocks of lines are decoded in one call; a line in a block that fails (anywhere in it) is told
    with its own file:line message, and every other problem too, exactly as line by line."""
    from usua.validation import check_paths, records

    lines = ['{"schema_version": "1.0.0"}'] + [_event_line(i) for i in range(600)]
    for at, line in broken:
        lines[at] = line
    path = tmp_path_factory.mktemp("blocks") / "big.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    def told(block_lines: int) -> tuple[list[str], dict[str, list], set]:
        old = records._BLOCK_FILE_LINES
        records._BLOCK_FILE_LINES = block_lines
        try:
            result = check_paths([path], known_ids={"doc:a"}, keep_records=False)
        finally:
            records._BLOCK_FILE_LINES = old
        records_by_section = {s: [r.id for r in recs] for s, recs in result.records.items()}
        errors = {p.line for p in result.problems if p.severity == "error"}
        return [p.format() for p in result.problems], records_by_section, errors

    in_blocks, alone = told(256), told(10**9)
    assert in_blocks == alone
    # all at once: every broken line is told, on its own line
    assert in_blocks[2] >= {n + 1 for n, line in enumerate(lines) if line in ERRORS}
