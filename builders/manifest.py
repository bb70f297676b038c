"""Step 5c: manifest.json, the fingerprint of a release: tables and every file's hash, among them
inputs.json, the hashes of the build's inputs (a file of its own: with one hash per source text it
outgrows the rest of the manifest, which every ``usua.load`` reads first)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from usua.release_folder import sha256_file as file_sha256

from .write_tables import json_text, write_text

INPUT_DIRS = ("dataset/sources", "dataset/curation")


def input_hashes(root: Path) -> dict[str, str]:
    out = {}
    for d in INPUT_DIRS:
        base = root / d
        if base.is_dir():
            for p in sorted(base.rglob("*")):
                if p.is_file() and not any(part.startswith(".") for part in p.relative_to(root).parts):
                    out[p.relative_to(root).as_posix()] = f"sha256:{file_sha256(p)}"
    return dict(sorted(out.items()))


def _describe(rel: str) -> tuple[str, str | None]:
    top, _, name = rel.partition("/")
    stem = name.split("/", 1)[0].split(".", 1)[0]  # parquet/<table>.parquet or parquet/<table>/year=…/part-0.parquet
    if top in ("parquet", "json", "jsonl", "csv"):
        return top, stem
    if top == "records":
        return "records", None
    if top == "schema":
        return "schema", None
    return ("markdown" if rel.endswith(".md") else "json"), None


def manifest(out: Path, root: Path, version: str, schema_version: str, table_rows: dict[str, int]) -> dict[str, Any]:
    """The manifest of the release in ``out``, after writing its inputs.json (which it lists)."""
    write_text(out / "inputs.json", json_text({"inputs": input_hashes(root)}))
    files = {}
    for p in sorted(out.rglob("*")):
        rel = p.relative_to(out).as_posix()
        if not p.is_file() or rel == "manifest.json":
            continue
        fmt, table = _describe(rel)
        if fmt == "parquet":
            import pyarrow.parquet as pq

            rows = pq.ParquetFile(p).metadata.num_rows  # a partition holds only part of its table
        else:
            rows = table_rows[table] if table else None
        files[rel] = {"sha256": file_sha256(p), "bytes": p.stat().st_size, "rows": rows, "table": table, "format": fmt}
    return {
        "dataset": "usua",
        "dataset_version": version,
        "schema_version": schema_version,
        "tables": {t: {"rows": n} for t, n in table_rows.items()},
        "files": files,
    }
