"""Reading contribution files (YAML, JSON, JSON Lines) into data plus a map from JSON pointer to line.

Accepted forms:

* ``.yaml`` / ``.yml`` / ``.json``: one contribution object ``{"schema_version": "1.0.0", "events": [...], ...}``.
* ``.jsonl``: one JSON object per line. A record line names its type as its only key, the record being
  the value: ``{"event": {"id": "evt:...", ...}}`` (a wrapper rather than a ``"type"`` field, because
  events already have a ``type``). A line holding ``schema_version`` is a whole contribution object
  (it may hold just the version). Blank lines are ignored.

YAML aliases are refused (contributions never need them, and refusing them stops alias bombs; an
anchor that nothing refers to is harmless and ignored); so are duplicate keys. Dates may be written unquoted in YAML: they are read as text.

Whatever the bytes, reading ends in a ContributionFile or in problems, never in an exception or a hang: only
regular files are read (a FIFO, a device or a looping symbolic link is reported), at most
``Limits.max_bytes`` of them; nesting deeper than ``Limits.max_depth`` is refused before any
recursive code sees it (libyaml's composer would overflow the C stack); numbers longer than
``MAX_NUMBER_LENGTH`` characters and control characters inside text are refused.
"""

from __future__ import annotations

import errno
import json
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple


from ..checkout import contribution_format
from ..models.registry import SECTION_OF
from .problems import DEFAULT_LIMITS, Limits, Problem

#: Longest number accepted, in characters: no quantity needs more, and Python refuses to convert
#: integers of over 4300 digits (a 5000-digit number would otherwise end in an internal error).
MAX_NUMBER_LENGTH = 40

#: Characters refused inside text: C0 controls other than tab and line breaks, DEL and C1 controls.
#: They are invisible, never part of a quote from a source, and break CSV and terminals downstream.
CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

_CONTROL_NAMES = {0: "NUL", 0x1B: "ESC", 0x7F: "DEL"}

#: Singular record type (JSON Lines key) -> contribution section.
RECORD_TYPES = SECTION_OF


def escape(key: Any) -> str:
    """A key escaped for a JSON pointer (RFC 6901)."""
    return str(key).replace("~", "~0").replace("/", "~1")


@dataclass
class ContributionFile:
    """One contribution file as read: its data (YAML/JSON) or raw lines (JSON Lines), and where each value
    sits. (A *source*, elsewhere, is a source document: dataset/sources.)"""

    name: str
    kind: str
    data: Any = None
    lines: list[bytes] = field(default_factory=list)  # JSON Lines: the raw lines, blank ones included
    text: str | None = None
    _lines: dict[str, int] | None = None
    #: YAML read fast: escaped section -> (start offset, end offset, 0-based line) of each item of its list
    _spans: dict[str, list[tuple[int, int, int]]] = field(default_factory=dict)
    _record_lines: dict[str, dict[str, int] | None] = field(default_factory=dict)

    def line_of(self, pointer: str) -> int | None:
        """Line of the value at ``pointer`` (or of its nearest ancestor that has one)."""
        if self.kind == "jsonl":
            return None
        lines = self._lines
        if lines is None:  # only when a problem needs a line: a clean file never maps its lines
            lines = self._lines_of_record(pointer)
            if lines is None:
                if self.kind == "json":
                    lines = self._lines = _json_lines(self.text or "")
                else:
                    from .yaml_reader import yaml_lines

                    lines = self._lines = yaml_lines(self.text or "")
        ptr = pointer
        while True:
            if ptr in lines:
                return lines[ptr]
            if not ptr:
                return None
            ptr = ptr.rsplit("/", 1)[0]

    def _lines_of_record(self, pointer: str) -> dict[str, int] | None:
        """The line map of the one record (an item of a section's list) that ``pointer`` lies in, from
        its own text; None when the pointer is not inside a record or the record's text does not read
        back as the same record on its own (then the whole file is mapped)."""
        parts = pointer.split("/", 3)
        if len(parts) < 3 or parts[1] not in self._spans or not parts[2].isdigit():
            return None
        spans, k = self._spans[parts[1]], int(parts[2])
        if k >= len(spans):
            return None
        base = f"/{parts[1]}/{k}"
        if base not in self._record_lines:
            from .yaml_reader import yaml_record_lines

            self._record_lines[base] = yaml_record_lines(self.text or "", spans[k], base, self.data[parts[1]][k])
        return self._record_lines[base]

    def drop_contents(self, lines: bool) -> None:
        """Free what validating the file needed and its problems' lines do not: the data of a JSON or
        JSON Lines file (whose lines come from its text or its records' line numbers) and, with
        ``lines``, the JSON Lines lines (needed only to validate a record kept as a RecordStub again). A
        large batch held them all to the end of the check: several times the size of the files. A YAML
        file keeps its data: a record's line is found from it, and reading the file again for the line of
        a problem found later (a quote's warning) cost as much as reading it in the first place."""
        if self.kind != "yaml":
            self.data = None
        if lines:
            self.lines = []


