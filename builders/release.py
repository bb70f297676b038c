"""The whole build: sources → curation → tables → release folder, written atomically under a lock.

    summary = build_release(root)              # writes dataset/releases/<version>/ (the wheel bundles it)
    build_release(root, check=True)            # BuildError if the committed release is not what the inputs give

A release is written into a temporary folder beside its target (same filesystem), verified, and
only then swapped in with renames; the old folder is removed after the new one is in place. A
failed or interrupted build therefore leaves the previous release untouched.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import filecmp
import functools
import gc
import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from collections.abc import Callable
from typing import Any

from usua.derivation import DerivedRecords
from usua.release_registry import read_registry
from usua.release_tables import TABLES
from usua.version import DATASET_VERSION, SCHEMA_VERSION

from .changes import PreviousRelease, changes, previous_release, table_changes, write_changes
from .coverage import coverage_report, fail_on_unlinked, load_exclusions, summarised_coverage
from .curation import load_curation
from .datapackage import datapackage
from .claims import derive_claims
from .derive import derive_table
from .errors import BuildError
from .manifest import file_sha256, manifest
from .mentions import mention_rows, scanned_documents
from .sources import check_source_hashes
from .partition import PARTITION_THRESHOLD
from .registry import release_hashes, stale_registry, update_registry
from .write_tables import TableFiles, full_outputs, json_text, write_records, write_schemas, write_text

__all__ = ["BuildError", "BuildSummary", "build_release", "write_release"]

TMP_PREFIX = ".tmp-"


@dataclass
class BuildSummary:
    version: str
    release_dir: Path
    tables: dict[str, int]
    checked: bool = False
    notes: list[str] = field(default_factory=list)


def write_release(
    out: Path,
    root: Path,
    records: dict[str, list[Any]],
    texts: dict[str, str],
    *,
    version: str,
    releases: Path,
    exclusions: list[dict[str, Any]] | None = None,
    require_coverage: bool = True,
    partition_threshold: int = PARTITION_THRESHOLD,
    full: bool | None = None,
    consume: bool = False,
) -> dict[str, int]:
    """Write every release file into ``out`` (an empty folder); return rows per table. ``full``: every
    format (True), the compact set (False), or by the release's size (None, see ``full_outputs``).
    ``consume``: ``records`` and ``texts`` are emptied once the tables are derived (the build passes
    its own, whose memory the writing of the tables can then reuse)."""
    given = records
    with _gc_paused():
        records = derive_claims(records)
        mentions = mention_rows(records, texts)
        report = coverage_report(
            {**records, "documents": scanned_documents(records)}, texts, mentions, exclusions or []
        )
        if require_coverage:
            fail_on_unlinked(report)
        texts_hashed = {f"dataset/sources/{d.path}": d.sha256 for d in records.get("documents", [])}
        previous = previous_release(releases, version)
        older = PreviousRelease(previous)
        entries: dict[str, dict[str, list[str]]] = {}
        rows: dict[str, int] = {}
        # each table is derived, compared with the previous release and written before the next one
        # (once the release's size has decided its formats): the rows of two large tables never
        # exist at once; ``held`` keeps those of a release still small enough to get every format
        held: dict[str, list[Any]] = {}
        decided = full_outputs(rows, full, complete=False)
        with TableFiles(out, partition_threshold=partition_threshold) as files:
            for table in TABLES:
                table_rows = derive_table(table, records, texts, mentions)
                if table.name == "mentions":
                    mentions.clear()  # (only its own table is made of it)
                rows[table.name] = len(table_rows)
                decided = full_outputs(rows, full, complete=False) if decided is None else decided
                entries[table.name] = table_changes(table, table_rows, older, list_keys=decided is not False)
                held[table.name] = table_rows
                del table_rows
                if decided is not None:  # files.write empties ``held``
                    files.write(held, json_copies=decided)
            full = full_outputs(rows, full) if decided is None else decided
            files.write(held, json_copies=full)
        if full:
            write_records(out, records)
        del mentions
        if consume:
            for inputs in (given, records, texts):
                inputs.clear()
                if isinstance(inputs, DerivedRecords):
                    inputs.__dict__.pop("derivation", None)  # the facts of the claims, with the records
            del given, records, texts
        write_schemas(out)
        write_changes(out, version, changes(previous, entries), full=full)
        write_text(out / "coverage.json", json_text(report if full else summarised_coverage(report)))
        write_text(out / "datapackage.json", json_text(datapackage(out, version)))
        write_text(out / "manifest.json", json_text(manifest(out, root, version, SCHEMA_VERSION, rows, texts_hashed)))
    verify_release(out)
    return rows


@contextlib.contextmanager
def _gc_paused():
    # The tables are millions of small acyclic dicts: the cyclic collector would rescan the live ones
    # on every full collection (the time per record grew with the corpus) while finding nothing to free.
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def verify_release(out: Path) -> None:
    """Re-read what was written: every file the manifest lists has its hash, every Parquet file opens."""
    import json

    import pyarrow.parquet as pq

    from usua.release_tables import arrow_schema

    man = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    for rel, info in man["files"].items():
        if file_sha256(out / rel) != info["sha256"]:
            raise BuildError(f"release verification failed: {rel} changed while it was written; build again")
        if info["format"] == "parquet":
            parquet = pq.ParquetFile(out / rel)
            if (
                not parquet.schema_arrow.equals(arrow_schema(info["table"]))
                or parquet.metadata.num_rows != info["rows"]
            ):
                raise BuildError(f"release verification failed: {rel} does not have its declared schema or rows")
            # every page decodes, a batch at a time, on this thread (Arrow's threads kept 60 MiB more
            # resident for a 10k-document release)
            for _ in parquet.iter_batches(use_threads=False):
                pass


@contextlib.contextmanager
def build_lock(folder: Path, timeout: float = 120.0):
    """One build at a time per releases folder; a second build waits, then fails clearly.

    The lock is an fcntl.flock on the releases folder itself (opened as a file descriptor), so no
    lock file is left in the tree; the kernel drops it when a build dies.
    """
    folder.mkdir(parents=True, exist_ok=True)
    fd = os.open(folder, os.O_RDONLY)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise BuildError(
                        f"another build is writing {folder} and did not finish within "
                        f"{timeout:.0f} s; wait for it to finish, then build again"
                    ) from None
                time.sleep(0.2)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _recover(parent: Path, name: str) -> None:
    """Undo what an interrupted swap left: restore a kept old folder, remove half-written ones."""
    target = parent / name
    for p in parent.glob(f"{TMP_PREFIX}{name}-*"):
        if p.name.startswith(f"{TMP_PREFIX}{name}-old-") and not target.exists():
            p.rename(target)
        else:
            shutil.rmtree(p, ignore_errors=True)
    for probe in target.glob(f"{TMP_PREFIX}probe-*"):  # from _probe_writable, if killed in between
        probe.unlink(missing_ok=True)


_RENAME_EXCHANGE = 2  # renameat2 flag (Linux 3.15+): swap two paths in one step
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders atomically (Linux renameat2); False where the system or filesystem cannot."""
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), str(b))


