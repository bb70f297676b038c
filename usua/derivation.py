"""Apply the claim rules (usua.claims) to a set of records: the derived records, every claim with its
credibility, each record's support, the status histories and the disagreements the claims imply.
Run by the build (on the curated records) and by `usua validate` (to report what the build would refuse)."""

from __future__ import annotations

import difflib
from collections import defaultdict
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any

from .claims import GRADES, STATUS_FIELD, Fact, Outcome, agrees, canonical, settle, stance_of
from .models.base import prefix_of
from .models.dates import date_fields
from .models.document import independent_documents, originals
from .models.disagreement import Disagreement, Version
from .models.registry import RECORD_TYPES

#: Sections whose records can be the subject of claims: those with evidence of their own.
CLAIMABLE = ("roles", "events", "agreements", "statements", "figures")
_SECTION_OF_PREFIX = {t.prefix: t.section for t in RECORD_TYPES if t.prefix}
_TYPE_OF_SECTION = {t.section: t.name for t in RECORD_TYPES}


def model_of_id(record_id: str) -> Any | None:
    """The model of the record type an id's prefix names, if records of that type take claims."""
    section = _SECTION_OF_PREFIX.get(prefix_of(record_id))
    if section not in CLAIMABLE:
        return None
    return next(t.model for t in RECORD_TYPES if t.section == section)


def field_problem(model: Any, pointer: str) -> str | None:
    """What is wrong with a field pointer on a record type (None when it names a field of it)."""
    name, _, append = pointer[1:].partition("/")
    fields = model.model_fields
    if name not in fields or name in ("id", "evidence"):
        names = [n for n in fields if n not in ("id", "evidence")]
        close = difflib.get_close_matches(name, names, n=1)
        guess = f"did you mean /{close[0]}? " if close else ""
        return (
            f"{model.__name__.lower()} records have no field {pointer.removesuffix('/-')}: {guess}"
            f"they have {', '.join('/' + n for n in names)}"
        )
    if append and not _is_list(fields[name]):
        return f"{pointer} adds an item, but /{name} is not a list: give the field as /{name}"
    return None


def value_problem(record: Any, pointer: str, value: Any) -> str | None:
    """What is wrong with the record once this one value is applied to the field (None if it is valid)."""
    name = pointer[1:].split("/")[0]
    data = record.model_dump(mode="json", exclude_none=True)
    data[name] = [*data.get(name, []), value] if pointer.endswith("/-") else value
    try:
        type(record).model_validate(data)
    except ValueError as exc:
        errors = getattr(exc, "errors", None)
        return "; ".join(e.get("msg", "") for e in errors()) if errors else str(exc)
    return None


def _is_list(info: Any) -> bool:
    return getattr(info.annotation, "__origin__", None) is list


@cache
def _has_status(model: Any) -> bool:
    return "status" in model.model_fields


@cache
def _holds_date(model: Any) -> dict[str, bool]:
    """Each field of a record type -> whether it holds a date (asked once per field with claims)."""
    dates = date_fields(model)
    return {name: name in dates for name in model.model_fields}


@dataclass
class Derivation:
    records: dict[str, list[Any]]
    facts: list[Fact] = field(default_factory=list)
    credibility: list[int] = field(default_factory=list)  # per fact
    held: list[bool] = field(default_factory=list)  # per fact: the derived record holds its value
    outcomes: dict[tuple[str, str], Outcome] = field(default_factory=dict)
    #: record id -> (independent documents, best source grade)
    support: dict[str, tuple[int, str]] = field(default_factory=dict)
    #: (claim or record id, pointer, message) for claims the build cannot apply
    failures: list[tuple[str, str, str]] = field(default_factory=list)
    #: hand-written disagreements on a field whose claims do not conflict: (id, message)
    idle_disagreements: list[tuple[str, str]] = field(default_factory=list)
    #: ids of the records that take claims among the given ones
    subjects: set[str] = field(default_factory=set)


def _value_of(record: Any, pointer: str) -> Any:
    value = getattr(record, pointer[1:])
    if isinstance(value, list):
        return [v.model_dump(mode="json", exclude_none=True) if hasattr(v, "model_dump") else v for v in value]
    if hasattr(value, "model_dump"):
        return value.model_dump(
            mode="json", exclude_none=True, exclude={"precision", "earliest", "latest", "approximate", "uncertain"}
        )
    return value


