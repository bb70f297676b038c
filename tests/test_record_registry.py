"""The record-type registry: every list of record types is derived from it, so adding a type in a copy
of the package touches only the registry, the new model and its table, and the validator, the schema,
the JSON Lines reader, the evidence table and the build's derivation of the new table all know it."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import usua
from usua.models import RECORD_MODELS, RECORD_TYPES, SECTIONS, Contribution
from usua.models.base import ID_PREFIXES
from usua.release_tables import get_table

DOCS = Path(__file__).parent / "data" / "validate" / "documents.yaml"
BUILDERS = Path(__file__).parent.parent / "builders"

CLAIM_MODEL = '''
"""Claims: what someone asserts, for the registry test."""

from __future__ import annotations

from pydantic import Field

from .base import EntityId, ShortText, StrictModel, id_type
from .evidence import Evidence

ClaimId = id_type("claim")


class Claim(StrictModel):
    """Something a source asserts."""

    id: ClaimId
    claimant: EntityId = Field(description="Who asserts it.")
    text: ShortText = Field(description="What is asserted.")
    evidence: list[Evidence] = Field(min_length=1, description="Quotes that support it.")
'''

CLAIM_TABLE = """    Table("claims", "What someone asserts.", (
        _id("Claim id (clm:...)."),
        S("claimant", "Who asserts it.", False),
        S("text", "What is asserted.", False),
    ), ("id",)),
)

TABLE_NAMES"""

PROBE = """
import json, sys
from pathlib import Path
from usua.validation import check_paths
from usua.models import RECORD_MODELS, Contribution
from usua.models.base import ID_PREFIXES
from usua.release_tables import get_table
from usua.schema import json_schema
from builders.derive import deriver, row_maker

folder = Path(sys.argv[1])
claim = {"id": "clm:ministers-met", "claimant": "ent:nobody", "text": "They met.",
         "evidence": [{"document": "doc:sample", "quote": "Ministers"}]}
(folder / "claims.yaml").write_text(json.dumps({"schema_version": "1.0.0", "claims": [claim]}))
(folder / "claims.jsonl").write_text(json.dumps({"claim": {**claim, "id": "clm:other"}}) + "\\n")
claims = get_table("claims")
yaml_result = check_paths([Path(sys.argv[2]), folder / "claims.yaml"])
jsonl_result = check_paths([Path(sys.argv[2]), folder / "claims.jsonl"])
print(json.dumps({
    "model": RECORD_MODELS["claim"].__name__,
    "prefix": ID_PREFIXES["claim"],
    "section": "claims" in Contribution.model_fields,
    "schema": "claims" in json_schema("contribution")["properties"],
    "record_type_values": list(get_table("evidence").columns[1].values),
    "yaml": [(p.pointer, p.code) for p in yaml_result.problems],
    "jsonl": [(p.pointer, p.code) for p in jsonl_result.problems],
    "claims": [r.id for r in yaml_result.records["claims"] + jsonl_result.records["claims"]],
    "rows": [row_maker(claims)(obj, values) for obj, values in deriver(claims)(yaml_result.records, {})],
}))
"""


def test_every_record_type_list_agrees_with_the_registry():
    names = [t.name for t in RECORD_TYPES]
    assert list(RECORD_MODELS) == [*names, "contribution"]
    assert list(SECTIONS) == [t.section for t in RECORD_TYPES]
    assert list(Contribution.model_fields) == ["schema_version", *SECTIONS]
    assert ID_PREFIXES == {t.name: t.prefix for t in RECORD_TYPES if t.prefix}
    assert list(get_table("evidence").columns[1].values) == list(ID_PREFIXES)
    for t in RECORD_TYPES:
        assert get_table(t.table).name == t.table
        assert SECTIONS[t.section] is t.model


def test_a_new_record_type_needs_only_the_registry_its_model_and_its_table(tmp_path):
    package = tmp_path / "usua"
    shutil.copytree(Path(usua.__file__).parent, package, ignore=shutil.ignore_patterns("_release", "__pycache__"))
    shutil.copytree(BUILDERS, tmp_path / "builders", ignore=shutil.ignore_patterns("__pycache__"))  # unchanged
    registry = package / "models" / "registry.py"
    text = registry.read_text()
    redirect = '    RecordType("redirect",'
    assert redirect in text
    registry.write_text(
        text.replace(redirect, '    RecordType("claim", "claims", "clm", "claim:Claim", "claims"),\n' + redirect)
    )
    (package / "models" / "claim.py").write_text(textwrap.dedent(CLAIM_MODEL))
    tables = package / "release_tables.py"
    text = tables.read_text()
    assert ")\n\nTABLE_NAMES" in text
    tables.write_text(text.replace(")\n\nTABLE_NAMES", CLAIM_TABLE, 1))

    run = subprocess.run(
        [sys.executable, "-c", PROBE, str(tmp_path), str(DOCS)],
        cwd=tmp_path,
        env={"PYTHONPATH": str(tmp_path), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    seen = json.loads(run.stdout)
    assert seen["model"] == "Claim" and seen["prefix"] == "clm"
    assert seen["section"] and seen["schema"]
    assert seen["record_type_values"][-1] == "claim"
    # References are found from the model's id types: the unknown claimant is reported in both formats.
    assert seen["yaml"] == [["/claims/0/claimant", "unknown-reference"]]
    assert seen["jsonl"] == [["/claim/claimant", "unknown-reference"]]
    assert seen["claims"] == ["clm:ministers-met", "clm:other"]
    # The build derives the new table from its declaration alone: one row per claim, columns in order.
    assert seen["rows"] == [{"id": "clm:ministers-met", "claimant": "ent:nobody", "text": "They met."}]
