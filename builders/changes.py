"""Step 5d: the data changelog, ids added, removed and changed per table against the previous release."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from usua.release_tables import TABLES

from .write_tables import json_text


def version_key(name: str) -> tuple[int, ...] | None:
    m = re.fullmatch(r"(\d+)\.(\d+)\.(\d+)", name)
    return tuple(map(int, m.groups())) if m else None


def previous_release(releases: Path, version: str) -> Path | None:
    """The release folder with the highest version below ``version``."""
    this = version_key(version)
    older = (
        [p for p in releases.iterdir() if p.is_dir() and (k := version_key(p.name)) and k < this]
        if releases.is_dir()
        else []
    )
    return max(older, key=lambda p: version_key(p.name)) if older else None


def row_key(table, row: dict[str, Any]) -> str:
    return " / ".join(str(row[c]) for c in table.primary_key)


def _comparable(tables: dict[str, list[dict[str, Any]]]) -> dict[str, dict[str, str]]:
    # compare through the JSON text, which is what the previous release stores
    return {
        t: {row_key(tt, r): json.dumps(r, sort_keys=True, default=str) for r in tables.get(t, [])}
        for tt in TABLES
        for t in [tt.name]
    }


def changes(tables: dict[str, list[dict[str, Any]]], previous: Path | None) -> dict[str, Any]:
    new = _comparable(tables)
    old: dict[str, dict[str, str]] = {}
    if previous is not None:
        for t in TABLES:
            path = previous / "json" / f"{t.name}.json"
            rows = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else []
            old[t.name] = {row_key(t, r): json.dumps(r, sort_keys=True, default=str) for r in rows}
    out: dict[str, Any] = {"previous": previous.name if previous else None, "tables": {}}
    for t in TABLES:
        a, b = old.get(t.name, {}), new[t.name]
        entry = {
            "added": sorted(set(b) - set(a)),
            "removed": sorted(set(a) - set(b)),
            "changed": sorted(k for k in set(a) & set(b) if a[k] != b[k]),
        }
        if any(entry.values()):
            out["tables"][t.name] = entry
    return out


def changes_markdown(version: str, ch: dict[str, Any]) -> str:
    lines = [f"# Data changes in release {version}", ""]
    lines.append(f"Compared with release {ch['previous']}." if ch["previous"] else "First release: every row is new.")
    lines.append("")
    if not ch["tables"]:
        lines += ["No row was added, removed or changed.", ""]
    for table, entry in ch["tables"].items():
        lines += [f"## {table}", ""]
        for what in ("added", "removed", "changed"):
            keys = entry[what]
            if keys and ch["previous"] is None:
                lines.append(f"- {what}: {len(keys)} rows (keys in changes.json)")
            elif keys:
                lines.append(f"- {what} ({len(keys)}): " + ", ".join(f"`{k}`" for k in keys))
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def write_changes(out: Path, version: str, ch: dict[str, Any]) -> None:
    from .write_tables import write_text

    write_text(out / "changes.json", json_text(ch))
    write_text(out / "CHANGES.md", changes_markdown(version, ch))
