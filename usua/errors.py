"""The one exception a user of the package sees for bad input: wrong table, version, file or hash."""

from __future__ import annotations


class UsuaError(ValueError):
    """A problem the user can fix; the message names what is wrong and what is known or expected."""
