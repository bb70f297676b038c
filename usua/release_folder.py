"""A release folder on disk: where the bundled one is, its manifest, its files verified against their
sha256, and the Parquet files of each table. Used by the loader, the downloader, the exporter and the
build alike; it imports nothing of the package but its errors and version numbers (the downloader hands
in how a cached release fetches its missing files).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import UsuaError, unknown
from .version import DATASET_VERSION


def bundled_dir(package: Path = Path(__file__).resolve().parent) -> Path:
    """usua/_release in an installed wheel (put there at wheel-build time from
    dataset/releases/<DATASET_VERSION>); in a checkout, that folder itself. A checkout's committed
    release wins over a usua/_release left on disk by an older layout, which could be stale."""
    installed = package / "_release"
    checkout = package.parent / "dataset" / "releases" / DATASET_VERSION
    if (package.parent / "pyproject.toml").is_file() and checkout.is_dir():
        return checkout
    return installed


#: The release shipped with the package (in a checkout: the committed dataset/releases/<version>/).
BUNDLED_DIR = bundled_dir()

VERSION_RE = re.compile(r"^\d+\.\d+\.\d+(?:-[0-9A-Za-z.]+)?$")


def version_key(version: str) -> tuple[int, int, int] | None:
    """A release version's numbers, for ordering ('1.10.0' after '1.9.0'); None for a name that is not
    a release version (a folder beside the releases). A pre-release ('1.5.0-rc.1') orders with its release."""
    if not VERSION_RE.match(version):
        return None
    major, minor, patch = version.split("-", 1)[0].split(".")
    return int(major), int(minor), int(patch)


# Release-relative paths as the manifest lists them; nothing may point outside the release folder.
# ("=" for hive partition folders such as parquet/events/year=2022/).
_SAFE_PATH_RE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9._=-]*(?:/[A-Za-z0-9_][A-Za-z0-9._=-]*)*$")

#: A manifest lists every file of a release in a few hundred bytes each; anything larger is refused
#: before it is read (a 1.0.0 manifest is about 40 KB).
MANIFEST_MAX_BYTES = 4 << 20


def sha256_file(path: Path) -> str:
    """The sha256 of a file, as hex."""
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
        raise UsuaError(f'{shown_as} is not a usua release manifest (its "dataset" is not "usua")')
    files = manifest.get("files")
    if not isinstance(manifest.get("dataset_version"), str) or not isinstance(files, dict):
        raise UsuaError(f'{shown_as} lacks "dataset_version" or "files"; the release is damaged')
    for rel, meta in files.items():
        if not _SAFE_PATH_RE.fullmatch(rel) or ".." in rel.split("/"):
            raise UsuaError(f"{shown_as} lists an unsafe file path {rel!r}; the release is refused")
        if not isinstance(meta, dict) or not re.fullmatch(r"[0-9a-f]{64}", str(meta.get("sha256", ""))):
            raise UsuaError(f"{shown_as}: file {rel!r} has no valid sha256; the release is damaged")
        if not _count_or_none(meta.get("bytes")):
            raise UsuaError(
                f'{shown_as}: file {rel!r} has a "bytes" that is not a whole number; the release is damaged'
            )
    tables = manifest.setdefault("tables", {})
    if not isinstance(tables, dict):
        raise UsuaError(f'{shown_as}: "tables" is not a mapping of table names; the release is damaged')
    for name, meta in tables.items():
        if not isinstance(meta, dict) or not _count_or_none(meta.get("rows")):
            raise UsuaError(
                f'{shown_as}: table {name!r} is not of the form {{"rows": <whole number>}}; the release is damaged'
            )
    return manifest


def _count_or_none(value: Any) -> bool:
    return value is None or (isinstance(value, int) and not isinstance(value, bool) and value >= 0)


@dataclass
class Release:
    """One release folder on disk and its manifest."""

    path: Path
    manifest: dict[str, Any]
    location: str  # "bundled" | "cache" | "folder"
    stamp: tuple[int, int] = (0, 0)  # manifest's (size, mtime_ns) when read
    #: Fetches missing files of a cached release (the downloader's fetch_files); None elsewhere.
    fetch: Callable[[Release, list[str]], Any] | None = None

    @property
    def version(self) -> str:
        """The release's dataset version."""
        return self.manifest["dataset_version"]

    @property
    def table_names(self) -> list[str]:
        """The release's tables in the order of usua.release_tables.TABLES (unknown ones last)."""
        from .release_tables import TABLE_NAMES

        return sorted(self.manifest["tables"], key=lambda name: _table_order(name, TABLE_NAMES))

    def file(self, rel: str, *, verify: bool = False) -> Path:
        """The local path of a release-relative file, fetching it first for a cached version.

        The file must have the size its manifest gives (a truncated or grown file is refused, naming
        both hashes); its sha256 is compared too with ``verify=True``, once per file and process. A
        downloaded file was verified when it entered the cache; the bundled release was checked by the
        package installer against the wheel's record."""
        meta = self.manifest["files"].get(rel)
        if meta is None:
            raise UsuaError(f"release {self.version} has no file {rel} (see {self.path / 'manifest.json'})")
        path = self.path / rel
        if self.fetch is not None and not path.exists():
            self.fetch(self, [rel])
        if self.location == "bundled" and self.path.name == "_release":
            hint = "the installed package is damaged: reinstall usua"
        elif self.location == "bundled":  # a checkout's committed release
            hint = "the committed release differs from its manifest: restore it with git or rebuild it (make release)"
        elif self.location == "cache":
            hint = f"delete {self.path} and download version {self.version} again"
        else:
            hint = "the release folder is damaged or was edited: rebuild or re-download it"
        size = meta.get("bytes")
        if not verify and size is not None:
            try:
                if path.stat().st_size == size:
                    return path
            except FileNotFoundError:
                pass  # verify_file says so
        try:
            return verify_file(path, meta["sha256"], str(path), damaged_hint=hint)
        except UsuaError:
            if self.location == "cache":
                path.unlink(missing_ok=True)  # a bad file is never left in the cache to be used later
            raise

    def table_file(self, table: str, *, verify: bool = False) -> Path | list[Path]:
        """The Parquet file of a table, or its part files when the table is partitioned by year
        (parquet/<table>/year=YYYY/part-0.parquet, for very large tables); checked as ``file`` checks."""
        if table not in self.manifest["tables"]:
            raise unknown(f"table in release {self.version}:", table, self.table_names)
        files = table_parquet_files(self.manifest, table)
        if files == [f"parquet/{table}.parquet"]:
            return self.file(files[0], verify=verify)
        return [self.file(rel, verify=verify) for rel in files]


