"""Commands for using the data: tables, info, versions, show, download, export, sql.

Errors are one line on stderr with exit status 1 (2 for a malformed command line), never a traceback.
Colour and progress bars appear only on a terminal (rich decides, and honours NO_COLOR).
"""

from __future__ import annotations

import functools
import json
import sys
from enum import Enum
from pathlib import Path
from typing import Any, Callable, Optional

import typer

from .typer_app import app

ReleaseOpt = typer.Option(
    None,
    "--release",
    metavar="VERSION",
    help="Release version to read (default: the bundled one; others are downloaded once and cached).",
)
ReleaseDirOpt = typer.Option(
    None, "--release-dir", metavar="DIR", help="Read a release folder instead (one holding manifest.json)."
)


class Usage(Exception):
    """A malformed command line: reported like other errors but with exit status 2."""


def _console(stderr: bool = False) -> Any:
    from rich.console import Console

    return Console(stderr=stderr, highlight=False)


def _fail(message: str, code: int) -> None:
    for line in message.splitlines() or [""]:
        if line.strip():
            print(f"usua: error: {line.strip()}", file=sys.stderr)
    raise typer.Exit(code)


def _warn(message: Warning | str, *args: Any, **kwargs: Any) -> None:
    print(f"usua: warning: {message}", file=sys.stderr)


def friendly(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Turn the errors a user can cause into one-line messages and exit statuses."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        import warnings

        from ..downloading import UnpinnedReleaseWarning
        from ..errors import UsuaError

        try:
            with warnings.catch_warnings():
                warnings.simplefilter("always", UnpinnedReleaseWarning)
                warnings.showwarning = _warn
                return fn(*args, **kwargs)
        except Usage as e:
            _fail(str(e), 2)
        except UsuaError as e:
            _fail(str(e), 1)
        except OSError as e:
            where = f" ({e.filename})" if e.filename else ""
            _fail(f"{e.strerror or e}{where}", 1)

    return wrapper


def _split(value: str | None) -> list[str] | None:
    return None if value is None else [v.strip() for v in value.split(",") if v.strip()]


def _rich_table(columns: list[str], rows: list[list[str]], title: str | None = None) -> Any:
    from rich.table import Table

    t = Table(title=title, show_lines=False, header_style="bold")
    for c in columns:
        t.add_column(c, overflow="fold")
    for r in rows:
        t.add_row(*r)
    return t


@app.command("tables")
@friendly
def tables_cmd(
    release: Optional[str] = ReleaseOpt,
    release_dir: Optional[Path] = ReleaseDirOpt,
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
) -> None:
    """List the tables of a release with their row counts."""
    from ..loading import tables

    df = tables(version=release, release_dir=release_dir)
    if as_json:
        print(json.dumps(df.to_dicts(), indent=2, ensure_ascii=False))
        return
    rows = [[r["table"], str(r["rows"]), r["description"]] for r in df.to_dicts()]
    _console().print(_rich_table(["table", "rows", "description"], rows))


@app.command("info")
@friendly
def info_cmd(
    release: Optional[str] = ReleaseOpt,
    release_dir: Optional[Path] = ReleaseDirOpt,
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of text."),
) -> None:
    """Show which release is in use: versions, location, row counts, source documents."""
    from ..loading import info

    data = info(version=release, release_dir=release_dir)
    if as_json:
        print(json.dumps(data, indent=2, ensure_ascii=False, default=str))
        return
    con = _console()
    con.print(
        f"[bold]{data['dataset']} {data['dataset_version']}[/bold] (schema {data['schema_version']}, "
        f"package {data['package_version']})"
    )
    con.print(f"{data['location']}: {data['path']}", markup=False)
    total = sum(n or 0 for n in data["tables"].values())
    con.print(f"{len(data['tables'])} tables, {total} rows")
    docs = [
        [d.get("id") or "", d.get("published") or "", d.get("publisher") or "", d.get("title") or ""]
        for d in data["documents"]
    ]
    con.print(_rich_table(["document", "published", "publisher", "title"], docs, title="Sources"))


@app.command("versions")
@friendly
def versions_cmd() -> None:
    """List the release versions available offline (bundled and cached)."""
    from ..loading import versions

    rows = [[v["version"], v["location"], v["path"]] for v in versions()]
    _console().print(_rich_table(["version", "location", "path"], rows))


def _where(df: Any, clauses: list[str], table: str) -> Any:
    import polars as pl

    for clause in clauses:
        col, sep, value = clause.partition("=")
        col = col.strip()
        if not sep or not col:
            raise Usage(f"--where {clause!r} is not of the form column=value (e.g. --where status=happened)")
        if col not in df.columns:
            raise Usage(f"--where: table {table} has no column {col!r}; its columns: {', '.join(df.columns)}")
        dtype = df.schema[col]
        if value == "":
            cond = pl.col(col).is_null()
        elif isinstance(dtype, pl.List):
            cond = pl.col(col).list.contains(pl.lit(value))
        else:
            cond = pl.col(col).cast(pl.String) == value
        df = df.filter(cond)
    return df


@app.command("show")
@friendly
def show_cmd(
    table: str = typer.Argument(..., help="Table name (see `usua tables`)."),
    where: list[str] = typer.Option(
        [],
        "--where",
        metavar="COLUMN=VALUE",
        help="Keep rows whose column equals the value (list columns: contain it; empty value: is null). Repeatable.",
    ),
    columns: Optional[str] = typer.Option(None, "--columns", metavar="A,B", help="Comma-separated columns to show."),
    limit: int = typer.Option(20, "--limit", min=0, help="Show at most this many rows (0: all)."),
    release: Optional[str] = ReleaseOpt,
    release_dir: Optional[Path] = ReleaseDirOpt,
) -> None:
    """Print rows of a table as a readable table."""
    from ..formats import cell
    from ..loading import load

    df = load(table, version=release, release_dir=release_dir)
    df = _where(df, where, table)
    cols = _split(columns)
    if cols:
        missing = [c for c in cols if c not in df.columns]
        if missing:
            raise Usage(
                f"--columns: table {table} has no column {', '.join(map(repr, missing))}; its columns: {', '.join(df.columns)}"
            )
        df = df.select(cols)
    matched = df.height
    if limit:
        df = df.head(limit)
    rows = [[cell(v) for v in r] for r in df.iter_rows()]
    title = f"{table}: {len(rows)} of {matched} rows"
    _console().print(_rich_table(df.columns, rows, title=title))


@app.command("download")
@friendly
def download_cmd(
    version: Optional[str] = typer.Argument(None, help="Release version (default: the bundled version)."),
    base_url: Optional[str] = typer.Option(
        None, "--base-url", help="Server holding the releases (default: $USUA_BASE_URL or the built-in address)."
    ),
    tables: Optional[str] = typer.Option(None, "--tables", metavar="A,B", help="Only these tables' Parquet files."),
    allow_unpinned: bool = typer.Option(
        False,
        "--allow-unpinned",
        help="Accept a version this package's registry of published releases does not list (its manifest is then unchecked; also: USUA_ALLOW_UNPINNED=1).",
    ),
    timeout: Optional[float] = typer.Option(
        None,
        "--timeout",
        metavar="SECONDS",
        min=0.001,
        help="Seconds each file may take in all (default: $USUA_DOWNLOAD_TIMEOUT or 300).",
    ),
) -> None:
    """Download a release version into the cache, checking the manifest against the package's
    registry of published releases and every file against the manifest."""
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn

    from ..downloading import download

    con = _console(stderr=True)
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        console=con,
        disable=not con.is_terminal,
        transient=True,
    ) as bar:
        task = None

        def progress(rel: str, nbytes: int, total: int) -> None:
            nonlocal task
            if task is None:
                task = bar.add_task("downloading", total=total)
            bar.update(task, advance=nbytes, description=rel)

        path = download(
            version,
            _split(tables),
            base_url=base_url,
            progress=progress,
            allow_unpinned=allow_unpinned or None,
            timeout=timeout,
        )
    print(path)


