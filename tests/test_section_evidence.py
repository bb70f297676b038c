"""The evidence table's walk of a record (by its section's plan) finds what the generic walk finds."""

from __future__ import annotations

from pathlib import Path

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


def test_the_build_names_every_quote_that_reached_it_unlocated():
    """assert_located: each evidence item without offsets, own or nested, by its pointer (in the order
    of the model's fields)."""
    import pytest

    from builders.curation import assert_located, load_curation
    from builders.errors import BuildError

    records = load_curation(Path(__file__).resolve().parent.parent).records
    agreement = next(a for a in records["agreements"] if any(p.evidence for p in a.provisions))
    k = next(i for i, p in enumerate(agreement.provisions) if p.evidence)
    provision = agreement.provisions[k]
    provisions = list(agreement.provisions)
    provisions[k] = provision.model_copy(
        update={"evidence": [provision.evidence[0].model_copy(update={"start": None})]}
    )
    broken = agreement.model_copy(
        update={"evidence": [agreement.evidence[0].model_copy(update={"segment": None})], "provisions": provisions}
    )
    with pytest.raises(BuildError) as caught:
        assert_located({"agreements": [broken]})
    hint = "the quote has no offsets or segment (the validation did not locate it; run `usua validate` on the file)"
    assert caught.value.problems == [
        f"agreements: {agreement.id}/provisions/{k}/evidence/0: {hint}",
        f"agreements: {agreement.id}/evidence/0: {hint}",
    ]
    assert_located(records)  # the curated records are all located
