"""Validated models given the same fields share one set of them, and read exactly as before."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from usua.models import SECTIONS
from usua.models.registry import SECTION_OF
from usua.validation.shared_fields import SharedSets, copy_shared, share_fields_sets

from .strategies import RECORD_STRATEGIES, any_record


def models_in(record: BaseModel) -> list[BaseModel]:
    out, stack = [], [record]
    while stack:
        m = stack.pop()
        out.append(m)
        for v in m.__dict__.values():
            stack.extend(x for x in (v if isinstance(v, (list, tuple)) else [v]) if isinstance(x, BaseModel))
    return out


def validated(kind: str, data: dict[str, Any]) -> BaseModel:
    model = SECTIONS[SECTION_OF[kind]]
    try:
        return model.__pydantic_validator__.validate_json(json.dumps(data), strict=True)
    except ValidationError:
        assume(False)
        raise


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(any_record, min_size=1, max_size=6))
def test_shared_sets_change_nothing_that_is_read(items: list[tuple[str, dict[str, Any]]]) -> None:
    records = [validated(kind, data) for kind, data in items]
    before = [(r.model_dump_json(), r.model_dump(exclude_unset=True), r) for r in records]
    given_fields = [[set(m.model_fields_set) for m in models_in(r)] for r in records]
    shared: SharedSets = {}
    for r in records:
        share_fields_sets(r, shared)
    for (dumped, unset, same), r, fields in zip(before, records, given_fields):
        assert r.model_dump_json() == dumped and r.model_dump(exclude_unset=True) == unset and r == same
        assert [m.model_fields_set for m in models_in(r)] == fields
    every = [m for r in records for m in models_in(r)]
    for m in every:  # one object per distinct set
        assert m.model_fields_set is shared[frozenset(m.model_fields_set)]
    # a copy with an update gets its own set: the models sharing the original's keep theirs
    copied = records[0].model_copy(update={"not_a_field": 1})
    assert "not_a_field" in copied.model_fields_set
    assert [[m.model_fields_set for m in models_in(r)] for r in records] == given_fields


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data(), any_record)
def test_copy_shared_is_model_copy_with_the_shared_set(data: st.DataObject, item: tuple[str, dict[str, Any]]) -> None:
    kind, raw = item
    record = validated(kind, raw)
    other = validated(kind, data.draw(RECORD_STRATEGIES[kind]))  # values of the same fields to update with
    names = data.draw(st.lists(st.sampled_from(sorted(type(record).model_fields)), unique=True))
    update = {name: getattr(other, name) for name in names}
    before = (record.model_dump_json(), set(record.model_fields_set))
    expected = record.model_copy(update=update)
    shared: SharedSets = {}
    got = copy_shared(record, update, shared)
    assert type(got) is type(record) and got == expected and got is not record
    assert list(got.__dict__) == list(expected.__dict__)  # the fields in the same order
    assert got.model_dump_json() == expected.model_dump_json()
    assert got.model_dump(exclude_unset=True) == expected.model_dump(exclude_unset=True)
    assert got.model_fields_set == expected.model_fields_set
    assert got.model_fields_set is shared[frozenset(expected.model_fields_set)]
    assert (record.model_dump_json(), record.model_fields_set) == before  # the original is left as it was
    assert copy_shared(record, update, None).model_fields_set == expected.model_fields_set
