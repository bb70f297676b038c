"""Document segments (lines that are not plain body) as character spans of the text."""

from __future__ import annotations

import bisect
from typing import NamedTuple

from usua.text import line_starts

from .errors import BuildError


class Span(NamedTuple):
    """A segment's place (a named tuple: a frozen dataclass took four times as long to make, and the
    build makes one per segment for each table it derives from them)."""

    n: int
    kind: str
    first_line: int
    last_line: int
    start: int
    end: int
    note: str | None


def segment_spans(doc, text: str) -> list[Span]:
    """Each listed segment as offsets: from its first line's start to its last line's end (no newline)."""
    if not doc.segments:
        return []
    # the lines up to the one after the last segment: segments are few and near the top of a text
    starts = line_starts(text, max(seg.last_line for seg in doc.segments) + 1)
    out = []
    for n, seg in enumerate(doc.segments):
        if seg.last_line > len(starts):
            raise BuildError(
                f"{doc.id}: segment {n} ends at line {seg.last_line} but the text has {len(starts)} lines "
                "(correct last_line in dataset/sources/documents.yaml)"
            )
        start = starts[seg.first_line - 1]
        end = starts[seg.last_line] - 1 if seg.last_line < len(starts) else len(text)
        out.append(Span(n, seg.kind, seg.first_line, seg.last_line, start, end, seg.note))
    return out


def segment_at(spans: list[Span], offset: int) -> str:
    """Kind of the segment containing offset; lines not listed are body."""
    for s in spans:
        if s.start <= offset < s.end or (s.start == s.end == offset):
            return s.kind
    return "body"


def line_of(text_starts: list[int], offset: int) -> int:
    """1-based line number of an offset."""
    return bisect.bisect_right(text_starts, offset)
