"""A contribution: one file bundling records of any type. The curated dataset is made of these."""

from __future__ import annotations

from typing import Any

from pydantic import Field, create_model, model_validator

from ..version import SCHEMA_VERSION
from .base import StrictModel
from .registry import RECORD_TYPES

_MAJOR = SCHEMA_VERSION.split(".")[0]

#: Contribution section name → record model, in the order the build reads them.
SECTIONS: dict[str, type[StrictModel]] = {t.section: t.model for t in RECORD_TYPES}


class _ContributionBase(StrictModel):
    schema_version: str = Field(
        pattern=rf"^{_MAJOR}\.\d+\.\d+$",
        description=f"Schema version the file was written against; its major version must be {_MAJOR}.",
    )

    @model_validator(mode="after")
    def _unique_ids(self) -> Any:
        seen: set[str] = set()
        for section in SECTIONS:
            for rec in getattr(self, section):
                if rec.id in seen:
                    raise ValueError(f"id {rec.id} is used twice in this file")
                seen.add(rec.id)
        return self


# Typed loosely so that mypy does not match the fields against create_model's own keyword arguments.
_SECTION_FIELDS: dict[str, Any] = {
    t.section: (
        list[t.model],  # type: ignore[name-defined]  # a type made at run time
        Field(
            default_factory=list,
            description=f"{t.model.__name__} records (see the {t.name} schema).",
        ),
    )
    for t in RECORD_TYPES
}

#: One optional list per section, after ``schema_version``.
Contribution = create_model(
    "Contribution",
    __base__=_ContributionBase,
    __doc__="A YAML, JSON or JSON Lines file of records. Every section is optional.",
    __module__=__name__,
    **_SECTION_FIELDS,
)
