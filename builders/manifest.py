"""Step 5c: manifest.json, the fingerprint of a release: tables and every file's hash, among them
inputs.json, the hashes of the build's inputs (a file of its own: with one hash per source text it
outgrows the rest of the manifest, which every ``usua.load`` reads first)."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import Any

from usua.release_folder import sha256_file as file_sha256

from .write_tables import json_text, write_text

INPUT_DIRS = ("dataset/sources", "dataset/curation")


#: What ``Path.is_file`` takes for "not a file"; any other error (a file it may not read) is raised.
_NOT_THERE = {errno.ENOENT, errno.ENOTDIR, errno.EBADF, errno.ELOOP}


def _is_file(path: str) -> bool:
    """``Path(path).is_file()`` without making a Path (``os.path.isfile`` would hide a refused stat)."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except OSError as exc:
        if exc.errno in _NOT_THERE:
            return False
        raise


def input_hashes(root: Path, known: dict[str, str] | None = None) -> dict[str, str]:
    """sha256 of every input file; ``known`` (path from root -> hex digest) are files hashed already
    (the source texts, each checked against documents.yaml by the validation), not read again."""
    known = known or {}
    out = {}
    for d in INPUT_DIRS:
        base = root / d
        # os.walk lists a folder once (Path.rglob stats every entry again); neither enters linked folders.
        # A folder's path is made once, its files' as text (a Path per source text took most of this).
        for folder, _, names in os.walk(base):
            prefix = Path(folder).relative_to(root).as_posix()
            if any(part.startswith(".") for part in prefix.split("/")):
                continue
            for name in names:
                rel, p = f"{prefix}/{name}", os.path.join(folder, name)
                if not name.startswith(".") and _is_file(p):
                    out[rel] = f"sha256:{known.get(rel) or file_sha256(Path(p))}"
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
    return {".md": "markdown", ".csv": "csv"}.get(Path(rel).suffix, "json"), None


def manifest(
    out: Path,
    root: Path,
    version: str,
    schema_version: str,
    table_rows: dict[str, int],
    known_inputs: dict[str, str] | None = None,
) -> dict[str, Any]:
    """The manifest of the release in ``out``, after writing its inputs.json (which it lists)."""
    write_text(out / "inputs.json", json_text({"inputs": input_hashes(root, known_inputs)}))
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
