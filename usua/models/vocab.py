"""Closed vocabularies: event types and their PLOVER/CAMEO mapping, statuses, roles, areas."""

from __future__ import annotations

from enum import Enum
from typing import NamedTuple


class EventTypeInfo(NamedTuple):
    description: str
    plover: str | None
    plover_mode: str | None
    plover_context: str | None
    cameo: str | None


#: PLOVER's event types (its codebook, dataset/vocab/plover-codebook.yaml). DEMAND, the name PLOVER's
#: README still gives the 10 family, stays a value of the column for compatibility; since 1.1.0 the
#: mapping uses REQUEST, as PLOVER's table and manual do.
PLOVER_TYPES = [
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "CONCEDE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "DEMAND",
    "ACCUSE",
    "REJECT",
    "THREATEN",
    "PROTEST",
    "SANCTION",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
    "REQUEST",
]

#: Each event type maps to one CAMEO code and to the PLOVER event type, mode and context that the
#: official CAMEO-to-PLOVER table (openeventdata/PLOVER, CAMEO2PLOVER-2021.txt; a copy is kept in
#: dataset/vocab/) gives that code. Where the table leaves the mode or context blank, a value from
#: PLOVER's codebook may refine it. None where PLOVER has no match (it dropped CAMEO's public-statement
#: family 01x). A type is as specific as the sources are: `conversation` when they do not say how
#: people spoke, `aid` when they do not say what kind of aid (dataset/CURATION.md).
EVENT_TYPES: dict[str, EventTypeInfo] = {
    "meeting": EventTypeInfo(
        "Face-to-face meeting of officials at one side's premises.", "CONSULT", None, "diplomatic", "040"
    ),
    "visit": EventTypeInfo(
        "A delegation or leader travels to another party; the visitor is the source actor, the host the recipient.",
        "CONSULT",
        "visit",
        "diplomatic",
        "042",
    ),
    "conversation": EventTypeInfo(
        "People speak with each other; the sources do not say whether in person, by telephone or by video.",
        "CONSULT",
        None,
        "diplomatic",
        "040",
    ),
    "phone_call": EventTypeInfo(
        "Conversation by telephone or video call (the sources say so: 'call', 'phone').",
        "CONSULT",
        "phone",
        "diplomatic",
        "041",
    ),
    "summit": EventTypeInfo(
        "Multilateral gathering of leaders (G7, G20, peace summit).", "CONSULT", "multilateral", "diplomatic", "040"
    ),
    "consultations": EventTypeInfo(
        "Scheduled rounds of talks between governments.", "CONSULT", None, "diplomatic", "040"
    ),
    "negotiation": EventTypeInfo("Talks aimed at an agreement.", "CONSULT", None, "diplomatic", "046"),
    "briefing": EventTypeInfo("Officials brief reporters.", None, None, None, "010"),
    "press_conference": EventTypeInfo("Leaders or officials answer the press.", None, None, None, "010"),
    "statement": EventTypeInfo("A public statement, readout or press release.", None, None, None, "010"),
    "signing": EventTypeInfo("Signature of a formal agreement.", "SUPPORT", None, "diplomatic", "057"),
    "diplomatic_support": EventTypeInfo(
        "A party declares its support for another's cause or standing (sovereignty, aspirations).",
        "SUPPORT",
        None,
        "diplomatic",
        "050",
    ),
    "agreement_to_act": EventTypeInfo(
        "Parties agree or promise to do something (hold talks, sign, cooperate).", "AGREE", None, "diplomatic", "030"
    ),
    "pledge_of_aid": EventTypeInfo(
        "Promise of continued military aid (weapons, equipment).", "AGREE", None, "military", "0332"
    ),
    "aid": EventTypeInfo("Provision of aid whose kind the sources do not state.", "AID", None, None, "070"),
    "military_aid": EventTypeInfo(
        "Provision of weapons, equipment or money for defense (the sources say it is military).",
        "AID",
        None,
        "military",
        "072",
    ),
    "cooperation": EventTypeInfo(
        "Material help or cooperation whose field the sources do not state.", "COOPERATE", None, None, "060"
    ),
    "military_cooperation": EventTypeInfo(
        "Cooperation between armed forces or defense establishments.", "COOPERATE", None, "military", "062"
    ),
    "demand": EventTypeInfo("A party calls on another to do or stop something.", "REQUEST", None, "diplomatic", "100"),
    "disapproval": EventTypeInfo(
        "A party voices doubts about or criticism of a policy, without rejecting it.",
        "ACCUSE",
        "disapprove",
        None,
        "110",
    ),
    "opposition": EventTypeInfo("Political resistance to a policy or request.", "REJECT", None, "diplomatic", "120"),
    "threat": EventTypeInfo("A threat of force.", "THREATEN", "violence", "military", "138"),
    "nuclear_threat": EventTypeInfo(
        "A threat, however veiled, to use nuclear or other weapons of mass destruction.",
        "THREATEN",
        "violence",
        "cbrn",
        "1385",
    ),
    "invasion": EventTypeInfo("Invasion of a state's territory by armed forces.", "ASSAULT", None, "military", "190"),
    "occupation": EventTypeInfo("Occupation or annexation of territory.", "COERCE", "seize", "military", "192"),
    "armed_conflict": EventTypeInfo("Ongoing fighting between armed forces.", "ASSAULT", None, "military", "190"),
    "military_offensive": EventTypeInfo("An offensive or counteroffensive.", "ASSAULT", None, "military", "190"),
    "mobilization": EventTypeInfo(
        "Escalation or build-up of a war effort, by means the sources do not state (hence the family's root code).",
        "MOBILIZE",
        None,
        "military",
        "150",
    ),
    "relations": EventTypeInfo(
        "The state of relations between parties over a period as a source characterises it (e.g. contact has been infrequent).",
        None,
        None,
        None,
        None,
    ),
    "political_event": EventTypeInfo(
        "Domestic political activity (fundraisers, scheduling decisions).", None, None, None, None
    ),
}

