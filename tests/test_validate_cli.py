"""`usua validate`: one line per problem, a summary, exit codes, no traceback, nothing changed."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from usua.cli import app, build_cmds, data_cmds, validate_cmds  # noqa: F401  (importing registers the commands)

DATA = Path(__file__).parent / "data" / "validate"
ROOT = Path(__file__).resolve().parent.parent
runner = CliRunner()


@pytest.fixture
def work(tmp_path, monkeypatch):
    """A folder outside any checkout holding the test document, its text and a good contribution."""
    shutil.copytree(DATA, tmp_path / "w", dirs_exist_ok=True)
    monkeypatch.chdir(tmp_path / "w")
    return tmp_path / "w"


def run(*args: str):
    return runner.invoke(app, ["validate", *args, "--sources", "sources", "--release", "release"])


@pytest.fixture(autouse=True)
def empty_release(tmp_path):
    # a release folder with no records, so the bundled release (if any) does not change what is known
    (tmp_path / "w" / "release" / "records").mkdir(parents=True, exist_ok=True)


def digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_good_files_exit_0(work):
    result = run("documents.yaml", "good.yaml")
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "OK: 2 files valid"


BAD_INPUTS = {
    # name: (file name, content, code-free part of the one-line message)
    "missing": (None, None, "missing.yaml: the file does not exist (check the path and its spelling)"),
    "directory": ("adir", "DIR", "adir: this is a folder, not a file"),
    "empty": ("empty.yaml", b"", "empty.yaml: the file is empty"),
    "utf8": (
        "bad.yaml",
        b'schema_version: "1.0.0"\n\xe9t\xe9: []\n',
        "bad.yaml:2: byte 24 (0xe9) is not valid UTF-8 text (save the file as UTF-8)",
    ),
    "duplicate key": (
        "dup.yaml",
        b'schema_version: "1.0.0"\nroles: []\nroles: []\n',
        "dup.yaml:3: key 'roles' appears twice in the same mapping (first on line 2)",
    ),
    "alias": (
        "alias.yaml",
        b'schema_version: "1.0.0"\nx: &a [1]\ny: *a\n',
        "alias.yaml:2: YAML aliases (*) are not allowed: the value of line 2 is reused",
    ),
    "too large": (
        "big.jsonl",
        "BIG",
        "big.jsonl: the file is 52,428,801 bytes, over the limit of 52,428,800 bytes (50 MB) (split it into several files",
    ),
    "unknown section": (
        "sec.yaml",
        b'schema_version: "1.0.0"\nactors: []\n',
        "sec.yaml:2: /actors: 'actors' is not a section of a contribution",
    ),
    "unknown record type": (
        "t.jsonl",
        b'{"actor": {"id": "ent:x"}}\n',
        "t.jsonl:1: /actor: 'actor' is not a record type",
    ),
    "syntax": ("syn.yaml", b'schema_version: "1.0.0"\nentities: [\n', "syn.yaml:3: invalid YAML at line 3, column 1"),
    "json syntax": ("syn.json", b'{"schema_version": "1.0.0",}', "syn.json:1: invalid JSON at line 1, column 28"),
}


@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_bad_input_is_one_line_exit_1_no_traceback_nothing_changed(work, case):
    name, content, expected = BAD_INPUTS[case]
    name = name or "missing.yaml"
    if content == "DIR":
        (work / name).mkdir()
    elif content == "BIG":
        with open(work / name, "wb") as f:
            f.truncate(50 * 1024 * 1024 + 1)  # sparse: instant to make
    elif content is not None:
        (work / name).write_bytes(content)
    before = digest(work)
    result = run(name, "good.yaml", "documents.yaml")
    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    assert len(lines) == 2, result.output  # the problem and the summary
    assert lines[0].startswith(expected), lines[0]
    assert lines[1] == "1 error, 0 warnings in 3 files"
    assert "Traceback" not in result.output and isinstance(result.exception, SystemExit)
    assert digest(work) == before


def test_outside_root(work, tmp_path):
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text('schema_version: "1.0.0"\n', encoding="utf-8")
    result = run(str(outside), "--root", ".")
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == f"{outside}: the file lies outside the project folder (move it inside .)"


def test_all_problems_of_all_files_at_once(work):
    (work / "a.yaml").write_text('schema_version: "1.0.0"\nentites: []\nevents: [{id: "evt:x"}]\n', encoding="utf-8")
    (work / "b.jsonl").write_text('{"figure": {"id": "fig:y"}}\nnot json\n', encoding="utf-8")
    result = run("a.yaml", "b.jsonl")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[-1].startswith("1") and "errors" in lines[-1]
    files = [line.split(":")[0] for line in lines[:-1]]
    assert files == sorted(files) and {"a.yaml", "b.jsonl"} == set(files)
    assert any("/events/0/title: the required field 'title' is missing" in line for line in lines)
    assert any(line.startswith("b.jsonl:2: invalid JSON") for line in lines)


def test_json_format(work):
    (work / "a.yaml").write_text('schema_version: "1.0.0"\nevents: [{id: "evt:x", title: 3}]\n', encoding="utf-8")
    result = run("a.yaml", "--format", "json")
    assert result.exit_code == 1
    problems = json.loads(result.output)
    assert {p["pointer"] for p in problems} >= {"/events/0/title", "/events/0/date"}
    assert set(problems[0]) == {"file", "line", "pointer", "code", "message", "hint", "severity"}
    assert all(p["file"] == "a.yaml" and p["line"] == 2 for p in problems)
    ok = run("good.yaml", "documents.yaml", "--format", "json")
    assert ok.exit_code == 0 and json.loads(ok.output) == []


def test_warnings_alone_exit_0(work):
    text = (work / "good.yaml").read_text(encoding="utf-8").replace(", occurrence: 2}", "}")
    (work / "good.yaml").write_text(text, encoding="utf-8")
    result = run("good.yaml", "documents.yaml")
    assert result.exit_code == 0
    assert "warning: /entities/2/evidence/0/quote: the quote occurs 2 times" in result.output
    assert result.output.splitlines()[-1] == "OK: 2 files valid, 1 warning"


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["--format", "xml", "good.yaml"],
        ["good.yaml", "--sources", "nowhere"],
        ["good.yaml", "--release", "nowhere"],
    ],
)
def test_usage_errors_exit_2(work, args):
    result = runner.invoke(app, ["validate", *args])
    assert result.exit_code == 2, result.output


def test_release_ids_may_be_referred_to(work):
    text = (
        (work / "good.yaml")
        .read_text(encoding="utf-8")
        .replace("organization: ent:freedonia", "organization: ent:released")
    )
    (work / "good.yaml").write_text(text, encoding="utf-8")
    result = run("good.yaml", "documents.yaml")
    assert result.exit_code == 1 and "ent:released is not defined" in result.output
    (work / "release" / "records" / "entities.json").write_text(json.dumps([{"id": "ent:released"}]), encoding="utf-8")
    assert run("good.yaml", "documents.yaml").exit_code == 0


def test_release_documents_let_quotes_be_checked(work):
    docs = yaml.safe_load((work / "documents.yaml").read_text(encoding="utf-8"))["documents"]
    (work / "release" / "records" / "documents.json").write_text(json.dumps(docs), encoding="utf-8")
    text = (
        (work / "good.yaml")
        .read_text(encoding="utf-8")
        .replace("met in Example City on Tuesday", "met in Example Town")
    )
    (work / "good.yaml").write_text(text, encoding="utf-8")
    result = run("good.yaml")  # documents.yaml not given: the release supplies the document records
    assert result.exit_code == 1
    assert 'the quote "met in Example Town" is not in doc:sample' in result.output


def test_inside_a_checkout_other_curation_files_are_context(tmp_path, monkeypatch):
    checkout = tmp_path / "repo"
    (checkout / "dataset" / "curation").mkdir(parents=True)
    shutil.copytree(DATA / "sources", checkout / "dataset" / "sources")
    shutil.copy(DATA / "documents.yaml", checkout / "dataset" / "sources" / "documents.yaml")
    data = yaml.safe_load(
        (DATA / "good.yaml").read_text(encoding="utf-8").replace("value: 2020-01-07", 'value: "2020-01-07"')
    )
    entities = {"schema_version": "1.0.0", "entities": data.pop("entities")}
    (checkout / "dataset" / "curation" / "entities.yaml").write_text(yaml.safe_dump(entities), encoding="utf-8")
    (checkout / "dataset" / "curation" / "rest.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    (checkout / "dataset" / "curation" / "broken.yaml").write_text("not: [valid\n", encoding="utf-8")
    (checkout / "dataset" / "curation" / "excluded-names.yaml").write_text("excluded: []\n", encoding="utf-8")
    (checkout / "release" / "records").mkdir(parents=True)
    monkeypatch.chdir(checkout)
    result = runner.invoke(app, ["validate", "dataset/curation/rest.yaml", "--release", "release"])
    assert result.exit_code == 0, result.output  # entities and documents come from the other files
    quote = (
        (checkout / "dataset" / "curation" / "rest.yaml")
        .read_text(encoding="utf-8")
        .replace("would meet again", "will meet again")
    )
    (checkout / "dataset" / "curation" / "rest.yaml").write_text(quote, encoding="utf-8")
    result = runner.invoke(
        app, ["validate", "dataset/curation/rest.yaml", "dataset/curation/excluded-names.yaml", "--release", "release"]
    )
    assert result.exit_code == 1
    assert "will meet again" in result.output and "broken.yaml" not in result.output
    assert "excluded-names" not in result.output
    alone = runner.invoke(app, ["validate", "dataset/curation/rest.yaml", "--no-context", "--release", "release"])
    assert "ent:ada-lovell is not defined" in alone.output


def _usua() -> list[str]:
    exe = Path(sys.executable).with_name("usua")
    return [str(exe)] if exe.exists() else [sys.executable, "-c", "from usua.cli import main; main()"]


def test_real_command_no_colour_when_piped(work):
    (work / "a.yaml").write_text('schema_version: "1.0.0"\nentities: [{id: "ent:x", kind: persn}]\n', encoding="utf-8")
    env = {**os.environ, "TERM": "xterm-256color"}
    env.pop("FORCE_COLOR", None)
    proc = subprocess.run(
        [*_usua(), "validate", "a.yaml", "--release", "release"],
        capture_output=True,
        text=True,
        cwd=work,
        env=env,
        timeout=60,
    )
    assert proc.returncode == 1
    assert "\x1b[" not in proc.stdout and "Traceback" not in proc.stdout + proc.stderr
    assert re.search(r"^a\.yaml:2: /entities/0/kind: 'persn' is not an allowed kind", proc.stdout, re.M)


def test_pre_commit_hook_definition_runs(work):
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook = next(h for h in hooks if h["id"] == "usua-validate")
    assert hook["language"] == "python" and hook["entry"].split() == ["usua", "validate"]
    files, exclude = re.compile(hook["files"]), re.compile(hook["exclude"])
    selected = [
        p
        for p in [
            "dataset/curation/events.yaml",
            "contributions/2024/new.jsonl",
            "contributions/a.json",
            "docs/notes.yaml",
            "dataset/curation/excluded-names.yaml",
            "contributions/readme.md",
        ]
        if files.search(p) and not exclude.search(p)
    ]
    assert selected == ["dataset/curation/events.yaml", "contributions/2024/new.jsonl", "contributions/a.json"]
    entry = _usua() + hook["entry"].split()[1:]
    ok = subprocess.run(
        [*entry, "good.yaml", "documents.yaml", "--release", "release"],
        cwd=work,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert ok.returncode == 0, ok.stdout + ok.stderr
