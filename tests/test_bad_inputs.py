"""Every bad input of tests/bad_inputs.py, through `usua validate`, `usua.validate` and `usua build`:
the same verdict everywhere, exit 1 with one clear line, and nothing already built is damaged."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import usua
from tests.bad_inputs import CASES, GOOD_INPUTS, BadInput
from tests.strategies import quotes
from usua.validation.quotes import COMMON_WORDS
from usua.validation.reader import CONTROL_RE
from usua.version import DATASET_VERSION
from tests.test_build import write_sample_checkout
from tests.test_release import _usua, snapshot


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The sample checkout with its release built once (copied for each case)."""
    root = write_sample_checkout(tmp_path_factory.mktemp("built") / "repo")
    out = _usua("build", "--root", str(root), cwd=root)
    assert out.returncode == 0, out.stderr
    return root


@pytest.fixture
def checkout(built, tmp_path) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(built, root, symlinks=True)
    return root


def _state(root: Path) -> dict[str, bytes]:
    return {**snapshot(root / "dataset" / "releases"), **{f"bundle/{k}": v for k, v in snapshot(root / "usua").items()}}


def _problem_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.strip()]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_validate_and_build_give_the_same_one_line_verdict(checkout, case: BadInput, monkeypatch):
    monkeypatch.chdir(checkout)
    path = checkout / "dataset" / "curation" / case.file
    case.make(path)
    rel = f"dataset/curation/{case.file}"
    before = _state(checkout)
    file_before = os.readlink(path) if path.is_symlink() else None

    validated = _usua("validate", rel, cwd=checkout)
    assert validated.returncode == case.exit_code, validated.output
    lines = _problem_lines(validated.stdout)
    assert len(lines) == 2, validated.output  # the problem, then the summary
    assert lines[0].startswith(f"{rel}") and case.message in lines[0], lines[0]
    assert lines[1] == "1 error, 0 warnings in 1 file"

    library = usua.validate(rel, checkout=checkout)
    assert [p.format() for p in library.problems] == [lines[0]]  # the library's verdict is the command's

    built = _usua("build", "--root", str(checkout), cwd=checkout)
    assert built.returncode == case.exit_code, built.output
    build_lines = _problem_lines(built.stderr)
    assert build_lines[0] == "error: the curation has 1 problem(s):", built.stderr
    assert len(build_lines) == 2 and case.message in build_lines[1], built.stderr
    if case.same_line_in_build:
        assert build_lines[1] == lines[0]  # the very line validate gives
    assert "Traceback" not in validated.output + built.output

    assert _state(checkout) == before  # the release is untouched
    assert not [p for p in (checkout / "dataset" / "releases").iterdir() if p.name.startswith(".tmp-")]
    if file_before is not None:
        assert os.readlink(path) == file_before


@pytest.mark.parametrize("case", GOOD_INPUTS, ids=[c.name for c in GOOD_INPUTS])
def test_what_validate_accepts_the_build_keeps(checkout, case: BadInput):
    case.make(checkout / "dataset" / "curation" / case.file)
    validated = _usua("validate", f"dataset/curation/{case.file}", cwd=checkout)
    assert validated.returncode == 0 and validated.stdout.startswith("OK: 1 file valid"), validated.output
    built = _usua("build", "--root", str(checkout), cwd=checkout)
    assert built.returncode == 0, built.stderr
    entities = (checkout / "dataset" / "releases" / DATASET_VERSION / "json" / "entities.json").read_text(
        encoding="utf-8"
    )
    assert f'"{case.message}"' in entities
    inputs = (checkout / "dataset" / "releases" / DATASET_VERSION / "inputs.json").read_text(encoding="utf-8")
    assert f"dataset/curation/{case.file}" in inputs  # the build's inputs, listed in the manifest by hash


