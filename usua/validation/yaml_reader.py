"""Reading YAML contribution files (usua.validation.reader hands them here): libyaml's nodes walked
into data without JSON pointers or lines (a line is found when a problem needs it), aliases, duplicate
keys, long numbers, control characters and deep nesting refused. Its own module so that reading JSON
and JSON Lines never loads PyYAML."""

from __future__ import annotations

import re
from typing import Any

import yaml

from .problems import Limits, Problem
from .reader import (
    CONTROL_RE,
    MAX_NUMBER_LENGTH,
    ContributionFile,
    _control,
    _problem,
    escape,
    long_number,
    too_deep,
)

_control_search = CONTROL_RE.search


class _RefusedYAML(Exception):
    def __init__(self, code: str, message: str, hint: str, line: int | None, pointer: str = ""):
        super().__init__(message)
        self.code, self.message, self.hint, self.line, self.pointer = code, message, hint, line, pointer


# libyaml's composer when available (several times faster than the pure-Python one). It resolves an
# alias to the very node object its anchor names, so _walk_yaml refuses aliases by spotting a node met
# twice, before anything is constructed: an alias bomb is refused without being expanded.
try:
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # PyYAML built without libyaml
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]  # the same interface, in Python


class _Loader(_SafeLoader):
    """Safe loader that keeps dates as text."""

    def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
        """``BaseResolver.resolve`` without its per-call list building (libyaml calls it for every node):
        the same tag for every argument (tests/test_reader_fast.py), as this loader has no path resolvers."""
        if kind is yaml.ScalarNode:
            if implicit[0]:
                for tag, match in _PLAIN_RESOLVERS.get(value[:1], _WILDCARD_RESOLVERS):
                    if match(value):
                        return tag
            return _Loader.DEFAULT_SCALAR_TAG
        return _Loader.DEFAULT_SEQUENCE_TAG if kind is yaml.SequenceNode else _Loader.DEFAULT_MAPPING_TAG


