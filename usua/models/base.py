"""Shared building blocks: the strict base model and typed record identifiers."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

#: One prefix per record type; an id is ``<prefix>:<slug>`` with a lower-case, hyphenated slug.
ID_PREFIXES: dict[str, str] = {
    "document": "doc",
    "entity": "ent",
    "role": "role",
    "event": "evt",
    "agreement": "agr",
    "statement": "stm",
    "figure": "fig",
    "disagreement": "dis",
}
SLUG = r"[a-z0-9]+(?:-[a-z0-9]+)*"
ANY_ID_RE = re.compile(rf"^(?:{'|'.join(ID_PREFIXES.values())}):{SLUG}$")


def id_pattern(prefix: str) -> str:
    return rf"^{prefix}:{SLUG}$"


def _id_type(kind: str):
    prefix = ID_PREFIXES[kind]
    return Annotated[
        str,
        StringConstraints(pattern=id_pattern(prefix), max_length=120),
        Field(
            description=f"Identifier of a {kind}: '{prefix}:' then a lower-case slug of letters, "
            f"digits and single hyphens (e.g. '{prefix}:example-slug'). Stable once released.",
            examples=[f"{prefix}:example-slug"],
        ),
    ]


DocumentId = _id_type("document")
EntityId = _id_type("entity")
RoleId = _id_type("role")
EventId = _id_type("event")
AgreementId = _id_type("agreement")
StatementId = _id_type("statement")
FigureId = _id_type("figure")
DisagreementId = _id_type("disagreement")
RecordId = Annotated[
    str,
    StringConstraints(pattern=ANY_ID_RE.pattern, max_length=120),
    Field(description="Identifier of any record, its prefix naming its type (doc, ent, role, evt, agr, stm, fig, dis)."),
]

NonEmptyStr = Annotated[str, StringConstraints(min_length=1, max_length=20_000)]
ShortText = Annotated[str, StringConstraints(min_length=1, max_length=500)]


def prefix_of(record_id: str) -> str:
    return record_id.split(":", 1)[0]


class StrictModel(BaseModel):
    """Unknown fields are errors: a typo in a contribution must never be dropped silently."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        str_strip_whitespace=False,
        use_enum_values=True,
        validate_default=True,
    )
