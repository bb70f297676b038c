"""A seeded synthetic corpus for scale tests: documents, their texts and curated records.

The same seed gives the same bytes. Texts are built from sentence templates (people, posts, places,
dates, amounts) and every evidence quote is a sentence copied from the text it cites, so the build
finds all of them. Output is shaped like ``dataset/``::

    OUT/sources/<doc>.txt, OUT/sources/documents.yaml, OUT/curation/batch-NNNN.yaml (or .jsonl)

and, with ``--jsonl-records N``, ``OUT/records.jsonl``: N records, one ``{"<type>": {...}}`` object
per line after a ``schema_version`` line, for validation benchmarks. A small share of those lines is deliberately invalid (see ``corrupt``) in
ways both the models and the JSON Schema reject; their line numbers go to ``OUT/invalid-lines.txt``.

    python -m benchmarks.synthetic --documents 1000 --seed 1 --out DIR [--curation-format jsonl] [--jsonl-records N]
"""

from __future__ import annotations

import argparse
import calendar
import hashlib
import json
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import yaml

from usua.models.registry import TYPE_OF_SECTION
from usua.models.vocab import EVENT_TYPES
from usua.version import SCHEMA_VERSION

try:  # libyaml makes dumping 100k documents bearable; the pure-Python dumper gives the same text
    from yaml import CSafeDumper as _Dumper
except ImportError:  # pragma: no cover
    from yaml import SafeDumper as _Dumper

#: Documents per curation file; the real dataset has a handful of files, a large one has many.
BATCH_DOCUMENTS = 1000
#: One line in this many of records.jsonl is made invalid.
INVALID_EVERY = 97

