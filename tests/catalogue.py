"""The bad-input catalogue: docs/bad-input.md is generated from the tables of cases the tests run.

A test module declares its cases in a table (a :class:`Section` of :class:`CliCase`, or of any
object with ``input``, ``command``, ``exit_code`` and ``run()``) and checks them; this module runs
every case of every section listed in :data:`SECTIONS` and writes what the user sees into one
Markdown page, so the page cannot go stale: tests/test_catalogue.py fails when it differs.

    python -m tests.catalogue            # rewrite docs/bad-input.md
    python -m tests.catalogue --check    # exit 1 if docs/bad-input.md is stale

To add a table, give its module a ``Section`` (or a function returning one) and list it below.
"""

from __future__ import annotations

import functools
import importlib
import os
import shlex
import shutil
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "bad-input.md"
DATA = Path(__file__).resolve().parent / "data"

#: Where the tables live, in the order of the page: "module:attribute" (a Section or a function
#: returning one).
SECTIONS = [
    "tests.test_catalogue:USAGE",
    "tests.test_catalogue:DATA_COMMANDS",
    "tests.test_catalogue:validate_section",
    "tests.catalogue:curation_section",
]

#: Every case runs with these settings, so that nothing is downloaded and the page is the same on
#: every machine.
ENV = {
    "USUA_BASE_URL": "http://127.0.0.1:9",
    "NO_COLOR": "1",
    "COLUMNS": "200",
    "USUA_ALLOW_UNPINNED": "",
    "USUA_DOWNLOAD_TIMEOUT": "",
}


@dataclass(frozen=True)
class Outcome:
    exit_code: int
    shown: str  # what the user sees on the terminal (stdout and stderr), paths made relative


class Case(Protocol):
    input: str
    exit_code: int

    @property
    def command(self) -> str: ...

    def run(self) -> Outcome: ...


@dataclass(frozen=True)
class CliCase:
    """One bad input to the ``usua`` command, run in an empty folder (outside any checkout)."""

    input: str  # what the user did wrong, in words
    argv: tuple[str, ...]  # the arguments after `usua`
    exit_code: int
    expect: tuple[str, ...] = ()  # substrings of what the user sees
    files: tuple[tuple[str, bytes], ...] = ()  # written into the folder first
    data: str | None = None  # a folder of tests/data copied into the folder first
    setup: Callable[[Path], None] | None = None  # anything else the case needs in the folder
    env: tuple[tuple[str, str], ...] = ()

    @property
    def command(self) -> str:
        return "usua " + shlex.join(self.argv)

    def run(self) -> Outcome:
        return _run_cli(self)


@functools.cache
def _run_cli(case: CliCase) -> Outcome:
    from typer.testing import CliRunner

    from usua import loading
    from usua.cli import app, build_cmds, data_cmds, validate_cmds, view_cmds  # noqa: F401  (every command, as `usua` has)

    folder = Path(tempfile.mkdtemp(prefix="usua-bad-input-"))
    cwd = os.getcwd()
    try:
        if case.data:
            shutil.copytree(DATA / case.data, folder, dirs_exist_ok=True)
        for name, content in case.files:
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_bytes(content)
        os.chdir(folder)
        if case.setup is not None:
            case.setup(folder)  # (it may change into another folder)
        loading.clear_caches()
        env = {**ENV, "USUA_CACHE_DIR": str(folder / ".cache"), **dict(case.env)}
        result = CliRunner().invoke(app, list(case.argv), env=env)
    finally:
        os.chdir(cwd)
        loading.clear_caches()
        shutil.rmtree(folder, ignore_errors=True)
    shown = "\n".join(line.rstrip() for line in result.output.replace(str(folder) + os.sep, "").splitlines())
    return Outcome(result.exit_code, shown.strip("\n"))


@dataclass(frozen=True)
class CurationCase:
    """A case of tests/bad_inputs.py (a file put into dataset/curation of the sample checkout of
    tests/test_build.py), as `usua validate` reports it there; tests/test_bad_inputs.py checks that
    the build says the same."""

    case: Any  # tests.bad_inputs.BadInput

    @property
    def input(self) -> str:
        return self.case.description

    @property
    def exit_code(self) -> int:
        return self.case.exit_code

    @property
    def command(self) -> str:
        return f"usua validate dataset/curation/{self.case.file}"

    def run(self) -> Outcome:
        return _run_curation(self)


@functools.cache
def _run_curation(case: CurationCase) -> Outcome:
    from tests.test_build import write_sample_checkout

    folder = Path(tempfile.mkdtemp(prefix="usua-bad-input-"))
    try:
        root = write_sample_checkout(folder / "repo")

        def setup(_: Path) -> None:
            case.case.make(root / "dataset" / "curation" / case.case.file)
            os.chdir(root)  # _run_cli changes into its own folder first; the command runs in the checkout

        outcome = _run_cli(
            CliCase(case.input, ("validate", f"dataset/curation/{case.case.file}"), case.exit_code, setup=setup)
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return Outcome(outcome.exit_code, outcome.shown.replace(str(root) + os.sep, ""))


def curation_section() -> Section:
    from tests.bad_inputs import CASES

    return Section(
        "Curation files in a checkout (`usua validate` and `usua build` agree)",
        "A file in `dataset/curation/` of a checkout: `usua validate` names the problem in one line and "
        "`usua build` refuses the file with the very same line, leaving the last release untouched.",
        tuple(CurationCase(c) for c in CASES),
    )


@dataclass(frozen=True)
class Section:
    title: str
    intro: str
    cases: Sequence[Any] = field(default_factory=tuple)


def sections() -> list[Section]:
    out = []
    for ref in SECTIONS:
        module, _, attr = ref.partition(":")
        obj = getattr(importlib.import_module(module), attr)
        out.append(obj() if callable(obj) else obj)
    return out


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", "<br>") or " "


def render() -> str:
    parts = [
        "# What bad input looks like\n",
        "Every row below is a test case: the input, the command, its exit status and what the user sees, "
        "exactly as the test suite ran it. (Generated by `python -m tests.catalogue` from the tables in "
        "`tests/`; a test fails when this page is stale. Exit status 1: the input is wrong; 2: the command "
        "line is.)\n",
    ]
    for section in sections():
        parts.append(f"## {section.title}\n")
        parts.append(f"{section.intro}\n")
        rows = ["| input | command | exit | what the user sees |", "|---|---|---|---|"]
        for case in section.cases:
            outcome = case.run()
            rows.append(
                f"| {_cell(case.input)} | `{_cell(case.command)}` | {outcome.exit_code} | "
                f"<code>{_cell(_html(outcome.shown))}</code> |"
            )
        parts.append("\n".join(rows) + "\n")
    return "\n".join(parts)


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    text = render()
    if "--check" in args:
        current = DOC.read_text(encoding="utf-8") if DOC.is_file() else ""
        if current != text:
            print(f"{DOC.relative_to(ROOT)} is stale: run `python -m tests.catalogue`", file=sys.stderr)
            return 1
        return 0
    DOC.parent.mkdir(parents=True, exist_ok=True)
    DOC.write_text(text, encoding="utf-8")
    print(f"wrote {DOC.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
