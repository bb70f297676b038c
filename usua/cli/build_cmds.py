"""`usua build`: run the release pipeline of a checkout (the `builders` package is not in the wheel)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import NoReturn

import typer

from ..checkout import find_checkout
from .typer_app import app


def _fail(lines: list[str]) -> NoReturn:
    for line in lines:
        typer.echo(line, err=True)
    raise typer.Exit(1)


@app.command()
def build(
    check: bool = typer.Option(
        False, "--check", help="Build into a temporary folder and fail if the committed release differs."
    ),
    root: Path | None = typer.Option(
        None, "--root", help="Checkout root (default: found by walking up from the current folder)."
    ),
) -> None:
    """Build the dataset release from dataset/sources and dataset/curation."""
    found = find_checkout((root or Path.cwd()).resolve(), with_builders=True)
    if found is None or (root is not None and found != root.resolve()):
        _fail(
            [
                "error: `usua build` works inside a checkout of the usua repository (a folder with "
                "dataset/sources/documents.yaml and builders/); run it there or pass --root"
            ]
        )
    if str(found) not in sys.path:
        sys.path.insert(0, str(found))
    from builders.release import BuildError, build_release

    from rich.console import Console

    console = Console(stderr=True)
    try:
        if console.is_terminal:
            with console.status("checking the release…" if check else "building the release…"):
                summary = build_release(found, check=check)
        else:
            summary = build_release(found, check=check)
    except BuildError as exc:
        _fail([f"error: {line}" if i == 0 else line for i, line in enumerate(exc.lines())])
    except OSError as exc:  # reading the inputs (writing errors come as BuildError, naming the path)
        where = f"{exc.filename}: " if exc.filename else ""
        _fail([f"error: {where}{exc.strerror or exc} (check the path and its permissions)"])

    rel = summary.release_dir.relative_to(found) if summary.release_dir.is_relative_to(found) else summary.release_dir
    if summary.checked:
        typer.echo(f"release {summary.version} at {rel} is up to date with its inputs")
        return
    for note in summary.notes:
        typer.echo(f"note: {note}", err=True)
    width = max(map(len, summary.tables))
    for name, rows in summary.tables.items():
        typer.echo(f"  {name:<{width}}  {rows:>6} rows")
    typer.echo(f"release {summary.version} written to {rel}")