def test_deep_yaml_is_one_line_in_a_real_process(tmp_path):
    """The first report: libyaml's composer overflowed the C stack (exit 139, no message)."""
    deep = next(c for c in CASES if c.name == "deep-yaml")
    deep.make(tmp_path / deep.file)
    proc = subprocess.run(
        [sys.executable, "-m", "usua", "validate", deep.file], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 1, (proc.returncode, proc.stderr)
    assert deep.message in proc.stdout.splitlines()[0] and proc.stderr == ""


def test_outside_a_checkout_a_released_id_may_be_referred_to_but_not_defined(tmp_path, monkeypatch):
    """The command and the library read the bundled release alike (outside a checkout)."""
    from tests.bad_inputs import _yaml, entity

    import json

    monkeypatch.chdir(tmp_path)
    from usua import release_folder

    bundled = release_folder.BUNDLED_DIR / "records" / "entities.json"
    released = json.loads(bundled.read_text(encoding="utf-8"))[0]["id"]
    _yaml(entities=[entity(id=released, evidence=[{"document": "doc:x", "quote": "some words"}])])(tmp_path / "a.yaml")
    command = _usua("validate", "a.yaml", cwd=tmp_path)
    library = usua.validate("a.yaml")
    assert command.returncode == 1
    wanted = f"the id {released} is already used in the release"
    assert wanted in command.stdout
    assert [p.format() for p in library.problems] == _problem_lines(command.stdout)[:-1]
    _yaml(entities=[entity(id="ent:brand-new", evidence=[{"document": "doc:x", "quote": "some words"}])])(
        tmp_path / "b.yaml"
    )
    assert _problem_lines(_usua("validate", "b.yaml", cwd=tmp_path).stdout) == [
        p.format() for p in usua.validate("b.yaml").problems
    ] + ["1 error, 0 warnings in 1 file"]


_CONTROLS = st.sampled_from([chr(c) for c in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0))])


@settings(max_examples=150, deadline=None)
@given(
    _CONTROLS,
    st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=10),
    st.sampled_from(["yaml", "json", "jsonl"]),
)
def test_any_control_character_in_any_format_is_one_clear_problem(control, before, fmt):
    """Every control character but tab and line breaks, however the format writes it (YAML escapes,
    JSON \\u escapes, or raw UTF-8 for C1 controls in JSON), is refused with its code point and place."""
    from tests.bad_inputs import _json, _jsonl, entity
    from usua.validation import check_paths

    name = before + control + "city"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"c.{fmt}"
        if fmt == "yaml":  # escaped ("\x85", "\0"...): a raw NEL is a line break to YAML, not a character
            path.write_text(
                yaml.safe_dump({"schema_version": "1.0.0", "entities": [entity(name=name)]}, allow_unicode=False),
                encoding="utf-8",
            )
        else:
            {"json": _json(entities=[entity(name=name)]), "jsonl": _jsonl({"entity": entity(name=name)})}[fmt](path)
        if fmt == "json" and ord(control) >= 0x7F:  # raw, as an editor would leave it
            path.write_text(
                path.read_text(encoding="utf-8").replace("\\u%04x" % ord(control), control), encoding="utf-8"
            )
        problems = check_paths([path], known_ids={"doc:kyiv"}).problems
    assert [p.code for p in problems] == ["control-character"], [p.format() for p in problems]
    assert f"U+{ord(control):04X}" in problems[0].message and f"at character {len(before) + 1}" in problems[0].message
    assert problems[0].pointer == ("/entity/name" if fmt == "jsonl" else "/entities/0/name")


@settings(max_examples=20, deadline=None)
@given(st.sampled_from(["\t", "\n", "\r\n"]), st.sampled_from(["yaml", "json", "jsonl"]))
def test_tabs_and_line_breaks_in_text_are_allowed(allowed, fmt):
    from tests.bad_inputs import _json, _jsonl, _yaml, entity
    from usua.validation import check_paths

    record = entity(description=f"A city{allowed}on the Dnipro.")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"c.{fmt}"
        {"yaml": _yaml(entities=[record]), "json": _json(entities=[record]), "jsonl": _jsonl({"entity": record})}[fmt](
            path
        )
        problems = check_paths([path], known_ids={"doc:kyiv"}).problems
    assert problems == [], [p.format() for p in problems]


def test_deep_documents_and_exclusion_files_are_one_line_in_the_build_too(checkout):
    """Not contributions in dataset/curation, but read by the build with the same reader."""
    before = _state(checkout)
    documents = checkout / "dataset" / "sources" / "documents.yaml"
    good = documents.read_bytes()
    documents.write_text("x: " + "[" * 40_000 + "\n", encoding="utf-8")
    built = _usua("build", "--root", str(checkout), cwd=checkout)
    assert built.returncode == 1
    lines = _problem_lines(built.stderr)  # (the documents' ids are unknown then: every reference says so)
    assert lines[0].startswith("error: the curation has ") and "Traceback" not in built.stderr
    assert (
        "dataset/sources/documents.yaml:1: values are nested more than 40 levels deep "
        "(flatten the structure; contributions need only a few levels)"
    ) in lines
    documents.write_bytes(good)
    (checkout / "dataset" / "curation" / "excluded-names.yaml").write_text("x: " + "{a: " * 40_000 + "\n")
    built = _usua("build", "--root", str(checkout), cwd=checkout)
    assert built.returncode == 1
    assert _problem_lines(built.stderr) == [
        "error: dataset/curation/excluded-names.yaml cannot be read:",
        "dataset/curation/excluded-names.yaml:1: values are nested more than 40 levels deep "
        "(flatten the structure; contributions need only a few levels)",
    ]
    assert _state(checkout) == before


