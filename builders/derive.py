"""Step 4: every release table as rows (dicts in column order) derived from the validated records."""

from __future__ import annotations

import operator

from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from usua.models.registry import RECORD_TYPES
from usua.models.vocab import EVENT_TYPES
from usua.release_tables import TABLES, get_table

from .curation import walk_evidence
from .errors import BuildError
from .segments import segment_spans

Row = dict[str, Any]
Records = dict[str, list[Any]]

#: Section -> record type, for the records that carry evidence (those with ids of their own).
_SECTION_TYPE = {t.section: t.name for t in RECORD_TYPES if t.prefix is not None}


def date_cols(prefix: str, dv) -> Row:
    """One DateValue as the seven date columns; an absent date is seven nulls."""
    if dv is None:
        return {
            prefix: None,
            f"{prefix}_precision": None,
            f"{prefix}_earliest": None,
            f"{prefix}_latest": None,
            f"{prefix}_method": None,
            f"{prefix}_stated_as": None,
            f"{prefix}_basis": None,
        }
    return {
        prefix: dv.value,
        f"{prefix}_precision": dv.precision,
        f"{prefix}_earliest": dv.earliest,
        f"{prefix}_latest": dv.latest,
        f"{prefix}_method": dv.method,
        f"{prefix}_stated_as": dv.stated_as,
        f"{prefix}_basis": dv.basis,
    }


def decimal_text(value: Decimal) -> str:
    """Exact decimal without exponent: Decimal('2.5E+9') -> '2500000000'."""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _documents(r: Records, texts: dict[str, str]) -> Iterable[Row]:
    for d in r.get("documents", []):
        yield {
            "id": d.id,
            "title": d.title,
            "publisher": d.publisher,
            "publisher_basis": d.publisher_basis,
            "authors": list(d.authors),
            "url": d.url,
            "language": d.language,
            "kind": d.kind,
            **date_cols("published", d.published),
            "path": d.path,
            "sha256": d.sha256,
            "characters": len(texts[d.id]),
            "redistributable": d.rights.redistributable,
            "licence": d.rights.licence,
            "rights_note": d.rights.note,
            "reliability": list(d.reliability),
        }


def _document_segments(r: Records, texts: dict[str, str]) -> Iterable[Row]:
    for d in r.get("documents", []):
        for s in segment_spans(d, texts[d.id]):
            yield {
                "document": d.id,
                "n": s.n,
                "kind": s.kind,
                "first_line": s.first_line,
                "last_line": s.last_line,
                "start": s.start,
                "end": s.end,
                "note": s.note,
            }


def _identifier(e, scheme: str) -> str | None:
    return next((i.value for i in e.identifiers if i.scheme == scheme), None)


def _entities(r: Records, texts) -> Iterable[Row]:
    for e in r.get("entities", []):
        yield {
            "id": e.id,
            "kind": e.kind,
            "name": e.name,
            "aliases": [a.name for a in e.aliases],
            "wikidata": _identifier(e, "wikidata"),
            "iso3166_alpha3": _identifier(e, "iso3166-1-alpha3"),
            "country": e.country,
            "sector": e.sector,
            "description": e.description,
        }


def _entity_aliases(r: Records, texts) -> Iterable[Row]:
    for e in r.get("entities", []):
        for a in e.aliases:
            yield {"entity": e.id, "alias": a.name, "kind": a.kind, "basis": a.basis}


def _entity_identifiers(r: Records, texts) -> Iterable[Row]:
    for e in r.get("entities", []):
        for i in e.identifiers:
            yield {"entity": e.id, "scheme": i.scheme, "value": i.value}


def _roles(r: Records, texts) -> Iterable[Row]:
    for x in r.get("roles", []):
        yield {
            "id": x.id,
            "person": x.person,
            "post": x.post,
            "organization": x.organization,
            **date_cols("start", x.start),
            **date_cols("end", x.end),
            **date_cols("attested", x.attested),
        }


def _documents_of(evidence_lists: Iterable) -> list[str]:
    return sorted({ev.document for evs in evidence_lists for ev in evs})


def _events(r: Records, texts) -> Iterable[Row]:
    for e in r.get("events", []):
        info = EVENT_TYPES[e.type]
        yield {
            "id": e.id,
            "type": e.type,
            "plover_type": info.plover,
            "plover_mode": info.plover_mode,
            "plover_context": info.plover_context,
            "cameo": info.cameo,
            "title": e.title,
            "summary": e.summary,
            "status": e.status,
            **date_cols("date", e.date),
            **date_cols("end_date", e.end_date),
            "location": e.location,
            "part_of": e.part_of,
            "agreements": list(e.agreements),
            "documents": _documents_of([e.evidence]),
        }


def _event_participants(r: Records, texts) -> Iterable[Row]:
    for e in r.get("events", []):
        for p in e.participants:
            yield {"event": e.id, "entity": p.entity, "role": p.role, "status": p.status, "note": p.note}


def _agreements(r: Records, texts) -> Iterable[Row]:
    for a in r.get("agreements", []):
        yield {
            "id": a.id,
            "name": a.name,
            "kind": a.kind,
            "status": a.status,
            **date_cols("announced", a.announced),
            **date_cols("signed", a.signed),
            **date_cols("adopted", a.adopted),
            **date_cols("in_force", a.in_force),
            **date_cols("expires", a.expires),
            "duration": a.duration,
            "purpose": a.purpose,
            "areas": list(a.areas),
            "signing_event": a.signing_event,
        }


