"""One set object for every validated model that was given the same fields.

pydantic gives each model instance its own set of the fields it was given (``model_fields_set``): for a
record with its nested evidence, dates and participants these sets are about half of the record's memory
(a set of five or more names takes 728 bytes). The record models are frozen, so such a set is never
changed in place (``model_copy`` copies it before adding to it), and equal sets can be one object.
"""

from __future__ import annotations

from typing import Any

from .nested import fields_holding_models

#: a distinct set of field names -> the one set object the models given those fields share
SharedSets = dict[frozenset[str], set[str]]


def share_fields_sets(record: Any, shared: SharedSets) -> None:
    """Give ``record`` and every model nested in it the shared set equal to its own, adding the sets not
    seen yet to ``shared``."""
    from pydantic import BaseModel

    setattr_ = object.__setattr__  # (as pydantic sets it: the models are frozen)
    stack = [record]
    while stack:
        model = stack.pop()
        own = model.__pydantic_fields_set__
        same = shared.setdefault(frozenset(own), own)
        if same is not own:
            setattr_(model, "__pydantic_fields_set__", same)
        values = model.__dict__
        for name in fields_holding_models(model.__class__):
            value = values.get(name)
            if isinstance(value, BaseModel):
                stack.append(value)
            elif isinstance(value, (list, tuple)):
                stack.extend(v for v in value if isinstance(v, BaseModel))
