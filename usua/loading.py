"""Loading release tables: the bundled release (offline), a cached or downloaded version, or a folder.

A release is a folder with ``manifest.json`` (every file's size and sha256) and each table's Parquet: one
file, ``parquet/<table>.parquet``, or year partitions under ``parquet/<table>/`` (``usua.release_folder``).
Hashes are verified once per file when a download enters the cache, and otherwise only when asked:
``load(..., verify=True)`` (once per file and process). Every load checks the file's size against the
manifest (a ``stat``), so a truncated or half-replaced file is still refused, naming both hashes; the
bundled release was checked against the wheel's record by the installer. A first ``load`` in a fresh
process thus costs about what ``polars.read_parquet`` costs (benchmarks/bench_load.py).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal

from .downloading import versions
from .errors import UsuaError, unknown
from .release_folder import Release, _stamp, bundled_release, check_version, read_release_dir

__all__ = [
    "Format",
    "Release",
    "bundled_release",
    "clear_caches",
    "info",
    "load",
    "load_records",
    "release",
    "scan",
    "tables",
    "versions",
]

Format = Literal["polars", "arrow", "lazy"]

_releases: dict[tuple[str | None, str | None], Release] = {}


def release(version: str | None = None, release_dir: str | Path | None = None) -> Release:
    """Resolve which release to read: a folder, the bundled one, the cache, or a download."""
    key = (version, None if release_dir is None else str(release_dir))
    found = _releases.get(key)
    # A release folder rewritten in place (a rebuild of the checkout's release) is read again.
    if found is not None and _stamp(found.path / "manifest.json") == found.stamp:
        return found
    if release_dir is not None:
        found = read_release_dir(Path(release_dir), "folder")
        if version is not None and found.version != version:
            raise UsuaError(f"{release_dir} holds release {found.version}, not {version}")
    else:
        bundled = bundled_release()
        if version is None or (bundled is not None and bundled.version == version):
            if bundled is None:
                raise UsuaError(
                    "this installation has no bundled release (usua/_release is missing; in a checkout, "
                    "dataset/releases/<version> is: run make release); reinstall usua, "
                    "or pass version= to download one or release_dir= to read a folder"
                )
            found = bundled
        else:
            check_version(version)
            from .downloading import download, fetch_files

            found = read_release_dir(download(version, tables=[]), "cache", fetch_files)
    _releases[key] = found
    return found


def load(
    table: str,
    *,
    version: str | None = None,
    as_: Format = "polars",
    release_dir: str | Path | None = None,
    columns: list[str] | None = None,
    verify: bool = False,
) -> Any:
    """One release table: a polars DataFrame (default), a pyarrow Table (``as_="arrow"``) or a polars
    LazyFrame (``as_="lazy"``). Reads the bundled release unless ``version`` or ``release_dir`` is given.
    ``verify=True`` also compares the file's sha256 with the manifest (its size is always compared)."""
    path = release(version, release_dir).table_file(table, verify=verify)
    if as_ == "polars":
        import polars as pl

        return pl.read_parquet(path, columns=columns)
    if as_ == "lazy":
        import polars as pl

        lf = pl.scan_parquet(path)
        return lf.select(columns) if columns else lf
    if as_ == "arrow":
        import pyarrow.parquet as pq

        if isinstance(path, list):
            import pyarrow as pa

            return pa.concat_tables([pq.read_table(p, columns=columns) for p in path])
        return pq.read_table(path, columns=columns)
    raise UsuaError(f"unknown as_={as_!r}; use 'polars', 'arrow' or 'lazy'")


def scan(table: str, *, version: str | None = None, release_dir: str | Path | None = None, verify: bool = False) -> Any:
    """A polars LazyFrame over one release table (filters and projections are pushed into the Parquet read)."""
    return load(table, version=version, release_dir=release_dir, as_="lazy", verify=verify)


def load_records(
    section: str, *, version: str | None = None, release_dir: str | Path | None = None, verify: bool = False
) -> list[Any]:
    """The full nested records of one contribution section ('events', 'entities'...) as validated
    pydantic models, from ``records/<section>.json`` (``verify`` as for ``load``)."""
    from .models.contribution import SECTIONS

    if section not in SECTIONS:
        raise unknown("record section", section, list(SECTIONS))
    rel = release(version, release_dir)
    path = rel.file(f"records/{section}.json", verify=verify)
    model = SECTIONS[section]
    out = []
    for i, row in enumerate(json.loads(path.read_bytes())):
        try:
            out.append(model.model_validate(row))
        except ValueError as e:  # pydantic's ValidationError is a ValueError
            first = str(e).splitlines()[1:3]
            raise UsuaError(
                f"{path}: record {i} ({row.get('id', '?')}) does not fit the models of this usua "
                f"({' '.join(s.strip() for s in first)}); install the usua version made for schema "
                f"{rel.manifest.get('schema_version')}"
            ) from None
    return out


def tables(*, version: str | None = None, release_dir: str | Path | None = None) -> Any:
    """A polars DataFrame of the release's tables: name, rows and description."""
    import polars as pl

    from .release_tables import TABLE_NAMES, get_table

    rel = release(version, release_dir)
    rows = [
        {
            "table": name,
            "rows": int(meta.get("rows", 0)) if isinstance(meta, dict) else 0,
            "description": get_table(name).description if name in TABLE_NAMES else "",
        }
        for name, meta in ((n, rel.manifest["tables"][n]) for n in rel.table_names)
    ]
    return pl.DataFrame(rows, schema={"table": pl.String, "rows": pl.Int64, "description": pl.String})


def info(*, version: str | None = None, release_dir: str | Path | None = None) -> dict[str, Any]:
    """What a release is: versions, where it lives, row counts and the source documents."""
    from .version import __version__

    rel = release(version, release_dir)
    m = rel.manifest
    documents: list[dict[str, Any]] = []
    if "documents" in m["tables"]:
        cols = ["id", "title", "publisher", "published", "url", "redistributable"]
        df = load("documents", version=version, release_dir=release_dir)
        documents = df.select([c for c in cols if c in df.columns]).to_dicts()
    return {
        "dataset": m["dataset"],
        "dataset_version": rel.version,
        "schema_version": m.get("schema_version"),
        "package_version": __version__,
        "location": rel.location,
        "path": str(rel.path),
        "tables": {name: (m["tables"][name] or {}).get("rows") for name in rel.table_names},
        "documents": documents,
    }


def clear_caches() -> None:
    """Forget resolved releases and verified files (for tests and long-lived processes)."""
    from . import release_folder

    _releases.clear()
    release_folder._verified.clear()
