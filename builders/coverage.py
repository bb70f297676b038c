"""The coverage report: names in the body and captions that no entity covers, and mentions per entity.

A *candidate name* is a run of capitalised words (internal "of" / "of the" allowed, as in "Secretary
of Defense") in body or caption text. The parts of a candidate that no mention covers are *unlinked
names*. Rules that keep ordinary words out:

* a capitalised word at the start of a sentence (after the start of a line or . ! ? : and optional
  quotes or brackets) is dropped from the front of a candidate when it is a common English word
  (COMMON_WORDS: articles, pronouns, prepositions, conjunctions, common sentence openers);
* weekday and month names, and the pronoun "I", are never names;
* a trailing possessive 's and a sentence-final full stop are not part of the name.

An unlinked name is accepted when dataset/curation/excluded-names.yaml lists it (for its document or
for every document). Otherwise the build fails: curate an entity or alias, or add an exclusion with
a reason.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from pathlib import Path
from typing import Any

from usua.text import line_starts, normalise

from .errors import BuildError
from .segments import line_of, segment_at, segment_spans

EXCLUSIONS_FILE = "dataset/curation/excluded-names.yaml"
SCANNED_SEGMENTS = {"body", "caption"}

COMMON_WORDS = frozenset(
    """
a an the this that these those there here it its he she they we you i his her their our your my me him
them us who whom whose which what when where why how whether if unless because since as while although
though after before during until upon in on at by for from with without within into onto over under
about above below between among against across along around through toward towards of to and or but nor
so yet also both either neither not no yes all any each every some many much more most such other another
one two three first second last next new then thus however meanwhile moreover instead still even only
just already later earlier now today yesterday tomorrow tonight again once according despite amid asked
speaking meanwhile furthermore besides overall finally indeed perhaps many several few while officials
""".split()
)
CALENDAR_WORDS = frozenset(
    """monday tuesday wednesday thursday friday saturday sunday january february march
april may june july august september october november december""".split()
)

#: The rule above as one text for coverage.json (paragraphs and list items kept, lines unwrapped).
RULE = re.sub(r"[ \t]*\n[ \t]*(?!\n|\* )(?<!\n\n)", " ", __doc__.split("\n\n", 1)[1].strip())

_TOKEN = re.compile(r"[A-Z][\w'\-]*(?:\.[\w'\-]+)*\.?")
_RUN_GAP = re.compile(r"[ \t]+(?:of(?:[ \t]+the)?[ \t]+)?")  # what may join two tokens of one name
_CAPITAL = re.compile(r"[A-Z]")
_TRAILER = re.compile(r"(?:[\s\-,;]+|\s+of(?:\s+the)?\s*|'s)+$")
_CONNECTOR = re.compile(r"\s+(of(?:\s+the)?)\s+$")


def _tokens(segment_text: str, offset: int) -> list[tuple[int, int, str]]:
    """Capitalised tokens (start, end, text) with possessives and sentence-final stops trimmed."""
    out = []
    for m in _TOKEN.finditer(segment_text):
        s = m.start()
        if s and (segment_text[s - 1].isalnum() or segment_text[s - 1] == "_"):
            continue
        tok = m.group()
        if tok[-1] == "." and len(tok) > 2 and tok.count(".") == 1:
            tok = tok[:-1]  # "Ukraine." ends a sentence; "U.S." and the initial "J." keep their stops
        if tok.endswith("'s"):
            tok = tok[:-2]
        if tok:
            out.append((s + offset, s + offset + len(tok), tok))
    return out


def _sentence_start(text: str, start: int) -> bool:
    i = start - 1
    while i >= 0 and text[i] in " \t\"'([":
        i -= 1
    return i < 0 or text[i] in "\n.!?:"


def candidate_names(text: str, span_start: int, span_end: int, norm: str | None = None) -> list[tuple[int, int]]:
    """Runs of capitalised tokens inside [span_start, span_end) as (start, end) offsets. ``norm`` is
    ``normalise(text)`` when the caller has it (scanning line by line, normalise the text once)."""
    if norm is None:
        norm = normalise(text)
    toks = [
        t for t in _tokens(norm[span_start:span_end], span_start) if t[2].lower() not in CALENDAR_WORDS and t[2] != "I"
    ]
    runs: list[list[tuple[int, int, str]]] = []
    for tok in toks:
        if runs:
            if _RUN_GAP.fullmatch(norm, runs[-1][-1][1], tok[0]):
                runs[-1].append(tok)
                continue
        runs.append([tok])
    out = []
    for run in runs:
        while run and run[0][2].lower() in COMMON_WORDS and _sentence_start(norm, run[0][0]):
            run = run[1:]
        if run:
            out.append((run[0][0], run[-1][1]))
    return out


def _uncovered_parts(norm: str, start: int, end: int, covered: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Pieces of [start, end) outside every mention, trimmed of spaces, connectors and punctuation."""
    pieces, pos = [], start
    for cs, ce in covered:  # in order of start: none after one that starts at or past the end
        if cs >= end:
            break
        if ce <= start:
            continue
        if cs > pos:
            pieces.append((pos, cs))
        pos = max(pos, ce)
    if pos < end:
        pieces.append((pos, end))
    out = []
    for s, e in pieces:
        piece = norm[s:e]
        m = _CAPITAL.search(piece)
        if not m:
            continue
        s += m.start()
        piece = norm[s:e]
        trimmed = _TRAILER.sub("", piece)
        if _CAPITAL.search(trimmed):
            out.append((s, s + len(trimmed)))
    return out


