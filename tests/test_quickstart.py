"""The README quickstart, run as written: against the test release and, once built, the bundled one."""

from __future__ import annotations

import contextlib
import io

import pytest

from tests.release_fixture import write_release
from usua import loading

QUICKSTART = '''
import duckdb
import polars as pl
import usua

events = usua.load("events")                      # the bundled release: no network needed
print(usua.info()["dataset_version"], events.height, "events")

# Dates carry their precision: keep the events known to the day
exact = events.filter(pl.col("date_precision") == "day")

# Who took part in them, and in what role
participants = usua.load("event_participants")
entities = usua.load("entities")
who = (
    exact.select("id", "date", "date_earliest", "title")
    .join(participants, left_on="id", right_on="event")
    .join(entities.select(pl.col("id").alias("entity"), "name"), on="entity")
    .sort("date_earliest", "title", "name", nulls_last=True)  # open intervals ("../2021-08-31") last
    .select("date", "title", "name", "role")
)
print(who)

# The Parquet files also work with any other tool, e.g. DuckDB
folder = usua.info()["path"]
print(duckdb.sql(f"SELECT type, count(*) AS n FROM '{folder}/parquet/events.parquet' GROUP BY type ORDER BY n DESC"))
'''


def _run() -> tuple[dict, str]:
    scope: dict = {}
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(QUICKSTART, "quickstart", "exec"), scope)
    return scope, out.getvalue()


def test_quickstart_on_the_test_release(tmp_path, monkeypatch):
    monkeypatch.setattr(loading, "BUNDLED_DIR", write_release(tmp_path / "_release", "0.9.0"))
    loading.clear_caches()
    scope, out = _run()
    loading.clear_caches()
    assert out.startswith("0.9.0 3 events")
    assert scope["who"].rows() == [
        ("2021-08-31", "Austin hosts Zelenskyy at the Pentagon", "Lloyd J. Austin III", "host"),
        ("2022-05-13", "Austin speaks with Reznikov", "Lloyd J. Austin III", "initiator"),
        ("2022-05-13", "Austin speaks with Reznikov", "Oleksii Reznikov", "recipient"),
    ]
    assert "phone_call" in out and "consultations" in out


def test_quickstart_on_the_bundled_release():
    if loading.bundled_release() is None:
        pytest.skip("usua/_release does not exist yet (run the build)")
    loading.clear_caches()
    scope, out = _run()
    events, who = scope["events"], scope["who"]
    assert events.height > 0 and out.startswith(loading.bundled_release().version)
    day_titles = set(events.filter(events["date_precision"] == "day")["title"].to_list())
    assert set(who["title"].to_list()) <= day_titles
