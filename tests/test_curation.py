"""Checks on the curated data itself: sources pinned, quotes exact, references whole, dates honest,
and the specific facts the sources establish (shared calls, one Zelenskyy, the status disagreement)."""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from usua.models import Contribution
from usua.models.base import ANY_ID_RE
from usua.text import locate, normalise
from usua.version import SCHEMA_VERSION

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "dataset" / "sources"
CURATION = ROOT / "dataset" / "curation"
EXCLUSIONS = CURATION / "excluded-names.yaml"
SECTIONS = ("documents", "entities", "roles", "events", "agreements", "statements", "figures", "disagreements")

DOC_2021 = "doc:dod-2021-austin-zelenskyy-pentagon"
DOC_2024 = "doc:2024-biden-to-sign-security-agreement"
DOC_ANTIWAR = "doc:antiwar-2022-austin-reznikov-shoigu-calls"
DOC_REPOST = "doc:repost-2022-austin-shoigu-conversation"
DOC_UNDATED = "doc:undated-us-ukraine-january-2025-talks"


def contribution_files() -> list[Path]:
    return [SOURCES / "documents.yaml", *sorted(p for p in CURATION.glob("*.yaml") if p != EXCLUSIONS)]


@cache
def raw(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@cache
def contributions() -> dict[Path, Contribution]:
    return {p: Contribution.model_validate(raw(p)) for p in contribution_files()}


@cache
def records() -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = defaultdict(list)
    for c in contributions().values():
        for section in SECTIONS:
            out[section].extend(getattr(c, section))
    return dict(out)


@cache
def by_id() -> dict[str, Any]:
    return {r.id: r for section in SECTIONS for r in records().get(section, [])}


@cache
def texts() -> dict[str, str]:
    return {d.id: (SOURCES / d.path).read_text(encoding="utf-8") for d in records()["documents"]}


def walk(node: Any, pointer: str = ""):
    """(pointer, node) for every dict and list item in a parsed YAML tree."""
    yield pointer, node
    if isinstance(node, dict):
        for k, v in node.items():
            yield from walk(v, f"{pointer}/{k}")
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from walk(v, f"{pointer}/{i}")


def evidence_items(path: Path):
    for pointer, node in walk(raw(path)):
        if isinstance(node, dict) and "document" in node and "quote" in node:
            yield pointer, node


def cited_documents(record: Any) -> set[str]:
    return {
        node["document"]
        for _, node in walk(record.model_dump(mode="json"))
        if isinstance(node, dict) and "document" in node and "quote" in node
    }


def dates_of(record: Any):
    """(pointer, date dict) for every DateValue inside a record."""
    for pointer, node in walk(record.model_dump(mode="json")):
        if isinstance(node, dict) and "method" in node and "precision" in node:
            yield pointer, node


# ---------------------------------------------------------------- files and sources


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(x) for x in text.split("."))


def test_every_file_declares_the_schema_version_and_validates():
    for path in contribution_files():
        declared = _version(raw(path)["schema_version"])
        assert declared[0] == _version(SCHEMA_VERSION)[0] and declared <= _version(SCHEMA_VERSION), path.name
    assert set(contributions()) == set(contribution_files())


def test_five_documents_each_pinned_to_its_text():
    docs = records()["documents"]
    assert {d.id for d in docs} == {DOC_2021, DOC_2024, DOC_ANTIWAR, DOC_REPOST, DOC_UNDATED}
    for d in docs:
        data = (SOURCES / d.path).read_bytes()
        assert hashlib.sha256(data).hexdigest() == d.sha256, f"{d.id}: sha256 does not match {d.path}"
        assert d.path == d.id.split(":", 1)[1] + ".txt"
        lines = data.decode("utf-8").split("\n")
        for seg in d.segments:
            assert seg.last_line <= len(lines), f"{d.id}: segment beyond the last line"
            assert "".join(lines[seg.first_line - 1 : seg.last_line]).strip(), (
                f"{d.id}: segment {seg} covers only blank lines"
            )


def test_only_the_public_domain_text_is_redistributable():
    assert {d.id for d in records()["documents"] if d.rights.redistributable} == {DOC_2021}


# ---------------------------------------------------------------- evidence and references


