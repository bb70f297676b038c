"""Checks on the curated data itself: everything `usua validate` checks (sources pinned, quotes exact,
references whole, days supported, names covered, the declared dataset assertions in
dataset/assertions.yaml) finds nothing, and the facts the sources establish hold. Expectations come from
the data or from the assertions, so a correct new source never breaks these tests (USUA_TEST_CHECKOUT
runs them on another checkout, as tests/test_dataset_rules.py does with one source more)."""

from __future__ import annotations

import os
from collections import defaultdict
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from usua.checkout import contribution_files as curation_folder_files
from usua.models import Contribution
from usua.models.base import ANY_ID_RE
from usua.text import locate, normalise
from usua.version import SCHEMA_VERSION

ROOT = Path(os.environ.get("USUA_TEST_CHECKOUT") or Path(__file__).resolve().parent.parent)
SOURCES = ROOT / "dataset" / "sources"
CURATION = ROOT / "dataset" / "curation"
SECTIONS = ("documents", "entities", "roles", "events", "agreements", "statements", "figures", "disagreements")

DOC_2021 = "doc:dod-2021-austin-zelenskyy-pentagon"
DOC_2024 = "doc:2024-biden-to-sign-security-agreement"
DOC_ANTIWAR = "doc:antiwar-2022-austin-reznikov-shoigu-calls"
DOC_REPOST = "doc:repost-2022-austin-shoigu-conversation"
DOC_UNDATED = "doc:undated-us-ukraine-january-2025-talks"


def contribution_files() -> list[Path]:
    return [SOURCES / "documents.yaml", *curation_folder_files(CURATION)]


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


@pytest.mark.parametrize("event_id", ["evt:2022-10-21-austin-shoigu-call", "evt:2022-10-21-austin-reznikov-call"])
def test_the_friday_calls_resolve_to_21_october_2022(event_id):
    d = by_id()[event_id].date
    assert (d.value, d.precision, d.method) == ("2022-10-21", "day", "resolved_relative")
    assert "Friday" in d.stated_as


def test_the_may_call_takes_its_day_from_doc_002_only():
    call = by_id()["evt:2022-05-13-austin-shoigu-call"]
    assert call.date.value == "2022-05-13" and "May 13" in call.date.stated_as
    assert cited_documents(call) >= {DOC_ANTIWAR, DOC_REPOST}


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
    dates = [e.date.value for e in calls]
    assert {"2022-05-13", "2022-10-21"} <= set(dates) and len(dates) == len(set(dates))  # one record per call
    for call in calls:
        assert cited_documents(call) >= {DOC_ANTIWAR, DOC_REPOST}
    assert cited_documents(by_id()["evt:2022-10-21-austin-reznikov-call"]) >= {DOC_ANTIWAR, DOC_REPOST}


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
    assert dis.subject == "evt:2022-10-21-austin-shoigu-call"
    speakers = {
        s.speaker
        for s in records()["statements"]
        if s.event == dis.subject
        and s.channel == "readout"
        and s.speaker in {"ent:kremlin", "ent:russian-ministry-of-defense"}
    }
    assert speakers == {"ent:kremlin", "ent:russian-ministry-of-defense"}


# ---------------------------------------------------------------- the fact check (dataset/CURATION.md)


def test_the_curation_rules_find_nothing():
    """What `usua validate` checks holds for the whole dataset, warnings included: the curation guide's rules,
    the sources' hashes and file names, every quote, every reference, the days, the coverage of names and
    the declared dataset assertions (dataset/assertions.yaml)."""
    from usua.validation import check_paths

    result = check_paths(contribution_files(), sources_dir=SOURCES, dataset_root=ROOT)
    assert [p.format() for p in result.problems] == []


def test_a_statement_is_something_someone_said():
    ids = {s.id for s in records()["statements"]}
    assert "stm:2024-european-leaders-alarmed-about-trump-return" not in ids  # the outlet's report of a mood
    for stm_id, outlet_words in [
        ("stm:trump-promised-to-end-ukraine-war", "few specifics"),
        ("stm:biden-highlights-unified-front-on-trips", "central to"),
    ]:
        assert outlet_words not in by_id()[stm_id].text
        assert by_id()[stm_id].channel == "unknown"  # no channel is stated


def test_the_analysts_statement_cites_the_list_it_contains():
    quotes = {e.quote for e in by_id()["stm:analysts-expected-security-pact-areas"].evidence}
    provisions = by_id()["agr:us-ukraine-bilateral-security-agreement"].provisions
    expected = {e.quote for p in provisions if p.certainty == "expected" for e in p.evidence}
    assert expected and expected <= quotes


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
    assert cited_documents(events["evt:2022-infrequent-russian-american-contact"]) >= {DOC_ANTIWAR}
    assert cited_documents(events["evt:2022-us-russian-military-communication-vitally-important"]) >= {DOC_REPOST}
    assert "sovereignty" in events["evt:us-commitment-to-ukraine-sovereignty-territorial-integrity"].title
    assert "Euro-Atlantic" in events["evt:us-support-for-ukraine-sovereignty-and-euro-atlantic-aspirations"].title
    organisers = {e.id: {p.entity for p in e.participants if p.role == "organizer"} for e in records()["events"]}
    assert "ent:g7" in organisers["evt:2024-06-g7-summit-italy"]
    assert "ent:g20" in organisers["evt:2022-11-g20-summit-bali"]
    assert "ent:coalition-supporting-ukraine" in events
    precedent = events["agr:other-g7-nations-bilateral-security-agreements-with-ukraine"]
    assert [r.target for r in precedent.relations] == ["agr:us-ukraine-bilateral-security-agreement"]
