"""Validating contributions: reading YAML/JSON/JSON Lines files, schema and model checks, unique ids,
references and evidence quotes, with every problem reported at once in plain words.

    from usua.validation import check_paths
    result = check_paths([Path("my-events.yaml")], sources_dir=Path("dataset/sources"))
    for p in result.problems:
        print(p.format())
"""

from __future__ import annotations

from pathlib import Path

from .check import check_paths
from .problems import DEFAULT_LIMITS, CheckResult, Limits, Problem
from .reader import RECORD_TYPES


def validate(
    *paths: str | Path,
    sources_dir: str | Path | None = None,
    known_ids: set[str] | None = None,
    release: str | Path | None = None,
    checkout: str | Path | None = None,
) -> CheckResult:
    """The verdict of `usua validate` on these files: ``usua.validate("file.yaml")``.

    Files in a checkout of the dataset (or given ``checkout``) are checked against the build's own
    inputs, as the command does inside it; other files against the bundled release (or ``release``, a
    release folder), whose records may be referred to but not defined again. ``sources_dir`` checks
    the quotes; ``known_ids`` may be referred to as well."""
    from .context import checkout_of, validate_files

    files = [Path(p) for p in paths]
    return validate_files(
        files,
        checkout=Path(checkout) if checkout else checkout_of(files),
        sources=Path(sources_dir) if sources_dir else None,
        release=Path(release) if release else None,
        known_ids=known_ids,
    )


__all__ = ["DEFAULT_LIMITS", "RECORD_TYPES", "CheckResult", "Limits", "Problem", "check_paths", "validate"]
