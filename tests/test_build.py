"""The build pipeline on a small sample: tables, Parquet types, reproducibility, mentions, coverage."""

from __future__ import annotations

import copy
import hashlib
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
import yaml

from builders.coverage import candidate_names, coverage_report
from builders.curation import Curated
from builders.derive import decimal_text, derive_tables
from builders.mentions import mention_rows
from builders.release import diff_trees, write_release
from builders.segments import segment_at, segment_spans
from usua.models import Contribution
from usua.release_tables import TABLES, arrow_schema
from usua.text import locate

KYIV = (
    "Austin Visits Kyiv\n"
    "\n"
    "On Friday, Secretary Lloyd J. Austin III met Oleksii Reznikov in Kyiv.\n"
    "The United States will provide $2.5 billion, Austin said.\n"
    "Austin and Reznikov signed a framework on defense cooperation.\n"
)
CALL = (
    "Reznikov Calls Austin\n"
    "\n"
    "Reznikov said the framework was signed in Kyiv by Austin.\n"
    "Some reports said the United States had not signed it.\n"
)


def _date(value, **kw):
    return {"value": value, "method": kw.pop("method", "stated"), **kw}


def _ev(doc, quote, **kw):
    return [{"document": doc, "quote": quote, **kw}]


def sample_data() -> tuple[dict, dict, dict[str, str]]:
    """(documents contribution, curation contribution, file name -> text)."""
    texts = {"kyiv.txt": KYIV, "call.txt": CALL}
    documents = {
        "schema_version": "1.0.0",
        "documents": [
            {
                "id": "doc:kyiv",
                "title": "Austin Visits Kyiv",
                "language": "en",
                "kind": "news_article",
                "published": _date("2021-10-22"),
                "path": "kyiv.txt",
                "sha256": hashlib.sha256(KYIV.encode()).hexdigest(),
                "rights": {"redistributable": True},
                "segments": [{"kind": "title", "first_line": 1, "last_line": 1}],
            },
            {
                "id": "doc:call",
                "title": "Reznikov Calls Austin",
                "language": "en",
                "kind": "news_article",
                "published": _date("2021-10", method="inferred", basis="From the events it reports."),
                "path": "call.txt",
                "sha256": hashlib.sha256(CALL.encode()).hexdigest(),
                "rights": {"redistributable": False},
                "segments": [{"kind": "title", "first_line": 1, "last_line": 1}],
            },
        ],
    }
    curation = {
        "schema_version": "1.0.0",
        "entities": [
            {
                "id": "ent:lloyd-austin",
                "kind": "person",
                "name": "Lloyd J. Austin III",
                "aliases": [{"name": "Austin", "kind": "surname"}],
                "country": "USA",
                "sector": "GOV",
                "identifiers": [{"scheme": "wikidata", "value": "Q4911497"}],
                "evidence": _ev("doc:kyiv", "Lloyd J. Austin III"),
            },
            {
                "id": "ent:oleksii-reznikov",
                "kind": "person",
                "name": "Oleksii Reznikov",
                "aliases": [{"name": "Reznikov", "kind": "surname"}],
                "evidence": _ev("doc:kyiv", "Oleksii Reznikov"),
            },
            {"id": "ent:kyiv", "kind": "place", "name": "Kyiv", "evidence": _ev("doc:kyiv", "Kyiv", occurrence=2)},
            {
                "id": "ent:united-states",
                "kind": "state",
                "name": "United States",
                "identifiers": [{"scheme": "wikidata", "value": "Q30"}, {"scheme": "iso3166-1-alpha3", "value": "USA"}],
                "evidence": _ev("doc:kyiv", "The United States"),
            },
            {"id": "ent:ukraine", "kind": "state", "name": "Ukraine", "evidence": _ev("doc:kyiv", "Reznikov")},
            {"id": "ent:secretary", "kind": "group", "name": "Secretary", "evidence": _ev("doc:kyiv", "Secretary")},
        ],
        "roles": [
            {
                "id": "role:austin-secdef",
                "person": "ent:lloyd-austin",
                "post": "Secretary",
                "organization": "ent:united-states",
                "attested": _date("2021-10-22"),
                "evidence": _ev("doc:kyiv", "Secretary Lloyd J. Austin III"),
            }
        ],
        "events": [
            {
                "id": "evt:austin-reznikov-kyiv",
                "type": "meeting",
                "title": "Austin meets Reznikov",
                "status": "happened",
                "date": _date(
                    "2021-10-22",
                    method="resolved_relative",
                    stated_as="On Friday",
                    basis="The Friday before publication: 2021-10-22.",
                ),
                "participants": [
                    {"entity": "ent:lloyd-austin", "role": "visitor"},
                    {"entity": "ent:oleksii-reznikov", "role": "host"},
                ],
                "location": "ent:kyiv",
                "agreements": ["agr:framework"],
                "evidence": [
                    {"document": "doc:kyiv", "quote": "met Oleksii Reznikov in Kyiv"},
                    {"document": "doc:call", "quote": "signed in Kyiv"},
                ],
            }
        ],
        "agreements": [
            {
                "id": "agr:framework",
                "name": "Defense framework",
                "kind": "framework",
                "status": "signed",
                "parties": ["ent:united-states", "ent:ukraine"],
                "signed": _date("2021-10"),
                "provisions": [
                    {
                        "kind": "scope",
                        "text": "Defense cooperation.",
                        "areas": ["policy_coordination"],
                        "evidence": _ev("doc:kyiv", "a framework on defense cooperation"),
                    }
                ],
                "evidence": _ev("doc:kyiv", "signed a framework"),
            }
        ],
        "statements": [
            {
                "id": "stm:austin-aid",
                "speaker": "ent:lloyd-austin",
                "date": _date("2021-10-22"),
                "channel": "remarks",
                "form": "paraphrase",
                "text": "The U.S. will provide $2.5 billion.",
                "event": "evt:austin-reznikov-kyiv",
                "evidence": _ev("doc:kyiv", "Austin said", note="speaker"),
            }
        ],
        "figures": [
            {
                "id": "fig:aid",
                "about": "aid",
                "value": "2500000000",
                "unit": "USD",
                "qualifier": "exact",
                "subjects": ["ent:united-states"],
                "evidence": _ev("doc:kyiv", "$2.5 billion"),
            }
        ],
        "disagreements": [
            {
                "id": "dis:signed",
                "subject": "agr:framework",
                "aspect": "whether it was signed",
                "versions": [
                    {"claim": "signed", "evidence": _ev("doc:call", "the framework was signed")},
                    {"claim": "not signed", "evidence": _ev("doc:call", "had not signed it")},
                    {"claim": "signed in Kyiv", "evidence": _ev("doc:kyiv", "signed a framework")},
                ],
            }
        ],
        "redirects": [{"id": "ent:austin", "to": "ent:lloyd-austin", "reason": "duplicate"}],
    }
    return documents, curation, texts


