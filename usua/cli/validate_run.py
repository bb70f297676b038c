"""What `usua validate` does once its command line is read, without typer or rich (unless colour is
wanted): the command starts in a fraction of the time the full command line needs. ``usua.cli.main``
reads a plain `usua validate` command line itself (``fast_arguments``) and leaves anything else
(help, a mistake, an option it does not know) to typer, which reads it as it always has."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

from ..checkout import NOT_CONTRIBUTIONS

_VALUED = {"--format": "output", "--sources": "sources", "--release": "release", "--root": "root"}


def fast_arguments(argv: list[str]) -> dict[str, Any] | None:
    """The arguments of ``run_validate`` from a `usua validate` command line (after the command's name),
    or None when typer must read it (help, a typo, a bad value, no file: typer words the problem)."""
    found: dict[str, Any] = {"files": [], "output": "text", "context": True}
    args = iter(argv)
    for arg in args:
        if not arg.startswith("-") or arg == "-":
            found["files"].append(Path(arg))
            continue
        name, eq, value = arg.partition("=")
        if name in _VALUED:
            if not eq:
                following = next(args, None)
                if following is None:
                    return None
                value = following
            found[_VALUED[name]] = value if name == "--format" else Path(value)
        elif arg in ("--context", "--no-context"):
            found["context"] = arg == "--context"
        else:
            return None
    if not found["files"] or found["output"] not in ("text", "json"):
        return None
    return found


def _say(message: str) -> None:
    print(message, file=sys.stderr)


def _colour() -> bool:
    # rich colours a terminal, or any output when asked to (FORCE_COLOR, TTY_COMPATIBLE)
    return sys.stdout.isatty() or bool(os.environ.get("FORCE_COLOR") or os.environ.get("TTY_COMPATIBLE"))


def run_validate(
    files: list[Path],
    output: str = "text",
    sources: Path | None = None,
    release: Path | None = None,
    root: Path | None = None,
    context: bool = True,
) -> int:
    """Check the files and print every problem (text or JSON); the exit status: 0 valid, 1 errors, 2 misuse."""
    from ..validation.context import checkout_of, validate_files

    try:
        if release is not None and not (release / "records").is_dir():
            _say(f"usua validate: {release} is not a release folder (it has no records/ folder)")
            return 2
        if sources is not None and not sources.is_dir():
            _say(f"usua validate: the sources folder {sources} does not exist")
            return 2
        checkout = checkout_of(files, cwd=Path.cwd())
        files = [f for f in files if f.name not in NOT_CONTRIBUTIONS]
        result = validate_files(
            files, checkout=checkout, sources=sources, release=release, context=context, root=root, keep_records=False
        )
        problems = result.problems
        if sources is None and checkout is not None:
            sources = checkout / "dataset" / "sources"
    except Exception as exc:  # a bug must still end in one line, not a traceback
        _say(f"usua validate: internal error: {type(exc).__name__}: {exc} (please report it)")
        return 1

    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    if output == "json":
        sys.stdout.write(json.dumps([p.to_dict() for p in problems], indent=2, ensure_ascii=False) + "\n")
        return 1 if errors else 0
    lines = [(p.format(), "red" if p.severity == "error" else "yellow") for p in problems]
    n_files = len(files)
    if errors:
        summary = f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)} in {n_files} file{'s' * (n_files != 1)}"
        lines.append((summary, "bold red"))
    else:
        note = f", {warnings} warning{'s' * (warnings != 1)}" if warnings else ""
        if sources is None:  # say so, lest "valid" be read as "quotes verified"
            note += " (evidence quotes not checked: no source texts; run inside a checkout or pass --sources)"
        lines.append((f"OK: {n_files} file{'s' * (n_files != 1)} valid{note}", "bold green"))
    if _colour():
        from rich.console import Console

        console = Console(highlight=False, soft_wrap=True)
        for text, style in lines:
            console.print(text, style=style, markup=False)
    else:  # what rich prints when it does not colour, without loading it
        sys.stdout.write("".join(text + "\n" for text, _ in lines))
    return 1 if errors else 0
