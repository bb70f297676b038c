"""The one exception the build raises for bad input: it carries every problem, one line each."""

from __future__ import annotations


class BuildError(Exception):
    """The build cannot (or must not) produce a release; ``problems`` lists every reason."""

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.problems: list[str] = list(problems or [])

    def lines(self) -> list[str]:
        return [self.message, *self.problems]
