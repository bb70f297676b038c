"""Turning pydantic and JSON Schema errors into one plain sentence each, with a hint."""

from __future__ import annotations

import difflib
import re
from functools import cache
from typing import Any

from ..models.base import ID_PREFIXES
from ..models.dates import EDTFError
from .reader import escape

_KIND_OF_PREFIX = {prefix: kind for kind, prefix in ID_PREFIXES.items()}
_ID_PATTERN_RE = re.compile(r"^\^(?:\(\?:)?([a-z|]+)\)?:")


def pointer_of(loc: tuple) -> str:
    """The JSON pointer of a pydantic error location."""
    parts = []
    for item in loc:
        if isinstance(item, int):
            parts.append(str(item))
        elif isinstance(item, str) and "[" not in item and item not in {"str", "int", "float", "bool", "none"}:
            parts.append(escape(item))
    return "/" + "/".join(parts) if parts else ""


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


@cache
def _schema(name: str) -> dict[str, Any]:
    from ..schema import json_schema

    return json_schema(name)


def schema_at(record_type: str, parts: list[str]) -> dict[str, Any] | None:
    """The sub-schema for a path of keys/indices inside a record type, following $refs."""
    root = _schema(record_type)
    node: dict[str, Any] | None = root

    def deref(n: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in n:
            n = root["$defs"][n["$ref"].rsplit("/", 1)[1]]
        if "anyOf" in n:
            options = [deref(o) for o in n["anyOf"] if o.get("type") != "null"]
            if len(options) == 1:
                return options[0]
        return n

    for part in parts:
        if node is None:
            return None
        node = deref(node)
        if part.isdigit() and "items" in node:
            node = node["items"]
        elif "properties" in node and part in node["properties"]:
            node = node["properties"][part]
        else:
            return None
    return deref(node) if node is not None else None


def _id_hint(pattern: str) -> tuple[str, str] | None:
    m = _ID_PATTERN_RE.match(pattern)
    if not m:
        return None
    prefixes = m.group(1).split("|")
    if len(prefixes) == 1:
        kind = _KIND_OF_PREFIX.get(prefixes[0], "record")
        return (
            f"a valid {kind} id",
            f"write '{prefixes[0]}:' then lower-case letters, digits and single hyphens, e.g. '{prefixes[0]}:example-slug'",
        )
    return "a valid record id", "write a prefix (" + ", ".join(
        prefixes
    ) + ") and ':' then lower-case letters, digits and single hyphens, e.g. 'ent:example-slug'"


_TYPE_WORDS = {
    "string_type": "text",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "list_type": "a list",
    "dict_type": "a mapping of fields",
    "model_type": "a mapping of fields",
    "model_attributes_type": "a mapping of fields",
    "float_type": "a number",
    "decimal_type": "a number",
    "decimal_parsing": "a number",
    "int_from_float": "a whole number",
    "date_type": "a date YYYY-MM-DD",
    "date_parsing": "a date YYYY-MM-DD",
    "date_from_datetime_parsing": "a date YYYY-MM-DD",
    "date_from_datetime_inexact": "a date YYYY-MM-DD",
}


def translate(err: dict[str, Any], record_type: str, base: str) -> tuple[str, str, str, str | None]:
    """(pointer, code, message, hint) for one pydantic error inside a record at pointer ``base``."""
    kind, loc, value = err["type"], err["loc"], err.get("input")
    ctx = err.get("ctx") or {}
    inner = pointer_of(loc)
    parts = [p for p in inner.split("/") if p]
    field = parts[-1] if parts else record_type
    if kind == "value_error":
        cause = ctx.get("error")
        text = str(cause) if cause is not None else err["msg"].removeprefix("Value error, ")
        if isinstance(cause, EDTFError):
            inner += "/value"
            return base + inner, "bad-date", text, "see the date rules in the contribution guide"
        return base + inner, "invalid-record", text, None
    if kind == "missing":
        return base + inner, "missing-field", f"the required field '{field}' is missing", f"add '{field}'"
    if kind == "extra_forbidden":
        parent = schema_at(record_type, parts[:-1]) or {}
        known = list(parent.get("properties", {}))
        close = difflib.get_close_matches(field, known, n=1)
        hint: str | None = (
            f"did you mean '{close[0]}'?"
            if close
            else ("the fields here are: " + ", ".join(known) if known else "remove it")
        )
        return base + inner, "unknown-field", f"'{field}' is not a field here", hint
    if kind == "enum" or kind == "literal_error":
        sub = schema_at(record_type, parts) or {}
        allowed = [str(x) for x in sub.get("enum", [])]
        close = difflib.get_close_matches(str(value), allowed, n=1) if allowed else []
        hint = f"did you mean '{close[0]}'?" if close else None
        listing = ", ".join(allowed) if allowed else ctx.get("expected", "")
        return base + inner, "not-allowed", f"{_show(value)} is not an allowed {field}: use one of {listing}", hint
    if kind == "string_pattern_mismatch":
        pattern = ctx.get("pattern", "")
        ids = _id_hint(pattern)
        if ids:
            return base + inner, "bad-id", f"{_show(value)} is not {ids[0]}", ids[1]
        return (
            base + inner,
            "bad-format",
            f"{_show(value)} does not have the form {field} needs",
            f"it must match {pattern}",
        )
    if kind == "string_too_short":
        return base + inner, "empty", f"'{field}' is empty", "write something, or remove the field if it is optional"
    if kind == "string_too_long":
        return base + inner, "too-long", f"'{field}' is longer than {ctx.get('max_length')} characters", "shorten it"
    if kind == "too_short":
        n = ctx.get("min_length", 1)
        return (
            base + inner,
            "too-few",
            f"'{field}' needs at least {n} item{'s' if n != 1 else ''}",
            "add the missing items",
        )
    bounds = {
        "greater_than_equal": ("ge", "at least"),
        "greater_than": ("gt", "more than"),
        "less_than_equal": ("le", "at most"),
        "less_than": ("lt", "less than"),
    }
    if kind in bounds:
        key, words = bounds[kind]
        return base + inner, "out-of-range", f"'{field}' must be {words} {ctx.get(key)}, not {_show(value)}", None
    if kind in _TYPE_WORDS:
        hint = "put the value in quotes" if _TYPE_WORDS[kind] == "text" else None
        if _TYPE_WORDS[kind] == "a mapping of fields":
            fields = list((schema_at(record_type, parts) or {}).get("properties", {}))
            hint = "its fields are: " + ", ".join(fields) if fields else None
        return base + inner, "wrong-type", f"'{field}' should be {_TYPE_WORDS[kind]}, not {_show(value)}", hint
    return base + inner, kind.replace("_", "-"), f"{_show(value)}: {err['msg']}", None


def translate_schema_error(err: Any, base: str) -> tuple[str, str, str, str | None]:
    """(pointer, code, message, hint) for one jsonschema ValidationError inside a record at ``base``."""
    inner = "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in err.absolute_path)
    field = str(err.absolute_path[-1]) if err.absolute_path else "record"
    if err.validator == "type":
        want = {
            "string": "text",
            "integer": "a whole number",
            "number": "a number",
            "boolean": "true or false",
            "array": "a list",
            "object": "a mapping of fields",
            "null": "null",
        }
        types = err.validator_value if isinstance(err.validator_value, list) else [err.validator_value]
        words = " or ".join(want.get(t, str(t)) for t in types)
        return base + inner, "wrong-type", f"'{field}' should be {words}, not {_show(err.instance)}", None
    return base + inner, "schema", f"'{field}': {err.message}", None
