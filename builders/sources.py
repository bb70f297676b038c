"""Step 1: the source texts. Every text must be byte for byte the file its metadata describes."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from .errors import BuildError

DOCUMENTS_FILE = "documents.yaml"


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def check_source_hashes(sources_dir: Path) -> None:
    """Compare each text's SHA-256 with documents.yaml; report every mismatch at once.

    Only ``path`` and ``sha256`` are read here; the full validation of documents.yaml happens with
    the curation, so a malformed entry is reported there rather than twice.
    """
    from usua.validation.reader import read_contribution_file

    meta_path = sources_dir / DOCUMENTS_FILE
    rel = f"dataset/sources/{DOCUMENTS_FILE}"
    if not os.path.lexists(meta_path):
        raise BuildError(f"{rel}: file not found; the build needs the document metadata there")
    # the contribution reader: every limit of `usua validate` holds (depth, size, special files...);
    # a file it cannot read is reported, with the reason, by the validation of the curation
    file, _ = read_contribution_file(meta_path, name=rel)
    if file is None:
        return
    data = file.data
    problems = []
    docs = data.get("documents") if isinstance(data, dict) else None
    for i, doc in enumerate(docs or []):
        if (
            not isinstance(doc, dict)
            or not isinstance(doc.get("path"), str)
            or not isinstance(doc.get("sha256"), str)
            or Path(doc["path"]).name != doc["path"]
        ):
            continue  # reported by the validation of documents.yaml (a path is a plain file name)
        text_path = sources_dir / doc["path"]
        if not text_path.is_file():
            problems.append(
                f"{rel}: /documents/{i}/path: dataset/sources/{doc['path']} does not exist "
                "(add the text file or correct the path)"
            )
            continue
        actual = sha256_hex(text_path.read_bytes())
        if actual != doc["sha256"]:
            problems.append(
                f"dataset/sources/{doc['path']}: its SHA-256 is {actual} but {rel} /documents/{i}/sha256 says "
                f"{doc['sha256']} (source texts are never edited: restore the file as received, or, if a new "
                "version was received on purpose, update sha256)"
            )
    if problems:
        raise BuildError("source texts do not match their metadata:", problems)
