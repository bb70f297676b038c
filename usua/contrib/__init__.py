"""Validating contributions: reading YAML/JSON/JSON Lines files, schema and model checks, unique ids,
references and evidence quotes, with every problem reported at once in plain words.

    from usua.contrib import check_paths
    result = check_paths([Path("my-events.yaml")], sources_dir=Path("dataset/sources"))
    for p in result.problems:
        print(p.format())
"""

from __future__ import annotations

from pathlib import Path

from .check import check_paths
from .problems import DEFAULT_LIMITS, CheckResult, Limits, Problem
from .reader import RECORD_TYPES


def validate(*paths: str | Path, sources_dir: str | Path | None = None, known_ids: set[str] | None = None,
             release: str | Path | None = None, checkout: str | Path | None = None) -> CheckResult:
    """The verdict of `usua validate` on these files: ``usua.validate("file.yaml")``.

    As the command outside a checkout: the bundled release's records (or ``release``, a release
    folder) may be referred to but not defined again. With ``checkout`` (a checkout of the dataset) as
    the command inside it: the build's own inputs are the context. ``sources_dir`` checks the quotes;
    ``known_ids`` may be referred to as well."""
    from .context import validate_files

    return validate_files([Path(p) for p in paths], checkout=Path(checkout) if checkout else None,
                          sources=Path(sources_dir) if sources_dir else None,
                          release=Path(release) if release else None, known_ids=known_ids)


__all__ = ["DEFAULT_LIMITS", "RECORD_TYPES", "CheckResult", "Limits", "Problem", "check_paths", "validate"]
