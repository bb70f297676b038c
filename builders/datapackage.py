"""Step 5b: datapackage.json, a Frictionless Data Package v2 describing every table.

Each resource is the table's CSV file, because that is what the `frictionless` validator checks in
full (bytes, sha256 hash, types, constraints, primary and foreign keys). Its Parquet reader goes through
pandas, never sees the file bytes (no hash or byte check) and rejects list columns; its tabular JSON
reader checks no hash and fails on an empty table. The Parquet twin of each table is named in the
resource's `x-parquet` (path, sha256, bytes; or, for a table partitioned by year, its folder and files), and manifest.json lists every file's hash for usua's own
verification. In the CSV files lists are JSON arrays and an empty cell is null, except in required
text columns, where it is an empty string (the `path` of evidence about a record itself). A compact
release (builders.write_tables.full_outputs) gzips its CSV files: `"compression": "gz"`, which
frictionless reads; the resource's hash and bytes are the stored file's."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from usua.release_tables import TABLES, Table

from .manifest import file_sha256

PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
_TYPES = {
    "string": "string",
    "int": "integer",
    "float": "number",
    "bool": "boolean",
    "date": "date",
    "list": "array",
    "enum": "string",
}


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
        if not c.nullable and c.type == "string":
            f["missingValues"] = []  # a required text column has no nulls: an empty cell is ""
        fields.append(f)
    schema: dict[str, Any] = {"fields": fields, "missingValues": [""], "primaryKey": list(t.primary_key)}
    if t.foreign_keys:
        schema["foreignKeys"] = [
            {"fields": [col], "reference": {"resource": ref if ref != t.name else "", "fields": [ref_col]}}
            for col, ref, ref_col in t.foreign_keys
        ]
    return schema


def _parquet_twin(out: Path, name: str) -> dict[str, Any]:
    single = out / "parquet" / f"{name}.parquet"
    if single.exists():
        return {
            "path": f"parquet/{name}.parquet",
            "mediatype": "application/vnd.apache.parquet",
            "hash": f"sha256:{file_sha256(single)}",
            "bytes": single.stat().st_size,
        }
    parts = sorted((out / "parquet" / name).rglob("*.parquet"))  # a large table, partitioned by year
    return {
        "path": f"parquet/{name}/",
        "mediatype": "application/vnd.apache.parquet",
        "partitioning": "hive",
        "files": [p.relative_to(out).as_posix() for p in parts],
    }


def datapackage(out: Path, version: str) -> dict[str, Any]:
    resources = []
    for t in TABLES:
        rel = f"csv/{t.name}.csv"
        compressed = not (out / rel).exists() and (out / f"{rel}.gz").exists()
        rel += ".gz" if compressed else ""
        resources.append(
            {
                "name": t.name,
                "type": "table",
                "path": rel,
                "format": "csv",
                **({"compression": "gz"} if compressed else {}),
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "hash": f"sha256:{file_sha256(out / rel)}",
                "bytes": (out / rel).stat().st_size,
                "description": t.description,
                "schema": table_schema(t),
                "x-parquet": _parquet_twin(out, t.name),
            }
        )
    return {
        "$schema": PROFILE,
        "name": "usua",
        "title": "U.S.-Ukraine security relations",
        "version": version,
        "description": "Entities, events and agreements in U.S.-Ukraine security relations, every fact "
        "backed by quotes from the source documents.",
        "licenses": [
            {
                "name": "CC-BY-4.0",
                "path": "https://creativecommons.org/licenses/by/4.0/",
                "title": "Creative Commons Attribution 4.0",
            }
        ],
        "resources": resources,
    }