EventType = Enum("EventType", {k: k for k in EVENT_TYPES}, type=str)  # type: ignore[misc]  # members from the table
EventType.__doc__ = "Type of event; see the event-type table in the codebook for PLOVER and CAMEO."


class EventStatus(str, Enum):
    """Separates what happened from what was only planned, expected or claimed."""

    happened = "happened"
    ongoing = "ongoing"
    planned = "planned"
    expected = "expected"
    announced = "announced"
    reported = "reported"
    cancelled = "cancelled"
    hypothetical = "hypothetical"


STATUS_MEANINGS = {
    "happened": "The sources report it as having taken place.",
    "ongoing": "Under way at the date of the source (what a source reports in the present tense).",
    "planned": "Scheduled or intended by the participants, not yet taken place at the date of the source.",
    "expected": "Anticipated by the source or others, without a firm schedule.",
    "announced": "Declared by a participant; whether it took place is not reported.",
    "reported": "Stated only on others' authority, or only by a doubtful source (undated and unattributed, see the dataset card), with no confirmation in the sources.",
    "cancelled": "Planned but called off.",
    "hypothetical": "Discussed as a possibility only.",
}


class ParticipantRole(str, Enum):
    initiator = "initiator"
    recipient = "recipient"
    host = "host"
    visitor = "visitor"
    signatory = "signatory"
    speaker = "speaker"
    attendee = "attendee"
    absentee = "absentee"
    delegate = "delegate"
    aggressor = "aggressor"
    target = "target"
    donor = "donor"
    beneficiary = "beneficiary"
    announcer = "announcer"
    subject = "subject"
    organizer = "organizer"


class AgreementKind(str, Enum):
    framework = "framework"
    bilateral_security_agreement = "bilateral_security_agreement"
    joint_declaration = "joint_declaration"
    memorandum = "memorandum"
    rdte = "rdte"
    commitment = "commitment"
    other = "other"


#: What each AgreementKind value means, where its name does not say it all.
AGREEMENT_KIND_MEANINGS = {
    "framework": None,
    "bilateral_security_agreement": None,
    "joint_declaration": None,
    "memorandum": None,
    "rdte": "research, development, test and evaluation",
    "commitment": None,
    "other": None,
}


