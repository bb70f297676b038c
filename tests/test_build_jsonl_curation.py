"""Curation may be kept as JSON Lines (the fast format for large batches): the release is the same."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import yaml

from builders.release import build_release

REPO = Path(__file__).resolve().parents[1]


def test_roles_as_json_lines_build_the_same_tables(tmp_path):
    root = tmp_path / "repo"
    shutil.copytree(REPO / "dataset", root / "dataset", ignore=shutil.ignore_patterns("releases"))
    (root / "builders").mkdir()
    roles_yaml = root / "dataset" / "curation" / "roles.yaml"
    data = yaml.safe_load(roles_yaml.read_text(encoding="utf-8"))
    lines = [json.dumps({"schema_version": data["schema_version"]})]
    lines += [json.dumps({"role": role}, ensure_ascii=False) for role in data["roles"]]
    roles_yaml.unlink()
    (root / "dataset" / "curation" / "roles.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")

    build_release(root)
    built = root / "dataset" / "releases"
    release = next(built.iterdir())
    committed = REPO / "dataset" / "releases" / release.name
    for table in ("roles", "evidence", "entities", "mentions"):
        assert (release / "json" / f"{table}.json").read_bytes() == (
            committed / "json" / f"{table}.json"
        ).read_bytes(), table
