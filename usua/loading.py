"""Loading release tables: the bundled release (offline), a cached or downloaded version, or a folder.

A release is a folder with ``manifest.json`` (every file's sha256) and ``parquet/<table>.parquet``.
Each file is checked against the manifest the first time it is used in a process, so a damaged
install or cache is caught, while repeated loads cost only a ``stat`` on top of reading the Parquet.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from .errors import UsuaError

#: The release shipped inside the package (an exact copy of dataset/releases/<version>/).
BUNDLED_DIR = Path(__file__).resolve().parent / "_release"

VERSION_RE = re.compile(r"^\d+\.\d+\.\d+(?:-[0-9A-Za-z.]+)?$")
# Release-relative paths as the manifest lists them; nothing may point outside the release folder.
# ("=" for hive partition folders such as parquet/events/year=2022/).
_SAFE_PATH_RE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9._=-]*(?:/[A-Za-z0-9_][A-Za-z0-9._=-]*)*$")

Format = Literal["polars", "arrow", "lazy"]
#: A manifest lists every file of a release in a few hundred bytes each; anything larger is refused
#: before it is read (a 1.0.0 manifest is about 40 KB).
MANIFEST_MAX_BYTES = 4 << 20


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


# (path, size, mtime_ns) -> verified sha256. Keyed on size and mtime so a file replaced on disk is
# checked again, while an unchanged one is hashed at most once per process.
_verified: dict[tuple[str, int, int], str] = {}


def verify_file(path: Path, expected: str, shown_as: str, *, damaged_hint: str) -> Path:
    """Return ``path`` if its sha256 is ``expected``; otherwise raise a UsuaError naming both hashes."""
    try:
        st = path.stat()
    except FileNotFoundError:
        raise UsuaError(f"{shown_as} is missing; {damaged_hint}") from None
    key = (str(path), st.st_size, st.st_mtime_ns)
    if _verified.get(key) == expected:
        return path
    actual = sha256_file(path)
    if actual != expected:
        raise UsuaError(
            f"{shown_as} does not match its manifest (expected sha256 {expected}, got {actual}); {damaged_hint}"
        )
    _verified[key] = expected
    return path


def parse_manifest(data: bytes, shown_as: str) -> dict[str, Any]:
    """Read and sanity-check a manifest; a wrong one is refused before any of its files is used."""
    try:
        manifest = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise UsuaError(f"{shown_as} is not valid JSON ({e}); the release is damaged") from None
    except RecursionError:
        raise UsuaError(f"{shown_as} is nested too deeply to be a manifest; the release is damaged") from None
    if not isinstance(manifest, dict) or manifest.get("dataset") != "usua":
        raise UsuaError(f"{shown_as} is not a usua release manifest (its \"dataset\" is not \"usua\")")
    files = manifest.get("files")
    if not isinstance(manifest.get("dataset_version"), str) or not isinstance(files, dict):
        raise UsuaError(f"{shown_as} lacks \"dataset_version\" or \"files\"; the release is damaged")
    for rel, meta in files.items():
        if not _SAFE_PATH_RE.fullmatch(rel) or ".." in rel.split("/"):
            raise UsuaError(f"{shown_as} lists an unsafe file path {rel!r}; the release is refused")
        if not isinstance(meta, dict) or not re.fullmatch(r"[0-9a-f]{64}", str(meta.get("sha256", ""))):
            raise UsuaError(f"{shown_as}: file {rel!r} has no valid sha256; the release is damaged")
        if not _count_or_none(meta.get("bytes")):
            raise UsuaError(f"{shown_as}: file {rel!r} has a \"bytes\" that is not a whole number; the release is damaged")
    tables = manifest.setdefault("tables", {})
    if not isinstance(tables, dict):
        raise UsuaError(f"{shown_as}: \"tables\" is not a mapping of table names; the release is damaged")
    for name, meta in tables.items():
        if not isinstance(meta, dict) or not _count_or_none(meta.get("rows")):
            raise UsuaError(f"{shown_as}: table {name!r} is not of the form {{\"rows\": <whole number>}}; "
                            "the release is damaged")
    return manifest


def _count_or_none(value: Any) -> bool:
    return value is None or (isinstance(value, int) and not isinstance(value, bool) and value >= 0)


def unknown(what: str, name: str, known: list[str] | tuple[str, ...]) -> UsuaError:
    close = difflib.get_close_matches(name, known, n=1)
    did_you_mean = f" (did you mean {close[0]!r}?)" if close else ""
    return UsuaError(f"unknown {what} {name!r}{did_you_mean}; known: {', '.join(known) or 'none'}")


@dataclass
class Release:
    """One release folder on disk and its manifest."""

    path: Path
    manifest: dict[str, Any]
    location: str  # "bundled" | "cache" | "folder"
    stamp: tuple[int, int] = (0, 0)  # manifest's (size, mtime_ns) when read

    @property
    def version(self) -> str:
        return self.manifest["dataset_version"]

    @property
    def table_names(self) -> list[str]:
        """The release's tables in the order of usua.release_tables.TABLES (unknown ones last)."""
        from .release_tables import TABLE_NAMES

        return sorted(self.manifest["tables"], key=lambda name: _table_order(name, TABLE_NAMES))

    def file(self, rel: str) -> Path:
        """The verified local path of a release-relative file, fetching it first for a cached version."""
        meta = self.manifest["files"].get(rel)
        if meta is None:
            raise UsuaError(f"release {self.version} has no file {rel} (see {self.path / 'manifest.json'})")
        path = self.path / rel
        if self.location == "cache" and not path.exists():
            from .downloading import fetch_files

            fetch_files(self, [rel])
        if self.location == "bundled":
            hint = "the installed package is damaged: reinstall usua"
        elif self.location == "cache":
            hint = f"delete {self.path} and download version {self.version} again"
        else:
            hint = "the release folder is damaged or was edited: rebuild or re-download it"
        try:
            return verify_file(path, meta["sha256"], str(path), damaged_hint=hint)
        except UsuaError:
            if self.location == "cache":
                path.unlink(missing_ok=True)  # a bad file is never left in the cache to be used later
            raise

    def table_file(self, table: str) -> Path | list[Path]:
        """The verified Parquet file of a table, or its verified part files when the table is
        partitioned by year (parquet/<table>/year=YYYY/part-0.parquet, for very large tables)."""
        if table not in self.manifest["tables"]:
            raise unknown(f"table in release {self.version}:", table, self.table_names)
        files = table_parquet_files(self.manifest, table)
        if files == [f"parquet/{table}.parquet"]:
            return self.file(files[0])
        return [self.file(rel) for rel in files]


