"""The claim checks of `usua validate`, with the build's own rules (usua.derivation): a claim names a
record that takes claims and a field it has, evidence names fields the record has, the claims can be
applied (the derived record is valid), and a disagreement on a field is a real conflict."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..claims import canonical
from ..derivation import CLAIMABLE, Derivation, derive, field_problem, model_of_id, value_problem
from .reader import Origin

_FIELD_HINT = "name one of the fields listed, as a JSON pointer ('/date'); '/<list>/-' adds one item to a list"


def check_claims(
    records: dict[str, list[Any]],
    origins: dict[str, list[Origin]],
    documents: dict[str, Any],
    problem: Callable[..., Any],
) -> tuple[list[Any], Derivation | None]:
    """Problems of claims, evidence ``supports`` and disagreements on a field (``problem`` as in
    check_curation), and the derivation of the records when it ran (the build applies the same one)."""
    out: list[Any] = []
    where: dict[str, tuple] = {}
    for section in (*CLAIMABLE, "claims", "disagreements"):
        for rec, origin in zip(records.get(section, []), origins.get(section, [])):
            if not hasattr(rec, "evidence") and section != "disagreements":
                return out, None  # id-only stubs of a bulk check: the claims are checked on full records
            where[rec.id] = origin
    for c in records.get("claims", []):
        model = model_of_id(c.record)
        if model is None:
            out.append(
                problem(
                    where[c.id],
                    "/record",
                    "claim-target",
                    f"{c.record} cannot take claims: claims are about roles, events, agreements, statements and figures",
                    "name the record whose field the document gives a value to",
                )
            )
            continue
        wrong = field_problem(model, c.field)
        if wrong:
            out.append(problem(where[c.id], "/field", "unknown-field", wrong, _FIELD_HINT))
    for section in CLAIMABLE:
        for rec in records.get(section, []):
            for i, ev in enumerate(rec.evidence):
                for j, ptr in enumerate(ev.supports):
                    wrong = field_problem(type(rec), ptr)
                    if wrong:
                        out.append(
                            problem(where[rec.id], f"/evidence/{i}/supports/{j}", "unknown-field", wrong, _FIELD_HINT)
                        )
    for d in records.get("disagreements", []):
        if d.field is None:
            continue
        model = model_of_id(d.subject)
        wrong = field_problem(model, d.field) if model is not None else f"{d.subject} cannot take claims"
        if wrong:
            out.append(problem(where[d.id], "/field", "unknown-field", wrong, _FIELD_HINT))
    if out:
        return out, None  # the derivation would only repeat these
    targets = {rec.id: rec for section in CLAIMABLE for rec in records.get(section, [])}
    for c in records.get("claims", []):
        if c.record in targets:
            message = value_problem(targets[c.record], c.field, c.value)
            if message:
                out.append(
                    problem(
                        where[c.id],
                        "/value",
                        "claim-invalid",
                        f"{c.field} of {c.record} cannot take the value {canonical(c.value)[:80]}: {message}",
                        "give a value the field accepts, as it would be written in the record",
                    )
                )
    invalid = {p.pointer for p in out}
    derivation = derive({**records, "documents": list(documents.values())})
    for who, ptr, message in derivation.failures:
        at = where.get(who)
        if at is None or (at[1] + "/value") in invalid:
            continue
        suffix = "/value" if who.startswith("clm:") else ptr
        out.append(
            problem(
                at,
                suffix,
                "claim-invalid",
                f"with this claim applied, {ptr} of the record is not valid: {message}",
                "give a value the field accepts, as it would be written in the record",
            )
        )
    for dis, message in derivation.idle_disagreements:
        out.append(
            problem(
                where[dis],
                "/field",
                "disagreement-without-conflict",
                message,
                "a disagreement records claims that cannot all be true; remove it, or correct its field",
            )
        )
    return out, derivation
