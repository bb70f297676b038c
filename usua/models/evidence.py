"""Evidence: a document and the exact words in it that support a fact."""

from __future__ import annotations

import re
from enum import Enum

from pydantic import Field, field_validator, model_validator

from .base import DocumentId, NonEmptyStr, ShortText, StrictModel


class SegmentKind(str, Enum):
    title = "title"
    body = "body"
    caption = "caption"
    byline = "byline"
    author_bio = "author_bio"
    section_label = "section_label"
    boilerplate = "boilerplate"
    wrapper = "wrapper"


#: Words too common to be evidence of anything on their own (a quote of only these matches anywhere).
COMMON_WORDS = frozenset("""
the and for but nor yet not are was were has had have its his her him she they them their our you your
this that these those with from into onto upon over under than then there here what when where which who
whom whose why how all any both each few more most other some such only own same too very can will just
said says also been being did does done out off about after before again once while per via
""".split())
_WORD = re.compile(r"[^\W_]{3,}")


class WeakQuoteError(ValueError):
    """A quote that cannot single out what it supports: no word of three or more letters or digits
    other than the most common English words."""


def check_quote_strength(quote: str) -> str:
    for word in _WORD.finditer(quote):  # usually the first word will do
        if word[0].casefold() not in COMMON_WORDS:
            return quote
    shown = quote if len(quote) <= 40 else quote[:37] + "..."
    raise WeakQuoteError(
        f"the quote {shown!r} is too weak to be evidence: it needs at least one word of three or more "
        "letters or digits that is not a common word such as 'the'")


class Evidence(StrictModel):
    """A quote from a source document that supports the record it is attached to."""

    document: DocumentId = Field(description="The document the quote comes from.")
    quote: NonEmptyStr = Field(
        description="The exact words of the document (curly quotes, dashes and non-breaking spaces may be "
        "written plainly: they are normalised before matching). The build finds them in the text."
    )
    occurrence: int = Field(
        default=1, ge=1, description="Which occurrence of the quote is meant, when it appears more than once."
    )
    start: int | None = Field(
        default=None, ge=0, description="Character offset of the quote's first character in the document text (computed by the build)."
    )
    end: int | None = Field(
        default=None, ge=1, description="Character offset just past the quote's last character (computed by the build)."
    )
    segment: SegmentKind | None = Field(
        default=None,
        description="Which part of the document the quote lies in (body, caption, title...), from the document's segments (computed by the build).",
    )
    note: ShortText | None = Field(default=None, description="Why this quote supports the record, where that is not obvious.")

    @field_validator("quote")
    @classmethod
    def _strong_enough(cls, quote: str) -> str:
        return check_quote_strength(quote)

    @model_validator(mode="after")
    def _offsets(self) -> Evidence:
        if (self.start is None) != (self.end is None):
            raise ValueError("start and end are given together or not at all")
        if self.start is not None and self.end <= self.start:
            raise ValueError("end must be greater than start")
        return self
