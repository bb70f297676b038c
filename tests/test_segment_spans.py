"""Segment spans read only the lines they need, and give what reading every line gives."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from builders.errors import BuildError
from builders.segments import Span, segment_spans
from usua.text import line_starts


def _spans_from_every_line(doc, text: str) -> list[Span] | str:
    """The spans as defined: from the first line's start to the end of the last line, newline excluded."""
    starts = line_starts(text)
    out = []
    for n, seg in enumerate(doc.segments):
        if seg.last_line > len(starts):
            return f"ends at line {seg.last_line} but the text has {len(starts)} lines"
        end = starts[seg.last_line] - 1 if seg.last_line < len(starts) else len(text)
        out.append(Span(n, seg.kind, seg.first_line, seg.last_line, starts[seg.first_line - 1], end, seg.note))
    return out


segments = st.lists(
    st.tuples(st.integers(1, 12), st.integers(0, 3)).map(
        lambda t: SimpleNamespace(kind="caption", first_line=t[0], last_line=t[0] + t[1], note=None)
    ),
    max_size=4,
)


@given(st.text(alphabet="ab\n", max_size=40), segments)
def test_segment_spans_are_those_read_from_every_line(text, segs):
    doc = SimpleNamespace(id="doc:x", segments=segs)
    want = _spans_from_every_line(doc, text)
    if isinstance(want, str):
        with pytest.raises(BuildError, match=want):
            segment_spans(doc, text)
    else:
        assert segment_spans(doc, text) == want
