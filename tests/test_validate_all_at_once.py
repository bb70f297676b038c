"""A record with several kinds of problems gets all of them reported in one run."""

from __future__ import annotations

from pathlib import Path

from usua.validation import check_paths

ROOT = Path(__file__).resolve().parents[1]

BAD = """schema_version: "1.0.0"
events:
  - id: evt:2022-10-21-example
    type: phone_call
    title: Example
    status: happend
    date: {value: "2022-13", method: stated}
    participants: [{entity: ent:nobody, role: initiator}]
    evidence:
      - {document: doc:antiwar-2022-austin-reznikov-shoigu-calls, quote: "Austin held a call with Reznikof"}
"""


def test_shape_reference_and_quote_problems_of_one_record_come_together(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(BAD, encoding="utf-8")
    result = check_paths([ROOT / "dataset/sources/documents.yaml", bad], sources_dir=ROOT / "dataset/sources")
    found = {(p.file.endswith("bad.yaml"), p.line, p.pointer, p.code) for p in result.problems}
    assert not result.ok
    assert {
        (True, 6, "/events/0/status"),
        (True, 7, "/events/0/date/value"),
        (True, 8, "/events/0/participants/0/entity"),
        (True, 10, "/events/0/evidence/0/quote"),
    } == {f[:3] for f in found}
    quote = next(p for p in result.problems if p.pointer.endswith("/quote"))
    assert "Reznikof" in quote.message and "closest passage" in quote.hint


def test_checking_without_keeping_records_reports_the_same_problems(tmp_path):
    """`usua validate` keeps only ids and references of valid JSON Lines records; the report is the same."""
    import json

    lines = [json.dumps({"schema_version": "1.0.0"})]
    for i in range(30):
        lines.append(
            json.dumps(
                {
                    "entity": {
                        "id": f"ent:e{i}",
                        "kind": "person",
                        "name": f"Person {i}",
                        "evidence": [{"document": "doc:d", "quote": "quoted words"}],
                    }
                }
            )
        )
    for i in range(30):
        who = f"ent:e{i}" if i % 7 else "ent:missing"  # every 7th event refers to an unknown entity
        lines.append(
            json.dumps(
                {
                    "event": {
                        "id": f"evt:x{i}",
                        "type": "meeting",
                        "title": "t",
                        "status": "happened",
                        "date": {"value": "2022", "method": "stated"},
                        "participants": [{"entity": who, "role": "host"}],
                        "evidence": [{"document": "doc:d", "quote": "quoted words"}],
                    }
                }
            )
        )
    lines.append(json.dumps({"event": {"id": "evt:bad", "type": "meeting"}}))
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    known = {"doc:d"}
    full = check_paths([path], known_ids=known)
    light = check_paths([path], known_ids=known, keep_records=False)
    assert [p.to_dict() for p in light.problems] == [p.to_dict() for p in full.problems]
    assert sum(p.code == "unknown-reference" for p in light.problems) == 5
    assert {p.pointer for p in light.problems if p.code == "unknown-reference"} == {"/event/participants/0/entity"}
    assert all(type(r).__name__ == "RecordStub" for r in light.records["events"])


def test_outside_a_checkout_the_summary_says_quotes_were_not_checked(tmp_path):
    import subprocess
    import sys

    good = tmp_path / "good.yaml"
    good.write_text(
        'schema_version: "1.0.0"\nentities:\n  - id: ent:someone\n    kind: person\n    name: Someone\n'
        '    evidence: [{document: doc:dod-2021-austin-zelenskyy-pentagon, quote: "not checked here"}]\n',
        encoding="utf-8",
    )
    out = subprocess.run(
        [sys.executable, "-m", "usua.cli", "validate", str(good)], capture_output=True, text=True, cwd=tmp_path
    )
    assert out.returncode == 0
    assert "OK: 1 file valid (evidence quotes not checked" in out.stdout
