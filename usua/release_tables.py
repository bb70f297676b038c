"""The release tables: names, columns, types, keys, and where each column's values come from. One
definition feeds the Parquet writer's Arrow schema, the Frictionless Table Schema, the loader, the
codebook and the build's derivation (``builders/derive.py``), so they cannot drift apart.

A column's ``source`` is the attribute path of its value on the object a row is made from (a record,
or a part of one such as an alias or a provision); a path through an absent value gives null. A
column whose source is :data:`COMPUTED` is filled by the table's deriver in ``builders/derive.py``.
A table named by a record type in ``usua.models.registry`` has one row per record of that type; with
no computed column it needs no deriver at all.

Every date of a record becomes seven columns: ``<name>`` (EDTF value), ``<name>_precision``,
``<name>_earliest`` and ``<name>_latest`` (date32, for range queries), ``<name>_method``,
``<name>_stated_as`` and ``<name>_basis``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import Enum
from functools import cache
from typing import Any

from .models.base import glossed, value_list
from .models.registry import ID_PREFIXES
from .models import dates as dt
from .models import document as doc
from .models import entity as ent
from .models import evidence as evi
from .models import statement as stm
from .models import vocab

#: Kept importable from here; the list lives with the vocabularies.
PLOVER_TYPES = vocab.PLOVER_TYPES

#: The ``source`` of a column whose values the table's deriver computes (``builders/derive.py``).
COMPUTED = None


@dataclass(frozen=True)
class Column:
    """One column: its name, type, description and where its values come from."""

    name: str
    type: str  # string | int | float | bool | date | list | enum
    description: str
    nullable: bool = True
    values: tuple[str, ...] = ()  # for enum columns
    #: Attribute path of the value on the row's object ("" = the column's name; COMPUTED = the deriver's).
    source: str | None = ""

    def __post_init__(self) -> None:
        if self.source == "":
            object.__setattr__(self, "source", self.name)


@dataclass(frozen=True)
class Table:
    """One release table: its columns in order, keys and description."""

    name: str
    description: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[tuple[str, str, str], ...] = ()  # (column, table, column)
    column_names: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "column_names", tuple(c.name for c in self.columns))

    @property
    def computed(self) -> tuple[str, ...]:
        """The columns the table's deriver fills (the others are copied from their source)."""
        return tuple(c.name for c in self.columns if c.source is COMPUTED)


def _enum(name: str, e: type[Enum] | list[str], desc: str, nullable: bool = True, source: str | None = "") -> Column:
    values = tuple(e) if isinstance(e, list) else tuple(m.value for m in e)
    return Column(name, "enum", desc, nullable, values, source)


def S(name: str, desc: str, nullable: bool = True, source: str | None = "") -> Column:
    """A text column."""
    return Column(name, "string", desc, nullable, source=source)


def I(name: str, desc: str, nullable: bool = True, source: str | None = "") -> Column:
    """An integer column."""
    return Column(name, "int", desc, nullable, source=source)


def L(name: str, desc: str, source: str | None = "") -> Column:
    """A list-of-text column (never null: empty when there is nothing)."""
    return Column(name, "list", desc, False, source=source)


def date_columns(prefix: str, what: str, nullable: bool = True) -> tuple[Column, ...]:
    """The seven columns of one date (value, precision, earliest, latest, method, stated_as, basis),
    copied from the row object's DateValue attribute ``prefix`` (all null when it is absent)."""
    return (
        S(prefix, f"{what}: EDTF value (null when the sources give no date).", True, f"{prefix}.value"),
        _enum(
            f"{prefix}_precision",
            dt.DatePrecision,
            f"Precision of {prefix}: {value_list(dt.DatePrecision)}.",
            nullable,
            f"{prefix}.precision",
        ),
        Column(
            f"{prefix}_earliest",
            "date",
            f"First calendar day {prefix} can denote (null if open or unknown).",
            source=f"{prefix}.earliest",
        ),
        Column(
            f"{prefix}_latest",
            "date",
            f"Last calendar day {prefix} can denote (null if open or unknown).",
            source=f"{prefix}.latest",
        ),
        _enum(
            f"{prefix}_method",
            dt.DateMethod,
            f"How {prefix} was obtained: {value_list(dt.DateMethod, last=', ')}.",
            nullable,
            f"{prefix}.method",
        ),
        S(f"{prefix}_stated_as", f"The source's words for {prefix}, e.g. 'on Friday'.", source=f"{prefix}.stated_as"),
        S(f"{prefix}_basis", f"How {prefix} was resolved or inferred.", source=f"{prefix}.basis"),
    )