STATES = [
    ("United States", "USA", "Q30", "Washington"),
    ("Ukraine", "UKR", "Q212", "Kyiv"),
    ("Poland", "POL", "Q36", "Warsaw"),
    ("Germany", "DEU", "Q183", "Berlin"),
    ("France", "FRA", "Q142", "Paris"),
    ("United Kingdom", "GBR", "Q145", "London"),
    ("Romania", "ROU", "Q218", "Bucharest"),
    ("Lithuania", "LTU", "Q37", "Vilnius"),
    ("Latvia", "LVA", "Q211", "Riga"),
    ("Estonia", "EST", "Q191", "Tallinn"),
    ("Moldova", "MDA", "Q217", "Chisinau"),
    ("Georgia", "GEO", "Q230", "Tbilisi"),
    ("Turkey", "TUR", "Q43", "Ankara"),
    ("Canada", "CAN", "Q16", "Ottawa"),
    ("Japan", "JPN", "Q17", "Tokyo"),
    ("Italy", "ITA", "Q38", "Rome"),
    ("Netherlands", "NLD", "Q55", "The Hague"),
    ("Norway", "NOR", "Q20", "Oslo"),
    ("Sweden", "SWE", "Q34", "Stockholm"),
    ("Finland", "FIN", "Q33", "Helsinki"),
    ("Denmark", "DNK", "Q35", "Copenhagen"),
    ("Czech Republic", "CZE", "Q213", "Prague"),
    ("Slovakia", "SVK", "Q214", "Bratislava"),
    ("Russia", "RUS", "Q159", "Moscow"),
]
FIRST = [
    "Anna",
    "Oleksii",
    "Lloyd",
    "Maria",
    "Petro",
    "Olena",
    "John",
    "Iryna",
    "Andrii",
    "Sarah",
    "Mykola",
    "Kateryna",
    "David",
    "Yulia",
    "Denys",
    "Laura",
    "Taras",
    "Hanna",
    "Michael",
    "Sofia",
    "Roman",
    "Nadia",
    "James",
    "Viktor",
    "Emily",
    "Serhii",
    "Tetiana",
    "Robert",
    "Oksana",
    "Daniel",
    "Marta",
    "Pavlo",
    "Helen",
    "Ihor",
    "Natalia",
    "William",
    "Liudmyla",
    "Thomas",
    "Vira",
    "Mark",
]
#: Surnames are composed root + middle + ending, one per person up to 30 x 12 x 75 = 27,000 people,
#: so that a surname alias names one person and mentions per document stay flat as the corpus grows.
SURNAME_ROOTS = [
    "Koval",
    "Shevch",
    "Bond",
    "Tkach",
    "Krav",
    "Mel",
    "Lys",
    "March",
    "Petr",
    "Sav",
    "Rud",
    "Mor",
    "Pavl",
    "Kuzm",
    "Honch",
    "Yak",
    "Zinch",
    "Tym",
    "Hryts",
    "Oliyn",
    "Wal",
    "Brad",
    "Hart",
    "Fitz",
    "Lind",
    "Berg",
    "Ash",
    "Carr",
    "Dunn",
    "Ell",
]
SURNAME_MIDDLES = ["", "ar", "en", "ov", "ul", "ash", "er", "in", "ol", "ych", "an", "ik"]
SURNAME_ENDINGS = [
    "enko",
    "chuk",
    "iuk",
    "ak",
    "ets",
    "ko",
    "yshyn",
    "ovych",
    "ski",
    "sky",
    "ton",
    "ford",
    "ley",
    "man",
    "son",
    "field",
    "wood",
    "well",
    "by",
    "dale",
    "more",
    "stone",
    "er",
    "ing",
    "ell",
    "ard",
    "aro",
    "ini",
    "ez",
    "eau",
    "berg",
    "stad",
    "sen",
    "quist",
    "ila",
    "nen",
    "ic",
    "escu",
    "as",
    "is",
    "aitis",
    "ov",
    "ev",
    "in",
    "ova",
    "enas",
    "ius",
    "ora",
    "ani",
    "ev",
    "ach",
    "ich",
    "ek",
    "ovsky",
    "any",
    "ody",
    "ell",
    "in",
    "oe",
    "ay",
    "ie",
    "ue",
    "ino",
    "esco",
    "ara",
    "urn",
    "ott",
    "ock",
    "ish",
    "ash",
    "ew",
    "ow",
    "um",
    "ent",
    "ant",
]
LAST = [
    "Kovalenko",
    "Austin",
    "Shevchenko",
    "Miller",
    "Bondarenko",
    "Novak",
    "Tkachenko",
    "Smith",
    "Kravchenko",
    "Schmidt",
    "Melnyk",
    "Dubois",
    "Lysenko",
    "Rossi",
    "Marchenko",
    "Nowak",
    "Hrytsenko",
    "Brown",
    "Savchenko",
    "Jensen",
    "Petrenko",
    "Larsen",
    "Oliinyk",
    "Tanaka",
    "Rudenko",
    "Fischer",
    "Moroz",
    "Bianchi",
    "Pavlenko",
    "Johansson",
    "Kuzmenko",
    "Walker",
    "Honcharenko",
    "Lambert",
    "Yakovenko",
    "Virtanen",
    "Zinchenko",
    "Horvath",
    "Tymoshenko",
    "Clark",
]
POSTS = [
    ("Minister of Defense", "mod"),
    ("Foreign Minister", "mfa"),
    ("Deputy Minister of Defense", "mod"),
    ("Chief of the General Staff", "mod"),
    ("National Security Adviser", "gov"),
    ("Ambassador", "mfa"),
    ("Prime Minister", "gov"),
    ("President", "gov"),
]
MINISTRIES = {
    "mod": ("Ministry of Defense", "MoD"),
    "mfa": ("Ministry of Foreign Affairs", "MFA"),
    "gov": ("Government", None),
}
TOPICS = [
    "Security Cooperation",
    "Air Defense",
    "Defense Industry",
    "Training Missions",
    "Maritime Security",
    "Cyber Defense",
    "Long-Term Support",
    "Reform of the Armed Forces",
    "Weapons Deliveries",
]
AREAS = [
    "policy_coordination",
    "research_and_development",
    "armaments_cooperation",
    "defense_industry",
    "defense_reform",
    "exercises",
    "training",
    "procurement",
    "weapons_supply",
    "intelligence_sharing",
    "cyber_defense",
    "maritime_security",
    "security_assistance",
    "deterrence",
    "sustainable_funding",
    "nato_integration",
]
SAYINGS = [
    "Our support is unwavering and will continue for as long as it takes",
    "We will stand together in the face of this aggression",
    "This partnership makes both of our nations stronger",
    "Security in Europe depends on the outcome of this war",
    "We expect the first deliveries before the end of the year",
    "There can be no lasting peace without full sovereignty",
]
BACKGROUND = [
    "{b} has asked its partners for more help with {topic} since the start of {year}.",
    "Officials in {place} said the talks were constructive and that more work remained.",
    "{pa} has held the post since before the current round of talks began.",
    "Analysts said the arrangement would test how far {a} is willing to go in supporting {b}.",
    "The discussions covered {topic}, reform of procurement and the protection of critical infrastructure.",
    "Neither side released a full text of what was discussed.",
    "{a} remains the largest single contributor of military assistance to {b}, according to officials.",
]
STATUSES = ["happened", "ongoing", "planned", "expected", "announced", "reported", "cancelled", "hypothetical"]
PARTICIPANT_ROLES = {
    "meeting": ("initiator", "recipient"),
    "visit": ("visitor", "host"),
    "phone_call": ("initiator", "recipient"),
    "signing": ("signatory", "signatory"),
    "military_aid": ("donor", "beneficiary"),
    "pledge_of_aid": ("donor", "beneficiary"),
    "invasion": ("aggressor", "target"),
    "threat": ("aggressor", "target"),
    "demand": ("initiator", "recipient"),
}
#: One sentence pattern per event type; {a}/{b} are state names, {pa}/{pb} people, {when} a date phrase.
EVENT_SENTENCES = {
    "meeting": "{pa} met {pb} in {place} {when} to discuss {topic}.",
    "visit": "{pa} travelled to {place} {when} for talks with {pb}.",
    "phone_call": "{pa} spoke by telephone with {pb} {when} about {topic}.",
    "summit": "Leaders of {a}, {b} and their allies gathered at a summit in {place} {when}.",
    "consultations": "Delegations of {a} and {b} held a round of consultations on {topic} {when}.",
    "negotiation": "Negotiators from {a} and {b} continued talks on a new agreement {when}.",
    "briefing": "{pa} briefed reporters in {place} {when} on {topic}.",
    "press_conference": "{pa} and {pb} answered questions at a joint press conference {when}.",
    "statement": "The {org} issued a statement on {topic} {when}.",
    "signing": "{pa} and {pb} signed an agreement on {topic} in {place} {when}.",
    "agreement_to_act": "{a} and {b} agreed {when} to hold regular talks on {topic}.",
    "pledge_of_aid": "{a} pledged {when} to keep supporting {b} for as long as it takes.",
    "military_aid": "{a} delivered a new package of air defense equipment to {b} {when}.",
    "military_cooperation": "Military officers from {a} and {b} conducted joint exercises near {place} {when}.",
    "demand": "{pa} called on {b} {when} to withdraw its forces.",
    "opposition": "Lawmakers in {a} opposed further funding for {b} {when}.",
    "threat": "{pa} threatened {when} to strike targets in {b}.",
    "invasion": "Forces of {a} crossed into {b} {when}.",
    "occupation": "{a} announced {when} the annexation of territory of {b}.",
    "armed_conflict": "Fighting between {a} and {b} continued near {place} {when}.",
    "military_offensive": "{b} launched a counteroffensive against {a} near {place} {when}.",
    "mobilization": "{a} announced {when} a new wave of mobilization.",
    "political_event": "{pa} postponed a vote on aid to {b} {when}.",
    "conversation": "{pa} spoke with {pb} {when} about {topic}.",
    "diplomatic_support": "{a} reaffirmed {when} its support for the sovereignty of {b}.",
    "aid": "{a} provided a new package of aid to {b} {when}.",
    "cooperation": "{a} helped {b} {when} with the evacuation of its citizens.",
    "disapproval": "Lawmakers in {a} raised questions {when} about further funding for {b}.",
    "nuclear_threat": "{pa} warned {when} that nuclear weapons could be used against {b}.",
    "relations": "Contacts between officials of {a} and {b} remained rare {when}.",
}
EVENT_TYPE_LIST = list(EVENT_TYPES)
assert set(EVENT_SENTENCES) == set(EVENT_TYPE_LIST), "every event type needs a sentence"


