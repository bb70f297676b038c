"""The evidence table's walk of a record (by its section's plan) finds what the generic walk finds."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings

from builders.curation import section_evidence, walk_evidence
from usua.models import RECORD_MODELS
from usua.models.registry import RECORD_TYPES

from tests.strategies import any_record

_SECTION = {t.name: t.section for t in RECORD_TYPES}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(any_record)
def test_section_evidence_is_walk_evidence(kind_and_data):
    kind, data = kind_and_data
    record = RECORD_MODELS[kind].model_validate(data)
    fast = sorted(section_evidence(_SECTION[kind], record), key=lambda x: x[:2])
    generic = sorted(walk_evidence(record), key=lambda x: x[:2])
    assert [(h, n) for h, n, _ in fast] == [(h, n) for h, n, _ in generic]
    assert all(a is b for (_, _, a), (_, _, b) in zip(fast, generic))