def derive(records: dict[str, list[Any]]) -> Derivation:
    """Everything the claims imply for these records (see usua.claims for the rules)."""
    docs = {d.id: d for d in records.get("documents", [])}

    as_of_doc: dict[str, tuple] = {}  # once per document: records cite few documents, many times

    def as_of(doc_id: str) -> tuple:
        found = as_of_doc.get(doc_id)
        if found is None:
            d = docs.get(doc_id)
            found = as_of_doc[doc_id] = (
                (d.published.earliest, d.published.latest, d.source_grade) if d is not None else (None, None, "F")
            )
        return found

    own: dict[str, tuple[str, Any]] = {}  # record id -> (section, record)
    facts: dict[tuple[str, str, str, str], Fact] = {}
    own_fields: set[tuple[str, str]] = set()  # (record, field) of the facts kept that come from no claim

    def add(f: Fact) -> None:
        k = (f.record, f.field, f.document, f.key)
        if k in facts:  # one claim per document and value; its quotes gather (the first one's claim stays)
            old = facts[k]
            facts[k] = replace(old, evidence=old.evidence + f.evidence)
        else:
            facts[k] = f
            if f.claim is None:
                own_fields.add((f.record, f.field))

    from .validation.references import evidence_items  # the one walk over nested evidence

    support_docs: dict[str, set[str]] = defaultdict(set)
    for section in CLAIMABLE:
        for rec in records.get(section, []):
            own[rec.id] = (section, rec)
            whole = ("", STATUS_FIELD) if _has_status(rec.__class__) else ("",)  # what evidence naming no field claims
            for ev in rec.evidence:
                e, l, g = as_of(ev.document)
                for ptr in ev.supports or whole:
                    value = None if ptr == "" else _value_of(rec, ptr)
                    add(Fact(rec.id, ptr, value, ev.document, e, l, g, ev.credibility, stance_of(ptr, value), (ev,)))
            support_docs[rec.id].update([ev.document for ev in evidence_items(section, rec)])

    claims = records.get("claims", [])
    for c in claims:
        doc = c.evidence[0].document
        e, l, g = as_of(doc)
        add(
            Fact(
                c.record,
                c.field,
                c.value,
                doc,
                e,
                l,
                g,
                c.credibility,
                c.stance or stance_of(c.field, c.value),
                tuple(c.evidence),
                c.id,
            )
        )
        support_docs[c.record].add(doc)
        # the record's own value takes part in the settlement, from the documents that support it whole
        if c.record in own and not c.field.endswith("/-"):
            rec = own[c.record][1]
            if (c.record, c.field) not in own_fields:
                for ev in rec.evidence:
                    if not ev.supports:
                        ee, ll, gg = as_of(ev.document)
                        value = _value_of(rec, c.field)
                        add(
                            Fact(
                                c.record,
                                c.field,
                                value,
                                ev.document,
                                ee,
                                ll,
                                gg,
                                ev.credibility,
                                stance_of(c.field, value),
                                (ev,),
                            )
                        )

    out = Derivation(records=dict(records), subjects=set(own))
    out.facts = [facts[k] for k in sorted(facts)]  # by (record, field, document, key): each claim's own key
    by_field: dict[tuple[str, str], list[Fact]] = defaultdict(list)
    for f in out.facts:
        by_field[(f.record, f.field)].append(f)

    updates: dict[str, dict[str, Any]] = defaultdict(dict)
    for (rid, ptr), group in by_field.items():
        if not ptr or rid not in own:
            continue  # a record of the release only: the build of that release settles it
        name = ptr[1:].split("/")[0]
        is_date = _holds_date(own[rid][1].__class__).get(name)
        if is_date is None:
            continue  # no such field: reported by the validation
        outcome = settle(ptr, group, is_date=is_date)
        out.outcomes[(rid, ptr)] = outcome
        current = _value_of(own[rid][1], "/" + name)
        if ptr.endswith("/-"):
            have = {canonical(v) for v in current}
            extra = [v for v in outcome.value if canonical(v) not in have]
            if extra:
                updates[rid][name] = updates[rid].get(name, current) + extra
            outcome.held = {canonical(v) for v in current + extra}
        elif canonical(outcome.value) != canonical(current):
            updates[rid][name] = outcome.value

    replaced: dict[str, dict[str, Any]] = defaultdict(dict)  # section -> record id -> derived record
    for rid, changes in updates.items():
        section, rec = own[rid]
        data = rec.model_dump(mode="json", exclude_none=True)
        data.update(changes)
        try:
            new = type(rec).model_validate(data)
        except ValueError as exc:
            detail = "; ".join(e.get("msg", str(e)) for e in getattr(exc, "errors", lambda: [])()) or str(exc)
            for name in changes:
                blame = sorted(
                    {f.claim for f in out.facts if f.record == rid and f.claim and f.field.startswith(f"/{name}")}
                )
                out.failures.append(((blame or [rid])[0], f"/{name}", detail))
            continue
        replaced[section][rid] = new
    for section, new_of in replaced.items():
        out.records[section] = [new_of.get(r.id, r) for r in out.records[section]]

    # credibility: a curator's grade, else confirmed (1), contradicted (4) or not judged (6); field by
    # field, whose facts follow one another in out.facts (sorted by record and field first)
    credibility, held = out.credibility, out.held
    for (rid, ptr), group in by_field.items():
        settled = out.outcomes.get((rid, ptr))
        contested = settled is not None and bool(settled.versions)
        is_date = None
        for f in group:
            if f.credibility is not None:
                grade = f.credibility
            elif contested:
                grade = 4
            elif len(group) == 1:
                grade = 6  # no other document to agree with
            else:
                if is_date is None:
                    target = own[rid][1].__class__ if rid in own else None
                    is_date = bool(target and ptr and ptr[1:].split("/")[0] in date_fields(target))
                grade = 1 if any(o.document != f.document and agrees(f, o, is_date) for o in group) else 6
            credibility.append(grade)
            held.append(ptr == "" or settled is None or f.key in settled.held)

    root = originals(docs.values())  # once: it reads every document
    support_of: dict[frozenset[str], tuple[int, str]] = {}  # records cite the same few documents
    for rid, documents in support_docs.items():
        cited = frozenset(documents)
        found = support_of.get(cited)
        if found is None:
            ind = independent_documents(cited, docs.values(), root=root)  # a copy counts as its original
            grades = [as_of(d)[2] for d in ind]
            found = support_of[cited] = (len(ind), min(grades, key=GRADES.index) if grades else "F")
        out.support[rid] = found

    out.records["disagreements"] = _disagreements(records.get("disagreements", []), out)
    return out


