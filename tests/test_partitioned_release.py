"""A release whose large tables are partitioned by year loads exactly like an unpartitioned one."""

from __future__ import annotations

import json

import duckdb
import polars as pl
from polars.testing import assert_frame_equal

import usua
from builders.release import write_release
from tests.test_build import sample_curated


def _build(tmp_path, name: str, threshold: int):
    curated = sample_curated()
    out = tmp_path / name / "1.0.0"
    out.mkdir(parents=True)
    write_release(
        out,
        tmp_path,
        curated.records,
        curated.texts,
        version="1.0.0",
        releases=tmp_path / name,
        partition_threshold=threshold,
    )
    return out


def test_partitioned_tables_load_like_single_files(tmp_path):
    whole = _build(tmp_path, "whole", threshold=10**9)
    parts = _build(tmp_path, "parts", threshold=0)
    assert (whole / "parquet" / "events.parquet").exists()
    assert not (parts / "parquet" / "events.parquet").exists()
    years = sorted(p.parent.name for p in (parts / "parquet" / "events").glob("year=*/part-0.parquet"))
    assert years and all(y.startswith("year=") for y in years)

    for table in ("events", "documents", "statements", "evidence"):
        a = usua.load(table, release_dir=whole)
        b = usua.load(table, release_dir=parts)
        assert_frame_equal(a.sort(a.columns[:2]), b.sort(b.columns[:2]))
        assert usua.load(table, release_dir=parts, as_="arrow").num_rows == a.height

    manifest = json.loads((parts / "manifest.json").read_text())
    part_files = {rel: m for rel, m in manifest["files"].items() if rel.startswith("parquet/events/")}
    assert sum(m["rows"] for m in part_files.values()) == manifest["tables"]["events"]["rows"]
    twin = next(r for r in json.loads((parts / "datapackage.json").read_text())["resources"] if r["name"] == "events")
    assert twin["x-parquet"]["partitioning"] == "hive" and sorted(twin["x-parquet"]["files"]) == sorted(part_files)

    # engines read the folder with the year as a partition column and prune on it
    glob = (parts / "parquet" / "events" / "*" / "*.parquet").as_posix()
    n = duckdb.sql(f"SELECT count(*) FROM read_parquet('{glob}', hive_partitioning=true)").fetchall()[0][0]
    assert n == manifest["tables"]["events"]["rows"]
    first = years[0].removeprefix("year=")
    by_year = duckdb.sql(
        f"SELECT count(*) FROM read_parquet('{glob}', hive_partitioning=true) WHERE year = '{first}'"
    ).fetchall()[0][0]
    assert by_year == pl.read_parquet(parts / "parquet" / "events" / years[0] / "part-0.parquet").height


def test_sql_views_cover_every_partition(tmp_path):
    from usua.sql import connect

    parts = _build(tmp_path, "parts", threshold=0)
    rows = json.loads((parts / "manifest.json").read_text())["tables"]["events"]["rows"]
    assert connect(release_dir=parts).sql('SELECT count(*) FROM "events"').fetchall()[0][0] == rows
