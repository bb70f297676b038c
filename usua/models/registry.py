"""Every record type, once: its name, contribution section, id prefix, model and release table.

Every other list of record types in the package (the id prefixes, the contribution's sections, the
published schemas, the JSON Lines keys, the evidence table's ``record_type`` values) is derived from
:data:`RECORD_TYPES`. The models are named here, not imported, so that the id types in ``base`` can
be built from the prefixes before any model exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from importlib import import_module
from typing import Any


@dataclass(frozen=True)
class RecordType:
    """One record type of the dataset."""

    #: Schema name, key of a JSON Lines line and value of the evidence table's ``record_type``.
    name: str
    #: Contribution section and ``records/<section>.json`` of a release.
    section: str
    #: Prefix of its ids (``<prefix>:<slug>``); None for redirects and withdrawals, which keep the retired record's id.
    prefix: str | None
    #: ``module:Class`` of its model inside ``usua.models``.
    model_path: str
    #: The release table with one row per record.
    table: str

    @cached_property
    def model(self) -> Any:
        """The pydantic model of this record type."""
        module, cls = self.model_path.split(":")
        return getattr(import_module(f"{__package__}.{module}"), cls)


#: In the order the build reads them and the release lists them.
RECORD_TYPES: tuple[RecordType, ...] = (
    RecordType("document", "documents", "doc", "document:Document", "documents"),
    RecordType("entity", "entities", "ent", "entity:Entity", "entities"),
    RecordType("role", "roles", "role", "entity:Role", "roles"),
    RecordType("event", "events", "evt", "event:Event", "events"),
    RecordType("agreement", "agreements", "agr", "agreement:Agreement", "agreements"),
    RecordType("statement", "statements", "stm", "statement:Statement", "statements"),
    RecordType("figure", "figures", "fig", "statement:Figure", "figures"),
    RecordType("disagreement", "disagreements", "dis", "disagreement:Disagreement", "disagreements"),
    RecordType("claim", "claims", "clm", "claim:Claim", "claims"),
    RecordType("redirect", "redirects", None, "disagreement:Redirect", "redirects"),
    RecordType("withdrawal", "withdrawals", None, "withdrawal:Withdrawal", "withdrawals"),
)

#: Record type name → id prefix, for the types whose records have their own ids (and evidence).
ID_PREFIXES: dict[str, str] = {t.name: t.prefix for t in RECORD_TYPES if t.prefix is not None}
#: Record type name → contribution section.
SECTION_OF: dict[str, str] = {t.name: t.section for t in RECORD_TYPES}
#: Contribution section → record type name.
TYPE_OF_SECTION: dict[str, str] = {t.section: t.name for t in RECORD_TYPES}
#: The sections whose records retire a released id (it keeps resolving; it never names a record again).
RETIRING_SECTIONS: tuple[str, ...] = tuple(t.section for t in RECORD_TYPES if t.prefix is None)
