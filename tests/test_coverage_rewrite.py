"""The coverage scan, rewritten to tokenise each text once and to look up lines and segments only for
the names it reports, gives what it gave before: the previous implementation is the reference here."""

from __future__ import annotations

from collections import Counter
from types import SimpleNamespace
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from builders.coverage import (
    _RUN_GAP,
    _TOKEN,
    CALENDAR_WORDS,
    COMMON_WORDS,
    SCANNED_SEGMENTS,
    _sentence_start,
    _uncovered_parts,
    candidate_names,
    coverage_report,
)
from builders.segments import line_of, segment_at, segment_spans
from usua.text import line_starts, normalise

# --- the previous implementations -------------------------------------------------------------


def old_tokens(segment_text: str, offset: int) -> list[tuple[int, int, str]]:
    out = []
    for m in _TOKEN.finditer(segment_text):
        s = m.start()
        if s and (segment_text[s - 1].isalnum() or segment_text[s - 1] == "_"):
            continue
        tok = m.group()
        if tok[-1] == "." and len(tok) > 2 and tok.count(".") == 1:
            tok = tok[:-1]
        if tok.endswith("'s"):
            tok = tok[:-2]
        if tok:
            out.append((s + offset, s + offset + len(tok), tok))
    return out


def old_candidate_names(text: str, span_start: int, span_end: int, norm: str) -> list[tuple[int, int]]:
    toks = [
        t
        for t in old_tokens(norm[span_start:span_end], span_start)
        if t[2].lower() not in CALENDAR_WORDS and t[2] != "I"
    ]
    runs: list[list[tuple[int, int, str]]] = []
    for tok in toks:
        if runs and _RUN_GAP.fullmatch(norm, runs[-1][-1][1], tok[0]):
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


def old_excluded(name: str, document: str, exclusions: list[dict[str, Any]]) -> bool:
    key = " ".join(normalise(name).split())
    return any(
        " ".join(normalise(x["name"]).split()) == key and document in x.get("documents", [document]) for x in exclusions
    )


def old_scanned_blocks(text: str, starts: list[int], spans: list) -> list[tuple[int, int]]:
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


def old_unlinked(records, texts, mentions, exclusions) -> tuple[list[dict[str, Any]], Counter]:
    by_doc: dict[str, list[tuple[int, int]]] = {}
    for m in mentions:
        by_doc.setdefault(m["document"], []).append((m["start"], m["end"]))
    unlinked, excluded_used = [], Counter()
    for doc in records["documents"]:
        text, norm = texts[doc.id], normalise(texts[doc.id])
        starts = line_starts(text)
        spans = segment_spans(doc, text)
        covered = sorted(set(by_doc.get(doc.id, [])))
        for bs, be in old_scanned_blocks(text, starts, spans):
            for cs, ce in old_candidate_names(text, bs, be, norm):
                # from the first mention on, as before (its rule: tests/test_coverage_scan.py)
                for s, e in _uncovered_parts(norm, cs, ce, covered):
                    name = text[s:e]
                    if exclusions and (
                        old_excluded(name, doc.id, exclusions) or old_excluded(text[cs:ce], doc.id, exclusions)
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
    return unlinked, excluded_used


# --- generated documents --------------------------------------------------------------------------

NAMES = ["Kyiv", "Lloyd J. Austin", "Austin", "U.S.", "the Navy", "Ukraine\u2019s", "Ministry of Defense", "May"]
words = st.sampled_from(
    [*NAMES, "The", "of", "the", "said", "I", "I's", "However", "x-Ray", "A-B", "é", "\u2019s", "_Kyiv", "9Austin"]
    + ["J.", "Kyiv.", "MAY", "aB.Cd", "Of", "U.S.A"]
)
gaps = st.sampled_from([" ", "  ", "\t", "\n", "\n\n", ". ", ", ", ' "', "(", "-", ":", "\u00a0", ""])
texts = st.lists(st.tuples(words, gaps), max_size=40).map(lambda parts: "".join(w + g for w, g in parts))
kinds = st.sampled_from(["title", "byline", "caption", "body", "boilerplate"])


@st.composite
def documents(draw, n: int) -> tuple[list[Any], dict[str, str]]:
    docs, out = [], {}
    for i in range(n):
        text = draw(texts)
        lines = text.count("\n") + 1
        segments = []
        for kind, first, extra in draw(st.lists(st.tuples(kinds, st.integers(1, lines), st.integers(0, 3)))):
            segments.append(
                SimpleNamespace(kind=kind, first_line=first, last_line=min(first + extra, lines), note=None)
            )
        docs.append(SimpleNamespace(id=f"doc:{i}", path=f"d{i}.txt", segments=segments, copy_of=None))
        out[f"doc:{i}"] = text
    return docs, out


# --- the properties ---------------------------------------------------------------------------


@settings(max_examples=1000)
@given(texts | st.text(), st.integers(0, 20), st.integers(0, 60))
def test_candidate_names_are_those_of_the_token_list(text, start, length):
    norm = normalise(text)
    end = min(len(text), start + length)
    assert candidate_names(text, start, end, norm) == old_candidate_names(text, start, end, norm)


@settings(max_examples=300)
@given(
    documents(3),
    st.lists(st.tuples(st.integers(0, 2), st.integers(0, 200), st.integers(1, 15), st.sampled_from("ab"))),
    st.lists(st.tuples(st.sampled_from(NAMES + ["Kyiv of the Navy", "A-B"]), st.none() | st.sets(st.integers(0, 3)))),
)
def test_coverage_report_is_what_it_was(docs_texts, mentions, exclusions):
    docs, txts = docs_texts
    rows = [{"document": f"doc:{d}", "entity": e, "start": s, "end": s + n} for d, s, n, e in mentions]
    excl = [
        {"name": name, "reason": "test", **({} if ds is None else {"documents": [f"doc:{d}" for d in sorted(ds)]})}
        for name, ds in exclusions
    ]
    records = {"documents": docs, "entities": []}
    report = coverage_report(records, txts, rows, excl)
    unlinked, used = old_unlinked(records, txts, rows, excl)
    assert report["unlinked"] == unlinked
    assert report["excluded_occurrences"] == dict(sorted(used.items()))
