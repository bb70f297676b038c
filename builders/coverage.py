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

import bisect
import itertools
import os
import re
from collections import Counter
from pathlib import Path
from typing import Any

from usua.text import line_starts, normalise

from .errors import BuildError
from .segments import Span, segment_spans

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


def _sentence_start(text: str, start: int) -> bool:
    i = start - 1
    while i >= 0 and text[i] in " \t\"'([":
        i -= 1
    return i < 0 or text[i] in "\n.!?:"


#: Tokens that are never names (and end the run they would join).
_NEVER_NAMES = CALENDAR_WORDS | {"i"}


def candidate_names(text: str, span_start: int, span_end: int, norm: str | None = None) -> list[tuple[int, int]]:
    """Runs of capitalised tokens inside [span_start, span_end) as (start, end) offsets. ``norm`` is
    ``normalise(text)`` when the caller has it (scanning line by line, normalise the text once)."""
    if norm is None:
        norm = normalise(text)
    # one pass over the tokens, keeping of the open run only where its name starts and where it ends:
    # a run loses the common words that open a sentence at its front, so its name starts at the first
    # token that is not one (-1: none yet); no list of tokens per run (most of the scan's time)
    out: list[tuple[int, int]] = []
    gap = _RUN_GAP.fullmatch
    is_open, name_start, pe = False, -1, 0
    for m in _TOKEN.finditer(norm, span_start, span_end):
        s, e = m.span()
        if s > span_start and (norm[s - 1].isalnum() or norm[s - 1] == "_"):
            continue
        if norm[e - 1] == "." and e - s > 2 and norm.count(".", s, e) == 1:
            e -= 1
        if e - s > 2 and norm[e - 1] == "s" and norm[e - 2] == "'":
            e -= 2
        low = norm[s:e].lower()
        if low in _NEVER_NAMES:
            continue
        if not (is_open and ((pe + 1 == s and norm[pe] == " ") or gap(norm, pe, s))):
            if name_start >= 0:  # the run before ends
                out.append((name_start, pe))
            is_open, name_start = True, -1
        if name_start < 0 and not (low in COMMON_WORDS and _sentence_start(norm, s)):
            name_start = s
        pe = e
    if name_start >= 0:
        out.append((name_start, pe))
    return out


def _uncovered_parts(
    norm: str, start: int, end: int, covered: list[tuple[int, int]], first: int = 0
) -> list[tuple[int, int]]:
    """Pieces of [start, end) outside every mention, trimmed of spaces, connectors and punctuation.
    ``first``: an index of ``covered`` before which no mention ends after ``start``."""
    pieces, pos = [], start
    for k in range(first, len(covered)):  # in order of start: none after one that starts at or past the end
        cs, ce = covered[k]
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


def _name_key(name: str) -> str:
    return " ".join(normalise(name).split())


def _exclusion_index(exclusions: list[dict[str, Any]]) -> dict[str, set[str] | None]:
    """Name key -> the documents it is excluded for (None: every document)."""
    index: dict[str, set[str] | None] = {}
    for x in exclusions:
        key = _name_key(x["name"])
        if "documents" not in x:
            index[key] = None
        elif (docs := index.setdefault(key, set())) is not None:
            docs.update(x["documents"])
    return index


def _excluded(name: str, document: str, index: dict[str, set[str] | None]) -> bool:
    key = _name_key(name)
    if key not in index:
        return False
    docs = index[key]
    return docs is None or document in docs


def _scanned_regions(text: str, starts: list[int], spans: list[Span]) -> tuple[list[tuple[int, int]], dict[int, str]]:
    """The (start, end) stretches of the text outside every segment that is not scanned, and the
    segment of each line in one (a line lies in the first segment listed that holds it; other
    lines are body). No name crosses a line break, so scanning these stretches finds the names
    of the scanned lines."""
    kinds: dict[int, str] = {}
    for span in spans:
        for line in range(span.first_line, span.last_line + 1):
            kinds.setdefault(line, span.kind)
    regions, pos = [], 0
    for line in sorted(line for line, kind in kinds.items() if kind not in SCANNED_SEGMENTS):
        if starts[line - 1] > pos:
            regions.append((pos, starts[line - 1]))
        pos = starts[line] if line < len(starts) else len(text)
    if pos < len(text):
        regions.append((pos, len(text)))
    return regions, kinds


def coverage_report(
    records: dict[str, list[Any]],
    texts: dict[str, str],
    mentions: list[dict[str, Any]],
    exclusions: list[dict[str, Any]],
) -> dict[str, Any]:
    by_doc: dict[str, list[tuple[int, int]]] = {}
    for m in mentions:
        by_doc.setdefault(m["document"], []).append((m["start"], m["end"]))
    excluded = _exclusion_index(exclusions)
    unlinked, excluded_used = [], Counter()
    for doc in records.get("documents", []):
        text = texts[doc.id]
        norm = normalise(text)
        starts = line_starts(text)
        spans = segment_spans(doc, text)
        covered = sorted(set(by_doc.get(doc.id, [])))
        reach = list(itertools.accumulate((ce for _, ce in covered), max))  # furthest end so far
        regions, kinds = _scanned_regions(text, starts, spans)
        for cs, ce in (c for a, b in regions for c in candidate_names(text, a, b, norm)):
            first = bisect.bisect_right(reach, cs)
            if first < len(covered) and covered[first][0] < ce:
                if covered[first][0] <= cs and covered[first][1] >= ce:
                    continue  # one mention covers it all (the usual case)
                parts = _uncovered_parts(norm, cs, ce, covered, first)
            else:  # nothing covers it: the candidate, which starts with a capital, trimmed
                trimmed = _TRAILER.sub("", norm[cs:ce])
                parts = [(cs, cs + len(trimmed))] if _CAPITAL.search(trimmed) else []
            for s, e in parts:
                name = text[s:e]
                if excluded and (_excluded(name, doc.id, excluded) or _excluded(text[cs:ce], doc.id, excluded)):
                    excluded_used[name] += 1
                    continue
                unlinked.append(
                    {
                        "document": doc.id,
                        "file": f"dataset/sources/{doc.path}",
                        "line": (line := bisect.bisect_right(starts, s)),
                        "start": s,
                        "end": e,
                        "name": name,
                        "segment": kinds.get(line, "body"),
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
