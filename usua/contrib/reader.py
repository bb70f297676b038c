"""Reading contribution files (YAML, JSON, JSON Lines) into data plus a map from JSON pointer to line.

Accepted forms:

* ``.yaml`` / ``.yml`` / ``.json``: one contribution object ``{"schema_version": "1.0.0", "events": [...], ...}``.
* ``.jsonl``: one JSON object per line. A record line names its type as its only key, the record being
  the value: ``{"event": {"id": "evt:...", ...}}`` (a wrapper rather than a ``"type"`` field, because
  events already have a ``type``). A line holding ``schema_version`` is a whole contribution object
  (it may hold just the version). Blank lines are ignored.

YAML aliases are refused (contributions never need them, and refusing them stops alias bombs; an
anchor that nothing refers to is harmless and ignored); so are duplicate keys. Dates may be written unquoted in YAML: they are read as text.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .problems import DEFAULT_LIMITS, Limits, Problem

FORMATS = {".yaml": "yaml", ".yml": "yaml", ".json": "json", ".jsonl": "jsonl"}

#: Singular record type (JSON Lines key) -> contribution section.
RECORD_TYPES = {
    "document": "documents", "entity": "entities", "role": "roles", "event": "events",
    "agreement": "agreements", "statement": "statements", "figure": "figures",
    "disagreement": "disagreements", "redirect": "redirects",
}


def escape(key: Any) -> str:
    return str(key).replace("~", "~0").replace("/", "~1")


@dataclass
class Source:
    """One file as read: its data (YAML/JSON) or raw lines (JSON Lines), and where each value sits."""

    name: str
    kind: str
    data: Any = None
    lines: list[bytes] = field(default_factory=list)  # JSON Lines: the raw lines, blank ones included
    text: str | None = None
    _lines: dict[str, int] | None = None

    def line_of(self, pointer: str) -> int | None:
        """Line of the value at ``pointer`` (or of its nearest ancestor that has one)."""
        if self.kind == "jsonl":
            return None
        if self._lines is None:
            self._lines = _json_lines(self.text or "") if self.kind == "json" else {}
        ptr = pointer
        while True:
            if ptr in self._lines:
                return self._lines[ptr]
            if not ptr:
                return None
            ptr = ptr.rsplit("/", 1)[0]


class _RefusedYAML(Exception):
    def __init__(self, code: str, message: str, hint: str, line: int | None):
        super().__init__(message)
        self.code, self.message, self.hint, self.line = code, message, hint, line


# libyaml's composer when available (several times faster than the pure-Python one). It resolves an
# alias to the very node object its anchor names, so _walk_yaml refuses aliases by spotting a node met
# twice, before anything is constructed: an alias bomb is refused without being expanded.
class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """Safe loader that keeps dates as text."""


_Loader.yaml_implicit_resolvers = {
    ch: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for ch, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _walk_yaml(node: yaml.Node, ptr: str, out: dict[str, int], depth: int, limits: Limits,
               seen_nodes: set[int] | None = None) -> None:
    if seen_nodes is None:
        seen_nodes = set()
    if id(node) in seen_nodes:
        raise _RefusedYAML("yaml-alias", f"YAML aliases (*) are not allowed: the value of line {node.start_mark.line + 1} is reused",
                           "write the values out in full; contributions may not use anchors (&) or aliases (*)",
                           node.start_mark.line + 1)
    seen_nodes.add(id(node))
    if depth > limits.max_depth:
        raise _RefusedYAML("too-deep", f"values are nested more than {limits.max_depth} levels deep",
                           "flatten the structure; contributions need only a few levels", node.start_mark.line + 1)
    out[ptr] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        seen: dict[Any, int] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            line = key_node.start_mark.line + 1
            if key is None:
                raise _RefusedYAML("bad-key", "a key must be plain text", "write the key as a word", line)
            if key in seen:
                raise _RefusedYAML("duplicate-key", f"key '{key}' appears twice in the same mapping (first on line {seen[key]})",
                                   "keep one of them", line)
            seen[key] = line
            _walk_yaml(value_node, f"{ptr}/{escape(key)}", out, depth + 1, limits, seen_nodes)
            out[f"{ptr}/{escape(key)}"] = line  # a mapping or list value starts on the line after its key
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _walk_yaml(item, f"{ptr}/{i}", out, depth + 1, limits, seen_nodes)


def _json_lines(text: str) -> dict[str, int]:
    """Map each JSON pointer to its line by a small second pass over an already valid JSON text."""
    from json.decoder import scanstring

    dec = json.JSONDecoder()
    ws = re.compile(r"[ \t\n\r]*")
    out: dict[str, int] = {}
    line_at = _LineIndex(text)

    def value(i: int, ptr: str) -> int:
        i = ws.match(text, i).end()
        out[ptr] = line_at(i)
        ch = text[i]
        if ch == "{":
            i = ws.match(text, i + 1).end()
            if text[i] == "}":
                return i + 1
            while True:
                i = ws.match(text, i).end()
                key, i = scanstring(text, i + 1)
                i = ws.match(text, i).end() + 1  # past ':'
                i = value(i, f"{ptr}/{escape(key)}")
                i = ws.match(text, i).end()
                if text[i] == "}":
                    return i + 1
                i += 1  # ','
        if ch == "[":
            i = ws.match(text, i + 1).end()
            if text[i] == "]":
                return i + 1
            n = 0
            while True:
                i = value(i, f"{ptr}/{n}")
                n += 1
                i = ws.match(text, i).end()
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


def _problem(name: str, code: str, message: str, hint: str | None, line: int | None = None, pointer: str = "") -> Problem:
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


def _depth_ok(value: Any, limit: int) -> bool:
    stack = [(value, 0)]
    while stack:
        v, d = stack.pop()
        if d > limit:
            return False
        if isinstance(v, dict):
            stack.extend((x, d + 1) for x in v.values())
        elif isinstance(v, list):
            stack.extend((x, d + 1) for x in v)
    return True


def _mb(n: int) -> str:
    return f"{n / 2**20:g} MB"


def read_source(path: Path, *, name: str | None = None, root: Path | None = None,
                limits: Limits = DEFAULT_LIMITS) -> tuple[Source | None, list[Problem]]:
    """Read one file. Returns the Source (None when it cannot be used at all) and the problems found."""
    name = name or str(path)
    if root is not None:
        try:
            path.resolve().relative_to(root.resolve())
        except ValueError:
            return None, [_problem(name, "outside-project", "the file lies outside the project folder",
                                   f"move it inside {root}")]
    kind = FORMATS.get(path.suffix.lower())
    if not path.exists():
        return None, [_problem(name, "missing-file", "the file does not exist", "check the path and its spelling")]
    if path.is_dir():
        return None, [_problem(name, "is-directory", "this is a folder, not a file",
                               "give the contribution files inside it (e.g. folder/*.yaml)")]
    if kind is None:
        return None, [_problem(name, "unknown-format", f"files ending in '{path.suffix or '(nothing)'}' are not read",
                               "name the file .yaml, .yml, .json or .jsonl")]
    try:
        size = path.stat().st_size
        if size > limits.max_bytes:
            return None, [_problem(name, "too-large",
                                   f"the file is {size:,} bytes, over the limit of {limits.max_bytes:,} bytes ({_mb(limits.max_bytes)})",
                                   "split it into several files (ids may refer across files)")]
        raw = path.read_bytes()
    except OSError as exc:
        return None, [_problem(name, "unreadable", f"the file cannot be read: {exc.strerror or exc}", "check its permissions")]
    if len(raw) > limits.max_bytes:  # it grew while we looked
        return None, [_problem(name, "too-large", f"the file is over the limit of {limits.max_bytes:,} bytes ({_mb(limits.max_bytes)})",
                               "split it into several files (ids may refer across files)")]
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
        return Source(name, kind, lines=lines), []
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        return None, [_problem(name, "not-utf8", f"byte {exc.start} (0x{raw[exc.start]:02x}) is not valid UTF-8 text",
                               "save the file as UTF-8", line)]
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text or text.isspace():
        return None, [_problem(name, "empty-file", "the file is empty", "add a contribution, or remove the file")]
    if kind == "json":
        return _read_json(name, text, limits)
    return _read_yaml(name, text, limits)


def _read_json(name: str, text: str, limits: Limits) -> tuple[Source | None, list[Problem]]:
    try:
        data = json.loads(text, object_pairs_hook=reject_duplicate_keys)
    except DuplicateJSONKey as exc:
        return None, [_problem(name, "duplicate-key", f"key '{exc.key}' appears twice in the same object", "keep one of them")]
    except json.JSONDecodeError as exc:
        return None, [_problem(name, "syntax", f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}",
                               "fix the syntax there (a missing comma, quote or bracket is usual)", exc.lineno)]
    except RecursionError:
        return None, [_problem(name, "too-deep", "values are nested too deeply", "flatten the structure")]
    if not _depth_ok(data, limits.max_depth):
        return None, [_problem(name, "too-deep", f"values are nested more than {limits.max_depth} levels deep",
                               "flatten the structure; contributions need only a few levels")]
    return Source(name, "json", data=data, text=text), []


def _reader_problem(name: str, exc: yaml.reader.ReaderError, line: int) -> Problem:
    char = exc.character if isinstance(exc.character, int) else ord(exc.character)
    return _problem(name, "syntax", f"the character U+{char:04X} on line {line} is not allowed in YAML",
                    "remove it: control characters cannot appear in YAML files", line)


def _read_yaml(name: str, text: str, limits: Limits) -> tuple[Source | None, list[Problem]]:
    try:
        loader = _Loader(text)
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        return None, [_reader_problem(name, exc, line)]
    try:
        node = loader.get_single_node()
        if node is None:
            return None, [_problem(name, "empty-file", "the file is empty (only comments)", "add a contribution, or remove the file")]
        lines: dict[str, int] = {}
        _walk_yaml(node, "", lines, 0, limits)
        data = loader.construct_document(node)
    except _RefusedYAML as exc:
        return None, [_problem(name, exc.code, exc.message, exc.hint, exc.line)]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (None, None)
        what = exc.problem or exc.context or "invalid YAML"
        at = f" at line {line}, column {col}" if line else ""
        return None, [_problem(name, "syntax", f"invalid YAML{at}: {what}",
                               "fix the syntax there (indentation, a missing colon or quote is usual)", line)]
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        return None, [_reader_problem(name, exc, line)]
    except yaml.YAMLError as exc:
        return None, [_problem(name, "syntax", f"invalid YAML: {str(exc).splitlines()[0]}", "fix the syntax")]
    except RecursionError:
        return None, [_problem(name, "too-deep", "values are nested too deeply", "flatten the structure")]
    finally:
        loader.dispose()
    return Source(name, "yaml", data=data, _lines=lines), []
