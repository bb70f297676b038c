"""Disagreements between sources, and redirects left by merged records."""

from __future__ import annotations

from pydantic import Field, model_validator

from .base import DisagreementId, NonEmptyStr, RecordId, ShortText, StrictModel, prefix_of
from .evidence import Evidence
from .keys import KEY_MAX_LENGTH, KEY_PATTERN, content_key, repeated_key


class Version(StrictModel):
    key: str | None = Field(
        default=None,
        pattern=KEY_PATTERN,
        max_length=KEY_MAX_LENGTH,
        description="A short slug naming the version within its disagreement (e.g. 'kremlin'); when absent, "
        "a content key is derived from the claim.",
    )
    claim: NonEmptyStr = Field(description="What this source says.")
    evidence: list[Evidence] = Field(
        min_length=1, description="Quotes from the sources that support this record (at least one)."
    )

    @property
    def item_key(self) -> str:
        """Key within the disagreement's versions: the explicit key, else a content key of the claim."""
        return self.key or content_key(self.claim)


class Disagreement(StrictModel):
    """Sources differ on a fact: every version is kept with its source; none is hidden."""

    id: DisagreementId
    subject: RecordId = Field(description="The record the disagreement is about.")
    aspect: ShortText = Field(description="What is disputed (e.g. 'who issued the statement', 'status').")
    versions: list[Version] = Field(min_length=2, description="Each version with its source; at least two documents.")
    note: NonEmptyStr | None = Field(
        default=None, description="Context that helps weigh the versions; no verdict is implied."
    )

    @model_validator(mode="after")
    def _sources(self) -> Disagreement:
        docs = {e.document for v in self.versions for e in v.evidence}
        if len(docs) < 2:
            raise ValueError("a disagreement needs versions from at least two documents")
        if message := repeated_key(self.versions, "versions"):
            raise ValueError(message)
        return self


class Redirect(StrictModel):
    """An id that was merged into another: old ids keep resolving after a merge."""

    id: RecordId = Field(description="The retired id.")
    to: RecordId = Field(description="The id that now holds its facts.")
    reason: ShortText = Field(description="Why the records were merged.")

    @model_validator(mode="after")
    def _same_type(self) -> Redirect:
        if prefix_of(self.id) != prefix_of(self.to):
            raise ValueError("a redirect must point to a record of the same type")
        if self.id == self.to:
            raise ValueError("a redirect cannot point to itself")
        return self
