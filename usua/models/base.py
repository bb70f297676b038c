"""Shared building blocks: the strict base model and typed record identifiers."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from enum import Enum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from .registry import ID_PREFIXES

SLUG = r"[a-z0-9]+(?:-[a-z0-9]+)*"
ANY_ID_RE = re.compile(rf"^(?:{'|'.join(ID_PREFIXES.values())}):{SLUG}$")


def id_pattern(prefix: str) -> str:
    """The regular expression of the ids with this prefix."""
    return rf"^{prefix}:{SLUG}$"


def id_type(kind: str):
    """The annotated string type of the ids of one record type (its prefix comes from the registry)."""
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


DocumentId = id_type("document")
EntityId = id_type("entity")
RoleId = id_type("role")
EventId = id_type("event")
AgreementId = id_type("agreement")
StatementId = id_type("statement")
FigureId = id_type("figure")
DisagreementId = id_type("disagreement")
RecordId = Annotated[
    str,
    StringConstraints(pattern=ANY_ID_RE.pattern, max_length=120),
    Field(description=f"Identifier of any record, its prefix naming its type ({', '.join(ID_PREFIXES.values())})."),
]

NonEmptyStr = Annotated[str, StringConstraints(min_length=1, max_length=20_000)]
ShortText = Annotated[str, StringConstraints(min_length=1, max_length=500)]


def value_list(values: type[Enum] | Iterable[str], last: str = " or ") -> str:
    """A vocabulary's values as prose ("a, b or c"), so no description restates the list by hand."""
    names = [v.value if isinstance(v, Enum) else v for v in values]
    return ", ".join(names[:-1]) + last + names[-1] if len(names) > 1 else "".join(names)


def glossed(meanings: Mapping[str, str | None], last: str = " or ", quote: str = "") -> str:
    """A vocabulary's values with their meanings as prose ("a (what a means), b or c (what c means)")."""
    return value_list([f"{quote}{k}{quote}" + (f" ({m})" if m else "") for k, m in meanings.items()], last)


def prefix_of(record_id: str) -> str:
    """The prefix of an id ('ent' for 'ent:nato')."""
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
