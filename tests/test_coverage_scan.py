"""The coverage scan, made faster, finds what its rule as first written finds."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from builders.coverage import SCANNED_SEGMENTS, _scanned_regions, _uncovered_parts, candidate_names
from builders.segments import Span, segment_at
from usua.text import line_starts, normalise

words = st.sampled_from(["Kyiv", "The", "of", "the", "U.S.", "Austin's", "x-Ray", "A-B", "said", "May", "I", "\u2019s"])
gaps = st.sampled_from([" ", "  ", "\t", "\n", "\n\n", ". ", ", ", ' "', "(", "-", ":"])
texts = st.lists(st.tuples(words, gaps), max_size=40).map(lambda parts: "".join(w + g for w, g in parts))


def by_line(text: str, norm: str, starts: list[int], spans: list[Span]) -> list[tuple[int, int]]:
    out = []
    for ln, ls in enumerate(starts):
        le = starts[ln + 1] - 1 if ln + 1 < len(starts) else len(text)
        if segment_at(spans, ls) in SCANNED_SEGMENTS and le > ls:
            out += candidate_names(text, ls, le, norm)
    return out


@given(texts, st.lists(st.tuples(st.integers(1, 12), st.integers(0, 3), st.sampled_from(["headline", "caption"]))))
def test_stretches_outside_unscanned_segments_give_the_candidates_of_each_scanned_line(text, segments):
    starts = line_starts(text)
    spans = []
    for n, (first, extra, kind) in enumerate(segments):
        last = min(first + extra, len(starts))
        if first > last:
            continue
        end = starts[last] - 1 if last < len(starts) else len(text)
        spans.append(Span(n, kind, first, last, starts[first - 1], end, None))
    norm = normalise(text)
    regions, _ = _scanned_regions(text, starts, spans)
    got = [c for bs, be in regions for c in candidate_names(text, bs, be, norm)]
    assert got == by_line(text, norm, starts, spans)


def parts_by_mask(norm: str, start: int, end: int, covered: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The rule from a mask of uncovered positions: each maximal uncovered run, from its first
    capital, without trailing spaces, dashes, commas, connectors or possessives, if a capital is left."""
    free = [not any(cs <= i < ce for cs, ce in covered) for i in range(start, end)] + [False]
    out, i = [], 0
    while i < end - start:
        j = i
        while free[j]:
            j += 1
        run = norm[start + i : start + j]
        capitals = [k for k, ch in enumerate(run) if "A" <= ch <= "Z"]
        if capitals:
            kept = re.sub(r"(?:[\s\-,;]+|\s+of(?:\s+the)?\s*|'s)+$", "", run[capitals[0] :])
            if any("A" <= ch <= "Z" for ch in kept):
                out.append((start + i + capitals[0], start + i + capitals[0] + len(kept)))
        i = j + 1
    return out


@given(texts, st.lists(st.tuples(st.integers(0, 80), st.integers(1, 12))), st.integers(0, 80), st.integers(0, 30))
def test_uncovered_parts_are_those_of_the_rule(text, mentions, start, length):
    covered = sorted({(s, s + n) for s, n in mentions})
    norm = normalise(text)
    assert _uncovered_parts(norm, start, start + length, covered) == parts_by_mask(norm, start, start + length, covered)
