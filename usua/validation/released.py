"""Released ids stay resolvable: every id a published release holds is, in each later release, a record,
a redirect (merged into the record that now holds its facts) or a withdrawal (retired, with a reason),
as open-data users expect of OpenSanctions' or Wikidata's ids.

The published releases are those ``usua/release-registry.txt`` lists, read from their committed folders
``dataset/releases/<version>/``: ``records/<section>.json``, or the Parquet tables of a compact release,
which has no ``records/``. The build (``builders/curation.py``) and `usua validate` in a checkout (with
the whole curation: ``check.py``) run this one check, in the same words.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Set
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..models.registry import ID_PREFIXES, RECORD_TYPES
from ..release_folder import version_key
from .problems import Problem
from .records import RecordStub

REGISTRY_FILE = "usua/release-registry.txt"
RELEASES_FOLDER = "dataset/releases"
#: The table of a record type names its records in ``id``, except the claims table (one row per value),
#: which names the claim record a value comes from in ``claim`` (null for a record's own evidence).
_ID_COLUMN = {"claims": "claim"}
_DISAGREEMENT = ID_PREFIXES["disagreement"] + ":"


def _shown(path: Path) -> str:
    from .dataset_rules import shown

    return shown(path)


def release_ids(folder: Path) -> list[str]:
    """Every id a release folder holds: its records, redirects and withdrawals."""
    records = folder / "records"
    if records.is_dir():
        ids: list[str] = []
        for path in sorted(records.glob("*.json")):
            rows = json.loads(path.read_text(encoding="utf-8"))
            ids += [r["id"] for r in rows if isinstance(r, dict) and isinstance(r.get("id"), str)]
        return ids
    return _parquet_ids(folder)


def _parquet_ids(folder: Path) -> list[str]:
    """The ids of a compact release (no records/), from the tables with one row per record."""
    import pyarrow.parquet as pq

    from ..release_folder import table_parquet_files

    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    ids: list[str] = []
    for table in dict.fromkeys(t.table for t in RECORD_TYPES):
        column = _ID_COLUMN.get(table, "id")
        for rel in table_parquet_files(manifest, table):
            values = pq.read_table(folder / rel, columns=[column]).column(column).to_pylist()
            ids += [v for v in values if isinstance(v, str)]
    return ids


@lru_cache(maxsize=16)
def _cached_ids(folder: str, stamp: tuple[int, int]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(release_ids(Path(folder))))


def _ids_of(folder: Path) -> tuple[str, ...]:
    """A committed release's ids, read once per process while its manifest is unchanged."""
    st = (folder / "manifest.json").stat()
    return _cached_ids(str(folder), (st.st_size, st.st_mtime_ns))


def checkout_releases(dataset_root: Path) -> tuple[Path, Path]:
    """The releases folder and the registry of a checkout."""
    return Path(dataset_root) / RELEASES_FOLDER, Path(dataset_root) / REGISTRY_FILE


def published_releases(registry: Path, current: str) -> list[str]:
    """The versions the registry lists that come before ``current`` (the version being built), oldest first."""
    from ..release_registry import read_registry

    def order(version: str) -> tuple[int, ...]:  # a build of another name ('dev') comes before every release
        return version_key(version) or ()

    return sorted((v for v in read_registry(registry) if order(v) < order(current)), key=order)


def made_ids(records: dict[str, list[Any]], derivation: Any) -> tuple[set[str], bool]:
    """The ids a release made of these records holds: theirs and those of the records the build derives
    from the claims (the disagreements it finds); and whether the derived ones are known (not when a
    bulk check kept id-only stubs, of which the claims are not derived)."""
    ids = {rec.id for recs in records.values() for rec in recs}
    if derivation is not None:
        return ids | {rec.id for recs in derivation.records.values() for rec in recs}, True
    return ids, not any(type(rec) is RecordStub for recs in records.values() for rec in recs)


def check_released(
    ids: Set[str], current: str, releases: Path, registry: Path | None, derived_unknown: bool = False
) -> list[Problem]:
    """A problem for every id published by a release before ``current`` that is not among ``ids`` (the
    records, redirects and withdrawals of the release being made), and for a registered release whose
    folder is missing. ``releases``: the folder of the release folders; ``registry``: the registry file
    that says which are published (None, or no such file: nothing is published). ``derived_unknown``:
    the disagreements the build derives from claims are not known, so missing disagreements are not
    told (the build, which always derives them, tells them)."""
    if registry is None or not registry.is_file():
        return []
    out: list[Problem] = []
    published: dict[str, list[str]] = {}  # id -> the releases that published it
    for version in published_releases(registry, current):
        folder = releases / version
        if not (folder / "manifest.json").is_file():
            out.append(
                Problem(
                    _shown(folder),
                    None,
                    "",
                    "missing-release",
                    f"release {version} is listed in {REGISTRY_FILE} but its folder is missing, so its ids "
                    "cannot be checked",
                    f"restore the committed release (git checkout -- {RELEASES_FOLDER}/{version})",
                )
            )
            continue
        for rec_id in _ids_of(folder):
            published.setdefault(rec_id, []).append(version)
    out += [
        gone_problem(rec_id, versions, releases)
        for rec_id, versions in published.items()
        if rec_id not in ids and not (derived_unknown and rec_id.startswith(_DISAGREEMENT))
    ]
    return out


def gone_problem(rec_id: str, versions: Iterable[str], releases: Path) -> Problem:
    """A released id that the new release would drop: what is wrong, which releases published it, the fix."""
    versions = list(versions)
    where = f"release {versions[0]}" if len(versions) == 1 else f"releases {versions[0]} to {versions[-1]}"
    return Problem(
        _shown(releases / versions[0]),
        None,
        "",
        "released-id-missing",
        f"{rec_id} was published in {where} and is not in this release as a record, a redirect or a "
        "withdrawal (a released id never stops resolving)",
        "keep the record, or add a redirect to the record that now holds its facts (redirects: {id, to, "
        "reason}), or withdraw it with a reason (withdrawals: {id, reason}, e.g. in dataset/curation/withdrawals.yaml)",
    )
