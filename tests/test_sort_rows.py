"""Rows sorted by primary key, duplicates reported: what the rule as first written gives."""

from __future__ import annotations

import operator

from hypothesis import given
from hypothesis import strategies as st

from builders.derive import sort_rows
from builders.errors import BuildError
from usua.release_tables import TABLES, get_table


def _sorted_as_first_written(table: str, rows: list[dict]) -> list[dict] | list[str]:
    key_cols = get_table(table).primary_key
    key = operator.itemgetter(*key_cols)
    rows = sorted(rows, key=key)
    keys = list(map(key, rows))
    dupes = sorted({k if len(key_cols) > 1 else (k,) for k, after in zip(keys, keys[1:]) if k == after})
    return [" / ".join(map(str, k)) for k in dupes] if dupes else rows


@given(st.sampled_from([t.name for t in TABLES]), st.lists(st.lists(st.integers(0, 2), min_size=4, max_size=4)))
def test_sort_rows_is_what_it_was(name, values):
    table = get_table(name)
    rows = [{**dict(zip(table.primary_key, v)), "row": i} for i, v in enumerate(values)]
    want = _sorted_as_first_written(name, rows)
    try:
        got = sort_rows(name, rows)
    except BuildError as exc:
        assert [line.split(" appears")[0].split(": ", 1)[1] for line in exc.problems] == want
    else:
        assert got == want
