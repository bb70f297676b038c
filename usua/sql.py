"""SQL over a release with DuckDB (the optional extra ``usua[sql]``): each table is a view over its
verified Parquet file, so queries read the release in place."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .errors import UsuaError
from .loading import release

MISSING_DUCKDB = "SQL queries need DuckDB, which is not installed: pip install 'usua[sql]'"


def _duckdb() -> Any:
    try:
        import duckdb
    except ImportError:
        raise UsuaError(MISSING_DUCKDB) from None
    return duckdb


def connect(*, version: str | None = None, release_dir: str | Path | None = None) -> Any:
    """An in-memory DuckDB connection with one view per release table."""
    duckdb = _duckdb()
    rel = release(version, release_dir)
    con = duckdb.connect()
    for name in rel.table_names:
        found = rel.table_file(name)  # one file, or a list of year partitions
        paths = ", ".join("'" + str(p).replace("'", "''") + "'" for p in (found if isinstance(found, list) else [found]))
        con.execute(f'CREATE VIEW "{name}" AS SELECT * FROM read_parquet([{paths}])')
    return con


def query(sql: str, *, version: str | None = None, release_dir: str | Path | None = None) -> tuple[list[str], list[tuple]]:
    """Run one SQL statement; return the column names and the rows."""
    duckdb = _duckdb()
    con = connect(version=version, release_dir=release_dir)
    try:
        result = con.sql(sql)
        if result is None:  # a statement without a result set
            return [], []
        return list(result.columns), result.fetchall()
    except duckdb.Error as e:
        first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        raise UsuaError(f"the query failed: {first}") from None
    finally:
        con.close()
