"""The typer application of the ``usua`` command; each group of commands registers itself on it from its
own module (usua.cli imports them all before running it)."""

from __future__ import annotations

import typer

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
