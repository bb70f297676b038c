"""A large release is written compact: Parquet and CSV, summaries of coverage and changes, every
key still available; a small one (the curated release) keeps every format."""

from __future__ import annotations

import csv
import gzip
import io
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from hypothesis import given, settings
from hypothesis import strategies as st

import builders.write_tables as wt
from builders.release import verify_release, write_release
from tests.test_build import build_into, sample_curated


def build_compact(tmp: Path, curated, version: str) -> Path:
    out = tmp / "releases" / version
    out.mkdir(parents=True)
    write_release(out, tmp, curated.records, curated.texts, version=version, releases=tmp / "releases", full=False)
    return out


def test_compact_release_has_parquet_and_csv_and_summaries(tmp_path):
    full = build_into(tmp_path, "full", sample_curated())
    compact = build_compact(tmp_path, sample_curated(), "1.0.0")
    files = {p.relative_to(compact).as_posix() for p in compact.rglob("*") if p.is_file()}
    assert not any(f.startswith(("json/", "jsonl/", "records/")) for f in files)
    for sub in ("parquet", "schema"):  # byte for byte what the full release has
        for p in (full / sub).rglob("*"):
            if p.is_file():
                assert (compact / p.relative_to(full)).read_bytes() == p.read_bytes(), p
    for p in (full / "csv").iterdir():  # the same CSV, gzip-compressed
        assert gzip.decompress((compact / "csv" / f"{p.name}.gz").read_bytes()) == p.read_bytes(), p
    manifest = json.loads((compact / "manifest.json").read_text())
    assert set(manifest["files"]) == files - {"manifest.json"}
    verify_release(compact)

    coverage = json.loads((compact / "coverage.json").read_text())
    full_coverage = json.loads((full / "coverage.json").read_text())
    mentions = pq.read_table(compact / "parquet" / "mentions.parquet").num_rows
    assert "mentions" not in coverage and coverage["mentions_summary"]["mentions"] == mentions > 0
    assert coverage["unlinked_summary"]["occurrences"] == len(full_coverage["unlinked"])
    changes = json.loads((compact / "changes.json").read_text())
    assert changes["previous"] is None and changes["tables"]["events"] == {"added": 1, "removed": 0, "changed": 0}
    assert "- added: 1 rows (keys in the table)" in (compact / "CHANGES.md").read_text()


def test_changes_against_a_compact_release_list_every_key_in_csv(tmp_path):
    build_compact(tmp_path, sample_curated(), "1.0.0")

    def edit(c):
        c["entities"][2]["description"] = "Capital of Ukraine."  # changed
        c["figures"].append({**c["figures"][0], "id": "fig:aid-2", "value": "1"})  # added

    second = build_compact(tmp_path, sample_curated(edit), "1.1.0")
    changes = json.loads((second / "changes.json").read_text())
    assert changes["previous"] == "1.0.0" and changes["keys"] == "changes.csv"
    assert changes["tables"]["entities"] == {"added": 0, "removed": 0, "changed": 1}
    with open(second / "changes.csv", encoding="utf-8", newline="") as fh:
        keys = list(csv.reader(fh))
    assert ["entities", "changed", "ent:kyiv"] in keys and ["figures", "added", "fig:aid-2"] in keys
    assert "events" not in {row[0] for row in keys}  # read from the previous release's Parquet: unchanged
    assert "- changed: 1 rows (keys in changes.csv)" in (second / "CHANGES.md").read_text()


