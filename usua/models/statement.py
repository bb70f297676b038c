"""Statements (attributed quotes and paraphrases) and figures (quantities the sources state)."""

from __future__ import annotations

from decimal import Decimal
from enum import Enum

from typing import Annotated, Any

from pydantic import BeforeValidator, Field, WithJsonSchema, model_validator

from .base import (
    EntityId,
    EventId,
    FigureId,
    NonEmptyStr,
    RecordId,
    ShortText,
    StatementId,
    StrictModel,
    glossed,
    value_list,
)
from .dates import DateValue
from .evidence import Evidence


class StatementChannel(str, Enum):
    remarks = "remarks"
    press_release = "press_release"
    press_briefing = "press_briefing"
    readout = "readout"
    interview = "interview"
    conversation = "conversation"
    report = "report"
    unknown = "unknown"


#: What each StatementChannel value means; a channel other than 'unknown' is set only when the source states it.
CHANNEL_MEANINGS = {
    "remarks": "words at an occasion the source names, e.g. the opening of a meeting, 'told ... at the Pentagon today'",
    "press_release": "a press release the source names",
    "press_briefing": "a press briefing the source names",
    "readout": "a party's account of a call or meeting it took part in (its statement or spokesperson)",
    "interview": "an interview the source names",
    "conversation": "said in a conversation the source describes",
    "report": "a view the source attributes to a group, e.g. 'analysts suggest'",
    "unknown": "the source names no occasion",
}


class StatementForm(str, Enum):
    direct_quote = "direct_quote"
    paraphrase = "paraphrase"


#: What each StatementForm value means, where its name does not say it all.
FORM_MEANINGS = {"direct_quote": "the source quotes the words", "paraphrase": None}


class Statement(StrictModel):
    """Words attributed to a speaker, possibly relayed by someone else."""

    id: StatementId
    speaker: EntityId = Field(description="Whose words or view these are.")
    relayed_by: list[EntityId] = Field(
        default_factory=list,
        description="Who passed them on (a spokesperson, a ministry's press release), in the order the source gives.",
    )
    addressee: EntityId | None = Field(default=None, description="To whom they were said, if the source says.")
    date: DateValue = Field(description="When they were said.")
    channel: StatementChannel = Field(description=f"How they were made public: {glossed(CHANNEL_MEANINGS)}.")
    form: StatementForm = Field(description=f"{glossed(FORM_MEANINGS)}.")
    text: NonEmptyStr = Field(description="The words: the quote exactly, or the paraphrase as the source gives it.")
    language_note: ShortText | None = Field(default=None, description="E.g. that the words are a translation.")
    event: EventId | None = Field(default=None, description="The event the statement was made at or about.")
    evidence: list[Evidence] = Field(
        min_length=1, description="Quotes from the sources that support this record (at least one)."
    )

    @model_validator(mode="after")
    def _checks(self) -> Statement:
        if self.speaker in self.relayed_by:
            raise ValueError("the speaker cannot also be listed as relaying their own statement")
        return self


class Qualifier(str, Enum):
    exact = "exact"
    more_than = "more_than"
    at_least = "at_least"
    less_than = "less_than"
    up_to = "up_to"
    about = "about"


_AMOUNT_PATTERN = r"^[0-9]+(\.[0-9]+)?$"


def _amount(value: Any) -> Any:
    # Strings must be plain decimals ("2500000000", "2.5"), so the JSON Schema can say exactly what passes.
    # Numbers become Decimal here, which also lets strict-mode JSON validation accept them.
    import re

    if isinstance(value, bool):
        raise ValueError("a number is needed, not true/false")
    if isinstance(value, str):
        if not re.fullmatch(_AMOUNT_PATTERN, value):
            raise ValueError(f"{value!r} is not a plain non-negative decimal number such as 2500000000 or 2.5")
        return Decimal(value)
    if isinstance(value, (int, float)):
        return Decimal(str(value))
    return value


Amount = Annotated[
    Decimal,
    BeforeValidator(_amount),
    Field(ge=0, allow_inf_nan=False),
    WithJsonSchema({"anyOf": [{"type": "number", "minimum": 0}, {"type": "string", "pattern": _AMOUNT_PATTERN}]}),
]


class Figure(StrictModel):
    """A quantity a source states, e.g. an amount of aid."""

    id: FigureId
    about: ShortText = Field(description="What the quantity measures.")
    value: Amount = Field(description="The number, in units of 'unit' (e.g. 2500000000 for '$2.5 billion').")
    unit: ShortText = Field(description="Currency (ISO 4217, e.g. USD) or unit of count.")
    qualifier: Qualifier = Field(description=f"{value_list(Qualifier)}, as the source words it.")
    period: DateValue | None = Field(default=None, description="The period the quantity covers.")
    subjects: list[RecordId] = Field(
        default_factory=list, description="Records the figure is about (donor and recipient entities, an event)."
    )
    evidence: list[Evidence] = Field(
        min_length=1, description="Quotes from the sources that support this record (at least one)."
    )
