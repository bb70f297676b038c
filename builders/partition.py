"""Writing a large table as a hive-partitioned Parquet dataset, one folder per year.

A release table becomes ``parquet/<table>/year=YYYY/part-0.parquet`` instead of one
``parquet/<table>.parquet`` once it has more than ``PARTITION_THRESHOLD`` rows. The year comes from
the table's date column ``<date>_earliest``; rows whose date is unknown or open at the start go to
``year=unknown``. Query engines (DuckDB, Spark, Trino, polars) read the folder as one table with an
extra ``year`` column and skip whole folders when a query filters on it (partition pruning).

Why 1,000,000 rows: below that a table is a few tens of MB of Parquet, which every engine reads whole
faster than it lists and opens a dozen small files; above it, most queries ask for a few years and
pruning saves reading the rest. Tables of the curated dataset are far below it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

#: Tables with more rows than this are written partitioned by year.
PARTITION_THRESHOLD = 1_000_000

#: The date column whose ``_earliest`` day gives each table's partition year.
PARTITION_DATE_COLUMN: dict[str, str] = {
    "documents": "published",
    "events": "date",
    "statements": "date",
    "roles": "attested",
    "agreements": "signed",
    "figures": "period",
}

UNKNOWN_YEAR = "unknown"
#: Parquet options used for every file; fixed so that the same table gives the same bytes.
WRITE_OPTIONS: dict[str, Any] = {"compression": "zstd", "write_statistics": True}


def partition_years(table: Any, date_column: str) -> Any:
    """The partition key of every row: its year as text, or 'unknown' when the date has no start."""
    import pyarrow as pa
    import pyarrow.compute as pc

    earliest = table.column(f"{date_column}_earliest")
    years = pc.cast(pc.year(earliest), pa.string())
    return pc.fill_null(years, UNKNOWN_YEAR)


def write_partitioned(table: Any, folder: Path, date_column: str, **options: Any) -> list[Path]:
    """Write ``table`` under ``folder`` as ``year=YYYY/part-0.parquet`` files; return their paths.

    Rows keep their order within each year; the schema (with its metadata) is the table's own, so
    every part has the same columns and types. The ``year`` key lives only in the folder names.
    """
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    keys = partition_years(table, date_column)
    written = []
    for year in sorted(pc.unique(keys).to_pylist()):
        part = table.filter(pc.equal(keys, year))
        path = folder / f"year={year}" / "part-0.parquet"
        path.parent.mkdir(parents=True, exist_ok=True)
        pq.write_table(part, path, **{**WRITE_OPTIONS, **options})
        written.append(path)
    return written


def write_table(
    table: Any, name: str, parquet_dir: Path, *, threshold: int = PARTITION_THRESHOLD, **options: Any
) -> list[Path]:
    """Write a release table: one ``<name>.parquet`` file, or a partitioned ``<name>/`` folder when the
    table has more than ``threshold`` rows and a date column to partition on. Returns the files written."""
    import pyarrow.parquet as pq

    date_column = PARTITION_DATE_COLUMN.get(name)
    if date_column is not None and table.num_rows > threshold:
        return write_partitioned(table, parquet_dir / name, date_column, **options)
    path = parquet_dir / f"{name}.parquet"
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, path, **{**WRITE_OPTIONS, **options})
    return [path]