def _agreement_parties(r: Records, texts) -> Iterable[Row]:
    for a in r.get("agreements", []):
        for p in a.parties:
            yield {"agreement": a.id, "entity": p}


def _agreement_signatories(r: Records, texts) -> Iterable[Row]:
    for a in r.get("agreements", []):
        for s in a.signatories:
            yield {
                "agreement": a.id,
                "person": s.person,
                "capacity": s.capacity,
                "on_behalf_of": s.on_behalf_of,
                "role": s.role,
                "certainty": s.certainty,
            }


def _agreement_provisions(r: Records, texts) -> Iterable[Row]:
    for a in r.get("agreements", []):
        for n, p in enumerate(a.provisions):
            yield {
                "agreement": a.id,
                "n": n,
                "kind": p.kind,
                "text": p.text,
                "areas": list(p.areas),
                "certainty": p.certainty,
            }


def _agreement_relations(r: Records, texts) -> Iterable[Row]:
    for a in r.get("agreements", []):
        for x in a.relations:
            yield {"agreement": a.id, "type": x.type, "target": x.target, "basis": x.basis}


def _statements(r: Records, texts) -> Iterable[Row]:
    for s in r.get("statements", []):
        yield {
            "id": s.id,
            "speaker": s.speaker,
            "relayed_by": list(s.relayed_by),
            "addressee": s.addressee,
            **date_cols("date", s.date),
            "channel": s.channel,
            "form": s.form,
            "text": s.text,
            "language_note": s.language_note,
            "event": s.event,
        }


def _figures(r: Records, texts) -> Iterable[Row]:
    for f in r.get("figures", []):
        yield {
            "id": f.id,
            "about": f.about,
            "value": float(f.value),
            "value_text": decimal_text(f.value),
            "unit": f.unit,
            "qualifier": f.qualifier,
            **date_cols("period", f.period),
            "subjects": list(f.subjects),
        }


def _disagreements(r: Records, texts) -> Iterable[Row]:
    for d in r.get("disagreements", []):
        yield {"id": d.id, "subject": d.subject, "aspect": d.aspect, "note": d.note}


def _disagreement_versions(r: Records, texts) -> Iterable[Row]:
    for d in r.get("disagreements", []):
        for n, v in enumerate(d.versions):
            yield {"disagreement": d.id, "n": n, "claim": v.claim, "documents": _documents_of([v.evidence])}


def _evidence(r: Records, texts) -> Iterable[Row]:
    for section, record_type in _SECTION_TYPE.items():
        for rec in r.get(section, []):
            for path, n, ev in walk_evidence(rec):
                if ev.start is None or ev.segment is None:
                    raise BuildError(f"{rec.id}{path}/evidence/{n}: evidence without offsets reached the tables")
                yield {
                    "record": rec.id,
                    "record_type": record_type,
                    "path": path,
                    "n": n,
                    "document": ev.document,
                    "quote": texts[ev.document][ev.start : ev.end],
                    "start": ev.start,
                    "end": ev.end,
                    "segment": ev.segment,
                    "note": ev.note,
                }


def _redirects(r: Records, texts) -> Iterable[Row]:
    for x in r.get("redirects", []):
        yield {"id": x.id, "to": x.to, "reason": x.reason}


DERIVERS: dict[str, Callable[[Records, dict[str, str]], Iterable[Row]]] = {
    "documents": _documents,
    "document_segments": _document_segments,
    "entities": _entities,
    "entity_aliases": _entity_aliases,
    "entity_identifiers": _entity_identifiers,
    "roles": _roles,
    "events": _events,
    "event_participants": _event_participants,
    "agreements": _agreements,
    "agreement_parties": _agreement_parties,
    "agreement_signatories": _agreement_signatories,
    "agreement_provisions": _agreement_provisions,
    "agreement_relations": _agreement_relations,
    "statements": _statements,
    "figures": _figures,
    "disagreements": _disagreements,
    "disagreement_versions": _disagreement_versions,
    "evidence": _evidence,
    "redirects": _redirects,
}


def sort_rows(table: str, rows: list[Row]) -> list[Row]:
    """Rows ordered by primary key; a duplicate key is a curation error the tables cannot hold."""
    key_cols = get_table(table).primary_key
    key = operator.itemgetter(*key_cols)  # one column: the value itself, which sorts as its 1-tuple
    rows = sorted(rows, key=key)
    keys = list(map(key, rows))
    dupes = sorted({k if len(key_cols) > 1 else (k,) for k, after in zip(keys, keys[1:]) if k == after})
    if dupes:
        raise BuildError(
            f"table {table}: duplicate primary key {', '.join(key_cols)}:",
            [
                f"{table}: {' / '.join(map(str, k))} appears more than once (merge the records or "
                "remove the repeated entry)"
                for k in dupes
            ],
        )
    return rows


def conform(table: str, row: Row) -> Row:
    """Exactly the table's columns in its order; catches drift between derivation and usua.release_tables."""
    cols = get_table(table).column_names
    if set(row) != set(cols):
        raise AssertionError(
            f"{table}: derived columns {sorted(set(row) ^ set(cols))} do not match usua.release_tables"
        )
    return {c: row[c] for c in cols}


def derive_tables(records: Records, texts: dict[str, str], mentions: list[Row]) -> dict[str, list[Row]]:
    out: dict[str, list[Row]] = {}
    for t in TABLES:
        raw = mentions if t.name == "mentions" else DERIVERS[t.name](records, texts)
        out[t.name] = sort_rows(t.name, [conform(t.name, row) for row in raw])
    return out