def long_date(d: date) -> str:
    return f"{calendar.month_name[d.month]} {d.day}, {d.year}"


@dataclass
class Person:
    id: str
    name: str
    surname: str
    state: int
    post: str
    org_kind: str


@dataclass
class Bundle:
    """One generated document: its text and the records it introduces, by contribution section."""

    doc_id: str
    path: str
    text: str
    records: dict[str, list[dict]] = field(default_factory=lambda: {"documents": []})

    def add(self, section: str, record: dict) -> None:
        self.records.setdefault(section, []).append(record)


def _ev(doc: str, quote: str) -> list[dict]:
    return [{"document": doc, "quote": quote}]


class Corpus:
    """Generates documents one at a time; the entities they mention are created on first use."""

    def __init__(self, seed: int, documents: int) -> None:
        self.rng = random.Random(seed)
        self.documents = documents
        self.n_people = max(30, documents // 4)  # people recur across documents, as in real news
        self.people: dict[int, Person] = {}
        self.defined: set[str] = set()  # entity ids that already have a record
        self.agreements: list[tuple[str, int, int]] = []
        self.prev_event: tuple[str, str, str] | None = None  # (event id, document, quote) for disagreements

    # entities ------------------------------------------------------------------------------
    def _person(self, k: int) -> Person:
        p = self.people.get(k)
        if p is None:
            r = random.Random(k * 7919 + 17)  # a person's identity depends on k only, not on order
            first = r.choice(FIRST)
            q = k % (len(SURNAME_ROOTS) * len(SURNAME_MIDDLES) * len(SURNAME_ENDINGS))
            last = (
                SURNAME_ROOTS[q % len(SURNAME_ROOTS)]
                + SURNAME_MIDDLES[q // len(SURNAME_ROOTS) % len(SURNAME_MIDDLES)]
                + SURNAME_ENDINGS[q // (len(SURNAME_ROOTS) * len(SURNAME_MIDDLES))]
            )
            middle = chr(65 + r.randrange(26))
            post, kind = r.choice(POSTS)
            p = Person(
                f"ent:{first}-{last}-{k}".lower(),
                f"{first} {middle}. {last}",
                last,
                r.randrange(len(STATES)),
                post,
                kind,
            )
            self.people[k] = p
        return p

    def _state_id(self, s: int) -> str:
        return f"ent:{STATES[s][0].lower().replace(' ', '-')}"

    def _org_id(self, s: int, kind: str) -> str:
        return self._state_id(s) if kind == "gov" else f"ent:{kind}-{STATES[s][1].lower()}"

    def _org_name(self, s: int, kind: str) -> str:
        return f"{MINISTRIES[kind][0]} of {STATES[s][0]}"

    def _place_id(self, s: int) -> str:
        return f"ent:{STATES[s][3].lower().replace(' ', '-')}"

    def _define_state(self, b: Bundle, s: int, quote: str) -> None:
        eid = self._state_id(s)
        if eid in self.defined:
            return
        self.defined.add(eid)
        name, iso, qid, _ = STATES[s]
        b.add(
            "entities",
            {
                "id": eid,
                "kind": "state",
                "name": name,
                "aliases": [{"name": iso, "kind": "acronym"}],
                "identifiers": [{"scheme": "wikidata", "value": qid}, {"scheme": "iso3166-1-alpha3", "value": iso}],
                "country": iso,
                "sector": "GOV",
                "evidence": _ev(b.doc_id, quote),
            },
        )

    def _define_place(self, b: Bundle, s: int, quote: str) -> None:
        eid = self._place_id(s)
        if eid not in self.defined:
            self.defined.add(eid)
            b.add(
                "entities",
                {
                    "id": eid,
                    "kind": "place",
                    "name": STATES[s][3],
                    "country": STATES[s][1],
                    "evidence": _ev(b.doc_id, quote),
                },
            )

    def _define_org(self, b: Bundle, s: int, kind: str, quote: str) -> None:
        if kind == "gov":
            return self._define_state(b, s, quote)
        eid = self._org_id(s, kind)
        if eid in self.defined:
            return
        self.defined.add(eid)
        long, acronym = MINISTRIES[kind]
        b.add(
            "entities",
            {
                "id": eid,
                "kind": "organization",
                "name": self._org_name(s, kind),
                "aliases": [{"name": f"{STATES[s][0]}'s {acronym}", "kind": "acronym"}],
                "country": STATES[s][1],
                "sector": "MIL" if kind == "mod" else "GOV",
                "evidence": _ev(b.doc_id, quote),
            },
        )

    def _define_person(self, b: Bundle, p: Person, quote: str, when: dict) -> None:
        if p.id in self.defined:
            return
        self.defined.add(p.id)
        b.add(
            "entities",
            {
                "id": p.id,
                "kind": "person",
                "name": p.name,
                "aliases": [{"name": p.surname, "kind": "surname"}],
                "country": STATES[p.state][1],
                "sector": "MIL" if p.post.startswith("Chief") else "GOV",
                "description": f"{p.post} of {STATES[p.state][0]}.",
                "evidence": _ev(b.doc_id, quote),
            },
        )
        self._define_org(b, p.state, p.org_kind, quote)
        b.add(
            "roles",
            {
                "id": f"role:{p.id[4:]}-{p.org_kind}",
                "person": p.id,
                "post": p.post,
                "organization": self._org_id(p.state, p.org_kind),
                "attested": when,
                "evidence": _ev(b.doc_id, quote),
            },
        )

    # dates ---------------------------------------------------------------------------------
    def _date(self, day: date, published: date) -> tuple[dict, str]:
        """A DateValue and the words the text uses for it; precision varies like in real reports."""
        roll = self.rng.random()
        if roll < 0.6:
            return {"value": day.isoformat(), "method": "stated"}, f"on {long_date(day)}"
        if roll < 0.75 and day <= published and (published - day).days < 7:
            weekday = calendar.day_name[day.weekday()]
            return (
                {
                    "value": day.isoformat(),
                    "method": "resolved_relative",
                    "stated_as": f"on {weekday}",
                    "basis": f"the {weekday} before publication on {published.isoformat()}",
                },
                f"on {weekday}",
            )
        if roll < 0.9:
            return {
                "value": day.strftime("%Y-%m"),
                "method": "stated",
            }, f"in {calendar.month_name[day.month]} {day.year}"
        if roll < 0.97:
            return {
                "value": f"{day.year}~",
                "method": "stated",
                "stated_as": f"around {day.year}",
            }, f"around {day.year}"
        return {
            "value": f"../{published.isoformat()}",
            "method": "inferred",
            "basis": "reported as past at publication",
        }, "recently"

    # documents -----------------------------------------------------------------------------
    def document(self, i: int) -> Bundle:
        rng = self.rng
        doc_id = f"doc:synthetic-{i:06d}"
        path = f"synthetic-{i:06d}.txt"
        b = Bundle(doc_id, path, "")
        published = date(2014, 1, 1) + timedelta(days=rng.randrange(4380))
        a, bb = rng.sample(range(len(STATES)), 2)
        if rng.random() < 0.5:
            a = 0  # most reports involve the United States
            bb = bb if bb != 0 else 1
        pa, pb = (self._person(k) for k in rng.sample(range(self.n_people), 2))
        topic = rng.choice(TOPICS)
        title = f"{STATES[a][0]} and {STATES[bb][0]} Discuss {topic}"
        author = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        lines = [title, "", f"By {author}", ""]
        pub_value = {"value": published.isoformat(), "method": "stated"}

        def when() -> tuple[dict, str]:
            return self._date(published - timedelta(days=rng.randrange(10)), published)

        # introductions: who the people are
        for p in (pa, pb):
            sentence = f"{p.name} is the {p.post} of {STATES[p.state][0]}."
            lines.append(sentence)
            self._define_person(b, p, sentence, pub_value)
        lines.append("")
        self._define_state(b, a, lines[0])
        self._define_state(b, bb, lines[0])

        for _ in range(rng.randint(2, 5)):  # background that carries no record, as in real reports
            lines.append(
                rng.choice(BACKGROUND).format(
                    a=STATES[a][0],
                    b=STATES[bb][0],
                    pa=pa.surname,
                    year=published.year,
                    topic=topic.lower(),
                    place=STATES[bb][3],
                )
            )
        lines.append("")
        events = []
        for _ in range(rng.randint(1, 3)):
            etype = rng.choice(EVENT_TYPE_LIST)
            d, phrase = when()
            org_kind = rng.choice(["mod", "mfa"])
            sentence = EVENT_SENTENCES[etype].format(
                a=STATES[a][0],
                b=STATES[bb][0],
                pa=f"{pa.post} {pa.name}",
                pb=f"{pb.post} {pb.name}",
                place=STATES[bb][3],
                when=phrase,
                topic=topic.lower(),
                org=self._org_name(a, org_kind),
            )
            sentence = sentence[0].upper() + sentence[1:]
            lines.append(sentence)
            if "{org}" in EVENT_SENTENCES[etype]:
                self._define_org(b, a, org_kind, sentence)
            eid = f"evt:synthetic-{i:06d}-{len(events)}"
            roles = PARTICIPANT_ROLES.get(etype, ("initiator", "recipient"))
            uses_people = "{pa}" in EVENT_SENTENCES[etype]
            x = pa.id if uses_people else self._state_id(a)
            y = pb.id if "{pb}" in EVENT_SENTENCES[etype] else self._state_id(bb)
            status = "happened" if phrase.startswith("on") else rng.choice(STATUSES)
            ev = {
                "id": eid,
                "type": etype,
                "title": f"{etype.replace('_', ' ').capitalize()}: {STATES[a][0]}, {STATES[bb][0]}",
                "status": status,
                "date": d,
                "participants": [{"entity": x, "role": roles[0]}, {"entity": y, "role": roles[1]}],
                "evidence": _ev(doc_id, sentence),
            }
            if "{place}" in EVENT_SENTENCES[etype]:
                self._define_place(b, bb, sentence)
                ev["location"] = self._place_id(bb)
            events.append(ev)
            if self.prev_event and rng.random() < 0.02:
                self._disagreement(b, ev, sentence)
            self.prev_event = (eid, doc_id, sentence)

        # a statement in the speaker's words
        saying = rng.choice(SAYINGS)
        sentence = f"\u201c{saying},\u201d {pa.surname} said."
        lines.append(sentence)
        d, _ = when()
        b.add(
            "statements",
            {
                "id": f"stm:synthetic-{i:06d}",
                "speaker": pa.id,
                "date": d,
                "channel": rng.choice(["remarks", "press_release", "interview"]),
                "form": "direct_quote",
                "text": saying,
                "event": events[0]["id"],
                "evidence": _ev(doc_id, sentence),
            },
        )

        if rng.random() < 0.4:  # an amount of aid
            millions = rng.choice([50, 125, 150, 250, 300, 400, 500, 775, 1000, 2500])
            qualifier, word = rng.choice([("exact", ""), ("more_than", "more than "), ("about", "about ")])
            sentence = f"{STATES[a][0]} announced {word}${millions} million in security assistance for {STATES[bb][0]}."
            lines.append(sentence)
            b.add(
                "figures",
                {
                    "id": f"fig:synthetic-{i:06d}",
                    "about": "security assistance",
                    "value": millions * 1_000_000,
                    "unit": "USD",
                    "qualifier": qualifier,
                    "period": {"value": str(published.year), "method": "stated", "stated_as": str(published.year)},
                    "subjects": [self._state_id(a), self._state_id(bb)],
                    "evidence": _ev(doc_id, sentence),
                },
            )

        if rng.random() < 0.1:  # an agreement, signed or to be signed
            self._agreement(b, i, a, bb, pa, pb, lines, events, topic, published)

        for ev in events:
            b.add("events", ev)
        lines.append("")
        lines.append(f"Copyright {published.year} Synthetic News Service. All rights reserved.")
        b.text = "\n".join(lines) + "\n"
        n = len(lines)
        b.add(
            "documents",
            {
                "id": doc_id,
                "title": title,
                "publisher": "Synthetic News Service",
                "authors": [author],
                "url": f"https://news.example.org/{i:06d}",
                "language": "en",
                "kind": "news_article",
                "published": pub_value,
                "path": path,
                "sha256": hashlib.sha256(b.text.encode("utf-8")).hexdigest(),
                "rights": {"redistributable": True, "licence": "CC0-1.0 (synthetic text)"},
                "segments": [
                    {"kind": "title", "first_line": 1, "last_line": 1},
                    {"kind": "byline", "first_line": 3, "last_line": 3},
                    {"kind": "boilerplate", "first_line": n, "last_line": n},
                ],
            },
        )
        return b

    def _agreement(self, b, i, a, bb, pa, pb, lines, events, topic, published) -> None:
        rng = self.rng
        aid = f"agr:synthetic-{i:06d}"
        name = f"{STATES[a][0]}-{STATES[bb][0]} Agreement on {topic}"
        signed = rng.random() < 0.5
        d, phrase = self._date(published - timedelta(days=rng.randrange(5)), published)
        if signed:
            sentence = f"The {name} was signed {phrase} and will remain in force for ten years."
        else:
            sentence = f"The two governments intend to sign the {name} {phrase}."
        commitment = f"Under the agreement, {STATES[a][0]} will support {STATES[bb][0]} in {topic.lower()}."
        lines += [sentence, commitment]
        parties = [self._state_id(a), self._state_id(bb)]
        signatories = []
        for p, party in ((pa, parties[0]), (pb, parties[1])):
            signatories.append(
                {
                    "person": p.id,
                    "capacity": p.post,
                    "on_behalf_of": party,
                    "certainty": "stated" if signed else "planned",
                }
            )
        rec = {
            "id": aid,
            "name": name,
            "kind": rng.choice(["bilateral_security_agreement", "memorandum", "framework"]),
            "status": "signed" if signed else "signing_planned",
            "parties": parties,
            "signatories": signatories,
            "signed": d,
            "duration": "ten years" if signed else None,
            "areas": rng.sample(AREAS, 2),
            "provisions": [
                {
                    "kind": "commitment",
                    "text": commitment,
                    "areas": ["security_assistance"],
                    "evidence": _ev(b.doc_id, commitment),
                }
            ],
            "evidence": _ev(b.doc_id, sentence),
        }
        if rec["duration"] is None:
            del rec["duration"]
        prior = [x for x in self.agreements if {x[1], x[2]} == {a, bb}]
        if prior:
            rec["relations"] = [
                {
                    "type": "related",
                    "target": prior[-1][0],
                    "basis": "same parties and subject area",
                    "evidence": _ev(b.doc_id, sentence),
                }
            ]
        self.agreements.append((aid, a, bb))
        sign_evt = {
            "id": f"evt:synthetic-{i:06d}-signing",
            "type": "signing",
            "title": f"Signing of the {name}"[:500],
            "status": "happened" if signed else "planned",
            "date": d,
            "participants": [{"entity": s["person"], "role": "signatory"} for s in signatories],
            "agreements": [aid],
            "evidence": _ev(b.doc_id, sentence),
        }
        events.append(sign_evt)
        rec["signing_event"] = sign_evt["id"]
        b.add("agreements", rec)

    def _disagreement(self, b: Bundle, ev: dict, sentence: str) -> None:
        prev_id, prev_doc, prev_quote = self.prev_event
        if prev_doc == b.doc_id:
            return
        b.add(
            "disagreements",
            {
                "id": f"dis:{ev['id'][4:]}",
                "subject": prev_id,
                "aspect": "whether it is the same event",
                "versions": [
                    {"claim": "One report describes it this way.", "evidence": _ev(prev_doc, prev_quote)},
                    {"claim": "A later report describes it differently.", "evidence": _ev(b.doc_id, sentence)},
                ],
            },
        )

    def bundles(self) -> Iterator[Bundle]:
        for i in range(1, self.documents + 1):
            yield self.document(i)


class _NoAliasDumper(_Dumper):
    """Records share date objects; contributions must write them out in full (anchors are refused)."""

    def ignore_aliases(self, data) -> bool:
        return True


def _dump(data: dict) -> str:
    return yaml.dump(data, Dumper=_NoAliasDumper, sort_keys=False, allow_unicode=True, width=120)


def write_dataset(out: Path, documents: int, seed: int, curation_format: str = "yaml") -> dict[str, int]:
    """Write sources and curation files for ``documents`` documents; return record counts per section.
    ``curation_format="jsonl"`` writes the curation as ``batch-NNNN.jsonl`` (a ``schema_version`` line,
    then one ``{"<type>": {...}}`` line per record): the same records, so the same tables."""
    if curation_format not in ("yaml", "jsonl"):
        raise ValueError(f"curation_format must be 'yaml' or 'jsonl', not {curation_format!r}")
    sources, curation = out / "sources", out / "curation"
    sources.mkdir(parents=True, exist_ok=True)
    curation.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    doc_records: list[dict] = []
    batch: dict[str, list[dict]] = {}
    corpus = Corpus(seed, documents)

    def flush(n: int) -> None:
        if batch:
            if curation_format == "jsonl":
                lines = [json.dumps({"schema_version": SCHEMA_VERSION})]
                lines += [
                    json.dumps({RECORD_TYPE_OF[section]: rec}, ensure_ascii=False, separators=(",", ":"), default=str)
                    for section, recs in batch.items()
                    for rec in recs
                ]
                (curation / f"batch-{n:04d}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
            else:
                text = _dump({"schema_version": SCHEMA_VERSION, **batch})
                (curation / f"batch-{n:04d}.yaml").write_text(text, encoding="utf-8")
            batch.clear()

    for bundle in corpus.bundles():
        (sources / bundle.path).write_bytes(bundle.text.encode("utf-8"))
        for section, recs in bundle.records.items():
            counts[section] = counts.get(section, 0) + len(recs)
            if section == "documents":
                doc_records.extend(recs)
            else:
                batch.setdefault(section, []).extend(recs)
        k = int(bundle.doc_id.rsplit("-", 1)[1])
        if k % BATCH_DOCUMENTS == 0:
            flush(k // BATCH_DOCUMENTS)
    flush(documents // BATCH_DOCUMENTS + 1)
    (sources / "documents.yaml").write_text(
        _dump({"schema_version": SCHEMA_VERSION, "documents": doc_records}), encoding="utf-8"
    )
    return counts


def corrupt(record: dict, n: int) -> dict:
    """An invalid copy of a record; every kind of damage is caught by the models and the JSON Schema alike."""
    bad = json.loads(json.dumps(record))
    kind = n % 4
    if kind == 0:
        bad["colour"] = "blue"  # unknown field
    elif kind == 1:
        bad.pop("evidence")  # required field missing
    elif kind == 2:
        bad["id"] = bad["id"].upper()  # id not a lower-case slug
    else:
        bad["date" if "date" in bad else "attested" if "attested" in bad else "period"] = {
            "value": "22-10-2022",
            "method": "stated",
        }
    return bad


#: Sections whose records nothing else refers to, so damaging one cannot make another line invalid.
LEAF_SECTIONS = ("statements", "figures", "roles")


def iter_records(seed: int, count: int) -> Iterator[tuple[str, dict, bool]]:
    """(section, record, valid) for ``count`` records of a corpus large enough to hold them."""
    corpus = Corpus(seed, max(10, count // 5))
    made = 0
    i = 0
    while made < count:
        i += 1
        bundle = corpus.document(i)
        items = [(section, rec) for section, recs in bundle.records.items() for rec in recs]
        if made + len(items) > count:
            # A partial bundle could keep a record and drop one it refers to; its document record
            # refers to nothing, so the last few lines are document records of further bundles.
            items = items[:1]
        for section, rec in items:
            made += 1
            if section in LEAF_SECTIONS and made % INVALID_EVERY == 0:
                yield section, corrupt(rec, made // INVALID_EVERY), False
            else:
                yield section, rec, True


#: Contribution section -> the record type that names a JSON Lines record ({"event": {...}}).
RECORD_TYPE_OF = TYPE_OF_SECTION


def write_jsonl(path: Path, count: int, seed: int) -> list[int]:
    """Write a JSON Lines contribution: a ``schema_version`` line, then ``count`` record lines
    ``{"<type>": {...}}``. Return the 1-based line numbers of the invalid ones."""
    invalid = []
    with path.open("w", encoding="utf-8") as f:
        f.write(json.dumps({"schema_version": SCHEMA_VERSION}) + "\n")
        for n, (section, rec, valid) in enumerate(iter_records(seed, count), start=2):
            f.write(json.dumps({RECORD_TYPE_OF[section]: rec}, ensure_ascii=False, separators=(",", ":")))
            f.write("\n")
            if not valid:
                invalid.append(n)
    path.with_name("invalid-lines.txt").write_text("".join(f"{n}\n" for n in invalid), encoding="utf-8")
    return invalid


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.synthetic", description=__doc__.split("\n\n")[0])
    ap.add_argument("--documents", type=int, default=1000, help="number of documents to generate")
    ap.add_argument("--seed", type=int, default=1, help="random seed (same seed, same bytes)")
    ap.add_argument("--out", type=Path, required=True, help="output folder (gets sources/ and curation/)")
    ap.add_argument(
        "--curation-format", choices=["yaml", "jsonl"], default="yaml", help="format of the curation batches"
    )
    ap.add_argument(
        "--jsonl-records", type=int, default=0, metavar="N", help="also write N records to OUT/records.jsonl"
    )
    args = ap.parse_args(argv)
    if args.documents < 1:
        ap.error("--documents must be at least 1")
    counts = write_dataset(args.out, args.documents, args.seed, args.curation_format)
    print(f"{args.documents} documents, " + ", ".join(f"{v} {k}" for k, v in counts.items() if k != "documents"))
    if args.jsonl_records:
        invalid = write_jsonl(args.out / "records.jsonl", args.jsonl_records, args.seed)
        print(f"{args.jsonl_records} JSON Lines records ({len(invalid)} invalid) in {args.out / 'records.jsonl'}")


if __name__ == "__main__":
    main()
