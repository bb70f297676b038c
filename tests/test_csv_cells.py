"""CSV cells written column by column (by Arrow where it can) are the text `cell` gives each value."""

from __future__ import annotations

import csv
import io
from datetime import date

import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from usua.formats import cell, write_csv

COLUMNS = {
    "text": (pa.string(), st.text()),
    "enum": (pa.dictionary(pa.int32(), pa.string()), st.sampled_from(["a", "b,c", 'd"e'])),
    "int": (pa.int64(), st.integers(min_value=-(2**63), max_value=2**63 - 1)),
    "float": (pa.float64(), st.floats(allow_nan=False)),
    "bool": (pa.bool_(), st.booleans()),
    "date": (pa.date32(), st.dates(min_value=date(1, 1, 1))),
    "list": (pa.list_(pa.string()), st.lists(st.text(), max_size=3)),
}


@settings(deadline=None)  # the first call imports pyarrow's pandas support
@given(
    st.lists(st.fixed_dictionaries({k: st.none() | s for k, (_, s) in COLUMNS.items()}), max_size=8),
    st.integers(min_value=1, max_value=9),
    st.integers(min_value=1, max_value=4),
)
def test_csv_is_one_cell_per_value(rows, batch_rows, chunks):
    """Whatever the batches the rows are written in, and however the table is chunked."""
    schema = pa.schema([(k, t) for k, (t, _) in COLUMNS.items()])
    size = -(-len(rows) // chunks) or 1
    table = pa.concat_tables(
        [pa.Table.from_pylist(rows[i : i + size], schema=schema) for i in range(0, max(len(rows), 1), size)]
    )
    got = io.StringIO()
    write_csv(got, table, batch_rows=batch_rows)
    want = io.StringIO()
    w = csv.writer(want, lineterminator="\n")
    w.writerow(table.column_names)
    for row in table.to_pylist():
        w.writerow([cell(v) for v in row.values()])
    assert got.getvalue() == want.getvalue()


@settings(deadline=None)
@given(st.lists(st.none() | st.text(alphabet=st.sampled_from(["a", ",", '"', "\n", "\r", " ", "é"])), max_size=8))
def test_a_table_of_one_column_is_written_as_csv_writer_writes_it(values):
    """A row of one empty cell is the one row ``csv.writer`` quotes without a special character."""
    table = pa.table({"only": pa.array(values, pa.string())})
    got = io.StringIO()
    write_csv(got, table, batch_rows=3)
    want = io.StringIO()
    csv.writer(want, lineterminator="\n").writerows([["only"], *([cell(v)] for v in values)])
    assert got.getvalue() == want.getvalue()
