"""The data changelog's keys: a row's primary key columns as text, joined by " / "."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from builders.changes import (
    PreviousRelease,
    changes,
    changes_markdown,
    key_count,
    row_keys,
    summarised,
    table_changes,
)
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


#: Key values whose joins collide ("a /" then "a", "a" then "/ a"), and one that never does.
_KEY_VALUES = st.sampled_from(["a", "a /", "/ a", 0])


@settings(deadline=None)
@given(
    st.sampled_from([t.name for t in TABLES]),
    st.lists(st.lists(_KEY_VALUES, min_size=4, max_size=4), min_size=2, max_size=30),
)
def test_key_count_counts_the_distinct_keys_of_rows_unique_by_primary_key(name, values):
    table = get_table(name)
    ints = [next(col for col in table.columns if col.name == c).type == "int" for c in table.primary_key]
    typed = [[len(str(x)) if i else x for i, x in zip(ints, v)] for v in values]  # a number column holds numbers
    keys = dict.fromkeys(tuple(v[: len(table.primary_key)]) for v in typed)  # unique, as derive_table gives them
    rows = [dict(zip(table.primary_key, key)) for key in keys]
    assert key_count(table, rows) == len(set(row_keys(table, rows)))


@settings(deadline=None)
@given(st.lists(st.tuples(st.text(max_size=4), st.integers(0, 3)), max_size=12))
def test_a_compact_first_release_counts_what_a_listed_one_lists(keys):
    table = get_table(_MANY)
    unique = {k: dict(zip(table.primary_key, [*k, *["x"] * len(table.primary_key)])) for k in keys}
    rows = list(unique.values())
    listed = changes(None, {_MANY: table_changes(table, rows, PreviousRelease(None))})
    counted = changes(None, {_MANY: table_changes(table, rows, PreviousRelease(None), list_keys=False)})
    assert summarised(counted) == summarised(listed)
    assert changes_markdown("9.9.9", counted, list_keys=False) == changes_markdown("9.9.9", listed, list_keys=False)
