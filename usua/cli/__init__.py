"""The ``usua`` command line (typer + rich). Each group of commands lives in its own module."""

from __future__ import annotations

import typer

from ..checkout import find_checkout  # noqa: F401  (the commands import it from here)
from .usage import UsuaGroup

app = typer.Typer(
    name="usua",
    cls=UsuaGroup,
    help="Build, validate, inspect and export the usua dataset of U.S.-Ukraine security relations.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


def _version(value: bool) -> None:
    if value:
        from ..version import DATASET_VERSION, SCHEMA_VERSION, __version__

        typer.echo(f"usua {__version__} (dataset {DATASET_VERSION}, schema {SCHEMA_VERSION})")
        raise typer.Exit()


@app.callback()
def _options(
    version: bool = typer.Option(
        False,
        "--version",
        callback=_version,
        is_eager=True,
        help="Print the versions of the package, its dataset and its schema, and exit.",
    ),
) -> None:
    """Build, validate, inspect and export the usua dataset of U.S.-Ukraine security relations."""


def main() -> None:
    # Command modules register themselves on import.
    """Run the ``usua`` command."""
    from . import build_cmds, data_cmds, validate_cmds, view_cmds  # noqa: F401

    app()
