"""Step 5a: the table files. Parquet with the explicit Arrow schema; JSON and JSON Lines alongside.

Reproducibility: rows arrive sorted by primary key; enum dictionaries hold the whole vocabulary in
its declared order (so they do not depend on which values occur); writer options are fixed below.
pyarrow writes no timestamp into Parquet; its only varying metadata is ``created_by``
("parquet-cpp-arrow version X"), pinned through uv.lock, so the same inputs give the same bytes.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

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
    arrays = []
    for col in get_table(name).columns:
        values = [row[col.name] for row in rows]
        field = schema.field(col.name)
        if col.type == "enum":
            position = {v: i for i, v in enumerate(col.values)}
            unknown = sorted({v for v in values if v is not None and v not in position})
            if unknown:
                raise ValueError(f"{name}.{col.name}: {unknown} not in the vocabulary {list(col.values)}")
            indices = pa.array([None if v is None else position[v] for v in values], type=pa.int32())
            arrays.append(pa.DictionaryArray.from_arrays(indices, pa.array(list(col.values), type=pa.string())))
        else:
            arrays.append(pa.array(values, type=field.type))
        if not field.nullable and arrays[-1].null_count:
            raise ValueError(f"{name}.{col.name} is required but {arrays[-1].null_count} row(s) have no value")
    return pa.Table.from_arrays(arrays, schema=schema)


def write_parquet(path: Path, name: str, rows: list[dict[str, Any]]) -> None:
    pq.write_table(arrow_table(name, rows), path, **PARQUET_OPTIONS)


def json_text(value: Any, *, indent: int | None = 2) -> str:
    """Stable JSON text: keys in the order given, UTF-8 characters kept, final newline."""
    return json.dumps(value, ensure_ascii=False, indent=indent, default=strict_json_default) + "\n"


def jsonl_text(rows: list[dict[str, Any]]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False, default=strict_json_default) + "\n" for r in rows)


def write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(text)


def write_table_files(
    out: Path, tables: dict[str, list[dict[str, Any]]], *, partition_threshold: int = PARTITION_THRESHOLD
) -> None:
    for sub in ("parquet", "json", "jsonl", "csv"):
        (out / sub).mkdir(parents=True, exist_ok=True)
    for name, rows in tables.items():
        # large dated tables become parquet/<name>/year=YYYY/part-0.parquet (see builders/partition.py)
        write_table(arrow_table(name, rows), name, out / "parquet", threshold=partition_threshold, **PARQUET_OPTIONS)
        with open(out / "csv" / f"{name}.csv", "w", encoding="utf-8", newline="") as fh:
            write_csv(fh, arrow_table(name, rows))
        write_text(out / "json" / f"{name}.json", json_text(rows))
        write_text(out / "jsonl" / f"{name}.jsonl", jsonl_text(rows))


def write_records(out: Path, records: dict[str, list[Any]]) -> None:
    from usua.models import SECTIONS

    for section in SECTIONS:
        recs = [r.model_dump(mode="json", exclude_none=False) for r in records.get(section, [])]
        write_text(out / "records" / f"{section}.json", json_text(recs))


def write_schemas(out: Path) -> None:
    from usua.schema import all_schemas, dumps

    for name, schema in all_schemas().items():
        write_text(out / "schema" / f"{name}.schema.json", dumps(schema))
