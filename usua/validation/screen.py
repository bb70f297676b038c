"""The quick verdict on a JSON Lines record that is not kept as a model: each line is decoded straight
from its bytes by msgspec into Structs generated from the published JSON Schema (types, enums, patterns,
lengths and bounds checked in C, unknown fields refused), and the models' cross-field rules, the date
derivation and the quote rule run as the Structs are built (their ``__post_init__``).

It only ever accepts. A record it does not accept goes on to the models, which give the verdict and
explain it in the usual words, so the screen decides speed, never a message. What it accepts the models
accept too (tests/test_screen.py checks that on generated records and on records broken at random):
the rules below are those of ``usua.models.rules.CROSS_FIELD_RULES``, written for the Structs.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from enum import Enum
from functools import cache, lru_cache
from typing import Annotated, Any, Literal, NamedTuple, Optional, Union

from ..models.edtf import EDTF_PATTERN, EDTF_RE, cached_derivation
from ..models.registry import ID_PREFIXES
from .quotes import COMMON_WORDS, _first_word, weak_quote


#: An id written as a whole JSON string (or a text shaped nearly like one). In a record line these are its
#: references, its own id and perhaps a text that looks like an id: one too many only sends the record
#: to the exact reference check.
QUOTED_ID = re.compile(rf'"((?:{"|".join(ID_PREFIXES.values())}):[a-z0-9-]+)"')


def mentioned_ids(line: str) -> list[str] | None:
    """Every id a JSON line can refer to (and maybe a few more), found without walking the record; None
    when the line has \\u escapes, which could spell an id this search would miss."""
    if "\\u" in line:
        return None
    return QUOTED_ID.findall(line)


class _Refused(ValueError):
    """Raised while a Struct is built: msgspec turns it into a ValidationError (the models decide)."""


_PARTY_STATUSES = frozenset(("signed", "in_force", "expired"))
#: Identifier values by scheme (the Identifier model's own patterns).
_SCHEME_RE: dict[str, re.Pattern[str]] = {}


def _bounds(when: Any) -> tuple[Any, Any]:
    """(earliest, latest) of a date already screened, None for an open or unknown end."""
    if when is None:
        return None, None
    fields = cached_derivation(when.value)[0]
    assert fields is not None  # screened when its Struct was built
    return fields["earliest"], fields["latest"]


def _not_before(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return True
    earliest, latest = _bounds(a)[0], _bounds(b)[1]
    return earliest is None or latest is None or latest >= earliest


def _need(ok: bool) -> None:
    if not ok:
        raise _Refused


def _distinct(values: list) -> bool:
    return len(set(values)) == len(values)


def _entity(rec: Any) -> None:
    names = [rec.name.casefold()] + [a.name.casefold() for a in rec.aliases or ()]
    identifiers = rec.identifiers or ()
    schemes = [i.scheme for i in identifiers]
    if identifiers and not _SCHEME_RE:  # (the models' patterns: loaded only when needed)
        from ..models.entity import _ID_PATTERNS as patterns

        _SCHEME_RE.update({scheme.value: re.compile(p) for scheme, p in patterns.items()})
    _need(
        _distinct(names)
        and _distinct(schemes)
        and (rec.kind == "state" or not any(s.startswith("iso3166") for s in schemes))
        and all(_SCHEME_RE[i.scheme].fullmatch(i.value) for i in identifiers)
    )


def _role(rec: Any) -> None:
    _need(rec.person != rec.organization and _not_before(rec.start, rec.end))


def _event(rec: Any) -> None:
    participants = rec.participants or ()
    agreements = rec.agreements or ()
    _need(
        rec.part_of != rec.id
        and _not_before(rec.date, rec.end_date)
        and len({(p.entity, p.role) for p in participants}) == len(participants)
        and len(set(agreements)) == len(agreements)
    )


def content_key(text: str) -> str:
    from ..models.keys import content_key as key  # (hashlib: loaded for keyless items only)

    return key(text)


def _agreement(rec: Any) -> None:
    parties = rec.parties
    signed, in_force, status = rec.signed, rec.in_force, rec.status
    signatories, relations = rec.signatories or (), rec.relations or ()
    _need(
        _distinct(parties)
        and all(s.on_behalf_of in parties for s in signatories)
        and _not_before(signed, in_force)
        and _not_before(in_force or signed, rec.expires)
        and not (status in _PARTY_STATUSES and signed is None)
        and not (status == "adopted" and rec.adopted is None)
        and all(r.target != rec.id for r in relations)
        and _distinct([s.person for s in signatories])
        and _distinct([(r.type, r.target) for r in relations])
        and _distinct([p.key or content_key(p.text) for p in rec.provisions or ()])
    )


def _statement(rec: Any) -> None:
    _need(rec.speaker not in (rec.relayed_by or ()))


def _disagreement(rec: Any) -> None:
    versions = rec.versions
    _need(
        len({e.document for v in versions for e in v.evidence}) >= 2
        and _distinct([v.key or content_key(v.claim) for v in versions])
    )


def _document(rec: Any) -> None:
    _need(all(s.last_line >= s.first_line for s in rec.segments or ()))


#: Record type -> its cross-field rules (None: it has none); a type not here always goes to the models.
_RULES: dict[str, Callable[[Any], None] | None] = {
    "document": _document,
    "entity": _entity,
    "role": _role,
    "event": _event,
    "agreement": _agreement,
    "statement": _statement,
    "figure": None,
    "disagreement": _disagreement,
}


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value.isoformat() if isinstance(value, date) else value


@lru_cache(maxsize=1 << 16)
def _date_fields(value: str | None) -> tuple[tuple[str, Any], ...] | None:
    """The derived fields of a date value as JSON gives them, or None when the value is not a date
    (the schema's pattern and the derivation in one cached test: dates repeat)."""
    if value is not None and not _date_pattern()(value):
        return None
    fields = cached_derivation(value)[0]
    return None if fields is None else tuple((k, _plain(v)) for k, v in fields.items())


def _python_pattern(pattern: str) -> str:
    """A published pattern as Python's re must read it to agree with the models: its closing ``$``
    would also match before a final line break ("evt:x\\n"), where the models' (and JSON Schema's)
    does not."""
    return pattern[:-1] + r"\Z" if pattern.endswith("$") and not pattern.endswith(r"\$") else pattern


@cache
def _date_pattern() -> Callable[[str], Any]:
    """The published pattern of a date value, as a test (the derivation's own compiled pattern when it
    is the same: a fullmatch, like the models', is what ``\\Z`` asks for)."""
    from ..schema import published_schema

    pattern = published_schema("event")["$defs"]["DateValue"]["properties"]["value"]["pattern"]
    return EDTF_RE.fullmatch if pattern == EDTF_PATTERN else re.compile(_python_pattern(pattern)).search


def _check_date(when: Any) -> None:
    fields = _date_fields(when.value)
    if fields is None or (when.method != "stated" and when.basis is None):  # the schema's if/then
        raise _Refused
    if (
        when.precision is None
        and when.earliest is None
        and when.latest is None
        and when.approximate is None
        and when.uncertain is None
    ):
        return  # (as a contributor writes a date: the derived fields are left to the build)
    for key, want in fields:  # a derived field, when given, agrees with the value
        given = getattr(when, key)
        if given is not None and given != want:
            raise _Refused


def _check_evidence(ev: Any) -> None:
    start, end = ev.start, ev.end
    if (start is not None or end is not None) and (start is None or end is None or end <= start):
        raise _Refused
    supports = ev.supports
    if supports and (len(set(supports)) != len(supports) or any(p.endswith("/-") for p in supports)):
        raise _Refused
    first = _first_word(ev.quote)  # weak_quote's own quick test, inlined: this runs for every quote
    if (first is None or first[0].casefold() in COMMON_WORDS) and weak_quote(ev.quote) is not None:
        raise _Refused


def schema_struct(schema: dict, name: str, hooks: dict[str, Callable[[Any], None]] | None = None) -> Any:
    """The msgspec type of a record's JSON Schema (generated by the models): types, enums, patterns,
    lengths and bounds, unknown fields refused. ``hooks`` maps a definition's name (the schema's own
    name for the whole record) to a check run on each Struct of it as it is decoded."""
    import msgspec

    hooks = hooks or {}
    done: dict[str, Any] = {}

    def convert(node: dict, hint: str, drop_pattern: bool = False) -> Any:
        ref = node.get("$ref")
        if ref is not None:
            ref_name = ref.rsplit("/", 1)[1]
            if ref_name not in done:
                done[ref_name] = convert(schema["$defs"][ref_name], ref_name)
            return done[ref_name]
        if "anyOf" in node:
            # string keywords beside anyOf (a pattern on "string or null") bind its string options
            extra = {k: node[k] for k in ("pattern", "minLength", "maxLength") if k in node}
            branches = [{**o, **extra} if o.get("type") == "string" else o for o in node["anyOf"]]
            options = [convert(o, hint, drop_pattern) for o in branches]
            return Optional[options[0]] if len(options) == 2 and options[1] is None else Union[tuple(options)]
        if "enum" in node:
            return Literal[tuple(node["enum"])]
        if "const" in node:
            return Literal[node["const"]]
        kind = node.get("type")
        if kind == "null":
            return None
        if kind == "boolean":
            return bool
        if kind in ("string", "integer", "number"):
            base = {"string": str, "integer": int, "number": float}[kind]
            pattern = node.get("pattern")
            meta: dict[str, Any] = {
                "pattern": None if drop_pattern or pattern is None else _python_pattern(pattern),
                "min_length": node.get("minLength"),
                "max_length": node.get("maxLength"),
                "ge": node.get("minimum"),
                "le": node.get("maximum"),
            }
            meta = {k: v for k, v in meta.items() if v is not None}
            return Annotated[base, msgspec.Meta(**meta)] if meta else base
        if kind == "array":
            item = convert(node["items"], hint)
            sizes = {"min_length": node.get("minItems"), "max_length": node.get("maxItems")}
            meta = {k: v for k, v in sizes.items() if v is not None}
            return Annotated[list[item], msgspec.Meta(**meta)] if meta else list[item]  # type: ignore[valid-type]
        required = set(node.get("required", ()))
        fields: list[Any] = []
        hook = hooks.get(hint)
        for key, sub in node.get("properties", {}).items():
            # a date's value: its pattern is tested, with the derivation, once per distinct value
            typ = convert(sub, f"{hint}_{key}", drop_pattern=hook is _check_date and key == "value")
            if key in required:
                fields.append((key, typ))
            else:
                default = sub.get("default")
                fields.append((key, typ, msgspec.field(default_factory=list) if default == [] else default))
        namespace = {"__post_init__": hook} if hook is not None else None
        return msgspec.defstruct(hint, fields, kw_only=True, forbid_unknown_fields=True, namespace=namespace)

    return convert(schema, name)


class Screen(NamedTuple):
    """A record type's screen: ``decode`` turns the JSON of one record (the value of its line's one key)
    into a Struct, or raises one of ``refused`` when the models must decide."""

    decode: Callable[[bytes], Any]
    refused: tuple[type[Exception], ...]

    def accept(self, raw: bytes) -> Any:
        """The record decoded from its JSON, or None: the models decide."""
        try:
            return self.decode(raw)
        except self.refused:
            return None


@cache
def _record_struct(rtype: str) -> Any:
    # the published schema's file: a record the screen accepts never loads the models
    from ..schema import published_schema

    hooks = {"DateValue": _check_date, "Evidence": _check_evidence}
    rule = _RULES[rtype]
    if rule is not None:
        hooks[rtype] = rule
    return schema_struct(published_schema(rtype), rtype, hooks)


def _refused() -> tuple[type[Exception], ...]:
    import msgspec

    # a rule meeting a shape it does not expect raises; msgspec turns only ValueError and TypeError
    # into its ValidationError
    return (msgspec.ValidationError, msgspec.DecodeError, LookupError, AttributeError, AssertionError)


@cache
def screen(rtype: str) -> Screen | None:
    """The screen of a record type (None: it has none, and the models always decide)."""
    if rtype not in _RULES:
        return None
    import msgspec

    return Screen(msgspec.json.Decoder(_record_struct(rtype)).decode, _refused())


class BlockScreen(NamedTuple):
    """The screen of a block of record lines of any screened types, given as one JSON array: ``decode``
    returns one Struct per line, whose only field set is the record's (``types``: the field names in
    order), or raises one of ``refused``. ``ids`` reads the same lines as Structs holding only the
    record's id, unchecked: for lines ``decode`` has already accepted (those before the one it stopped at)."""

    decode: Callable[[bytes], list[Any]]
    types: tuple[str, ...]
    refused: tuple[type[Exception], ...]
    ids: Callable[[bytes], list[Any]]


@cache
def block_screen() -> BlockScreen:
    """The screen of blocks of lines (every screened type's schema built at once: for large files)."""
    import msgspec

    types = tuple(_RULES)
    line = msgspec.defstruct(
        "RecordLine", [(t, Optional[_record_struct(t)], None) for t in types], forbid_unknown_fields=True
    )
    record_id = msgspec.defstruct("RecordId", [("id", str)])
    id_line = msgspec.defstruct("RecordIdLine", [(t, Optional[record_id], None) for t in types])
    return BlockScreen(
        msgspec.json.Decoder(list[line]).decode,  # type: ignore[valid-type]  # (a type made at run time)
        types,
        _refused(),
        msgspec.json.Decoder(list[id_line]).decode,  # type: ignore[valid-type]
    )


#: Where a block's decoding stopped: the index of the line in msgspec's error path ("... - at `$[17].event`").
FAILED_AT = re.compile(r" - at `\$\[(\d+)\]")
