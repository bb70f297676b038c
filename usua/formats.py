"""How release values are written as text: CSV cells, CSV files, and JSON for dates. Shared by the build
(which writes the release's CSV and JSON files), the exporter and the command line, so that a value
reads the same wherever it is shown."""

from __future__ import annotations

import json
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
    import csv

    w = csv.writer(f, lineterminator="\n")
    w.writerow(table.column_names)
    # column by column (text columns, most cells, need no formatting call per cell), a batch of rows at
    # a time: the cells of a whole large table as Python strings would outweigh the table itself
    for batch in table.to_batches(max_chunksize=batch_rows):
        w.writerows(zip(*[_cells(column) for column in batch.columns]))


def _cells(column: Any) -> list[str]:
    """One Arrow column as CSV cells (see `cell`). Text, whole numbers, dates and booleans are turned
    into text by Arrow (the same text `cell` gives: ISO dates, true/false); the rest cell by cell."""
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
        return pc.fill_null(column.cast(pa.string()), "").to_pylist()
    if pa.types.is_list(kind):
        return ["" if v is None else _LIST_ENCODER.encode(v) for v in column.to_pylist()]
    return [cell(v) for v in column.to_pylist()]


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
