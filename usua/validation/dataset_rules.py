"""The rules the build and the data tests enforce on a dataset beyond single records, run by `usua validate`
first (one call from check.py), so that a contributor hears of them before the build does:

* documents: a text equal to another's (repeats.py), a file name that is not the id, segments past the
  end of the text or over blank lines;
* dates: a day-precision date must show where its day comes from (a warning: the words are cues, a
  person decides; the data tests hold the curated dataset to no warnings at all);
* signatories: the role cited is the signatory's own;
* with a dataset folder (a checkout checked as the build reads it): the declared dataset assertions
  (assertions.py, which the build checks too) and the coverage of capitalised names by entities (the
  build's own code, builders/coverage.py, which the build runs as a step of its own).

Problems about the named files follow the caller's choice of files to report; problems about the
dataset as a whole (a source text, dataset/assertions.yaml) are always reported.
"""

from __future__ import annotations

import importlib
import os
import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any


from ..models.dates import DateValue, date_fields
from .problems import Problem
from .repeats import check_repeats
from .reader import Origin

MakeProblem = Callable[..., Problem]

#: A month and day as printed ('May 13', 'Oct. 21'): what a stated day-precision date needs in stated_as.
MONTH_DAY = re.compile(r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.? \d{1,2}\b")
MONTH_WORD = re.compile(
    r"\b(?:January|February|March|April|May|June|July|August|September|October|November|December)\b"
)
ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def shown(path: Path) -> str:
    """A path as problems name files: relative to the current folder when below it."""
    rel = os.path.relpath(path)
    return path.as_posix() if rel.startswith("..") else Path(rel).as_posix()


def check_dataset(
    records: dict[str, list[Any]],
    origins: dict[str, list[Origin]],
    texts: dict[str, str],
    problem: MakeProblem,
    *,
    sources_dir: Path | None = None,
    dataset_root: Path | None = None,
) -> tuple[list[Problem], list[Problem]]:
    """(problems in the records' files, problems of the dataset as a whole)."""
    in_files: list[Problem] = []
    whole: list[Problem] = []
    docs = [(d, o) for d, o in zip(records.get("documents", []), origins.get("documents", [])) if hasattr(d, "path")]
    documents, doc_origins = [d for d, _ in docs], [o for _, o in docs]
    in_files += check_repeats(documents, doc_origins, texts, problem)
    for doc, origin in docs:
        in_files += [problem(origin, *p) for p in document_rules(doc, texts.get(doc.id))]
    for section in ("roles", "events", "agreements", "statements", "figures"):
        for rec, origin in zip(records.get(section, []), origins.get(section, [])):
            if hasattr(rec, "evidence"):  # not an id-only stub of a bulk check
                in_files += [problem(origin, *p) for p in date_rules(rec)]
    roles = {r.id: r for r in records.get("roles", []) if hasattr(r, "person")}
    for rec, origin in zip(records.get("agreements", []), origins.get("agreements", [])):
        for n, s in enumerate(getattr(rec, "signatories", [])):
            if s.role in roles and roles[s.role].person != s.person:
                in_files.append(
                    problem(
                        origin,
                        f"/signatories/{n}/role",
                        "role-of-another-person",
                        f"{s.role} is a role of {roles[s.role].person}, not of the signatory {s.person}",
                        "cite the signatory's own role record, or correct the person",
                    )
                )
    if dataset_root is not None:
        from .assertions import check_assertions

        whole += check_assertions(dataset_root, records)
        if texts and sources_dir is not None:
            whole += check_coverage(dataset_root, sources_dir, records, origins, texts, problem)
    return in_files, whole


Rule = tuple[str, str, str, str | None, str]  # (pointer suffix, code, message, hint, severity)


def document_rules(doc: Any, text: str | None) -> Iterator[Rule]:
    slug = doc.id.split(":", 1)[1]
    if doc.path != f"{slug}.txt" and doc.copy_of is None:  # a copy may share its original's file
        yield (
            "/path",
            "file-name-not-id",
            f"the text file is named '{doc.path}', not after the document's id ({slug}.txt)",
            f"rename the text to {slug}.txt (and keep its name as received in received_as)",
            "warning",
        )
    if text is None:
        return
    lines = text.split("\n")
    count = len(lines)  # the lines line_starts counts: one more than the newlines
    for n, seg in enumerate(doc.segments):
        if seg.last_line > count:
            yield (
                f"/segments/{n}/last_line",
                "segment-beyond-text",
                f"{doc.id}: segment {n} ends at line {seg.last_line} but the text has {count} lines",
                "correct last_line in dataset/sources/documents.yaml",
                "error",
            )
        elif not "".join(lines[seg.first_line - 1 : seg.last_line]).strip():
            yield (
                f"/segments/{n}",
                "blank-segment",
                f"segment {n} (lines {seg.first_line}-{seg.last_line}) covers only blank lines",
                "correct first_line and last_line to the lines the segment labels",
                "warning",
            )


def _dates(rec: Any) -> Iterator[tuple[str, DateValue]]:
    for name in date_fields(rec.__class__):
        value = getattr(rec, name)
        if value is not None:
            yield f"/{name}", value


def date_rules(rec: Any) -> Iterator[Rule]:
    """An unknown date says why: method inferred, with a basis. A day-precision date shows its day: a
    stated one whose words are given prints the month and day ('May 13') in stated_as; a resolved or
    inferred one gives every ISO day of its value in basis; and a month named alone ('in May') stays
    month precision unless some words give the day."""
    for pointer, d in _dates(rec):
        if d.value is None and d.method != "inferred":
            yield (
                f"{pointer}/method",
                "unknown-date-without-reason",
                f"the date has no value, but method {d.method!r}",
                "an unknown date is method: inferred, with a basis saying why the sources give no date",
                "warning",
            )
        if d.precision != "day" or d.value is None:
            continue
        words = " ".join(filter(None, [d.stated_as, d.basis]))
        if d.method == "stated":  # without stated_as, the date is printed in full: nothing to compare
            ok = not d.stated_as or bool(MONTH_DAY.search(d.stated_as))
            want = "its month and day as printed ('May 13') in stated_as"
        else:
            ok = all(day in (d.basis or "") for day in ISO_DAY.findall(d.value))
            want = f"the day it arrives at ({', '.join(ISO_DAY.findall(d.value))}) in basis"
        if MONTH_WORD.search(d.stated_as or "") and not MONTH_DAY.search(words):
            ok, want = False, "a month and day in stated_as or basis, since stated_as names only a month"
        if not ok:
            yield (
                f"{pointer}/value",
                "day-without-support",
                f"the date {d.value} ({d.method}) is a day, but {words!r} does not show where the day comes from",
                f"give {want}, or lower the precision to what the source says (e.g. a month)",
                "warning",
            )


def _build_module(dataset_root: Path, name: str) -> Any:
    """A module of the build in the checkout (the same code as the build, so the two never disagree)."""
    root = str(Path(dataset_root).resolve())
    if not (Path(root) / "builders" / "__init__.py").is_file():
        return None
    added = root not in sys.path
    if added:
        sys.path.insert(0, root)
    try:
        return importlib.import_module(f"builders.{name}")
    except ImportError:
        return None
    finally:
        if added:
            sys.path.remove(root)


def check_coverage(
    dataset_root: Path,
    sources_dir: Path,
    records: dict[str, list[Any]],
    origins: dict[str, list[Origin]],
    texts: dict[str, str],
    problem: MakeProblem,
) -> list[Problem]:
    """The build's coverage rule: every capitalised name in a text is an entity's name or alias, or an
    exclusion with a reason. Warnings for what the data tests hold to: every entity is mentioned, every
    exclusion is used."""
    coverage, mentions = _build_module(dataset_root, "coverage"), _build_module(dataset_root, "mentions")
    errors = _build_module(dataset_root, "errors")
    if coverage is None or mentions is None or errors is None:
        return []
    exclusions_file = shown(Path(dataset_root) / coverage.EXCLUSIONS_FILE)
    try:
        exclusions = coverage.load_exclusions(Path(dataset_root))
    except errors.BuildError as exc:
        return [Problem(exclusions_file, None, "", "bad-exclusions", str(exc), None)]
    docs = [d for d in records.get("documents", []) if hasattr(d, "path") and d.id in texts]
    scanned = {**records, "documents": [d for d in mentions.scanned_documents({"documents": docs})]}
    rows = mentions.mention_rows(scanned, texts)
    report = coverage.coverage_report(scanned, texts, rows, exclusions)
    out = [
        Problem(
            shown(sources_dir / Path(u["file"]).name),
            u["line"],
            "",
            "unlinked-name",
            f"{u['name']!r} is not linked to any entity",
            f"curate an entity or alias that names it, or add it to {coverage.EXCLUSIONS_FILE} with a reason",
        )
        for u in report["unlinked"]
    ]
    if not docs or {d.id for d in docs} != {d.id for d in records.get("documents", []) if hasattr(d, "path")}:
        return out  # without every text, an unmentioned entity or an unused exclusion says nothing
    unmentioned = set(report["entities_without_mentions"])
    out += [
        problem(
            origin,
            "/name",
            "entity-without-mentions",
            f"{entity.id} is not mentioned in any document (no name or alias of it occurs in a text)",
            "add the name the sources use as an alias, or remove the entity if no source names it",
            "warning",
        )
        for entity, origin in zip(records.get("entities", []), origins.get("entities", []))
        if entity.id in unmentioned
    ]
    used = set(report["excluded_occurrences"])
    out += [
        Problem(
            exclusions_file,
            None,
            f"/excluded/{i}",
            "unused-exclusion",
            f"the exclusion {x['name']!r} matches no unlinked name in any text",
            "remove it",
            "warning",
        )
        for i, x in enumerate(exclusions)
        if x["name"] not in used
    ]
    return out