class Origin(NamedTuple):
    """Where a record sits: its file, the JSON pointer of the record in it, and its line (None: the
    line is found from the pointer when a problem needs it)."""

    file: ContributionFile
    pointer: str
    line: int | None


def too_deep(max_depth: int) -> tuple[str, str, str]:
    """The problem (code, message, hint) of a value nested deeper than the limit."""
    return (
        "too-deep",
        f"values are nested more than {max_depth} levels deep",
        "flatten the structure; contributions need only a few levels",
    )


def long_number(length: int) -> tuple[str, str, str]:
    """The problem (code, message, hint) of a number longer than the limit."""
    return (
        "number-too-long",
        f"a number of {length:,} characters is longer than the limit of {MAX_NUMBER_LENGTH}",
        "write a shorter number; no quantity needs more digits",
    )


def _control(text: str, at: int) -> tuple[str, str, str]:
    code = ord(text[at])
    name = _CONTROL_NAMES.get(code)
    return (
        "control-character",
        f"the text holds the control character U+{code:04X}{f' ({name})' if name else ''} at character {at + 1}",
        "remove it: text may hold tabs and line breaks, but no other control characters",
    )


def find_control(text: str) -> tuple[str, str, str] | None:
    """(code, message, hint) when ``text`` holds a control character that contributions may not hold."""
    bad = CONTROL_RE.search(text)
    return _control(text, bad.start()) if bad else None


def _json_lines(text: str) -> dict[str, int]:
    """Map each JSON pointer to its line by a small second pass over an already valid JSON text."""
    from json.decoder import scanstring  # type: ignore[attr-defined]  # in CPython's json, not in typeshed

    dec = json.JSONDecoder()
    ws = re.compile(r"[ \t\n\r]*")

    def skip(i: int) -> int:
        m = ws.match(text, i)
        assert m is not None  # the pattern matches the empty string anywhere
        return m.end()

    out: dict[str, int] = {}
    line_at = _LineIndex(text)

    def value(i: int, ptr: str) -> int:
        i = skip(i)
        out[ptr] = line_at(i)
        ch = text[i]
        if ch == "{":
            i = skip(i + 1)
            if text[i] == "}":
                return i + 1
            while True:
                i = skip(i)
                key, i = scanstring(text, i + 1)
                i = skip(i) + 1  # past ':'
                i = value(i, f"{ptr}/{escape(key)}")
                i = skip(i)
                if text[i] == "}":
                    return i + 1
                i += 1  # ','
        if ch == "[":
            i = skip(i + 1)
            if text[i] == "]":
                return i + 1
            n = 0
            while True:
                i = value(i, f"{ptr}/{n}")
                n += 1
                i = skip(i)
                if text[i] == "]":
                    return i + 1
                i += 1
        _, end = dec.raw_decode(text, i)
        return end

    try:
        value(0, "")
    except (ValueError, IndexError, RecursionError):
        pass
    return out


class _LineIndex:
    def __init__(self, text: str):
        import bisect

        self._starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self._bisect = bisect.bisect_right

    def __call__(self, offset: int) -> int:
        return self._bisect(self._starts, offset)


def _problem(
    name: str, code: str, message: str, hint: str | None, line: int | None = None, pointer: str = ""
) -> Problem:
    return Problem(name, line, pointer, code, message, hint)


def reject_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """json.loads object_pairs_hook: a key given twice is an error, not a silent overwrite."""
    out: dict[str, Any] = {}
    for k, v in pairs:
        if k in out:
            raise DuplicateJSONKey(k)
        out[k] = v
    return out


class DuplicateJSONKey(ValueError):
    def __init__(self, key: str):
        super().__init__(key)
        self.key = key


