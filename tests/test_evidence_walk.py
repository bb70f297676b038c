"""The walks over a record's evidence look only at the fields that can hold models, and find the same
evidence as a walk over every field, on every record of the curated dataset."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from builders.curation import curation_files
from usua.models import Evidence
from usua.validation import check_paths
from usua.validation.references import iter_evidence, replace_evidence

ROOT = Path(__file__).resolve().parents[1]


def every_field_evidence(value, pointer=""):
    """Every evidence item anywhere in a value, by its pointer (the definition: every field is looked at)."""
    if isinstance(value, Evidence):
        yield pointer, value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from every_field_evidence(getattr(value, name), f"{pointer}/{name}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from every_field_evidence(item, f"{pointer}/{i}")


@cache
def curated() -> list:
    result = check_paths(curation_files(ROOT), sources_dir=ROOT / "dataset" / "sources")
    return [rec for recs in result.records.values() for rec in recs]


def test_every_curated_record_gives_the_same_evidence():
    records = curated()
    assert sum(1 for rec in records for _ in iter_evidence(rec)) > 100  # the dataset holds evidence to walk
    for rec in records:
        assert list(iter_evidence(rec)) == list(every_field_evidence(rec))


@settings(max_examples=100, deadline=None)
@given(st.data())
def test_replacing_evidence_replaces_exactly_the_pointers_given(data):
    rec = data.draw(st.sampled_from(curated()))
    found = list(every_field_evidence(rec))
    chosen = data.draw(st.lists(st.sampled_from(found), unique_by=lambda p: p[0]) if found else st.just([]))
    new = {ptr: ev.model_copy(update={"start": 0, "end": len(ev.quote)}) for ptr, ev in chosen}
    out = replace_evidence(rec, new)
    assert list(every_field_evidence(out)) == [(ptr, new.get(ptr, ev)) for ptr, ev in found]
    assert (out is rec) == (not new)
