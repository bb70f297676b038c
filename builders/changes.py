"""Step 5d: the data changelog, ids added, removed and changed per table against the previous release."""

from __future__ import annotations

import json
from operator import itemgetter
from pathlib import Path
from typing import Any

from usua.models.keys import content_key
from usua.release_folder import version_key
from usua.release_tables import TABLES

from .write_tables import json_text


def previous_release(releases: Path, version: str) -> Path | None:
    """The release folder with the highest version below ``version``."""
    this = version_key(version)
    older = (
        [p for p in releases.iterdir() if p.is_dir() and (k := version_key(p.name)) and k < this]
        if releases.is_dir()
        else []
    )
    return max(older, key=lambda p: version_key(p.name)) if older else None


def row_keys(table, rows: list[dict[str, Any]]) -> list[str]:
    """Each row's key as the changelog shows it: its primary key columns as text, joined by " / "."""
    cols = table.primary_key
    if len(cols) == 1:
        return list(map(str, map(itemgetter(cols[0]), rows)))
    return [" / ".join(map(str, key)) for key in map(itemgetter(*cols), rows)]


#: Columns that say where an item stands in its list: a row that only moved has not changed.
_POSITIONS = ("n", "path")


def row_text(table, row: dict[str, Any]) -> str:
    """The row as JSON text (what the previous release stores), without its position unless that is its key."""
    moved = [c for c in _POSITIONS if c in row and c not in table.primary_key]
    if moved:
        row = {c: v for c, v in row.items() if c not in moved}
    return json.dumps(row, sort_keys=True, default=str)


