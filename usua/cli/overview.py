"""`usua --help`, printed without loading typer and rich (they take most of the command's start-up).

The list below is the commands' own first help lines; tests/test_cli_start.py checks that it matches
the commands typer registers, so a new command or a changed help line cannot be forgotten here."""

from __future__ import annotations


SUMMARY = "Build, validate, inspect and export the usua dataset of U.S.-Ukraine security relations."

OPTIONS: tuple[tuple[str, str], ...] = (
    ("--version", "Print the versions of the package, its dataset and its schema, and exit."),
    ("--help", "Show this message and exit."),
)

#: (name, first help line) of every command, in the order typer lists them.
COMMANDS: tuple[tuple[str, str], ...] = (
    ("build", "Build the dataset release from dataset/sources and dataset/curation."),
    ("tables", "List the tables of a release with their row counts."),
    ("info", "Show which release is in use: versions, location, row counts, source documents."),
    ("versions", "List the release versions available offline (bundled and cached)."),
    ("show", "Print rows of a table as a readable table."),
    (
        "download",
        "Download a release version into the cache, checking the manifest against the package's registry "
        "of published releases and every file against the manifest.",
    ),
    (
        "export",
        "Export every table to CSV (lists as JSON) or to a SQLite database with its Datasette metadata.",
    ),
    ("sql", "Query the release with SQL (needs DuckDB: pip install 'usua[sql]')."),
    ("validate", "Check contribution files (YAML, JSON or JSON Lines) and print every problem at once."),
    ("plot", "Draw a chart of the release offline (needs: pip install 'usua[plot]')."),
    ("site", "Write a static HTML explorer of the release: open OUT/index.html (needs: pip install 'usua[site]')."),
)


def _rows(title: str, rows: tuple[tuple[str, str], ...], width: int) -> list[str]:
    import textwrap  # (only for the help text: `usua validate` imports this module too)

    name_width = max(len(name) for name, _ in rows) + 2
    out = [f"{title}:"]
    for name, text in rows:
        wrapped = textwrap.wrap(text, max(width - name_width - 2, 30)) or [""]
        out.append(f"  {name:<{name_width}}{wrapped[0]}")
        out.extend(" " * (name_width + 2) + more for more in wrapped[1:])
    return out


def overview() -> str:
    """The text of `usua --help`."""
    import shutil
    import textwrap

    width = min(shutil.get_terminal_size((100, 24)).columns, 120)
    lines = [
        "Usage: usua [OPTIONS] COMMAND [ARGS]...",
        "",
        *textwrap.wrap(SUMMARY, width),
        "",
        *_rows("Options", OPTIONS, width),
        "",
        *_rows("Commands", COMMANDS, width),
        "",
        "Run 'usua COMMAND --help' for the options of a command.",
    ]
    return "\n".join(lines) + "\n"
