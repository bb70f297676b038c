"""Which fields of which records hold ids of other records, and whether those ids exist."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from ..models import Evidence
from ..models.base import ANY_ID_RE


def _list(name: str, ids: list[str]) -> Iterator[tuple[str, str]]:
    for i, v in enumerate(ids):
        yield f"/{name}/{i}", v


def referenced_ids(section: str, rec: Any) -> list[str]:
    """Every id a record refers to, evidence documents included: the fast path (no pointers built)."""
    if section == "documents":
        return []
    if section == "redirects":
        return [rec.to]
    out = [ev.document for ev in rec.evidence] if section != "disagreements" else []
    if section == "events":
        out.extend(p.entity for p in rec.participants)
        out.extend(rec.agreements)
        if rec.location:
            out.append(rec.location)
        if rec.part_of:
            out.append(rec.part_of)
    elif section == "entities":
        pass
    elif section == "statements":
        out.append(rec.speaker)
        out.extend(rec.relayed_by)
        if rec.addressee:
            out.append(rec.addressee)
        if rec.event:
            out.append(rec.event)
    elif section == "roles":
        out.append(rec.person)
        if rec.organization:
            out.append(rec.organization)
    elif section == "figures":
        out.extend(rec.subjects)
    else:  # agreements, disagreements: rarer and more nested
        out.extend(ref for _, ref in references(section, rec))
        for pointer, evidence in evidence_lists(section, rec):
            if pointer != "/evidence":
                out.extend(ev.document for ev in evidence)
    return out


def references(section: str, rec: Any) -> Iterator[tuple[str, str]]:
    """(pointer inside the record, referenced id) for every id-holding field except evidence documents."""
    if section == "events":
        for i, p in enumerate(rec.participants):
            yield f"/participants/{i}/entity", p.entity
        if rec.location:
            yield "/location", rec.location
        if rec.part_of:
            yield "/part_of", rec.part_of
        yield from _list("agreements", rec.agreements)
    elif section == "roles":
        yield "/person", rec.person
        if rec.organization:
            yield "/organization", rec.organization
    elif section == "statements":
        yield "/speaker", rec.speaker
        yield from _list("relayed_by", rec.relayed_by)
        if rec.addressee:
            yield "/addressee", rec.addressee
        if rec.event:
            yield "/event", rec.event
    elif section == "agreements":
        yield from _list("parties", rec.parties)
        for i, s in enumerate(rec.signatories):
            yield f"/signatories/{i}/person", s.person
            yield f"/signatories/{i}/on_behalf_of", s.on_behalf_of
            if s.role:
                yield f"/signatories/{i}/role", s.role
        for i, r in enumerate(rec.relations):
            yield f"/relations/{i}/target", r.target
        if rec.signing_event:
            yield "/signing_event", rec.signing_event
    elif section == "figures":
        yield from _list("subjects", rec.subjects)
    elif section == "disagreements":
        yield "/subject", rec.subject
    elif section == "redirects":
        yield "/to", rec.to


def evidence_lists(section: str, rec: Any) -> Iterator[tuple[str, list[Evidence]]]:
    """(pointer, evidence list) for each place a record of this section holds evidence (fast path)."""
    if section == "documents":
        return
    if section not in ("redirects", "disagreements"):
        yield "/evidence", rec.evidence
    if section == "agreements":
        for i, p in enumerate(rec.provisions):
            yield f"/provisions/{i}/evidence", p.evidence
        for i, r in enumerate(rec.relations):
            yield f"/relations/{i}/evidence", r.evidence
    elif section == "disagreements":
        for i, v in enumerate(rec.versions):
            yield f"/versions/{i}/evidence", v.evidence


def iter_evidence(model: BaseModel, pointer: str = "") -> Iterator[tuple[str, Evidence]]:
    """(pointer, evidence) for every evidence item anywhere inside a record."""
    for name in type(model).model_fields:
        value = getattr(model, name)
        if isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, Evidence):
                    yield f"{pointer}/{name}/{i}", item
                elif isinstance(item, BaseModel):
                    yield from iter_evidence(item, f"{pointer}/{name}/{i}")
        elif isinstance(value, BaseModel) and not isinstance(value, Evidence):
            yield from iter_evidence(value, f"{pointer}/{name}")


def replace_evidence(model: BaseModel, new: dict[str, Evidence], pointer: str = "") -> BaseModel:
    """A copy of the record with the evidence at the given pointers replaced (records are frozen)."""
    update: dict[str, Any] = {}
    for name in type(model).model_fields:
        value = getattr(model, name)
        if isinstance(value, list) and value and isinstance(value[0], BaseModel):
            items = []
            changed = False
            for i, item in enumerate(value):
                ptr = f"{pointer}/{name}/{i}"
                if isinstance(item, Evidence):
                    repl = new.get(ptr, item)
                else:
                    repl = replace_evidence(item, new, ptr)
                changed |= repl is not item
                items.append(repl)
            if changed:
                update[name] = items
    return model.model_copy(update=update) if update else model


def raw_references(node: Any, pointer: str = "") -> Iterator[tuple[str, str]]:
    """(pointer, id) for every id-shaped text other than a record's own id, in a record that failed
    validation: its references are still checked, so that every problem is reported in one run."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "id" and pointer == "":
                continue
            yield from raw_references(value, f"{pointer}/{str(key).replace('~', '~0').replace('/', '~1')}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from raw_references(value, f"{pointer}/{i}")
    elif isinstance(node, str) and ANY_ID_RE.fullmatch(node):
        yield pointer, node
