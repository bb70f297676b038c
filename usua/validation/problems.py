"""What validation reports: problems (one sentence each, with where and how to fix) and the result."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    pointer: str  # JSON pointer inside the file ("" = the whole file; JSON Lines: inside that line's object)
    code: str
    message: str
    hint: str | None = None
    severity: str = "error"  # "error" | "warning"

    def __post_init__(self) -> None:
        # A message may quote the input, and a lone surrogate (a JSON "\ud800" escape) in it could
        # not be printed or written as UTF-8: show such code points as escapes instead.
        for name in ("file", "pointer", "message", "hint"):
            value = getattr(self, name)
            if value is not None and not value.isascii():
                object.__setattr__(self, name, value.encode("utf-8", "backslashreplace").decode("utf-8"))

    def format(self) -> str:
        """The problem as one line: file:line, pointer, message and hint."""
        where = f"{self.file}:{self.line}" if self.line is not None else self.file
        parts = [where]
        if self.pointer:
            parts.append(self.pointer)
        text = f"{': '.join(parts)}: {self.message}"
        if self.severity == "warning":
            text = f"{where}: warning: " + text[len(where) + 2 :]
        return f"{text} ({self.hint})" if self.hint else text

    def to_dict(self) -> dict[str, Any]:
        """The problem as a JSON-ready mapping."""
        return {
            "file": self.file,
            "line": self.line,
            "pointer": self.pointer,
            "code": self.code,
            "message": self.message,
            "hint": self.hint,
            "severity": self.severity,
        }

    def sort_key(self) -> tuple:
        """The order problems are reported in: by file, then line."""
        return (self.file, -1 if self.line is None else self.line)


@dataclass
class CheckResult:
    problems: list[Problem] = field(default_factory=list)
    #: section name -> validated records, merged over all files, in file order
    records: dict[str, list[Any]] = field(default_factory=dict)
    #: document id -> text (only when sources were checked)
    texts: dict[str, str] = field(default_factory=dict)
    #: the claims' derivation of these records (usua.derivation), when the check ran it: the build reuses it
    derivation: Any = None

    @property
    def ok(self) -> bool:
        """True when no problem is an error (warnings allowed)."""
        return not any(p.severity == "error" for p in self.problems)

    @property
    def errors(self) -> list[Problem]:
        """The problems that are errors."""
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        """The problems that are warnings."""
        return [p for p in self.problems if p.severity == "warning"]


@dataclass(frozen=True)
class Limits:
    #: Largest file accepted, in bytes; bigger contributions are split into several files.
    max_bytes: int = 50 * 1024 * 1024
    #: Deepest nesting of mappings and lists accepted (contributions need about 8).
    max_depth: int = 40


DEFAULT_LIMITS = Limits()
