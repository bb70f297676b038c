"""Evidence: a document and the exact words in it that support a fact."""

from __future__ import annotations

from enum import Enum

from pydantic import Field, model_validator

from .base import DocumentId, FieldPointer, NonEmptyStr, ShortText, StrictModel


class SegmentKind(str, Enum):
    title = "title"  # type: ignore[assignment]  # shadows str.title; the name is the published value
    body = "body"
    caption = "caption"
    byline = "byline"
    author_bio = "author_bio"
    section_label = "section_label"
    boilerplate = "boilerplate"
    wrapper = "wrapper"


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
        default=None,
        ge=0,
        description="Character offset of the quote's first character in the document text (computed by the build).",
    )
    end: int | None = Field(
        default=None, ge=1, description="Character offset just past the quote's last character (computed by the build)."
    )
    segment: SegmentKind | None = Field(
        default=None,
        description="Which part of the document the quote lies in (body, caption, title...), from the document's segments (computed by the build).",
    )
    note: ShortText | None = Field(
        default=None, description="Why this quote supports the record, where that is not obvious."
    )
    supports: list[FieldPointer] = Field(
        default_factory=list,
        description="The fields of the record this quote supports ('/date', '/participants'...); empty = the "
        "record as a whole (its status included). Each named field becomes a claim of the document.",
    )
    credibility: int | None = Field(
        default=None,
        ge=1,
        le=6,
        description="Information-credibility grade (Admiralty 1-6, see the codebook) set by a curator; "
        "when absent the build derives it (1 confirmed by another document, 4 contradicted, 6 not judged).",
    )

    @model_validator(mode="after")
    def _offsets(self) -> Evidence:
        if (self.start is None) != (self.end is None):
            raise ValueError("start and end are given together or not at all")
        if self.start is not None and self.end is not None and self.end <= self.start:
            raise ValueError("end must be greater than start")
        if len(set(self.supports)) != len(self.supports):
            raise ValueError("a field is named twice in supports")
        if any(p.endswith("/-") for p in self.supports):
            raise ValueError("supports names fields ('/participants'), not an append position ('/-')")
        return self
