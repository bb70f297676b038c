"""The usua record models (schema version in usua.SCHEMA_VERSION)."""

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

#: The record types published as JSON Schema, by name, and the schema of a whole contribution file.
RECORD_MODELS: dict[str, type[StrictModel]] = {**{t.name: t.model for t in RECORD_TYPES}, "contribution": Contribution}

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
    "parse_edtf",
]
