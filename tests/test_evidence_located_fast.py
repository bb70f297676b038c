"""Locating the quotes of records that hold evidence only in their own list, without the walks over
every field, gives what the general walk gives: the same records, offsets and problems, on a synthetic
corpus whose quotes are randomly damaged, and the premise holds on the curated records."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import usua.validation.check as check
from benchmarks.synthetic import write_dataset
from builders.curation import curation_files
from usua.validation import check_paths
from usua.validation.records import _EVIDENCE_ONLY_AT_TOP
from usua.validation.references import iter_evidence

ROOT = Path(__file__).resolve().parents[1]


def test_those_sections_hold_evidence_only_in_their_own_list():
    records = check_paths(curation_files(ROOT), sources_dir=ROOT / "dataset" / "sources").records
    for section in _EVIDENCE_ONLY_AT_TOP:
        assert records[section]
        for rec in records[section]:
            assert all(ptr.startswith("/evidence/") for ptr, _ in iter_evidence(rec))


def _outcome(root: Path) -> tuple:
    result = check_paths(curation_files(root), sources_dir=root / "dataset" / "sources")
    records = {s: [r.model_dump_json() for r in recs] for s, recs in result.records.items()}
    return records, [p.format() for p in result.problems]


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_the_fast_path_gives_what_the_general_walk_gives(tmp_path_factory, monkeypatch, data):
    root = tmp_path_factory.mktemp("corpus")
    write_dataset(root / "dataset", 12, data.draw(st.integers(1, 1000)), "jsonl")
    batch = next((root / "dataset" / "curation").glob("*.jsonl"))
    lines = batch.read_text(encoding="utf-8").splitlines()
    for n in data.draw(st.lists(st.integers(1, len(lines) - 1), min_size=1, max_size=6)):  # damage some quotes
        rtype, rec = next(iter(json.loads(lines[n]).items()))
        for ev in rec.get("evidence", []):
            ev["quote"] = data.draw(st.sampled_from([ev["quote"][::-1], ev["quote"] + " and more", ev["quote"][:12]]))
        lines[n] = json.dumps({rtype: rec}, ensure_ascii=False)
    batch.write_text("\n".join(lines) + "\n", encoding="utf-8")
    fast = _outcome(root)
    with monkeypatch.context() as m:  # the general walk for every section
        m.setattr(check, "_EVIDENCE_ONLY_AT_TOP", frozenset())
        general = _outcome(root)
    assert fast == general
