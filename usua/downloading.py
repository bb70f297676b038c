"""Downloading other release versions, every file checked against the manifest's sha256.

The server holds the release layout: ``<base>/<version>/manifest.json``, which lists every file
(``parquet/<table>.parquet``, or ``parquet/<table>/year=YYYY/part-0.parquet`` for a partitioned table)... Settings (arguments win over the environment):

* base URL: ``base_url``, else ``USUA_BASE_URL``, else :data:`DEFAULT_BASE_URL`;
* cache folder: ``USUA_CACHE_DIR``, else pooch's per-user cache folder for "usua";
* ``allow_unpinned`` / ``USUA_ALLOW_UNPINNED=1``: accept a version missing from the package's
  registry of published releases (usua.release_registry), whose manifest nothing vouches for;
* ``timeout`` / ``USUA_DOWNLOAD_TIMEOUT``: seconds one file (or a wait for another process's
  download) may take in all, however slowly the server sends (default :data:`DEFAULT_TIMEOUT`).

Trust runs registry → manifest → files. Each file streams into a ``.part-`` file, is cut off as soon
as it exceeds the size the manifest gives (a manifest at :data:`MANIFEST_MAX_BYTES`), is hashed as it
arrives and renamed into place only when its hash is right; the manifest is renamed in last. An
interrupted download therefore leaves only ``.part-`` files, which nothing reads and the next
download removes. A lock file per version keeps two processes from downloading it at once.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import time
import warnings
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from .errors import UsuaError, unknown
from .release_folder import (
    MANIFEST_MAX_BYTES,
    VERSION_RE,
    Release,
    bundled_release,
    check_version,
    parse_manifest,
    read_release_dir,
    sha256_file,
    version_key,
    table_parquet_files,
    verify_file,
)

#: Where releases are published unless USUA_BASE_URL or base_url says otherwise. A setting: point it
#: at any static file server that mirrors the release layout.
DEFAULT_BASE_URL = "https://usua-data.example.org/releases"
#: Seconds a single file may take from request to last byte (USUA_DOWNLOAD_TIMEOUT overrides).
DEFAULT_TIMEOUT = 300.0
#: Seconds to wait for a connection or for the next bytes, within the overall limit.
STALL_TIMEOUT = 30.0
PART_PREFIX = ".part-"

#: Called after each file with (release-relative path, its bytes, total bytes of all files to fetch).
Progress = Callable[[str, int, int], None]


class UnpinnedReleaseWarning(UserWarning):
    """A release was accepted although the package's registry does not list its manifest hash."""


def base_url(explicit: str | None = None) -> str:
    """Where releases are downloaded from: the argument, USUA_BASE_URL, or the default."""
    url = explicit or os.environ.get("USUA_BASE_URL") or DEFAULT_BASE_URL
    if not url.startswith(("http://", "https://")):
        raise UsuaError(f"base URL {url!r} must start with http:// or https://")
    return url.rstrip("/")


def cache_dir() -> Path:
    """The folder downloaded releases are kept in: USUA_CACHE_DIR, or the user cache folder."""
    env = os.environ.get("USUA_CACHE_DIR")
    if env:
        return Path(env).expanduser()
    import pooch

    return Path(pooch.os_cache("usua"))


def download_timeout(explicit: float | None = None) -> float:
    """Seconds a download may wait for the server: the argument, USUA_DOWNLOAD_TIMEOUT, or the default."""
    raw: Any = explicit if explicit is not None else os.environ.get("USUA_DOWNLOAD_TIMEOUT") or DEFAULT_TIMEOUT
    try:
        seconds = float(raw)
    except ValueError:
        seconds = -1.0
    if not 0 < seconds < float("inf"):
        raise UsuaError(f"download timeout {raw!r} is not a positive number of seconds (USUA_DOWNLOAD_TIMEOUT)")
    return seconds


def unpinned_allowed(explicit: bool | None = None) -> bool:
    """Whether a release missing from the package's registry may be downloaded unchecked."""
    if explicit is not None:
        return explicit
    return os.environ.get("USUA_ALLOW_UNPINNED", "").strip().lower() in {"1", "true", "yes"}


