"""Agreements: frameworks, security agreements, declarations, with parties, signatories and provisions."""

from __future__ import annotations

from pydantic import Field, model_validator

from .base import AgreementId, EntityId, EventId, NonEmptyStr, RoleId, ShortText, StrictModel, glossed, value_list
from .dates import DateValue, not_before
from .evidence import Evidence
from .keys import KEY_MAX_LENGTH, KEY_PATTERN, content_key, repeated_key
from .vocab import (
    AGREEMENT_KIND_MEANINGS,
    CERTAINTY_MEANINGS,
    PROVISION_MEANINGS,
    AgreementKind,
    AgreementStatus,
    Certainty,
    CooperationArea,
    ProvisionKind,
    RelationType,
)


class Signatory(StrictModel):
    person: EntityId = Field(description="The person who signs or is to sign.")
    capacity: ShortText = Field(description="The post in which they sign, as the source words it.")
    on_behalf_of: EntityId = Field(description="The party they sign for; must be one of the agreement's parties.")
    role: RoleId | None = Field(default=None, description="The role record for that post, if curated.")
    certainty: Certainty = Field(
        default=Certainty.stated,
        description="Whether they signed or are to sign: " + glossed(CERTAINTY_MEANINGS, quote="'") + ".",
    )

    @property
    def item_key(self) -> str:
        """Key within the agreement's signatories: the person (one row per person)."""
        return self.person


class Provision(StrictModel):
    key: str | None = Field(
        default=None,
        pattern=KEY_PATTERN,
        max_length=KEY_MAX_LENGTH,
        description="A short slug naming the provision within its agreement (e.g. 'no-nato-membership'); "
        "when absent, a content key is derived from the text. Keeps the provision's rows stable when "
        "provisions are inserted or reordered.",
    )
    kind: ProvisionKind = Field(description=f"{glossed(PROVISION_MEANINGS, last=', or ')}.")
    text: NonEmptyStr = Field(description="The provision in the source's words or a close paraphrase.")
    areas: list[CooperationArea] = Field(
        default_factory=list, description="Areas of cooperation the provision concerns."
    )
    certainty: Certainty = Field(
        default=Certainty.stated,
        description="How firmly the source states it: " + glossed(CERTAINTY_MEANINGS, quote="'") + ".",
    )
    evidence: list[Evidence] = Field(
        min_length=1, description="Quotes from the sources that support this record (at least one)."
    )

    @property
    def item_key(self) -> str:
        """Key within the agreement's provisions: the explicit key, else a content key of the text."""
        return self.key or content_key(self.text)


class AgreementRelation(StrictModel):
    type: RelationType = Field(description=f"{value_list(RelationType)}.")
    target: AgreementId = Field(description="The other agreement.")
    basis: ShortText | None = Field(default=None, description="How the relation was established.")
    evidence: list[Evidence] = Field(
        min_length=1, description="Quotes from the sources that support this record (at least one)."
    )

    @property
    def item_key(self) -> str:
        """Key within the agreement's relations: type and target."""
        return f"{self.type}:{self.target}"


class Agreement(StrictModel):
    """A formal agreement or declaration between states or organizations."""

    id: AgreementId
    name: ShortText = Field(description="Name of the agreement as the sources give it, or a descriptive label.")
    kind: AgreementKind = Field(description=f"{glossed(AGREEMENT_KIND_MEANINGS, last=', ')}.")
    status: AgreementStatus = Field(
        description="Lifecycle status as of the latest source (see disagreements for conflicting accounts)."
    )
    parties: list[EntityId] = Field(min_length=1, description="States or organizations bound by it.")
    signatories: list[Signatory] = Field(
        default_factory=list, description="People who signed or are to sign, with the capacity they sign in."
    )
    announced: DateValue | None = Field(default=None, description="When it was first announced.")
    signed: DateValue | None = Field(default=None, description="When it was signed, or is planned to be (see status).")
    adopted: DateValue | None = Field(
        default=None,
        description="When it was adopted, made or issued without signatures being reported (a declaration, "
        "a communiqué); with status 'adopted'. Never infer a signature from it.",
    )
    in_force: DateValue | None = Field(default=None, description="When it entered into force.")
    expires: DateValue | None = Field(default=None, description="When it expires.")
    duration: ShortText | None = Field(default=None, description="Duration in the source's words, e.g. 'ten years'.")
    areas: list[CooperationArea] = Field(
        default_factory=list, description="Areas of cooperation it covers (closed vocabulary)."
    )
    purpose: NonEmptyStr | None = Field(default=None, description="What it is for, in the sources' words.")
    provisions: list[Provision] = Field(
        default_factory=list, description="What it provides, including explicit non-commitments."
    )
    relations: list[AgreementRelation] = Field(default_factory=list, description="Links to other agreements.")
    signing_event: EventId | None = Field(default=None, description="The event at which it was (or is to be) signed.")
    evidence: list[Evidence] = Field(
        min_length=1, description="Quotes from the sources that support this record (at least one)."
    )

    @model_validator(mode="after")
    def _checks(self) -> Agreement:
        if len(set(self.parties)) != len(self.parties):
            raise ValueError("a party is listed twice")
        for s in self.signatories:
            if s.on_behalf_of not in self.parties:
                raise ValueError(f"signatory {s.person} signs for {s.on_behalf_of}, which is not a party")
        if not not_before(self.signed, self.in_force):
            raise ValueError("in_force is before signed")
        if not not_before(self.in_force or self.signed, self.expires):
            raise ValueError("expires is before the agreement was signed or in force")
        if self.status in ("signed", "in_force", "expired") and self.signed is None:
            raise ValueError(f"status '{self.status}' needs a signed date (its value may be null if unknown)")
        if self.status == "adopted" and self.adopted is None:
            raise ValueError("status 'adopted' needs an adopted date (its value may be null if unknown)")
        if any(r.target == self.id for r in self.relations):
            raise ValueError("an agreement cannot relate to itself")
        for items, what in (
            (self.provisions, "provisions"),
            (self.signatories, "signatories"),
            (self.relations, "relations"),
        ):
            if message := repeated_key(items, what):
                raise ValueError(message)
        return self
