"""What contribution files are checked against, the same for `usua validate` and ``usua.validate``.

Inside a checkout (with context), the build's own inputs: the checkout's other curation files and
source texts, so that what validate accepts the build accepts, and the other way round. Outside a
checkout: a release (the bundled one by default), whose ids may be referred to but not defined again,
since a file added to the dataset would then define them twice.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from collections.abc import Iterator, Sequence
from typing import Any, NamedTuple

from ..checkout import NOT_CONTRIBUTIONS, contribution_files, find_checkout
from .check import check_paths
from .problems import CheckResult, Problem


def bundled_release() -> Path | None:
    """The release bundled with the package, when it holds its records."""
    from .. import release_folder

    folder = release_folder.BUNDLED_DIR
    return folder if (folder / "records").is_dir() else None


class ReleaseDocuments(Sequence):
    """The document records of a release, validated by the models when first looked at: a check that
    needs only their ids (``ids``) runs without loading the models."""

    def __init__(self, rows: list[dict[str, Any]]):
        self.ids = [row["id"] for row in rows]
        self._rows = rows
        self._docs: list[Any] | None = None

    def _validated(self) -> list[Any]:
        if self._docs is None:
            from ..models import Document

            docs = []
            for row in self._rows:
                try:
                    docs.append(Document.model_validate(row))
                except ValueError:
                    pass  # a release of another schema version: its ids still count, its quotes go unchecked
            self._docs = docs
        return self._docs

    def __len__(self) -> int:
        return len(self._validated())

    def __getitem__(self, i: Any) -> Any:
        return self._validated()[i]

    def __iter__(self) -> Iterator[Any]:
        return iter(self._validated())


class ReleaseKnowledge(NamedTuple):
    """What files are checked against in a release."""

    #: Ids of every record, redirect and withdrawal.
    ids: set[str]
    #: Its document records (for checking quotes).
    records: dict[str, Sequence[Any]]
    #: Merged id -> the id that holds its facts (its redirects).
    redirected: dict[str, str]
    #: Withdrawn id -> why (its withdrawals).
    withdrawn: dict[str, str]


def release_knowledge(folder: Path) -> ReleaseKnowledge:
    """What a release tells about ids: every id it holds, its documents, the ids it retired."""
    ids: set[str] = set()
    docs: list[dict[str, Any]] = []
    retired: dict[str, dict[str, str]] = {"redirects": {}, "withdrawals": {}}
    detail = {"redirects": "to", "withdrawals": "reason"}
    for path in sorted((folder / "records").glob("*.json")):
        rows = json.loads(path.read_text(encoding="utf-8"))
        for row in rows:
            if isinstance(row, dict) and isinstance(row.get("id"), str):
                ids.add(row["id"])
                if path.stem == "documents":
                    docs.append(row)
                elif path.stem in retired and isinstance(row.get(detail[path.stem]), str):
                    retired[path.stem][row["id"]] = row[detail[path.stem]]
    return ReleaseKnowledge(ids, {"documents": ReleaseDocuments(docs)}, retired["redirects"], retired["withdrawals"])


def release_label(folder: Path) -> str:
    """'the release 1.0.0' (from its manifest), for messages."""
    try:
        version = json.loads((folder / "manifest.json").read_text(encoding="utf-8")).get("dataset_version")
    except (OSError, ValueError, AttributeError):
        version = None
    return f"the release {version}" if isinstance(version, str) else f"the release in {folder}"


def _relative(path: Path) -> Path:
    """The path as the user would type it from here (problems name files this way)."""
    try:
        return Path(os.path.relpath(path))
    except ValueError:
        return path


def _same(a: Path, b: Path) -> bool:
    if os.path.abspath(a) == os.path.abspath(b):  # without following links (one may loop)
        return True
    try:
        return a.resolve() == b.resolve()
    except (OSError, RuntimeError):  # a symbolic link loop is reported when the file is read
        return False


def checkout_of(files: list[Path], cwd: Path | None = None) -> Path | None:
    """The checkout the files are checked in: the one around ``cwd`` (the command's current folder),
    else the one holding the first file that lies in one."""
    found = find_checkout(cwd) if cwd is not None else None
    for f in files:
        if found is not None:
            break
        found = find_checkout(Path(os.path.abspath(f)).parent)  # (abspath: a link may loop)
    return found


def checkout_inputs(checkout: Path, named: list[Path]) -> list[Path]:
    """The files the build reads besides the named ones: documents.yaml and the curation files."""
    candidates = [
        checkout / "dataset" / "sources" / "documents.yaml",
        *contribution_files(checkout / "dataset" / "curation"),
    ]
    return [_relative(c) for c in candidates if not any(_same(c, f) for f in named)]


def validate_files(
    files: list[Path],
    *,
    checkout: Path | None = None,
    sources: Path | None = None,
    release: Path | None = None,
    context: bool = True,
    root: Path | None = None,
    known_ids: set[str] | None = None,
    keep_records: bool = True,
) -> CheckResult:
    """Check ``files`` as `usua validate` does; problems are those of the named files only.

    ``checkout``: a checkout of the dataset; with ``context``, its other curation files are read too
    and its source texts check the quotes (``sources`` overrides them). ``release``: a release folder
    whose records may be referred to (default: the bundled release, unless a checkout gives the
    context). Files named ``excluded-names.yaml`` are not contributions and are skipped."""
    files = [Path(f) for f in files if Path(f).name not in NOT_CONTRIBUTIONS]
    with_checkout = checkout is not None and context
    known: set[str] = set(known_ids or ())
    known_records: dict[str, Sequence[Any]] = {}
    release_dir = release if release is not None else (None if with_checkout else bundled_release())
    reserved: dict[str, str] = {}
    redirected: dict[str, str] = {}
    withdrawn: dict[str, str] = {}
    if release_dir is not None:
        ids, known_records, redirected, withdrawn = release_knowledge(release_dir)
        known |= ids
        if not with_checkout:
            label = release_label(release_dir)
            reserved = dict.fromkeys(ids, label)
    # the dataset-wide rules (assertions, coverage of names) judge the dataset as the build reads it
    as_built = (
        with_checkout and checkout is not None and (sources is None or _same(sources, checkout / "dataset" / "sources"))
    )
    if sources is None and checkout is not None:
        sources = checkout / "dataset" / "sources"
    extra = checkout_inputs(checkout, files) if with_checkout and checkout is not None else []
    # the checkout's files first, so that a named file defining one of their ids is the one told
    skipped = _not_read_by_the_build(checkout, files) if with_checkout and checkout is not None else []
    result = check_paths(
        [*extra, *files],
        sources_dir=sources,
        known_ids=known,
        known_records=known_records,
        root=root,
        keep_records=keep_records,
        reserved_ids=reserved,
        report_only={str(f) for f in files},
        dataset_root=checkout if as_built else None,
        redirected_ids=redirected,
        withdrawn_ids=withdrawn,
    )
    if skipped:
        result.problems = sorted([*result.problems, *skipped], key=Problem.sort_key)
    return result


def _not_read_by_the_build(checkout: Path, files: list[Path]) -> list[Problem]:
    """Named files in the checkout's curation folder that the build would not read (a hidden name):
    passing them would promise records that never reach the release."""
    curation = os.path.abspath(checkout / "dataset" / "curation")
    listed = {os.path.abspath(p) for p in contribution_files(Path(curation))}
    return [
        Problem(
            str(f),
            None,
            "",
            "not-read-by-the-build",
            "the build does not read this file (names starting with '.' are skipped)",
            "rename it without the leading dot",
        )
        for f in files
        if os.path.dirname(os.path.abspath(f)) == curation and os.path.abspath(f) not in listed
    ]
