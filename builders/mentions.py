"""The mentions table: every whole-word occurrence of every entity name and alias in every document.

One Aho-Corasick automaton holds all names. Matching runs on usua.text.normalise(text), which maps
each character to one character, so offsets are offsets in the original text. Matches that touch a
letter or digit on either side are dropped (whole words only); where matches overlap, the longest
wins (then the earliest), so "Lloyd J. Austin III" is one mention, not also "Austin".
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from typing import Any

import ahocorasick_rs

from usua.text import normalise

from .segments import segment_at, segment_spans


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def name_index(entities: list[Any]) -> dict[str, list[str]]:
    """Normalised name -> ids of the entities that carry it (a name may be shared)."""
    index: dict[str, set[str]] = defaultdict(set)
    for e in entities:
        for name in [e.name, *(a.name for a in e.aliases)]:
            index[normalise(name)].add(e.id)
    return {name: sorted(ids) for name, ids in sorted(index.items())}


def find_mentions(text: str, automaton, patterns: list[str]) -> list[tuple[int, int, str]]:
    """Non-overlapping whole-word matches (start, end, pattern), longest first on overlap."""
    hay = normalise(text)
    candidates = []
    for idx, start, end in automaton.find_matches_as_indexes(hay, overlapping=True):
        if start > 0 and _is_word_char(hay[start - 1]) and _is_word_char(hay[start]):
            continue
        if end < len(hay) and _is_word_char(hay[end]) and _is_word_char(hay[end - 1]):
            continue
        candidates.append((start, end, patterns[idx]))
    return longest_first(candidates)


def longest_first(candidates: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """The matches kept where candidates overlap: the longest, then the earliest; in order of start."""
    candidates = sorted(candidates, key=lambda m: (-(m[1] - m[0]), m[0]))
    # the matches taken so far never overlap: kept in order of start, only the one starting last
    # before a candidate's end can overlap it
    starts: list[int] = []
    taken: list[tuple[int, int, str]] = []
    for m in candidates:
        i = bisect.bisect_left(starts, m[1]) - 1
        if i < 0 or taken[i][1] <= m[0]:
            starts.insert(i + 1, m[0])
            taken.insert(i + 1, m)
    return taken


def scanned_documents(records: dict[str, list[Any]]) -> list[Any]:
    """The documents whose names are found and checked: not declared copies, which repeat their
    original's names (counting them again would double the mentions)."""
    return [doc for doc in records.get("documents", []) if doc.copy_of is None]


def mention_rows(records: dict[str, list[Any]], texts: dict[str, str]) -> list[dict[str, Any]]:
    index = name_index(records.get("entities", []))
    if not index:
        return []
    patterns = list(index)
    automaton = ahocorasick_rs.AhoCorasick(patterns, matchkind=ahocorasick_rs.MatchKind.Standard)
    rows = []
    for doc in scanned_documents(records):
        text = texts[doc.id]
        spans = segment_spans(doc, text)
        for start, end, pattern in find_mentions(text, automaton, patterns):
            for entity in index[pattern]:
                rows.append(
                    {
                        "document": doc.id,
                        "entity": entity,
                        "name": text[start:end],
                        "start": start,
                        "end": end,
                        "segment": segment_at(spans, start),
                    }
                )
    return rows