def _id(desc: str) -> Column:
    return S("id", desc, False)


#: How many independent documents support a record and the best of their grades (usua.derivation).
#: Added in schema 1.2.0, so nullable like every column added to an existing table (always filled by the build).
SUPPORT_COLUMNS = (
    I(
        "support_documents",
        "Number of independent documents that support the record (evidence and claims).",
        True,
        COMPUTED,
    ),
    _enum("best_source_grade", vocab.SourceGrade, "Best source-reliability grade (A-F) among them.", True, COMPUTED),
)


def computed(*columns: Column) -> tuple[Column, ...]:
    """The columns of a table whose rows its deriver makes whole (none is copied from an object)."""
    return tuple(replace(c, source=COMPUTED) for c in columns)


def as_of_columns() -> tuple[Column, ...]:
    """The as-of window of a claim: the publication date of its document."""
    return (
        S("as_of", "As-of date of the claim: its document's publication date (EDTF).", False),
        Column("as_of_earliest", "date", "First day of the as-of window (null if unknown)."),
        Column("as_of_latest", "date", "Last day of the as-of window (null if unknown)."),
    )


def quote_columns(what: str) -> tuple[Column, ...]:
    """A quote as it stands in its document, with its character offsets."""
    return (
        S("quote", f"{what}, exactly as it stands in the document.", False),
        I("start", "Character offset of the quote's start.", False),
        I("end", "Character offset just past the quote's end.", False),
    )


#: The record types that carry evidence (those with ids of their own).
_RECORD_TYPES = list(ID_PREFIXES)

