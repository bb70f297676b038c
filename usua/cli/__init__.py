"""The ``usua`` command line (typer + rich). Each group of commands lives in its own module."""

from __future__ import annotations

from pathlib import Path

import typer

app = typer.Typer(
    name="usua",
    help="Build, validate, inspect and export the usua dataset of U.S.-Ukraine security relations.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


def find_checkout(start: Path, *, with_builders: bool = False) -> Path | None:
    """The nearest folder at or above ``start`` that is a checkout of the dataset: it has
    dataset/sources/documents.yaml (and builders/, when the build is needed)."""
    for folder in [start, *start.parents]:
        if (folder / "dataset" / "sources" / "documents.yaml").is_file() and (
                not with_builders or (folder / "builders").is_dir()):
            return folder
    return None


def main() -> None:
    # Command modules register themselves on import.
    from . import build_cmds, data_cmds, validate_cmds, view_cmds  # noqa: F401

    app()
