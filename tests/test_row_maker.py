"""Each table's compiled row maker gives the row a plain loop over its columns gives, in column order."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builders.derive import row_maker
from usua.release_tables import COMPUTED, TABLES

_VALUES = st.none() | st.integers() | st.text(max_size=5) | st.lists(st.text(max_size=3), max_size=2)


def _attribute(obj: Any, path: str) -> Any:
    for step in path.split("."):
        if obj is None:
            return None
        obj = getattr(obj, step)
    return obj


def _namespace(paths: list[str], draw) -> SimpleNamespace:
    """An object holding every attribute path, a step of a dotted path sometimes None."""
    root: dict[str, Any] = {}
    for path in paths:
        *steps, last = path.split(".")
        node = root
        for step in steps:
            node = node.setdefault(step, {})
        node[last] = draw(_VALUES)

    def build(d: dict[str, Any]) -> Any:
        return SimpleNamespace(**{k: build(v) if isinstance(v, dict) else v for k, v in d.items()})

    ns = build(root)
    for path in paths:  # now and then a whole intermediate step is missing: the path gives None
        steps = path.split(".")
        if len(steps) > 1 and draw(st.booleans()):
            setattr(ns, steps[0], None)
    return ns


@pytest.mark.parametrize("table", TABLES, ids=lambda t: t.name)
@settings(deadline=None, max_examples=25)
@given(data=st.data())
def test_a_compiled_row_is_the_row_of_a_loop_over_the_columns(table, data):
    sources = [c.source for c in table.columns if c.source is not COMPUTED]
    obj = _namespace(sources, data.draw)
    values = {name: data.draw(_VALUES) for name in table.computed}
    row = row_maker(table)(obj, values)
    want = {c.name: values[c.name] if c.source is COMPUTED else _attribute(obj, c.source) for c in table.columns}
    assert list(row.items()) == list(want.items())


@pytest.mark.parametrize("table", [t for t in TABLES if t.computed], ids=lambda t: t.name)
def test_computed_values_that_do_not_match_the_table_are_a_bug_said_so(table):
    with pytest.raises(AssertionError, match=f"{table.name}: derived columns .* do not match usua.release_tables"):
        row_maker(table)(SimpleNamespace(), {**dict.fromkeys(table.computed), "not-a-column": 1})


@pytest.mark.parametrize("source", ["rights.not-a-name", "class", "a..b"])
def test_a_source_that_is_not_an_attribute_path_is_a_bug_said_so(source):
    import dataclasses

    table = TABLES[0]
    bad = dataclasses.replace(table.columns[0], source=source)
    with pytest.raises(AssertionError, match="is not an attribute path"):
        row_maker(dataclasses.replace(table, columns=(bad, *table.columns[1:])))
