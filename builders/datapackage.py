"""Step 5b: datapackage.json, a Frictionless Data Package v2 describing every Parquet table."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from usua.tables import TABLES, Table

from .manifest import file_sha256

PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
_TYPES = {"string": "string", "int": "integer", "float": "number", "bool": "boolean", "date": "date",
          "list": "array", "enum": "string"}


def table_schema(t: Table) -> dict[str, Any]:
    fields = []
    for c in t.columns:
        f: dict[str, Any] = {"name": c.name, "type": _TYPES[c.type], "description": c.description}
        constraints: dict[str, Any] = {}
        if not c.nullable:
            constraints["required"] = True
        if c.type == "enum":
            constraints["enum"] = list(c.values)
        if constraints:
            f["constraints"] = constraints
        fields.append(f)
    # Parquet tells null from "" itself; no string stands for a missing value (an evidence path "" is real).
    schema: dict[str, Any] = {"fields": fields, "missingValues": [], "primaryKey": list(t.primary_key)}
    if t.foreign_keys:
        schema["foreignKeys"] = [
            {"fields": [col], "reference": {"resource": ref if ref != t.name else "", "fields": [ref_col]}}
            for col, ref, ref_col in t.foreign_keys
        ]
    return schema


def datapackage(out: Path, version: str) -> dict[str, Any]:
    resources = []
    for t in TABLES:
        rel = f"parquet/{t.name}.parquet"
        path = out / rel
        resources.append({
            "name": t.name, "path": rel, "format": "parquet", "mediatype": "application/vnd.apache.parquet",
            "hash": f"sha256:{file_sha256(path)}", "bytes": path.stat().st_size,
            "description": t.description, "schema": table_schema(t),
        })
    return {
        "$schema": PROFILE, "name": "usua", "title": "U.S.-Ukraine security relations", "version": version,
        "description": "Entities, events and agreements in U.S.-Ukraine security relations, every fact "
                       "backed by quotes from the source documents.",
        "licenses": [{"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/",
                      "title": "Creative Commons Attribution 4.0"}],
        "resources": resources,
    }
