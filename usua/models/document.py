"""A source document and what is known about it."""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum

from pydantic import Field, model_validator

from .base import DocumentId, NonEmptyStr, ShortText, StrictModel, glossed
from .dates import DateValue
from .evidence import SegmentKind
from .vocab import SourceGrade


class DocumentKind(str, Enum):
    news_article = "news_article"
    government_news = "government_news"
    opinion = "opinion"
    live_blog_post = "live_blog_post"
    comment_thread = "comment_thread"
    press_release = "press_release"
    other = "other"


class Rights(StrictModel):
    redistributable: bool = Field(description="May the document's full text be redistributed with the dataset?")
    licence: ShortText | None = Field(
        default=None, description="Licence or legal status of the text, e.g. 'public domain (U.S. government work)'."
    )
    note: ShortText | None = Field(default=None, description="Reasoning behind the rights assessment.")


class Segment(StrictModel):
    """A run of lines that is not plain article text, or that needs a label (caption, wrapper...)."""

    kind: SegmentKind = Field(description="What the lines are.")
    first_line: int = Field(ge=1, description="First line of the run (1-based, in the document text).")
    last_line: int = Field(ge=1, description="Last line of the run (inclusive).")
    note: ShortText | None = Field(default=None, description="Anything a reader should know about these lines.")

    @model_validator(mode="after")
    def _order(self) -> Segment:
        if self.last_line < self.first_line:
            raise ValueError("last_line must not be before first_line")
        return self


class CopyKind(str, Enum):
    republication = "republication"
    copy = "copy"
    excerpt = "excerpt"


#: What each CopyKind value means.
COPY_KIND_MEANINGS = {
    "republication": "the text published again, e.g. by another outlet",
    "copy": "the same text received again: a mirror, an archive",
    "excerpt": "part of the other's text",
}


class CopyOf(StrictModel):
    """This document repeats another: it corroborates without being an independent source."""

    document: DocumentId = Field(description="The document it repeats (the original, or another copy of it).")
    kind: CopyKind = Field(description=f"{glossed(COPY_KIND_MEANINGS, last=', or ')}.")
    note: ShortText | None = Field(default=None, description="How the repetition was established.")


class Document(StrictModel):
    """A source: one text file in dataset/sources, kept byte for byte as received."""

    id: DocumentId
    title: ShortText = Field(description="The document's headline as printed.")
    publisher: ShortText | None = Field(
        default=None, description="Who published it (outlet or agency); null if unknown."
    )
    publisher_basis: ShortText | None = Field(
        default=None, description="How the publisher was established, when the text does not name it."
    )
    authors: list[ShortText] = Field(
        default_factory=list, description="Authors as credited; empty when no byline survives."
    )
    url: ShortText | None = Field(default=None, description="Where the document was published, when known.")
    language: str = Field(pattern=r"^[a-z]{2,3}(-[A-Z]{2})?$", description="Language of the text (BCP 47, e.g. 'en').")
    kind: DocumentKind = Field(description="What sort of document it is.")
    published: DateValue = Field(description="Publication date, with how it was established.")
    path: str = Field(pattern=r"^[A-Za-z0-9._-]+\.txt$", description="File name of the text in dataset/sources.")
    received_as: str | None = Field(
        default=None,
        max_length=200,
        description="Name of the file as it was received, before it was given its stable name.",
    )
    sha256: str = Field(
        pattern=r"^[0-9a-f]{64}$", description="SHA-256 of the file's bytes; the build refuses a text that differs."
    )
    rights: Rights = Field(description="Whether and under what terms the text may be redistributed.")
    segments: list[Segment] = Field(
        default_factory=list,
        description="Lines that are not article body (titles, captions, boilerplate, comment-thread wrappers, bylines). Unlisted lines are body.",
    )
    reliability: list[NonEmptyStr] = Field(
        default_factory=list,
        description="Problems a reader should weigh: doubtful claims, missing byline or date, reposting.",
    )
    source_grade: SourceGrade = Field(
        default=SourceGrade.F,
        description="Source reliability (Admiralty / NATO A-F, meanings in the codebook): A completely reliable "
        "... E unreliable, F cannot be judged (the default, for a document not yet graded).",
    )
    copy_of: CopyOf | None = Field(
        default=None,
        description="Set when the text republishes, copies or excerpts another document: it then counts as "
        "that document for independence and adds no mentions of its own. An undeclared document whose "
        "text equals another's is refused.",
    )

    @model_validator(mode="after")
    def _not_own_copy(self) -> Document:
        if self.copy_of is not None and self.copy_of.document == self.id:
            raise ValueError("a document cannot be a copy of itself")
        return self


def originals(documents: Iterable[Document]) -> dict[str, str]:
    """Document id -> the original it repeats, following chains of copies (an original maps to itself;
    a chain that loops, which validation reports, stops where it would repeat)."""
    declared = {d.id: d.copy_of.document for d in documents if d.copy_of is not None}
    out: dict[str, str] = {}
    for doc_id in [*declared, *(t for t in declared.values() if t not in declared)]:
        seen, at = {doc_id}, doc_id
        while at in declared and declared[at] not in seen:
            at = declared[at]
            seen.add(at)
        out[doc_id] = at
    return out


def independent_documents(
    ids: Iterable[str], documents: Iterable[Document], *, root: dict[str, str] | None = None
) -> list[str]:
    """The independent sources among documents: each copy counted as its original, each original once
    (sorted). ``independent_documents(["doc:a", "doc:a-reprint"], docs) == ["doc:a"]``. A caller asking
    for many sets of ids passes ``root=originals(documents)``, made once (it reads every document)."""
    if root is None:
        root = originals(documents)
    return sorted({root.get(i, i) for i in ids})
