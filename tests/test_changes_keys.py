"""The data changelog's keys: a row's primary key columns as text, joined by " / "."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from builders.changes import PreviousRelease, changes, row_keys, table_changes
from usua.release_tables import TABLES, get_table

_VALUES = st.none() | st.integers() | st.text(max_size=6) | st.booleans()
_ONE = next(t.name for t in TABLES if len(t.primary_key) == 1)
_MANY = next(t.name for t in TABLES if len(t.primary_key) > 1)


def _spelled(table, row) -> str:
    """The key as the changelog has always spelled it, one row at a time."""
    cols = table.primary_key
    return str(row[cols[0]]) if len(cols) == 1 else " / ".join(str(row[c]) for c in cols)


@settings(deadline=None)
@given(st.sampled_from([_ONE, _MANY]), st.lists(st.dictionaries(st.sampled_from(["a", "b"]), _VALUES), max_size=8))
def test_row_keys_spell_each_key_as_before(name, extra):
    table = get_table(name)
    rows = [{**{c: e.get("a") for c in table.primary_key}, **e} for e in extra]
    assert row_keys(table, rows) == [_spelled(table, r) for r in rows]


@settings(deadline=None)
@given(st.lists(st.tuples(st.text(max_size=4), st.integers(0, 3)), max_size=12))
def test_a_first_release_adds_every_key_once_in_order(keys):
    table = get_table(_MANY)
    rows = [dict(zip(table.primary_key, [*k, *["x"] * len(table.primary_key)])) for k in keys]
    got = changes(None, {_MANY: table_changes(table, rows, PreviousRelease(None))})
    want = sorted({_spelled(table, r) for r in rows})
    assert got["previous"] is None
    assert got["tables"].get(_MANY, {"added": []})["added"] == want
    assert set(got["tables"]) <= {_MANY} and all(not e["removed"] and not e["changed"] for e in got["tables"].values())
