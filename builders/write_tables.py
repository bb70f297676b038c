"""Step 5a: the table files. Parquet with the explicit Arrow schema; JSON and JSON Lines alongside.

Reproducibility: rows arrive sorted by primary key; enum dictionaries hold the whole vocabulary in
its declared order (so they do not depend on which values occur); writer options are fixed below.
pyarrow writes no timestamp into Parquet; its only varying metadata is ``created_by``
("parquet-cpp-arrow version X"), pinned through uv.lock, so the same inputs give the same bytes.
"""

from __future__ import annotations

import contextlib
import json
import operator
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pydantic_core

from usua.formats import csv_chunks, strict_json_default
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


def arrow_table(name: str, rows: list[dict[str, Any]], chunk_rows: int = 65_536) -> pa.Table:
    schema = arrow_schema(name)
    table = get_table(name)
    # a chunk of rows at a time, each in one pass (a C itemgetter per row) then each column as a
    # sequence; the chunks' arrays are joined into one per column, so the Python tuples of a large
    # table never exist all at once and the table is what one pass over all rows would give
    pick = operator.itemgetter(*table.column_names)
    # enums are read as text first, then coded against their vocabulary
    kinds = [pa.string() if col.type == "enum" else schema.field(col.name).type for col in table.columns]
    pieces: list[list[pa.Array]] = [[] for _ in table.columns]
    for start in range(0, len(rows), chunk_rows):
        part = rows[start : start + chunk_rows]
        columns = list(zip(*map(pick, part))) if len(table.columns) > 1 else [tuple(map(pick, part))]
        for piece, kind, values in zip(pieces, kinds, columns):
            piece.append(pa.array(values, type=kind))
        del part, columns
    arrays = []
    for piece, kind, col in zip(pieces, kinds, table.columns):
        field = schema.field(col.name)
        values = pa.concat_arrays(piece) if piece else pa.array([], type=kind)
        piece.clear()
        if col.type == "enum":
            # indices into the whole vocabulary in its declared order (not the values that occur)
            vocabulary = pa.array(list(col.values), type=pa.string())
            indices = pc.index_in(values, value_set=vocabulary)
            if indices.null_count != values.null_count:
                unknown = sorted({v for v in values.to_pylist() if v is not None and v not in col.values})
                raise ValueError(f"{name}.{col.name}: {unknown} not in the vocabulary {list(col.values)}")
            values = pa.DictionaryArray.from_arrays(indices.cast(pa.int32()), vocabulary)
        if not field.nullable and values.null_count:
            raise ValueError(f"{name}.{col.name} is required but {values.null_count} row(s) have no value")
        arrays.append(values)
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


def _row_encoder() -> Callable[[Any, int], list[str]]:
    """What ``json.dumps(row, ensure_ascii=False, default=strict_json_default)`` runs, made once: the
    json module makes its C encoder anew for every call, which was most of writing JSON Lines. Rows
    are acyclic (built from the records), so no circular-reference markers are kept between rows."""
    from json.encoder import c_make_encoder, encode_basestring  # type: ignore[attr-defined]

    if c_make_encoder is None:  # an interpreter without json's C speed-ups
        encoder = json.JSONEncoder(ensure_ascii=False, default=strict_json_default)
        return lambda row, _level: [encoder.encode(row)]
    return c_make_encoder(None, strict_json_default, encode_basestring, None, ": ", ", ", False, False, True)


_ROW_ENCODE = _row_encoder()


def jsonl_text(rows: list[dict[str, Any]]) -> str:
    join, encode = "".join, _ROW_ENCODE
    return join([join(encode(r, 0)) + "\n" for r in rows])


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


def full_outputs(rows: dict[str, int], asked: bool | None = None, *, complete: bool = True) -> bool | None:
    """Whether the release gets every format: as asked, else by its size (``FULL_OUTPUTS_MAX_ROWS``), from
    the rows per table. ``complete=False``: the counts of the tables derived so far, so None while more
    tables could still tip the size either way (a large release is known to be compact early)."""
    if asked is not None:
        return asked
    if sum(rows.values()) > FULL_OUTPUTS_MAX_ROWS:
        return False
    return True if complete else None