def locate_evidence(node, texts_by_doc: dict[str, str], spans: dict) -> None:
    """What the validation core does: fill start/end/segment of every quote (in place)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "evidence":
                for ev in value:
                    hit = locate(texts_by_doc[ev["document"]], ev["quote"], ev.get("occurrence", 1))
                    assert hit, ev
                    ev.update(start=hit.start, end=hit.end, segment=segment_at(spans[ev["document"]], hit.start))
            else:
                locate_evidence(value, texts_by_doc, spans)
    elif isinstance(node, list):
        for item in node:
            locate_evidence(item, texts_by_doc, spans)


def sample_curated(mutate=None) -> Curated:
    documents, curation, files = sample_data()
    if mutate:
        mutate(curation)
    docs = Contribution.model_validate(documents).documents
    texts = {d.id: files[d.path] for d in docs}
    spans = {d.id: segment_spans(d, texts[d.id]) for d in docs}
    curation = copy.deepcopy(curation)
    locate_evidence(curation, texts, spans)
    contrib = Contribution.model_validate(curation)
    records = {
        "documents": list(docs),
        **{
            s: list(getattr(contrib, s))
            for s in (
                "entities",
                "roles",
                "events",
                "agreements",
                "statements",
                "figures",
                "disagreements",
                "redirects",
            )
        },
    }
    return Curated(records=records, texts=texts)


def write_sample_checkout(root: Path) -> Path:
    """The sample as files, shaped like the repository's dataset/ folder."""
    documents, curation, files = sample_data()
    src, cur = root / "dataset" / "sources", root / "dataset" / "curation"
    src.mkdir(parents=True)
    cur.mkdir(parents=True)
    (root / "builders").mkdir()
    for name, text in files.items():
        (src / name).write_text(text, encoding="utf-8")
    (src / "documents.yaml").write_text(yaml.safe_dump(documents, sort_keys=False), encoding="utf-8")
    (cur / "sample.yaml").write_text(yaml.safe_dump(curation, sort_keys=False), encoding="utf-8")
    return root


