"""Downloading other release versions with pooch, every file checked against the manifest's sha256.

The server holds the release layout: ``<base>/<version>/manifest.json``,
``<base>/<version>/parquet/<table>.parquet``... Settings:

* base URL: the ``base_url`` argument, else the ``USUA_BASE_URL`` environment variable, else
  :data:`DEFAULT_BASE_URL`;
* cache folder: ``USUA_CACHE_DIR``, else pooch's per-user cache folder for "usua".

A file whose hash differs from the manifest (tampered, truncated) is refused and removed; the
manifest is written into the cache last, so a failed download never looks like a complete one.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from .errors import UsuaError
from .loading import (
    Release,
    bundled_release,
    check_version,
    parse_manifest,
    read_release_dir,
    unknown,
    verify_file,
)

#: Where releases are published unless USUA_BASE_URL or base_url says otherwise. A setting: point it
#: at any static file server that mirrors the release layout.
DEFAULT_BASE_URL = "https://usua-data.example.org/releases"

#: Called after each file with (release-relative path, its bytes, total bytes of all files to fetch).
Progress = Callable[[str, int, int], None]


def base_url(explicit: str | None = None) -> str:
    url = explicit or os.environ.get("USUA_BASE_URL") or DEFAULT_BASE_URL
    if not url.startswith(("http://", "https://")):
        raise UsuaError(f"base URL {url!r} must start with http:// or https://")
    return url.rstrip("/")


def cache_dir() -> Path:
    env = os.environ.get("USUA_CACHE_DIR")
    if env:
        return Path(env).expanduser()
    import pooch

    return Path(pooch.os_cache("usua"))


def download(
    version: str | None = None,
    tables: Iterable[str] | None = None,
    *,
    base_url: str | None = None,
    progress: Progress | None = None,
) -> Path:
    """Fetch a release version (default: the bundled version) into the cache and return its folder.

    ``tables=None`` fetches every file of the release; a list fetches only those tables' Parquet
    files (``[]``: the manifest alone). Works offline when the cache already holds the files, and
    returns the bundled folder when ``version`` is the bundled version and the cache has nothing.
    """
    from .version import DATASET_VERSION

    version = check_version(version or DATASET_VERSION)
    wanted_tables = None if tables is None else list(tables)
    target = cache_dir() / version
    if target.exists() and not target.is_dir():
        raise UsuaError(f"cache path {target} is a file, not a folder; remove it or set USUA_CACHE_DIR")

    if (target / "manifest.json").is_file():
        cached = read_release_dir(target, "cache")
        fetch_files(cached, _wanted(cached.manifest, wanted_tables), base_url=base_url, progress=progress)
        return target

    bundled = bundled_release()
    if base_url is None and bundled is not None and bundled.version == version:
        _wanted(bundled.manifest, wanted_tables)  # still refuse unknown table names
        return bundled.path

    url = f"{_base(base_url)}/{version}/manifest.json"
    data = _get_manifest(url, version)
    manifest = parse_manifest(data, url)
    if manifest["dataset_version"] != version:
        raise UsuaError(f"{url} describes release {manifest['dataset_version']}, not {version}; the server is misconfigured")
    staged = Release(target, manifest, "cache")
    fetch_files(staged, _wanted(manifest, wanted_tables), base_url=base_url, progress=progress)
    target.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target, prefix=".manifest-", suffix=".tmp")
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    os.replace(tmp, target / "manifest.json")
    return target


def _base(explicit: str | None) -> str:
    return base_url(explicit)


def _wanted(manifest: dict[str, Any], tables: list[str] | None) -> list[str]:
    if tables is None:
        return list(manifest["files"])
    known = list(manifest["tables"])
    for t in tables:
        if t not in known:
            raise unknown(f"table in release {manifest['dataset_version']}:", t, known)
    from .loading import table_parquet_files

    return [rel for t in tables for rel in table_parquet_files(manifest, t)]


def _get_manifest(url: str, version: str) -> bytes:
    """The manifest is the root of trust, so it is fetched without a known hash but parsed strictly."""
    import requests

    try:
        resp = requests.get(url, timeout=30)
    except requests.RequestException as e:
        raise UsuaError(f"cannot reach {url} ({_reason(e)}); check the network or the base URL (USUA_BASE_URL)") from None
    if resp.status_code == 404:
        raise UsuaError(
            f"release {version} not found: {url} returned 404; check the version "
            f"(available offline: {_offline_versions()}) or the base URL (USUA_BASE_URL)"
        )
    if resp.status_code != 200:
        raise UsuaError(f"{url} returned HTTP {resp.status_code} {resp.reason}; try again later")
    return resp.content


def _offline_versions() -> str:
    from .loading import versions

    return ", ".join(sorted({v["version"] for v in versions()})) or "none"


class _HashingDownloader:
    """pooch's HTTP downloader, also recording the sha256 of what arrived so a refusal can show it."""

    def __init__(self) -> None:
        import pooch

        self.inner = pooch.HTTPDownloader(timeout=30)
        self.actual: dict[str, str] = {}

    def __call__(self, url: str, output_file: Any, pooch_obj: Any, check_only: bool = False) -> Any:
        result = self.inner(url, output_file, pooch_obj, check_only=check_only)
        if not check_only and isinstance(output_file, (str, os.PathLike)):
            h = hashlib.sha256(Path(output_file).read_bytes()).hexdigest()
            self.actual[url] = h
        return result


