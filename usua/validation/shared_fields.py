"""One set object for every validated model that was given the same fields.

pydantic gives each model instance its own set of the fields it was given (``model_fields_set``): for a
record with its nested evidence, dates and participants these sets are about half of the record's memory
(a set of five or more names takes 728 bytes). The record models are frozen, so such a set is never
changed in place (``model_copy`` copies it before adding to it), and equal sets can be one object.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from .nested import fields_holding_models

if TYPE_CHECKING:
    from pydantic import BaseModel

#: a distinct set of field names -> the one set object the models given those fields share
SharedSets = dict[frozenset[str], set[str]]

#: model type -> the fields that may hold models (fields_holding_models, read from a plain dict: the walk
#: asks once per model, tens of thousands of times, and a cache's call costs more than the lookup)
_HOLDING: dict[type, tuple[str, ...]] = {}


def share_fields_sets(record: Any, shared: SharedSets) -> None:
    """Give ``record`` and every model nested in it the shared set equal to its own, adding the sets not
    seen yet to ``shared``."""
    from pydantic import BaseModel

    setattr_ = object.__setattr__  # (as pydantic sets it: the models are frozen)
    setdefault, holding = shared.setdefault, _HOLDING
    stack = [record]
    push = stack.append
    while stack:
        model = stack.pop()
        own = model.__pydantic_fields_set__
        same = setdefault(frozenset(own), own)
        if same is not own:
            setattr_(model, "__pydantic_fields_set__", same)
        cls = model.__class__
        names = holding.get(cls)
        if names is None:
            names = holding[cls] = fields_holding_models(cls)
        values = model.__dict__
        for name in names:
            value = values.get(name)
            if value is None:
                continue
            if isinstance(value, (list, tuple)):
                for v in value:
                    if isinstance(v, BaseModel):
                        push(v)
            elif isinstance(value, BaseModel):
                push(value)


_M = TypeVar("_M", bound="BaseModel")


def copy_shared(model: _M, update: dict[str, Any], shared: SharedSets | None) -> _M:
    """``model.model_copy(update=update)`` given the shared set equal to its set of given fields (added to
    ``shared`` if new; None: a set of its own). The validation fills the offsets of every evidence item,
    then copies its record: this copies without pydantic's three container copies, and without walking
    the whole record again to share its sets (the nested models it keeps have theirs already; those in
    ``update`` are the caller's to share)."""
    # (no record model has extra fields or private attributes: model_copy handles those)
    if model.__pydantic_extra__ is not None or getattr(model, "__pydantic_private__", None) is not None:
        new = model.model_copy(update=update)
        if shared is not None:
            share_fields_sets(new, shared)
        return new
    setattr_ = object.__setattr__
    cls = model.__class__
    new = cls.__new__(cls)
    setattr_(new, "__dict__", {**model.__dict__, **update})  # (what model_copy makes: the fields in order)
    setattr_(new, "__pydantic_extra__", None)
    fields = model.__pydantic_fields_set__.union(update)
    setattr_(new, "__pydantic_fields_set__", fields if shared is None else shared.setdefault(frozenset(fields), fields))
    setattr_(new, "__pydantic_private__", None)
    return new