def build_into(tmp: Path, name: str, curated: Curated, version: str = "1.0.0", releases: Path | None = None) -> Path:
    out = tmp / name / version
    out.mkdir(parents=True)
    write_release(out, tmp, curated.records, curated.texts, version=version, releases=releases or tmp / name)
    return out


@pytest.fixture(scope="module")
def release(tmp_path_factory) -> Path:
    return build_into(tmp_path_factory.mktemp("rel"), "releases", sample_curated())


def _rows(release: Path, table: str) -> list[dict]:
    return json.loads((release / "json" / f"{table}.json").read_text(encoding="utf-8"))


def assert_same_schema(got, want) -> None:
    """Equal names, types, nullability and descriptions. Parquet's compliant list layout names the list
    item 'element' where pa.list_() says 'item'; the item type is what matters."""
    import pyarrow as pa

    assert got.names == want.names and got.metadata == want.metadata
    for g, w in zip(got, want):
        if pa.types.is_list(w.type):
            assert pa.types.is_list(g.type) and g.type.value_type == w.type.value_type, g.name
        else:
            assert g.type == w.type, (g.name, g.type, w.type)
        assert (g.nullable, g.metadata) == (w.nullable, w.metadata), g.name


def test_two_builds_are_byte_identical(tmp_path, release):
    again = build_into(tmp_path, "again", sample_curated())
    assert diff_trees(release, again) == []
    assert len(list(release.rglob("*.parquet"))) == len(TABLES)


def test_parquet_has_declared_types_in_pyarrow_polars_duckdb(release):
    import duckdb
    import polars as pl

    for t in TABLES:
        path = release / "parquet" / f"{t.name}.parquet"
        assert_same_schema(pq.read_table(path).schema, arrow_schema(t.name))
        meta = pq.ParquetFile(path).metadata
        assert {meta.row_group(0).column(i).compression for i in range(meta.num_columns)} == {"ZSTD"}
        df = pl.read_parquet(path)
        for c in t.columns:
            want = {
                "date": pl.Date,
                "int": pl.Int64,
                "float": pl.Float64,
                "bool": pl.Boolean,
                "string": pl.String,
                "enum": pl.Categorical,
                "list": pl.List(pl.String),
            }[c.type]
            assert df.schema[c.name] == want, (t.name, c.name)
        types = {r[0]: r[1] for r in duckdb.sql(f"DESCRIBE SELECT * FROM read_parquet('{path}')").fetchall()}
        for c in t.columns:
            want = {
                "date": "DATE",
                "int": "BIGINT",
                "float": "DOUBLE",
                "bool": "BOOLEAN",
                "string": "VARCHAR",
                "enum": "VARCHAR",
                "list": "VARCHAR[]",
            }[c.type]
            assert types[c.name] == want, (t.name, c.name, types[c.name])


def test_empty_table_keeps_its_schema(release):
    table = pq.read_table(release / "parquet" / "agreement_relations.parquet")
    assert table.num_rows == 0
    assert_same_schema(table.schema, arrow_schema("agreement_relations"))


def test_rows_sorted_by_primary_key_and_dates_flattened(release):
    for t in TABLES:
        rows = _rows(release, t.name)
        keys = [tuple(r[c] for c in t.primary_key) for r in rows]
        assert keys == sorted(keys) and len(set(keys)) == len(keys), t.name
    (doc,) = [r for r in _rows(release, "documents") if r["id"] == "doc:call"]
    assert (
        doc["published"],
        doc["published_precision"],
        doc["published_earliest"],
        doc["published_latest"],
        doc["published_method"],
    ) == ("2021-10", "month", "2021-10-01", "2021-10-31", "inferred")
    assert doc["characters"] == len(CALL)
    (event,) = _rows(release, "events")
    assert (event["plover_type"], event["cameo"], event["documents"]) == ("CONSULT", "040", ["doc:call", "doc:kyiv"])
    assert event["date_stated_as"] == "On Friday"
    us = next(r for r in _rows(release, "entities") if r["id"] == "ent:united-states")
    assert (us["wikidata"], us["iso3166_alpha3"]) == ("Q30", "USA")
    (fig,) = _rows(release, "figures")
    assert (fig["value"], fig["value_text"]) == (2.5e9, "2500000000")
    assert [v["documents"] for v in _rows(release, "disagreement_versions")] == [
        ["doc:call"],
        ["doc:call"],
        ["doc:kyiv"],
    ]


