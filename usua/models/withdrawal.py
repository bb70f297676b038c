"""Withdrawals: released ids retired without a successor (the tombstones of the dataset)."""

from __future__ import annotations

from pydantic import Field

from .base import RecordId, ShortText, StrictModel


class Withdrawal(StrictModel):
    """A released id that no longer names a record and has no record to redirect to: it keeps resolving
    to why it was withdrawn. Ids are never reused, so a withdrawn id never names another record; a
    record merged into another leaves a redirect instead."""

    id: RecordId = Field(description="The withdrawn id, as it was released.")
    reason: ShortText = Field(
        description="Why the record was withdrawn and where its facts are now, if anywhere "
        "(e.g. 'the outlet's report of a mood, kept in the entity's description')."
    )
