"""Compares two versions of the published JSON Schema and lists the breaking changes.

Breaking (needs a new major version): a property removed (old files with it are now rejected), a
property newly required, an enum value removed, a type narrowed, a constraint (pattern, length, range,
const, additionalProperties) added or changed. Not breaking (a minor version): an optional property
added, an enum value added, a constraint removed, a new record type.
"""

from __future__ import annotations

from typing import Any

_CONSTRAINTS = ("pattern", "minLength", "maxLength", "minimum", "maximum", "minItems", "maxItems", "const", "format")


def _resolve(node: Any, root: dict) -> Any:
    seen = 0
    while isinstance(node, dict) and "$ref" in node and seen < 50:
        ref = node["$ref"]
        if not ref.startswith("#/"):
            return node
        target: Any = root
        for part in ref[2:].split("/"):
            target = target[part]
        node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
        seen += 1
    return node


def _types(node: dict, root: dict) -> set[str]:
    node = _resolve(node, root)
    if "anyOf" in node:
        return set().union(*(_types(n, root) for n in node["anyOf"]))
    t = node.get("type")
    if t is None:
        return {"object"} if "properties" in node else {"any"}
    return set(t) if isinstance(t, list) else {t}


def _enum(node: dict, root: dict) -> set | None:
    node = _resolve(node, root)
    if "enum" in node:
        return set(map(str, node["enum"]))
    if "anyOf" in node:
        parts = [_enum(n, root) for n in node["anyOf"]]
        if any(p is not None for p in parts):
            return set().union(*(p for p in parts if p is not None))
    return None


def breaking_changes(old: dict, new: dict) -> list[str]:
    """The changes from one JSON Schema to the next that would reject data the old one accepted."""
    out: list[str] = []

    def walk(o: Any, n: Any, ptr: str, depth: int = 0) -> None:
        if depth > 40 or not isinstance(o, dict) or not isinstance(n, dict):
            return
        o, n = _resolve(o, old), _resolve(n, new)
        ot, nt = _types(o, old), _types(n, new)
        if "any" not in nt and not ot <= nt:
            out.append(f"{ptr or '/'}: type narrowed from {sorted(ot)} to {sorted(nt)}")
        oe, ne = _enum(o, old), _enum(n, new)
        if oe is not None and ne is not None and not oe <= ne:
            out.append(f"{ptr or '/'}: enum values removed: {sorted(oe - ne)}")
        elif oe is None and ne is not None:
            out.append(f"{ptr or '/'}: now restricted to enum values {sorted(ne)}")
        for key in _CONSTRAINTS:
            if key in n and o.get(key) != n[key]:
                out.append(f"{ptr or '/'}: {key} changed from {o.get(key)!r} to {n[key]!r}")
        if o.get("additionalProperties", True) is not False and n.get("additionalProperties", True) is False:
            out.append(f"{ptr or '/'}: additional properties are now forbidden")
        oprops, nprops = o.get("properties", {}), n.get("properties", {})
        for key in oprops:
            if key not in nprops and n.get("additionalProperties", True) is False:
                out.append(f"{ptr}/properties/{key}: property removed")
        for key in set(n.get("required", [])) - set(o.get("required", [])):
            out.append(f"{ptr}/required: {key} is newly required")
        for key in oprops.keys() & nprops.keys():
            walk(oprops[key], nprops[key], f"{ptr}/properties/{key}", depth + 1)
        if "items" in o and "items" in n:
            walk(o["items"], n["items"], f"{ptr}/items", depth + 1)
        for comb in ("anyOf",):
            ob = [b for b in o.get(comb, []) if _types(b, old) != {"null"}]
            nb = [b for b in n.get(comb, []) if _types(b, new) != {"null"}]
            if len(ob) == 1 and len(nb) == 1:
                walk(ob[0], nb[0], f"{ptr}/{comb}", depth + 1)

    walk(old, new, "")
    return out


def compare_schema_sets(old: dict[str, dict], new: dict[str, dict]) -> list[str]:
    """Breaking changes across all record types (a removed record type is breaking too)."""
    out = [f"{name}: record type removed" for name in old if name not in new]
    for name in old.keys() & new.keys():
        out += [f"{name}{c}" if c.startswith("/") else f"{name}: {c}" for c in breaking_changes(old[name], new[name])]
    return sorted(out)
