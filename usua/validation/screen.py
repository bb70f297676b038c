"""The quick verdict on a JSON Lines record that is not kept as a model: the published JSON Schema, run by
jsonschema-rs (compiled, several times faster than the models), then the models' cross-field rules and
date derivation on the parsed record.

It only ever accepts. A record it does not accept goes on to the models, which give the verdict and
explain it in the usual words, so the screen decides speed, never a message. What it accepts the models
accept too (tests/test_screen.py checks that on generated records and on records broken at random):
the rules below are those of ``usua.models.rules.CROSS_FIELD_RULES``, written for plain JSON data.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from functools import cache
from typing import Any

from ..models.base import ID_PREFIXES
from ..models.dates import cached_derivation, date_conflict
from ..models.keys import content_key
from .quotes import weak_quote

#: Whether a parsed record is valid for sure (False: the models decide).
Screen = Callable[[dict[str, Any]], bool]
_Getter = Callable[[Any], Any]

#: An id written as a whole JSON string (or a text shaped nearly like one). In a record line these are its
#: references, its own id and perhaps a text that looks like an id: one too many only sends the record
#: to the exact reference check.
_QUOTED_ID = re.compile(rf'"((?:{"|".join(ID_PREFIXES.values())}):[a-z0-9-]+)"')


def mentioned_ids(line: str) -> list[str] | None:
    """Every id a JSON line can refer to (and maybe a few more), found without walking the record; None
    when the line has \\u escapes, which could spell an id this search would miss."""
    if "\\u" in line:
        return None
    return _QUOTED_ID.findall(line)


_PARTY_STATUSES = frozenset(("signed", "in_force", "expired"))
#: Identifier values by scheme (the Identifier model's own patterns).
_SCHEME_RE: dict[str, re.Pattern[str]] = {}


def _getter(path: tuple[str, ...]) -> _Getter:
    """A function giving the list of values at ``path`` ("*": every item of a list) in a parsed record."""
    if not path:
        return lambda v: (v,)
    key, rest = path[0], path[1:]
    inner = _getter(rest)
    if key == "*":
        return (lambda v: v) if not rest else (lambda v: [y for x in v for y in inner(x)])
    if not rest:
        return lambda v: () if (x := v.get(key)) is None else (x,)
    return lambda v: () if (x := v.get(key)) is None else inner(x)


def _walk(schema: dict, node: dict, path: tuple[str, ...], found: dict[str, list[tuple[str, ...]]]) -> None:
    ref = node.get("$ref")
    if ref is not None:
        name = ref.rsplit("/", 1)[1]
        if name in ("DateValue", "Evidence"):
            found[name].append(path)
            return  # checked as a whole: a date by its derivation, evidence in accept()
        node = schema["$defs"][name]
    for option in node.get("anyOf", ()):
        _walk(schema, option, path, found)
    kind = node.get("type")
    if kind == "integer":
        found["integer"].append(path)
    elif kind == "number":
        found["number"].append(path)
    elif kind == "array":
        _walk(schema, node["items"], (*path, "*"), found)
    for key, sub in node.get("properties", {}).items():
        _walk(schema, sub, (*path, key), found)


def _bounds(when: Any) -> tuple[Any, Any]:
    """(earliest, latest) of a date already screened, None for an open or unknown end."""
    if when is None:
        return None, None
    fields = cached_derivation(when["value"])[0]
    assert fields is not None  # screened before any rule runs
    return fields["earliest"], fields["latest"]


def _not_before(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return True
    earliest, latest = _bounds(a)[0], _bounds(b)[1]
    return earliest is None or latest is None or latest >= earliest


def _distinct(values: list) -> bool:
    return len(set(values)) == len(values)


def _entity(rec: dict) -> bool:
    names = [rec["name"].casefold()] + [a["name"].casefold() for a in rec.get("aliases", ())]
    schemes = [i["scheme"] for i in rec.get("identifiers", ())]
    if not _SCHEME_RE:
        from ..models.entity import _ID_PATTERNS as patterns

        _SCHEME_RE.update({scheme.value: re.compile(p) for scheme, p in patterns.items()})
    return (
        _distinct(names)
        and _distinct(schemes)
        and (rec["kind"] == "state" or not any(s.startswith("iso3166") for s in schemes))
        and all(_SCHEME_RE[i["scheme"]].fullmatch(i["value"]) for i in rec.get("identifiers", ()))
    )


def _role(rec: dict) -> bool:
    return rec["person"] != rec.get("organization") and _not_before(rec.get("start"), rec.get("end"))


def _event(rec: dict) -> bool:
    participants = rec.get("participants", ())
    agreements = rec.get("agreements", ())
    return (
        rec.get("part_of") != rec["id"]
        and ("end_date" not in rec or _not_before(rec["date"], rec["end_date"]))
        and len({(p["entity"], p["role"]) for p in participants}) == len(participants)
        and len(set(agreements)) == len(agreements)
    )


def _agreement(rec: dict) -> bool:
    parties = rec["parties"]
    signed, in_force, status = rec.get("signed"), rec.get("in_force"), rec["status"]
    return (
        _distinct(parties)
        and all(s["on_behalf_of"] in parties for s in rec.get("signatories", ()))
        and _not_before(signed, in_force)
        and _not_before(in_force or signed, rec.get("expires"))
        and not (status in _PARTY_STATUSES and signed is None)
        and not (status == "adopted" and rec.get("adopted") is None)
        and all(r["target"] != rec["id"] for r in rec.get("relations", ()))
        and _distinct([s["person"] for s in rec.get("signatories", ())])
        and _distinct([(r["type"], r["target"]) for r in rec.get("relations", ())])
        and _distinct([p.get("key") or content_key(p["text"]) for p in rec.get("provisions", ())])
    )


def _statement(rec: dict) -> bool:
    return rec["speaker"] not in rec.get("relayed_by", ())


def _disagreement(rec: dict) -> bool:
    versions = rec["versions"]
    return len({e["document"] for v in versions for e in v["evidence"]}) >= 2 and _distinct(
        [v.get("key") or content_key(v["claim"]) for v in versions]
    )


def _document(rec: dict) -> bool:
    return all(s["last_line"] >= s["first_line"] for s in rec.get("segments", ()))


#: Record type -> its cross-field rules; a type without an entry here always goes to the models.
_RULES: dict[str, Callable[[dict], bool]] = {
    "document": _document,
    "entity": _entity,
    "role": _role,
    "event": _event,
    "agreement": _agreement,
    "statement": _statement,
    "figure": lambda rec: True,
    "disagreement": _disagreement,
}


#: The fields of a date that are derived from its value (and must agree with it when given).
_DERIVED = frozenset(("precision", "earliest", "latest", "approximate", "uncertain"))


def _date_ok(when: dict) -> bool:
    fields = cached_derivation(when["value"])[0]
    return fields is not None and (_DERIVED.isdisjoint(when) or date_conflict(when, fields) is None)


def _evidence_ok(items: Iterable[dict]) -> bool:
    for ev in items:
        if len(ev) > 2:  # more than document and quote
            start, end = ev.get("start"), ev.get("end")
            if (start is None) != (end is None):
                return False
            if start is not None and (type(start) is not int or type(end) is not int or end <= start):
                return False
            if type(ev.get("occurrence", 1)) is not int:
                return False
        if weak_quote(ev["quote"]) is not None:
            return False
    return True


@cache
def screen(rtype: str) -> Screen | None:
    """The screen of a record type (None: it has none, and the models always decide)."""
    rule = _RULES.get(rtype)
    if rule is None:
        return None
    import jsonschema_rs

    from ..schema import json_schema

    schema = json_schema(rtype)
    is_valid = jsonschema_rs.validator_for(schema).is_valid
    found: dict[str, list[tuple[str, ...]]] = {k: [] for k in ("DateValue", "Evidence", "integer", "number")}
    _walk(schema, schema, (), found)
    top_dates = tuple(p[0] for p in found["DateValue"] if len(p) == 1)
    dates = [_getter(p) for p in found["DateValue"] if len(p) > 1]
    evidence = [_getter(p) for p in found["Evidence"] if p != ("evidence", "*")]
    top_evidence = ("evidence", "*") in found["Evidence"]
    integers = [_getter(p) for p in found["integer"]]
    numbers = [_getter(p) for p in found["number"]]

    derivation, derived = cached_derivation, _DERIVED

    def accept(rec: dict[str, Any]) -> bool:
        if not is_valid(rec):
            return False
        for get in integers:  # JSON Schema counts 1.0 as an integer; the models do not
            if any(type(v) is not int for v in get(rec)):
                return False
        for get in numbers:
            if any(type(v) is float and not math.isfinite(v) for v in get(rec)):
                return False
        for key in top_dates:
            when = rec.get(key)
            if when is not None:  # (_date_ok inlined: this runs for nearly every record)
                fields = derivation(when["value"])[0]
                if fields is None or not (derived.isdisjoint(when) or date_conflict(when, fields) is None):
                    return False
        for get in dates:
            if not all(_date_ok(when) for when in get(rec)):
                return False
        if top_evidence:
            for ev in rec["evidence"]:
                if len(ev) > 2 or weak_quote(ev["quote"]) is not None:  # more than document and quote
                    if not _evidence_ok((ev,)):
                        return False
        for get in evidence:
            if not _evidence_ok(get(rec)):
                return False
        try:
            return rule(rec)
        except (KeyError, TypeError):  # a field the rule reads is left out: the models decide
            return False

    return accept