def table_parquet_files(manifest: dict[str, Any], table: str) -> list[str]:
    """Release-relative Parquet files of a table: its one file, or its year partitions."""
    single = f"parquet/{table}.parquet"
    if single in manifest["files"]:
        return [single]
    prefix = f"parquet/{table}/"
    return sorted(rel for rel in manifest["files"] if rel.startswith(prefix))


def read_release_dir(path: Path, location: str) -> Release:
    path = Path(path)
    if not path.exists():
        raise UsuaError(f"release folder {path} does not exist")
    if not path.is_dir():
        raise UsuaError(f"{path} is a file, not a release folder (give the folder that holds manifest.json)")
    manifest_path = path / "manifest.json"
    if not manifest_path.is_file():
        raise UsuaError(f"{path} is not a release folder: it has no manifest.json")
    stamp = _stamp(manifest_path)
    if stamp[0] > MANIFEST_MAX_BYTES:
        raise UsuaError(f"{manifest_path} is {stamp[0]} bytes, too large for a manifest "
                        f"(at most {MANIFEST_MAX_BYTES}); the release is damaged")
    return Release(path, parse_manifest(manifest_path.read_bytes(), str(manifest_path)), location, stamp)


def _stamp(manifest_path: Path) -> tuple[int, int]:
    try:
        st = manifest_path.stat()
    except OSError:
        return (-1, -1)
    return (st.st_size, st.st_mtime_ns)


_releases: dict[tuple[str | None, str | None], Release] = {}


def release(version: str | None = None, release_dir: str | Path | None = None) -> Release:
    """Resolve which release to read: a folder, the bundled one, the cache, or a download."""
    key = (version, None if release_dir is None else str(release_dir))
    found = _releases.get(key)
    # A release folder rewritten in place (a rebuild refreshing usua/_release) is read again.
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
                    "this installation has no bundled release (usua/_release is missing); reinstall usua, "
                    "or pass version= to download one or release_dir= to read a folder"
                )
            found = bundled
        else:
            check_version(version)
            from .downloading import download

            found = read_release_dir(download(version, tables=[]), "cache")
    _releases[key] = found
    return found


def bundled_release() -> Release | None:
    if not (BUNDLED_DIR / "manifest.json").is_file():
        return None
    return read_release_dir(BUNDLED_DIR, "bundled")


def check_version(version: str) -> str:
    if not isinstance(version, str) or not VERSION_RE.fullmatch(version):
        raise UsuaError(f"{version!r} is not a release version; versions look like 1.0.0")
    return version


def load(
    table: str,
    *,
    version: str | None = None,
    as_: Format = "polars",
    release_dir: str | Path | None = None,
    columns: list[str] | None = None,
) -> Any:
    """One release table: a polars DataFrame (default), a pyarrow Table (``as_="arrow"``) or a polars
    LazyFrame (``as_="lazy"``). Reads the bundled release unless ``version`` or ``release_dir`` is given."""
    path = release(version, release_dir).table_file(table)
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


def scan(table: str, *, version: str | None = None, release_dir: str | Path | None = None) -> Any:
    """A polars LazyFrame over one release table (filters and projections are pushed into the Parquet read)."""
    return load(table, version=version, release_dir=release_dir, as_="lazy")


def load_records(section: str, *, version: str | None = None, release_dir: str | Path | None = None) -> list[Any]:
    """The full nested records of one contribution section ('events', 'entities'...) as validated
    pydantic models, from ``records/<section>.json``."""
    from .models.contribution import SECTIONS

    if section not in SECTIONS:
        raise unknown("record section", section, list(SECTIONS))
    rel = release(version, release_dir)
    path = rel.file(f"records/{section}.json")
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


def _table_order(name: str, known: tuple[str, ...]) -> tuple[int, str]:
    # The order of usua.release_tables.TABLES (documents first...), tables it does not know last.
    return (known.index(name) if name in known else len(known), name)


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


def versions() -> list[dict[str, str]]:
    """The versions available without a network: the bundled one and those in the download cache."""
    from .downloading import cache_dir

    out: list[dict[str, str]] = []
    bundled = bundled_release()
    if bundled is not None:
        out.append({"version": bundled.version, "location": "bundled", "path": str(bundled.path)})
    root = cache_dir()
    if root.is_dir():
        for sub in root.iterdir():
            if VERSION_RE.fullmatch(sub.name) and (sub / "manifest.json").is_file():
                out.append({"version": sub.name, "location": "cache", "path": str(sub)})
    return sorted(out, key=lambda v: (_version_key(v["version"]), v["location"]))


def _version_key(v: str) -> tuple[int, ...]:
    return tuple(int(p) for p in re.findall(r"\d+", v.split("-")[0]))


def clear_caches() -> None:
    """Forget resolved releases and verified files (for tests and long-lived processes)."""
    _releases.clear()
    _verified.clear()
