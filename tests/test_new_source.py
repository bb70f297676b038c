"""A new source about facts already in the dataset, added in new files only (tests/data/new-source,
documents written for the tests): (a) it corroborates the calls of 21 October 2022, adds a participant
and dates a conversation to the day; (b) it moves the 2024 agreement from planned to signed. The build
derives the records, the status history and the support from the claims; nothing is removed. (c) A
republished copy of the readout corroborates without counting as an independent source, and an
undeclared one is refused."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
import yaml

from builders.curation import curation_files
from builders.errors import BuildError
from builders.release import build_release
from usua.validation import check_paths
from usua.version import DATASET_VERSION

ROOT = Path(__file__).resolve().parent.parent
NEW = Path(__file__).parent / "data" / "new-source"
NEXT = ".".join([*DATASET_VERSION.split(".")[:2], str(int(DATASET_VERSION.split(".")[2]) + 1)])
READOUT = "doc:test-pentagon-readout-2022-10-21"
SIGNED = "doc:test-agreement-signed-2024-06-13"
AGREEMENT = "agr:us-ukraine-bilateral-security-agreement"
TARGETS = {
    "evt:2022-10-21-austin-reznikov-call",
    "evt:2022-10-21-austin-shoigu-call",
    "evt:2022-07-blinken-lavrov-conversation",
    "evt:2024-06-13-us-ukraine-security-agreement-signing",
    AGREEMENT,
}


def checkout_with_new_source(root: Path) -> Path:
    """A copy of the dataset's inputs and its current release, with the new source's files added."""
    for part in ("sources", "curation"):
        shutil.copytree(ROOT / "dataset" / part, root / "dataset" / part)
        for f in (NEW / part).iterdir():
            assert not (root / "dataset" / part / f.name).exists()  # new files only
            shutil.copy(f, root / "dataset" / part / f.name)
    shutil.copytree(ROOT / "dataset" / "releases" / DATASET_VERSION, root / "releases" / DATASET_VERSION)
    return root


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = checkout_with_new_source(tmp_path_factory.mktemp("checkout"))
    build_release(root, out_root=root / "releases", version=NEXT)
    return root / "releases"


def rows(releases: Path, version: str, table: str) -> list[dict]:
    return json.loads((releases / version / "json" / f"{table}.json").read_text(encoding="utf-8"))


def by_id(releases: Path, version: str, table: str) -> dict[str, dict]:
    return {r["id"]: r for r in rows(releases, version, table)}


def test_the_new_files_validate_with_the_dataset(tmp_path):
    root = checkout_with_new_source(tmp_path)
    result = check_paths(curation_files(root), sources_dir=root / "dataset" / "sources")
    assert [p.format() for p in result.problems if p.severity == "error"] == []
    assert {c.id for c in result.records["claims"]} >= {"clm:test-bilateral-agreement-signed"}


def test_a_corroborating_source_adds_a_participant_and_a_more_precise_date(built):
    events = by_id(built, NEXT, "events")
    participants = {(r["event"], r["entity"]) for r in rows(built, NEXT, "event_participants")}
    assert ("evt:2022-10-21-austin-reznikov-call", "ent:example-adviser") in participants
    blinken = events["evt:2022-07-blinken-lavrov-conversation"]
    assert (blinken["date"], blinken["date_precision"]) == ("2022-07-29", "day")
    before = by_id(built, DATASET_VERSION, "events")["evt:2022-10-21-austin-shoigu-call"]
    after = events["evt:2022-10-21-austin-shoigu-call"]
    assert after["support_documents"] == before["support_documents"] + 1
    assert after["best_source_grade"] == "B"  # the readout is graded B
    confirmed = [
        c
        for c in rows(built, NEXT, "claims")
        if c["record"] == "evt:2022-10-21-austin-shoigu-call" and c["field"] == "/status"
    ]
    assert READOUT in {c["document"] for c in confirmed} and {c["credibility"] for c in confirmed} == {1}


def test_a_source_moves_the_agreement_from_planned_to_signed_without_a_disagreement(built):
    agreement = by_id(built, NEXT, "agreements")[AGREEMENT]
    assert agreement["status"] == "signed"
    history = {r["document"]: r for r in rows(built, NEXT, "status_history") if r["record"] == AGREEMENT}
    assert history[SIGNED]["status"] == "signed" and history[SIGNED]["current"]
    assert history[SIGNED]["as_of"] == "2024-06-13"
    planned = [r for r in history.values() if r["status"] == "signing_planned"]
    assert planned and not any(r["current"] for r in planned)  # kept in the history, no longer current
    assert set(by_id(built, NEXT, "disagreements")) == set(by_id(built, DATASET_VERSION, "disagreements"))
    signing = by_id(built, NEXT, "events")["evt:2024-06-13-us-ukraine-security-agreement-signing"]
    assert signing["status"] == "happened"


def test_changes_add_rows_and_change_only_what_the_new_source_is_about(built):
    changes = json.loads((built / NEXT / "changes.json").read_text(encoding="utf-8"))
    assert changes["previous"] == DATASET_VERSION
    assert {t: e["removed"] for t, e in changes["tables"].items() if e["removed"]} == {}
    added = changes["tables"]
    assert {"documents", "entities", "event_participants", "claims", "status_history"} <= set(added)
    for table, entry in changes["tables"].items():
        for key in entry["changed"]:
            assert key.split(" / ")[0] in TARGETS, (table, key)


def test_a_published_release_is_left_as_it_was(built):
    for rel in ("manifest.json", "CHANGES.md"):
        assert (built / DATASET_VERSION / rel).read_bytes() == (
            ROOT / "dataset/releases" / DATASET_VERSION / rel
        ).read_bytes()


COPY = "doc:test-pentagon-readout-republished"


def _add_republished_readout(root: Path, declared: bool) -> None:
    """(c) A republication of the fixture readout, byte for byte under a new id, whose claim on the
    Shoigu call repeats the readout's; declared as a copy, or not."""
    sources = root / "dataset" / "sources"
    text = (sources / "test-pentagon-readout-2022-10-21.txt").read_bytes()
    (sources / "test-pentagon-readout-republished.txt").write_bytes(text)
    document = {
        "id": COPY,
        "title": "Readout of Secretary of Defense Lloyd J. Austin III's Calls (republished)",
        "publisher": "Example Wire",
        "language": "en",
        "kind": "news_article",
        "published": {"value": "2022-10-22", "method": "external", "basis": "Fixture: republished the next day."},
        "path": "test-pentagon-readout-republished.txt",
        "sha256": hashlib.sha256(text).hexdigest(),
        "rights": {"redistributable": True, "licence": "test fixture"},
        "source_grade": "C",
    }
    if declared:
        document["copy_of"] = {"document": READOUT, "kind": "republication"}
    quote = {"document": COPY, "quote": "Austin also spoke with Sergei Shoigu on October 21, 2022."}
    claim = {
        "id": "clm:test-republished-shoigu-call-happened",
        "record": "evt:2022-10-21-austin-shoigu-call",
        "field": "/status",
        "value": "happened",
        "evidence": [quote],
    }
    contribution = {"schema_version": DATASET_VERSION, "documents": [document], "claims": [claim]}
    (root / "dataset" / "curation" / "test-readout-republished.yaml").write_text(
        yaml.safe_dump(contribution, sort_keys=False), encoding="utf-8"
    )


