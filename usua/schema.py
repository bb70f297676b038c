"""The public contract: JSON Schema (draft 2020-12) generated from the models. Never hand-edited."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from .version import SCHEMA_VERSION

DIALECT = "https://json-schema.org/draft/2020-12/schema"
MAJOR = SCHEMA_VERSION.split(".")[0]


def schema_id(name: str) -> str:
    """The ``$id`` of a record type's JSON Schema."""
    return f"urn:usua:schema:v{MAJOR}:{name}"


@cache
def json_schema(name: str) -> dict[str, Any]:
    """The JSON Schema of one record type ('event', ...) or of a whole 'contribution' file."""
    from .models import RECORD_MODELS

    try:
        model = RECORD_MODELS[name]
    except KeyError:
        raise KeyError(f"no record type {name!r}; known: {', '.join(RECORD_MODELS)}") from None
    from .models.rules import CROSS_FIELD_RULES

    body = model.model_json_schema(mode="validation")
    return {
        "$schema": DIALECT,
        "$id": schema_id(name),
        "title": body.pop("title", model.__name__),
        "x-usua-schema-version": SCHEMA_VERSION,
        "x-usua-cross-field-rules": CROSS_FIELD_RULES["all"] + CROSS_FIELD_RULES.get(name, []),
        **body,
    }


def published_dir(package: Path = Path(__file__).resolve().parent) -> Path:
    """Where the published schema files are: in a checkout the committed ``schema/v<major>/`` (a test
    keeps it equal to what the models generate), in an installed wheel ``usua/_schema/`` (copied from it
    when the wheel is built)."""
    checkout = package.parent / "schema" / f"v{MAJOR}"
    if (package.parent / "pyproject.toml").is_file() and checkout.is_dir():
        return checkout
    return package / "_schema"


@cache
def published_schema(name: str) -> dict[str, Any]:
    """The JSON Schema of a record type as published, read from its file without loading the models
    (what json_schema generates from them when there is no file of this schema version)."""
    try:
        schema = json.loads((published_dir() / f"{name}.schema.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        schema = None
    if not isinstance(schema, dict) or schema.get("x-usua-schema-version") != SCHEMA_VERSION:
        return json_schema(name)
    return schema


def all_schemas() -> dict[str, dict[str, Any]]:
    """Every published JSON Schema, by record type name (and 'contribution')."""
    from .models import RECORD_MODELS

    return {name: json_schema(name) for name in RECORD_MODELS}


def dumps(schema: dict[str, Any]) -> str:
    """Stable text form used for the committed files (sorted keys, final newline)."""
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def missing_descriptions(schema: dict[str, Any]) -> list[str]:
    """JSON pointers of properties that have no description (the contract requires one everywhere)."""
    out: list[str] = []

    def walk(node: Any, ptr: str) -> None:
        if isinstance(node, dict):
            for key, sub in node.get("properties", {}).items():
                if "description" not in sub:
                    out.append(f"{ptr}/properties/{key}")
            for key, sub in node.items():
                if key not in ("if", "then", "else", "not"):  # conditions restate fields, not define them
                    walk(sub, f"{ptr}/{key}")
        elif isinstance(node, list):
            for i, sub in enumerate(node):
                walk(sub, f"{ptr}/{i}")

    walk(schema, "")
    return out
