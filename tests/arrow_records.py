"""Nested Arrow types for whole records, derived from the models: the round-trip property test
checks that every record, evidence inside, survives Arrow (as readers such as Spark would hold it)."""

from __future__ import annotations

import types
import typing
from datetime import date
from decimal import Decimal
from enum import Enum
from functools import cache
from typing import Any

import pyarrow as pa
from pydantic import BaseModel


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


def to_arrow(records: list[BaseModel], model: type[BaseModel]) -> pa.Table:
    """Records as an Arrow table with their model's schema."""
    rows = [_plain(r.model_dump(mode="python")) for r in records]
    return pa.Table.from_pylist(rows, schema=record_schema(model))


def from_arrow(table: pa.Table, model: type[BaseModel]) -> list[BaseModel]:
    """The records of an Arrow table, validated by their model."""
    return [model.model_validate(row) for row in table.to_pylist()]
