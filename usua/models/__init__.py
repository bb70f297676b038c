"""The usua record models (schema version in usua.SCHEMA_VERSION).

The names below are imported on first use (``from usua.models import Event``): importing a module of
this package that needs no model (the registry of record types, the EDTF dates, the keys) does not load
pydantic, so that `usua validate` on a file its screen accepts starts without it."""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .agreement import Agreement, AgreementRelation, Provision, Signatory
    from .base import ID_PREFIXES, StrictModel
    from .claim import Claim
    from .contribution import SECTIONS, Contribution
    from .dates import DateMethod, DatePrecision, DateValue, parse_edtf
    from .disagreement import Disagreement, Redirect, Version
    from .document import Document, Rights, Segment
    from .entity import Alias, Entity, Identifier, Role
    from .event import Event, Participant
    from .evidence import Evidence, SegmentKind
    from .statement import Figure, Statement
    from .registry import RECORD_TYPES, RecordType
    from .vocab import EVENT_TYPES, EventStatus, EventType
    from .withdrawal import Withdrawal

#: Exported name -> the module of this package that defines it.
_WHERE = {
    **dict.fromkeys(("Agreement", "AgreementRelation", "Provision", "Signatory"), "agreement"),
    **dict.fromkeys(("ID_PREFIXES", "StrictModel"), "base"),
    "Claim": "claim",
    **dict.fromkeys(("SECTIONS", "Contribution"), "contribution"),
    **dict.fromkeys(("DateMethod", "DatePrecision", "DateValue", "parse_edtf"), "dates"),
    **dict.fromkeys(("Disagreement", "Redirect", "Version"), "disagreement"),
    **dict.fromkeys(("Document", "Rights", "Segment"), "document"),
    **dict.fromkeys(("Alias", "Entity", "Identifier", "Role"), "entity"),
    **dict.fromkeys(("Event", "Participant"), "event"),
    **dict.fromkeys(("Evidence", "SegmentKind"), "evidence"),
    **dict.fromkeys(("Figure", "Statement"), "statement"),
    **dict.fromkeys(("RECORD_TYPES", "RecordType"), "registry"),
    **dict.fromkeys(("EVENT_TYPES", "EventStatus", "EventType"), "vocab"),
    "Withdrawal": "withdrawal",
}


def _record_models() -> dict[str, Any]:
    from .contribution import Contribution
    from .registry import RECORD_TYPES

    return {**{t.name: t.model for t in RECORD_TYPES}, "contribution": Contribution}


def __getattr__(name: str) -> Any:
    if name == "RECORD_MODELS":
        #: The record types published as JSON Schema, by name, and the schema of a whole contribution file.
        value = _record_models()
    elif name in _WHERE:
        value = getattr(import_module(f"{__name__}.{_WHERE[name]}"), name)
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])


__all__ = [
    "Agreement",
    "AgreementRelation",
    "Alias",
    "Claim",
    "Contribution",
    "DateMethod",
    "DatePrecision",
    "DateValue",
    "Disagreement",
    "Document",
    "EVENT_TYPES",
    "Entity",
    "EventStatus",
    "EventType",
    "Event",
    "Evidence",
    "Figure",
    "ID_PREFIXES",
    "Identifier",
    "Participant",
    "Provision",
    "RECORD_MODELS",
    "RECORD_TYPES",
    "RecordType",
    "Redirect",
    "Rights",
    "Role",
    "SECTIONS",
    "Segment",
    "SegmentKind",
    "Signatory",
    "Statement",
    "StrictModel",
    "Version",
    "Withdrawal",
    "parse_edtf",
]
