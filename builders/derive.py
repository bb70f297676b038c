"""Step 4: every release table as rows (dicts in column order) derived from the validated records.

A table's columns say where their values come from (``usua.release_tables``): most are copied from an
attribute of the row's object, so a deriver here only says which objects make the rows and computes
the columns declared ``COMPUTED``. A record type's table with no computed column needs no deriver: its
rows are the records themselves.
"""

from __future__ import annotations

import keyword
import operator

from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from usua.claims import canonical
from usua.derivation import derived_records
from usua.models.registry import RECORD_TYPES
from usua.models.vocab import EVENT_TYPES
from usua.release_tables import COMPUTED, TABLES, Table, get_table

from .curation import section_evidence
from .errors import BuildError
from .segments import segment_spans

Row = dict[str, Any]
Records = dict[str, list[Any]]
#: A row's object (whose attributes fill the copied columns) and its computed columns' values.
Source = tuple[Any, Row]
Deriver = Callable[[Records, dict[str, str]], Iterable[Source]]

#: Section -> record type, for the records that carry evidence (those with ids of their own).
_SECTION_TYPE = {t.section: t.name for t in RECORD_TYPES if t.prefix is not None}
_NOTHING: Row = {}


def decimal_text(value: Decimal) -> str:
    """Exact decimal without exponent: Decimal('2.5E+9') -> '2500000000'."""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _documents(r: Records, texts: dict[str, str]) -> Iterable[Source]:
    for d in r.get("documents", []):
        yield d, {"characters": len(texts[d.id])}


def _document_segments(r: Records, texts: dict[str, str]) -> Iterable[Source]:
    for d in r.get("documents", []):
        for s in segment_spans(d, texts[d.id]):
            yield s, {"document": d.id}


def _identifier(e, scheme: str) -> str | None:
    return next((i.value for i in e.identifiers if i.scheme == scheme), None)


def _entities(r: Records, texts) -> Iterable[Source]:
    for e in r.get("entities", []):
        yield (
            e,
            {
                "aliases": [a.name for a in e.aliases],
                "wikidata": _identifier(e, "wikidata"),
                "iso3166_alpha3": _identifier(e, "iso3166-1-alpha3"),
            },
        )


def _entity_aliases(r: Records, texts) -> Iterable[Source]:
    for e in r.get("entities", []):
        for a in e.aliases:
            yield a, {"entity": e.id}


def _entity_identifiers(r: Records, texts) -> Iterable[Source]:
    for e in r.get("entities", []):
        for i in e.identifiers:
            yield i, {"entity": e.id}


def _documents_of(evidence_lists: Iterable) -> list[str]:
    return sorted({ev.document for evs in evidence_lists for ev in evs})


def _events(r: Records, texts) -> Iterable[Source]:
    for e in r.get("events", []):
        info = EVENT_TYPES[e.type]
        yield (
            e,
            {
                "plover_type": info.plover,
                "plover_mode": info.plover_mode,
                "plover_context": info.plover_context,
                "cameo": info.cameo,
                "documents": _documents_of([e.evidence]),
                **_support(r, e.id),
            },
        )


def _event_participants(r: Records, texts) -> Iterable[Source]:
    for e in r.get("events", []):
        for p in e.participants:
            yield p, {"event": e.id}


def _agreement_parties(r: Records, texts) -> Iterable[Source]:
    for a in r.get("agreements", []):
        for p in a.parties:
            yield None, {"agreement": a.id, "entity": p}


def _agreement_signatories(r: Records, texts) -> Iterable[Source]:
    for a in r.get("agreements", []):
        for s in a.signatories:
            yield s, {"agreement": a.id}


def _agreement_provisions(r: Records, texts) -> Iterable[Source]:
    for a in r.get("agreements", []):
        for n, p in enumerate(a.provisions):
            yield p, {"agreement": a.id, "n": n}


def _agreement_relations(r: Records, texts) -> Iterable[Source]:
    for a in r.get("agreements", []):
        for x in a.relations:
            yield x, {"agreement": a.id}


def _figures(r: Records, texts) -> Iterable[Source]:
    for f in r.get("figures", []):
        yield f, {"value": float(f.value), "value_text": decimal_text(f.value)}


