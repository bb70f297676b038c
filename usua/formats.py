"""How release values are written as text: CSV cells, CSV files, and JSON for dates. Shared by the build
(which writes the release's CSV and JSON files), the exporter and the command line, so that a value
reads the same wherever it is shown."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any


def cell(value: Any) -> str:
    """A value as CSV text: lists and dicts as JSON, dates ISO 8601, booleans true/false, null empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple, dict)):
        return json.dumps(value, ensure_ascii=False, default=json_default)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(value)


def write_csv(f: Any, table: Any, batch_rows: int = 50_000) -> None:
    """An Arrow table as CSV into an open text file: header row, then one line per row (see `cell`)."""
    for chunk in csv_chunks(table, batch_rows):
        f.write(chunk.to_pybytes().decode("utf-8"))


def csv_chunks(table: Any, batch_rows: int = 50_000) -> Iterator[Any]:
    """The CSV text of an Arrow table as UTF-8 buffers: the header row, then a batch of rows at a time.

    The bytes are those of Python's ``csv.writer`` (minimal quoting, ``\\n`` line ends) given `cell` of
    each value (tests/test_csv_cells.py), but quoting and joining the cells is done by Arrow, column by
    column: the cells of a whole large table as Python strings would outweigh the table itself, and
    ``csv.writer`` takes most of a build's CSV time formatting them."""
    import csv
    import io

    import pyarrow as pa
    import pyarrow.compute as pc

    header = io.StringIO()
    csv.writer(header, lineterminator="\n").writerow(table.column_names)
    yield pa.py_buffer(header.getvalue().encode("utf-8"))
    single = table.num_columns == 1  # csv.writer quotes a row's only cell when it is empty
    for batch in table.to_batches(max_chunksize=batch_rows):
        if not batch.num_rows:
            continue
        if not batch.num_columns:  # csv.writer writes an empty line per row
            yield pa.py_buffer(b"\n" * batch.num_rows)
            continue
        cells = [_quoted(_cells(column)) for column in batch.columns]
        if single:
            cells[0] = pc.if_else(pc.equal(cells[0], ""), '""', cells[0])
        lines = (
            pc.binary_join_element_wise(*cells, "\n", "")
            if single
            else pc.binary_join_element_wise(pc.binary_join_element_wise(*cells, ","), "\n", "")
        )
        whole = pc.binary_join(pa.ListArray.from_arrays(pa.array([0, len(lines)], pa.int32()), lines), "")
        yield whole[0].as_buffer()


def _quoted(cells: Any) -> Any:
    """Cells quoted as ``csv.writer`` quotes them by default: those holding a comma, a quotation mark or
    a line feed, in quotation marks, with their quotation marks doubled (a carriage return alone is not
    quoted when lines end in a line feed)."""
    import pyarrow.compute as pc

    needs = pc.match_substring_regex(cells, '[,"\n]')
    if not pc.any(needs).as_py():
        return cells
    quoted = pc.binary_join_element_wise('"', pc.replace_substring(cells, '"', '""'), '"', "")
    return pc.if_else(needs, quoted, cells)


def _cells(column: Any) -> Any:
    """One Arrow column as CSV cells, an Arrow text array without nulls (see `cell`). Text, whole numbers,
    dates and booleans are turned into text by Arrow (the same text `cell` gives: ISO dates,
    true/false); the rest cell by cell."""
    import pyarrow as pa
    import pyarrow.compute as pc

    kind = column.type.value_type if pa.types.is_dictionary(column.type) else column.type
    if pa.types.is_dictionary(column.type):
        column = column.cast(kind)
    if (
        pa.types.is_string(kind)
        or pa.types.is_large_string(kind)
        or pa.types.is_integer(kind)
        or pa.types.is_date32(kind)
        or pa.types.is_boolean(kind)
    ):
        return pc.fill_null(column.cast(pa.string()), "")
    if pa.types.is_list(kind):
        return pa.array(["" if v is None else _LIST_ENCODER.encode(v) for v in column.to_pylist()], pa.string())
    return pa.array([cell(v) for v in column.to_pylist()], pa.string())


def json_default(value: Any) -> Any:
    """JSON for what json cannot write itself: dates as ISO 8601, anything else as its text."""
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(value)


def strict_json_default(value: Any) -> Any:
    """JSON for dates as ISO 8601; any other value json cannot write is an error (the build writes
    only what the tables declare)."""
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


#: `cell`'s json.dumps for list cells, made once instead of per cell.
_LIST_ENCODER = json.JSONEncoder(ensure_ascii=False, default=json_default)