def fetch_files(
    rel: Release, files: list[str], *, base_url: str | None = None, progress: Progress | None = None
) -> None:
    """Make sure each release-relative file is in ``rel.path`` with the manifest's hash. Files already
    there and intact are not fetched again; every failure is reported, together, in one UsuaError."""
    import pooch

    todo: list[str] = []
    for f in files:
        meta = rel.manifest["files"].get(f)
        if meta is None:
            raise UsuaError(f"release {rel.version} has no file {f}")
        path = rel.path / f
        if path.exists():
            try:
                verify_file(path, meta["sha256"], str(path), damaged_hint="")
                continue
            except UsuaError:
                path.unlink()  # damaged in the cache: fetch it again
        todo.append(f)
    if not todo:
        return

    base = _base(base_url)
    downloader = _HashingDownloader()
    total = sum(int(rel.manifest["files"][f].get("bytes") or 0) for f in todo)
    problems: list[str] = []
    logger = pooch.get_logger()
    level = logger.level
    logger.setLevel("WARNING")  # pooch announces every download on stderr; the CLI shows progress itself
    try:
        for f in todo:
            problem = _fetch_one(rel, f, base, downloader)
            if problem is not None:
                problems.append(f"{f}: {problem}")
                (rel.path / f).unlink(missing_ok=True)  # never leave a refused file in the cache
            elif progress is not None:
                progress(f, int(rel.manifest["files"][f].get("bytes") or 0), total)
    finally:
        logger.setLevel(level)
    if problems:
        raise UsuaError(f"download of release {rel.version} failed:\n" + "\n".join(f"  {p}" for p in problems))


def _fetch_one(rel: Release, f: str, base: str, downloader: _HashingDownloader) -> str | None:
    """Fetch one file with the manifest's hash as pooch's known_hash; the reason it failed, or None."""
    import pooch
    import requests

    expected = rel.manifest["files"][f]["sha256"]
    url = f"{base}/{rel.version}/{f}"
    dest = rel.path / f
    dest.parent.mkdir(parents=True, exist_ok=True)
    try:
        pooch.retrieve(url, known_hash=f"sha256:{expected}", fname=dest.name, path=dest.parent, downloader=downloader)
    except requests.HTTPError as e:
        code = e.response.status_code if e.response is not None else "?"
        return f"{url} returned HTTP {code}; the server's copy of release {rel.version} is incomplete"
    except requests.RequestException as e:
        return f"download from {url} failed or was cut short ({_reason(e)}); try again"
    except ValueError as e:
        if "hash" not in str(e).lower():
            raise
        actual = downloader.actual.get(url, "unknown")
        return (f"refused: its sha256 differs from the manifest (expected {expected}, got {actual}); "
                "the file on the server is truncated or was altered")
    return None


def _reason(e: BaseException) -> str:
    text = str(e).splitlines()[0] if str(e) else type(e).__name__
    return text[:200]
