"""Step 2-3: read and check every contribution, then assert that every quote was located."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from usua.checkout import contribution_files
from usua.derivation import derived_records
from usua.version import DATASET_VERSION

from .errors import BuildError
from .sources import DOCUMENTS_FILE


@dataclass
class Curated:
    records: dict[str, list[Any]]  # section -> validated records, evidence located
    texts: dict[str, str]  # document id -> text


def curation_files(root: Path) -> list[Path]:
    """documents.yaml first, then every contribution file in dataset/curation, in sorted order: the
    files `usua validate` reads as a checkout's context (one listing for both, endings in any case)."""
    return [root / "dataset" / "sources" / DOCUMENTS_FILE, *contribution_files(root / "dataset" / "curation")]


def _relative(problem_file: str, root: Path) -> str:
    try:  # the files are named from root (curation_files), so no resolving (a link may loop)
        return Path(problem_file).relative_to(root).as_posix()
    except ValueError:
        return problem_file


def load_curation(
    root: Path, version: str = DATASET_VERSION, published: tuple[Path, Path | None] | None = None
) -> Curated:
    """The checked records and texts of the release ``version``. ``published``: the folder of release
    folders and the registry saying which are published, whose ids the release must keep resolving
    (default: the checkout's dataset/releases and usua/release-registry.txt; no registry: none)."""
    from usua.validation import check_paths
    from usua.validation.assertions import check_assertions
    from usua.validation.released import check_released, checkout_releases, made_ids

    result = check_paths(curation_files(root), sources_dir=root / "dataset" / "sources")
    # the dataset's declared assertions and the published ids, as `usua validate` checks them in a
    # checkout; the coverage of names, which validate also runs there, is the build's own step
    # (builders/coverage.py)
    ids, _ = made_ids(result.records, result.derivation)
    problems = [
        *result.problems,
        *check_assertions(root, result.records),
        *check_released(ids, version, *(published or checkout_releases(root))),
    ]
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        lines = []
        for p in errors:
            rel = _relative(p.file, root)
            line = p.format().replace(p.file, rel, 1) if p.file else p.format()
            lines.append(line.replace(f"{root}/", ""))  # other files named in the message too
        raise BuildError(f"the curation has {len(errors)} problem(s):", lines)
    records = {k: list(v) for k, v in result.records.items()}
    assert_located(records)
    if result.derivation is not None:  # the validation derived these records already: apply that once
        records = derived_records(records, result.derivation)
    return Curated(records=records, texts=dict(result.texts))


def walk_evidence(record: Any) -> Iterator[tuple[str, int, Any]]:
    """(pointer of the object holding the evidence list, index, evidence) for every evidence item of a
    record, nested ones included (agreement provisions, disagreement versions)."""
    from usua.validation.references import iter_evidence

    for pointer, ev in iter_evidence(record):
        holder, _, n = pointer.rsplit("/", 2)
        yield holder, int(n), ev


def section_evidence(section: str, record: Any) -> Iterator[tuple[str, int, Any]]:
    """What ``walk_evidence`` gives, by the walk of the section's model that validation takes
    (``evidence_lists``: its evidence fields read once from its types), not by testing every field
    of every nested model (most of deriving the evidence table). Own evidence first, then nested."""
    from usua.validation.references import evidence_lists

    for pointer, evidence in evidence_lists(section, record):
        holder = pointer.rpartition("/")[0]
        for n, ev in enumerate(evidence):
            yield holder, n, ev


def assert_located(records: dict[str, list[Any]]) -> None:
    """The validation core fills start/end/segment; a release without them would be unusable."""
    from usua.validation.references import evidence_items

    missing = []
    for section, recs in records.items():
        for rec in recs:
            evidence = evidence_items(section, rec)
            if all(ev.start is not None and ev.end is not None and ev.segment is not None for ev in evidence):
                continue  # the common case, told without building pointers
            for ptr, n, ev in walk_evidence(rec):
                if ev.start is None or ev.end is None or ev.segment is None:
                    missing.append(
                        f"{section}: {rec.id}{ptr}/evidence/{n}: the quote has no offsets or segment "
                        "(the validation did not locate it; run `usua validate` on the file)"
                    )
    if missing:
        raise BuildError("evidence was not located in the source texts:", missing)