def download(
    version: str | None = None,
    tables: Iterable[str] | None = None,
    *,
    base_url: str | None = None,
    progress: Progress | None = None,
    allow_unpinned: bool | None = None,
    timeout: float | None = None,
) -> Path:
    """Fetch a release version (default: the bundled version) into the cache and return its folder.

    ``tables=None`` fetches every file of the release; a list fetches only those tables' Parquet
    files (``[]``: the manifest alone). Works offline when the cache already holds the files, and
    returns the bundled folder when ``version`` is the bundled version and the cache has nothing.
    A version the package's registry does not list is refused unless ``allow_unpinned`` (or
    USUA_ALLOW_UNPINNED=1); it is then accepted with an :class:`UnpinnedReleaseWarning`.
    """
    from .version import DATASET_VERSION

    version = check_version(version or DATASET_VERSION)
    limit = download_timeout(timeout)
    wanted_tables = None if tables is None else list(tables)
    target = cache_dir() / version
    if target.exists() and not target.is_dir():
        raise UsuaError(f"cache path {target} is a file, not a folder; remove it or set USUA_CACHE_DIR")

    bundled = bundled_release()
    if (
        base_url is None
        and bundled is not None
        and bundled.version == version
        and not (target / "manifest.json").is_file()
    ):
        _wanted(bundled.manifest, wanted_tables)  # still refuse unknown table names
        return bundled.path

    with _version_lock(version, limit):
        _remove_partials(target)
        if (target / "manifest.json").is_file():
            cached = _read_cached(target)
            _fetch_locked(cached, _wanted(cached.manifest, wanted_tables), base_url, progress, limit)
            return target

        url = f"{_base(base_url)}/{version}/manifest.json"
        allowed = unpinned_allowed(allow_unpinned)
        _refuse_unpinned(version, allowed)  # before anything is asked of a server nothing vouches for
        target.mkdir(parents=True, exist_ok=True)
        part, actual, _ = _get_manifest(url, version, target, limit)
        try:
            _check_pin(version, actual, url, allowed)
            manifest = parse_manifest(part.read_bytes(), url)
            if manifest["dataset_version"] != version:
                raise UsuaError(
                    f"{url} describes release {manifest['dataset_version']}, not {version}; the server is misconfigured"
                )
            staged = Release(target, manifest, "cache", fetch=fetch_files)
            _fetch_locked(staged, _wanted(manifest, wanted_tables), base_url, progress, limit)
            os.replace(part, target / "manifest.json")  # last: only now does the cache look complete
        finally:
            part.unlink(missing_ok=True)
    return target


def _base(explicit: str | None) -> str:
    return base_url(explicit)


def _refuse_unpinned(version: str, allow_unpinned: bool) -> None:
    from .release_registry import pinned_hash, read_registry

    if pinned_hash(version) is None and not allow_unpinned:
        raise UsuaError(
            f"release {version} is not in this package's registry of published releases "
            f"(known: {', '.join(read_registry()) or 'none'}), so its manifest cannot be checked; upgrade usua, "
            "or accept it unchecked with --allow-unpinned (USUA_ALLOW_UNPINNED=1)"
        )


def _check_pin(version: str, actual: str, url: str, allow_unpinned: bool) -> None:
    from .release_registry import pinned_hash, read_registry

    pinned = pinned_hash(version)
    if pinned is not None:
        if actual != pinned:
            raise UsuaError(
                f"{url} is not the published manifest of release {version} (expected sha256 {pinned}, "
                f"got {actual}); refused: the server or USUA_BASE_URL serves other data under this version"
            )
        return
    _refuse_unpinned(version, allow_unpinned)
    known = ", ".join(read_registry()) or "none"
    warnings.warn(
        f"release {version} is not in this package's registry of published releases (known: {known}); "
        f"its manifest (sha256 {actual}) was accepted unchecked because unpinned releases are allowed",
        UnpinnedReleaseWarning,
        stacklevel=3,
    )


def _read_cached(target: Path) -> Release:
    """The cached release; a manifest that no longer has its pinned hash is refused, not used."""
    from .release_registry import pinned_hash

    cached = read_release_dir(target, "cache", fetch_files)
    pinned = pinned_hash(cached.version)
    if pinned is not None and cached.version == target.name:
        actual = sha256_file(target / "manifest.json")
        if actual != pinned:
            raise UsuaError(
                f"{target / 'manifest.json'} is not the published manifest of release {cached.version} "
                f"(expected sha256 {pinned}, got {actual}); delete {target} and download it again"
            )
    if cached.version != target.name:
        raise UsuaError(
            f"{target / 'manifest.json'} describes release {cached.version}, not {target.name}; "
            f"delete {target} and download it again"
        )
    return cached