class AgreementStatus(str, Enum):
    proposed = "proposed"
    under_negotiation = "under_negotiation"
    signing_planned = "signing_planned"
    signed = "signed"
    adopted = "adopted"
    in_force = "in_force"
    expired = "expired"
    terminated = "terminated"
    unknown = "unknown"


class CooperationArea(str, Enum):
    """Areas of cooperation, after the DCAD content areas with the ones the sources add."""

    policy_coordination = "policy_coordination"
    research_and_development = "research_and_development"
    armaments_cooperation = "armaments_cooperation"
    defense_industry = "defense_industry"
    defense_reform = "defense_reform"
    exercises = "exercises"
    training = "training"
    procurement = "procurement"
    weapons_supply = "weapons_supply"
    intelligence_sharing = "intelligence_sharing"
    cyber_defense = "cyber_defense"
    maritime_security = "maritime_security"
    security_assistance = "security_assistance"
    deterrence = "deterrence"
    sustainable_funding = "sustainable_funding"
    nato_integration = "nato_integration"


class ProvisionKind(str, Enum):
    commitment = "commitment"
    aim = "aim"
    non_commitment = "non_commitment"
    scope = "scope"


#: What each ProvisionKind value means, where its name does not say it all.
PROVISION_MEANINGS = {
    "commitment": "what a party undertakes",
    "aim": None,
    "non_commitment": "what it explicitly does not commit to",
    "scope": "what it covers",
}


class Certainty(str, Enum):
    """How firmly the sources state a provision or participation."""

    stated = "stated"
    planned = "planned"
    expected = "expected"
    speculative = "speculative"


#: What each Certainty value means (the schema and the table descriptions take it from here).
CERTAINTY_MEANINGS = {
    "stated": "the sources state it as fact",
    "planned": "scheduled or intended, not yet done",
    "expected": "anticipated, e.g. an analyst's prediction",
    "speculative": "raised as a possibility only",
}


class RelationType(str, Enum):
    implements = "implements"
    supersedes = "supersedes"
    same_as = "same_as"
    amends = "amends"
    related = "related"


class SourceGrade(str, Enum):
    """Reliability of a source document (the Admiralty / NATO system's letter)."""

    A = "A"
    B = "B"
    C = "C"
    D = "D"
    E = "E"
    F = "F"


#: What each source-reliability grade means in this dataset (the codebook prints these).
SOURCE_GRADE_MEANINGS = {
    "A": "Completely reliable: the official text of an act by the party that made it (a signed agreement's own text).",
    "B": "Usually reliable: a named government news service or established outlet, dated, reporting on the record.",
    "C": "Fairly reliable: a text whose outlet or byline is known or whose account matches the public record, but which is partisan, reposted or lost its publisher.",
    "D": "Not usually reliable: no outlet, author or printed date, or errors and accounts that contradict dated sources (a doubtful source, dataset/CURATION.md rule 13).",
    "E": "Unreliable: a source shown to have given false accounts before.",
    "F": "Reliability cannot be judged: not yet graded.",
}

#: What each information-credibility grade means (the Admiralty / NATO system's digit).
CREDIBILITY_MEANINGS = {
    1: "Confirmed: another independent document makes the same claim.",
    2: "Probably true: not confirmed, but consistent with other claims in the dataset (set by a curator).",
    3: "Possibly true: not confirmed, reasonably consistent (set by a curator).",
    4: "Doubtful: another document makes a conflicting claim on the same field (a disagreement).",
    5: "Improbable: contradicted by better sources (set by a curator).",
    6: "Truth cannot be judged: one document, neither confirmed nor contradicted.",
}


class ClaimStance(str, Enum):
    """How a document puts forward a claim."""

    states = "states"
    reports = "reports"
    announces_planned = "announces_planned"
    expects = "expects"
    denies = "denies"


CLAIM_STANCE_MEANINGS = {
    "states": "The document says it in its own voice, as fact.",
    "reports": "The document passes on what others say, or is a doubtful source that only reports it.",
    "announces_planned": "The document announces it as planned or scheduled (a status such as planned or signing_planned).",
    "expects": "The document gives it as expected or predicted.",
    "denies": "The document says the value is not so.",
}
