"""The one exception a user of the package sees for bad input: wrong table, version, file or hash."""

from __future__ import annotations


class UsuaError(ValueError):
    """A problem the user can fix; the message names what is wrong and what is known or expected."""


def unknown(what: str, name: str, known: list[str] | tuple[str, ...]) -> UsuaError:
    """The error for a name that is not one of ``known``, suggesting the closest."""
    import difflib

    close = difflib.get_close_matches(name, known, n=1)
    did_you_mean = f" (did you mean {close[0]!r}?)" if close else ""
    return UsuaError(f"unknown {what} {name!r}{did_you_mean}; known: {', '.join(known) or 'none'}")