def test_a_declared_republication_corroborates_without_counting_as_a_source(tmp_path):
    root = checkout_with_new_source(tmp_path)
    _add_republished_readout(root, declared=True)
    build_release(root, out_root=root / "releases", version=NEXT)
    releases = root / "releases"
    before = by_id(releases, DATASET_VERSION, "events")["evt:2022-10-21-austin-shoigu-call"]
    after = by_id(releases, NEXT, "events")["evt:2022-10-21-austin-shoigu-call"]
    assert after["support_documents"] == before["support_documents"] + 1  # the readout, not its copy
    claims = {c["document"] for c in rows(releases, NEXT, "claims") if c["record"] == after["id"]}
    assert {READOUT, COPY} <= claims  # the copy's claim is kept, as corroboration
    assert not [m for m in rows(releases, NEXT, "mentions") if m["document"] == COPY]
    assert by_id(releases, NEXT, "documents")[COPY]["copy_of"] == READOUT


def test_an_undeclared_republication_is_refused_by_validate_and_the_build(tmp_path):
    root = checkout_with_new_source(tmp_path)
    _add_republished_readout(root, declared=False)
    result = check_paths(curation_files(root), sources_dir=root / "dataset" / "sources")
    errors = [p.format() for p in result.problems if p.severity == "error"]
    assert len(errors) == 1 and COPY in errors[0] and READOUT in errors[0] and "copy_of" in errors[0], errors
    with pytest.raises(BuildError) as refused:
        build_release(root, out_root=root / "releases", version=NEXT)
    assert [line.rsplit(": ", 1)[-1] for line in refused.value.problems] == [e.rsplit(": ", 1)[-1] for e in errors]
    assert not (root / "releases" / NEXT).exists()


def _bad_claim(claim_id: str, record: str, field: str, value: str) -> dict:
    quote = {"document": READOUT, "quote": "Austin also spoke with Sergei Shoigu"}
    return {"id": claim_id, "record": record, "field": field, "value": value, "evidence": [quote]}