def _disagreement_versions(r: Records, texts) -> Iterable[Source]:
    for d in r.get("disagreements", []):
        for n, v in enumerate(d.versions):
            value = None if v.value is None else canonical(v.value)
            yield v, {"disagreement": d.id, "n": n, "documents": _documents_of([v.evidence]), "value": value}


def _evidence(r: Records, texts) -> Iterable[Source]:
    for section, record_type in _SECTION_TYPE.items():
        for rec in r.get(section, []):
            for path, n, ev in section_evidence(section, rec):
                if ev.start is None or ev.segment is None:
                    raise BuildError(f"{rec.id}{path}/evidence/{n}: evidence without offsets reached the tables")
                yield (
                    ev,
                    {
                        "record": rec.id,
                        "record_type": record_type,
                        "path": path,
                        "n": n,
                        "quote": texts[ev.document][ev.start : ev.end],
                        "item": item_path(rec, path),
                    },
                )


def item_path(record: Any, path: str) -> str:
    """'/provisions/3' as '/provisions/<key of the fourth provision>': where the item is, by its stable key."""
    parts, node, out = path.split("/")[1:], record, []
    for name, index in zip(parts[::2], parts[1::2]):
        node = getattr(node, name)[int(index)]
        out.append(f"/{name}/{node.item_key}")
    return "".join(out)


# ---- claims and what is derived from them (usua.derivation)


def _support(r: Records, record_id: str) -> Row:
    n, grade = derived_records(r).derivation.support.get(record_id, (0, "F"))
    return {"support_documents": n, "best_source_grade": grade}


def _agreements(r: Records, texts) -> Iterable[Source]:
    for a in r.get("agreements", []):
        yield a, _support(r, a.id)


def _statements(r: Records, texts) -> Iterable[Source]:
    for s in r.get("statements", []):
        yield s, _support(r, s.id)


def _disagreements(r: Records, texts) -> Iterable[Source]:
    for d in r.get("disagreements", []):
        yield d, {"derived": any(v.value is not None for v in d.versions)}


def _claim_cols(f, texts, published: dict[str, str]) -> Row:
    """The columns a claim and a status-history row share: record, document, as-of and first quote."""
    ev = f.evidence[0]
    return {
        "record": f.record,
        "record_type": _TYPE_OF_PREFIX[f.record.split(":", 1)[0]],
        "document": f.document,
        "as_of": published.get(f.document, ""),
        "as_of_earliest": f.earliest,
        "as_of_latest": f.latest,
        "quote": texts[f.document][ev.start : ev.end],
        "start": ev.start,
        "end": ev.end,
    }


def _published(r: Records) -> dict[str, str]:
    return {d.id: d.published.value or "" for d in r.get("documents", [])}


def _claims(r: Records, texts) -> Iterable[Source]:
    d = derived_records(r).derivation
    published = _published(r)
    for f, credibility, held in zip(d.facts, d.credibility, d.held):
        yield (
            None,
            {
                **_claim_cols(f, texts, published),
                "field": f.field,
                "value": f.key,
                "stance": f.stance,
                "credibility": credibility,
                "source_grade": f.grade,
                "claim": f.claim,
                "in_record": held,
            },
        )


def _status_history(r: Records, texts) -> Iterable[Source]:
    d = derived_records(r).derivation
    published = _published(r)
    for f in d.facts:
        if f.field == "/status":
            outcome = d.outcomes.get((f.record, f.field))
            current = outcome is not None and f in outcome.current and f.key in outcome.held
            yield None, {**_claim_cols(f, texts, published), "status": f.value, "current": current}


_TYPE_OF_PREFIX = {t.prefix: t.name for t in RECORD_TYPES if t.prefix}


#: The tables whose rows are not simply one per record, or that have computed columns.
DERIVERS: dict[str, Deriver] = {
    "documents": _documents,
    "document_segments": _document_segments,
    "entities": _entities,
    "entity_aliases": _entity_aliases,
    "entity_identifiers": _entity_identifiers,
    "events": _events,
    "event_participants": _event_participants,
    "agreement_parties": _agreement_parties,
    "agreement_signatories": _agreement_signatories,
    "agreement_provisions": _agreement_provisions,
    "agreement_relations": _agreement_relations,
    "figures": _figures,
    "disagreement_versions": _disagreement_versions,
    "evidence": _evidence,
    "agreements": _agreements,
    "statements": _statements,
    "disagreements": _disagreements,
    "claims": _claims,
    "status_history": _status_history,
}

