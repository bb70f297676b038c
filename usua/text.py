"""Finding evidence quotes in source texts.

Quotes are matched after a documented normalisation, applied to both quote and text, that maps each
character to one character (so offsets in the normalised text are offsets in the original):

* curly single quotes and apostrophes (U+2018, U+2019, U+201B, U+2032) → ``'``
* curly double quotes (U+201C, U+201D, U+201F, U+2033) → ``"``
* en dash, em dash, minus sign, non-breaking hyphen (U+2013, U+2014, U+2212, U+2011) → ``-``
* non-breaking and narrow spaces (U+00A0, U+202F, U+2009) → a space

Nothing else is changed: case, other punctuation and white space runs must match exactly.
"""

from __future__ import annotations

from dataclasses import dataclass

_FOLD = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u2011": "-",
        "\u00a0": " ",
        "\u202f": " ",
        "\u2009": " ",
    }
)


#: (variant, plain) pairs of _FOLD: one ``str.replace`` each is a C-speed scan, where ``str.translate``
#: with a dict looks up every character in Python objects once the text is not pure ASCII.
_FOLD_PAIRS = tuple((chr(k), v) for k, v in _FOLD.items())


def normalise(text: str) -> str:
    """Fold typographic variants; the result has exactly the length of the input."""
    if text.isascii():
        return text
    for variant, plain in _FOLD_PAIRS:
        if variant in text:
            text = text.replace(variant, plain)
    return text


@dataclass(frozen=True)
class Located:
    start: int
    end: int
    count: int  # how many times the quote occurs in the text


def find_all(haystack: str, needle: str) -> list[int]:
    """Every offset at which ``needle`` occurs in ``haystack``."""
    out, i = [], haystack.find(needle)
    while i != -1:
        out.append(i)
        i = haystack.find(needle, i + 1)
    return out


def locate(text: str, quote: str, occurrence: int = 1, *, normalised_text: str | None = None) -> Located | None:
    """Offsets of the ``occurrence``-th match of ``quote`` in ``text``, or None if it is not there."""
    hay = normalised_text if normalised_text is not None else normalise(text)
    hits = find_all(hay, normalise(quote))
    if len(hits) < occurrence:
        return None
    start = hits[occurrence - 1]
    return Located(start, start + len(quote), len(hits))


def line_starts(text: str, lines: int | None = None) -> list[int]:
    """Character offset of the start of each line (index 0 = line 1); of the first ``lines`` lines only
    when given (fewer when the text has fewer)."""
    starts = [0]
    limit = -1 if lines is None else lines
    i = text.find("\n")
    while i != -1 and len(starts) != limit:  # str.find skips to each newline in C; a per-character loop costs 5x more
        starts.append(i + 1)
        i = text.find("\n", i + 1)
    return starts
