"""A record with several kinds of problems gets all of them reported in one run."""

from __future__ import annotations

from pathlib import Path

from usua.contrib import check_paths

ROOT = Path(__file__).resolve().parents[1]

BAD = '''schema_version: "1.0.0"
events:
  - id: evt:2022-10-21-example
    type: phone_call
    title: Example
    status: happend
    date: {value: "2022-13", method: stated}
    participants: [{entity: ent:nobody, role: initiator}]
    evidence:
      - {document: doc:antiwar-2022-austin-reznikov-shoigu-calls, quote: "Austin held a call with Reznikof"}
'''


def test_shape_reference_and_quote_problems_of_one_record_come_together(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(BAD, encoding="utf-8")
    result = check_paths([ROOT / "dataset/sources/documents.yaml", bad], sources_dir=ROOT / "dataset/sources")
    found = {(p.file.endswith("bad.yaml"), p.line, p.pointer, p.code) for p in result.problems}
    assert not result.ok
    assert {(True, 6, "/events/0/status"), (True, 7, "/events/0/date/value"),
            (True, 8, "/events/0/participants/0/entity"), (True, 10, "/events/0/evidence/0/quote")} == {f[:3] for f in found}
    quote = next(p for p in result.problems if p.pointer.endswith("/quote"))
    assert "Reznikof" in quote.message and "closest passage" in quote.hint
