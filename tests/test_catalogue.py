"""Bad input, table by table: each case gives the exit status and message it declares, in one line
(plus validate's summary), with no traceback; docs/bad-input.md is what these cases print."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import catalogue
from tests.catalogue import CliCase, Section

USAGE = Section(
    "Command lines",
    "A malformed command line is one line on stderr with a hint of what was meant, and exit status 2.",
    (
        CliCase(
            "a command name with a typo",
            ("valdate", "my-records.yaml"),
            2,
            ("unknown command 'valdate' (did you mean 'validate'?)",),
        ),
        CliCase(
            "an option name with a typo",
            ("download", "1.0.0", "--tabels", "events"),
            2,
            ("download: unknown option '--tabels' (did you mean '--tables'?)",),
        ),
        CliCase("an option of another command", ("--format", "json"), 2, ("unknown option '--format'",)),
        CliCase("a missing argument", ("validate",), 2, ("validate: missing argument FILE",)),
        CliCase(
            "a missing required option",
            ("export", "--out", "usua.db"),
            2,
            ("export: missing option --format: give one of csv, sqlite",),
        ),
        CliCase(
            "a value outside the choices",
            ("export", "--format", "sqlit", "--out", "usua.db"),
            2,
            ("invalid value for --format: 'sqlit' is not one of 'csv', 'sqlite' (did you mean 'sqlite'?)",),
        ),
        CliCase(
            "a number that is not one", ("show", "events", "--limit", "ten"), 2, ("show: invalid value for --limit:",)
        ),
        CliCase(
            "a number out of range",
            ("download", "1.0.0", "--timeout", "0"),
            2,
            ("download: invalid value for --timeout:",),
        ),
        CliCase(
            "an option without its value",
            ("show", "events", "--where"),
            2,
            ("show: option '--where' requires an argument",),
        ),
        CliCase("one argument too many", ("show", "events", "entities"), 2, ("show: got unexpected extra argument",)),
    ),
)

DATA_COMMANDS = Section(
    "Reading the data",
    "`usua show`, `tables`, `info`, `sql`, `export` and `download` name what is wrong and what is known.",
    (
        CliCase(
            "a table name with a typo", ("show", "evnts"), 1, ("unknown table in release", "(did you mean 'events'?)")
        ),
        CliCase(
            "a filter that is not column=value",
            ("show", "events", "--where", "status"),
            2,
            ("--where 'status' is not of the form column=value",),
        ),
        CliCase(
            "a column the table lacks",
            ("show", "events", "--columns", "id,titel"),
            2,
            ("--columns: table events has no column 'titel'",),
        ),
        CliCase(
            "a folder that is not a release",
            ("tables", "--release-dir", "."),
            1,
            ("is not a release folder: it has no manifest.json",),
        ),
        CliCase(
            "a damaged release manifest",
            ("info", "--release-dir", "rel"),
            1,
            ("rel/manifest.json is not valid JSON", "the release is damaged"),
            files=(("rel/manifest.json", b'{"dataset": "usua", '),),
        ),
        CliCase(
            "a manifest whose tables are of the wrong shape",
            ("show", "events", "--release-dir", "rel"),
            1,
            ('"tables" is not a mapping',),
            files=(
                ("rel/manifest.json", b'{"dataset": "usua", "dataset_version": "1.0.0", "files": {}, "tables": []}'),
            ),
        ),
        CliCase("a version that is not a version", ("download", "../etc"), 1, ("is not a release version",)),
        CliCase(
            "a version the package does not know",
            ("download", "9.9.9"),
            1,
            ("release 9.9.9 is not in this package's registry", "--allow-unpinned"),
        ),
        CliCase(
            "an unknown version, allowed, with no server",
            ("download", "9.9.9", "--allow-unpinned"),
            1,
            ("cannot reach http://127.0.0.1:9/9.9.9/manifest.json",),
        ),
        CliCase(
            "an export over an existing file",
            ("export", "--format", "sqlite", "--out", "usua.db"),
            1,
            ("already exists", "--force"),
            files=(("usua.db", b"mine"),),
        ),
        CliCase(
            "a download timeout that is not a number",
            ("download", "9.9.9"),
            1,
            ("download timeout 'soon' is not a positive number of seconds",),
            env=(("USUA_DOWNLOAD_TIMEOUT", "soon"),),
        ),
    ),
)


def _empty_release(folder: Path) -> None:
    (folder / "release" / "records").mkdir(parents=True)


def _bad_file(name: str, content: object):
    def setup(folder: Path) -> None:
        if content == "DIR":
            (folder / name).mkdir()
        elif content == "BIG":
            with open(folder / name, "wb") as f:
                f.truncate(50 * 1024 * 1024 + 1)  # sparse: instant to make
        elif isinstance(content, bytes):
            (folder / name).write_bytes(content)
        _empty_release(folder)

    return setup


#: How the cases of tests/test_validate_cli.py read in the catalogue (its key otherwise).
VALIDATE_INPUTS = {
    "missing": "a file that does not exist",
    "directory": "a folder instead of a file",
    "empty": "an empty file",
    "utf8": "text that is not UTF-8",
    "duplicate key": "a key written twice",
    "alias": "a YAML alias",
    "too large": "a file over 50 MB",
    "unknown section": "a section that does not exist",
    "unknown record type": "a JSON Lines record of an unknown type",
    "syntax": "broken YAML",
    "json syntax": "broken JSON",
}


def validate_section() -> Section:
    """The table of tests/test_validate_cli.py, run as a user would type it."""
    from tests.test_validate_cli import BAD_INPUTS

    cases = []
    for case, (name, content, expected) in BAD_INPUTS.items():
        name = name or "missing.yaml"
        cases.append(
            CliCase(
                VALIDATE_INPUTS.get(case, case),
                ("validate", name, "--sources", "sources", "--release", "release"),
                1,
                (expected,),
                data="validate",
                setup=_bad_file(name, content),
            )
        )
    return Section(
        "Contribution files (`usua validate`)",
        "Each problem is one line (file, line, JSON pointer, what is wrong, how to fix it), then a "
        "summary; exit status 1. Every problem of every file comes at once.",
        tuple(cases),
    )


ALL_CASES = [c for s in (USAGE, DATA_COMMANDS) for c in s.cases]


@pytest.mark.parametrize("case", ALL_CASES, ids=[c.input for c in ALL_CASES])
def test_case_gives_its_message_in_one_line(case):
    outcome = case.run()
    assert outcome.exit_code == case.exit_code, outcome
    lines = outcome.shown.splitlines()
    assert len(lines) == 1 and lines[0].startswith("usua: error: "), outcome.shown
    assert "Traceback" not in outcome.shown and "╭" not in outcome.shown
    for needle in case.expect:
        assert needle in outcome.shown, outcome.shown


def test_validate_cases_run_as_typed_give_the_same_messages():
    for case in validate_section().cases:
        outcome = case.run()
        assert outcome.exit_code == 1, outcome
        first, summary = outcome.shown.splitlines()
        assert first.startswith(case.expect[0]) and summary == "1 error, 0 warnings in 1 file", outcome


def test_help_still_works_and_a_bare_command_shows_it():
    for argv in [("--help",), ("validate", "--help"), ("download", "--help")]:
        outcome = CliCase("help", argv, 0).run()
        assert outcome.exit_code == 0 and "Usage" in outcome.shown and "--help" in outcome.shown
    bare = CliCase("nothing", (), 0).run()
    assert "Usage" in bare.shown and "usua: error" not in bare.shown


def test_the_catalogue_page_is_current():
    expected = catalogue.render()
    assert catalogue.DOC.is_file(), "run `python -m tests.catalogue` to write docs/bad-input.md"
    assert catalogue.DOC.read_text(encoding="utf-8") == expected, (
        "docs/bad-input.md is stale: run `python -m tests.catalogue`"
    )
    for section in catalogue.sections():
        assert f"## {section.title}" in expected
        for case in section.cases:
            assert case.command.replace("|", "\\|") in expected
