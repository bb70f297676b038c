"""Exporting a release to CSV files (one per table) or to one SQLite database (ready for Datasette).

Both refuse to overwrite existing output unless ``force=True`` and write to temporary files first, so a
failed export (a full disk, say) leaves what was there before untouched and says which path failed.
Files are created like any other file of the user's (mode 0666 less the umask), not private to them.
"""

from __future__ import annotations

import json
import errno
import os
import secrets
import sqlite3
from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path
from typing import Any

from .errors import UsuaError
from .formats import cell, json_default, write_csv  # noqa: F401  (cell: part of this module's public use)
from .loading import Release, load, release


def _new_file(folder: Path, prefix: str, suffix: str) -> tuple[int, str]:
    """A new, empty temporary file in ``folder`` (open for writing), made with the umask's mode:
    tempfile.mkstemp would make it 0600, and the export would keep that mode once renamed."""
    for _ in range(100):
        path = folder / f"{prefix}{secrets.token_hex(4)}{suffix}"
        try:
            return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666), str(path)
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free temporary file name", str(folder))


def _write_failed(exc: OSError, target: Path) -> UsuaError:
    hint = "free some disk space" if exc.errno in (errno.ENOSPC, errno.EDQUOT) else "check the path and its permissions"
    return UsuaError(
        f"could not write {exc.filename or target}: {exc.strerror or exc} ({hint}); "
        "nothing that was there before was changed"
    )


def _selected(rel: Release, tables: Iterable[str] | None) -> list[str]:
    known = rel.table_names
    if tables is None:
        return known
    from .errors import unknown

    names = list(tables)
    for t in names:
        if t not in known:
            raise unknown(f"table in release {rel.version}:", t, known)
    return names


def export_csv(
    out_dir: str | Path,
    *,
    version: str | None = None,
    release_dir: str | Path | None = None,
    tables: Iterable[str] | None = None,
    force: bool = False,
) -> list[Path]:
    """Write ``<out_dir>/<table>.csv`` for each table (UTF-8, header row); return the files written."""
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise UsuaError(f"{out} is a file; --out must be a folder for CSV export (give a folder name)")
    rel = release(version, release_dir)
    names = _selected(rel, tables)
    targets = [out / f"{name}.csv" for name in names]
    existing = [str(p) for p in targets if p.exists()]
    if existing and not force:
        raise UsuaError(f"{len(existing)} file(s) already exist, e.g. {existing[0]}; use --force to overwrite them")
    staged: list[tuple[str, Path]] = []
    target = out
    try:
        out.mkdir(parents=True, exist_ok=True)
        for name, target in zip(names, targets, strict=True):
            table = load(name, version=version, release_dir=release_dir, as_="arrow")
            fd, tmp = _new_file(out, f".{name}-", ".csv.tmp")
            staged.append((tmp, target))
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
                write_csv(f, table)
        for tmp, target in staged:  # only now replace anything, all files together
            os.replace(tmp, target)
    except OSError as exc:
        raise _write_failed(exc, target) from None
    finally:
        for tmp, _ in staged:
            Path(tmp).unlink(missing_ok=True)
    return targets


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _ddl(name: str, arrow_schema: Any) -> str:
    """CREATE TABLE from the table definition when this usua knows it, else from the file's schema."""
    import pyarrow as pa

    from .release_tables import TABLE_NAMES, get_table

    defn = get_table(name) if name in TABLE_NAMES else None
    cols = []
    for f in arrow_schema:
        if pa.types.is_integer(f.type) or pa.types.is_boolean(f.type):
            sql_type = "INTEGER"
        elif pa.types.is_floating(f.type):
            sql_type = "REAL"
        else:
            sql_type = "TEXT"  # strings, categories, ISO dates, JSON-encoded lists
        cols.append(f"{_quote(f.name)} {sql_type}{'' if f.nullable else ' NOT NULL'}")
    meta = arrow_schema.metadata or {}
    pk = defn.primary_key if defn else tuple(filter(None, meta.get(b"primary_key", b"").decode().split(",")))
    if pk:
        cols.append(f"PRIMARY KEY ({', '.join(map(_quote, pk))})")
    for col, table, target in defn.foreign_keys if defn else ():
        cols.append(f"FOREIGN KEY ({_quote(col)}) REFERENCES {_quote(table)} ({_quote(target)})")
    return f"CREATE TABLE {_quote(name)} (\n  " + ",\n  ".join(cols) + "\n)"


def _sqlite_value(value: Any) -> Any:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (list, tuple, dict)):
        return json.dumps(value, ensure_ascii=False, default=json_default)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def export_sqlite(
    out_file: str | Path,
    *,
    version: str | None = None,
    release_dir: str | Path | None = None,
    force: bool = False,
) -> Path:
    """Write every table of the release into one SQLite file, with primary and foreign keys."""
    out = Path(out_file)
    if out.is_dir():
        raise UsuaError(f"{out} is a folder; --out must be a file name for SQLite export, e.g. usua.db")
    if out.exists() and not force:
        raise UsuaError(f"{out} already exists; use --force to overwrite it")
    rel = release(version, release_dir)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = _new_file(out.parent, f".{out.name}-", ".tmp")
        os.close(fd)
    except OSError as exc:
        raise _write_failed(exc, out) from None
    try:
        con = sqlite3.connect(tmp)
        try:
            for name in rel.table_names:
                table = load(name, version=version, release_dir=release_dir, as_="arrow")
                con.execute(_ddl(name, table.schema))
                marks = ", ".join("?" for _ in table.column_names)
                rows = ([_sqlite_value(v) for v in row.values()] for row in table.to_pylist())
                try:
                    con.executemany(f"INSERT INTO {_quote(name)} VALUES ({marks})", rows)
                except sqlite3.IntegrityError as e:
                    raise UsuaError(
                        f"table {name} of release {rel.version} breaks a key ({e}); the release is inconsistent"
                    ) from None
            con.commit()
        finally:
            con.close()
        os.replace(tmp, out)
    except OSError as exc:
        raise _write_failed(exc, out) from None
    except sqlite3.OperationalError as exc:  # e.g. "database or disk is full"
        raise UsuaError(
            f"could not write {out}: {exc} (free some disk space, or check the folder); "
            "nothing that was there before was changed"
        ) from None
    finally:
        Path(tmp).unlink(missing_ok=True)
    return out
