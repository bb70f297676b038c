"""Overlapping name matches: the longest wins, then the earliest (bisect over the matches taken)."""

from __future__ import annotations

import ahocorasick_rs
from hypothesis import given
from hypothesis import strategies as st

from builders.mentions import _is_word_char, find_mentions
from usua.text import normalise

names = st.lists(st.text(alphabet="ab c", min_size=1, max_size=6), min_size=1, max_size=8, unique=True)


def longest_first(text: str, automaton, patterns: list[str]) -> list[tuple[int, int, str]]:
    """The rule as first written: every candidate checked against every match taken."""
    hay = normalise(text)
    candidates = []
    for idx, start, end in automaton.find_matches_as_indexes(hay, overlapping=True):
        if start > 0 and _is_word_char(hay[start - 1]) and _is_word_char(hay[start]):
            continue
        if end < len(hay) and _is_word_char(hay[end]) and _is_word_char(hay[end - 1]):
            continue
        candidates.append((start, end, patterns[idx]))
    candidates.sort(key=lambda m: (-(m[1] - m[0]), m[0]))
    taken: list[tuple[int, int, str]] = []
    for m in candidates:
        if all(m[1] <= t[0] or m[0] >= t[1] for t in taken):
            taken.append(m)
    return sorted(taken)


@given(names, st.text(alphabet="ab c.", max_size=60))
def test_bisect_takes_the_matches_the_rule_takes(patterns, text):
    automaton = ahocorasick_rs.AhoCorasick(patterns, matchkind=ahocorasick_rs.MatchKind.Standard)
    assert find_mentions(text, automaton, patterns) == longest_first(text, automaton, patterns)