def test_every_quote_is_found_and_unambiguous():
    problems = []
    for path in contribution_files():
        for pointer, ev in evidence_items(path):
            text = texts()[ev["document"]]
            occurrence = ev.get("occurrence", 1)
            hit = locate(text, ev["quote"], occurrence)
            if hit is None:
                problems.append(f"{path.name}:{pointer}: quote not found: {ev['quote']!r}")
            elif hit.count > 1 and "occurrence" not in ev:
                problems.append(f"{path.name}:{pointer}: quote occurs {hit.count} times; say which with 'occurrence'")
    assert not problems, "\n".join(problems)


def test_ids_are_unique_across_files_and_every_reference_resolves():
    seen: dict[str, str] = {}
    for path, c in contributions().items():
        for section in SECTIONS:
            for r in getattr(c, section):
                assert r.id not in seen, f"{r.id} in {path.name} and {seen[r.id]}"
                seen[r.id] = path.name
    dangling = []
    for path in contribution_files():
        for pointer, node in walk(raw(path)):
            if isinstance(node, str) and ANY_ID_RE.match(node) and not pointer.endswith("/id") and node not in seen:
                dangling.append(f"{path.name}:{pointer}: {node}")
    assert not dangling, "\n".join(dangling)


def test_signatory_roles_belong_to_the_signatory():
    for agr in records()["agreements"]:
        for s in agr.signatories:
            if s.role:
                assert by_id()[s.role].person == s.person, f"{agr.id}: {s.role} is not {s.person}'s role"


def test_direct_quotes_are_the_sources_words():
    for stm in records()["statements"]:
        if stm.form != "direct_quote":
            continue
        words = normalise(stm.text).rstrip(".,")
        quotes = [normalise(e.quote) for e in stm.evidence]
        assert any(words in q for q in quotes), f"{stm.id}: its text is not inside its evidence"


# ---------------------------------------------------------------- dates

