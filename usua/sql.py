"""SQL over a release with DuckDB (the optional extra ``usua[sql]``): each table is a view over its
verified Parquet file (or files, when partitioned), so queries read the release in place.

Read-only: ``query`` runs one SELECT (or EXPLAIN) statement and refuses anything else (COPY, ATTACH,
INSTALL, SET...) by its statement type; the connection may read only the release's own files and
cannot change that (DuckDB's ``allowed_paths``, ``enable_external_access`` and ``lock_configuration``),
so not even a function inside a SELECT can read or write other files."""

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
    """An in-memory, read-only DuckDB connection with one view per release table."""
    duckdb = _duckdb()
    rel = release(version, release_dir)
    con = duckdb.connect()
    files: list[str] = []
    for name in rel.table_names:
        found = rel.table_file(name)  # one file, or a list of year partitions
        paths = [str(Path(p).resolve()) for p in (found if isinstance(found, list) else [found])]
        files.extend(paths)
        listed = ", ".join("'" + p.replace("'", "''") + "'" for p in paths)
        con.execute(f'CREATE VIEW "{name}" AS SELECT * FROM read_parquet([{listed}])')
    try:
        con.execute("SET allowed_paths = [" + ", ".join("'" + p.replace("'", "''") + "'" for p in files) + "]")
        con.execute("SET enable_external_access = false")
    except duckdb.Error:  # DuckDB before 1.2 has no allowed_paths: the statement check alone applies
        pass
    con.execute("SET lock_configuration = true")
    return con


#: Statement types ``query`` runs: those that only read.
READ_ONLY_STATEMENTS = ("SELECT", "EXPLAIN")


def _check_read_only(con: Any, sql: str) -> None:
    statements = con.extract_statements(sql)
    if len(statements) != 1:
        raise UsuaError(f"give one SQL statement, not {len(statements)}")
    kind = str(statements[0].type).rsplit(".", 1)[-1]
    if kind not in READ_ONLY_STATEMENTS:
        raise UsuaError(
            f"only queries are run (SELECT, WITH ... SELECT, DESCRIBE, SHOW, EXPLAIN), not {kind} "
            "statements: the release is read-only"
        )


def query(
    sql: str, *, version: str | None = None, release_dir: str | Path | None = None
) -> tuple[list[str], list[tuple]]:
    """Run one read-only SQL statement (a query); return the column names and the rows."""
    duckdb = _duckdb()
    con = connect(version=version, release_dir=release_dir)
    try:
        _check_read_only(con, sql)
        result = con.sql(sql)
        if result is None:  # a statement without a result set
            return [], []
        return list(result.columns), result.fetchall()
    except duckdb.Error as e:
        first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        raise UsuaError(f"the query failed: {first}") from None
    finally:
        con.close()
