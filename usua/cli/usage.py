"""Malformed command lines (unknown command or option, missing argument, bad value) as one line on
stderr in the voice of every other error, with a hint of what was meant, and exit status 2.

Typer may use click or its own copy of it, so the parser's exceptions are recognised by their class
names and attributes rather than imported.
"""

from __future__ import annotations

import difflib
import re
import sys
from enum import Enum
from typing import Any, NoReturn

import typer
from typer.core import TyperGroup

from .overview import COMMANDS


def _kinds(e: BaseException) -> set[str]:
    return {c.__name__ for c in type(e).__mro__}


def _name(param: Any) -> str:
    if param is None:
        return "a parameter"
    if getattr(param, "param_type_name", "") == "option":
        return max(param.opts, key=len)
    return str(param.metavar or param.name.upper())


def _did_you_mean(given: str, known: list[str]) -> str:
    close = difflib.get_close_matches(given, known, n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _sentence(text: str) -> str:
    text = " ".join(text.split()).rstrip(".").removeprefix("Value error, ")
    return text[:1].lower() + text[1:]


def _choices(param: Any) -> list[str]:
    annotation = getattr(getattr(param, "type_descriptor", None), "annotation", None)
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return [str(m.value) for m in annotation]
    return [str(getattr(c, "value", c)) for c in getattr(getattr(param, "type", None), "choices", None) or []]


def usage_message(e: Exception, fallback_path: str = "usua") -> str:
    """The one line (without the ``usua: error:`` prefix) that says what is wrong and what was meant."""
    kinds = _kinds(e)
    ctx = getattr(e, "ctx", None)
    path = ctx.command_path if ctx is not None else fallback_path
    where = path.partition(" ")[2] or None
    message = str(getattr(e, "message", e))
    param = getattr(e, "param", None)
    if "NoSuchOption" in kinds:
        known = [o for p in (ctx.command.params if ctx else []) for o in getattr(p, "opts", []) if o.startswith("-")]
        what = f"unknown option {e.option_name!r}{_did_you_mean(e.option_name, known)}"  # type: ignore[attr-defined]
    elif "MissingParameter" in kinds:
        what = f"missing {getattr(param, 'param_type_name', 'parameter')} {_name(param)}"
        if _choices(param):
            what += f": give one of {', '.join(map(str, _choices(param)))}"
    elif "BadParameter" in kinds:
        what = f"invalid value for {_name(param)}: {_sentence(message)}"
        given = re.search(r"'(.*?)' is not one of", message)
        if given and _choices(param):
            what += _did_you_mean(given.group(1), [str(c) for c in _choices(param)])
    elif getattr(e, "command_name", None) is not None or message.startswith("No such command"):
        name = getattr(e, "command_name", None) or message.split("'")[1]
        known = (
            sorted(ctx.command.list_commands(ctx)) if ctx is not None and hasattr(ctx.command, "list_commands") else []
        )
        what = f"unknown command {name!r}{_did_you_mean(name, known)}; commands: {', '.join(known)}"
        where = None
    else:  # extra arguments and other parser complaints
        what = _sentence(message)
    return f"{where + ': ' if where else ''}{what}; see '{path} --help'"


def _report(e: Exception, fallback_path: str = "usua") -> NoReturn:
    kinds = _kinds(e)
    if "UsageError" not in kinds or "NoArgsIsHelpError" in kinds:  # bare `usua` shows its help as asked
        raise e
    print(f"usua: error: {usage_message(e, fallback_path)}", file=sys.stderr)
    raise typer.Exit(2)


class UsuaGroup(TyperGroup):
    """Typer's group, with the parser's usage errors reported as one line instead of a panel."""

    def make_context(self, info_name: str | None, args: list[str], parent: Any = None, **extra: Any) -> Any:
        """Click's context, with a failure while parsing reported as one plain line."""
        try:
            return super().make_context(info_name, args, parent=parent, **extra)
        except Exception as e:
            _report(e)

    def list_commands(self, ctx: Any) -> list[str]:
        """The commands in the overview's order, whichever command module was imported first."""
        order = {name: n for n, (name, _) in enumerate(COMMANDS)}
        return sorted(super().list_commands(ctx), key=lambda name: order.get(name, len(order)))

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        """The subcommand, its full name remembered for errors that carry no context."""
        name, cmd, rest = super().resolve_command(ctx, args)
        ctx.meta["usua.command_path"] = f"{ctx.command_path} {name}"  # for errors that carry no context
        return name, cmd, rest

    def invoke(self, ctx: Any) -> Any:
        """Run the command, with an unexpected failure reported as one plain line."""
        try:
            return super().invoke(ctx)
        except Exception as e:
            _report(e, ctx.meta.get("usua.command_path", ctx.command_path))
