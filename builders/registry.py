"""Step 6: keep usua/release-registry.txt, the package's list of published manifest hashes, in step
with the release folders: every version in dataset/releases/ has its line (see usua.release_registry)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from usua.release_folder import sha256_file, version_key
from usua.release_registry import format_registry, read_registry


def release_hashes(releases: Path) -> dict[str, str]:
    """Version → sha256 of manifest.json for every release folder."""
    if not releases.is_dir():
        return {}
    return {
        p.name: sha256_file(p / "manifest.json")
        for p in releases.iterdir()
        if p.is_dir() and version_key(p.name) and (p / "manifest.json").is_file()
    }


def stale_registry(registry: Path, expected: dict[str, str]) -> list[str]:
    """What is wrong with the registry file, given the manifest hash each version must have."""
    have = read_registry(registry)
    out = []
    for version, sha in sorted(expected.items(), key=lambda kv: version_key(kv[0]) or ()):
        if version not in have:
            out.append(f"{registry.name}: has no line for release {version} (manifest sha256 {sha})")
        elif have[version] != sha:
            out.append(
                f"{registry.name}: release {version} is pinned to manifest sha256 {have[version]}, "
                f"but its manifest has {sha}"
            )
    return out


def update_registry(registry: Path, releases: Path) -> list[str]:
    """Add or correct the line of every release folder; notes for the build summary."""
    have = read_registry(registry)
    now = release_hashes(releases)
    notes = [
        f"{registry.name}: release {v}'s manifest changed (was {have[v]}); a published release must not "
        "change: raise DATASET_VERSION in usua/version.py if this one was published"
        for v in sorted(now)
        if v in have and have[v] != now[v]
    ]
    merged = {**have, **now}  # versions published earlier but no longer in the folder keep their line
    text = format_registry(merged)
    if not registry.is_file() or registry.read_text(encoding="utf-8") != text:
        registry.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=registry.parent, prefix=f".{registry.name}-", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, registry)
    return notes
