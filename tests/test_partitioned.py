"""A large table written hive-partitioned by year reads back whole in DuckDB, and year filters prune."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from builders.partition import PARTITION_THRESHOLD, UNKNOWN_YEAR, write_partitioned, write_table
from benchmarks.synthetic import Corpus
from usua.models import Event
from usua.release_tables import arrow_schema, get_table

DOCS = 250


def _date_cells(prefix: str, d) -> dict:
    if d is None:
        return {}
    return {
        prefix: d.value,
        f"{prefix}_precision": d.precision,
        f"{prefix}_earliest": d.earliest,
        f"{prefix}_latest": d.latest,
        f"{prefix}_method": d.method,
        f"{prefix}_stated_as": d.stated_as,
        f"{prefix}_basis": d.basis,
    }


def _events_table(documents: int) -> pa.Table:
    """The events table of a synthetic corpus, with the release schema (unmapped columns left null)."""
    corpus = Corpus(seed=11, documents=documents)
    rows = []
    for i in range(1, documents + 1):
        for rec in corpus.document(i).records.get("events", []):
            e = Event.model_validate(rec)
            rows.append(
                {
                    "id": e.id,
                    "type": e.type,
                    "title": e.title,
                    "status": e.status,
                    "location": e.location,
                    **_date_cells("date", e.date),
                    **_date_cells("end_date", e.end_date),
                    "agreements": list(e.agreements),
                    "documents": [rec["evidence"][0]["document"]],
                }
            )
    columns = get_table("events").column_names
    data = {c: [r.get(c) for r in rows] for c in columns}
    schema = arrow_schema("events")
    arrays = []
    for f in schema:
        if pa.types.is_dictionary(f.type):
            arrays.append(pa.array(data[f.name], pa.string()).dictionary_encode().cast(f.type))
        else:
            arrays.append(pa.array(data[f.name], f.type))
    return pa.Table.from_arrays(arrays, schema=schema)


@pytest.fixture(scope="module")
def events() -> pa.Table:
    return _events_table(DOCS)


@pytest.fixture()
def dataset(events: pa.Table, tmp_path: Path) -> Path:
    written = write_partitioned(events, tmp_path / "events", "date")
    assert all(p.name == "part-0.parquet" and p.parent.name.startswith("year=") for p in written)
    return tmp_path / "events"


def _read(folder: Path) -> str:
    return f"read_parquet('{folder.as_posix()}/*/*.parquet', hive_partitioning=true)"


def test_duckdb_reads_every_row_with_the_release_types(events: pa.Table, dataset: Path) -> None:
    con = duckdb.connect()
    assert con.execute(f"select count(*) from {_read(dataset)}").fetchone()[0] == events.num_rows
    types = dict(
        con.execute(f"select column_name, column_type from (describe select * from {_read(dataset)})").fetchall()
    )
    assert types["id"] == "VARCHAR" and types["date_earliest"] == "DATE" and types["agreements"] == "VARCHAR[]"
    assert types["year"] == "VARCHAR"  # 'unknown' makes the key text
    assert set(types) == {*events.column_names, "year"}
    ids = {r[0] for r in con.execute(f"select id from {_read(dataset)}").fetchall()}
    assert ids == set(events.column("id").to_pylist())


def test_each_year_folder_holds_exactly_that_years_rows(events: pa.Table, dataset: Path) -> None:
    folders = sorted(p.name for p in dataset.iterdir())
    assert f"year={UNKNOWN_YEAR}" in folders and len(folders) > 5
    for folder in dataset.iterdir():
        part = pq.read_table(folder / "part-0.parquet")
        assert part.schema.equals(events.schema, check_metadata=False)
        years = set(pc.year(part.column("date_earliest")).to_pylist())
        want = {None} if folder.name == f"year={UNKNOWN_YEAR}" else {int(folder.name.split("=")[1])}
        assert years == want


def test_year_filter_prunes_other_partitions(events: pa.Table, dataset: Path) -> None:
    year = 2020
    expected = pc.sum(pc.equal(pc.year(events.column("date_earliest")), year)).as_py()
    assert expected > 0
    # Damage the other years' files (DuckDB takes the schema from the first file, so that one stays):
    # the query can only succeed if DuckDB never opens them.
    folders = sorted(dataset.iterdir())
    for folder in folders[1:]:
        if folder.name != f"year={year}":
            (folder / "part-0.parquet").write_bytes(b"not parquet")
    con = duckdb.connect()
    got = con.execute(f"select count(*) from {_read(dataset)} where year = '{year}'").fetchone()[0]
    assert got == expected
    with pytest.raises(duckdb.Error):
        con.execute(f"select count(*) from {_read(dataset)}").fetchone()


def test_write_table_partitions_only_above_the_threshold(events: pa.Table, tmp_path: Path) -> None:
    assert events.num_rows < PARTITION_THRESHOLD
    single = write_table(events, "events", tmp_path / "a")
    assert [p.relative_to(tmp_path / "a").as_posix() for p in single] == ["events.parquet"]
    parts = write_table(events, "events", tmp_path / "b", threshold=events.num_rows - 1)
    assert len(parts) > 5 and all(p.relative_to(tmp_path / "b").parts[0] == "events" for p in parts)
    # A table without a date column stays one file whatever its size.
    assert len(write_table(events.select(["id"]).rename_columns(["id"]), "redirects", tmp_path / "c", threshold=0)) == 1


def test_partitioned_output_is_reproducible(events: pa.Table, tmp_path: Path) -> None:
    a = write_partitioned(events, tmp_path / "a", "date")
    b = write_partitioned(events, tmp_path / "b", "date")
    assert [p.read_bytes() for p in a] == [p.read_bytes() for p in b]
