"""Events: meetings, calls, signings, statements, aid, wars... with who took part and in what role."""

from __future__ import annotations

from pydantic import Field, model_validator

from .base import AgreementId, EntityId, EventId, NonEmptyStr, ShortText, StrictModel, value_list
from .dates import DateValue, not_before
from .evidence import Evidence
from .vocab import STATUS_MEANINGS, EventStatus, EventType, ParticipantRole


class Participant(StrictModel):
    entity: EntityId = Field(description="Who took part.")
    role: ParticipantRole = Field(description=f"In what role: {value_list(ParticipantRole)}.")
    status: EventStatus | None = Field(
        default=None,
        description="Set only where this participant's part differs from the event's status (e.g. 'expected' to attend).",
    )
    note: ShortText | None = Field(
        default=None, description="Anything the role does not say, e.g. 'attends in the President's place'."
    )

    @property
    def item_key(self) -> str:
        """Key within the event's participants: role and entity (one row per pair)."""
        return f"{self.role}:{self.entity}"


class Event(StrictModel):
    """Something that happened, or was planned, expected or announced to happen, on a date."""

    id: EventId
    type: EventType = Field(
        description="Event type from the closed vocabulary (see the codebook for its PLOVER and CAMEO mapping)."
    )
    title: ShortText = Field(description="A short neutral label.")
    summary: NonEmptyStr | None = Field(
        default=None, description="What the sources say happened, in a sentence or two."
    )
    status: EventStatus = Field(
        description="Whether it happened, as of the source. "
        + " ".join(f"'{value}': {meaning}" for value, meaning in STATUS_MEANINGS.items())
    )
    date: DateValue = Field(description="When it happened or is to happen (start date for spans).")
    end_date: DateValue | None = Field(default=None, description="When it ended, for events that span time.")
    participants: list[Participant] = Field(default_factory=list, description="Who took part and how.")
    location: EntityId | None = Field(
        default=None, description="Where it took place (a place, state or building entity)."
    )
    agreements: list[AgreementId] = Field(
        default_factory=list, description="Agreements the event concerns (signed, negotiated, announced)."
    )
    part_of: EventId | None = Field(
        default=None,
        description="A larger event this one belongs to (a signing during a meeting, a meeting at a summit).",
    )
    evidence: list[Evidence] = Field(
        min_length=1, description="Quotes from the sources that support this record (at least one)."
    )

    @model_validator(mode="after")
    def _checks(self) -> Event:
        if self.part_of == self.id:
            raise ValueError("an event cannot be part of itself")
        if not not_before(self.date, self.end_date):
            raise ValueError("end_date is before date")
        seen = set()
        for p in self.participants:
            key = (p.entity, p.role)
            if key in seen:
                raise ValueError(f"participant {p.entity} is listed twice as {p.role}")
            seen.add(key)
        if len(set(self.agreements)) != len(self.agreements):
            raise ValueError("an agreement is listed twice")
        return self