TABLES: tuple[Table, ...] = (
    Table(
        "documents",
        "Source documents, one row each, with publication date, rights and reliability notes.",
        (
            _id("Document id (doc:...)."),
            S("title", "Headline as printed.", False),
            S("publisher", "Outlet or agency, when known."),
            S("publisher_basis", "How the publisher was established when the text does not name it."),
            L("authors", "Credited authors (empty when no byline survives)."),
            S("url", "Where it was published, when known."),
            S("language", "BCP 47 language code.", False),
            _enum("kind", doc.DocumentKind, "Sort of document.", False),
            *date_columns("published", "Publication date", False),
            S("path", "File name of the text in the sources folder.", False),
            S("sha256", "SHA-256 of the text file's bytes.", False),
            I("characters", "Length of the text in characters (offsets index into this).", False, COMPUTED),
            Column(
                "redistributable", "bool", "May the full text be redistributed?", False, source="rights.redistributable"
            ),
            S("licence", "Licence or legal status of the text.", source="rights.licence"),
            S("rights_note", "Reasoning behind the rights assessment.", source="rights.note"),
            L("reliability", "Problems a reader should weigh."),
            S(
                "copy_of",
                "Id of the document this one republishes, copies or excerpts (not an independent source).",
                source="copy_of.document",
            ),
            _enum(
                "copy_kind", doc.CopyKind, "How it repeats the original (null for an original).", source="copy_of.kind"
            ),
            _enum("source_grade", vocab.SourceGrade, "Source reliability, Admiralty A-F (codebook: grades)."),
        ),
        ("id",),
    ),
    Table(
        "document_segments",
        "Runs of lines of each document that are not plain article body, each labelled with its kind.",
        (
            S("document", "Document id.", False, COMPUTED),
            I("n", "Order of the segment within the document (0-based).", False),
            _enum("kind", evi.SegmentKind, "What the lines are.", False),
            I("first_line", "First line (1-based).", False),
            I("last_line", "Last line (inclusive).", False),
            I("start", "Character offset of the segment's start.", False),
            I("end", "Character offset just past the segment's end.", False),
            S("note", "Remarks."),
        ),
        ("document", "n"),
        (("document", "documents", "id"),),
    ),
    Table(
        "entities",
        "Every entity the sources name, of each kind the vocabulary has.",
        (
            _id("Entity id (ent:...)."),
            _enum("kind", ent.EntityKind, f"{value_list(ent.EntityKind)}.", False),
            S("name", "Canonical name.", False),
            L("aliases", "Other names and spellings (details in entity_aliases).", COMPUTED),
            S("wikidata", "Wikidata QID, only where certain.", source=COMPUTED),
            S("iso3166_alpha3", "ISO 3166-1 alpha-3 code, for states.", source=COMPUTED),
            S("country", "ISO 3166-1 alpha-3 code of the state the entity belongs to or acts for."),
            _enum("sector", ent.Sector, "PLOVER/CAMEO actor sector."),
            S("description", "Who or what this is."),
        ),
        ("id",),
    ),
    Table(
        "entity_aliases",
        "Every alias of every entity, with how it was inferred.",
        (
            S("entity", "Entity id.", False, COMPUTED),
            S("alias", "The alias.", False, "name"),
            _enum("kind", ent.AliasKind, f"{value_list(ent.AliasKind)}.", False),
            S("basis", "Why the alias denotes the entity."),
        ),
        ("entity", "alias"),
        (("entity", "entities", "id"),),
    ),
    Table(
        "entity_identifiers",
        "External identifiers of entities.",
        (
            S("entity", "Entity id.", False, COMPUTED),
            _enum("scheme", ent.IdScheme, "Identifier scheme.", False),
            S("value", "The identifier.", False),
        ),
        ("entity", "scheme"),
        (("entity", "entities", "id"),),
    ),
    Table(
        "roles",
        "Posts held by people, as the sources state them (Popolo memberships).",
        (
            _id("Role id (role:...)."),
            S("person", "Entity id of the person.", False),
            S("post", "The post in the source's words.", False),
            S("organization", "Entity id of the organization or state the post belongs to."),
            *date_columns("start", "Start of the post"),
            *date_columns("end", "End of the post"),
            *date_columns("attested", "Date at which a source attests the post", False),
        ),
        ("id",),
        (("person", "entities", "id"), ("organization", "entities", "id")),
    ),
    Table(
        "events",
        "One row per real-world event, typed from the event-type vocabulary and citing every document that reports it.",
        (
            _id("Event id (evt:...)."),
            _enum("type", list(vocab.EVENT_TYPES), "Event type (codebook: event types).", False),
            _enum("plover_type", PLOVER_TYPES, "PLOVER event type the type maps to.", source=COMPUTED),
            S("plover_mode", "PLOVER mode (visit, phone, multilateral...).", source=COMPUTED),
            S("plover_context", "PLOVER context (diplomatic, military...).", source=COMPUTED),
            S("cameo", "CAMEO code the type maps to.", source=COMPUTED),
            S("title", "Short label.", False),
            S("summary", "What the sources say happened."),
            _enum(
                "status",
                vocab.EventStatus,
                f"{value_list(vocab.EventStatus, last=', ')}.",
                False,
            ),
            *date_columns("date", "When it happened or is to happen", False),
            *date_columns("end_date", "When it ended"),
            S("location", "Entity id of the place."),
            S("part_of", "Event id of a larger event it belongs to."),
            L("agreements", "Agreement ids the event concerns."),
            L("documents", "Documents that report the event.", COMPUTED),
            *SUPPORT_COLUMNS,
        ),
        ("id",),
        (("location", "entities", "id"), ("part_of", "events", "id")),
    ),
    Table(
        "event_participants",
        "One row per event x participant x role.",
        (
            S("event", "Event id.", False, COMPUTED),
            S("entity", "Entity id of the participant.", False),
            _enum("role", vocab.ParticipantRole, "Role in the event.", False),
            _enum(
                "status",
                vocab.EventStatus,
                "The participant's own status where it differs from the event's (e.g. expected to attend).",
                True,
            ),
            S("note", "Remarks."),
            S("key", "Stable key of the participant within the event: role:entity.", False, "item_key"),
        ),
        ("event", "entity", "role"),
        (("event", "events", "id"), ("entity", "entities", "id")),
    ),
    Table(
        "agreements",
        "Agreements and declarations with their lifecycle dates and status.",
        (
            _id("Agreement id (agr:...)."),
            S("name", "Name or descriptive label.", False),
            _enum("kind", vocab.AgreementKind, "Kind of agreement.", False),
            _enum(
                "status", vocab.AgreementStatus, "Lifecycle status (see disagreements for conflicting accounts).", False
            ),
            *date_columns("announced", "Announcement"),
            *date_columns("signed", "Signature (planned or actual, see status)"),
            *date_columns("adopted", "Adoption or issue without reported signatures (declarations)"),
            *date_columns("in_force", "Entry into force"),
            *date_columns("expires", "Expiry"),
            S("duration", "Duration in the source's words."),
            S("purpose", "What it is for."),
            L("areas", "Areas of cooperation (closed vocabulary)."),
            S("signing_event", "Event id of the signing."),
            *SUPPORT_COLUMNS,
        ),
        ("id",),
        (("signing_event", "events", "id"),),
    ),
    Table(
        "agreement_parties",
        "Parties to each agreement.",
        (
            S("agreement", "Agreement id.", False, COMPUTED),
            S("entity", "Entity id of the party.", False, COMPUTED),
        ),
        ("agreement", "entity"),
        (("agreement", "agreements", "id"), ("entity", "entities", "id")),
    ),
    Table(
        "agreement_signatories",
        "People who sign each agreement and the capacity they sign in.",
        (
            S("agreement", "Agreement id.", False, COMPUTED),
            S("person", "Entity id of the signatory.", False),
            S("capacity", "Post they sign in.", False),
            S("on_behalf_of", "Entity id of the party they sign for.", False),
            S("role", "Role id of that post."),
            _enum(
                "certainty",
                vocab.Certainty,
                f"Whether they signed or are to sign: {glossed(vocab.CERTAINTY_MEANINGS)}.",
                False,
            ),
            S("key", "Stable key of the signatory within the agreement: the person's id.", False, "item_key"),
        ),
        ("agreement", "person"),
        (
            ("agreement", "agreements", "id"),
            ("person", "entities", "id"),
            ("on_behalf_of", "entities", "id"),
            ("role", "roles", "id"),
        ),
    ),
    Table(
        "agreement_provisions",
        "What each agreement provides, including explicit non-commitments.",
        (
            S("agreement", "Agreement id.", False, COMPUTED),
            I("n", "Order within the agreement (0-based).", False, COMPUTED),
            _enum("kind", vocab.ProvisionKind, f"{value_list(vocab.ProvisionKind)}.", False),
            S("text", "The provision.", False),
            L("areas", "Areas of cooperation it concerns."),
            _enum(
                "certainty",
                vocab.Certainty,
                f"How firmly the source states it: {glossed(vocab.CERTAINTY_MEANINGS)}.",
                False,
            ),
            S(
                "key",
                "Stable key of the provision within the agreement: its explicit key, else a slug of its first "
                "words and 6 hex digits of its text's SHA-256 (does not change when provisions are inserted).",
                False,
                "item_key",
            ),
        ),
        ("agreement", "key"),
        (("agreement", "agreements", "id"),),
    ),
    Table(
        "agreement_relations",
        "Typed links from one agreement to another, with how each was established.",
        (
            S("agreement", "Agreement id.", False, COMPUTED),
            _enum("type", vocab.RelationType, "Relation type.", False),
            S("target", "The other agreement's id.", False),
            S("basis", "How the relation was established."),
            S("key", "Stable key of the relation within the agreement: type:target.", False, "item_key"),
        ),
        ("agreement", "type", "target"),
        (("agreement", "agreements", "id"), ("target", "agreements", "id")),
    ),
    Table(
        "statements",
        "Attributed quotes and paraphrases, with speaker and relay.",
        (
            _id("Statement id (stm:...)."),
            S("speaker", "Entity id of the speaker.", False),
            L("relayed_by", "Entity ids of who passed the words on."),
            S("addressee", "Entity id of the addressee."),
            *date_columns("date", "When the words were said", False),
            _enum(
                "channel",
                stm.StatementChannel,
                f"How the words were made public: {value_list(stm.StatementChannel)}.",
                False,
            ),
            _enum("form", stm.StatementForm, f"{value_list(stm.StatementForm)}.", False),
            S("text", "The words.", False),
            S("language_note", "E.g. that the words are a translation."),
            S("event", "Event id the statement belongs to."),
            *SUPPORT_COLUMNS,
        ),
        ("id",),
        (("speaker", "entities", "id"), ("addressee", "entities", "id"), ("event", "events", "id")),
    ),
    Table(
        "figures",
        "Quantities the sources state (aid amounts...).",
        (
            _id("Figure id (fig:...)."),
            S("about", "What the quantity measures.", False),
            Column(
                "value",
                "float",
                "The number as a float (see value_text for the exact decimal).",
                False,
                source=COMPUTED,
            ),
            S("value_text", "The number as an exact decimal string.", False, COMPUTED),
            S("unit", "Currency (ISO 4217) or unit.", False),
            _enum("qualifier", stm.Qualifier, f"{value_list(stm.Qualifier, last=', ')}.", False),
            *date_columns("period", "Period the figure covers"),
            L("subjects", "Ids of the records the figure is about."),
        ),
        ("id",),
    ),
    Table(
        "disagreements",
        "Facts on which sources differ; each version is in disagreement_versions.",
        (
            _id("Disagreement id (dis:...)."),
            S("subject", "Id of the record the disagreement is about.", False),
            S("aspect", "What is disputed.", False),
            S("note", "Context for weighing the versions."),
            S("field", "The disputed field of the subject (JSON pointer), when the disagreement is about one."),
            Column(
                "derived", "bool", "True when the build derived the versions from conflicting claims.", source=COMPUTED
            ),
        ),
        ("id",),
    ),
    Table(
        "disagreement_versions",
        "Each source's version of a disputed fact.",
        (
            S("disagreement", "Disagreement id.", False, COMPUTED),
            I("n", "Order of the version (0-based).", False, COMPUTED),
            S("claim", "What this source says.", False),
            L("documents", "Documents that give this version.", COMPUTED),
            S(
                "key",
                "Stable key of the version within the disagreement: its explicit key, else a slug of the claim's "
                "first words and 6 hex digits of its SHA-256.",
                False,
                "item_key",
            ),
            S(
                "value",
                "The value this version gives the disputed field, as JSON text (derived versions).",
                True,
                COMPUTED,
            ),
        ),
        ("disagreement", "key"),
        (("disagreement", "disagreements", "id"),),
    ),
    Table(
        "evidence",
        "One row per record x quote: the exact words supporting every fact, with offsets.",
        (
            S("record", "Id of the record the quote supports.", False, COMPUTED),
            _enum("record_type", _RECORD_TYPES, "Type of that record.", False, COMPUTED),
            S(
                "path",
                "Where in the record the evidence sits, as a JSON pointer ('' = the record itself, '/provisions/0' = its first provision).",
                False,
                COMPUTED,
            ),
            I("n", "Order of the quote at that place (0-based).", False, COMPUTED),
            S("document", "Document id.", False),
            S("quote", "The exact words as they stand in the document.", False, COMPUTED),
            I("start", "Character offset of the quote's start.", False),
            I("end", "Character offset just past the quote's end.", False),
            _enum("segment", evi.SegmentKind, "Part of the document the quote lies in (its segment kind).", False),
            S("note", "Why the quote supports the record."),
            S(
                "item",
                "The nested item the quote supports by its stable key ('' = the record itself, "
                "'/provisions/<key>' = a provision, whatever its position); path gives its position.",
                False,
                COMPUTED,
            ),
        ),
        ("record", "item", "n"),
        (("document", "documents", "id"),),
    ),
    Table(
        "mentions",
        "Every place an entity's name or alias occurs in a document, found automatically.",
        (
            S("document", "Document id.", False, COMPUTED),
            S("entity", "Entity id.", False, COMPUTED),
            S("name", "The name or alias as matched.", False, COMPUTED),
            I("start", "Character offset of the match.", False, COMPUTED),
            I("end", "Character offset just past the match.", False, COMPUTED),
            _enum("segment", evi.SegmentKind, "Part of the document the match lies in.", False, COMPUTED),
        ),
        ("document", "start", "entity"),
        (("document", "documents", "id"), ("entity", "entities", "id")),
    ),
    Table(
        "redirects",
        "Retired ids and the ids that now hold their facts.",
        (
            _id("Retired id."),
            S("to", "Current id.", False),
            S("reason", "Why the records were merged.", False),
        ),
        ("id",),
    ),
    Table(
        "withdrawals",
        "Released ids withdrawn without a successor, and why; a withdrawn id never names another record.",
        (
            _id("Withdrawn id."),
            S("reason", "Why the record was withdrawn, and where its facts are now, if anywhere.", False),
        ),
        ("id",),
    ),
    # ---- claims and what the build derives from them (usua.claims, usua.derivation)
    Table(
        "claims",
        "Every value a document gives to a record's field, with its as-of date, stance, grades and quote; the records are derived from these.",
        computed(
            S("record", "Id of the record the claim is about.", False),
            _enum("record_type", _RECORD_TYPES, "Type of that record.", False),
            S(
                "field",
                "The field, as a JSON pointer ('' = the record as a whole; '/participants/-' = one added item).",
                False,
            ),
            S("value", "The value as JSON text ('null' for the record as a whole).", False),
            S("document", "Document id.", False),
            *as_of_columns(),
            _enum("stance", vocab.ClaimStance, "states, reports, announces_planned, expects or denies.", False),
            I("credibility", "Information credibility, Admiralty 1-6 (codebook: grades).", False),
            _enum("source_grade", vocab.SourceGrade, "The document's source-reliability grade (A-F).", False),
            *quote_columns("The first quote of the claim"),
            S(
                "claim",
                "Id of the claim record, when the claim comes from a claims section (else the record's own evidence).",
            ),
            Column("in_record", "bool", "True when the derived record holds this value.", False),
        ),
        ("record", "field", "document", "value"),
        (("document", "documents", "id"),),
    ),
    Table(
        "status_history",
        "The status of every event and agreement as of each document that gives it; the current status is derived from it (the latest as-of wins).",
        computed(
            S("record", "Event or agreement id.", False),
            _enum("record_type", ["event", "agreement"], "Type of that record.", False),
            S("status", "The status as of the document.", False),
            *as_of_columns(),
            S("document", "Document id.", False),
            *quote_columns("The quote that gives the status"),
            Column("current", "bool", "True when this row gives the record's current status.", False),
        ),
        ("record", "document", "status"),
        (("document", "documents", "id"),),
    ),
)

TABLE_NAMES: tuple[str, ...] = tuple(t.name for t in TABLES)


_BY_NAME: dict[str, Table] = {t.name: t for t in TABLES}  # the build looks a table up for every row


def get_table(name: str) -> Table:
    """The definition of one release table, by name."""
    if name in _BY_NAME:
        return _BY_NAME[name]
    raise KeyError(f"no table {name!r}; the tables are: {', '.join(TABLE_NAMES)}")


@cache
def arrow_schema(name: str) -> Any:
    """The explicit Arrow schema of a table (never inferred, so an empty table has it too)."""
    import pyarrow as pa

    types = {
        "string": pa.string(),
        "int": pa.int64(),
        "float": pa.float64(),
        "bool": pa.bool_(),
        "date": pa.date32(),
        "list": pa.list_(pa.string()),
        "enum": pa.dictionary(pa.int32(), pa.string()),
    }
    t = get_table(name)
    fields = [
        pa.field(c.name, types[c.type], nullable=c.nullable, metadata={"description": c.description}) for c in t.columns
    ]
    return pa.schema(fields, metadata={"description": t.description, "primary_key": ",".join(t.primary_key)})
