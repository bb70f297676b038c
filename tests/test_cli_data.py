"""The data commands: tables, info, versions, show, download, export, sql — output and bad input."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys

import pytest
from typer.testing import CliRunner

import usua.cli.data_cmds  # noqa: F401  (registers the commands)
from tests.release_fixture import ReleaseServer, write_release
from usua import loading, release_folder
from usua.cli import app

runner = CliRunner()
COMMANDS = ["tables", "info", "versions", "show", "download", "export", "sql"]


@pytest.fixture(autouse=True)
def bundled(tmp_path, monkeypatch):
    bundle = write_release(tmp_path / "_release", "0.9.0")
    monkeypatch.setattr(release_folder, "BUNDLED_DIR", bundle)
    monkeypatch.setenv("USUA_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("USUA_BASE_URL", "http://127.0.0.1:9")
    loading.clear_caches()
    yield bundle
    loading.clear_caches()


def run(*args: str):
    return runner.invoke(app, list(args))


def fails(result, code: int, *needles: str) -> str:
    assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr)
    err = result.stderr
    assert "Traceback" not in result.output
    lines = [line for line in err.splitlines() if line.strip()]
    assert lines and all(line.startswith("usua: error: ") for line in lines), err
    for needle in needles:
        assert needle in err, err
    return err


@pytest.mark.parametrize("command", COMMANDS)
def test_help_everywhere(command):
    r = run(command, "--help")
    assert r.exit_code == 0 and "Usage" in r.stdout


def test_tables_and_info(bundled):
    r = run("tables", "--json")
    assert r.exit_code == 0
    rows = {t["table"]: t["rows"] for t in json.loads(r.stdout)}
    assert rows["events"] == 3 and rows["roles"] == 0
    r = run("tables")
    assert r.exit_code == 0 and "event_participants" in r.stdout and "\x1b[" not in r.stdout  # no colour off a TTY
    r = run("info", "--json")
    data = json.loads(r.stdout)
    assert data["dataset_version"] == "0.9.0" and data["location"] == "bundled"
    r = run("info")
    assert r.exit_code == 0 and "usua 0.9.0" in r.stdout and "doc:dod-2021" in r.stdout
    r = run("versions")
    assert r.exit_code == 0 and "0.9.0" in r.stdout and "bundled" in r.stdout


def test_show_filters_columns_and_limit():
    r = run("show", "events", "--where", "date_precision=day", "--columns", "id,date", "--limit", "1")
    assert r.exit_code == 0, r.stderr
    assert "events: 1 of 2 rows" in r.stdout
    assert "evt:austin-zelenskyy-pentagon-meeting" in r.stdout and "evt:austin-reznikov-call" not in r.stdout
    assert "title" not in r.stdout
    r = run(
        "show",
        "events",
        "--where",
        "documents=doc:antiwar-2022-austin-reznikov-shoigu-calls",
        "--where",
        "status=planned",
        "--columns",
        "id",
    )
    assert "1 of 1 rows" in r.stdout and "evt:security-dialogue-2025" in r.stdout
    r = run("show", "entities", "--where", "description=", "--columns", "id")
    assert "3 of 3 rows" in r.stdout


def test_show_bad_input():
    fails(run("show", "evnts"), 1, "unknown table", "did you mean 'events'")
    fails(run("show", "events", "--where", "status"), 2, "column=value")
    fails(run("show", "events", "--where", "colour=red"), 2, "no column 'colour'", "date_precision")
    fails(run("show", "events", "--columns", "id,nope"), 2, "no column 'nope'")
    fails(run("show", "events", "--release", "latest"), 1, "not a release version")


def test_unknown_version_and_bad_release_dir(tmp_path):
    fails(run("tables", "--release", "9.9.9"), 1, "not in this package's registry")
    fails(run("tables", "--release-dir", str(tmp_path)), 1, "no manifest.json")
    fails(run("info", "--release-dir", str(tmp_path / "_release" / "manifest.json")), 1, "is a file")


def test_download_from_a_server_and_unknown_version(tmp_path, monkeypatch):
    write_release(tmp_path / "server" / "0.8.0", "0.8.0")
    server = ReleaseServer(tmp_path / "server")
    try:
        fails(
            run("download", "0.8.0", "--base-url", server.url), 1, "not in this package's registry", "--allow-unpinned"
        )
        r = run("download", "0.8.0", "--base-url", server.url, "--tables", "events,entities", "--allow-unpinned")
        assert r.exit_code == 0, r.stderr
        assert (
            r.stderr.startswith("usua: warning: release 0.8.0 is not in this package's registry")
            and "accepted unchecked" in r.stderr
        )
        path = tmp_path / "cache" / "0.8.0"
        assert r.stdout.strip() == str(path)
        assert sorted(p.name for p in (path / "parquet").iterdir()) == ["entities.parquet", "events.parquet"]
        fails(
            run("download", "0.7.0", "--base-url", server.url, "--allow-unpinned"), 1, "release 0.7.0 not found", "404"
        )
        fails(run("download", "0.8.0", "--base-url", server.url, "--tables", "evnts"), 1, "unknown table")
        fails(run("download", "0.8.0", "--base-url", server.url, "--timeout", "0"), 2)
    finally:
        server.stop()


def test_export_commands(tmp_path):
    db = tmp_path / "out.db"
    r = run("export", "--format", "sqlite", "--out", str(db))
    assert r.exit_code == 0, r.stderr
    assert sqlite3.connect(db).execute("SELECT count(*) FROM entities").fetchone() == (4,)
    fails(run("export", "--format", "sqlite", "--out", str(db)), 1, "already exists", "--force")
    assert run("export", "--format", "sqlite", "--out", str(db), "--force").exit_code == 0
    fails(run("export", "--format", "sqlite", "--out", str(tmp_path)), 1, "is a folder")
    r = run("export", "--format", "csv", "--out", str(tmp_path / "csv"))
    assert r.exit_code == 0 and (tmp_path / "csv" / "events.csv").is_file()
    fails(run("export", "--format", "csv", "--out", str(db)), 1, "is a file")
    r = run("export", "--format", "xml", "--out", str(db))
    assert r.exit_code == 2 and "Traceback" not in r.output


def test_sql_command_formats():
    q = "SELECT id, date_earliest FROM events WHERE date_precision = 'day' ORDER BY id"
    r = run("sql", q, "--format", "json")
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.stdout) == [
        {"id": "evt:austin-reznikov-call", "date_earliest": "2022-05-13"},
        {"id": "evt:austin-zelenskyy-pentagon-meeting", "date_earliest": "2021-08-31"},
    ]
    r = run("sql", q, "--format", "csv")
    assert r.stdout.splitlines() == [
        "id,date_earliest",
        "evt:austin-reznikov-call,2022-05-13",
        "evt:austin-zelenskyy-pentagon-meeting,2021-08-31",
    ]
    r = run("sql", "SELECT count(*) AS n FROM mentions")
    assert r.exit_code == 0 and "n" in r.stdout and "0" in r.stdout
    fails(run("sql", "SELEC 1"), 1, "the query failed")


def test_sql_command_without_duckdb(monkeypatch):
    monkeypatch.setitem(sys.modules, "duckdb", None)
    fails(run("sql", "SELECT 1"), 1, "pip install 'usua[sql]'")


DAMAGED_MANIFESTS = {
    "not JSON": b'{"dataset": "usua", ',
    "nested too deeply": b"[" * 100_000,
    "tables of the wrong shape": json.dumps(
        {"dataset": "usua", "dataset_version": "0.8.0", "files": {}, "tables": ["events"]}
    ).encode(),
    "a table entry of the wrong shape": json.dumps(
        {"dataset": "usua", "dataset_version": "0.8.0", "files": {}, "tables": {"events": 3}}
    ).encode(),
    "rows that are not a count": json.dumps(
        {"dataset": "usua", "dataset_version": "0.8.0", "files": {}, "tables": {"events": {"rows": "many"}}}
    ).encode(),
    "a file size that is not a count": json.dumps(
        {
            "dataset": "usua",
            "dataset_version": "0.8.0",
            "tables": {},
            "files": {"parquet/events.parquet": {"sha256": "0" * 64, "bytes": -1}},
        }
    ).encode(),
    "far too large": b"{" + b" " * (5 << 20) + b"}",
}


@pytest.mark.parametrize("damage", DAMAGED_MANIFESTS)
@pytest.mark.parametrize(
    "command",
    [["show", "events"], ["sql", "SELECT 1"], ["export", "--format", "csv", "--out", "OUT"], ["info"], ["tables"]],
)
def test_damaged_cached_manifest_is_one_line_in_every_command(tmp_path, damage, command):
    cached = tmp_path / "cache" / "0.8.0"
    cached.mkdir(parents=True)
    (cached / "manifest.json").write_bytes(DAMAGED_MANIFESTS[damage])
    args = [str(tmp_path / "out") if a == "OUT" else a for a in command]
    err = fails(run(*args, "--release", "0.8.0"), 1, str(cached / "manifest.json"), "damaged")
    assert len(err.strip().splitlines()) == 1


def test_version_option_and_python_dash_m():
    from usua.version import DATASET_VERSION, SCHEMA_VERSION, __version__

    wanted = f"usua {__version__} (dataset {DATASET_VERSION}, schema {SCHEMA_VERSION})"
    r = run("--version")
    assert r.exit_code == 0 and r.stdout.strip() == wanted
    proc = subprocess.run([sys.executable, "-m", "usua", "--version"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 and proc.stdout.strip() == wanted, proc.stderr
    proc = subprocess.run([sys.executable, "-m", "usua", "tables"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 and "events" in proc.stdout, proc.stderr  # the whole command line, not only --version