def swap_in(new: Path, target: Path) -> Path | None:
    """Put ``new`` at ``target``. Returns where the old folder now is (None if there was none); the
    caller removes it. Where the system can exchange two folders
    in one step, ``target`` is complete at every moment; elsewhere it is missing between two renames,
    and a build killed there is undone by the next build (``_recover``)."""
    if not target.exists():
        os.rename(new, target)
        return None
    if _exchange(new, target):
        return new  # the staging folder's name now holds the old release
    old = target.parent / f"{TMP_PREFIX}{target.name}-old-{os.getpid()}"
    os.rename(target, old)
    try:
        os.rename(new, target)
    except BaseException:
        os.rename(old, target)
        raise
    return old


def _probe_writable(folder: Path) -> None:
    """Fail now, before anything is replaced, if files cannot be created and removed in ``folder``
    (read-only or immutable folders refuse even root; permission bits alone would not tell)."""
    if not folder.is_dir():
        return
    try:
        fd, probe = tempfile.mkstemp(dir=folder, prefix=f"{TMP_PREFIX}probe-")
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror, str(folder)) from None


def _staging(parent: Path, name: str) -> Path:
    parent.mkdir(parents=True, exist_ok=True)
    try:
        path = Path(tempfile.mkdtemp(prefix=f"{TMP_PREFIX}{name}-new-", dir=parent))
    except OSError as exc:  # name the folder, not the random name that could not be made in it
        raise OSError(exc.errno, exc.strerror, str(parent)) from None
    path.chmod(0o755)  # mkdtemp makes it private; the release is an ordinary folder once swapped in
    return path


