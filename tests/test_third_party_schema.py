"""The published contribution schema works in other validators: check-jsonschema and jsonschema."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator, FormatChecker

from usua.validation import check_paths
from usua.schema import dumps, json_schema

DATA = Path(__file__).parent / "data" / "validate"


def good() -> dict:
    text = (DATA / "good.yaml").read_text(encoding="utf-8").replace("value: 2020-01-07", 'value: "2020-01-07"')
    return yaml.safe_load(text)


def bad_variants() -> dict[str, dict]:
    out = {}
    d = good()
    d["events"][0]["date"]["value"] = "2020-13"
    out["impossible month"] = d
    d = good()
    d["entities"][0]["nmae"] = "typo"
    out["unknown field"] = d
    d = good()
    d["entities"][2]["evidence"][0]["occurrence"] = "2"
    out["number as text"] = d
    d = good()
    d["events"][0]["status"] = "done"
    out["not in the vocabulary"] = d
    d = good()
    del d["schema_version"]
    out["no schema version"] = d
    d = good()
    d["roles"][0]["attested"]["earliest"] = "2020-02-30"
    out["impossible calendar date"] = d
    return out


def _with(path: tuple, value) -> dict:
    """The good contribution with one value replaced."""
    data = good()
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return data


def line_break_variants() -> dict[str, dict]:
    """Values with a line break after them. JSON Schema patterns follow ECMA-262, where `$` is the end
    of the text (check-jsonschema and pydantic agree); Python's `$` also matches before a final line
    break, so usua matches whole values (re.fullmatch) wherever its own code checks a pattern."""
    return {
        "a line break after a date": _with(("events", 0, "date", "value"), "2020-01-07\n"),
        "a line break after an id": _with(("entities", 1, "id"), "ent:freedonia\n"),
        "a line break after the schema version": _with(("schema_version",), "1.0.0\n"),
        "a line break after a Wikidata id": _with(
            ("entities", 1, "identifiers"), [{"scheme": "wikidata", "value": "Q30\n"}]
        ),
    }


def test_check_jsonschema_and_usua_refuse_a_line_break_after_a_value(schema_file, tmp_path):
    paths = {}
    for i, (name, data) in enumerate(line_break_variants().items()):
        paths[name] = tmp_path / f"n{i}.json"
        paths[name].write_text(json.dumps(data), encoding="utf-8")
        assert not check_paths([DATA / "documents.yaml", paths[name]]).ok, name
    in_schema = [name for name in paths if "Wikidata" not in name]  # (identifiers: checked by the models only)
    out = subprocess.run(
        [*_check_jsonschema(), "--schemafile", str(schema_file), *(str(paths[n]) for n in in_schema)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 1
    for name in in_schema:
        assert f"{paths[name]}::" in out.stdout, name


@pytest.fixture(scope="module")
def schema_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("schema") / "contribution.schema.json"
    path.write_text(dumps(json_schema("contribution")), encoding="utf-8")
    return path


def _check_jsonschema() -> list[str]:
    exe = Path(sys.executable).with_name("check-jsonschema")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "check_jsonschema"]


def test_check_jsonschema_accepts_good_and_rejects_bad(schema_file, tmp_path):
    files = {"good": good(), **bad_variants()}
    paths = {}
    for i, (name, data) in enumerate(files.items()):
        paths[name] = tmp_path / f"c{i}.json"
        paths[name].write_text(json.dumps(data), encoding="utf-8")
    ok = subprocess.run(
        [*_check_jsonschema(), "--schemafile", str(schema_file), str(paths["good"])],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert ok.returncode == 0, ok.stdout + ok.stderr
    bad_paths = [str(paths[name]) for name in bad_variants()]
    bad = subprocess.run(
        [*_check_jsonschema(), "--schemafile", str(schema_file), *bad_paths],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert bad.returncode == 1
    assert "Schema validation errors were encountered" in bad.stdout
    for name in bad_variants():  # every bad file is named in the report
        assert f"{paths[name]}::" in bad.stdout, name


def test_jsonschema_library_with_formats():
    validator = Draft202012Validator(json_schema("contribution"), format_checker=FormatChecker())
    Draft202012Validator.check_schema(json_schema("contribution"))
    assert list(validator.iter_errors(good())) == []
    for name, data in bad_variants().items():
        assert list(validator.iter_errors(data)), name


def test_usua_validate_agrees_with_the_schema_on_these_files(tmp_path):
    # the same verdicts from our own checks (no sources, so only schema, models and references)
    for name, data in {"good": good(), **bad_variants()}.items():
        path = tmp_path / f"{name.replace(' ', '-')}.json"
        path.write_text(json.dumps(data), encoding="utf-8")
        result = check_paths([DATA / "documents.yaml", path])
        assert result.ok == (name == "good"), (name, [p.format() for p in result.problems])


def test_the_good_file_exercises_nested_records():
    # a guard: the verdicts above mean little if the good file lost its nested records
    data = good()
    assert all(data[s] for s in ("entities", "events", "statements", "roles", "agreements", "disagreements"))
    assert data["agreements"][0]["provisions"][0]["evidence"]