def test_a_large_release_writes_each_table_before_deriving_the_next(tmp_path, monkeypatch):
    """Once the size says compact, no two tables' rows are held at once; the files are those of a
    release whose size was known from the start."""
    import builders.release as rel

    asked = build_compact(tmp_path / "asked", sample_curated(), "1.0.0")
    monkeypatch.setattr(wt, "FULL_OUTPUTS_MAX_ROWS", 20)  # the sample's first tables stay below it
    held, write = [], wt.TableFiles.write

    def recording(self, tables, **kwargs):
        held.append((sorted(tables), kwargs["json_copies"]))
        write(self, tables, **kwargs)

    monkeypatch.setattr(wt.TableFiles, "write", recording)
    out = tmp_path / "sized" / "releases" / "1.0.0"
    out.mkdir(parents=True)
    curated = sample_curated()
    write_release(out, out.parents[1], curated.records, curated.texts, version="1.0.0", releases=out.parent)
    assert len(held[0][0]) > 1 and all(len(names) <= 1 for names, _ in held[1:])  # the first ones waited
    assert not any(copies for _, copies in held)
    assert sum(len(names) for names, _ in held) == len(rel.TABLES)
    files = sorted(p.relative_to(asked).as_posix() for p in asked.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    for name in files:
        assert (out / name).read_bytes() == (asked / name).read_bytes(), name


def test_the_size_decides_when_not_asked(monkeypatch):
    rows = {"a": 3, "b": 2}
    assert wt.full_outputs(rows) is True
    assert wt.full_outputs(rows, complete=False) is None  # more tables could still make it large
    monkeypatch.setattr(wt, "FULL_OUTPUTS_MAX_ROWS", 4)
    assert wt.full_outputs(rows) is False
    assert wt.full_outputs({"a": 5}, complete=False) is False  # large already, whatever comes next
    assert wt.full_outputs(rows, True) is True and wt.full_outputs({}, False, complete=False) is False


def test_coverage_summary_counts_unlinked_names_and_mentions():
    from builders.coverage import summarised_coverage

    unlinked = [{"name": n, "document": "doc:a"} for n in ("Kyiv", "Ramstein", "Kyiv")]
    report = {"rule": "r", "unlinked": unlinked, "mentions": {"doc:a": {"ent:x": 2, "ent:y": 1}, "doc:b": {"ent:x": 4}}}
    summary = summarised_coverage(report)
    assert summary["unlinked_summary"] == {"occurrences": 3, "names": {"Kyiv": 2, "Ramstein": 1}}
    assert summary["mentions_summary"]["documents"] == 2 and summary["mentions_summary"]["entities"] == 2
    assert summary["mentions_summary"]["mentions"] == 7 and summary["rule"] == "r"


def test_compact_release_is_a_valid_data_package_of_gzipped_csv(tmp_path):
    """frictionless reads the gzipped CSV (``"compression": "gz"``), checks its hash and bytes, and still
    reports a tampered file; usua loads the compact release from its Parquet files."""
    import pytest

    import usua
    from builders.errors import BuildError
    from tests.test_release import _frictionless

    compact = build_compact(tmp_path, sample_curated(), "1.0.0")
    dp = json.loads((compact / "datapackage.json").read_text())
    manifest = json.loads((compact / "manifest.json").read_text())["files"]
    for r in dp["resources"]:
        assert r["path"] == f"csv/{r['name']}.csv.gz" and r["compression"] == "gz"
        assert r["hash"] == "sha256:" + manifest[r["path"]]["sha256"] and manifest[r["path"]]["table"] == r["name"]

    def errors(report):
        return [(t["name"], e["type"]) for t in report["tasks"] for e in t["errors"]] + report["errors"]

    report = _frictionless(compact / "datapackage.json")
    assert errors(report) == [] and report["valid"] is True
    tables = json.loads((compact / "manifest.json").read_text())["tables"]
    for task in report["tasks"]:  # every row read, and the hash checked is the stored (gzipped) file's
        assert task["stats"].get("rows", 0) == tables[task["name"]]["rows"]
        assert task["stats"]["sha256"] == manifest[f"csv/{task['name']}.csv.gz"]["sha256"]
    figures = compact / "csv" / "figures.csv.gz"
    good = gzip.decompress(figures.read_bytes()).decode()
    figures.write_bytes(gzip.compress(good.replace(",exact,", ",about,").encode(), mtime=0))
    assert ("figures", "hash-count") in errors(_frictionless(compact / "datapackage.json"))
    figures.write_bytes(gzip.compress(good.encode(), mtime=0))
    events = usua.load("events", release_dir=compact)
    assert len(events) == pq.read_table(compact / "parquet" / "events.parquet").num_rows > 0
    with pytest.raises(BuildError, match="figures.csv.gz changed"):
        verify_release(compact)  # the recompressed file is not the one the manifest hashed


@settings(deadline=None)
@given(st.lists(st.binary(), max_size=30), st.integers(min_value=1, max_value=40))
def test_gzip_members_hold_exactly_the_bytes_written(pieces, size):
    raw = io.BytesIO()
    with wt.GzipMembers(raw, size=size) as members:
        for piece in pieces:
            members.write(piece)
    assert gzip.decompress(raw.getvalue()) == b"".join(pieces)
    again = io.BytesIO()
    with wt.GzipMembers(again, size=size) as members:
        for piece in pieces:
            members.write(pa.py_buffer(piece))  # buffers as the CSV writer gives them: the same bytes
    assert again.getvalue() == raw.getvalue()


def test_csv_in_many_gzip_members_reads_whole_in_duckdb_polars_and_arrow(tmp_path):
    import duckdb
    import polars as pl
    import pyarrow as pa
    import pyarrow.csv as pacsv

    table = pa.table({"id": list(range(5000)), "name": [f"n,{i}" for i in range(5000)]})
    path = tmp_path / "t.csv.gz"
    with open(path, "wb") as raw, wt.GzipMembers(raw, size=1000) as members:
        from usua.formats import csv_chunks

        for chunk in csv_chunks(table, batch_rows=70):
            members.write(chunk)
    assert path.read_bytes().count(b"\x1f\x8b\x08\x00\x00\x00\x00\x00") > 10  # many members
    assert duckdb.sql(f"SELECT count(*), sum(id) FROM read_csv('{path}')").fetchall() == [(5000, sum(range(5000)))]
    assert pl.read_csv(path)["name"].to_list() == table["name"].to_pylist()
    assert pacsv.read_csv(path).num_rows == 5000


def test_a_consuming_write_frees_its_inputs_and_writes_the_same_release(tmp_path):
    """The build hands its curated records and texts over (``consume=True``) so that their memory is
    reused for the tables; the release is the same, and a caller's inputs are untouched otherwise."""
    kept, given = sample_curated(), sample_curated()
    a, b = tmp_path / "a" / "1.0.0", tmp_path / "b" / "1.0.0"
    for out in (a, b):
        out.mkdir(parents=True)
    write_release(a, tmp_path, kept.records, kept.texts, version="1.0.0", releases=a.parent)
    write_release(b, tmp_path, given.records, given.texts, version="1.0.0", releases=b.parent, consume=True)
    assert kept.records["events"] and kept.texts
    assert not given.records and not given.texts and not hasattr(given.records, "derivation")
    files = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file())
    assert all((a / f).read_bytes() == (b / f).read_bytes() for f in files)