def load_exclusions(root: Path) -> list[dict[str, Any]]:
    path = root / EXCLUSIONS_FILE
    if not os.path.lexists(path):  # anything else there (a FIFO, a broken link) is reported by the reader
        return []
    from usua.validation.reader import read_contribution_file

    file, problems = read_contribution_file(
        path, name=EXCLUSIONS_FILE
    )  # the limits of contribution files hold here too
    if file is None:
        raise BuildError(f"{EXCLUSIONS_FILE} cannot be read:", [p.format() for p in problems])
    data = file.data or {}
    items = data.get("excluded") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise BuildError(f"{EXCLUSIONS_FILE}: expected a mapping with a list 'excluded' (see CONTRIBUTING.md)")
    problems = []
    for i, item in enumerate(items):
        if not isinstance(item, dict) or not isinstance(item.get("name"), str) or not item.get("reason"):
            problems.append(f"{EXCLUSIONS_FILE}: /excluded/{i}: each exclusion needs a 'name' and a 'reason'")
        elif "documents" in item and not (
            isinstance(item["documents"], list) and all(isinstance(d, str) for d in item["documents"])
        ):
            problems.append(f"{EXCLUSIONS_FILE}: /excluded/{i}/documents: must be a list of document ids")
    if problems:
        raise BuildError("the name exclusions are malformed:", problems)
    return items


def _excluded(name: str, document: str, exclusions: list[dict[str, Any]]) -> bool:
    key = " ".join(normalise(name).split())
    return any(
        " ".join(normalise(x["name"]).split()) == key and document in x.get("documents", [document]) for x in exclusions
    )


def _scanned_blocks(text: str, starts: list[int], spans: list) -> list[tuple[int, int]]:
    """(start, end) of each run of consecutive lines in a scanned segment (body, caption; empty lines
    join either side). No token or name crosses a line break, so scanning a run at once finds what
    scanning its lines one by one finds; a run never crosses into a segment that is not scanned."""
    blocks: list[tuple[int, int]] = []
    open_at = None
    for ln, ls in enumerate(starts):
        le = starts[ln + 1] - 1 if ln + 1 < len(starts) else len(text)
        if le <= ls or segment_at(spans, ls) in SCANNED_SEGMENTS:
            if open_at is None:
                open_at = ls
            end = le
        elif open_at is not None:
            blocks.append((open_at, end))
            open_at = None
    if open_at is not None:
        blocks.append((open_at, end))
    return blocks


def coverage_report(
    records: dict[str, list[Any]],
    texts: dict[str, str],
    mentions: list[dict[str, Any]],
    exclusions: list[dict[str, Any]],
) -> dict[str, Any]:
    by_doc: dict[str, list[tuple[int, int]]] = {}
    for m in mentions:
        by_doc.setdefault(m["document"], []).append((m["start"], m["end"]))
    unlinked, excluded_used = [], Counter()
    for doc in records.get("documents", []):
        text, norm = texts[doc.id], normalise(texts[doc.id])
        starts = line_starts(text)
        spans = segment_spans(doc, text)
        covered = sorted(set(by_doc.get(doc.id, [])))
        for bs, be in _scanned_blocks(text, starts, spans):
            for cs, ce in candidate_names(text, bs, be, norm):
                for s, e in _uncovered_parts(norm, cs, ce, covered):
                    name = text[s:e]
                    if exclusions and (
                        _excluded(name, doc.id, exclusions) or _excluded(text[cs:ce], doc.id, exclusions)
                    ):
                        excluded_used[name] += 1
                        continue
                    unlinked.append(
                        {
                            "document": doc.id,
                            "file": f"dataset/sources/{doc.path}",
                            "line": line_of(starts, s),
                            "start": s,
                            "end": e,
                            "name": name,
                            "segment": segment_at(spans, s),
                        }
                    )
    counts = Counter((m["document"], m["entity"]) for m in mentions)
    per_doc: dict[str, dict[str, int]] = {}
    for (d, e), c in sorted(counts.items()):
        per_doc.setdefault(d, {})[e] = c
    return {
        "rule": RULE,
        "unlinked": unlinked,
        "excluded_occurrences": dict(sorted(excluded_used.items())),
        "mentions": per_doc,
        "entities_without_mentions": sorted({e.id for e in records.get("entities", [])} - {e for _, e in counts}),
    }


def summarised_coverage(report: dict[str, Any]) -> dict[str, Any]:
    """coverage.json of a large release: the mention counts per document and entity (a line per
    pair, most of the file) become totals, the mentions table holding them all (group it by document
    and entity); unlinked names (none in a release built with coverage required) are counted per
    name, every occurrence being listed by a full build (``build_release(..., full=True)``)."""
    per_doc = report["mentions"]
    summary = {k: v for k, v in report.items() if k not in ("mentions", "unlinked")}
    summary["unlinked_summary"] = {
        "occurrences": len(report["unlinked"]),
        "names": dict(sorted(Counter(u["name"] for u in report["unlinked"]).items())),
    }
    summary["mentions_summary"] = {
        "documents": len(per_doc),
        "entities": len({e for counts in per_doc.values() for e in counts}),
        "mentions": sum(c for counts in per_doc.values() for c in counts.values()),
        "per_document_and_entity": "the mentions table, grouped by document and entity",
    }
    return summary


def fail_on_unlinked(report: dict[str, Any]) -> None:
    if report["unlinked"]:
        raise BuildError(
            f"the coverage report found {len(report['unlinked'])} unlinked name(s); for each, curate an entity "
            f"or alias that names it, or add it to {EXCLUSIONS_FILE} with a reason:",
            [f"{u['file']}:{u['line']}: {u['name']!r} is not linked to any entity" for u in report["unlinked"]],
        )
