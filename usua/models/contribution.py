"""A contribution: one file bundling records of any type. The curated dataset is made of these."""

from __future__ import annotations

from pydantic import Field, model_validator

from ..version import SCHEMA_VERSION
from .agreement import Agreement
from .base import StrictModel
from .disagreement import Disagreement, Redirect
from .document import Document
from .entity import Entity, Role
from .event import Event
from .statement import Figure, Statement

_MAJOR = SCHEMA_VERSION.split(".")[0]

#: Contribution section name → record model, in the order the build reads them.
SECTIONS: dict[str, type[StrictModel]] = {
    "documents": Document,
    "entities": Entity,
    "roles": Role,
    "events": Event,
    "agreements": Agreement,
    "statements": Statement,
    "figures": Figure,
    "disagreements": Disagreement,
    "redirects": Redirect,
}


class Contribution(StrictModel):
    """A YAML, JSON or JSON Lines file of records. Every section is optional."""

    schema_version: str = Field(
        pattern=rf"^{_MAJOR}\.\d+\.\d+$",
        description=f"Schema version the file was written against; its major version must be {_MAJOR}.",
    )
    documents: list[Document] = Field(default_factory=list, description="Document records (see the document schema).")
    entities: list[Entity] = Field(default_factory=list, description="Entity records (see the entity schema).")
    roles: list[Role] = Field(default_factory=list, description="Role records (see the role schema).")
    events: list[Event] = Field(default_factory=list, description="Event records (see the event schema).")
    agreements: list[Agreement] = Field(default_factory=list, description="Agreement records (see the agreement schema).")
    statements: list[Statement] = Field(default_factory=list, description="Statement records (see the statement schema).")
    figures: list[Figure] = Field(default_factory=list, description="Figure records (see the figure schema).")
    disagreements: list[Disagreement] = Field(default_factory=list, description="Disagreement records (see the disagreement schema).")
    redirects: list[Redirect] = Field(default_factory=list, description="Redirect records (see the redirect schema).")

    @model_validator(mode="after")
    def _unique_ids(self) -> Contribution:
        seen: set[str] = set()
        for section in SECTIONS:
            for rec in getattr(self, section):
                if rec.id in seen:
                    raise ValueError(f"id {rec.id} is used twice in this file")
                seen.add(rec.id)
        return self