class ExportFormat(str, Enum):
    csv = "csv"
    sqlite = "sqlite"


@app.command("export")
@friendly
def export_cmd(
    fmt: ExportFormat = typer.Option(
        ..., "--format", help="csv: one file per table in a folder; sqlite: one database file."
    ),
    out: Path = typer.Option(..., "--out", help="Folder (csv) or file (sqlite) to write."),
    force: bool = typer.Option(False, "--force", help="Overwrite existing files."),
    release: Optional[str] = ReleaseOpt,
    release_dir: Optional[Path] = ReleaseDirOpt,
) -> None:
    """Export every table to CSV (lists as JSON) or to a SQLite database with its Datasette metadata."""
    from ..export import export_csv, export_sqlite

    if fmt is ExportFormat.csv:
        files = export_csv(out, version=release, release_dir=release_dir, force=force)
        print(f"wrote {len(files)} CSV files to {out}")
    else:
        from ..datasette import write_datasette_metadata

        export_sqlite(out, version=release, release_dir=release_dir, force=force)
        meta = write_datasette_metadata(out, version=release, release_dir=release_dir)
        print(f"wrote {out} and {meta} (browse: datasette {out} -m {meta})")


class SqlFormat(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"


@app.command("sql")
@friendly
def sql_cmd(
    query: str = typer.Argument(..., help="A SQL query; every table is a view, e.g. SELECT * FROM events."),
    fmt: SqlFormat = typer.Option(SqlFormat.table, "--format", help="table, csv or json."),
    release: Optional[str] = ReleaseOpt,
    release_dir: Optional[Path] = ReleaseDirOpt,
) -> None:
    r"""Query the release with SQL (needs DuckDB: pip install 'usua\[sql]')."""
    from ..formats import cell
    from ..sql import query as run

    columns, rows = run(query, version=release, release_dir=release_dir)
    if fmt is SqlFormat.json:
        from ..formats import json_default

        print(
            json.dumps(
                [dict(zip(columns, r, strict=True)) for r in rows], indent=2, ensure_ascii=False, default=json_default
            )
        )
    elif fmt is SqlFormat.csv:
        import csv

        w = csv.writer(sys.stdout, lineterminator="\n")
        w.writerow(columns)
        w.writerows([cell(v) for v in r] for r in rows)
    else:
        _console().print(_rich_table(columns, [[cell(v) for v in r] for r in rows]))
