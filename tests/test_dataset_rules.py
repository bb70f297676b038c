"""`usua validate` tells first what the build and the data tests hold the dataset to: declared dataset
assertions, documents that repeat another, the coverage of names, days that show where they come from.
A correct new source keeps the data tests passing; removing a required fact fails validation."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from usua.checkout import contribution_files
from usua.cli import app, validate_cmds  # noqa: F401  (importing registers the command)
from usua.models import Document, Segment
from usua.models.document import independent_documents
from usua.validation.context import validate_files
from usua.version import SCHEMA_VERSION
from usua.validation.dataset_rules import date_rules, document_rules, shown
from usua.validation.repeats import check_repeats, estimated_jaccard, _sketch

ROOT = Path(__file__).resolve().parent.parent
NEW_SOURCE = Path(__file__).parent / "data" / "new-source"
DOC_ANTIWAR = "doc:antiwar-2022-austin-reznikov-shoigu-calls"


@pytest.fixture
def checkout(tmp_path) -> Path:
    """A copy of the checkout's inputs (sources, curation, assertions) and of the build's code."""
    root = tmp_path / "checkout"
    for part in ("dataset/sources", "dataset/curation", "builders"):
        shutil.copytree(ROOT / part, root / part, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "dataset" / "assertions.yaml", root / "dataset" / "assertions.yaml")
    return root


def _all_files(root: Path) -> list[Path]:
    return [root / "dataset" / "sources" / "documents.yaml", *contribution_files(root / "dataset" / "curation")]


def problems_of(root: Path) -> list[str]:
    return [p.format() for p in validate_files(_all_files(root), checkout=root).problems]


def add_new_source(root: Path) -> None:
    shutil.copy(NEW_SOURCE / "fixture-2022-austin-reznikov-readout.txt", root / "dataset" / "sources")
    shutil.copy(NEW_SOURCE / "fixture-2022-readout.yaml", root / "dataset" / "curation")


def add_document(root: Path, doc_id: str, text: str, **extra) -> None:
    """A new document in its own curation file, its text beside the others."""
    import hashlib

    slug = doc_id.split(":", 1)[1]
    (root / "dataset" / "sources" / f"{slug}.txt").write_text(text, encoding="utf-8")
    doc = {
        "id": doc_id,
        "title": "A repeat",
        "publisher": "Somewhere",
        "language": "en",
        "kind": "news_article",
        "published": {"value": "2022-10-24", "method": "external", "basis": "A fixture."},
        "path": f"{slug}.txt",
        "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
        "rights": {"redistributable": False},
        **extra,
    }
    (root / "dataset" / "curation" / f"{slug}.yaml").write_text(
        yaml.safe_dump({"schema_version": SCHEMA_VERSION, "documents": [doc]}, sort_keys=False), encoding="utf-8"
    )


def _antiwar_text() -> str:
    return (ROOT / "dataset" / "sources" / "antiwar-2022-austin-reznikov-shoigu-calls.txt").read_text(encoding="utf-8")


# ---------------------------------------------------------------- dataset assertions


def test_a_correct_new_source_keeps_validation_and_the_data_tests_passing(checkout):
    add_new_source(checkout)
    assert problems_of(checkout) == []
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(ROOT / "tests" / "test_curation.py")],
        cwd=ROOT,
        env={**os.environ, "USUA_TEST_CHECKOUT": str(checkout)},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert " passed" in run.stdout


def test_removing_a_required_fact_fails_validation_clearly(checkout, monkeypatch):
    path = checkout / "dataset" / "curation" / "2022-october-calls.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    threat = next(e for e in data["events"] if e["id"] == "evt:2022-putin-veiled-nuclear-threats")
    threat["type"] = "threat"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    monkeypatch.chdir(checkout)
    result = CliRunner().invoke(app, ["validate", "dataset/curation/2022-october-calls.yaml"])
    assert result.exit_code == 1, result.output
    lines = [line for line in result.output.splitlines() if "assertion-failed" in line or "must have" in line]
    assert len(lines) == 1, result.output
    assert lines[0].startswith("dataset/assertions.yaml:")
    assert "evt:2022-putin-veiled-nuclear-threats must have /type = 'nuclear_threat', but has 'threat'" in lines[0]
    assert "restore the record or value" in lines[0]


def test_the_build_refuses_what_validate_refuses(checkout):
    from builders.curation import load_curation
    from builders.errors import BuildError

    add_document(checkout, "doc:copy-of-antiwar", _antiwar_text())
    assertions = checkout / "dataset" / "assertions.yaml"
    assertions.write_text(assertions.read_text(encoding="utf-8").replace("documents: 5", "documents: 7"))
    with pytest.raises(BuildError) as caught:
        load_curation(checkout)
    told = "\n".join(caught.value.problems)
    assert "the dataset has 6 documents, fewer than the 7 it must have" in told, caught.value
    assert "the text of doc:copy-of-antiwar is the same as the text of" in told, caught.value


def test_a_missing_record_and_a_short_count_are_told(checkout):
    assertions = checkout / "dataset" / "assertions.yaml"
    data = yaml.safe_load(assertions.read_text(encoding="utf-8"))
    data["minimum"]["documents"] = 6
    data["required"].append({"id": "evt:not-in-the-dataset", "why": "a test"})
    assertions.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    found = problems_of(checkout)
    assert any("/minimum/documents: the dataset has 5 documents, fewer than the 6 it must have" in p for p in found)
    assert any("the required record evt:not-in-the-dataset is not in the dataset (a test)" in p for p in found)


def test_a_malformed_assertions_file_is_told(checkout):
    (checkout / "dataset" / "assertions.yaml").write_text("required:\n  - {name: x}\n", encoding="utf-8")
    (problem,) = problems_of(checkout)
    assert problem.startswith(f"{shown(checkout / 'dataset/assertions.yaml')}:2: /required/0: expected 'id'")


# ---------------------------------------------------------------- documents that repeat


def test_an_undeclared_copy_is_refused_naming_both(checkout):
    add_document(checkout, "doc:copy-of-antiwar", _antiwar_text())
    found = [p for p in problems_of(checkout) if "duplicate-text" in p or "the same as the text" in p]
    assert len(found) == 1, found
    assert "copy-of-antiwar.yaml" in found[0]
    assert f"the text of doc:copy-of-antiwar is the same as the text of {DOC_ANTIWAR}" in found[0]
    assert f"copy_of: {{document: {DOC_ANTIWAR}, kind: republication}}" in found[0]


def test_a_declared_copy_is_accepted_and_adds_no_mentions(checkout):
    from builders.mentions import mention_rows

    add_document(
        checkout, "doc:copy-of-antiwar", _antiwar_text(), copy_of={"document": DOC_ANTIWAR, "kind": "republication"}
    )
    result = validate_files(_all_files(checkout), checkout=checkout)
    assert [p.format() for p in result.problems] == []
    records = result.records
    texts = {
        d.id: (checkout / "dataset" / "sources" / d.path).read_text(encoding="utf-8") for d in records["documents"]
    }
    rows = mention_rows(records, texts)
    assert rows and not [r for r in rows if r["document"] == "doc:copy-of-antiwar"]
    ids = ["doc:copy-of-antiwar", DOC_ANTIWAR]
    assert independent_documents(ids, records["documents"]) == [DOC_ANTIWAR]


def test_an_excerpt_is_a_near_duplicate_warning(checkout):
    words = _antiwar_text().split(" ")
    add_document(checkout, "doc:antiwar-excerpt", " ".join(words[: len(words) // 2]))
    found = [p for p in problems_of(checkout) if "may repeat" in p]
    assert len(found) == 1, found
    assert "warning:" in found[0] and f"doc:antiwar-excerpt may repeat {DOC_ANTIWAR}" in found[0]
    assert "begins with the whole text of doc:antiwar-excerpt" in found[0]


def _doc(doc_id: str, copy_of: str | None = None) -> Document:
    return Document.model_validate(
        {
            "id": doc_id,
            "title": "t",
            "language": "en",
            "kind": "other",
            "published": {"value": "2022", "method": "stated"},
            "path": doc_id.split(":")[1] + ".txt",
            "sha256": "0" * 64,
            "rights": {"redistributable": False},
            **({"copy_of": {"document": copy_of, "kind": "copy"}} if copy_of else {}),
        }
    )


def _codes(docs, texts) -> list[tuple[str, str, str]]:
    def problem(origin, suffix, code, message, hint, severity="error"):
        return origin, code, severity

    return [(o, c, s) for o, c, s in check_repeats(docs, [d.id for d in docs], texts, problem)]


words = st.lists(st.sampled_from("alpha beta gamma delta epsilon zeta eta theta iota kappa".split()), min_size=30)


@settings(max_examples=40, deadline=None)
@given(words, st.integers(0, 1_000))
def test_equal_texts_are_found_whatever_their_case_and_spacing(text, seed):
    a = " ".join(text)
    b = "  ".join(w.upper() if (i + seed) % 3 == 0 else w for i, w in enumerate(text)) + "\n"
    docs = [_doc("doc:a"), _doc("doc:b")]
    assert _codes(docs, {"doc:a": a, "doc:b": b}) == [("doc:b", "duplicate-text", "error")]
    declared = [_doc("doc:a"), _doc("doc:b", copy_of="doc:a")]
    assert _codes(declared, {"doc:a": a, "doc:b": b}) == []


@settings(max_examples=30, deadline=None)
@given(st.lists(st.text(alphabet="abcdefghij", min_size=3, max_size=6), min_size=80, max_size=200, unique=True))
def test_a_small_edit_is_near_and_unrelated_texts_are_not(vocabulary):
    a = vocabulary
    edited = [*a[:-1], "changed"]
    assert estimated_jaccard(_sketch(a), _sketch(edited)) >= 0.8
    assert estimated_jaccard(_sketch(a), _sketch(list(reversed(a)))) < 0.2


def test_a_copy_loop_is_refused():
    docs = [_doc("doc:a", copy_of="doc:b"), _doc("doc:b", copy_of="doc:a")]
    codes = {c for _, c, _ in _codes(docs, {})}
    assert codes == {"copy-loop"}
    with pytest.raises(ValueError, match="copy of itself"):
        _doc("doc:a", copy_of="doc:a")


def test_copies_of_copies_count_as_their_original():
    docs = [_doc("doc:a"), _doc("doc:b", copy_of="doc:a"), _doc("doc:c", copy_of="doc:b"), _doc("doc:d")]
    assert independent_documents(["doc:c", "doc:b", "doc:d"], docs) == ["doc:a", "doc:d"]


# ---------------------------------------------------------------- rules the build and the tests held alone


def test_an_unlinked_name_is_told_by_validate_with_the_builds_words(checkout):
    add_new_source(checkout)
    text = checkout / "dataset" / "sources" / "fixture-2022-austin-reznikov-readout.txt"
    text.write_text(text.read_text(encoding="utf-8") + "Mykola Unknown agreed.\n", encoding="utf-8")
    curation = checkout / "dataset" / "curation" / "fixture-2022-readout.yaml"
    import hashlib

    sha = hashlib.sha256(text.read_bytes()).hexdigest()
    curation.write_text(
        "\n".join(
            f"    sha256: {sha}" if line.startswith("    sha256:") else line
            for line in curation.read_text(encoding="utf-8").splitlines()
        )
        + "\n",
        encoding="utf-8",
    )
    found = [p for p in problems_of(checkout) if "unlinked" in p or "not linked" in p]
    assert found == [
        f"{shown(text)}:5: 'Mykola Unknown' is not linked to any entity (curate an entity or alias "
        "that names it, or add it to dataset/curation/excluded-names.yaml with a reason)"
    ]


def test_a_day_must_show_where_it_comes_from():
    from usua.models import Event

    event = Event.model_validate(
        {
            "id": "evt:x",
            "type": "meeting",
            "title": "x",
            "status": "happened",
            "date": {"value": "2022-10-21", "method": "inferred", "basis": "the week of the report"},
            "evidence": [{"document": "doc:a", "quote": "met"}],
        }
    )
    ((pointer, code, message, hint, severity),) = date_rules(event)
    assert (pointer, code, severity) == ("/date/value", "day-without-support", "warning")
    assert "2022-10-21" in hint and "basis" in hint
    ok = event.model_copy(update={"date": event.date.model_copy(update={"basis": "the Friday: 2022-10-21"})})
    assert list(date_rules(ok)) == []
    unknown = event.model_copy(update={"date": event.date.model_copy(update={"value": None, "method": "stated"})})
    assert [(p, c) for p, c, *_ in date_rules(unknown)] == [("/date/method", "unknown-date-without-reason")]


def test_a_text_file_named_otherwise_than_its_id_and_a_segment_past_the_end():
    doc = _doc("doc:a").model_copy(update={"path": "received.txt"})
    doc = doc.model_copy(update={"segments": [Segment(kind="title", first_line=3, last_line=3)]})
    found = {(code, severity) for _, code, _, _, severity in document_rules(doc, "one line\n")}
    assert found == {("file-name-not-id", "warning"), ("segment-beyond-text", "error")}


@given(st.text(alphabet="ab \n\r", max_size=30), st.integers(1, 8), st.integers(0, 3))
def test_a_segment_is_past_the_end_exactly_when_it_ends_after_the_last_line(text, first, extra):
    from usua.text import line_starts

    doc = _doc("doc:a").model_copy(
        update={"segments": [Segment(kind="body", first_line=first, last_line=first + extra)]}
    )
    beyond = [message for _, code, message, _, _ in document_rules(doc, text) if code == "segment-beyond-text"]
    count = len(line_starts(text))  # the lines a text has, as quotes are located in them
    assert bool(beyond) == (first + extra > count)
    assert all(message.endswith(f"the text has {count} lines") for message in beyond)


@settings(max_examples=30, deadline=None)
@given(
    st.lists(st.sampled_from("alpha beta gamma delta epsilon".split()), min_size=21, max_size=60),
    st.lists(st.sampled_from("one two three four five six seven".split()), min_size=1, max_size=60),
)
def test_a_text_that_begins_with_another_is_told_and_one_that_only_starts_alike_is_not(start, tail):
    docs = [_doc("doc:a"), _doc("doc:b"), _doc("doc:c")]
    # b is a's text and more; c shares only a's first twenty words (of more), then words a never has
    texts = {"doc:a": " ".join(start), "doc:b": " ".join(start + tail), "doc:c": " ".join(start[:20] + tail)}

    def problem(origin, suffix, code, message, hint, severity="error"):
        return origin, message

    told = [(o, m) for o, m in check_repeats(docs, [d.id for d in docs], texts, problem) if "begins with" in m]
    assert told == [("doc:b", "doc:b may repeat doc:a: the text of doc:b begins with the whole text of doc:a")]
