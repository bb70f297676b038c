"""Hypothesis strategies that generate valid usua records of every type."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import strategies as st

from usua.models import vocab
from usua.models.keys import content_key
from usua.models.base import ID_PREFIXES
from usua.models.dates import DateMethod
from usua.models.document import DocumentKind, SegmentKind
from usua.validation.quotes import COMMON_WORDS
from usua.models.entity import AliasKind, EntityKind, IdScheme, Sector
from usua.models.statement import Qualifier, StatementChannel, StatementForm

slug = st.from_regex(r"[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,3}", fullmatch=True)
text = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40)
short = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=30)
#: A quote holds at least one word of three or more letters that is not a very common word.
strong_word = st.from_regex(r"[A-Za-z]{4,12}", fullmatch=True).filter(lambda w: w.casefold() not in COMMON_WORDS)
quotes = st.tuples(text, strong_word, text).map(lambda t: f"{t[0]} {t[1]} {t[2]}")


def ids(kind: str) -> st.SearchStrategy[str]:
    return slug.map(lambda s: f"{ID_PREFIXES[kind]}:{s}")


def _fmt(d: date, precision: str) -> str:
    return {"year": f"{d.year:04d}", "month": f"{d.year:04d}-{d.month:02d}", "day": d.isoformat()}[precision]


days = st.dates(min_value=date(1000, 1, 1), max_value=date(9999, 12, 31))
precisions = st.sampled_from(["year", "month", "day"])
qualifiers = st.sampled_from(["", "", "~", "?", "%"])


@st.composite
def edtf_values(draw) -> str | None:
    shape = draw(st.sampled_from(["none", "single", "single", "interval", "open_start", "open_end"]))
    if shape == "none":
        return None
    a = draw(days)
    single = _fmt(a, draw(precisions)) + draw(qualifiers)
    if shape == "single":
        return single
    if shape == "open_start":
        return "../" + single
    if shape == "open_end":
        return single + "/.."
    gap = timedelta(days=draw(st.integers(400, 4000)))
    if a > date.max - gap:  # the end would pass the year 9999 (date() cannot hold it)
        return single
    b = a + gap
    return f"{_fmt(a, draw(precisions))}/{_fmt(b, draw(precisions))}"


@st.composite
def date_values(draw) -> dict:
    method = draw(st.sampled_from([m.value for m in DateMethod]))
    out = {"value": draw(edtf_values()), "method": method}
    if method != "stated" or draw(st.booleans()):
        out["basis"] = draw(short)
    if draw(st.booleans()):
        out["stated_as"] = draw(short)
    return out


@st.composite
def evidence(draw, docs: st.SearchStrategy[str] | None = None) -> dict:
    out = {"document": draw(docs if docs is not None else ids("document")), "quote": draw(quotes)}
    if draw(st.booleans()):
        start = draw(st.integers(0, 10_000))
        out.update(
            start=start,
            end=start + draw(st.integers(1, 500)),
            segment=draw(st.sampled_from([s.value for s in SegmentKind])),
        )
    if draw(st.booleans()):
        out["occurrence"] = draw(st.integers(1, 5))
    return out


def evidence_lists(docs=None):
    return st.lists(evidence(docs), min_size=1, max_size=3)


@st.composite
def documents(draw) -> dict:
    segs = []
    for _ in range(draw(st.integers(0, 3))):
        first = draw(st.integers(1, 50))
        segs.append(
            {
                "kind": draw(st.sampled_from([s.value for s in SegmentKind])),
                "first_line": first,
                "last_line": first + draw(st.integers(0, 5)),
            }
        )
    return {
        "id": draw(ids("document")),
        "title": draw(short),
        "language": draw(st.sampled_from(["en", "uk", "ru", "en-US"])),
        "kind": draw(st.sampled_from([k.value for k in DocumentKind])),
        "published": draw(date_values()),
        "path": draw(slug) + ".txt",
        "sha256": draw(st.from_regex(r"[0-9a-f]{64}", fullmatch=True)),
        "rights": {"redistributable": draw(st.booleans())},
        "segments": segs,
        "authors": draw(st.lists(short, max_size=2)),
        "reliability": draw(st.lists(text, max_size=2)),
    }


@st.composite
def entities(draw) -> dict:
    kind = draw(st.sampled_from([k.value for k in EntityKind]))
    names = draw(st.lists(short, min_size=1, max_size=4, unique_by=str.casefold))
    idents = [{"scheme": "wikidata", "value": f"Q{draw(st.integers(1, 10**8))}"}] if draw(st.booleans()) else []
    if kind == "state" and draw(st.booleans()):
        idents.append(
            {"scheme": IdScheme.iso3166_1_alpha3.value, "value": draw(st.from_regex(r"[A-Z]{3}", fullmatch=True))}
        )
    out = {
        "id": draw(ids("entity")),
        "kind": kind,
        "name": names[0],
        "aliases": [{"name": n, "kind": draw(st.sampled_from([a.value for a in AliasKind]))} for n in names[1:]],
        "identifiers": idents,
        "evidence": draw(evidence_lists()),
    }
    if draw(st.booleans()):
        out["sector"] = draw(st.sampled_from([s.value for s in Sector]))
    if draw(st.booleans()):
        out["country"] = draw(st.from_regex(r"[A-Z]{3}", fullmatch=True))
    return out


def _ordered_dates(draw) -> tuple[dict, dict]:
    a, b = sorted([draw(days), draw(days)])
    return ({"value": a.isoformat(), "method": "stated"}, {"value": b.isoformat(), "method": "stated"})


@st.composite
def roles(draw) -> dict:
    person, org = draw(st.lists(ids("entity"), min_size=2, max_size=2, unique=True))
    out = {
        "id": draw(ids("role")),
        "person": person,
        "post": draw(short),
        "organization": org,
        "attested": draw(date_values()),
        "evidence": draw(evidence_lists()),
    }
    if draw(st.booleans()):
        out["start"], out["end"] = _ordered_dates(draw)
    return out


@st.composite
def events(draw) -> dict:
    eid = draw(ids("event"))
    parts = draw(
        st.lists(
            st.tuples(ids("entity"), st.sampled_from([r.value for r in vocab.ParticipantRole])), max_size=4, unique=True
        )
    )
    out = {
        "id": eid,
        "type": draw(st.sampled_from(list(vocab.EVENT_TYPES))),
        "title": draw(short),
        "status": draw(st.sampled_from([s.value for s in vocab.EventStatus])),
        "date": draw(date_values()),
        "participants": [{"entity": e, "role": r} for e, r in parts],
        "agreements": draw(st.lists(ids("agreement"), max_size=2, unique=True)),
        "evidence": draw(evidence_lists()),
    }
    if draw(st.booleans()):
        out["date"], out["end_date"] = _ordered_dates(draw)
    if draw(st.booleans()):
        out["part_of"] = draw(ids("event").filter(lambda x: x != eid))
    if draw(st.booleans()):
        out["location"] = draw(ids("entity"))
    return out


@st.composite
def agreements(draw) -> dict:
    aid = draw(ids("agreement"))
    parties = draw(st.lists(ids("entity"), min_size=1, max_size=3, unique=True))
    status = draw(st.sampled_from([s.value for s in vocab.AgreementStatus]))
    out = {
        "id": aid,
        "name": draw(short),
        "kind": draw(st.sampled_from([k.value for k in vocab.AgreementKind])),
        "status": status,
        "parties": parties,
        "signatories": [  # one row per person: a person signs once
            {"person": person, "capacity": draw(short), "on_behalf_of": draw(st.sampled_from(parties))}
            for person in draw(st.lists(ids("entity"), max_size=2, unique=True))
        ],
        "areas": draw(st.lists(st.sampled_from([a.value for a in vocab.CooperationArea]), max_size=3, unique=True)),
        "provisions": [  # each with its own key (derived from its text)
            {
                "kind": draw(st.sampled_from([k.value for k in vocab.ProvisionKind])),
                "text": provision,
                "evidence": draw(evidence_lists()),
            }
            for provision in draw(st.lists(text, max_size=2, unique_by=content_key))
        ],
        "relations": [
            {
                "type": draw(st.sampled_from([r.value for r in vocab.RelationType])),
                "target": draw(ids("agreement").filter(lambda x: x != aid)),
                "evidence": draw(evidence_lists()),
            }
            for _ in range(draw(st.integers(0, 1)))
        ],
        "evidence": draw(evidence_lists()),
    }
    if status in ("signed", "in_force", "expired") or draw(st.booleans()):
        out["signed"], out["in_force"] = _ordered_dates(draw)
    if status == "adopted" or draw(st.booleans()):
        out["adopted"] = _ordered_dates(draw)[0]
    return out


@st.composite
def statements(draw) -> dict:
    speaker = draw(ids("entity"))
    return {
        "id": draw(ids("statement")),
        "speaker": speaker,
        "relayed_by": draw(st.lists(ids("entity").filter(lambda x: x != speaker), max_size=2, unique=True)),
        "date": draw(date_values()),
        "channel": draw(st.sampled_from([c.value for c in StatementChannel])),
        "form": draw(st.sampled_from([f.value for f in StatementForm])),
        "text": draw(text),
        "evidence": draw(evidence_lists()),
    }


@st.composite
def figures(draw) -> dict:
    value = draw(st.decimals(min_value=0, max_value=Decimal("1e15"), places=2, allow_nan=False, allow_infinity=False))
    out = {
        "id": draw(ids("figure")),
        "about": draw(short),
        "value": str(value),
        "unit": draw(st.sampled_from(["USD", "EUR", "missiles"])),
        "qualifier": draw(st.sampled_from([q.value for q in Qualifier])),
        "evidence": draw(evidence_lists()),
        "subjects": draw(st.lists(ids("entity"), max_size=2, unique=True)),
    }
    if draw(st.booleans()):
        out["period"] = draw(date_values())
    return out


@st.composite
def disagreements(draw) -> dict:
    d1, d2 = draw(st.lists(ids("document"), min_size=2, max_size=2, unique=True))
    return {
        "id": draw(ids("disagreement")),
        "subject": draw(ids("event")),
        "aspect": draw(short),
        "versions": [
            {"claim": claim, "evidence": [draw(evidence(st.just(d)))]}
            for claim, d in zip(draw(st.lists(text, min_size=2, max_size=2, unique_by=content_key)), (d1, d2))
        ],
    }


@st.composite
def redirects(draw) -> dict:
    kind = draw(st.sampled_from(["entity", "event", "agreement"]))
    a, b = draw(st.lists(ids(kind), min_size=2, max_size=2, unique=True))
    return {"id": a, "to": b, "reason": draw(short)}


@st.composite
def withdrawals(draw) -> dict:
    kind = draw(st.sampled_from(sorted(ID_PREFIXES)))
    return {"id": draw(ids(kind)), "reason": draw(short)}


RECORD_STRATEGIES = {
    "document": documents(),
    "entity": entities(),
    "role": roles(),
    "event": events(),
    "agreement": agreements(),
    "statement": statements(),
    "figure": figures(),
    "disagreement": disagreements(),
    "redirect": redirects(),
    "withdrawal": withdrawals(),
}

any_record = st.sampled_from(sorted(RECORD_STRATEGIES)).flatmap(lambda k: st.tuples(st.just(k), RECORD_STRATEGIES[k]))