# --- evidence quotes must be able to single something out ------------------------------------------

_weak_words = st.one_of(
    st.sampled_from(sorted(COMMON_WORDS)).map(lambda w: w.upper() if len(w) % 2 else w),
    st.from_regex(r"[A-Za-z0-9]{1,2}", fullmatch=True),
)
_gaps = st.text(st.characters(whitelist_categories=("Zs", "Po", "Pd", "Ps", "Pe")), min_size=1, max_size=3)


def _quote_problems(quote: str) -> list:
    from tests.bad_inputs import _jsonl, entity
    from usua.validation import check_paths

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "q.jsonl"
        _jsonl({"entity": entity(evidence=[{"document": "doc:kyiv", "quote": quote}])})(path)
        return check_paths([path], known_ids={"doc:kyiv"}).problems


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(_weak_words, _gaps), max_size=6), _gaps)
def test_a_quote_of_only_common_or_short_words_is_refused(pieces, tail):
    problems = _quote_problems("".join(w + g for w, g in pieces) + tail)
    assert [(p.code, p.pointer, p.severity) for p in problems] == [("weak-quote", "/entity/evidence/0/quote", "error")]


@settings(max_examples=60, deadline=None)
@given(quotes.filter(lambda q: not CONTROL_RE.search(q)))  # (control characters are refused on their own)
def test_a_quote_with_one_uncommon_word_is_accepted(quote):
    assert _quote_problems(quote) == []


def test_a_checkout_file_named_from_outside_is_checked_in_its_checkout(checkout, tmp_path, monkeypatch):
    """The checkout is the current folder's, else the one holding the file: no false 'already in the
    release' for a curation file validated from elsewhere, and the checkout's problems still found."""
    from tests.bad_inputs import _yaml, entity

    path = checkout / "dataset" / "curation" / "again.yaml"
    _yaml(entities=[entity(id="ent:kyiv")])(path)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    command = _usua("validate", str(path), cwd=outside)
    assert command.returncode == 1
    (line, summary) = _problem_lines(command.stdout)
    assert line.startswith(f"{path}:3: /entities/0/id: the id ent:kyiv is already used in ") and "sample.yaml" in line
    monkeypatch.chdir(outside)  # (other files are named relative to the current folder)
    assert [p.format() for p in usua.validate(path).problems] == [line]
    path.unlink()
    assert _usua("validate", str(checkout / "dataset" / "curation" / "sample.yaml"), cwd=outside).returncode == 0


def test_a_hidden_file_in_the_curation_is_refused_by_validate_because_the_build_skips_it(checkout):
    """The build skips hidden names (editors' lock and backup files); validate must not pass a file
    whose records would never reach the release."""
    from tests.bad_inputs import _yaml, entity

    _yaml(entities=[entity()])(checkout / "dataset" / "curation" / ".new.yaml")
    validated = _usua("validate", "dataset/curation/.new.yaml", cwd=checkout)
    assert validated.returncode == 1
    assert _problem_lines(validated.stdout)[0] == (
        "dataset/curation/.new.yaml: the build does not read this file "
        "(names starting with '.' are skipped) (rename it without the leading dot)"
    )
    assert _usua("build", "--root", str(checkout), cwd=checkout).returncode == 0
    assert "ent:kyiv-city" not in (
        checkout / "dataset" / "releases" / DATASET_VERSION / "json" / "entities.json"
    ).read_text(encoding="utf-8")


def test_a_weak_quote_is_told_with_the_other_problems_of_its_record(checkout):
    from tests.bad_inputs import _yaml, entity

    _yaml(entities=[entity(kind="persn", evidence=[{"document": "doc:kyiv", "quote": "the"}])])(
        checkout / "dataset" / "curation" / "two.yaml"
    )
    validated = _usua("validate", "dataset/curation/two.yaml", cwd=checkout)
    lines = _problem_lines(validated.stdout)
    assert validated.returncode == 1 and lines[-1] == "2 errors, 0 warnings in 1 file", validated.stdout
    assert any("'persn' is not an allowed kind" in line for line in lines)
    assert any("/entities/0/evidence/0/quote: the quote 'the' is too weak" in line for line in lines)
