"""Which fields of a model may hold other models: the walks over nested records look at those only."""

from __future__ import annotations

from functools import cache
from typing import Any, get_args


def _may_hold_model(annotation: Any) -> bool:
    from pydantic import BaseModel  # (a check of screened records alone never loads pydantic)

    if annotation is Any or annotation is object:
        return True
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return True
    return any(_may_hold_model(a) for a in get_args(annotation))


@cache
def fields_holding_models(model: Any) -> tuple[str, ...]:
    """The fields of a model type whose type lets them hold a model (directly, in a list, tuple or
    union; evidence among them), in field order: not text, numbers, ids or dates."""
    return tuple(name for name, info in model.model_fields.items() if _may_hold_model(info.annotation))