def diff_trees(expected: Path, actual: Path) -> list[str]:
    """Files that differ between two folders (relative paths with what is wrong)."""
    if not actual.is_dir():
        return [f"{actual.name}/: missing"]

    def files(base: Path) -> set[str]:
        return {p.relative_to(base).as_posix() for p in base.rglob("*") if p.is_file()}

    want, have = files(expected), files(actual)
    out = [f"{rel}: missing" for rel in sorted(want - have)]
    out += [f"{rel}: not produced by the build" for rel in sorted(have - want)]
    out += [
        f"{rel}: differs{_writer_note(expected / rel, actual / rel)}"
        for rel in sorted(want & have)
        if not filecmp.cmp(expected / rel, actual / rel, shallow=False)
    ]
    return out


def _writer_note(expected: Path, actual: Path) -> str:
    """Parquet bytes depend on the writer version (created_by); say so when that is the cause."""
    if expected.suffix != ".parquet":
        return ""
    import pyarrow.parquet as pq

    try:
        mine, theirs = pq.ParquetFile(expected).metadata.created_by, pq.ParquetFile(actual).metadata.created_by
    except Exception:  # a damaged committed file is reported as differing anyway
        return ""
    return "" if mine == theirs else f" (written by {theirs}, this build uses {mine}: build with `uv run --locked`)"


def build_release(
    root: Path,
    *,
    out_root: Path | None = None,
    check: bool = False,
    version: str = DATASET_VERSION,
    require_coverage: bool = True,
    registry: Path | None = None,
    full: bool | None = None,
) -> BuildSummary:
    """Build the release of the checkout at ``root`` (see the module docstring). ``full``: write every
    format whatever the size (True), only the compact set (False), or choose by size (None: see
    ``builders.write_tables.FULL_OUTPUTS_MAX_ROWS``)."""
    root = Path(root)
    releases = Path(out_root) if out_root is not None else root / "dataset" / "releases"
    if registry is None and out_root is None:
        registry = root / "usua" / "release-registry.txt"
    if not check:
        # first of all, undo what a build killed while swapping left (a release set aside),
        # so that even a build that then fails on its inputs leaves the release in place
        with build_lock(releases):
            try:
                _recover(releases, version)
            except OSError as exc:
                raise _write_error(exc, root, releases / version) from None
    try:  # the curation's validation hashes every text listed in documents.yaml
        curated = load_curation(root, version, (releases, registry))
    except BuildError:
        # a text that is not what documents.yaml says is the likelier cause: say so in the build's
        # words (this reads documents.yaml a second time, only when the build fails anyway)
        check_source_hashes(root / "dataset" / "sources")
        raise
    # the inputs are read once; the check writes into a temporary folder, the build into a staging one,
    # once: the write consumes them (their memory is reused for the tables)
    write = functools.partial(
        write_release,
        root=root,
        records=curated.records,
        texts=curated.texts,
        consume=True,
        version=version,
        releases=releases,
        exclusions=load_exclusions(root),
        require_coverage=require_coverage,
        full=full,
    )
    del curated

    if check:
        with tempfile.TemporaryDirectory(prefix="usua-check-") as tmp:
            fresh = Path(tmp) / version
            fresh.mkdir()
            rows = write(fresh)
            diffs = [f"{releases.name}/{version}/{d}" for d in diff_trees(fresh, releases / version)]
            if registry is not None:
                pins = {**release_hashes(releases), version: file_sha256(fresh / "manifest.json")}
                diffs += stale_registry(registry, pins)
        diffs += _contract(root, check=True)
        if diffs:
            raise BuildError("the committed release is not what the inputs give; run `usua build` and commit:", diffs)
        return BuildSummary(version, releases / version, rows, checked=True)

    with build_lock(releases):
        try:
            pinned = published_pin(root, releases, version, registry)
            rows = _build_and_swap(releases, version, write, pinned)
            notes = update_registry(registry, releases) if registry is not None else []
        except OSError as exc:
            raise _write_error(exc, root, releases / version) from None
    return BuildSummary(version, releases / version, rows, notes=notes + _contract(root, check=False))


