"""The curation guide's rules that a program can check (dataset/CURATION.md), run by `usua validate` and
the build after the schema, reference and quote checks. Each problem names the record's field, says
what is wrong and how to fix it.

Errors: a relative date without its words; a direct quote that is not the source's words (up to
'...' for words left out and square brackets for words put in); something reported as past, or a
statement, dated after the publication of every source that reports it; what only a doubtful source
reports recorded as having happened. Warnings (word cues, so a person decides): a statement whose
evidence has no word of saying; an event type more specific than its evidence (a phone call, military
aid, a nuclear threat).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

from ..models.dates import DateValue, date_fields
from ..text import normalise
from .reader import Origin

#: Ellipses that mark words left out of a direct quote.
_ELLIPSIS = re.compile(r"\s*(?:\.\.\.|\u2026)\s*")
#: Square brackets: words inserted into a quote, by the outlet (then they are in the source) or by the curator.
_BRACKETED = re.compile(r"\s*\[[^\]]*\]\s*")
#: Quote marks, spaces and closing punctuation around a quote's words that are not part of them.
_EDGES = "\"' \t\n.,;:"

#: A word of saying, or quote marks: a statement's evidence must show that someone said something.
SPEECH_CUES = re.compile(
    r"[\"\u201c\u201d]|\b(?:said|say|says|saying|told|tell|tells|stated?|statement|added|asked|called|calls|"
    r"confirm(?:s|ed)?|promis(?:e|es|ed)|pledg(?:e|es|ed)|announc(?:e|es|ed)|reiterat(?:e|es|ed)|"
    r"emphasi[sz](?:e|es|ed)|urg(?:e|es|ed)|pushed|suggest(?:s|ed)?|according to|highlight(?:s|ed)?|"
    r"referenced|spoke|wrote|declared|warned|demanded|denied|thanked|readout|press release|briefed|remarks)\b",
    re.IGNORECASE,
)

#: Event types that say more than their family (how people spoke, what kind of aid...): some evidence
#: quote must say so, or the general type is used (conversation, aid, cooperation, threat).
SPECIFIC_TYPE_CUES: dict[str, tuple[str, re.Pattern[str]]] = {
    "phone_call": ("conversation", re.compile(r"\b(?:call|phone|telephone|video)", re.IGNORECASE)),
    "military_aid": (
        "aid",
        re.compile(r"\b(?:militar|weapon|missile|arms\b|armament|ammunition|equipment|javelin)", re.IGNORECASE),
    ),
    "military_cooperation": (
        "cooperation",
        re.compile(r"\b(?:militar|armed forces|defen[cs]e|troops|army)", re.IGNORECASE),
    ),
    "nuclear_threat": (
        "threat",
        re.compile(r"\b(?:nuclear|weapons of mass destruction|wmd|chemical|biological|radiological)", re.IGNORECASE),
    ),
}

#: Statuses that say a thing took place, or was under way, by the time of the source.
PAST_STATUSES = {"happened"}
UNDER_WAY_STATUSES = {"ongoing"}

Rule = tuple[str, str, str, str, str]  # (pointer suffix, code, message, hint, severity)


def quote_pieces(text: str) -> list[str]:
    """The words of a direct quote that must appear in the source, in order: ellipses split them."""
    pieces = [p.strip(_EDGES) for p in _ELLIPSIS.split(normalise(text))]
    return [p for p in pieces if p]


def within(text: str, quote: str) -> bool:
    """True when the pieces of ``text`` occur in ``quote`` in order (typographic variants folded). A piece
    with bracketed words the quote does not have is matched around them: '[Putin] thinks' fits 'he thinks'."""
    hay, at = normalise(quote), 0
    for piece in quote_pieces(text):
        found = hay.find(piece, at)
        if found >= 0:
            at = found + len(piece)
            continue
        parts = [part.strip(_EDGES) for part in _BRACKETED.split(piece)]
        if len(parts) == 1:
            return False
        for part in filter(None, parts):
            found = hay.find(part, at)
            if found < 0:
                return False
            at = found + len(part)
    return True


def is_doubtful(document: Any) -> bool:
    """A source dated only by inference from its content, with no outlet and no author (dataset/CURATION.md)."""
    return document.publisher is None and not document.authors and document.published.method == "inferred"


def _cited(rec: Any) -> list[str]:
    # events and statements carry their evidence at the top level only
    return list(dict.fromkeys(ev.document for ev in rec.evidence))


def _latest_publication(doc_ids: list[str], documents: dict[str, Any]) -> date | None:
    """The last day any of the documents can have been published, or None if one of them is not known."""
    days = []
    for doc_id in doc_ids:
        doc = documents.get(doc_id)
        if doc is None or doc.published.latest is None:
            return None
        days.append(doc.published.latest)
    return max(days) if days else None


def _statement_rules(rec: Any, documents: dict[str, Any]) -> Iterator[Rule]:
    if rec.form == "direct_quote" and not any(within(rec.text, ev.quote) for ev in rec.evidence):
        yield (
            "/text",
            "quote-not-in-evidence",
            "the text of a direct quote is not within any of its evidence quotes",
            "copy the speaker's words exactly from an evidence quote (mark words left out with '...'), "
            "or set form: paraphrase",
            "error",
        )
    if not any(SPEECH_CUES.search(ev.quote) for ev in rec.evidence):
        yield (
            "/evidence",
            "no-one-said-it",
            "no evidence quote shows anyone saying this (no word of saying, no quote marks)",
            "cite the words that report the speaking ('X said'); an outlet's report of a mood or "
            "assessment is not a statement: record it on an event or entity instead",
            "warning",
        )
    yield from _by_publication(rec, documents, "statement", "said", rec.date, "/date")


def _by_publication(
    rec: Any, documents: dict[str, Any], what: str, done: str, when: Any, pointer: str
) -> Iterator[Rule]:
    """An interval ends by the last publication day of the sources that report it as past; a single day,
    month or year the sources name ('in May 2022') stays as named, but cannot begin after it."""
    if when is None or when.value is None:
        return
    interval = "/" in when.value
    bound = when.latest if interval else when.earliest
    if bound is None:
        return
    cited = _cited(rec)
    last = _latest_publication(cited, documents)
    if last is None or bound <= last:
        return
    if interval:
        yield (
            f"{pointer}/value",
            "after-publication",
            f"the {what} is reported as {done} by {', '.join(cited)}, published by {last.isoformat()}, "
            f"but its date {when.value} runs to {when.latest.isoformat()}",
            f"end the interval by the publication date (e.g. '{_ended(when.value, last)}'), or change the "
            "status if it had not happened yet",
            "error",
        )
    else:
        yield (
            f"{pointer}/value",
            "after-publication",
            f"the {what} is reported as {done} by {', '.join(cited)}, published by {last.isoformat()}, "
            f"but its date {when.value} begins {when.earliest.isoformat()}",
            "correct the date, or change the status if it had not happened yet",
            "error",
        )


def _ended(value: str, last: date) -> str:
    start = value.split("/")[0] if "/" in value else value.rstrip("~?%")
    return f"{start}/{last.isoformat()}" if start != last.isoformat() else start


def _event_rules(rec: Any, documents: dict[str, Any]) -> Iterator[Rule]:
    if rec.status in PAST_STATUSES:
        yield from _by_publication(rec, documents, "event", "having happened", rec.date, "/date")
        yield from _by_publication(rec, documents, "event", "having happened", rec.end_date, "/end_date")
    elif rec.status in UNDER_WAY_STATUSES and rec.date.earliest is not None:
        cited = _cited(rec)
        last = _latest_publication(cited, documents)
        if last is not None and rec.date.earliest > last:
            yield (
                "/date/value",
                "after-publication",
                f"the event is reported as under way by {', '.join(cited)}, published by {last.isoformat()}, "
                f"but it starts {rec.date.earliest.isoformat()}",
                "give the start as the sources date it (on or before publication), or set status: planned",
                "error",
            )
    if rec.status in PAST_STATUSES | UNDER_WAY_STATUSES:
        cited = _cited(rec)
        docs = [documents.get(d) for d in cited]
        if docs and all(d is not None and is_doubtful(d) for d in docs):
            yield (
                "/status",
                "doubtful-single-source",
                f"status {rec.status!r} rests only on {', '.join(cited)}, which has no outlet, author or printed date",
                "set status: reported, or cite a second source that confirms it",
                "error",
            )
    cue = SPECIFIC_TYPE_CUES.get(rec.type)
    if cue and not any(cue[1].search(ev.quote) for ev in rec.evidence):
        yield (
            "/type",
            "type-beyond-evidence",
            f"type {rec.type!r} says more than the evidence: no quote says so",
            f"use type: {cue[0]} when the sources do not say it, or cite the words that do",
            "warning",
        )


def _date_rules(rec: Any, documents: dict[str, Any]) -> Iterator[Rule]:
    for name in date_fields(rec.__class__):  # the fields whose type holds a date, not every field
        when = getattr(rec, name)
        if isinstance(when, DateValue) and when.method == "resolved_relative" and not when.stated_as:
            yield (
                f"/{name}/stated_as",
                "relative-date-without-words",
                "the date was resolved from a relative expression, but stated_as does not give its words",
                "copy the words ('on Friday', 'next month') into stated_as; a date that follows from the "
                "tense of a sentence is method: inferred",
                "error",
            )


RULES: dict[str, tuple[Callable[[Any, dict[str, Any]], Iterator[Rule]], ...]] = {
    "events": (_event_rules, _date_rules),
    "statements": (_statement_rules, _date_rules),
    "roles": (_date_rules,),
    "agreements": (_date_rules,),
    "figures": (_date_rules,),
}


def check_curation(
    records: dict[str, list[Any]],
    origins: dict[str, list[Origin]],
    documents: dict[str, Any],
    problem: Callable[..., Any],
) -> list[Any]:
    """Problems of the curation rules for validated records (``problem(origin, suffix, code, message, hint,
    severity)`` builds one); ``documents``: every known document by id, for publication dates."""
    out = []
    for section, rules in RULES.items():
        for rec, origin in zip(records.get(section, []), origins.get(section, [])):
            if not hasattr(rec, "evidence"):
                continue  # an id-only stub of a bulk check: nothing to look at
            for rule in rules:
                for suffix, code, message, hint, severity in rule(rec, documents):
                    out.append(problem(origin, suffix, code, message, hint, severity))
    return out
