"""`usua export --format sqlite` writes Datasette metadata that a running Datasette serves: table and
column descriptions, labels for foreign keys, facets, licence, and the canned query of events per year."""

from __future__ import annotations

import json
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from typer.testing import CliRunner

import usua
import usua.cli.data_cmds  # noqa: F401  (registers the commands)
from usua.cli import app
from usua.datasette import FACETS, LABEL_COLUMNS, datasette_metadata
from usua.release_tables import TABLES, get_table

pytestmark = pytest.mark.slow


def test_metadata_describes_every_table_and_column_from_the_table_definitions():
    meta = datasette_metadata("usua")
    tables = meta["databases"]["usua"]["tables"]
    assert meta["license"] == "CC BY 4.0" and "usua release" in meta["source"]
    for t in TABLES:
        assert tables[t.name]["description"] == t.description
        assert set(tables[t.name]["columns"]) == set(t.column_names)
        for c in t.columns:
            assert tables[t.name]["columns"][c.name].startswith(c.description)
    for table, facets in FACETS.items():
        assert tables[table]["facets"] == facets
    # every table a foreign key points at shows a name instead of the bare id
    for t in TABLES:
        for _, target, _ in t.foreign_keys:
            assert target in LABEL_COLUMNS, (t.name, target)


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("db")
    r = CliRunner().invoke(app, ["export", "--format", "sqlite", "--out", str(folder / "usua.db")])
    assert r.exit_code == 0, r.output
    assert "datasette" in r.stdout and (folder / "usua.metadata.json").is_file()
    return folder


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as r:
        return r.read()


def test_datasette_serves_the_export_with_its_metadata(exported):
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "datasette",
            "serve",
            str(exported / "usua.db"),
            "-m",
            str(exported / "usua.metadata.json"),
            "-h",
            "127.0.0.1",
            "-p",
            str(port),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                _get(f"{base}/-/versions.json")
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    out = proc.stdout.read().decode() if proc.poll() is not None else "still starting"
                    pytest.fail(f"datasette did not start: {out[-2000:]}")
                time.sleep(0.3)
        page = _get(f"{base}/usua/events").decode()
        assert get_table("events").description in page  # the table description
        assert "type" in page and "status" in page
        facets = json.loads(_get(f"{base}/usua/events.json?_extra=facet_results"))
        names = (
            set(facets["facet_results"]["results"])
            if "results" in facets["facet_results"]
            else set(facets["facet_results"])
        )
        assert {"type", "status"} <= names
        rows = json.loads(_get(f"{base}/usua.json?sql=select+count(*)+as+n+from+events&_shape=array"))
        assert rows == [{"n": usua.load("events").height}]
        per_year = json.loads(_get(f"{base}/usua/events_per_year.json?_shape=array"))
        assert sum(r["events"] for r in per_year) == usua.load("events").height
        # a foreign key shows the label of the row it points at
        participants = json.loads(_get(f"{base}/usua/event_participants.json?_labels=on&_shape=array&_size=1"))
        assert isinstance(participants[0]["entity"], dict) and participants[0]["entity"]["label"]
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def test_export_still_writes_the_same_database(exported):
    con = sqlite3.connect(exported / "usua.db")
    try:
        assert con.execute("select count(*) from events").fetchone()[0] == usua.load("events").height
    finally:
        con.close()