def published_pin(root: Path, releases: Path, version: str, registry: Path | None) -> str | None:
    """The manifest hash of a published release of this version, else None. Published: the registry
    pins it and its folder is committed (a folder only built so far may still be rebuilt)."""
    pinned = read_registry(registry).get(version) if registry is not None else None
    if pinned is None:
        return None
    import subprocess

    manifest_file = (releases / version / "manifest.json").resolve()
    try:
        tracked = subprocess.run(
            ["git", "-C", str(root), "ls-files", "--error-unmatch", str(manifest_file)],
            capture_output=True,
            timeout=60,
        )
    except (OSError, subprocess.SubprocessError):
        return pinned  # git cannot tell: a pinned release counts as published
    return pinned if tracked.returncode == 0 else None


def _build_and_swap(
    releases: Path, version: str, write: Callable[[Path], dict[str, int]], pinned: str | None = None
) -> dict[str, int]:
    """Write the release into a staging folder, then swap it in (the old one is removed after). A version
    that is published (``pinned``: its manifest hash) is never replaced by other files: the build refuses."""
    _recover(releases, version)
    _probe_writable(releases / version)  # find out before anything is written
    staged: Path | None = None
    try:
        staged = _staging(releases, version)
        rows = write(staged)
        if pinned is not None and file_sha256(staged / "manifest.json") != pinned:
            raise BuildError(
                f"release {version} is published (committed, and usua/release-registry.txt pins its manifest "
                f"sha256 {pinned[:12]}...) and these inputs give another release; a build never overwrites a "
                f"published release: raise DATASET_VERSION in usua/version.py (and the version in pyproject.toml) "
                f"and build again"
            )
        staged = swap_in(staged, releases / version)
    finally:
        if staged is not None:  # the old folder once swapped out, or what was staged when failing
            shutil.rmtree(staged, ignore_errors=True)
    return rows


def _write_error(exc: OSError, root: Path, target: Path) -> BuildError:
    """An OSError while writing, as one line naming the path (a full disk gives no file name)."""

    def shown(p: Path | str) -> str:
        try:
            return Path(p).relative_to(root).as_posix()
        except ValueError:
            return str(p)

    where = shown(exc.filename) if exc.filename else shown(target)
    reason = exc.strerror or str(exc) or type(exc).__name__
    hint = {
        errno.ENOSPC: "free some disk space",
        errno.EDQUOT: "free some disk space",
        errno.EROFS: "the filesystem is read-only",
        errno.EACCES: "check the folder's permissions",
        errno.EPERM: "check the folder's permissions and attributes (chattr -i)",
    }.get(exc.errno, "check the path")
    return BuildError(
        f"could not write {where}: {reason} ({hint}, then build again; the previous release is untouched)"
    )


def _contract(root: Path, check: bool) -> list[str]:
    """The schema/ folder is generated from the models too (builders.contract); keep it in step."""
    try:
        from .contract import stale_contract, write_contract
    except ImportError as exc:  # the codebook module may not exist yet in an early checkout
        return [] if not check else [f"schema/: cannot be generated ({exc})"]
    if check:
        return [f"{rel}: differs from what the models generate" for rel in stale_contract(root)]
    write_contract(root)
    return []
