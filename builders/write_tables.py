"""Step 5a: the table files. Parquet with the explicit Arrow schema; JSON and JSON Lines alongside.

Reproducibility: rows arrive sorted by primary key; enum dictionaries hold the whole vocabulary in
its declared order (so they do not depend on which values occur); writer options are fixed below.
pyarrow writes no timestamp into Parquet; its only varying metadata is ``created_by``
("parquet-cpp-arrow version X"), pinned through uv.lock, so the same inputs give the same bytes.
"""

from __future__ import annotations

import json
import operator
import re
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pydantic_core

from usua.formats import strict_json_default, write_csv
from usua.release_tables import arrow_schema, get_table

from .partition import PARTITION_THRESHOLD, write_table

PARQUET_OPTIONS: dict[str, Any] = dict(
    compression="zstd",
    compression_level=9,
    use_dictionary=True,
    write_statistics=True,
    version="2.6",
    data_page_version="1.0",
    store_schema=True,
    row_group_size=1_000_000,
    write_page_index=False,
)


def arrow_table(name: str, rows: list[dict[str, Any]]) -> pa.Table:
    schema = arrow_schema(name)
    table = get_table(name)
    # one pass over the rows (a C itemgetter per row), then each column as a sequence
    pick = operator.itemgetter(*table.column_names)
    columns = list(zip(*map(pick, rows))) if len(table.columns) > 1 else [tuple(map(pick, rows))]
    if not rows:
        columns = [() for _ in table.columns]
    arrays = []
    for col, values in zip(table.columns, columns):
        field = schema.field(col.name)
        if col.type == "enum":
            # indices into the whole vocabulary in its declared order (not the values that occur)
            vocabulary = pa.array(list(col.values), type=pa.string())
            text = pa.array(values, type=pa.string())
            indices = pc.index_in(text, value_set=vocabulary)
            if indices.null_count != text.null_count:
                unknown = sorted({v for v in values if v is not None and v not in col.values})
                raise ValueError(f"{name}.{col.name}: {unknown} not in the vocabulary {list(col.values)}")
            arrays.append(pa.DictionaryArray.from_arrays(indices.cast(pa.int32()), vocabulary))
        else:
            arrays.append(pa.array(values, type=field.type))
        if not field.nullable and arrays[-1].null_count:
            raise ValueError(f"{name}.{col.name} is required but {arrays[-1].null_count} row(s) have no value")
    return pa.Table.from_arrays(arrays, schema=schema)


def write_parquet(path: Path, name: str, rows: list[dict[str, Any]]) -> None:
    pq.write_table(arrow_table(name, rows), path, **PARQUET_OPTIONS)


#: A digit then "e-" (the regex starts with the literal so that the engine skips ahead to it: starting
#: with a class of digits it tries every byte of the text, which took most of writing JSON).
_EXPONENT = re.compile(rb"e-(?<=[0-9]e-)")


def not_like_python(out: bytes) -> bool:
    """Whether JSON text holds a number pydantic-core writes unlike Python's json (1.5e-7 for 1.5e-07,
    0.00001 for 1e-05), or a string that looks like one: such a value is written by json instead, so
    bytes never change."""
    return b"0.0000" in out or _EXPONENT.search(out) is not None


def json_bytes(value: Any) -> bytes:
    """Stable JSON (indent 2): keys in the order given, UTF-8 characters kept, final newline.

    The same bytes as ``json.dumps(value, ensure_ascii=False, indent=2)``: with ``indent`` the json
    module falls back to its pure-Python encoder, which took a fifth of a large build; pydantic-core
    writes the same text in Rust."""
    try:
        out = pydantic_core.to_json(value, indent=2)
    except pydantic_core.PydanticSerializationError:
        out = None  # a value JSON cannot hold: json names it (strict_json_default)
    if out is None or not_like_python(out):
        return json.dumps(value, ensure_ascii=False, indent=2, default=strict_json_default).encode() + b"\n"
    return out + b"\n"


def json_text(value: Any) -> str:
    """Stable JSON text: keys in the order given, UTF-8 characters kept, final newline."""
    return json_bytes(value).decode()


#: One encoder for every row: json.dumps would make one per call (it is given ``default``).
_ROW_ENCODER = json.JSONEncoder(ensure_ascii=False, default=strict_json_default)


def jsonl_text(rows: list[dict[str, Any]]) -> str:
    return "".join(_ROW_ENCODER.encode(r) + "\n" for r in rows)


def write_jsonl(path: Path, rows: list[dict[str, Any]], chunk: int = 10_000) -> None:
    """JSON Lines written a chunk of rows at a time, so no table is ever one string in memory."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        for i in range(0, len(rows), chunk):
            fh.write(jsonl_text(rows[i : i + chunk]))


def write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(text)


def write_json(path: Path, value: Any) -> None:
    """``value`` as stable JSON (see ``json_bytes``)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(json_bytes(value))


#: A release with more rows than this (in all its tables) is written compact: Parquet and CSV only, no
#: JSON / JSON Lines copies of the tables and no ``records/`` (they would be 20 times the Parquet
#: files), and ``coverage.json`` / ``changes.json`` summarise (see ``full_outputs``). The curated
#: release is far below it and keeps every format; ``build_release(full_outputs=True)`` forces them.
FULL_OUTPUTS_MAX_ROWS = 100_000


def full_outputs(tables: dict[str, list[dict[str, Any]]], asked: bool | None = None) -> bool:
    """Whether the release gets every format: as asked, else by its size (``FULL_OUTPUTS_MAX_ROWS``)."""
    return asked if asked is not None else sum(map(len, tables.values())) <= FULL_OUTPUTS_MAX_ROWS


def write_table_files(
    out: Path,
    tables: dict[str, list[dict[str, Any]]],
    *,
    partition_threshold: int = PARTITION_THRESHOLD,
    json_copies: bool = True,
) -> None:
    """Parquet and CSV for every table, and (``json_copies``) JSON and JSON Lines."""
    for sub in ("parquet", "csv", *(("json", "jsonl") if json_copies else ())):
        (out / sub).mkdir(parents=True, exist_ok=True)
    for name, rows in tables.items():
        # large dated tables become parquet/<name>/year=YYYY/part-0.parquet (see builders/partition.py)
        table = arrow_table(name, rows)  # built once for Parquet and CSV
        write_table(table, name, out / "parquet", threshold=partition_threshold, **PARQUET_OPTIONS)
        with open(out / "csv" / f"{name}.csv", "w", encoding="utf-8", newline="") as fh:
            write_csv(fh, table)
        del table
        if json_copies:
            write_json(out / "json" / f"{name}.json", rows)
            write_jsonl(out / "jsonl" / f"{name}.jsonl", rows)


def write_records(out: Path, records: dict[str, list[Any]]) -> None:
    from usua.models import SECTIONS

    for section in SECTIONS:
        recs = [r.model_dump(mode="json", exclude_none=False) for r in records.get(section, [])]
        write_json(out / "records" / f"{section}.json", recs)


def write_schemas(out: Path) -> None:
    from usua.schema import all_schemas, dumps

    for name, schema in all_schemas().items():
        write_text(out / "schema" / f"{name}.schema.json", dumps(schema))