def _version_lock(version: str, limit: float) -> Any:
    """An exclusive lock per cached version (released by the kernel if the process dies)."""
    from filelock import FileLock, Timeout

    root = cache_dir()
    root.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(root / f".{version}.lock"), timeout=limit)

    class _Held:
        def __enter__(self) -> None:
            try:
                lock.acquire()
            except Timeout:
                raise UsuaError(
                    f"another process is downloading release {version} into {root} and did not "
                    f"finish within {limit:g} s (USUA_DOWNLOAD_TIMEOUT); try again later"
                ) from None

        def __exit__(self, *exc: object) -> None:
            lock.release()

    return _Held()


def _remove_partials(folder: Path) -> None:
    """Under the version's lock, any .part- file is the leftover of an interrupted download."""
    if folder.is_dir():
        for p in folder.rglob(f"{PART_PREFIX}*"):
            p.unlink(missing_ok=True)


def _wanted(manifest: dict[str, Any], tables: list[str] | None) -> list[str]:
    if tables is None:
        return list(manifest["files"])
    known = list(manifest["tables"])
    for t in tables:
        if t not in known:
            raise unknown(f"table in release {manifest['dataset_version']}:", t, known)
    return [rel for t in tables for rel in table_parquet_files(manifest, t)]


def _get_manifest(url: str, version: str, folder: Path, limit: float) -> tuple[Path, str, int]:
    """The manifest is the root of trust below the registry: fetched into a partial file, capped."""
    try:
        return _stream(
            url, folder, "manifest.json", max_bytes=MANIFEST_MAX_BYTES, limit=limit, what="the limit for a manifest"
        )
    except _HTTPStatus as e:
        if e.code == 404:
            raise UsuaError(
                f"release {version} not found: {url} returned 404; check the version "
                f"(available offline: {_offline_versions()}) or the base URL (USUA_BASE_URL)"
            ) from None
        raise UsuaError(f"{url} returned HTTP {e.code} {e.reason}; try again later") from None
    except _Unreachable as e:
        raise UsuaError(f"cannot reach {url} ({e}); check the network or the base URL (USUA_BASE_URL)") from None
    except _Refused as e:
        raise UsuaError(f"{url}: {e}") from None


def _offline_versions() -> str:
    return ", ".join(sorted({v["version"] for v in versions()})) or "none"


class _HTTPStatus(Exception):
    def __init__(self, code: int, reason: str) -> None:
        super().__init__(f"HTTP {code}")
        self.code, self.reason = code, reason


class _Unreachable(Exception):
    """No connection could be made."""


class _Refused(Exception):
    """The transfer was stopped: too many bytes, too slow, or cut short."""


def _stream(
    url: str, folder: Path, name: str, *, max_bytes: int | None, limit: float, what: str
) -> tuple[Path, str, int]:
    """Fetch ``url`` into a new ``.part-`` file in ``folder``: (its path, sha256, size). The caller
    renames it into place or removes it; on any failure it is removed here."""
    import requests
    import urllib3

    started = time.monotonic()
    stall = min(STALL_TIMEOUT, limit)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f"{PART_PREFIX}{name.replace('/', '_')}-")
    part = Path(tmp)
    try:
        with os.fdopen(fd, "wb") as out:
            try:
                resp = requests.get(url, stream=True, timeout=(stall, stall), headers={"Accept-Encoding": "identity"})
            except requests.ConnectionError as e:
                raise _Unreachable(_reason(e)) from None
            except requests.RequestException as e:
                raise _Refused(f"the download failed ({_reason(e)}); try again") from None
            with resp:
                if resp.status_code != 200:
                    raise _HTTPStatus(resp.status_code, resp.reason or "")
                declared = resp.headers.get("Content-Length", "")
                if max_bytes is not None and declared.isdigit() and int(declared) > max_bytes:
                    raise _Refused(f"the server announces {declared} bytes, more than {max_bytes} ({what}); refused")
                digest, size = hashlib.sha256(), 0
                # read1 returns what has arrived (one read at most), so the deadline is checked even
                # when the server trickles bytes in; urllib3 before 2.0 has only read (small reads then)
                read = getattr(resp.raw, "read1", None) or (lambda n: resp.raw.read(min(n, 1024)))
                while True:
                    if time.monotonic() - started > limit:
                        raise _Refused(
                            f"the download did not finish within {limit:g} s (USUA_DOWNLOAD_TIMEOUT): "
                            "the server is too slow or stalled; try again later"
                        )
                    try:
                        chunk = read(1 << 16)
                    except (OSError, urllib3.exceptions.HTTPError, requests.RequestException) as e:
                        raise _Refused(f"the download was cut short ({_reason(e)}); try again") from None
                    if not chunk:
                        break
                    size += len(chunk)
                    if max_bytes is not None and size > max_bytes:
                        raise _Refused(f"the server sent more than {max_bytes} bytes ({what}); cut off")
                    digest.update(chunk)
                    out.write(chunk)
        return part, digest.hexdigest(), size
    except BaseException:
        part.unlink(missing_ok=True)
        raise


