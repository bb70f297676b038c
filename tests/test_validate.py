"""usua.validation.check_paths: reading, schema/model checks, ids, references and evidence quotes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from usua.validation import RECORD_TYPES, CheckResult, Limits, Problem, check_paths
from usua.validation.references import iter_evidence

DATA = Path(__file__).parent / "data" / "validate"
SOURCES = DATA / "sources"
DOCS = DATA / "documents.yaml"
GOOD = DATA / "good.yaml"


def good_data() -> dict:
    return yaml.safe_load(GOOD.read_text(encoding="utf-8").replace("value: 2020-01-07", 'value: "2020-01-07"'))


def write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def check(*paths: Path, sources: bool = True, **kw) -> CheckResult:
    return check_paths([DOCS, *paths], sources_dir=SOURCES if sources else None, **kw)


def only(result: CheckResult, code: str | None = None) -> Problem:
    assert len(result.problems) == 1, [p.format() for p in result.problems]
    problem = result.problems[0]
    if code:
        assert problem.code == code, problem.format()
    return problem


def yaml_with(tmp_path: Path, mutate) -> Path:
    data = good_data()
    mutate(data)
    return write(tmp_path, "c.yaml", yaml.safe_dump(data, sort_keys=False, allow_unicode=True))


# --- good input -------------------------------------------------------------------------------------


def test_good_contribution_is_ok_and_evidence_is_located():
    result = check(GOOD)
    assert result.ok and result.problems == []
    assert [e.id for e in result.records["entities"]] == ["ent:ada-lovell", "ent:freedonia", "ent:example-city"]
    text = result.texts["doc:sample"]
    assert result.texts["doc:sample-repost"] == text
    located = 0
    for records in result.records.values():
        for rec in records:
            for _, ev in iter_evidence(rec):
                assert ev.start is not None and ev.segment == "body"
                # offsets index the original text; curly quotes in it match the plain ones of the quote
                assert text[ev.start : ev.end].replace("\u201c", '"').replace("\u201d", '"') == ev.quote
                located += 1
    assert located == 10
    # occurrence 2 skips the title, where the name occurs first
    city = result.records["entities"][2].evidence[0]
    assert text.index("Example City") < city.start


def test_title_quote_gets_title_segment(tmp_path):
    path = yaml_with(tmp_path, lambda d: d["entities"][2]["evidence"][0].pop("occurrence"))
    result = check(path)
    assert result.ok
    assert result.records["entities"][2].evidence[0].segment == "title"
    warning = only(result, "ambiguous-quote")
    assert warning.severity == "warning" and "2 times" in warning.message


def test_json_and_jsonl_give_the_same_records(tmp_path):
    data = good_data()
    as_json = write(tmp_path, "c.json", json.dumps(data, indent=2))
    lines = [json.dumps({"schema_version": "1.0.0"})]
    for rtype, section in RECORD_TYPES.items():
        lines += [json.dumps({rtype: rec}) for rec in data.get(section, [])]
    as_jsonl = write(tmp_path, "c.jsonl", "\n".join(lines) + "\n\n")
    dumps = []
    for path in (GOOD, as_json, as_jsonl):
        result = check(path)
        assert result.ok, [p.format() for p in result.problems]
        dumps.append({s: [r.model_dump() for r in recs] for s, recs in result.records.items()})
    assert dumps[0] == dumps[1] == dumps[2]


def test_without_sources_evidence_is_not_located():
    result = check(GOOD, sources=False)
    assert result.ok and result.texts == {}
    assert result.records["events"][0].evidence[0].start is None


# --- reading: each refusal is one clear problem --------------------------------------------------------


def test_missing_file(tmp_path):
    p = only(check_paths([tmp_path / "nope.yaml"]), "missing-file")
    assert p.file.endswith("nope.yaml") and "does not exist" in p.message


def test_directory(tmp_path):
    assert "folder" in only(check_paths([tmp_path]), "is-directory").message


def test_empty_file(tmp_path):
    for name, text in (("a.yaml", ""), ("b.yaml", "# only a comment\n"), ("c.json", "  \n"), ("d.jsonl", "\n\n")):
        assert only(check_paths([write(tmp_path, name, text)]), "empty-file").message.startswith("the file is empty")


def test_invalid_utf8_names_the_byte(tmp_path):
    path = write(tmp_path, "c.yaml", b'schema_version: "1.0.0"\nentities: [\xff]\n')
    p = only(check_paths([path]), "not-utf8")
    assert p.line == 2 and "byte 35 (0xff)" in p.message


def test_yaml_duplicate_key(tmp_path):
    path = write(tmp_path, "c.yaml", 'schema_version: "1.0.0"\nentities: []\nentities: []\n')
    p = only(check_paths([path]), "duplicate-key")
    assert p.line == 3 and "'entities' appears twice" in p.message and "line 2" in p.message


def test_json_duplicate_key(tmp_path):
    path = write(tmp_path, "c.json", '{"schema_version": "1.0.0", "schema_version": "1.0.0"}')
    assert "'schema_version' appears twice" in only(check_paths([path]), "duplicate-key").message


def test_yaml_alias_bomb_is_refused_at_once(tmp_path):
    bomb = ['a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    for i in range(1, 12):
        bomb.append(f"{chr(97 + i)}: &{chr(97 + i)} [*{chr(96 + i)}, *{chr(96 + i)}, *{chr(96 + i)}, *{chr(96 + i)}]")
    p = only(check_paths([write(tmp_path, "c.yaml", "\n".join(bomb) + "\n")]), "yaml-alias")
    assert p.line == 1 and "aliases (*) are not allowed" in p.message


def test_yaml_alias_without_anchor_is_refused(tmp_path):
    # an alias with no anchor is a syntax error in YAML; either way one problem, no exception
    result = check_paths([write(tmp_path, "c.yaml", "a: *nothing\n")])
    assert only(result).code in {"yaml-alias", "syntax"}


def test_too_large(tmp_path):
    path = write(tmp_path, "c.yaml", 'schema_version: "1.0.0"\n' + "# padding\n" * 200)
    p = only(check_paths([path], limits=Limits(max_bytes=1000)), "too-large")
    assert "over the limit of" in p.message and "split" in p.hint


def test_outside_root(tmp_path):
    inside = tmp_path / "project"
    inside.mkdir()
    outside = write(tmp_path, "c.yaml", 'schema_version: "1.0.0"\n')
    assert "outside the project" in only(check_paths([outside], root=inside), "outside-project").message
    sneaky = inside / ".." / "c.yaml"
    assert only(check_paths([sneaky], root=inside), "outside-project")


def test_unknown_section_suggests_the_right_one(tmp_path):
    path = write(tmp_path, "c.yaml", 'schema_version: "1.0.0"\nentites: []\n')
    p = only(check_paths([path]), "unknown-section")
    assert p.line == 2 and p.pointer == "/entites" and "did you mean 'entities'" in p.hint


def test_unknown_record_type_in_jsonl(tmp_path):
    path = write(tmp_path, "c.jsonl", '{"evnt": {"id": "evt:x"}}\n')
    p = only(check_paths([path]), "unknown-record-type")
    assert p.line == 1 and "'evnt' is not a record type" in p.message and "'event'" in p.hint


def test_yaml_syntax_error_has_line_and_column(tmp_path):
    path = write(tmp_path, "c.yaml", 'schema_version: "1.0.0"\nentities:\n  - id: "ent:x\n')
    p = only(check_paths([path]), "syntax")
    assert p.line is not None and "column" in p.message


def test_json_syntax_error_has_line_and_column(tmp_path):
    path = write(tmp_path, "c.json", '{\n  "schema_version": "1.0.0",\n}\n')
    p = only(check_paths([path]), "syntax")
    assert p.line == 3 and "line 3, column 1" in p.message


def test_jsonl_bad_line_is_reported_with_its_line(tmp_path):
    good = json.dumps({"entity": good_data()["entities"][1]})
    path = write(tmp_path, "c.jsonl", f'{good}\n{{"entity": \n{good.replace("ent:freedonia", "ent:x")}\n')
    result = check(path)
    p = only(result, "syntax")
    assert p.line == 2
    assert [e.id for e in result.records["entities"]] == ["ent:freedonia", "ent:x"]


def test_unknown_extension(tmp_path):
    assert ".yaml" in only(check_paths([write(tmp_path, "c.txt", "x")]), "unknown-format").hint


def test_schema_version(tmp_path):
    missing = only(check_paths([write(tmp_path, "a.yaml", "entities: []\n")]), "missing-schema-version")
    from usua.version import SCHEMA_VERSION

    assert f'schema_version: "{SCHEMA_VERSION}"' in missing.hint
    assert only(check_paths([write(tmp_path, "b.yaml", 'schema_version: "2.0.0"\n')]), "incompatible-schema-version")
    newer = only(check_paths([write(tmp_path, "c.yaml", 'schema_version: "1.99.0"\n')]), "newer-schema-version")
    assert newer.severity == "warning"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=300), suffix=st.sampled_from([".yaml", ".json", ".jsonl"]))
def test_any_bytes_give_problems_never_an_exception(tmp_path, data, suffix):
    path = write(tmp_path, f"random{suffix}", data)
    result = check_paths([path], sources_dir=SOURCES)
    assert all(isinstance(p, Problem) and p.format() for p in result.problems)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    doc=st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=8),
        lambda kids: st.lists(kids, max_size=3) | st.dictionaries(st.text(max_size=8), kids, max_size=3),
        max_leaves=12,
    )
)
def test_any_json_value_in_a_section_gives_problems(tmp_path, doc):
    path = write(tmp_path, "c.json", json.dumps({"schema_version": "1.0.0", "events": [doc], "entities": doc}))
    result = check_paths([path])
    assert not result.ok


# --- records -------------------------------------------------------------------------------------


def test_bad_date_is_explained_at_its_line(tmp_path):
    path = write(tmp_path, "c.yaml", GOOD.read_text(encoding="utf-8").replace("value: 2020-01-07", "value: 2020-13"))
    p = only(check(path), "bad-date")
    assert p.pointer == "/events/0/date/value"
    assert p.line == GOOD.read_text(encoding="utf-8").splitlines().index("      value: 2020-01-07") + 1
    assert p.message.startswith("'2020-13' is not a date: write YYYY, YYYY-MM or YYYY-MM-DD")


def test_model_errors_are_plain_sentences(tmp_path):
    def mutate(d):
        d["entities"][0]["kind"] = "persn"
        d["entities"][1]["nmae"] = d["entities"][1].pop("name")
        d["events"][0]["location"] = "Example City"

    result = check(yaml_with(tmp_path, mutate))
    by_pointer = {p.pointer: p for p in result.problems}
    kind = by_pointer["/entities/0/kind"]
    assert "'persn' is not an allowed kind" in kind.message and "did you mean 'person'" in kind.hint
    assert "did you mean 'name'" in by_pointer["/entities/1/nmae"].hint
    assert by_pointer["/entities/1/name"].code == "missing-field"
    location = by_pointer["/events/0/location"]
    assert "is not a valid entity id" in location.message and "'ent:'" in location.hint
    assert all("Input should" not in p.message for p in result.problems)
    assert [p.line for p in result.problems] == sorted(p.line for p in result.problems)


def test_values_pydantic_would_convert_are_refused_like_the_schema_does(tmp_path):
    # pydantic alone would accept the text "2"; the published JSON Schema does not, so neither do we
    path = yaml_with(tmp_path, lambda d: d["entities"][2]["evidence"][0].update(occurrence="2"))
    p = only(check(path), "wrong-type")
    assert p.pointer == "/entities/2/evidence/0/occurrence" and "whole number" in p.message


def test_model_rule_error_points_at_the_record(tmp_path):
    path = yaml_with(tmp_path, lambda d: d["statements"][0].update(relayed_by=["ent:ada-lovell"]))
    p = only(check(path), "invalid-record")
    assert p.pointer == "/statements/0" and "relaying their own statement" in p.message


# --- ids and references ------------------------------------------------------------------------------


def test_duplicate_id_across_files(tmp_path):
    other = write(
        tmp_path, "other.yaml", yaml.safe_dump({"schema_version": "1.0.0", "entities": [good_data()["entities"][1]]})
    )
    p = only(check(GOOD, other), "duplicate-id")
    assert p.file == str(other) and p.pointer == "/entities/0/id"
    assert f"already used in {GOOD}" in p.message


def test_unknown_reference_suggests_a_close_id(tmp_path):
    result = check(yaml_with(tmp_path, lambda d: d["events"][0].update(location="ent:exampel-city")))
    p = only(result, "unknown-reference")
    assert p.pointer == "/events/0/location" and "did you mean ent:example-city" in p.hint


def test_known_ids_resolve_references(tmp_path):
    path = yaml_with(
        tmp_path, lambda d: d["events"][0]["participants"].append({"entity": "ent:bob", "role": "attendee"})
    )
    assert only(check(path), "unknown-reference").pointer == "/events/0/participants/1/entity"
    assert check(path, known_ids={"ent:bob"}).ok


def test_reference_to_invalid_record_is_not_reported_twice(tmp_path):
    path = yaml_with(tmp_path, lambda d: d["entities"][1].update(kind="country"))
    assert only(check(path)).pointer == "/entities/1/kind"


def test_evidence_document_must_exist(tmp_path):
    path = yaml_with(tmp_path, lambda d: d["entities"][0]["evidence"][0].update(document="doc:sampel"))
    p = only(check(path), "unknown-reference")
    assert p.pointer == "/entities/0/evidence/0/document" and "doc:sample" in p.hint


def test_retired_id_is_a_warning(tmp_path):
    def mutate(d):
        d["redirects"] = [{"id": "ent:a-lovell", "to": "ent:ada-lovell", "reason": "same person"}]
        d["statements"][0]["addressee"] = "ent:a-lovell"

    p = only(check(yaml_with(tmp_path, mutate)), "retired-id")
    assert p.severity == "warning" and "ent:ada-lovell" in p.hint


# --- evidence ------------------------------------------------------------------------------------------


def test_missing_quote_shows_the_closest_passage(tmp_path):
    path = yaml_with(tmp_path, lambda d: d["events"][0]["evidence"][0].update(quote="met in Exmaple City on Tuesday"))
    p = only(check(path), "quote-not-found")
    assert p.pointer == "/events/0/evidence/0/quote"
    assert 'the closest passage is: "met in Example City on Tuesday"' in p.hint


def test_occurrence_beyond_the_count(tmp_path):
    path = yaml_with(tmp_path, lambda d: d["entities"][2]["evidence"][0].update(occurrence=3))
    p = only(check(path), "occurrence-not-found")
    assert "occurs 2 times" in p.message and "from 1 to 2" in p.hint


def test_given_offsets_must_match(tmp_path):
    good = check(GOOD).records["entities"][0].evidence[0]
    ok = yaml_with(
        tmp_path, lambda d: d["entities"][0]["evidence"][0].update(start=good.start, end=good.end, segment="body")
    )
    assert check(ok).ok
    bad = yaml_with(tmp_path, lambda d: d["entities"][0]["evidence"][0].update(start=good.start + 1, end=good.end + 1))
    assert "computed" in only(check(bad), "evidence-offsets").hint


def test_changed_source_text_is_refused(tmp_path):
    sources = tmp_path / "sources"
    shutil.copytree(SOURCES, sources)
    (sources / "sample.txt").write_text("Something else entirely.\n", encoding="utf-8")
    result = check_paths([DOCS, GOOD], sources_dir=sources)
    assert [p.code for p in result.problems] == ["source-changed"] * 2  # both documents use that text
    p = result.problems[0]
    assert p.file == str(DOCS) and p.pointer == "/documents/0/sha256"
    assert "doc:sample" not in result.texts


def test_missing_source_text(tmp_path):
    (tmp_path / "sources").mkdir()
    result = check_paths([DOCS, GOOD], sources_dir=tmp_path / "sources")
    assert [p.code for p in result.problems] == ["missing-source"] * 2
    p = result.problems[0]
    assert "sample.txt" in p.message and p.pointer == "/documents/0/path"


def test_known_document_records_are_used_for_quotes(tmp_path):
    docs = check_paths([DOCS]).records
    bad = yaml_with(tmp_path, lambda d: d["events"][0]["evidence"][0].update(quote="not in the text at all"))
    result = check_paths([bad], sources_dir=SOURCES, known_records={"documents": docs["documents"]})
    assert only(result, "quote-not-found").file == str(bad)


def test_problems_are_sorted_and_formatted(tmp_path):
    a = write(tmp_path, "a.yaml", 'schema_version: "1.0.0"\nentities:\n  - {id: "ent:x"}\nevnts: []\n')
    b = write(tmp_path, "b.yaml", "entities: []\n")
    result = check_paths([b, a])
    keys = [(p.file, p.line) for p in result.problems]
    assert keys == sorted(keys) and not result.ok
    text = result.problems[0].format()
    assert text.startswith(f"{a}:3: /entities/0") and text.endswith(")")


def test_problem_format():
    p = Problem("f.yaml", 4, "/events/3/date/value", "bad-date", "'2022-13' is not a date", "write YYYY-MM")
    assert p.format() == "f.yaml:4: /events/3/date/value: '2022-13' is not a date (write YYYY-MM)"
    w = Problem("f.yaml", None, "", "x", "careful", None, "warning")
    assert w.format() == "f.yaml: warning: careful"


def test_jsonl_refuses_what_the_schema_refuses(tmp_path):
    data = good_data()
    entity = data["entities"][2]
    entity["evidence"][0]["occurrence"] = "2"
    figure = {
        "id": "fig:one",
        "about": "meetings",
        "value": 1,
        "unit": "meeting",
        "qualifier": "exact",
        "evidence": [{"document": "doc:sample", "quote": "met in Example City"}],
    }
    path = write(
        tmp_path,
        "c.jsonl",
        "\n".join(
            json.dumps(x)
            for x in [{"entity": entity}, {"figure": figure}, {"figure": {**figure, "id": "fig:two", "value": 2.5}}]
        ),
    )
    result = check(path)
    p = only(result, "wrong-type")
    assert (p.line, p.pointer) == (1, "/entity/evidence/0/occurrence")
    assert [f.id for f in result.records["figures"]] == ["fig:one", "fig:two"]


def test_json_problems_have_lines(tmp_path):
    data = good_data()
    data["events"][0]["status"] = "done"
    text = json.dumps(data, indent=2)
    path = write(tmp_path, "c.json", text)
    p = only(check(path), "not-allowed")
    assert p.pointer == "/events/0/status"
    assert p.line == text.splitlines().index('      "status": "done",') + 1


def test_byte_order_mark_is_accepted(tmp_path):
    yaml_path = write(tmp_path, "c.yaml", b"\xef\xbb\xbf" + GOOD.read_bytes())
    line = json.dumps({"entity": good_data()["entities"][1]}).encode()
    jsonl_path = write(tmp_path, "c.jsonl", b"\xef\xbb\xbf" + line + b"\n")
    assert check(yaml_path).ok and check(jsonl_path).ok


def test_usua_validate_shortcut():
    import usua

    result = usua.validate(DOCS, GOOD, sources_dir=SOURCES)
    assert result.ok and result.records["events"][0].evidence[0].start is not None


def test_references_of_an_invalid_record_are_still_checked(tmp_path):
    def mutate(d):
        d["events"][0]["status"] = "done"
        d["events"][0]["participants"][0]["entity"] = "ent:ada-lovel"

    result = check(yaml_with(tmp_path, mutate))
    assert [(p.pointer, p.code) for p in result.problems] == [
        ("/events/0/status", "not-allowed"),
        ("/events/0/participants/0/entity", "unknown-reference"),
    ]
    assert "did you mean ent:ada-lovell" in result.problems[1].hint