def scan_values(value: Any, max_depth: int) -> tuple[str, str, str, str] | None:
    """(code, message, hint, pointer) of the first value nested deeper than ``max_depth`` or of the
    first text holding a control character; None when there is neither. Iterative: any depth is safe."""
    search = CONTROL_RE.search
    stack = [(value, 0)]
    while stack:  # the common case: nothing wrong, so no pointers are built
        v, d = stack.pop()
        if d > max_depth:
            break
        if isinstance(v, dict):
            stack.extend((x, d + 1) for x in v.values())
            if any(search(k) for k in v if isinstance(k, str)):
                break
        elif isinstance(v, list):
            stack.extend((x, d + 1) for x in v)
        elif isinstance(v, str) and search(v):
            break
    else:
        return None
    ptr_stack = [(value, 0, "")]
    while ptr_stack:
        v, d, ptr = ptr_stack.pop()
        if d > max_depth:
            return (*too_deep(max_depth), "")
        if isinstance(v, dict):
            for k in v:
                if isinstance(k, str) and (bad := search(k)):
                    return (*_control(k, bad.start()), ptr)
            ptr_stack.extend((x, d + 1, f"{ptr}/{escape(k)}") for k, x in reversed(v.items()))
        elif isinstance(v, list):
            ptr_stack.extend((x, d + 1, f"{ptr}/{i}") for i, x in reversed(list(enumerate(v))))
        elif isinstance(v, str) and (bad := search(v)):
            return (*_control(v, bad.start()), ptr)
    return None


class LongNumber(ValueError):
    def __init__(self, length: int):
        super().__init__(length)
        self.length = length


def _json_int(text: str) -> int:
    if len(text) > MAX_NUMBER_LENGTH:
        raise LongNumber(len(text))
    return int(text)


def _json_float(text: str) -> float:
    if len(text) > MAX_NUMBER_LENGTH:
        raise LongNumber(len(text))
    return float(text)


def load_json(raw: str | bytes) -> Any:
    """json.loads with duplicate keys (DuplicateJSONKey) and over-long numbers (LongNumber) refused."""
    return json.loads(raw, object_pairs_hook=reject_duplicate_keys, parse_int=_json_int, parse_float=_json_float)


def _mb(n: int) -> str:
    return f"{n / 2**20:g} MB"