def _keyed(table, rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return dict(zip(row_keys(table, rows), rows))


def _previous_rows(previous: Path, table: str) -> list[dict[str, Any]]:
    """A table of the previous release: its JSON copy, or its Parquet file when it was written compact."""
    path = previous / "json" / f"{table}.json"
    if path.is_file():
        return json.loads(path.read_text(encoding="utf-8"))
    parquet = previous / "parquet" / f"{table}.parquet"
    if not parquet.is_file():
        parquet = previous / "parquet" / table  # partitioned by year
    if not parquet.exists():
        return []
    import pyarrow.parquet as pq

    return pq.read_table(parquet, partitioning=None).to_pylist()


#: How a release written before nested items had keys gets them (release 1.2.0 added the key columns):
#: the same rules as usua.models.keys, applied to the old rows, so an unchanged item keeps its key.
_OLD_KEYS = {
    "agreement_provisions": lambda r: content_key(r["text"]),
    "disagreement_versions": lambda r: content_key(r["claim"]),
    "event_participants": lambda r: f"{r['role']}:{r['entity']}",
    "agreement_signatories": lambda r: r["person"],
    "agreement_relations": lambda r: f"{r['type']}:{r['target']}",
}
#: Key of a nested item from its JSON form in a release's records/ folder, by list name.
_RAW_ITEM_KEYS = {
    "provisions": lambda x: x.get("key") or content_key(x["text"]),
    "versions": lambda x: x.get("key") or content_key(x["claim"]),
    "relations": lambda x: f"{x['type']}:{x['target']}",
    "participants": lambda x: f"{x['role']}:{x['entity']}",
    "signatories": lambda x: x["person"],
}


def with_item_keys(tables: dict[str, list[dict[str, Any]]], records: dict[str, Any]) -> None:
    """Give the rows of an older release the columns it lacks (in place): the keys of nested items, so that
    it is compared with a new release item by item rather than position by position, and null for any
    other column added since. ``records``: its full records
    by id (records/*.json), which hold the items in their list order."""
    for name, key in _OLD_KEYS.items():
        for row in tables.get(name, []):
            row.setdefault("key", key(row))
    for row in tables.get("evidence", []):
        if "item" not in row:
            row["item"] = _raw_item_path(records.get(row["record"]), row["path"])
    for t in TABLES:  # a column added since is empty in the older rows: a row that leaves it so is unchanged
        for row in tables.get(t.name, []):
            for column in t.columns:
                row.setdefault(column.name, [] if column.type == "list" else None)


def _raw_item_path(record: Any, path: str) -> str:
    parts, node, out = path.split("/")[1:], record, []
    for name, index in zip(parts[::2], parts[1::2]):
        try:
            node = node[name][int(index)]
            out.append(f"/{name}/{_RAW_ITEM_KEYS[name](node)}")
        except (KeyError, IndexError, TypeError, ValueError):
            return path  # not an item the keys know: compared by position, as before
    return "".join(out)


def _old_records(previous: Path) -> dict[str, Any]:
    """The previous release's records by id; none when it was written compact (without records/):
    its rows then carry their item keys already (release 1.2.0 on)."""
    out: dict[str, Any] = {}
    for path in sorted((previous / "records").glob("*.json")):
        rows = json.loads(path.read_text(encoding="utf-8"))
        out.update((r["id"], r) for r in rows if isinstance(r, dict) and isinstance(r.get("id"), str))
    return out


class PreviousRelease:
    """The previous release's rows, read one table at a time (with its records, which give an older
    release's rows their item keys, read once), so that no two tables are held at once."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self._records: dict[str, Any] | None = None

    def keyed_rows(self, table) -> dict[str, dict[str, Any]]:
        if self.folder is None:
            return {}
        if self._records is None:
            self._records = _old_records(self.folder)
        old = {table.name: _previous_rows(self.folder, table.name)}
        with_item_keys(old, self._records)
        return _keyed(table, old[table.name])


class KeyCount:
    """Keys only counted: ``len()`` is their number. A compact first release writes how many rows each
    table adds, not their keys (``summarised``, ``changes_markdown(list_keys=False)``)."""

    __slots__ = ("n",)

    def __init__(self, n: int) -> None:
        self.n = n

    def __len__(self) -> int:
        return self.n


def key_count(table, rows: list[dict[str, Any]]) -> int:
    """``len(set(row_keys(table, rows)))`` for rows unique by primary key (as ``derive_table`` gives
    them), mostly without making the keys: when no key column but the last holds a space, the " / "
    joins split back at their first spaces, so distinct rows have distinct keys (numbers hold none)."""
    texts = [c.name for c in table.columns if c.name in table.primary_key[:-1] and c.type != "int"]
    if all(" " not in "".join(map(str, map(itemgetter(c), rows))) for c in texts):
        return len(rows)
    return len(set(row_keys(table, rows)))


def table_changes(
    table, rows: list[dict[str, Any]], previous: PreviousRelease, *, list_keys: bool = True
) -> dict[str, Any]:
    """The keys of one table's rows added, removed and changed against the previous release. Rows are
    unique by primary key. ``list_keys=False``: the release is compact, so a first release's changes
    are counts (``KeyCount``), its keys being every row of the tables: sorting them took most of this."""
    a = previous.keyed_rows(table)
    if not a and not list_keys and previous.folder is None:
        return {"added": KeyCount(key_count(table, rows)), "removed": [], "changed": []}
    if not a:  # a first release, or a new table: every row is added, and no row needs its text
        return {"added": sorted(set(row_keys(table, rows))), "removed": [], "changed": []}
    b = _keyed(table, rows)
    return {
        "added": sorted(set(b) - set(a)),
        "removed": sorted(set(a) - set(b)),
        # the JSON text of a row only for keys in both releases (most rows, at most, in a later one)
        "changed": sorted(k for k in set(a) & set(b) if row_text(table, a[k]) != row_text(table, b[k])),
    }


def changes(previous: Path | None, entries: dict[str, dict[str, list[str]]]) -> dict[str, Any]:
    """The data changelog from each table's ``table_changes`` (tables without changes left out)."""
    tables = {t.name: entries[t.name] for t in TABLES if t.name in entries and any(entries[t.name].values())}
    return {"previous": previous.name if previous else None, "tables": tables}


def changes_markdown(version: str, ch: dict[str, Any], *, list_keys: bool = True) -> str:
    """The changes for people; ``list_keys=False`` (a large release) gives counts, the keys being in
    changes.csv."""
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
                where = "changes.json" if list_keys else "the table"
                lines.append(f"- {what}: {len(keys)} rows (keys in {where})")
            elif keys and not list_keys:
                lines.append(f"- {what}: {len(keys)} rows (keys in changes.csv)")
            elif keys:
                lines.append(f"- {what} ({len(keys)}): " + ", ".join(f"`{k}`" for k in keys))
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def summarised(ch: dict[str, Any]) -> dict[str, Any]:
    """changes.json of a large release: how many rows were added, removed and changed per table; the
    keys themselves are in changes.csv (against a previous release) or are every key of the tables."""
    counts = {t: {what: len(keys) for what, keys in entry.items()} for t, entry in ch["tables"].items()}
    where = "changes.csv" if ch["previous"] else "every row of the tables is new"
    return {"previous": ch["previous"], "tables": counts, "keys": where}


def write_changes(out: Path, version: str, ch: dict[str, Any], *, full: bool = True) -> None:
    """changes.json and CHANGES.md; for a large release (not ``full``) counts, and the keys in changes.csv."""
    import csv

    from .write_tables import write_text

    if full:
        write_text(out / "changes.json", json_text(ch))
        write_text(out / "CHANGES.md", changes_markdown(version, ch))
        return
    write_text(out / "changes.json", json_text(summarised(ch)))
    if ch["previous"]:
        with open(out / "changes.csv", "w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh, lineterminator="\n")
            w.writerow(["table", "change", "key"])
            w.writerows((t, what, k) for t, entry in ch["tables"].items() for what, keys in entry.items() for k in keys)
    write_text(out / "CHANGES.md", changes_markdown(version, ch, list_keys=False))
