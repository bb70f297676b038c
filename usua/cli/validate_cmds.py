"""``usua validate``: check contribution files and print every problem at once."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from .typer_app import app

_HELP = """Check contribution files (YAML, JSON or JSON Lines) and print every problem at once.

\b
YAML / JSON: one object {schema_version: "1.0.0", entities: [...], events: [...], ...}.
JSON Lines: one record per line, its type as the only key: {"event": {"id": "evt:...", ...}};
a line holding schema_version is read as a whole contribution object.

Files over 50 MB are refused: split them (ids may refer across files).
Exit status: 0 no errors (warnings allowed), 1 errors found, 2 wrong usage.
Inside a checkout (a folder with dataset/sources/documents.yaml; the current folder's, else the one
holding the files) the files are checked against what
the build reads: the other curation files may be referred to and quotes are checked against the
source texts, so what passes here passes the build (every id of the releases the checkout has
published must still be a record, a redirect or a withdrawal). Elsewhere, records of the bundled
release (or --release) may be referred to, but not defined again, nor may its retired ids (a
reference to one of its withdrawn ids is an error). Only the files named are reported on;
excluded-names.yaml is skipped. Only regular files are read (not FIFOs, devices or looping links).
"""


class OutputFormat(str, Enum):
    text = "text"
    json = "json"


@app.command("validate", help=_HELP)
def validate(
    files: Annotated[
        list[Path], typer.Argument(help="Contribution files to check.", show_default=False, metavar="FILE")
    ],
    output: Annotated[
        OutputFormat, typer.Option("--format", help="text: one line per problem; json: a JSON array of problems.")
    ] = OutputFormat.text,
    sources: Annotated[
        Path | None,
        typer.Option(
            "--sources",
            help="Folder of source texts to check quotes against (default: the checkout's dataset/sources).",
        ),
    ] = None,
    release: Annotated[
        Path | None,
        typer.Option(
            "--release",
            help="Release folder whose ids may be referred to (default: the bundled release, outside a checkout).",
        ),
    ] = None,
    root: Annotated[
        Path | None,
        typer.Option("--root", help="Refuse files outside this folder (e.g. the repository being checked)."),
    ] = None,
    context: Annotated[
        bool,
        typer.Option(
            "--context/--no-context",
            help="In a checkout, read the other curation files too so that their ids may be referred to.",
        ),
    ] = True,
) -> None:
    """Check contribution files against the schema, the references and the sources; exit 1 on an error."""
    from .validate_run import run_validate

    raise typer.Exit(run_validate(files, output.value, sources, release, root, context))
