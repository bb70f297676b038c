"""`usua validate` on a file its screen accepts starts without pydantic, the models or PyYAML (they take
most of a start-up); a record the screen refuses still gets the models' own message. Each case runs in a
fresh interpreter, whose loaded modules are then looked at."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

HEAVY = ("pydantic", "pydantic_core", "yaml", "usua.models.base", "typer", "rich", "polars", "pyarrow")

DOCUMENT = {
    "id": "doc:a",
    "title": "A meeting",
    "language": "en",
    "kind": "news_article",
    "published": {"value": "2022-05-13", "method": "stated"},
    "path": "a.txt",
    "sha256": "84b191931dcc53439a41a25307a76dc063ee7f08bdc37a74bb0248e79444030e",
    "rights": {"redistributable": True},
}
ENTITY = {
    "id": "ent:nato",
    "kind": "organization",
    "name": "NATO",
    "evidence": [{"document": "doc:a", "quote": "NATO allies met"}],
}


def _run(folder: Path, *lines: dict, release_documents: list[dict] | None = None) -> tuple[int, str, list[str]]:
    """Exit status, output and the heavy modules loaded by `usua validate` on a file of these records,
    against a release holding ``release_documents``."""
    (folder / "release" / "records").mkdir(parents=True, exist_ok=True)
    if release_documents is not None:
        (folder / "release" / "records" / "documents.json").write_text(json.dumps(release_documents), encoding="utf-8")
    path = folder / "small.jsonl"
    path.write_text("\n".join(json.dumps(x) for x in [{"schema_version": "1.0.0"}, *lines]) + "\n", encoding="utf-8")
    code = (
        "import sys\n"
        "from usua.cli import main\n"
        "sys.argv = ['usua', 'validate', 'small.jsonl', '--release', 'release']\n"
        "try:\n"
        "    main()\n"
        "except SystemExit as exc:\n"
        "    status = exc.code\n"
        f"print('LOADED', [m for m in {HEAVY!r} if m in sys.modules])\n"
        "sys.exit(status)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=folder, capture_output=True, text=True, check=False)
    out, _, loaded = proc.stdout.rpartition("LOADED ")
    return proc.returncode, out, eval(loaded)  # a list of names printed by the child


def test_a_file_the_screen_accepts_is_checked_without_pydantic_or_yaml(tmp_path):
    status, out, loaded = _run(tmp_path, {"document": DOCUMENT}, {"entity": ENTITY})
    assert status == 0 and out.startswith("OK: 1 file valid"), out
    assert loaded == []


def test_the_documents_of_the_release_are_read_as_ids_until_needed(tmp_path):
    status, out, loaded = _run(tmp_path, {"entity": ENTITY}, release_documents=[DOCUMENT])
    assert status == 0 and out.startswith("OK: 1 file valid"), out
    assert loaded == []


def test_a_record_the_screen_refuses_is_explained_by_the_models(tmp_path):
    status, out, loaded = _run(tmp_path, {"document": DOCUMENT}, {"entity": {**ENTITY, "kind": "club"}})
    assert status == 1
    assert "small.jsonl:3: /entity/kind:" in out  # the models' message, on its line
    assert "pydantic" in loaded


def test_an_unknown_reference_is_told_with_its_pointer(tmp_path):
    status, out, _ = _run(tmp_path, {"entity": ENTITY})
    assert status == 1
    assert "small.jsonl:2: /entity/evidence/0/document: doc:a is not a known document" in out


def test_the_published_schema_files_are_what_the_models_generate():
    from usua.schema import json_schema, published_dir, published_schema
    from usua.validation.reader import RECORD_TYPES

    assert published_dir().is_dir()
    for rtype in RECORD_TYPES:
        assert published_schema(rtype) == json_schema(rtype)
