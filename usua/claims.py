"""Records derived from claims: the rules, shared by the build and `usua validate`.

A claim is one document's value for one field of one record (FollowTheMoney's statement, Wikidata's
claim): the record's own evidence makes claims (a quote that names fields in ``supports`` claims those
fields; one that names none claims the record as a whole, its status included), and claim records
(``claims:`` in a contribution file) add values to records defined elsewhere. The record in the release
is derived from all of them (dataset/CURATION.md, "Claims"):

- ``/status``: the latest as-of wins (claim a precedes b when a's as-of window ends before b's begins);
  claims that no other claim follows and that differ are a conflict;
- a date: claims whose intervals nest agree, and the narrowest wins; others conflict;
- ``/<list>/-``: each claim adds an item (agreeing items merge);
- any other field: equal values agree; different values conflict.

In a conflict the record keeps its own value (a new source does not overwrite a curated one), else the
best-graded claim's; the conflict becomes a derived disagreement with every version and its documents.
Nothing depends on the order of the claims.
"""

from __future__ import annotations

import dataclasses
import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .models.dates import DateValue

#: Fields whose value changes over time: the latest as-of wins.
STATUS_FIELD = "/status"
#: Statuses announced as planned, expected or only reported: the stance a claim of them takes.
_STANCE_OF_STATUS = {
    "planned": "announces_planned",
    "signing_planned": "announces_planned",
    "proposed": "announces_planned",
    "under_negotiation": "announces_planned",
    "announced": "announces_planned",
    "expected": "expects",
    "hypothetical": "expects",
    "reported": "reports",
}
GRADES = "ABCDEF"


#: One encoder for every value: json.dumps would build one per call (it is given arguments).
_CANONICAL = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
_encode_text = json.encoder.encode_basestring  # what the encoder itself does with a text


def canonical(value: Any) -> str:
    """One text per JSON value, whatever the order of its keys: how values are compared and published."""
    if value is None:  # the commonest values (a record as a whole, a status) without the encoder's call
        return "null"
    if isinstance(value, str):
        return _encode_text(value)
    return _CANONICAL.encode(value)


def stance_of(field_: str, value: Any) -> str:
    """The stance a claim takes when it does not say: from the status it gives, else 'states'."""
    if field_ == STATUS_FIELD and isinstance(value, str):
        return _STANCE_OF_STATUS.get(value, "states")
    return "states"


@dataclass(frozen=True, slots=True, init=False)  # (slots: a large curation makes millions of facts)
class Fact:
    """One claim: a document's value for a record's field ('' = the record as a whole)."""

    record: str
    field: str
    value: Any
    document: str
    earliest: date | None  # the document's as-of window (its publication date)
    latest: date | None
    grade: str = "F"
    credibility: int | None = None  # set by a curator
    stance: str = "states"
    evidence: tuple[Any, ...] = ()
    claim: str | None = None  # the claim record's id; None when it comes from the record's own evidence
    #: The value's canonical text, made once per claim: claims are grouped and sorted by it again and again.
    key: str = dataclasses.field(init=False, repr=False, compare=False)  # (`field` is a field's name here)

    def __init__(
        self,
        record: str,
        field: str,
        value: Any,
        document: str,
        earliest: date | None,
        latest: date | None,
        grade: str = "F",
        credibility: int | None = None,
        stance: str = "states",
        evidence: tuple[Any, ...] = (),
        claim: str | None = None,
    ) -> None:
        # The __init__ a frozen dataclass generates sets each field through object.__setattr__, twice as
        # slow as the slots' own setters, and the derivation makes one claim per evidence item of every record.
        values = (record, field, value, document, earliest, latest, grade, credibility, stance, evidence, claim)
        for set_slot, v in zip(_FACT_SLOTS, (*values, canonical(value))):
            set_slot(self, v)


#: Each field's slot setter, in the order of Fact.__init__'s arguments, then the key.
_FACT_SLOTS = tuple(getattr(Fact, f.name).__set__ for f in dataclasses.fields(Fact))


def precedes(a: Fact, b: Fact) -> bool:
    """a's as-of window ends before b's begins (open or unknown windows are not ordered)."""
    return a.latest is not None and b.earliest is not None and a.latest < b.earliest


