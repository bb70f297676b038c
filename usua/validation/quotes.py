"""Whether an evidence quote can single out what it supports, without looking at the text.

A quote needs at least one word of three or more letters or digits that is not one of the most common
English words: " ", "the", "of the" or "U.S." match almost anywhere and so support nothing. The rule
is the validator's (the JSON Schema only asks for a non-empty quote); the build applies it through the
same checks, so `usua validate` and the build agree.
"""

from __future__ import annotations

import re

#: Words too common to be evidence of anything on their own.
COMMON_WORDS = frozenset(
    """
the and for but nor yet not are was were has had have its his her him she they them their our you your
this that these those with from into onto upon over under than then there here what when where which who
whom whose why how all any both each few more most other some such only own same too very can will just
said says also been being did does done out off about after before again once while per via
""".split()
)
_WORD = re.compile(r"[^\W_]{3,}")
_first_word = _WORD.search


def weak_quote(quote: str) -> tuple[str, str, str] | None:
    """(code, message, hint) when the quote is too weak to be evidence, else None."""
    first = _first_word(quote)  # usually the first word will do (and a search is cheaper than finditer)
    if first is not None and first[0].casefold() not in COMMON_WORDS:
        return None
    for word in _WORD.finditer(quote):
        if word[0].casefold() not in COMMON_WORDS:
            return None
    shown = quote if len(quote) <= 40 else quote[:37] + "..."
    return (
        "weak-quote",
        f"the quote {shown!r} is too weak to be evidence: it needs at least one word of three or more "
        "letters or digits that is not a common word such as 'the'",
        "quote the words that state the fact, e.g. a name with its context",
    )
