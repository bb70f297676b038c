"""Step 2-3: read and check every contribution, then assert that every quote was located."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import BuildError
from .sources import DOCUMENTS_FILE

#: Files in dataset/curation that are not contributions.
NOT_CONTRIBUTIONS = {"excluded-names.yaml"}


@dataclass
class Curated:
    records: dict[str, list[Any]]  # section -> validated records, evidence located
    texts: dict[str, str]  # document id -> text


#: Contribution file formats the build reads (JSON Lines is the fast one for large batches).
CURATION_SUFFIXES = (".yaml", ".yml", ".json", ".jsonl")


def curation_files(root: Path) -> list[Path]:
    """documents.yaml first, then every contribution file in dataset/curation, in sorted order."""
    cur = root / "dataset" / "curation"
    files = sorted(p for p in cur.iterdir() if p.suffix in CURATION_SUFFIXES and p.is_file()
                   and p.name not in NOT_CONTRIBUTIONS and not p.name.startswith(".")) if cur.is_dir() else []
    return [root / "dataset" / "sources" / DOCUMENTS_FILE, *files]


def _relative(problem_file: str, root: Path) -> str:
    try:
        return Path(problem_file).resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return problem_file


def load_curation(root: Path) -> Curated:
    from usua.contrib import check_paths

    result = check_paths(curation_files(root), sources_dir=root / "dataset" / "sources")
    errors = [p for p in result.problems if p.severity == "error"]
    if errors:
        lines = []
        for p in errors:
            rel = _relative(p.file, root)
            lines.append(p.format().replace(p.file, rel, 1) if p.file else p.format())
        raise BuildError(f"the curation has {len(errors)} problem(s):", lines)
    curated = Curated(records={k: list(v) for k, v in result.records.items()}, texts=dict(result.texts))
    assert_located(curated.records)
    return curated


def walk_evidence(record: Any) -> Iterator[tuple[str, int, Any]]:
    """(pointer of the object holding the evidence list, index, evidence) for every evidence item of a
    record, nested ones included (agreement provisions, disagreement versions)."""
    from usua.contrib.references import iter_evidence

    for pointer, ev in iter_evidence(record):
        holder, _, n = pointer.rsplit("/", 2)
        yield holder, int(n), ev


def assert_located(records: dict[str, list[Any]]) -> None:
    """The validation core fills start/end/segment; a release without them would be unusable."""
    missing = []
    for section, recs in records.items():
        for rec in recs:
            for ptr, n, ev in walk_evidence(rec):
                if ev.start is None or ev.end is None or ev.segment is None:
                    missing.append(f"{section}: {rec.id}{ptr}/evidence/{n}: the quote has no offsets or segment "
                                   "(the validation did not locate it; run `usua validate` on the file)")
    if missing:
        raise BuildError("evidence was not located in the source texts:", missing)
