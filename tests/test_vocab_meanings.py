"""Every vocabulary value's meaning is written once, next to its enum, and the generated texts (schema,
codebook, table descriptions) take the values from the enums: a value added to an enum without a
meaning, or a meaning left behind by a removed value, fails here."""

from __future__ import annotations

import pytest

from usua.codebook import codebook_markdown
from usua.models import vocab
from usua.models.base import glossed, value_list
from usua.models.document import COPY_KIND_MEANINGS, CopyKind
from usua.models.entity import ALIAS_KIND_MEANINGS, SECTOR_MEANINGS, AliasKind, Sector
from usua.models.dates import DATE_METHOD_MEANINGS, DateMethod
from usua.models.statement import CHANNEL_MEANINGS, FORM_MEANINGS, StatementChannel, StatementForm
from usua.release_tables import get_table
from usua.schema import json_schema

MEANINGS = [
    (vocab.EventStatus, vocab.STATUS_MEANINGS),
    (DateMethod, DATE_METHOD_MEANINGS),
    (vocab.ProvisionKind, vocab.PROVISION_MEANINGS),
    (StatementForm, FORM_MEANINGS),
    (vocab.Certainty, vocab.CERTAINTY_MEANINGS),
    (AliasKind, ALIAS_KIND_MEANINGS),
    (CopyKind, COPY_KIND_MEANINGS),
    (StatementChannel, CHANNEL_MEANINGS),
    (vocab.AgreementKind, vocab.AGREEMENT_KIND_MEANINGS),
    (Sector, SECTOR_MEANINGS),
]


@pytest.mark.parametrize("enum, meanings", MEANINGS, ids=lambda x: getattr(x, "__name__", ""))
def test_each_value_has_its_meaning_once(enum, meanings):
    assert list(meanings) == [m.value for m in enum]


def test_value_lists_are_prose():
    assert value_list(["a"]) == "a"
    assert value_list(["a", "b", "c"]) == "a, b or c"
    assert value_list(DateMethod, last=", ") == "stated, resolved_relative, inferred, external"
    assert glossed({"a": "x", "b": None}, quote="'") == "'a' (x) or 'b'"


def test_generated_texts_take_the_meanings_from_the_vocabulary():
    method = json_schema("event")["$defs"]["DateValue"]["properties"]["method"]["description"]
    for value, meaning in DATE_METHOD_MEANINGS.items():
        assert f"'{value}' ({meaning})" in method
    codebook = codebook_markdown()
    for value, meaning in vocab.STATUS_MEANINGS.items():
        assert f"| `{value}` | {meaning} |" in codebook
    status = next(c for c in get_table("events").columns if c.name == "status")
    assert status.description == ", ".join(m.value for m in vocab.EventStatus) + "."
    for value, meaning in DATE_METHOD_MEANINGS.items():
        assert f"`{value}` ({meaning})" in codebook
    for table in ("agreement_signatories", "agreement_provisions"):
        certainty = next(c for c in get_table(table).columns if c.name == "certainty")
        assert all(f"{v} ({m})" in certainty.description for v, m in vocab.CERTAINTY_MEANINGS.items())
    event = json_schema("event")
    assert all(f"'{v}': {m}" in event["properties"]["status"]["description"] for v, m in vocab.STATUS_MEANINGS.items())
    agreement = json_schema("agreement")["$defs"]
    for model in ("Signatory", "Provision"):
        text = agreement[model]["properties"]["certainty"]["description"]
        assert all(f"'{v}' ({m})" in text for v, m in vocab.CERTAINTY_MEANINGS.items())
    alias = json_schema("entity")["$defs"]["Alias"]["properties"]["kind"]["description"]
    assert all(value in alias and (m is None or m in alias) for value, m in ALIAS_KIND_MEANINGS.items())
    copy = json_schema("document")["$defs"]["CopyOf"]["properties"]["kind"]["description"]
    assert all(f"{v} ({m})" in copy for v, m in COPY_KIND_MEANINGS.items())
    channel = json_schema("statement")["properties"]["channel"]["description"]
    assert all(f"{v} ({m})" in channel for v, m in CHANNEL_MEANINGS.items())
    kind = json_schema("agreement")["properties"]["kind"]["description"]
    assert kind.startswith(glossed(vocab.AGREEMENT_KIND_MEANINGS, last=", "))
    sector = json_schema("entity")["properties"]["sector"]["description"]
    assert all(f"{v} ({m})" in sector for v, m in SECTOR_MEANINGS.items())