def test_evidence_rows_point_into_records_and_texts(release):
    rows = _rows(release, "evidence")
    provision = [r for r in rows if r["path"] == "/provisions/0"]
    assert [(r["record"], r["quote"]) for r in provision] == [("agr:framework", "a framework on defense cooperation")]
    versions = sorted(r["path"] for r in rows if r["record"] == "dis:signed")
    assert versions == ["/versions/0", "/versions/1", "/versions/2"]
    texts = {"doc:kyiv": KYIV, "doc:call": CALL}
    for r in rows:
        assert texts[r["document"]][r["start"] : r["end"]] == r["quote"]
    assert {r["record_type"] for r in rows} >= {
        "entity",
        "role",
        "event",
        "agreement",
        "statement",
        "figure",
        "disagreement",
    }


def test_mentions_are_whole_words_longest_first():
    curated = sample_curated()
    rows = mention_rows(curated.records, curated.texts)
    kyiv = [(r["name"], r["entity"], r["segment"]) for r in rows if r["document"] == "doc:kyiv"]
    assert ("Lloyd J. Austin III", "ent:lloyd-austin", "body") in kyiv
    # "Austin" inside "Lloyd J. Austin III" is not a second mention; the title's "Austin" is
    assert [n for n, e, s in kyiv if e == "ent:lloyd-austin"] == ["Austin", "Lloyd J. Austin III", "Austin", "Austin"]
    assert kyiv[0][2] == "title"
    for r in rows:
        assert curated.texts[r["document"]][r["start"] : r["end"]] == r["name"]


def test_mentions_skip_partial_words():
    curated = sample_curated()
    curated.texts["doc:call"] = curated.texts["doc:call"].replace("Kyiv by", "Kyivan by")
    names = [r["name"] for r in mention_rows(curated.records, curated.texts) if r["document"] == "doc:call"]
    assert "Kyiv" not in names


def test_coverage_flags_unlinked_names_and_honours_exclusions():
    curated = sample_curated()
    curated.texts["doc:kyiv"] = KYIV.replace("in Kyiv.", "in Kyiv with General Mark Milley.")
    mentions = mention_rows(curated.records, curated.texts)
    report = coverage_report(curated.records, curated.texts, mentions, [])
    assert [(u["name"], u["line"]) for u in report["unlinked"]] == [("General Mark Milley", 3)]
    excluded = [{"name": "General Mark Milley", "documents": ["doc:kyiv"], "reason": "test"}]
    assert coverage_report(curated.records, curated.texts, mentions, excluded)["unlinked"] == []
    elsewhere = [{"name": "General Mark Milley", "documents": ["doc:call"], "reason": "test"}]
    assert len(coverage_report(curated.records, curated.texts, mentions, elsewhere)["unlinked"]) == 1
    assert report["mentions"]["doc:kyiv"]["ent:kyiv"] == 2  # the title's Kyiv counts as a mention


def test_sentence_initial_common_words_are_not_names():
    text = "The United States agreed. However, Ukraine said. On Monday, Officials met Smith of the Navy."
    names = [text[s:e] for s, e in candidate_names(text, 0, len(text))]
    # "The", "However" and "On" open sentences; "Monday" is a weekday; "Officials" is mid-sentence
    assert names == ["United States", "Ukraine", "Officials", "Smith of the Navy"]


def test_decimal_text_is_exact():
    from decimal import Decimal

    assert decimal_text(Decimal("2.5E+9")) == "2500000000"
    assert decimal_text(Decimal("0.10")) == "0.1"
    assert decimal_text(Decimal("1250")) == "1250"


def test_derive_refuses_a_duplicate_key():
    from builders.errors import BuildError

    curated = sample_curated()
    curated.records["redirects"].append(curated.records["redirects"][0])
    with pytest.raises(BuildError, match="duplicate primary key"):
        derive_tables(curated.records, curated.texts, [])
