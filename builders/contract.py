"""Writes the public contract into schema/v<major>/: one JSON Schema per record type, the
contribution schema, and the codebook. Run by `usua build`; a test fails when the committed
files differ from what the models generate."""

from __future__ import annotations

from pathlib import Path

from usua.codebook import codebook_markdown
from usua.schema import MAJOR, all_schemas, dumps


def contract_files() -> dict[str, str]:
    """Relative path (under schema/) → file text."""
    files = {f"v{MAJOR}/{name}.schema.json": dumps(schema) for name, schema in all_schemas().items()}
    files[f"v{MAJOR}/CODEBOOK.md"] = codebook_markdown()
    return files


def write_contract(root: Path) -> list[Path]:
    """Write the files that changed; return their paths."""
    changed = []
    for rel, text in contract_files().items():
        path = root / "schema" / rel
        if path.exists() and path.read_text(encoding="utf-8") == text:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(path.suffix + ".tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
        changed.append(path)
    return changed


def stale_contract(root: Path) -> list[str]:
    """Files under schema/ that differ from what the models generate (empty = up to date)."""
    out = []
    for rel, text in contract_files().items():
        path = root / "schema" / rel
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            out.append(f"schema/{rel}")
    return out
