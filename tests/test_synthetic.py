"""The synthetic corpus: reproducible, valid against the models, and every quote really in its text."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from benchmarks.synthetic import EVENT_TYPE_LIST, RECORD_TYPE_OF, main, write_dataset, write_jsonl
from usua.models import SECTIONS, Contribution
from usua.models.base import ANY_ID_RE, ID_PREFIXES
from usua.schema import json_schema
from usua.text import locate
from usua.version import SCHEMA_VERSION

DOCS = 150
SECTION_OF_PREFIX = {prefix: f"{kind}s" for kind, prefix in ID_PREFIXES.items()}
SECTION_OF_PREFIX["ent"] = "entities"
RECORD_TYPE_OF_SECTION = {t: s for s, t in RECORD_TYPE_OF.items()}


def _digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> tuple[Path, dict[str, int]]:
    out = tmp_path_factory.mktemp("synthetic")
    counts = write_dataset(out, DOCS, seed=7)
    return out, counts


@pytest.fixture(scope="module")
def records(corpus) -> dict[str, list]:
    """Every curation and documents file parsed by the Contribution model, merged by section."""
    out, _ = corpus
    merged: dict[str, list] = {s: [] for s in SECTIONS}
    for path in [out / "sources" / "documents.yaml", *sorted((out / "curation").glob("*.yaml"))]:
        contribution = Contribution.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
        for section in SECTIONS:
            merged[section].extend(getattr(contribution, section))
    return merged


def test_same_seed_gives_same_bytes_and_another_seed_differs(tmp_path: Path) -> None:
    for name, seed in (("a", 3), ("b", 3), ("c", 4)):
        main(["--documents", "40", "--seed", str(seed), "--out", str(tmp_path / name), "--jsonl-records", "300"])
    a, b, c = (_digest(tmp_path / n) for n in "abc")
    assert a == b
    assert a.keys() == c.keys() and a != c


def test_counts_match_files_and_cover_every_record_type(corpus, records) -> None:
    _, counts = corpus
    assert {s: len(r) for s, r in records.items() if r} == counts
    assert counts["documents"] == DOCS
    for section in ("entities", "roles", "events", "agreements", "statements", "figures", "disagreements"):
        assert counts.get(section, 0) > 0, section
    assert len(list((corpus[0] / "sources").glob("*.txt"))) == DOCS


def test_every_event_type_status_and_date_precision_occurs(records) -> None:
    events = records["events"]
    assert {e.type for e in events} == set(EVENT_TYPE_LIST)
    assert len({e.status for e in events}) >= 6
    assert {e.date.precision for e in events} >= {"day", "month", "year"}
    assert {e.date.method for e in events} >= {"stated", "resolved_relative", "inferred"}
    kinds = {e.kind for e in records["entities"]}
    assert kinds >= {"person", "state", "organization", "place"}
    assert any(e.aliases for e in records["entities"])


def test_every_quote_occurs_in_its_document_and_hashes_match(corpus, records) -> None:
    out, _ = corpus
    texts = {}
    for d in records["documents"]:
        raw = (out / "sources" / d.path).read_bytes()
        assert hashlib.sha256(raw).hexdigest() == d.sha256
        texts[d.id] = raw.decode("utf-8")
        lines = texts[d.id].split("\n")
        assert all(s.last_line <= len(lines) for s in d.segments)

    def evidence(node):
        if isinstance(node, dict):
            if "quote" in node and "document" in node:
                yield node
            for v in node.values():
                yield from evidence(v)
        elif isinstance(node, list):
            for v in node:
                yield from evidence(v)

    n = 0
    for section, recs in records.items():
        for rec in recs:
            for ev in evidence(rec.model_dump(mode="json")):
                assert locate(texts[ev["document"]], ev["quote"], ev["occurrence"]) is not None, (rec.id, ev["quote"])
                n += 1
    assert n > DOCS * 3


def test_ids_are_unique_and_every_reference_resolves(records) -> None:
    ids = [r.id for recs in records.values() for r in recs]
    assert len(ids) == len(set(ids))
    known = set(ids)

    def refs(node, key=""):
        if isinstance(node, dict):
            for k, v in node.items():
                yield from refs(v, k)
        elif isinstance(node, list):
            for v in node:
                yield from refs(v, key)
        elif isinstance(node, str) and key != "id" and ANY_ID_RE.match(node):
            yield node

    dangling = {
        ref for recs in records.values() for r in recs for ref in refs(r.model_dump(mode="json")) if ref not in known
    }
    assert not dangling


def test_jsonl_invalid_lines_are_exactly_those_models_and_schema_reject(tmp_path: Path) -> None:
    path = tmp_path / "records.jsonl"
    invalid = write_jsonl(path, 2000, seed=5)
    assert invalid and len(invalid) < 100
    assert (tmp_path / "invalid-lines.txt").read_text().split() == [str(n) for n in invalid]
    validators = {}
    rejected_by_models, rejected_by_schema = [], []
    lines = path.read_text(encoding="utf-8").splitlines()
    assert json.loads(lines[0]) == {"schema_version": SCHEMA_VERSION}
    for n, line in enumerate(lines[1:], start=2):
        ((kind, data),) = json.loads(line).items()
        section = RECORD_TYPE_OF_SECTION[kind]
        assert section == SECTION_OF_PREFIX[data["id"].split(":")[0].lower()]
        try:
            SECTIONS[section].model_validate(data)
        except ValueError:
            rejected_by_models.append(n)
        v = validators.get(kind) or validators.setdefault(kind, jsonschema.Draft202012Validator(json_schema(kind)))
        if not v.is_valid(data):
            rejected_by_schema.append(n)
    assert rejected_by_models == invalid
    assert rejected_by_schema == invalid


def test_the_validator_accepts_the_corpus_and_locates_every_quote(corpus) -> None:
    from usua.validation import check_paths

    out, counts = corpus
    files = [out / "sources" / "documents.yaml", *sorted((out / "curation").glob("*.yaml"))]
    result = check_paths(files, sources_dir=out / "sources")
    assert [p.format() for p in result.problems if p.severity == "error"] == []
    assert {s: len(r) for s, r in result.records.items() if r} == counts
    assert all(ev.start is not None for ev in result.records["events"][0].evidence)


def test_the_validator_flags_exactly_the_invalid_jsonl_lines(tmp_path: Path) -> None:
    from usua.validation import check_paths

    invalid = write_jsonl(tmp_path / "records.jsonl", 3000, seed=2)
    result = check_paths([tmp_path / "records.jsonl"])
    assert sorted({p.line for p in result.problems if p.severity == "error"}) == invalid


def test_json_lines_curation_holds_the_records_of_the_yaml_curation(corpus, tmp_path):
    out, counts = corpus
    assert write_dataset(tmp_path, DOCS, seed=7, curation_format="jsonl") == counts
    for yaml_file in sorted((out / "curation").glob("*.yaml")):
        data = yaml.safe_load(yaml_file.read_text(encoding="utf-8"))
        lines = (tmp_path / "curation" / f"{yaml_file.stem}.jsonl").read_text(encoding="utf-8").splitlines()
        assert json.loads(lines[0]) == {"schema_version": data.pop("schema_version")}
        want = [{RECORD_TYPE_OF[section]: rec} for section, recs in data.items() for rec in recs]
        assert [json.loads(line) for line in lines[1:]] == json.loads(json.dumps(want, default=str))
    assert (tmp_path / "sources" / "documents.yaml").read_bytes() == (out / "sources" / "documents.yaml").read_bytes()
