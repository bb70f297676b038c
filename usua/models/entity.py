"""Entities (people, organizations, states, places) and the posts people hold (roles)."""

from __future__ import annotations

from enum import Enum

from pydantic import Field, model_validator

from .base import EntityId, NonEmptyStr, RoleId, ShortText, StrictModel, glossed
from .dates import DateValue, not_before
from .evidence import Evidence


class EntityKind(str, Enum):
    person = "person"
    organization = "organization"
    state = "state"
    place = "place"
    group = "group"


class AliasKind(str, Enum):
    spelling = "spelling"
    full_name = "full_name"
    short_name = "short_name"
    acronym = "acronym"
    metonym = "metonym"
    surname = "surname"


#: What each AliasKind value means, where its name does not say it all.
ALIAS_KIND_MEANINGS = {
    "spelling": "a spelling variant or transliteration",
    "full_name": "the full form",
    "short_name": "a short form",
    "acronym": None,
    "metonym": "a place or building standing for the entity, e.g. 'the Kremlin', 'Moscow'",
    "surname": "the surname alone",
}


class Alias(StrictModel):
    name: ShortText = Field(description="Another name the sources use for the entity.")
    kind: AliasKind = Field(description=f"What sort of name it is: {glossed(ALIAS_KIND_MEANINGS, last=', or ')}.")
    basis: ShortText | None = Field(
        default=None, description="Why this name denotes the entity (how the alias was inferred)."
    )


class IdScheme(str, Enum):
    wikidata = "wikidata"
    iso3166_1_alpha3 = "iso3166-1-alpha3"
    iso3166_1_alpha2 = "iso3166-1-alpha2"


_ID_PATTERNS = {
    IdScheme.wikidata: r"^Q[1-9][0-9]*$",
    IdScheme.iso3166_1_alpha3: r"^[A-Z]{3}$",
    IdScheme.iso3166_1_alpha2: r"^[A-Z]{2}$",
}


class Identifier(StrictModel):
    scheme: IdScheme = Field(description="The identifier scheme.")
    value: str = Field(
        min_length=1,
        max_length=40,
        description="The identifier within its scheme (Wikidata QID such as Q30, ISO 3166 code such as USA).",
    )

    @model_validator(mode="after")
    def _pattern(self) -> Identifier:
        import re

        if not re.fullmatch(_ID_PATTERNS[IdScheme(self.scheme)], self.value):
            raise ValueError(f"{self.value!r} is not a valid {self.scheme} identifier")
        return self


class Sector(str, Enum):
    GOV = "GOV"
    MIL = "MIL"
    LEG = "LEG"
    MED = "MED"
    CVL = "CVL"
    IGO = "IGO"
    PTY = "PTY"
    BUS = "BUS"


#: What each Sector code means (PLOVER/CAMEO actor sectors).
SECTOR_MEANINGS = {
    "GOV": "government",
    "MIL": "military",
    "LEG": "legislature",
    "MED": "media",
    "CVL": "civilian",
    "IGO": "intergovernmental",
    "PTY": "party",
    "BUS": "business",
}


class Entity(StrictModel):
    """A person, organization, state, place or group that the sources name."""

    id: EntityId
    kind: EntityKind = Field(description="What the entity is.")
    name: ShortText = Field(description="Canonical name, as the most formal source spells it.")
    aliases: list[Alias] = Field(default_factory=list, description="Other names and spellings the sources use.")
    identifiers: list[Identifier] = Field(
        default_factory=list, description="External identifiers, given only where certain."
    )
    country: str | None = Field(
        default=None,
        pattern=r"^[A-Z]{3}$",
        description="ISO 3166-1 alpha-3 code of the state the entity belongs to or acts for (PLOVER actor country).",
    )
    sector: Sector | None = Field(
        default=None,
        description=f"PLOVER/CAMEO actor sector: {glossed(SECTOR_MEANINGS, last=', ')}.",
    )
    description: NonEmptyStr | None = Field(
        default=None, description="One or two sentences on who or what this is, as the sources describe it."
    )
    evidence: list[Evidence] = Field(min_length=1, description="Quotes that name the entity.")

    @model_validator(mode="after")
    def _checks(self) -> Entity:
        names = [self.name.casefold()] + [a.name.casefold() for a in self.aliases]
        if len(set(names)) != len(names):
            raise ValueError("an alias repeats the name or another alias")
        schemes = [i.scheme for i in self.identifiers]
        if len(set(schemes)) != len(schemes):
            raise ValueError("at most one identifier per scheme")
        if (
            any(s.startswith("iso3166") for s in schemes) and self.kind != "state"
        ):  # (a plain string: the field holds enum values)
            raise ValueError("ISO 3166 identifiers are for states only")
        return self


class Role(StrictModel):
    """A person holding a post, as the sources state it (Popolo membership)."""

    id: RoleId
    person: EntityId = Field(description="The person holding the post.")
    post: ShortText = Field(description="The post as the source words it, e.g. 'Secretary of Defense'.")
    organization: EntityId | None = Field(default=None, description="The organization or state the post belongs to.")
    start: DateValue | None = Field(default=None, description="When the person took the post, if a source says.")
    end: DateValue | None = Field(default=None, description="When the person left the post, if a source says.")
    attested: DateValue = Field(
        description="The date at which a source attests the person holds the post (usually its publication date or the date of the event it reports)."
    )
    evidence: list[Evidence] = Field(
        min_length=1, description="Quotes from the sources that support this record (at least one)."
    )

    @model_validator(mode="after")
    def _span(self) -> Role:
        if self.person == self.organization:
            raise ValueError("a person cannot be the organization of their own post")
        if not not_before(self.start, self.end):
            raise ValueError("end is before start")
        return self
