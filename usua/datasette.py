"""Datasette metadata for the SQLite export: `datasette usua.db -m usua.metadata.json`.

Table and column descriptions come from the table definitions the codebook is generated from
(usua.release_tables), so the three never disagree. Label columns let Datasette show a name instead of
a bare id wherever a foreign key points at an entity, event, agreement, document or role; facets are
the columns people filter on first; canned queries cover what a facet cannot (events per year).
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from .loading import release
from .release_tables import TABLE_NAMES, get_table

#: Column Datasette shows for a row where another table's foreign key points at it.
LABEL_COLUMNS = {
    "documents": "title",
    "entities": "name",
    "events": "title",
    "agreements": "name",
    "roles": "post",
    "statements": "text",
    "figures": "about",
    "disagreements": "aspect",
}

#: Facets offered on each table's page ({"array": col} for columns holding JSON lists).
FACETS: dict[str, list[Any]] = {
    "documents": ["kind", "publisher", "redistributable"],
    "entities": ["kind", "sector", "country"],
    "entity_aliases": ["kind"],
    "entity_identifiers": ["scheme"],
    "events": ["type", "status", "date_precision", "plover_type", {"array": "documents"}],
    "event_participants": ["role", "status"],
    "agreements": ["kind", "status", {"array": "areas"}],
    "agreement_provisions": ["kind", "certainty", {"array": "areas"}],
    "agreement_signatories": ["certainty"],
    "agreement_relations": ["type"],
    "statements": ["channel", "form", "speaker"],
    "figures": ["unit", "qualifier"],
    "evidence": ["record_type", "segment", "document"],
    "mentions": ["segment", "document"],
    "document_segments": ["kind", "document"],
}

QUERIES = {
    "events_per_year": {
        "title": "Events per year, by type and status",
        "description": "An event counts in the year of its earliest possible day (of its latest when its start is open); undated events form their own row.",
        "sql": "SELECT coalesce(substr(coalesce(date_earliest, date_latest), 1, 4), 'undated') AS year, type, status, "
        "count(*) AS events FROM events GROUP BY year, type, status ORDER BY year, events DESC",
    },
    "evidence_of_record": {
        "title": "The evidence of one record",
        "description": "Every quote supporting a record (an id such as evt:..., ent:..., agr:...), with its document.",
        "sql": "SELECT e.path, e.n, e.quote, d.title AS document, e.start, e.end, e.segment, e.note FROM evidence e "
        "JOIN documents d ON d.id = e.document WHERE e.record = :record ORDER BY e.path, e.n",
    },
}


def _column_description(col: Any) -> str:
    if col.type == "enum" and col.values and len(col.values) <= 30:
        return f"{col.description} One of: {', '.join(col.values)}."
    if col.type == "list":
        return f"{col.description} (A JSON list.)"
    return col.description


def datasette_metadata(
    database: str, *, version: str | None = None, release_dir: str | Path | None = None
) -> dict[str, Any]:
    """The metadata.json content for a SQLite export of a release named ``database`` (the file stem)."""
    rel = release(version, release_dir)
    tables: dict[str, Any] = {}
    for name in rel.table_names:
        if name not in TABLE_NAMES:
            continue
        t = get_table(name)
        entry: dict[str, Any] = {
            "description": t.description,
            "columns": {c.name: _column_description(c) for c in t.columns},
        }
        if name in LABEL_COLUMNS:
            entry["label_column"] = LABEL_COLUMNS[name]
        if name in FACETS:
            entry["facets"] = [f for f in FACETS[name] if (f["array"] if isinstance(f, dict) else f) in t.column_names]
        if name == "events":
            entry["sort"] = "date_earliest"
        tables[name] = entry
    return {
        "title": f"usua {rel.version}: U.S.–Ukraine security relations",
        "description": (
            "Entities, events and agreements in U.S.–Ukraine security relations. Every fact cites a "
            "source document and the exact quote that supports it (table evidence); dates keep "
            "their precision (columns *_precision, *_earliest, *_latest)."
        ),
        "license": "CC BY 4.0",
        "license_url": "https://creativecommons.org/licenses/by/4.0/",
        "source": f"usua release {rel.version} (schema {rel.manifest.get('schema_version')})",
        "databases": {database: {"tables": tables, "queries": QUERIES}},
    }


def write_datasette_metadata(
    db_file: str | Path, *, version: str | None = None, release_dir: str | Path | None = None
) -> Path:
    """Write ``<db stem>.metadata.json`` beside a SQLite export (atomically); return its path."""
    db_file = Path(db_file)
    out = db_file.with_name(f"{db_file.stem}.metadata.json")
    data = datasette_metadata(db_file.stem, version=version, release_dir=release_dir)
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}-", suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(data, f, indent=2, ensure_ascii=False)
        f.write("\n")
    os.replace(tmp, out)
    return out
