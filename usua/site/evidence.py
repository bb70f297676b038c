"""Evidence in its context: a quote highlighted among the lines around it, with the document's
segments (titles, captions, boilerplate...) marked line by line."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from html import escape
from typing import Any

#: Lines shown before and after the lines a quote spans.
CONTEXT_LINES = 2


@dataclass
class Line:
    n: int  # 1-based
    html: str  # escaped text with <mark> elements
    segment: str | None  # segment kind, None for body text
    cited: bool


class Text:
    """A document's text split into lines, with the segment of each line."""

    def __init__(self, text: str, segments: list[dict[str, Any]]) -> None:
        self.text = text
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.segment_of: dict[int, str] = {}
        for s in segments:
            for n in range(s["first_line"], s["last_line"] + 1):
                self.segment_of[n] = s["kind"]

    @property
    def line_count(self) -> int:
        """How many lines the text has."""
        return len(self.starts)

    def line_of(self, offset: int) -> int:
        """The 1-based line an offset lies on."""
        return bisect.bisect_right(self.starts, offset)

    def span(self, n: int) -> tuple[int, int]:
        """The offsets of line ``n`` (1-based), without its line break."""
        start = self.starts[n - 1]
        end = self.starts[n] - 1 if n < len(self.starts) else len(self.text)
        return start, end

    def lines(
        self, first: int, last: int, marks: list[tuple[int, int]], mark_attrs: str = 'class="quote"'
    ) -> list[Line]:
        """Lines first..last with every (start, end) range of ``marks`` wrapped in <mark>; a range over
        several lines gets one <mark> per line (the line breaks between them are not marked)."""
        out = []
        for n in range(max(1, first), min(self.line_count, last) + 1):
            ls, le = self.span(n)
            pieces, pos, cited = [], ls, False
            for s, e in sorted(marks):
                s, e = max(s, ls), min(e, le)
                if s >= e or s < pos:
                    continue
                pieces.append(escape(self.text[pos:s]))
                pieces.append(f"<mark {mark_attrs}>{escape(self.text[s:e])}</mark>")
                pos, cited = e, True
            pieces.append(escape(self.text[pos:le]))
            out.append(Line(n, "".join(pieces), self.segment_of.get(n), cited))
        return out

    def context(self, start: int, end: int) -> list[Line]:
        """The lines around a quote, the quote marked."""
        first, last = self.line_of(start), self.line_of(max(start, end - 1))
        return self.lines(first - CONTEXT_LINES, last + CONTEXT_LINES, [(start, end)])


def merged(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping ranges joined, so a full text can mark every cited passage once."""
    out: list[tuple[int, int]] = []
    for s, e in sorted(ranges):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out