def _interval(value: Any) -> tuple[date | None, date | None] | None:
    try:
        dv = value if isinstance(value, DateValue) else DateValue.model_validate(value)
    except (ValueError, TypeError):
        return None
    return dv.earliest, dv.latest


def _within(inner: tuple, outer: tuple) -> bool:
    (e1, l1), (e2, l2) = inner, outer
    return (e2 is None or (e1 is not None and e1 >= e2)) and (l2 is None or (l1 is not None and l1 <= l2))


def _span(iv: tuple) -> int:
    e, l = iv
    return (l - e).days if e is not None and l is not None else 10**9


def _rank(facts: list[Fact]) -> tuple:
    """Which value a record keeps in a conflict: its own first, then the best source and credibility."""
    own = any(f.claim is None for f in facts)
    return (
        not own,
        min(GRADES.index(f.grade) for f in facts),
        min(f.credibility or 6 for f in facts),
        -len({f.document for f in facts}),
        facts[0].key,
    )


@dataclass(slots=True)  # (one per field a record's evidence or claims name)
class Outcome:
    """What the claims on one field settle to."""

    value: Any
    #: The claims grouped by value when they conflict (every version), else empty.
    versions: list[list[Fact]] = field(default_factory=list)
    #: The values the record holds (several for a list field).
    held: set[str] = field(default_factory=set)
    #: For a status: the claims no other claim follows (the current one(s)).
    current: list[Fact] = field(default_factory=list)


def _groups(facts: list[Fact]) -> list[list[Fact]]:
    by_value: dict[str, list[Fact]] = defaultdict(list)
    for f in facts:
        by_value[f.key].append(f)
    groups = [sorted(g, key=lambda f: (f.document, f.claim or "")) for g in by_value.values()]
    return sorted(groups, key=lambda g: (min(f.earliest or date.min for f in g), g[0].key))


def settle(field_: str, facts: list[Fact], is_date: bool = False) -> Outcome:
    """The derived value of one field from its claims (see the module docstring)."""
    if len(facts) == 1:  # most fields have a single claim: its value, without grouping and ranking
        f = facts[0]
        if field_.endswith("/-"):
            return Outcome([f.value], held={f.key})
        if field_ != STATUS_FIELD:
            return Outcome(f.value, [], {f.key})
        if not precedes(f, f):
            return Outcome(f.value, [], {f.key}, [f])
    return _settle(field_, facts, is_date)


def _settle(field_: str, facts: list[Fact], is_date: bool) -> Outcome:
    if field_.endswith("/-"):
        groups = _groups(facts)
        return Outcome([g[0].value for g in sorted(groups, key=lambda g: g[0].key)], held={g[0].key for g in groups})
    if field_ == STATUS_FIELD:
        current = [f for f in facts if not any(precedes(f, o) for o in facts)]
        groups = _groups(current)
        best = min(groups, key=_rank)
        return Outcome(best[0].value, groups if len(groups) > 1 else [], {best[0].key}, current)
    groups = _groups(facts)
    if len(groups) == 1:
        return Outcome(groups[0][0].value, [], {groups[0][0].key})
    if is_date:
        found = {g[0].key: _interval(g[0].value) for g in groups}
        intervals = {k: iv for k, iv in found.items() if iv is not None}
        if len(intervals) == len(found):
            narrowest = min(groups, key=lambda g: (_span(intervals[g[0].key]), _rank(g)))
            inner = intervals[narrowest[0].key]
            if all(_within(inner, iv) for iv in intervals.values()):
                return Outcome(narrowest[0].value, [], {narrowest[0].key})
    best = min(groups, key=_rank)
    return Outcome(best[0].value, groups, {best[0].key})


def agrees(a: Fact, b: Fact, is_date: bool = False) -> bool:
    """Two claims on one field say the same (dates: one interval within the other)."""
    if a.key == b.key:
        return True
    if is_date:
        ia, ib = _interval(a.value), _interval(b.value)
        return ia is not None and ib is not None and (_within(ia, ib) or _within(ib, ia))
    return False
