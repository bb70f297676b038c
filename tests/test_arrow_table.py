"""Rows become Arrow columns of the declared types; enum columns index the whole vocabulary."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builders.write_tables import arrow_table
from usua.release_tables import get_table

ROWS = [
    {"entity": "ent:b", "alias": "B", "kind": "acronym", "basis": None},
    {"entity": "ent:a", "alias": "A", "kind": "surname", "basis": "stated"},
]


def test_rows_keep_their_values_and_enums_their_whole_vocabulary():
    table = arrow_table("entity_aliases", ROWS)
    assert table.to_pylist() == ROWS
    vocabulary = list(get_table("entity_aliases").columns[2].values)
    assert table.column("kind").chunk(0).dictionary.to_pylist() == vocabulary
    assert table.column("kind").chunk(0).indices.to_pylist() == [
        vocabulary.index("acronym"),
        vocabulary.index("surname"),
    ]
    assert arrow_table("entity_aliases", []).num_rows == 0


def test_a_value_outside_the_vocabulary_or_a_missing_required_value_is_an_error():
    with pytest.raises(ValueError, match=r"entity_aliases.kind: \['nickname'\] not in the vocabulary"):
        arrow_table("entity_aliases", [{**ROWS[0], "kind": "nickname"}])
    with pytest.raises(ValueError, match="entity_aliases.alias is required"):
        arrow_table("entity_aliases", [{**ROWS[0], "alias": None}])


@settings(deadline=None, max_examples=30)
@given(
    st.lists(
        st.fixed_dictionaries(
            {
                "entity": st.text(min_size=1, max_size=5),
                "alias": st.text(min_size=1, max_size=5),
                "kind": st.sampled_from(list(get_table("entity_aliases").columns[2].values)),
                "basis": st.none() | st.text(max_size=5),
            }
        ),
        max_size=20,
    ),
    st.integers(min_value=1, max_value=7),
)
def test_the_table_is_the_same_whatever_the_chunks_of_rows(rows, chunk_rows):
    whole = arrow_table("entity_aliases", rows, chunk_rows=len(rows) + 1)
    chunked = arrow_table("entity_aliases", rows, chunk_rows=chunk_rows)
    assert chunked.equals(whole) and chunked.to_pylist() == rows
    assert all(column.num_chunks == 1 for column in chunked.columns)  # one array per column: same Parquet bytes
