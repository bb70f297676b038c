"""Nested items (provisions, participants, signatories, relations, disagreement versions) have keys that
do not depend on their position, so the data changelog reports an inserted item as one addition."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from builders.derive import derive_tables
from usua.models import Agreement
from usua.models.keys import KEY_MAX_LENGTH, KEY_PATTERN, content_key

from .test_build import _ev, build_into, sample_curated


def _insert_provision(curation: dict) -> None:
    curation["agreements"][0]["provisions"].insert(
        0,
        {
            "kind": "commitment",
            "text": "The United States will provide $2.5 billion.",
            "evidence": _ev("doc:kyiv", "will provide $2.5 billion"),
        },
    )


def test_an_inserted_provision_is_one_addition(tmp_path):
    releases = tmp_path / "releases"
    build_into(tmp_path, "releases", sample_curated(), version="1.0.0", releases=releases)
    new = build_into(tmp_path, "releases", sample_curated(_insert_provision), version="1.1.0", releases=releases)
    ch = json.loads((new / "changes.json").read_text(encoding="utf-8"))
    assert ch["previous"] == "1.0.0"
    assert set(ch["tables"]) == {"agreement_provisions", "evidence"}
    for table, entry in ch["tables"].items():
        assert (len(entry["added"]), entry["removed"], entry["changed"]) == (1, [], []), table
    md = (new / "CHANGES.md").read_text(encoding="utf-8")
    key = content_key("The United States will provide $2.5 billion.")
    assert f"- added (1): `agr:framework / {key}`" in md
    assert "changed" not in md and "removed" not in md


def test_evidence_rows_name_the_item_by_its_key(tmp_path):
    curated = sample_curated(_insert_provision)
    tables = derive_tables(curated.records, curated.texts, [])
    provisions = {r["n"]: r["key"] for r in tables["agreement_provisions"]}
    items = {(r["path"], r["item"]) for r in tables["evidence"] if r["record"] == "agr:framework"}
    assert ("/provisions/1", f"/provisions/{provisions[1]}") in items
    assert ("", "") in items


def test_explicit_keys_win_and_repeated_keys_are_refused():
    base = sample_curated().records["agreements"][0].model_dump(mode="json", exclude_none=True)
    provision = base["provisions"][0]
    keyed = Agreement.model_validate({**base, "provisions": [{**provision, "key": "scope"}]})
    assert keyed.provisions[0].item_key == "scope"
    with pytest.raises(ValueError, match="two provisions have the key"):
        Agreement.model_validate({**base, "provisions": [provision, dict(provision)]})


@given(st.text(min_size=1, max_size=80), st.text(alphabet=" \t\n", min_size=1, max_size=3))
def test_content_keys_are_slugs_that_ignore_spacing(text, space):
    key = content_key(text)
    assert key == content_key(space.join(text.split(" "))) == content_key(f"{space}{text}{space}")
    assert re.fullmatch(KEY_PATTERN, key) and len(key) <= KEY_MAX_LENGTH
