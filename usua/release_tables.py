"""The release tables: names, columns, types, keys. One definition feeds the Parquet writer's Arrow
schema, the Frictionless Table Schema, the loader and the codebook, so they cannot drift apart.

Every date of a record becomes seven columns: ``<name>`` (EDTF value), ``<name>_precision``,
``<name>_earliest`` and ``<name>_latest`` (date32, for range queries), ``<name>_method``,
``<name>_stated_as`` and ``<name>_basis``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from functools import cache
from typing import Any

from .models.registry import ID_PREFIXES
from .models import dates as dt
from .models import document as doc
from .models import entity as ent
from .models import evidence as evi
from .models import statement as stm
from .models import vocab

#: Kept importable from here; the list lives with the vocabularies.
PLOVER_TYPES = vocab.PLOVER_TYPES


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # string | int | float | bool | date | list | enum
    description: str
    nullable: bool = True
    values: tuple[str, ...] = ()  # for enum columns


@dataclass(frozen=True)
class Table:
    name: str
    description: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[tuple[str, str, str], ...] = ()  # (column, table, column)
    record_type: str | None = None  # the contribution section the rows come from
    column_names: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "column_names", tuple(c.name for c in self.columns))


def _enum(name: str, e: type[Enum] | list[str], desc: str, nullable: bool = True) -> Column:
    values = tuple(e) if isinstance(e, list) else tuple(m.value for m in e)
    return Column(name, "enum", desc, nullable, values)


def S(name: str, desc: str, nullable: bool = True) -> Column:
    """A text column."""
    return Column(name, "string", desc, nullable)


def I(name: str, desc: str, nullable: bool = True) -> Column:
    """An integer column."""
    return Column(name, "int", desc, nullable)


def L(name: str, desc: str) -> Column:
    """A list-of-text column (never null: empty when there is nothing)."""
    return Column(name, "list", desc, False)


def date_columns(prefix: str, what: str, nullable: bool = True) -> tuple[Column, ...]:
    """The seven columns of one date (value, precision, earliest, latest, method, stated_as, basis)."""
    return (
        S(prefix, f"{what}: EDTF value (null when the sources give no date).", True),
        _enum(
            f"{prefix}_precision", dt.DatePrecision, f"Precision of {prefix}: day, month, year or unknown.", nullable
        ),
        Column(f"{prefix}_earliest", "date", f"First calendar day {prefix} can denote (null if open or unknown)."),
        Column(f"{prefix}_latest", "date", f"Last calendar day {prefix} can denote (null if open or unknown)."),
        _enum(
            f"{prefix}_method",
            dt.DateMethod,
            f"How {prefix} was obtained: stated, resolved_relative, inferred, external.",
            nullable,
        ),
        S(f"{prefix}_stated_as", f"The source's words for {prefix}, e.g. 'on Friday'."),
        S(f"{prefix}_basis", f"How {prefix} was resolved or inferred."),
    )


def _id(desc: str) -> Column:
    return S("id", desc, False)


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
            I("characters", "Length of the text in characters (offsets index into this).", False),
            Column("redistributable", "bool", "May the full text be redistributed?", False),
            S("licence", "Licence or legal status of the text."),
            S("rights_note", "Reasoning behind the rights assessment."),
            L("reliability", "Problems a reader should weigh."),
        ),
        ("id",),
        record_type="document",
    ),
    Table(
        "document_segments",
        "Lines of each document that are not article body: titles, captions, boilerplate, wrappers, bylines.",
        (
            S("document", "Document id.", False),
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
        "People, organizations, states, places and groups.",
        (
            _id("Entity id (ent:...)."),
            _enum("kind", ent.EntityKind, "person, organization, state, place or group.", False),
            S("name", "Canonical name.", False),
            L("aliases", "Other names and spellings (details in entity_aliases)."),
            S("wikidata", "Wikidata QID, only where certain."),
            S("iso3166_alpha3", "ISO 3166-1 alpha-3 code, for states."),
            S("country", "ISO 3166-1 alpha-3 code of the state the entity belongs to or acts for."),
            _enum("sector", ent.Sector, "PLOVER/CAMEO actor sector."),
            S("description", "Who or what this is."),
        ),
        ("id",),
        record_type="entity",
    ),
    Table(
        "entity_aliases",
        "Every alias of every entity, with how it was inferred.",
        (
            S("entity", "Entity id.", False),
            S("alias", "The alias.", False),
            _enum("kind", ent.AliasKind, "spelling, full_name, short_name, acronym, metonym or surname.", False),
            S("basis", "Why the alias denotes the entity."),
        ),
        ("entity", "alias"),
        (("entity", "entities", "id"),),
    ),
    Table(
        "entity_identifiers",
        "External identifiers of entities.",
        (
            S("entity", "Entity id.", False),
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
        record_type="role",
    ),
    Table(
        "events",
        "Events: meetings, calls, visits, signings, statements, aid, war. One row per real-world event, citing every document that reports it.",
        (
            _id("Event id (evt:...)."),
            _enum("type", list(vocab.EVENT_TYPES), "Event type (codebook: event types).", False),
            _enum("plover_type", PLOVER_TYPES, "PLOVER event type the type maps to."),
            S("plover_mode", "PLOVER mode (visit, phone, multilateral...)."),
            S("plover_context", "PLOVER context (diplomatic, military...)."),
            S("cameo", "CAMEO code the type maps to."),
            S("title", "Short label.", False),
            S("summary", "What the sources say happened."),
            _enum(
                "status",
                vocab.EventStatus,
                "happened, ongoing, planned, expected, announced, reported, cancelled, hypothetical.",
                False,
            ),
            *date_columns("date", "When it happened or is to happen", False),
            *date_columns("end_date", "When it ended"),
            S("location", "Entity id of the place."),
            S("part_of", "Event id of a larger event it belongs to."),
            L("agreements", "Agreement ids the event concerns."),
            L("documents", "Documents that report the event."),
        ),
        ("id",),
        (("location", "entities", "id"), ("part_of", "events", "id")),
        record_type="event",
    ),
    Table(
        "event_participants",
        "One row per event x participant x role.",
        (
            S("event", "Event id.", False),
            S("entity", "Entity id of the participant.", False),
            _enum("role", vocab.ParticipantRole, "Role in the event.", False),
            _enum(
                "status",
                vocab.EventStatus,
                "The participant's own status where it differs from the event's (e.g. expected to attend).",
                True,
            ),
            S("note", "Remarks."),
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
        ),
        ("id",),
        (("signing_event", "events", "id"),),
        record_type="agreement",
    ),
    Table(
        "agreement_parties",
        "Parties to each agreement.",
        (
            S("agreement", "Agreement id.", False),
            S("entity", "Entity id of the party.", False),
        ),
        ("agreement", "entity"),
        (("agreement", "agreements", "id"), ("entity", "entities", "id")),
    ),
    Table(
        "agreement_signatories",
        "People who sign each agreement and the capacity they sign in.",
        (
            S("agreement", "Agreement id.", False),
            S("person", "Entity id of the signatory.", False),
            S("capacity", "Post they sign in.", False),
            S("on_behalf_of", "Entity id of the party they sign for.", False),
            S("role", "Role id of that post."),
            _enum("certainty", vocab.Certainty, "stated (signed) or planned (to sign).", False),
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
            S("agreement", "Agreement id.", False),
            I("n", "Order within the agreement (0-based).", False),
            _enum("kind", vocab.ProvisionKind, "commitment, aim, non_commitment or scope.", False),
            S("text", "The provision.", False),
            L("areas", "Areas of cooperation it concerns."),
            _enum("certainty", vocab.Certainty, "How firmly the source states it.", False),
        ),
        ("agreement", "n"),
        (("agreement", "agreements", "id"),),
    ),
    Table(
        "agreement_relations",
        "Links between agreements (implements, supersedes, same_as...).",
        (
            S("agreement", "Agreement id.", False),
            _enum("type", vocab.RelationType, "Relation type.", False),
            S("target", "The other agreement's id.", False),
            S("basis", "How the relation was established."),
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
            _enum("channel", stm.StatementChannel, "How the words were made public.", False),
            _enum("form", stm.StatementForm, "direct_quote or paraphrase.", False),
            S("text", "The words.", False),
            S("language_note", "E.g. that the words are a translation."),
            S("event", "Event id the statement belongs to."),
        ),
        ("id",),
        (("speaker", "entities", "id"), ("addressee", "entities", "id"), ("event", "events", "id")),
        record_type="statement",
    ),
    Table(
        "figures",
        "Quantities the sources state (aid amounts...).",
        (
            _id("Figure id (fig:...)."),
            S("about", "What the quantity measures.", False),
            Column("value", "float", "The number as a float (see value_text for the exact decimal).", False),
            S("value_text", "The number as an exact decimal string.", False),
            S("unit", "Currency (ISO 4217) or unit.", False),
            _enum("qualifier", stm.Qualifier, "exact, more_than, at_least, less_than, up_to, about.", False),
            *date_columns("period", "Period the figure covers"),
            L("subjects", "Ids of the records the figure is about."),
        ),
        ("id",),
        record_type="figure",
    ),
    Table(
        "disagreements",
        "Facts on which sources differ; each version is in disagreement_versions.",
        (
            _id("Disagreement id (dis:...)."),
            S("subject", "Id of the record the disagreement is about.", False),
            S("aspect", "What is disputed.", False),
            S("note", "Context for weighing the versions."),
        ),
        ("id",),
        record_type="disagreement",
    ),
    Table(
        "disagreement_versions",
        "Each source's version of a disputed fact.",
        (
            S("disagreement", "Disagreement id.", False),
            I("n", "Order of the version (0-based).", False),
            S("claim", "What this source says.", False),
            L("documents", "Documents that give this version."),
        ),
        ("disagreement", "n"),
        (("disagreement", "disagreements", "id"),),
    ),
    Table(
        "evidence",
        "One row per record x quote: the exact words supporting every fact, with offsets.",
        (
            S("record", "Id of the record the quote supports.", False),
            _enum("record_type", _RECORD_TYPES, "Type of that record.", False),
            S(
                "path",
                "Where in the record the evidence sits, as a JSON pointer ('' = the record itself, '/provisions/0' = its first provision).",
                False,
            ),
            I("n", "Order of the quote at that place (0-based).", False),
            S("document", "Document id.", False),
            S("quote", "The exact words as they stand in the document.", False),
            I("start", "Character offset of the quote's start.", False),
            I("end", "Character offset just past the quote's end.", False),
            _enum("segment", evi.SegmentKind, "Part of the document the quote lies in (body, caption...).", False),
            S("note", "Why the quote supports the record."),
        ),
        ("record", "path", "n"),
        (("document", "documents", "id"),),
    ),
    Table(
        "mentions",
        "Every place an entity's name or alias occurs in a document, found automatically.",
        (
            S("document", "Document id.", False),
            S("entity", "Entity id.", False),
            S("name", "The name or alias as matched.", False),
            I("start", "Character offset of the match.", False),
            I("end", "Character offset just past the match.", False),
            _enum("segment", evi.SegmentKind, "Part of the document the match lies in.", False),
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