class _Behind:
    """One job at a time on a second thread while the caller goes on: handing the next job over waits
    for the one before and gives its result, so results come back in the order the jobs were given."""

    def __init__(self) -> None:
        from concurrent.futures import ThreadPoolExecutor

        self.pool = ThreadPoolExecutor(max_workers=1)
        self.job: Any = None

    def hand_over(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Start ``fn``; the result of the job before it (None when there was none)."""
        done = self.finish()
        self.job = self.pool.submit(fn, *args, **kwargs)
        return done

    def finish(self) -> Any:
        """The result of the job running (None when there is none); its error is raised here."""
        job, self.job = self.job, None
        return None if job is None else job.result()

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


class TableFiles:
    """Parquet and CSV for every table handed over, and (``json_copies``) JSON and JSON Lines; CSV
    gzip-compressed without them (a compact release).

    A table's Parquet and CSV (zstd, Arrow compute and zlib: mostly C, without the GIL) are written on
    a second thread while the caller goes on, deriving the next table or writing the JSON copies; one
    table at a time, so at most one table's Arrow copy is alive beside the rows being made. Leaving the
    ``with`` block waits for the last one."""

    def __init__(self, out: Path, *, partition_threshold: int = PARTITION_THRESHOLD) -> None:
        self.out, self.partition_threshold = out, partition_threshold
        self.behind = _Behind()

    def write(self, tables: dict[str, list[dict[str, Any]]], *, json_copies: bool) -> None:
        """Write every table of ``tables``, taking each out of it so that its rows are freed before the
        next one is built (the dict is empty afterwards)."""
        for sub in ("parquet", "csv", *(("json", "jsonl") if json_copies else ())):
            (self.out / sub).mkdir(parents=True, exist_ok=True)
        for name in list(tables):
            rows = tables.pop(name)
            table = arrow_table(name, rows)  # built once for Parquet and CSV
            self.behind.hand_over(
                _write_arrow_files,
                self.out,
                name,
                table,
                partition_threshold=self.partition_threshold,
                compressed=not json_copies,
            )
            del table
            if json_copies:
                write_json(self.out / "json" / f"{name}.json", rows)
                write_jsonl(self.out / "jsonl" / f"{name}.jsonl", rows)

    def __enter__(self) -> TableFiles:
        return self

    def __exit__(self, kind: object, *exc: object) -> None:
        try:
            if kind is None:
                self.behind.finish()
        finally:
            self.behind.close()


def _write_arrow_files(out: Path, name: str, table: pa.Table, *, partition_threshold: int, compressed: bool) -> None:
    # large dated tables become parquet/<name>/year=YYYY/part-0.parquet (see builders/partition.py)
    write_table(table, name, out / "parquet", threshold=partition_threshold, **PARQUET_OPTIONS)
    write_csv_file(out / "csv" / csv_name(name, compressed=compressed), table)


def csv_name(table: str, *, compressed: bool) -> str:
    """The CSV file of a table: gzip-compressed in a compact release (CSV is most of its bytes)."""
    return f"{table}.csv.gz" if compressed else f"{table}.csv"


def write_csv_file(path: Path, table: pa.Table) -> None:
    """A table as CSV (``usua.formats.csv_chunks``), gzip-compressed when ``path`` ends in ``.gz``."""
    gzipped = path.suffix == ".gz"
    with open(path, "wb") as raw, GzipMembers(raw) if gzipped else contextlib.nullcontext(raw) as sink:
        for chunk in csv_chunks(table):
            sink.write(chunk)


class GzipMembers:
    """A binary file object writing to ``raw`` as gzip members of about ``size`` bytes of text each
    (RFC 1952: a gzip file is a series of members; gzip, Python, DuckDB, polars and Arrow read them
    as one text), so no table's CSV is ever whole in memory. Compressed by Arrow's codec, whose zlib
    is pinned with pyarrow (as Parquet's zstd is), with no time or file name in the headers: the same
    table gives the same bytes. A member is compressed on a second thread while the next one is made
    (Arrow's codec releases the GIL), and members are written in order."""

    def __init__(self, raw: Any, size: int = 1 << 23, level: int = 6) -> None:
        self.raw, self.size, self.parts, self.pending = raw, size, [], 0
        self.codec = pa.Codec("gzip", compression_level=level)
        self.behind = _Behind()

    def write(self, data: Any) -> int:
        """Bytes or a buffer (a ``pa.Buffer`` is not copied until its member is joined)."""
        size = len(memoryview(data))
        self.parts.append(data)
        self.pending += size
        if self.pending >= self.size:
            self.flush()
        return size

    def flush(self) -> None:
        if self.parts:
            member = b"".join(self.parts)
            self.parts, self.pending = [], 0
            self._write(self.behind.hand_over(self.codec.compress, member))

    def _write(self, compressed: Any) -> None:
        if compressed is not None:
            self.raw.write(compressed)

    def close(self) -> None:
        try:
            self.flush()
            self._write(self.behind.finish())
        finally:
            self.behind.close()

    def __enter__(self) -> GzipMembers:
        return self

    def __exit__(self, kind: object, *exc: object) -> None:
        if kind is None:
            self.close()
        else:  # the file is being abandoned: no more members
            self.behind.close()


def write_records(out: Path, records: dict[str, list[Any]]) -> None:
    from usua.models import SECTIONS

    for section in SECTIONS:
        recs = [r.model_dump(mode="json", exclude_none=False) for r in records.get(section, [])]
        write_json(out / "records" / f"{section}.json", recs)


def write_schemas(out: Path) -> None:
    from usua.schema import all_schemas, dumps

    for name, schema in all_schemas().items():
        write_text(out / "schema" / f"{name}.schema.json", dumps(schema))
