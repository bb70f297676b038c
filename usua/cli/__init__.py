"""The ``usua`` command line (typer + rich, in usua.cli.typer_app; each group of commands in its own module).

``main`` answers `usua --help` and a plain `usua validate` command line without loading typer and
rich, which take most of a command's start-up; everything else goes through typer."""

from __future__ import annotations

import sys
from typing import Any

from .overview import COMMANDS, overview


def __getattr__(name: str) -> Any:
    if name == "app":  # `from usua.cli import app`: the typer application, loaded when asked for
        from .typer_app import app

        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def main() -> None:
    """Run the ``usua`` command."""
    argv = sys.argv[1:]
    if argv == ["--help"]:
        sys.stdout.write(overview())
        return
    if argv[:1] == ["validate"]:
        from .validate_run import fast_arguments, run_validate

        arguments = fast_arguments(argv[1:])
        if arguments is not None:
            sys.exit(run_validate(**arguments))
    # Command modules register themselves on import.
    from . import build_cmds, data_cmds, validate_cmds, view_cmds  # noqa: F401
    from .typer_app import app

    app()


__all__ = ["COMMANDS", "main"]