#: Table -> contribution section, for the tables with one row per record.
_SECTION_OF_TABLE = {t.table: t.section for t in RECORD_TYPES}


def _records_of(section: str) -> Deriver:
    def rows(r: Records, texts) -> Iterable[Source]:
        return ((rec, _NOTHING) for rec in r.get(section, []))

    return rows


def _path_source(path: str, var: str, column: int, depth: int = 0) -> str:
    """An attribute path ("rights.note") read from ``var`` as one expression, None when a step is None
    (inline: a getter called per cell of a dated table took a tenth of deriving it)."""
    head, _, rest = path.partition(".")
    if not rest:
        return f"{var}.{head}"
    step = f"_col{column}_{depth}"  # a name of its own for each step's value
    return f"(None if ({step} := {var}.{head}) is None else {_path_source(rest, step, column, depth + 1)})"


def row_maker(table: Table) -> Callable[[Any, Row], Row]:
    """Builds one row of the table, in column order, from its object and its computed values.

    The maker is compiled per table into one dict display (``{"id": obj.id, "kind": values["kind"],
    ...}``), as dataclasses compiles its ``__init__``: a generic loop over the columns took most of
    deriving the tables. Column names and sources come from usua.release_tables, not from data."""
    computed = set(table.computed)
    scope: dict[str, Any] = {"_mismatch": _mismatch(table, computed)}
    cells = []
    for i, c in enumerate(table.columns):
        if c.source is COMPUTED:
            cells.append(f"{c.name!r}: values[{c.name!r}]")
        elif all(step.isidentifier() and not keyword.iskeyword(step) for step in c.source.split(".")):
            cells.append(f"{c.name!r}: {_path_source(c.source, 'obj', i)}")
        else:  # (a source is an attribute path of the model: anything else is a bug in release_tables)
            raise AssertionError(f"{table.name}.{c.name}: source {c.source!r} is not an attribute path")
    source = (
        "def make(obj, values):\n"
        f"    if len(values) != {len(computed)}:\n"
        "        _mismatch(values)\n"
        f"    return {{{', '.join(cells)}}}\n"
    )
    exec(compile(source, f"<row maker of {table.name}>", "exec"), scope)
    return scope["make"]


def _mismatch(table: Table, computed: set[str]) -> Callable[[Row], None]:
    def fail(values: Row) -> None:
        raise AssertionError(
            f"{table.name}: derived columns {sorted(set(values) ^ computed)} do not match usua.release_tables"
        )

    return fail


def deriver(table: Table) -> Deriver:
    """Where the table's rows come from: its deriver, or the records of its record type."""
    if table.name in DERIVERS:
        return DERIVERS[table.name]
    if table.name in _SECTION_OF_TABLE and not table.computed:
        return _records_of(_SECTION_OF_TABLE[table.name])
    raise AssertionError(f"table {table.name} has computed columns or no record type: give it a deriver")


def sort_rows(table: str, rows: list[Row]) -> list[Row]:
    """Rows ordered by primary key; a duplicate key is a curation error the tables cannot hold."""
    key_cols = get_table(table).primary_key
    key = operator.itemgetter(*key_cols)  # one column: the value itself, which sorts as its 1-tuple
    rows = sorted(rows, key=key)
    keys = list(map(key, rows))
    if not any(map(operator.eq, keys, keys[1:])):  # the usual case, told in C without a loop in Python
        return rows
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


def derive_table(table: Table, records: Records, texts: dict[str, str], mentions: list[Row]) -> list[Row]:
    """One table's rows, sorted by primary key (``records`` as derived_records gives them)."""
    make = row_maker(table)
    raw = ((None, m) for m in mentions) if table.name == "mentions" else deriver(table)(records, texts)
    return sort_rows(table.name, [make(obj, values) for obj, values in raw])


def derive_tables(records: Records, texts: dict[str, str], mentions: list[Row]) -> dict[str, list[Row]]:
    """Every table's rows, sorted by primary key (the build derives and writes them one table at a time)."""
    records = derived_records(records)
    return {t.name: derive_table(t, records, texts, mentions) for t in TABLES}
