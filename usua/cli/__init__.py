"""The ``usua`` command line (typer + rich). Each group of commands lives in its own module."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="usua",
    help="Build, validate, inspect and export the usua dataset of U.S.-Ukraine security relations.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


def main() -> None:
    # Command modules register themselves on import.
    from . import build_cmds, data_cmds, validate_cmds  # noqa: F401

    app()
