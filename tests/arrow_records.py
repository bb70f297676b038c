"""Nested Arrow types for whole records, derived from the models: the round-trip property test
checks that every record, evidence inside, survives Arrow (as readers such as Spark would hold it)."""

from __future__ import annotations

import json
import types
import typing
from datetime import date
from decimal import Decimal
from enum import Enum
from functools import cache
from typing import Any

import pyarrow as pa
from pydantic import BaseModel, JsonValue


def _strip(ann: Any) -> tuple[Any, bool]:
    """Remove Annotated and Optional wrappers; return (type, nullable)."""
    nullable = False
    while True:
        origin = typing.get_origin(ann)
        if origin is typing.Annotated:
            ann = typing.get_args(ann)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(ann) if a is not type(None)]
            if len(args) != 1:
                raise TypeError(f"unsupported union {ann}")
            nullable, ann = True, args[0]
        else:
            return ann, nullable


def arrow_type(ann: Any) -> pa.DataType:
    """The Arrow type of a model field's annotation."""
    ann, _ = _strip(ann)
    if ann is JsonValue:
        return pa.string()  # any JSON value (a claim's value), as JSON text
    if typing.get_origin(ann) is list:
        return pa.list_(arrow_type(typing.get_args(ann)[0]))
    if isinstance(ann, type):
        if issubclass(ann, BaseModel):
            return record_struct(ann)
        if issubclass(ann, Enum) or ann is str:
            return pa.string()
        if ann is bool:
            return pa.bool_()
        if ann is int:
            return pa.int64()
        if ann is float:
            return pa.float64()
        if ann is date:
            return pa.date32()
        if ann is Decimal:
            return pa.string()  # exact: no decimal scale fits every value
    raise TypeError(f"no Arrow type for {ann!r}")


@cache
def record_struct(model: type[BaseModel]) -> pa.StructType:
    """The Arrow struct of a record model, one field per model field."""
    fields = []
    for name, f in model.model_fields.items():
        _, nullable = _strip(f.annotation)
        fields.append(pa.field(name, arrow_type(f.annotation), nullable=nullable or not f.is_required()))
    return pa.struct(fields)


def record_schema(model: type[BaseModel]) -> pa.Schema:
    """The Arrow schema of a record model's rows."""
    return pa.schema(list(record_struct(model)))


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Enum):
        return value.value
    return value


def _json_fields(model: type[BaseModel]) -> dict[str, Any]:
    """Fields holding any JSON value (as JSON text in Arrow) or models that do, with what is inside."""
    out: dict[str, Any] = {}
    for name, f in model.model_fields.items():
        ann, _ = _strip(f.annotation)
        item = typing.get_args(ann)[0] if typing.get_origin(ann) is list else ann
        item, _ = _strip(item)
        if ann is JsonValue:
            out[name] = True
        elif isinstance(item, type) and issubclass(item, BaseModel) and _json_fields(item):
            out[name] = item
    return out


def _convert(row: Any, model: type[BaseModel], encode: bool) -> Any:
    if row is None:
        return None
    for name, inner in _json_fields(model).items():
        value = row.get(name)
        if inner is True:
            if encode:
                row[name] = None if value is None else json.dumps(value, sort_keys=True, ensure_ascii=False)
            else:
                row[name] = None if value is None else json.loads(value)
        elif isinstance(value, list):
            row[name] = [_convert(v, inner, encode) for v in value]
        elif value is not None:
            row[name] = _convert(value, inner, encode)
    return row


def to_arrow(records: list[BaseModel], model: type[BaseModel]) -> pa.Table:
    """Records as an Arrow table with their model's schema."""
    rows = [_convert(_plain(r.model_dump(mode="python")), model, True) for r in records]
    return pa.Table.from_pylist(rows, schema=record_schema(model))


def from_arrow(table: pa.Table, model: type[BaseModel]) -> list[BaseModel]:
    """The records of an Arrow table, validated by their model."""
    return [model.model_validate(_convert(row, model, False)) for row in table.to_pylist()]