BAD = {
    "schema_version": "1.2.0",
    "claims": [
        _bad_claim("clm:wrong-field", "evt:2022-10-21-austin-reznikov-call", "/dates", "2022-10-21"),
        _bad_claim("clm:not-a-list", "evt:2022-10-21-austin-reznikov-call", "/status/-", "happened"),
        _bad_claim("clm:bad-value", "evt:2022-10-21-austin-shoigu-call", "/status", "finished"),
        _bad_claim("clm:unknown-record", "evt:2022-10-21-austin-shoigu-cal", "/status", "happened"),
    ],
    "disagreements": [
        {
            "id": "dis:no-conflict",
            "subject": "evt:2022-10-21-austin-shoigu-call",
            "field": "/type",
            "aspect": "how the two men spoke",
        }
    ],
}


def test_validate_explains_each_wrong_claim_with_file_line_and_pointer(tmp_path):
    root = checkout_with_new_source(tmp_path)
    bad = root / "dataset" / "curation" / "zz-bad-claims.yaml"
    bad.write_text(yaml.safe_dump(BAD, sort_keys=False, allow_unicode=True), encoding="utf-8")
    result = check_paths(curation_files(root), sources_dir=root / "dataset" / "sources")
    found = {(p.pointer, p.code): p for p in result.problems if p.file.endswith(bad.name)}
    wrong = found[("/claims/0/field", "unknown-field")]
    assert "event records have no field /dates" in wrong.message and "/date" in wrong.message
    assert wrong.line is not None and wrong.hint
    assert "/status/-" in found[("/claims/1/field", "unknown-field")].message
    assert ("/claims/3/record", "unknown-reference") in found
    assert "did you mean evt:2022-10-21-austin-shoigu-call" in found[("/claims/3/record", "unknown-reference")].hint
    # the wrong value, and a disagreement whose claims agree, once the field names are right
    bad_value = {**BAD, "claims": BAD["claims"][2:3]}
    bad.write_text(yaml.safe_dump(bad_value, sort_keys=False), encoding="utf-8")
    result = check_paths(curation_files(root), sources_dir=root / "dataset" / "sources")
    codes = {(p.pointer, p.code): p for p in result.problems if p.file.endswith(bad.name)}
    assert "finished" in codes[("/claims/0/value", "claim-invalid")].message
    assert "do not conflict" in codes[("/disagreements/0/field", "disagreement-without-conflict")].message


def _section(text: str, heading: str) -> str:
    start = text.index(heading)
    return text[start : text.index("\n## ", start + len(heading))]


def _block(text: str, lang: str) -> str:
    lines = text.split(f"```{lang}\n", 1)[1].split("```", 1)[0].splitlines()
    indent = min(len(line) - len(line.lstrip()) for line in lines if line.strip())
    return "\n".join(line[indent:] for line in lines) + "\n"


GUIDE = _section(
    (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8"),
    "## Worked example: a new source about facts already in the dataset",
)


def test_contributing_shows_the_tested_files():
    fixture = yaml.safe_load((NEW / "curation" / "2024-06-13-agreement-signed.yaml").read_text(encoding="utf-8"))
    assert yaml.safe_load(_block(GUIDE, "yaml")) == {"claims": fixture["claims"]}


def test_contributing_shows_the_message_usua_validate_really_prints(tmp_path, monkeypatch):
    root = checkout_with_new_source(tmp_path)
    name = "2024-06-13-agreement-signed.yaml"
    f = root / "dataset" / "curation" / name
    f.write_text(
        f.read_text(encoding="utf-8").replace("field: /status\n    value: signed", "field: /stauts\n    value: signed")
    )
    monkeypatch.chdir(root)
    result = check_paths([p.relative_to(root) for p in curation_files(root)], sources_dir=Path("dataset/sources"))
    assert [p.format() for p in result.problems] == [_block(GUIDE, "text").strip()]


def test_the_build_applies_the_derivation_its_validation_made(tmp_path, monkeypatch):
    """The claims are derived once per build: the validation's derivation is the one applied."""
    import usua.derivation
    import usua.validation.claims

    made = []
    derive = usua.derivation.derive

    def counted(records):
        made.append(1)
        return derive(records)

    monkeypatch.setattr(usua.derivation, "derive", counted)
    monkeypatch.setattr(usua.validation.claims, "derive", counted)
    root = checkout_with_new_source(tmp_path)
    build_release(root, out_root=root / "releases", version=NEXT)
    assert len(made) == 1
    assert by_id(root / "releases", NEXT, "agreements")[AGREEMENT]["status"] == "signed"
