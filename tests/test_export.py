"""CSV and SQLite export, and SQL through DuckDB."""

from __future__ import annotations

import csv
import json
import shutil
import sqlite3
import sys

import pytest

import usua
from tests.release_fixture import write_release
from usua.errors import UsuaError
from usua.export import cell, export_csv, export_sqlite
from usua.sql import MISSING_DUCKDB, query
from usua.release_tables import TABLE_NAMES, get_table


@pytest.fixture(scope="module")
def release_dir(tmp_path_factory):
    return write_release(tmp_path_factory.mktemp("rel") / "0.9.0", "0.9.0")


def test_cell_formats():
    from datetime import date

    assert cell(None) == "" and cell(True) == "true" and cell(False) == "false"
    assert cell(["a", "é"]) == '["a", "é"]' and cell([]) == "[]"
    assert cell(date(2022, 5, 13)) == "2022-05-13" and cell(1.5) == "1.5" and cell(3) == "3"


def test_csv_export_round_trips(tmp_path, release_dir):
    out = tmp_path / "csv"
    files = export_csv(out, release_dir=release_dir)
    assert sorted(p.name for p in files) == sorted(f"{t}.csv" for t in TABLE_NAMES)
    assert not list(out.glob(".*"))  # no temporary files left behind
    with open(out / "entities.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    df = usua.load("entities", release_dir=release_dir)
    assert list(rows[0]) == df.columns
    assert [r["id"] for r in rows] == df["id"].to_list()
    assert [json.loads(r["aliases"]) for r in rows] == df["aliases"].to_list()
    austin = next(r for r in rows if r["id"] == "ent:lloyd-austin")
    assert austin["description"] == df.filter(df["id"] == "ent:lloyd-austin")["description"][0]  # comma, quote, newline
    assert next(r for r in rows if r["id"] == "ent:ukraine")["description"] == ""  # null
    with open(out / "roles.csv", encoding="utf-8") as f:
        assert f.read().strip().split(",") == list(get_table("roles").column_names)  # empty table: header only
    with open(out / "documents.csv", encoding="utf-8", newline="") as f:
        docs = list(csv.DictReader(f))
    assert [d["redistributable"] for d in docs] == ["true", "false"]
    assert docs[0]["published_earliest"] == "2021-09-01"


def test_csv_export_refuses_to_overwrite_and_to_write_into_a_file(tmp_path, release_dir):
    out = tmp_path / "csv"
    out.mkdir()
    (out / "events.csv").write_text("keep me")
    with pytest.raises(UsuaError, match="already exist.*--force"):
        export_csv(out, release_dir=release_dir)
    assert (out / "events.csv").read_text() == "keep me"
    assert [p.name for p in out.iterdir()] == ["events.csv"]  # nothing else written either
    export_csv(out, release_dir=release_dir, force=True)
    assert (out / "events.csv").read_text().startswith("id,type,")
    with pytest.raises(UsuaError, match="is a file"):
        export_csv(out / "events.csv", release_dir=release_dir)
    with pytest.raises(UsuaError, match="unknown table"):
        export_csv(tmp_path / "x", release_dir=release_dir, tables=["nope"])


def test_sqlite_export_has_keys_and_all_rows(tmp_path, release_dir):
    db = export_sqlite(tmp_path / "usua.db", release_dir=release_dir)
    con = sqlite3.connect(db)
    try:
        names = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert names == set(TABLE_NAMES)
        for name in TABLE_NAMES:
            t = get_table(name)
            (n,) = con.execute(f'SELECT count(*) FROM "{name}"').fetchone()
            assert n == usua.load(name, release_dir=release_dir).height
            pk = [r[1] for r in sorted(con.execute(f'PRAGMA table_info("{name}")'), key=lambda r: r[5]) if r[5]]
            assert tuple(pk) == t.primary_key
            fks = {(r[3], r[2], r[4]) for r in con.execute(f'PRAGMA foreign_key_list("{name}")')}
            assert fks == set(t.foreign_keys)
        assert con.execute("SELECT aliases, description FROM entities WHERE id='ent:united-states'").fetchone() == (
            '["U.S.", "America"]',
            None,
        )
        assert con.execute(
            "SELECT date_earliest, date_precision FROM events WHERE id='evt:austin-reznikov-call'"
        ).fetchone() == ("2022-05-13", "day")
        assert con.execute("SELECT redistributable FROM documents ORDER BY id").fetchall() == [(0,), (1,)]
        assert con.execute("SELECT value FROM figures").fetchone() == (1.5,)
        # the keys hold: joining participants to entities loses no row
        assert con.execute(
            "SELECT count(*) FROM event_participants p JOIN entities e ON e.id = p.entity"
        ).fetchone() == (4,)
    finally:
        con.close()


def test_sqlite_export_refuses_existing_file_and_folder(tmp_path, release_dir):
    db = tmp_path / "usua.db"
    db.write_bytes(b"precious")
    with pytest.raises(UsuaError, match="already exists.*--force"):
        export_sqlite(db, release_dir=release_dir)
    assert db.read_bytes() == b"precious"
    export_sqlite(db, release_dir=release_dir, force=True)
    assert sqlite3.connect(db).execute("SELECT count(*) FROM events").fetchone() == (3,)
    with pytest.raises(UsuaError, match="is a folder"):
        export_sqlite(tmp_path, release_dir=release_dir)
    assert [p.name for p in tmp_path.iterdir()] == ["usua.db"]


def test_sql_query_over_views(release_dir):
    cols, rows = query(
        "SELECT e.name, count(*) AS n FROM event_participants p JOIN entities e ON e.id = p.entity "
        "GROUP BY e.name ORDER BY n DESC, e.name",
        release_dir=release_dir,
    )
    assert cols == ["name", "n"]
    assert rows == [("Lloyd J. Austin III", 2), ("Oleksii Reznikov", 1), ("Ukraine", 1)]
    with pytest.raises(UsuaError, match="the query failed: .*nope"):
        query("SELECT nope FROM events", release_dir=release_dir)


@pytest.mark.parametrize(
    "sql,refused",
    [
        ("COPY (SELECT * FROM events) TO '{out}'", "not COPY statements"),
        ("EXPORT DATABASE '{dir}'", "not EXPORT statements"),
        ("ATTACH '{dir}/other.db' AS other", "not ATTACH statements"),
        ("CREATE TABLE t AS SELECT 1", "not CREATE statements"),
        ("INSTALL httpfs", "not LOAD statements"),
        ("SET enable_external_access = true", "not SET statements"),
        ("SELECT 1; SELECT 2", "give one SQL statement, not 2"),
        # a query, but of a file outside the release: DuckDB may read the release's files only
        ("SELECT * FROM read_csv('{secret}')", "file system operations are disabled"),
        ("SELECT * FROM read_parquet('{other}')", "file system operations are disabled"),
    ],
)
def test_sql_is_read_only(release_dir, tmp_path, sql, refused):
    secret = tmp_path / "secret.csv"
    secret.write_text("a\n1\n")
    other = tmp_path / "other.parquet"
    shutil.copy(next((release_dir / "parquet").glob("*.parquet")), other)
    before = sorted(p.name for p in tmp_path.iterdir())
    with pytest.raises(UsuaError, match=refused):
        query(sql.format(out=tmp_path / "out.csv", dir=tmp_path, secret=secret, other=other), release_dir=release_dir)
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # nothing written


def test_sql_still_answers_every_kind_of_query(release_dir):
    assert query("WITH x AS (SELECT count(*) AS n FROM events) SELECT n FROM x", release_dir=release_dir)[1] == [(3,)]
    assert ("id",) in {tuple(r[:1]) for r in query("DESCRIBE events", release_dir=release_dir)[1]}
    assert query("EXPLAIN SELECT * FROM events", release_dir=release_dir)[1]
    assert query("FROM events SELECT count(*)", release_dir=release_dir)[1] == [(3,)]


def test_sql_without_duckdb_says_how_to_install_it(release_dir, monkeypatch):
    monkeypatch.setitem(sys.modules, "duckdb", None)  # makes `import duckdb` fail
    with pytest.raises(UsuaError) as err:
        query("SELECT 1", release_dir=release_dir)
    assert str(err.value) == MISSING_DUCKDB and "usua[sql]" in MISSING_DUCKDB
