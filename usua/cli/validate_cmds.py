"""``usua validate``: check contribution files and print every problem at once."""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from ..checkout import NOT_CONTRIBUTIONS
from . import app

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
source texts, so what passes here passes the build. Elsewhere, records of the bundled release (or
--release) may be referred to, but not defined again. Only the files named are reported on;
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
    from ..validation.context import checkout_of, validate_files

    try:
        if release is not None and not (release / "records").is_dir():
            typer.echo(f"usua validate: {release} is not a release folder (it has no records/ folder)", err=True)
            raise typer.Exit(2)
        if sources is not None and not sources.is_dir():
            typer.echo(f"usua validate: the sources folder {sources} does not exist", err=True)
            raise typer.Exit(2)
        checkout = checkout_of(files, cwd=Path.cwd())
        files = [f for f in files if f.name not in NOT_CONTRIBUTIONS]
        result = validate_files(
            files, checkout=checkout, sources=sources, release=release, context=context, root=root, keep_records=False
        )
        problems = result.problems
        if sources is None and checkout is not None:
            sources = checkout / "dataset" / "sources"
    except typer.Exit:
        raise
    except Exception as exc:  # a bug must still end in one line, not a traceback
        typer.echo(f"usua validate: internal error: {type(exc).__name__}: {exc} (please report it)", err=True)
        raise typer.Exit(1) from None

    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    if output is OutputFormat.json:
        sys.stdout.write(json.dumps([p.to_dict() for p in problems], indent=2, ensure_ascii=False) + "\n")
    else:
        from rich.console import Console

        console = Console(highlight=False, soft_wrap=True)
        for p in problems:
            console.print(p.format(), style="red" if p.severity == "error" else "yellow", markup=False)
        n_files = len(files)
        if errors:
            summary = f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)} in {n_files} file{'s' * (n_files != 1)}"
            console.print(summary, style="bold red", markup=False)
        else:
            note = f", {warnings} warning{'s' * (warnings != 1)}" if warnings else ""
            if sources is None:  # say so, lest "valid" be read as "quotes verified"
                note += " (evidence quotes not checked: no source texts; run inside a checkout or pass --sources)"
            console.print(f"OK: {n_files} file{'s' * (n_files != 1)} valid{note}", style="bold green", markup=False)
    raise typer.Exit(1 if errors else 0)
