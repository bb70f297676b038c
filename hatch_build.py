"""Wheel build hook: the wheel's bundled release (usua/_release) is taken from the one committed copy,
dataset/releases/<DATASET_VERSION>, so the version is written only in usua/version.py; the published
JSON Schema (usua/_schema) from schema/v<major>/."""

from __future__ import annotations

import re
from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class BundleRelease(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict) -> None:
        if version != "standard":  # an editable install reads the checkout's release directly
            return
        root = Path(self.root)
        found = re.search(
            r'^DATASET_VERSION = "([^"]+)"', (root / "usua" / "version.py").read_text(encoding="utf-8"), re.MULTILINE
        )
        if found is None:
            raise RuntimeError('usua/version.py has no DATASET_VERSION = "..." line')
        release = root / "dataset" / "releases" / found.group(1)
        if not (release / "manifest.json").is_file():
            raise RuntimeError(f"{release.relative_to(root)} has no manifest.json: run `make release` first")
        build_data["force_include"][str(release)] = "usua/_release"
        # the published JSON Schema, which `usua validate` reads instead of generating it from the models
        major = re.search(
            r'^SCHEMA_VERSION = "(\d+)\.', (root / "usua" / "version.py").read_text(encoding="utf-8"), re.M
        )
        if major is None:
            raise RuntimeError('usua/version.py has no SCHEMA_VERSION = "..." line')
        schema = root / "schema" / f"v{major.group(1)}"
        if not any(schema.glob("*.schema.json")):
            raise RuntimeError(f"{schema.relative_to(root)} has no schema files: run `usua build` first")
        build_data["force_include"][str(schema)] = "usua/_schema"