_SPECIAL_FILES = (
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def _what_it_is(mode: int) -> str:
    return next((words for test, words in _SPECIAL_FILES if test(mode)), "not a regular file")


def _stat_problem(name: str, path: Path, exc: OSError) -> Problem:
    if exc.errno == errno.ELOOP:
        return _problem(
            name,
            "symlink-loop",
            "this is a symbolic link that loops back on itself",
            "point the link at a real file, or replace it with the file",
        )
    if exc.errno in (errno.ENOENT, errno.ENOTDIR):
        if os.path.islink(path):
            return _problem(
                name,
                "dangling-symlink",
                f"this symbolic link points to {os.readlink(path)}, which does not exist",
                "point the link at a real file, or replace it with the file",
            )
        return _problem(name, "missing-file", "the file does not exist", "check the path and its spelling")
    return _problem(name, "unreadable", f"the file cannot be read: {exc.strerror or exc}", "check its permissions")


def _read_regular(path: Path, name: str, limits: Limits) -> tuple[bytes | None, list[Problem]]:
    """The bytes of a regular file, reading at most ``limits.max_bytes`` + 1 of them; else a problem.
    Opened without blocking and checked again once open, so a FIFO put in its place cannot hang us."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        return None, [_stat_problem(name, path, exc)]
    with os.fdopen(fd, "rb") as f:
        st = os.fstat(fd)
        mode = st.st_mode
        if not stat.S_ISREG(mode):
            return None, [
                _problem(
                    name,
                    "not-a-file",
                    f"this is {_what_it_is(mode)}, not a regular file",
                    "give a regular file; only regular files are read",
                )
            ]
        try:
            # sized by the file, not the limit: reading n bytes allocates n bytes up front
            want = limits.max_bytes + 1
            raw = f.read(min(want, st.st_size + 1))
            if st.st_size < len(raw) < want:  # it grew while we looked
                raw += f.read(want - len(raw))
            return raw, []
        except OSError as exc:
            return None, [
                _problem(name, "unreadable", f"the file cannot be read: {exc.strerror or exc}", "check its permissions")
            ]


def read_contribution_file(
    path: Path, *, name: str | None = None, root: Path | None = None, limits: Limits = DEFAULT_LIMITS
) -> tuple[ContributionFile | None, list[Problem]]:
    """Read one file. Returns the ContributionFile (None when it cannot be used at all) and the problems found."""
    name = name or str(path)
    path = Path(path)
    if root is not None:
        try:
            path.resolve().relative_to(root.resolve())
        except (RuntimeError, OSError):  # a symbolic link loop: reported below
            pass
        except ValueError:
            return None, [
                _problem(name, "outside-project", "the file lies outside the project folder", f"move it inside {root}")
            ]
    kind = contribution_format(path)
    try:
        st = os.stat(path)
    except OSError as exc:
        return None, [_stat_problem(name, path, exc)]
    if stat.S_ISDIR(st.st_mode):
        return None, [
            _problem(
                name,
                "is-directory",
                "this is a folder, not a file",
                "give the contribution files inside it (e.g. folder/*.yaml)",
            )
        ]
    if kind is None:
        return None, [
            _problem(
                name,
                "unknown-format",
                f"files ending in '{path.suffix or '(nothing)'}' are not read",
                "name the file .yaml, .yml, .json or .jsonl",
            )
        ]
    if not stat.S_ISREG(st.st_mode):
        return None, [
            _problem(
                name,
                "not-a-file",
                f"this is {_what_it_is(st.st_mode)}, not a regular file",
                "give a regular file; only regular files are read",
            )
        ]
    if st.st_size > limits.max_bytes:
        return None, [
            _problem(
                name,
                "too-large",
                f"the file is {st.st_size:,} bytes, over the limit of {limits.max_bytes:,} bytes ({_mb(limits.max_bytes)})",
                "split it into several files (ids may refer across files)",
            )
        ]
    raw, problems = _read_regular(path, name, limits)
    if raw is None:
        return None, problems
    if len(raw) > limits.max_bytes:  # it grew while we looked
        return None, [
            _problem(
                name,
                "too-large",
                f"the file is over the limit of {limits.max_bytes:,} bytes ({_mb(limits.max_bytes)})",
                "split it into several files (ids may refer across files)",
            )
        ]
    if not raw or raw.isspace():  # (never copies a large file, unlike strip())
        return None, [_problem(name, "empty-file", "the file is empty", "add a contribution, or remove the file")]
    if kind == "jsonl":
        # not decoded as a whole: each line is validated from its bytes, and a line that is not UTF-8
        # is reported on its own (with its line number) by the line checks
        lines = raw.split(b"\n")
        if lines[0].startswith(b"\xef\xbb\xbf"):  # a byte order mark some editors write
            lines[0] = lines[0][3:]
        if not any(line.strip() for line in lines):
            return None, [_problem(name, "empty-file", "the file is empty", "add a contribution, or remove the file")]
        return ContributionFile(name, kind, lines=lines), []
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        return None, [
            _problem(
                name,
                "not-utf8",
                f"byte {exc.start} (0x{raw[exc.start]:02x}) is not valid UTF-8 text",
                "save the file as UTF-8",
                line,
            )
        ]
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text or text.isspace():
        return None, [_problem(name, "empty-file", "the file is empty", "add a contribution, or remove the file")]
    if kind == "json":
        return _read_json(name, text, limits)
    from .yaml_reader import read_yaml  # (PyYAML is loaded for YAML files only)

    return read_yaml(name, text, limits)


def _read_json(name: str, text: str, limits: Limits) -> tuple[ContributionFile | None, list[Problem]]:
    try:
        data = load_json(text)
    except LongNumber as exc:
        return None, [_problem(name, *long_number(exc.length))]
    except DuplicateJSONKey as exc:
        return None, [
            _problem(name, "duplicate-key", f"key '{exc.key}' appears twice in the same object", "keep one of them")
        ]
    except json.JSONDecodeError as exc:
        return None, [
            _problem(
                name,
                "syntax",
                f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}",
                "fix the syntax there (a missing comma, quote or bracket is usual)",
                exc.lineno,
            )
        ]
    except RecursionError:
        return None, [_problem(name, *too_deep(limits.max_depth))]
    found = scan_values(data, limits.max_depth)
    if found is not None:
        file = ContributionFile(name, "json", data=data, text=text)
        code, message, hint, pointer = found
        return None, [Problem(name, file.line_of(pointer) if pointer else None, pointer, code, message, hint)]
    return ContributionFile(name, "json", data=data, text=text), []
