"""The fast YAML reading (one pass, lines mapped on demand) agrees with the full reading on any text."""

from __future__ import annotations

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from usua.validation import yaml_reader as reader
from usua.validation.problems import Limits

scalars = st.one_of(
    st.text(max_size=20),
    st.integers(),
    st.floats(allow_nan=False),
    st.booleans(),
    st.none(),
    st.sampled_from(["2022-02-24", "0x1F", "1_000", "+.inf", "~", "yes", "<<", "=", "9" * 45, "a\x01b"]),
)
keys = st.one_of(st.text(max_size=8), st.integers(0, 3), st.sampled_from(["<<", "=", "null", "true", "1"]))
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=4))

#: Pieces of YAML that make the full reading refuse or differ: anchors, aliases, merge keys, tags,
#: duplicate keys, flow collections, control characters, long numbers.
PIECES = [
    "a: 1\n",
    "a: 2\n",
    "- x\n",
    "  b: &n [1, 2]\n",
    "  c: *n\n",
    "<<: {z: 1}\n",
    "? [k]\n: v\n",
    "d: !!set {q}\n",
    "e: !!binary aGk=\n",
    'f: "\\x01"\n',
    "g: " + "1" * 45 + "\n",
    "h: 2020-01-01\n",
    "  - [[[[1]]]]\n",
    "i: {j: [k, {l: m}]}\n",
    "'n': o\n",
    "1: p\n",
    "~: q\n",
    "r:\n  - s\n  - t: u\n",
    "v: &w x\n",
]
texts = st.one_of(
    values.map(lambda v: yaml.safe_dump(v, allow_unicode=True)),
    values.map(lambda v: yaml.safe_dump(v, default_flow_style=True)),
    st.lists(st.sampled_from(PIECES), max_size=8).map("".join),
)


def _full(name, text, limits):
    """The reading as it was before the fast path: walk every node, then PyYAML's constructor."""
    saved = reader._fast_data
    reader._fast_data = lambda *a: (_ for _ in ()).throw(reader._Unsure())
    try:
        return reader.read_yaml(name, text, limits)
    finally:
        reader._fast_data = saved


def _pointers(value, ptr=""):
    yield ptr
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for k, v in items:
        yield from _pointers(v, f"{ptr}/{reader.escape(k)}")


@settings(max_examples=300, deadline=None)
@given(texts, st.sampled_from([2, 4, 40]))
def test_fast_reading_equals_full_reading(text, depth):
    limits = Limits(max_depth=depth)
    fast, fast_problems = reader.read_yaml("f.yaml", text, limits)
    full, full_problems = _full("f.yaml", text, limits)
    assert fast_problems == full_problems
    assert (fast is None) == (full is None)
    if fast is not None:
        assert fast.data == full.data and repr(fast.data) == repr(full.data)  # 1 == 1.0 == True: compare types too
        for ptr in [*_pointers(fast.data), "/nowhere", "/0/nowhere"]:
            assert fast.line_of(ptr) == full.line_of(ptr)


@settings(max_examples=200, deadline=None)
@given(texts)
def test_a_validated_file_still_maps_the_same_lines(text):
    """A validated file frees what it can (check_paths); a problem found later still gets its line, from
    the data a YAML file keeps for that."""
    kept, _ = reader.read_yaml("f.yaml", text, Limits())
    if kept is None:
        return
    freed, _ = reader.read_yaml("f.yaml", text, Limits())
    assert freed is not None
    freed.drop_contents(lines=True)
    assert freed.data == kept.data
    for ptr in [*_pointers(kept.data), "/nowhere", "/0/nowhere"]:
        assert freed.line_of(ptr) == kept.line_of(ptr)


def test_a_validated_json_file_frees_its_data_and_maps_its_lines_from_its_text():
    import json

    text = '{"schema_version": "1.0", "events": [\n  {"id": "evt:a",\n   "title": "b"}\n]}\n'
    file = reader.ContributionFile("f.json", "json", data=json.loads(text), text=text)
    file.drop_contents(lines=True)
    assert file.data is None
    assert file.line_of("/events/0/title") == 3 and file.line_of("/events/0/id") == 2


def test_a_clean_file_maps_no_lines_until_asked():
    file, problems = reader.read_yaml("f.yaml", "events:\n  - id: evt:a\n    title: b\n", Limits())
    assert not problems and file._lines is None
    assert file.line_of("/events/0/title") == 3 and file.line_of("/events/0") == 2


@pytest.mark.parametrize("kind", [yaml.ScalarNode, yaml.SequenceNode, yaml.MappingNode])
@given(
    value=st.one_of(st.text(max_size=12), st.sampled_from(["", "~", "null", "0o17", "-.5", "<<", "=", "NO"])),
    implicit=st.tuples(st.booleans(), st.booleans()),
)
def test_resolve_equals_pyyaml(kind, value, implicit):
    loader = reader._Loader("")
    try:
        assert loader.resolve(kind, value, implicit) == yaml.resolver.BaseResolver.resolve(
            loader, kind, value, implicit
        )
    finally:
        loader.dispose()
