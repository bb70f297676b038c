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


def validate(*paths: str | Path, sources_dir: str | Path | None = None, known_ids: set[str] | None = None) -> CheckResult:
    """Shortcut for ``check_paths``: ``usua.validate("file.yaml")``."""
    return check_paths([Path(p) for p in paths], sources_dir=Path(sources_dir) if sources_dir else None,
                       known_ids=known_ids)


__all__ = ["DEFAULT_LIMITS", "RECORD_TYPES", "CheckResult", "Limits", "Problem", "check_paths", "validate"]
