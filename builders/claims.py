"""Step 3b: the records the claims imply (usua.derivation); a claim the build cannot apply stops it."""

from __future__ import annotations

from typing import Any

from usua.derivation import DerivedRecords, derived_records

from .errors import BuildError


def derive_claims(records: dict[str, list[Any]]) -> DerivedRecords:
    derived = derived_records(records)
    d = derived.derivation
    problems = [f"{who}{ptr}: {msg} (run `usua validate`)" for who, ptr, msg in d.failures]
    problems += [f"{dis}: {msg}" for dis, msg in d.idle_disagreements]
    if problems:
        raise BuildError("the claims cannot be applied to their records:", problems)
    return derived
