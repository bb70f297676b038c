"""The documentation's examples are real: they validate, and the messages shown are the ones users get."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import yaml

from usua.models import Contribution, Document
from usua.release_tables import TABLE_NAMES

ROOT = Path(__file__).resolve().parents[1]
GUIDE = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")


def _blocks(text: str, lang: str) -> list[str]:
    out = []
    for m in re.finditer(rf"```{lang}\n(.*?)```", text, re.S):
        lines = m.group(1).splitlines()
        indent = min(len(line) - len(line.lstrip()) for line in lines if line.strip())
        out.append("\n".join(line[indent:] for line in lines) + "\n")
    return out


def test_contributing_document_example_is_a_valid_document():
    block = next(b for b in _blocks(GUIDE, "yaml") if "doc:2025-example-talks" in b and "sha256" in b)
    record = yaml.safe_load(block.replace("<output of: sha256sum dataset/sources/2025-example-talks.txt>", "ab" * 32))[
        0
    ]
    assert Document.model_validate(record).published.precision == "day"


def test_contributing_records_example_is_a_valid_contribution(tmp_path):
    block = next(b for b in _blocks(GUIDE, "yaml") if b.startswith("schema_version"))
    contribution = Contribution.model_validate(yaml.safe_load(block))
    assert contribution.events[0].date.earliest.isoformat() == "2025-01-10"


def test_contributing_shows_the_message_usua_validate_really_prints(tmp_path):
    block = next(b for b in _blocks(GUIDE, "yaml") if b.startswith("schema_version"))
    path = tmp_path / "2025-example-talks.yaml"
    path.write_text(block.replace("status: happened", "status: happend"), encoding="utf-8")
    out = subprocess.run(
        [sys.executable, "-m", "usua.cli", "validate", str(path)], capture_output=True, text=True, cwd=tmp_path
    )
    assert out.returncode == 1
    shown = next(line for line in _blocks(GUIDE, "text")[0].splitlines() if "happend" in line)
    message = shown.split(": ", 1)[1]  # drop the file:line prefix
    assert any(line.endswith(message) for line in out.stdout.splitlines() + out.stderr.splitlines()), (
        out.stdout + out.stderr
    )


def test_readme_names_every_table():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [t for t in TABLE_NAMES if f"`{t}`" not in readme]
    assert not missing


def test_citations_name_the_current_versions():
    from usua.version import DATASET_VERSION, SCHEMA_VERSION

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    cite = readme[readme.index("## Citation") :]
    assert f"version {DATASET_VERSION}" in cite and f"(schema {SCHEMA_VERSION})" in cite
    card = (ROOT / "dataset" / "README.md").read_text(encoding="utf-8")
    assert f"dataset version {DATASET_VERSION}." in card[card.index("## How to cite") :]


def test_curation_guide_is_linked():
    assert "dataset/CURATION.md" in GUIDE
    assert "CURATION.md" in (ROOT / "dataset" / "README.md").read_text(encoding="utf-8")