def table_parquet_files(manifest: dict[str, Any], table: str) -> list[str]:
    """Release-relative Parquet files of a table: its one file, or its year partitions."""
    single = f"parquet/{table}.parquet"
    if single in manifest["files"]:
        return [single]
    prefix = f"parquet/{table}/"
    return sorted(rel for rel in manifest["files"] if rel.startswith(prefix))


def read_release_dir(path: Path, location: str, fetch: Callable[[Release, list[str]], Any] | None = None) -> Release:
    """The release in a folder, its manifest read and checked (its files are checked when used: size always, sha256 when asked)."""
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
        raise UsuaError(
            f"{manifest_path} is {stamp[0]} bytes, too large for a manifest "
            f"(at most {MANIFEST_MAX_BYTES}); the release is damaged"
        )
    return Release(path, parse_manifest(manifest_path.read_bytes(), str(manifest_path)), location, stamp, fetch)


def _stamp(manifest_path: Path) -> tuple[int, int]:
    try:
        st = manifest_path.stat()
    except OSError:
        return (-1, -1)
    return (st.st_size, st.st_mtime_ns)


def bundled_release() -> Release | None:
    """The release installed with the package, or None when it is missing."""
    if not (BUNDLED_DIR / "manifest.json").is_file():
        return None
    return read_release_dir(BUNDLED_DIR, "bundled")


def check_version(version: str) -> str:
    """The version itself when it is of the form 1.0.0; otherwise a UsuaError."""
    if not isinstance(version, str) or not VERSION_RE.fullmatch(version):
        raise UsuaError(f"{version!r} is not a release version; versions look like 1.0.0")
    return version


def _table_order(name: str, known: tuple[str, ...]) -> tuple[int, str]:
    # The order of usua.release_tables.TABLES (documents first...), tables it does not know last.
    return (known.index(name) if name in known else len(known), name)
