"""The published contract: committed schema files match the models, every field is described,
and no breaking change ships without a new major version."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builders.contract import contract_files, stale_contract
from usua.schema_diff import breaking_changes, compare_schema_sets
from usua.schema import all_schemas, missing_descriptions
from usua.version import SCHEMA_VERSION

ROOT = Path(__file__).resolve().parents[1]


def test_committed_schema_files_match_the_models():
    stale = stale_contract(ROOT)
    assert not stale, f"regenerate with `usua build` (stale: {stale})"


def test_every_schema_names_its_dialect_id_and_title():
    for name, schema in all_schemas().items():
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        assert schema["$id"].endswith(f":{name}")
        assert schema["title"]
        assert schema["x-usua-schema-version"] == SCHEMA_VERSION


def test_every_property_has_a_description():
    for name, schema in all_schemas().items():
        assert missing_descriptions(schema) == [], name


def test_codebook_covers_every_table_column_and_event_type():
    from usua.models.vocab import EVENT_TYPES
    from usua.release_tables import TABLES

    book = contract_files()[f"v{SCHEMA_VERSION.split('.')[0]}/CODEBOOK.md"]
    for t in TABLES:
        assert f"### `{t.name}`" in book
        for c in t.columns:
            assert f"| `{c.name}` |" in book, (t.name, c.name)
    for event_type, info in EVENT_TYPES.items():
        row = next(line for line in book.splitlines() if line.startswith(f"| `{event_type}` |"))
        assert (info.cameo or "") in row and (info.plover or "") in row


def _release_schemas() -> tuple[str, dict[str, dict]] | None:
    releases = sorted(
        (p for p in (ROOT / "dataset" / "releases").glob("*/schema") if p.is_dir()),
        key=lambda p: tuple(int(x) for x in p.parent.name.split(".")),
    )
    if not releases:
        return None
    latest = releases[-1]
    manifest = json.loads((latest.parent / "manifest.json").read_text())
    schemas = {p.name.removesuffix(".schema.json"): json.loads(p.read_text()) for p in latest.glob("*.schema.json")}
    return manifest["schema_version"], schemas


def test_no_breaking_change_without_a_major_version():
    released = _release_schemas()
    if released is None:
        pytest.skip("no release has been built yet")
    old_version, old = released
    changes = compare_schema_sets(old, all_schemas())
    if int(SCHEMA_VERSION.split(".")[0]) > int(old_version.split(".")[0]):
        return  # a new major version may break
    assert not changes, (
        f"breaking changes against released schema {old_version}; raise the major version:\n" + "\n".join(changes)
    )


# --- the checker itself ------------------------------------------------------------------------

EVENT = all_schemas()["event"]


def _event_copy() -> dict:
    return copy.deepcopy(EVENT)


def test_removing_a_property_is_breaking():
    new = _event_copy()
    del new["properties"]["summary"]
    assert any("summary: property removed" in c for c in breaking_changes(EVENT, new))


def test_requiring_a_property_is_breaking():
    new = _event_copy()
    new["required"] = new["required"] + ["summary"]
    assert any("summary is newly required" in c for c in breaking_changes(EVENT, new))


def test_removing_an_enum_value_is_breaking_and_adding_one_is_not():
    new = _event_copy()
    statuses = new["$defs"]["EventStatus"]["enum"]
    new["$defs"]["EventStatus"]["enum"] = statuses[1:]
    assert any("enum values removed" in c and statuses[0] in c for c in breaking_changes(EVENT, new))
    grown = _event_copy()
    grown["$defs"]["EventStatus"]["enum"] = statuses + ["postponed"]
    assert breaking_changes(EVENT, grown) == []


def test_changing_a_pattern_is_breaking():
    new = _event_copy()
    new["properties"]["id"]["pattern"] = "^evt:[a-z]+$"
    assert any("pattern changed" in c for c in breaking_changes(EVENT, new))


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(sorted(all_schemas())), st.from_regex(r"[a-z]{3,10}", fullmatch=True))
def test_adding_an_optional_property_is_never_breaking(name, prop):
    old = all_schemas()[name]
    new = copy.deepcopy(old)
    if prop in new["properties"]:
        return
    new["properties"][prop] = {"type": "string", "description": "new"}
    assert breaking_changes(old, new) == []


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(sorted(all_schemas())), st.data())
def test_removing_any_property_is_always_breaking(name, data):
    old = all_schemas()[name]
    prop = data.draw(st.sampled_from(sorted(old["properties"])))
    new = copy.deepcopy(old)
    del new["properties"][prop]
    new["required"] = [r for r in new.get("required", []) if r != prop]
    assert breaking_changes(old, new) != []