_Loader.yaml_implicit_resolvers = {
    ch: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for ch, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
assert not _Loader.yaml_path_resolvers  # _Loader.resolve relies on it
_WILDCARD_RESOLVERS = tuple((tag, rx.match) for tag, rx in _Loader.yaml_implicit_resolvers.get(None, []))
#: First character of a plain scalar ("" for an empty one) -> (tag, match) tried in order, wildcards last.
_PLAIN_RESOLVERS = {
    ch: tuple((tag, rx.match) for tag, rx in resolvers) + _WILDCARD_RESOLVERS
    for ch, resolvers in _Loader.yaml_implicit_resolvers.items()
    if ch is not None
}


def _walk_yaml(
    node: yaml.Node, ptr: str, out: dict[str, int], depth: int, limits: Limits, seen_nodes: set[int] | None = None
) -> None:
    if seen_nodes is None:
        seen_nodes = set()
    if id(node) in seen_nodes:
        raise _RefusedYAML(
            "yaml-alias",
            f"YAML aliases (*) are not allowed: the value of line {node.start_mark.line + 1} is reused",
            "write the values out in full; contributions may not use anchors (&) or aliases (*)",
            node.start_mark.line + 1,
        )
    seen_nodes.add(id(node))
    if depth > limits.max_depth:
        raise _RefusedYAML(*too_deep(limits.max_depth), node.start_mark.line + 1)
    out[ptr] = node.start_mark.line + 1
    if isinstance(node, yaml.ScalarNode):
        if len(node.value) > MAX_NUMBER_LENGTH or _control_search(node.value):  # (rare: checked in full below)
            _check_scalar(node, ptr)
    elif isinstance(node, yaml.MappingNode):
        seen: dict[Any, int] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            line = key_node.start_mark.line + 1
            if key is None:
                raise _RefusedYAML("bad-key", "a key must be plain text", "write the key as a word", line)
            if key in seen:
                raise _RefusedYAML(
                    "duplicate-key",
                    f"key '{key}' appears twice in the same mapping (first on line {seen[key]})",
                    "keep one of them",
                    line,
                )
            seen[key] = line
            _walk_yaml(value_node, f"{ptr}/{escape(key)}", out, depth + 1, limits, seen_nodes)
            out[f"{ptr}/{escape(key)}"] = line  # a mapping or list value starts on the line after its key
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _walk_yaml(item, f"{ptr}/{i}", out, depth + 1, limits, seen_nodes)


_NUMBER_TAGS = ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")
_STR_TAG, _SEQ_TAG, _MAP_TAG = "tag:yaml.org,2002:str", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"


class _Unsure(Exception):
    """The fast reading met something only the full reading (_walk_yaml, then PyYAML's constructor) judges."""


def _fast_data(node: yaml.Node, loader: _Loader, max_depth: int, anchors: bool) -> Any:
    """The data of a composed document, as ``loader.construct_document(node)`` makes it, for a document
    that _walk_yaml accepts; _Unsure on anything else (an alias, a duplicate or non-text key, a long
    number, a control character, too deep, a tag other than text, numbers, booleans, null, lists and
    mappings). One pass with no pointers or lines: the line map is made only when a problem needs it."""
    scalars: dict[str, Any] = {
        "tag:yaml.org,2002:int": loader.construct_yaml_int,
        "tag:yaml.org,2002:float": loader.construct_yaml_float,
        "tag:yaml.org,2002:bool": loader.construct_yaml_bool,
        "tag:yaml.org,2002:null": loader.construct_yaml_null,
    }
    control = _control_search
    scalar_node, mapping_node, sequence_node = yaml.ScalarNode, yaml.MappingNode, yaml.SequenceNode
    seen: set[int] = set()  # an alias is a node met twice; only a text with an anchor (&) can hold one

    def build(node: yaml.Node, depth: int) -> Any:
        if depth > max_depth:
            raise _Unsure
        if anchors:
            if id(node) in seen:
                raise _Unsure
            seen.add(id(node))
        kind, tag = type(node), node.tag
        if kind is scalar_node:
            value = node.value
            if control(value):
                raise _Unsure
            if tag == _STR_TAG:
                return value
            if tag not in scalars or len(value) > MAX_NUMBER_LENGTH:
                raise _Unsure
            return scalars[tag](node)
        if kind is mapping_node and tag == _MAP_TAG:
            out: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if type(key_node) is not scalar_node or key_node.tag != _STR_TAG:
                    raise _Unsure
                key = key_node.value
                if key in out:
                    raise _Unsure
                out[key] = build(value_node, depth + 1)
            return out
        if kind is sequence_node and tag == _SEQ_TAG:
            return [build(item, depth + 1) for item in node.value]
        raise _Unsure

    try:
        return build(node, 0)
    finally:
        # build refers to itself through its closure: clearing that name frees the closure, its bound
        # methods and the loader (with libyaml's copy of the text) at once, not at the next collection,
        # which a bulk validation pauses and then freezes (usua.validation.check._gc_paused)
        build = None  # type: ignore[assignment]


def _record_spans(node: yaml.Node) -> dict[str, list[tuple[int, int, int]]]:
    """Where each item of each top-level list lies: (start offset, end offset, 0-based line)."""
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {
        escape(key_node.value): [(n.start_mark.index, n.end_mark.index, n.start_mark.line) for n in value_node.value]
        for key_node, value_node in node.value
        if isinstance(value_node, yaml.SequenceNode)
    }


def yaml_record_lines(text: str, span: tuple[int, int, int], base: str, data: Any) -> dict[str, int] | None:
    """The line map of one list item, read from its own lines (from the start of its first line, so that
    its indentation is kept); None unless they read as a list of just that item."""
    start, end, first_line = span
    loader = _Loader(text[text.rfind("\n", 0, start) + 1 : end])
    try:
        node = loader.get_single_node()
        if not isinstance(node, yaml.SequenceNode) or len(node.value) != 1:
            return None
        item = node.value[0]
        if _fast_data(item, loader, 2**31, True) != data:
            return None
        lines: dict[str, int] = {}
        _walk_yaml(item, base, lines, 0, Limits(max_depth=2**31))
    except (yaml.YAMLError, _RefusedYAML, _Unsure, RecursionError):
        return None
    finally:
        loader.dispose()
    return {ptr: line + first_line for ptr, line in lines.items()}


def yaml_lines(text: str) -> dict[str, int]:
    """The line of every JSON pointer of a YAML text that was read without problems."""
    lines: dict[str, int] = {}
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is not None:
            _walk_yaml(node, "", lines, 0, Limits(max_depth=2**31))
    except (yaml.YAMLError, _RefusedYAML, RecursionError):  # not for a text that was read: lines found so far
        pass
    finally:
        loader.dispose()
    return lines


def _check_scalar(node: yaml.ScalarNode, ptr: str) -> None:
    line = node.start_mark.line + 1
    if node.tag in _NUMBER_TAGS and len(node.value) > MAX_NUMBER_LENGTH:
        raise _RefusedYAML(*long_number(len(node.value)), line, ptr)
    bad = CONTROL_RE.search(node.value)
    if bad:
        raise _RefusedYAML(*_control(node.value, bad.start()), line, ptr)


def _reader_problem(name: str, exc: yaml.reader.ReaderError, line: int) -> Problem:
    char = exc.character if isinstance(exc.character, int) else ord(exc.character)
    return _problem(
        name,
        "syntax",
        f"the character U+{char:04X} on line {line} is not allowed in YAML",
        "remove it: control characters cannot appear in YAML files",
        line,
    )


#: Below these, libyaml's recursive composer is safe (it overflows the C stack from about 20,000 levels).
_FLOW_OPENERS_SAFE, _BLOCK_INDENT_SAFE = 2000, 1000
_DEEP_BLOCK_RE = re.compile(rf"^[ \t?:-]{{{_BLOCK_INDENT_SAFE},}}", re.M)
_OPENINGS = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
_CLOSINGS = (yaml.MappingEndEvent, yaml.SequenceEndEvent)


def _refuse_deep_yaml(text: str, limits: Limits) -> None:
    """Refuse nesting deeper than the limit before libyaml composes the document. Nesting needs a flow
    bracket or a wider indentation per level, so a text with few brackets and no deeply indented
    line is passed at once; any other text is measured exactly over libyaml's (flat) event stream."""
    if text.count("[") + text.count("{") < _FLOW_OPENERS_SAFE and not _DEEP_BLOCK_RE.search(text):
        return
    scanner = _Loader(text)
    try:
        depth = 0
        while scanner.check_event():
            event = scanner.get_event()
            if isinstance(event, _OPENINGS):
                depth += 1
                if depth > limits.max_depth + 1:  # the document's own mapping is level 0
                    mark = event.start_mark  # always set on a parsed event
                    raise _RefusedYAML(*too_deep(limits.max_depth), mark.line + 1 if mark else None)
            elif isinstance(event, _CLOSINGS):
                depth -= 1
    finally:
        scanner.dispose()


def read_yaml(name: str, text: str, limits: Limits) -> tuple[ContributionFile | None, list[Problem]]:
    try:
        loader = _Loader(text)
    except yaml.reader.ReaderError as exc:
        return None, [_reader_problem(name, exc, text.count("\n", 0, exc.position) + 1)]
    try:
        _refuse_deep_yaml(text, limits)
        node = loader.get_single_node()
        if node is None:
            return None, [
                _problem(
                    name, "empty-file", "the file is empty (only comments)", "add a contribution, or remove the file"
                )
            ]
        lines: dict[str, int] | None = None
        try:
            data = _fast_data(node, loader, limits.max_depth, "&" in text)
        except (_Unsure, RecursionError):
            lines = {}
            _walk_yaml(node, "", lines, 0, limits)
            data = loader.construct_document(node)
    except _RefusedYAML as exc:
        return None, [_problem(name, exc.code, exc.message, exc.hint, exc.line, exc.pointer)]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (None, None)
        what = exc.problem or exc.context or "invalid YAML"
        at = f" at line {line}, column {col}" if line else ""
        return None, [
            _problem(
                name,
                "syntax",
                f"invalid YAML{at}: {what}",
                "fix the syntax there (indentation, a missing colon or quote is usual)",
                line,
            )
        ]
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        return None, [_reader_problem(name, exc, line)]
    except yaml.YAMLError as exc:
        return None, [_problem(name, "syntax", f"invalid YAML: {str(exc).splitlines()[0]}", "fix the syntax")]
    except RecursionError:
        return None, [_problem(name, *too_deep(limits.max_depth))]
    finally:
        loader.dispose()
    if lines is not None:
        return ContributionFile(name, "yaml", data=data, _lines=lines), []
    return ContributionFile(name, "yaml", data=data, text=text, _spans=_record_spans(node)), []