def fetch_files(
    rel: Release,
    files: list[str],
    *,
    base_url: str | None = None,
    progress: Progress | None = None,
    timeout: float | None = None,
) -> None:
    """Make sure each release-relative file is in ``rel.path`` with the manifest's hash. Files already
    there and intact are not fetched again; every failure is reported, together, in one UsuaError."""
    limit = download_timeout(timeout)
    with _version_lock(rel.version, limit):
        _remove_partials(rel.path)
        _fetch_locked(rel, files, base_url, progress, limit)


def _fetch_locked(
    rel: Release, files: list[str], base_url: str | None, progress: Progress | None, limit: float
) -> None:
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
    total = sum(int(rel.manifest["files"][f].get("bytes") or 0) for f in todo)
    problems: list[str] = []
    for f in todo:
        problem = _fetch_one(rel, f, base, limit)
        if problem is not None:
            problems.append(f"{f}: {problem}")
        elif progress is not None:
            progress(f, int(rel.manifest["files"][f].get("bytes") or 0), total)
    if problems:
        raise UsuaError(f"download of release {rel.version} failed:\n" + "\n".join(f"  {p}" for p in problems))


def _fetch_one(rel: Release, f: str, base: str, limit: float) -> str | None:
    """Fetch one file, capped at the manifest's size; the reason it failed, or None."""
    meta = rel.manifest["files"][f]
    expected = meta["sha256"]
    url = f"{base}/{rel.version}/{f}"
    dest = rel.path / f
    dest.parent.mkdir(parents=True, exist_ok=True)
    size = meta.get("bytes")
    try:
        part, actual, _ = _stream(
            url, dest.parent, dest.name, max_bytes=size, limit=limit, what="the manifest's size for this file"
        )
    except _HTTPStatus as e:
        return f"{url} returned HTTP {e.code}; the server's copy of release {rel.version} is incomplete"
    except (_Unreachable, _Refused) as e:
        return f"{url}: {e}"
    if actual != expected:
        part.unlink(missing_ok=True)
        return (
            f"refused: its sha256 differs from the manifest (expected {expected}, got {actual}); "
            "the file on the server is truncated or was altered"
        )
    os.replace(part, dest)
    return None


def _reason(e: BaseException) -> str:
    text = str(e).splitlines()[0] if str(e) else type(e).__name__
    errno_text = re.search(r"\[Errno -?\d+\] ([^'\")\]]+)", text)  # urllib3 wraps the OS's reason deeply
    if errno_text:
        return errno_text.group(1).strip().rstrip(".")
    if "timed out" in text.lower():
        return "timed out"
    return text[:200]


def versions() -> list[dict[str, str]]:
    """The versions available without a network: the bundled one and those in the download cache."""
    out: list[dict[str, str]] = []
    bundled = bundled_release()
    if bundled is not None:
        out.append({"version": bundled.version, "location": "bundled", "path": str(bundled.path)})
    root = cache_dir()
    if root.is_dir():
        for sub in root.iterdir():
            if VERSION_RE.fullmatch(sub.name) and (sub / "manifest.json").is_file():
                out.append({"version": sub.name, "location": "cache", "path": str(sub)})
    return sorted(out, key=lambda v: (version_key(v["version"]) or (), v["location"]))