def _version(ptr: str, group: list[Fact]) -> Version:
    value = group[0].value
    shown = value if isinstance(value, str) else canonical(value)
    evidence = [ev for f in group for ev in f.evidence]
    return Version(claim=f"{ptr[1:]}: {shown}", evidence=evidence, value=value)


def _disagreements(written: list[Disagreement], out: Derivation) -> list[Disagreement]:
    """The hand-written disagreements (those naming a field get their versions from the claims when they
    give none) and one derived disagreement per other conflict."""
    result, covered = [], set()
    for d in written:
        if d.field is None:
            result.append(d)
            continue
        covered.add((d.subject, d.field))
        if d.subject not in out.subjects:
            result.append(d)  # its subject is in other files or the release: judged where they are read
            continue
        outcome = out.outcomes.get((d.subject, d.field))
        if outcome is None or not outcome.versions:
            out.idle_disagreements.append(
                (
                    d.id,
                    f"the claims on {d.subject} {d.field} do not conflict"
                    + (
                        " (a later as-of supersedes an earlier one: that is a status history)"
                        if d.field == STATUS_FIELD
                        else ""
                    ),
                )
            )
            result.append(d)
            continue
        if d.versions:
            result.append(d)
        else:
            result.append(d.model_copy(update={"versions": [_version(d.field, g) for g in outcome.versions]}))
    conflicts = [k for k, outcome in out.outcomes.items() if outcome.versions and k not in covered]
    for rid, ptr in sorted(conflicts):  # few of the fields conflict: only those are sorted
        outcome = out.outcomes[(rid, ptr)]
        prefix, slug = rid.split(":", 1)
        result.append(
            Disagreement(
                id=f"dis:{prefix}-{slug}-{ptr[1:].replace('_', '-')}"[:120],
                subject=rid,
                field=ptr,
                aspect=f"{ptr[1:]}: the sources give different values (derived from the claims)",
                versions=[_version(ptr, g) for g in outcome.versions],
            )
        )
    return result


class DerivedRecords(dict):
    """Sections -> derived records, with the derivation that made them (for the claims tables)."""

    derivation: Derivation


def derived_records(records: dict[str, list[Any]], derivation: Derivation | None = None) -> DerivedRecords:
    """The records the claims imply (records already derived are returned as they are); ``derivation``:
    the one already made of these very records (by the validation), so it is not made again."""
    if isinstance(records, DerivedRecords):
        return records
    d = derivation if derivation is not None else derive(records)
    out = DerivedRecords(d.records)
    out.derivation = d
    return out
