"""`usua --help` and a plain `usua validate` are answered without typer (usua.cli.main): they must say
exactly what the typer command says, and leave to typer every command line they do not fully read."""

from __future__ import annotations

import contextlib
import io
import re
import shutil
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from usua.cli import build_cmds, data_cmds, main, validate_cmds, view_cmds  # noqa: F401  (registers the commands)
from usua.cli.overview import COMMANDS, OPTIONS, overview
from usua.cli.typer_app import app
from usua.cli.validate_run import fast_arguments

DATA = Path(__file__).parent / "data" / "validate"
runner = CliRunner()


def _fast(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    old = sys.argv
    sys.argv = ["usua", *argv]
    code = 0
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            main()
    except SystemExit as exc:
        code = int(exc.code or 0)
    finally:
        sys.argv = old
    return code, out.getvalue(), err.getvalue()


def test_the_overview_lists_every_command_with_its_own_help():
    import typer.main

    group = typer.main.get_command(app)
    ctx = group.make_context("usua", ["--help"], resilient_parsing=True)
    registered = [
        (name, group.get_command(ctx, name).get_short_help_str(limit=1000).replace("\\[", "["))
        for name in group.list_commands(ctx)
    ]
    assert list(COMMANDS) == registered
    options = {max(p.opts, key=len): p.help for p in group.params if p.help}
    assert all(options.get(name, text) == text for name, text in OPTIONS)
    text = overview()
    assert text.startswith("Usage: usua [OPTIONS] COMMAND [ARGS]...") and all(f"  {n} " in text for n, _ in COMMANDS)


@pytest.fixture
def work(tmp_path, monkeypatch):
    shutil.copytree(DATA, tmp_path / "w")
    (tmp_path / "w" / "release" / "records").mkdir(parents=True)
    (tmp_path / "w" / "bad.jsonl").write_text(
        '{"schema_version": "1.0.0"}\n{"entity": {"id": "ent:X", "kind": "persn"}}\n{"event": [1]}\n',
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path / "w")
    return tmp_path / "w"


COMMAND_LINES = [
    ["good.yaml", "--sources", "sources", "--release", "release"],
    ["good.yaml", "--release", "release"],
    ["bad.jsonl", "--release=release"],
    ["bad.jsonl", "good.yaml", "--format", "json", "--release", "release", "--sources", "sources"],
    ["--no-context", "bad.jsonl", "--format=json", "--release", "release"],
    ["bad.jsonl", "--release", "no-such-folder"],
    ["bad.jsonl", "--sources", "no-such-folder", "--release", "release"],
    ["missing.yaml", "--release", "release", "--root", "."],
]


@pytest.mark.parametrize("argv", COMMAND_LINES)
def test_the_quick_validate_says_what_the_typer_command_says(work, argv):
    assert fast_arguments(argv) is not None  # these are read without typer
    code, out, err = _fast(["validate", *argv])
    typer_run = runner.invoke(app, ["validate", *argv])
    assert (code, out) == (typer_run.exit_code, typer_run.stdout)
    assert err == typer_run.stderr


@pytest.mark.parametrize(
    "argv",
    [[], ["--help"], ["-h"], ["--format"], ["f.yaml", "--format", "xml"], ["f.yaml", "--fromat", "json"], ["--", "f"]],
)
def test_what_the_quick_path_does_not_read_goes_to_typer(argv):
    assert fast_arguments(argv) is None


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["a.yaml", "--format", "json", "text", "--root", "--context", "-x", "--", "="])))
def test_the_quick_path_reads_only_what_typer_reads_the_same_way(argv):
    found = fast_arguments(argv)
    if found is None:
        return
    # every option it took has its value, every file is a plain name, and nothing unknown got through
    assert found["files"] and all(not re.match(r"-.", str(f)) for f in found["files"])
    assert found["output"] in ("text", "json")
    # an unknown option or "--" sends the line to typer, unless it is the value of the option before it
    values = {i + 1 for i, a in enumerate(argv) if a in ("--format", "--root")}
    assert not any(a in ("-x", "--") and i not in values for i, a in enumerate(argv))
