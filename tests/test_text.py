"""The quote normalisation and line offsets: the fast forms agree with their plain definitions."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from usua.text import _FOLD, line_starts, normalise

# text rich in the folded characters, newlines and other non-ASCII characters
FOLDED = "".join(chr(k) for k in _FOLD)
texts = st.text(alphabet=st.one_of(st.sampled_from(FOLDED + "\n'\"- é"), st.characters()), max_size=300)


@given(texts)
def test_normalise_is_the_documented_character_mapping(text):
    assert normalise(text) == text.translate(_FOLD)
    assert len(normalise(text)) == len(text)


@given(texts)
def test_line_starts_are_the_offsets_after_each_newline(text):
    assert line_starts(text) == [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]


@given(texts, st.integers(min_value=1, max_value=40))
def test_the_first_lines_starts_are_those_of_the_whole_text(text, lines):
    assert line_starts(text, lines) == line_starts(text)[:lines]


def test_normalise_folds_every_variant():
    assert (
        normalise("\u2018a\u2019 \u201cb\u201d \u2013\u2014\u2212\u2011 \u00a0\u202f\u2009")
        == "'a' \"b\" ---- " + "   "
    )