MONTH_DAY = re.compile(r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.? \d{1,2}\b")
MONTH_WORD = re.compile(
    r"\b(?:January|February|March|April|May|June|July|August|September|October|November|December)\b"
)


def test_no_date_claims_a_day_the_sources_do_not_support():
    problems = []
    for section in ("roles", "events", "agreements", "statements", "figures"):
        for rec in records().get(section, []):
            for pointer, d in dates_of(rec):
                if d["precision"] != "day":
                    continue
                words = " ".join(filter(None, [d.get("stated_as"), d.get("basis")]))
                days = re.findall(r"\d{4}-\d{2}-\d{2}", d["value"])
                if d["method"] == "stated":
                    ok = bool(MONTH_DAY.search(d.get("stated_as") or ""))
                else:
                    ok = all(day in (d.get("basis") or "") for day in days)
                # a month word ('in May') only yields a day when some source gives the day ('May 13')
                if MONTH_WORD.search(d.get("stated_as") or "") and not MONTH_DAY.search(words):
                    ok = False
                if not ok:
                    problems.append(f"{rec.id}{pointer}: {d['value']} ({d['method']}) with {words!r}")
    assert not problems, "\n".join(problems)


def test_month_only_expressions_stay_month_precision():
    assert by_id()["evt:2022-07-blinken-lavrov-conversation"].date.value == "2022-07"
    assert by_id()["evt:2022-02-russian-invasion-of-ukraine"].date.value == "2022-02"
    assert by_id()["evt:2022-11-g20-summit-bali"].date.value == "2022-11"
    assert by_id()["evt:2025-01-us-ukraine-security-consultations"].date.precision == "month"


def test_unknown_dates_say_why():
    for section in ("roles", "events", "agreements", "statements", "figures"):
        for rec in records().get(section, []):
            for pointer, d in dates_of(rec):
                if d["value"] is None:
                    assert d["method"] == "inferred" and d["basis"], f"{rec.id}{pointer}"


@pytest.mark.parametrize("event_id", ["evt:2022-10-21-austin-shoigu-call", "evt:2022-10-21-austin-reznikov-call"])
def test_the_friday_calls_resolve_to_21_october_2022(event_id):
    d = by_id()[event_id].date
    assert (d.value, d.precision, d.method) == ("2022-10-21", "day", "resolved_relative")
    assert "Friday" in d.stated_as


def test_the_may_call_takes_its_day_from_doc_002_only():
    call = by_id()["evt:2022-05-13-austin-shoigu-call"]
    assert call.date.value == "2022-05-13" and "May 13" in call.date.stated_as
    assert cited_documents(call) == {DOC_ANTIWAR, DOC_REPOST}


# ---------------------------------------------------------------- the facts the sources establish


def test_both_spellings_of_zelenskyy_are_one_entity():
    holders = [
        e
        for e in records()["entities"]
        if {"Zelensky", "Zelenskyy"} & {e.name.split()[-1], *(a.name for a in e.aliases)}
    ]
    assert [e.id for e in holders] == ["ent:volodymyr-zelenskyy"]
    names = {holders[0].name, *(a.name for a in holders[0].aliases)}
    assert {"Volodymyr Zelenskyy", "Volodymyr Zelensky", "Zelenskyy", "Zelensky"} <= names


def test_shared_calls_are_recorded_once_citing_both_reports():
    calls = [
        e
        for e in records()["events"]
        if e.type in ("phone_call", "conversation")
        and {p.entity for p in e.participants} == {"ent:lloyd-austin", "ent:sergei-shoigu"}
    ]
    assert sorted(e.date.value for e in calls) == ["2022-05-13", "2022-10-21"]
    for call in calls:
        assert cited_documents(call) == {DOC_ANTIWAR, DOC_REPOST}
    assert cited_documents(by_id()["evt:2022-10-21-austin-reznikov-call"]) == {DOC_ANTIWAR, DOC_REPOST}


def test_the_bilateral_agreement_is_one_record_with_a_status_disagreement():
    bsas = [
        a
        for a in records()["agreements"]
        if a.kind == "bilateral_security_agreement" and set(a.parties) == {"ent:united-states", "ent:ukraine"}
    ]
    assert [a.id for a in bsas] == ["agr:us-ukraine-bilateral-security-agreement"]
    bsa = bsas[0]
    assert bsa.status == "signing_planned" and bsa.signed.value == "2024-06-13"
    assert {DOC_2024, DOC_UNDATED} <= cited_documents(bsa)
    on_status = [d for d in records()["disagreements"] if d.subject == bsa.id and "status" in d.aspect]
    assert len(on_status) == 1
    per_version = [{e.document for e in v.evidence} for v in on_status[0].versions]
    assert {DOC_2024} in per_version and {DOC_UNDATED} in per_version


def test_the_russian_readout_disagreement_keeps_both_issuers():
    dis = by_id()["dis:2022-10-21-russian-readout-issuer-and-wording"]
    readout = by_id()[dis.subject]  # one statement; the sources give its speaker differently
    assert readout.event == "evt:2022-10-21-austin-shoigu-call" and dis.field == "/speaker"
    claimed = {
        claim.value
        for contribution in contributions().values()
        for claim in contribution.claims
        if (claim.record, claim.field) == (dis.subject, dis.field)
    }
    assert {readout.speaker} | claimed == {"ent:kremlin", "ent:russian-ministry-of-defense"}


def test_planned_things_are_not_reported_as_done():
    planned = {
        "evt:2024-06-13-us-ukraine-security-agreement-signing",
        "evt:2021-us-ukraine-rdte-agreement-signing",
        "evt:2025-01-us-ukraine-security-consultations",
        "evt:2024-06-15-ukraine-peace-summit-switzerland",
    }
    assert {by_id()[i].status for i in planned} == {"planned"}
    assert by_id()["agr:2021-us-ukraine-rdte-agreement"].status == "signing_planned"
    assert by_id()["agr:2021-us-ukraine-strategic-defense-framework"].status == "signed"


# ---------------------------------------------------------------- coverage


def test_coverage_is_clean_and_every_exclusion_is_used():
    builders_coverage = pytest.importorskip("builders.coverage")
    from builders.mentions import mention_rows

    recs = records()
    mentions = mention_rows(recs, texts())
    exclusions = builders_coverage.load_exclusions(ROOT)
    report = builders_coverage.coverage_report(recs, texts(), mentions, exclusions)
    assert report["unlinked"] == [], [f"{u['document']} line {u['line']}: {u['name']}" for u in report["unlinked"]]
    assert report["entities_without_mentions"] == []
    unused = {x["name"] for x in exclusions} - set(report["excluded_occurrences"])
    assert not unused, f"exclusions that match nothing (remove them): {sorted(unused)}"


# ---------------------------------------------------------------- the fact check (dataset/CURATION.md)


def test_the_curation_rules_find_nothing():
    """What `usua validate` checks of the curation guide holds for the whole dataset, warnings included."""
    from usua.validation import check_paths

    result = check_paths(contribution_files(), sources_dir=SOURCES)
    assert [p.format() for p in result.problems] == []


def test_types_say_no_more_than_the_sources():
    types = {e.id: e.type for e in records()["events"]}
    assert types["evt:us-aid-to-ukraine-since-russian-aggression"] == "aid"  # "in aid"; not said to be military
    assert types["evt:2014-russia-occupies-and-annexes-crimea"] == "occupation"
    # "spoke", "conversation": the medium is not stated; "phone call", "held a call": it is
    assert types["evt:2022-05-13-austin-shoigu-call"] == "conversation"
    assert types["evt:2022-07-blinken-lavrov-conversation"] == "conversation"
    assert types["evt:2022-10-21-austin-shoigu-call"] == types["evt:2022-10-21-austin-reznikov-call"] == "phone_call"
    assert types["evt:ukraine-helps-in-afghanistan-evacuation"] == "cooperation"
    assert types["evt:2022-putin-veiled-nuclear-threats"] == "nuclear_threat"


def test_a_place_an_event_is_about_is_not_its_location():
    assert by_id()["evt:russia-agreed-to-respect-sovereignty-of-european-nations"].location is None


def test_a_statement_is_something_someone_said():
    ids = {s.id for s in records()["statements"]}
    assert "stm:2024-european-leaders-alarmed-about-trump-return" not in ids  # the outlet's report of a mood
    for stm_id, outlet_words in [
        ("stm:trump-promised-to-end-ukraine-war", "few specifics"),
        ("stm:biden-highlights-unified-front-on-trips", "central to"),
    ]:
        assert outlet_words not in by_id()[stm_id].text
        assert by_id()[stm_id].channel == "unknown"  # no channel is stated


def test_the_g7_declaration_is_adopted_not_signed():
    g7 = by_id()["agr:2023-07-g7-joint-declaration"]
    assert (g7.status, g7.signed, g7.adopted.value) == ("adopted", None, "2023-07")


def test_no_country_without_a_source_for_it():
    assert by_id()["ent:kyle-anzalone"].country is None


def test_the_analysts_statement_cites_the_list_it_contains():
    quotes = {e.quote for e in by_id()["stm:analysts-expected-security-pact-areas"].evidence}
    provisions = by_id()["agr:us-ukraine-bilateral-security-agreement"].provisions
    expected = {e.quote for p in provisions if p.certainty == "expected" for e in p.evidence}
    assert expected and expected <= quotes


def test_present_tense_is_ongoing_with_an_inferred_date():
    visit = by_id()["evt:2021-08-ukrainian-delegation-visit-to-washington"]
    assert (visit.status, visit.date.method) == ("ongoing", "inferred")


def test_what_only_the_doubtful_source_reports_as_done_is_reported():
    for event_id in ("evt:kuleba-blinken-phone-call", "evt:us-ukraine-agree-to-hold-january-2025-consultations"):
        assert by_id()[event_id].status == "reported"


def test_disagreements_are_real_conflicts():
    ids = {d.id for d in records()["disagreements"]}
    # accounts that can both hold (Ryder is the Pentagon's spokesman) are not disagreements
    assert not ids & {
        "dis:2022-10-21-lines-of-communication-attribution",
        "dis:2022-10-21-unwavering-commitment-attribution",
    }
    assert {
        "dis:us-ukraine-bilateral-security-agreement-status",
        "dis:2022-10-21-russian-readout-issuer-and-wording",
    } <= ids


def test_one_phrase_one_area():
    framework = by_id()["agr:2021-us-ukraine-strategic-defense-framework"]
    reforms = next(p for p in framework.provisions if "defense industry reforms" in p.text)
    assert reforms.areas == ["defense_industry", "nato_integration"]


def test_the_missed_facts_are_recorded():
    events = by_id()
    assert cited_documents(events["evt:2022-infrequent-russian-american-contact"]) == {DOC_ANTIWAR}
    assert cited_documents(events["evt:2022-us-russian-military-communication-vitally-important"]) == {DOC_REPOST}
    assert "sovereignty" in events["evt:us-commitment-to-ukraine-sovereignty-territorial-integrity"].title
    assert "Euro-Atlantic" in events["evt:us-support-for-ukraine-sovereignty-and-euro-atlantic-aspirations"].title
    organisers = {e.id: {p.entity for p in e.participants if p.role == "organizer"} for e in records()["events"]}
    assert "ent:g7" in organisers["evt:2024-06-g7-summit-italy"]
    assert "ent:g20" in organisers["evt:2022-11-g20-summit-bali"]
    assert "ent:coalition-supporting-ukraine" in events
    precedent = events["agr:other-g7-nations-bilateral-security-agreements-with-ukraine"]
    assert [r.target for r in precedent.relations] == ["agr:us-ukraine-bilateral-security-agreement"]
