"""Claims: what one document says about one field of an existing record, added in a file of its own."""

from __future__ import annotations

from pydantic import Field, JsonValue, model_validator

from .base import ClaimId, FieldPointer, RecordId, ShortText, StrictModel
from .evidence import Evidence
from .vocab import ClaimStance


class Claim(StrictModel):
    """A value one document gives to one field of a record defined elsewhere (in another file or a
    release): more evidence, a new participant, a more precise date, a status as of the document's
    date. The original record is never edited; the build derives the record from all claims on it."""

    id: ClaimId
    record: RecordId = Field(description="The record the claim is about (defined in another file or in the release).")
    field: FieldPointer = Field(description="The field the claim gives a value to.")
    value: JsonValue = Field(
        description="The value, as it would be written in the record's field (for '/<list>/-', one item of the list)."
    )
    stance: ClaimStance | None = Field(
        default=None,
        description="How the document puts it: states, reports, announces_planned, expects, denies. When absent "
        "the build derives it from the value (a planned status is announces_planned, expected expects, "
        "reported reports, anything else states).",
    )
    credibility: int | None = Field(
        default=None,
        ge=1,
        le=6,
        description="Information-credibility grade (Admiralty 1-6) set by a curator; derived when absent.",
    )
    note: ShortText | None = Field(default=None, description="How the claim was read from the document.")
    evidence: list[Evidence] = Field(
        min_length=1, description="Quotes from the sources that support this record (at least one)."
    )

    @model_validator(mode="after")
    def _one_document(self) -> Claim:
        if len({e.document for e in self.evidence}) > 1:
            raise ValueError("a claim is one document's: give each document's claim its own record")
        return self
