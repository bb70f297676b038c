"""usua.plot: what the chart specs say (dates drawn over their whole precision, documented colours),
the who-met-whom graph and layout, the lifecycle rows, offline rendering and the `usua plot` command."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import usua.cli.view_cmds  # noqa: F401  (registers the commands)
from usua import plot
from usua.cli import app
from usua.models import vocab
from usua.models.dates import parse_edtf

EVENT_COLUMNS = [
    "id",
    "title",
    "type",
    "status",
    "date",
    "date_precision",
    "date_earliest",
    "date_latest",
    "date_stated_as",
    "documents",
]


def events_frame(rows: list[dict]) -> pl.DataFrame:
    out = []
    for i, r in enumerate(rows):
        bounds = parse_edtf(r.get("date"))
        out.append(
            {
                "id": r.get("id", f"evt:e{i}"),
                "title": r.get("title", f"Event {i}"),
                "type": r.get("type", "meeting"),
                "status": r.get("status", "happened"),
                "date": r.get("date"),
                "date_precision": bounds["precision"],
                "date_earliest": bounds["earliest"],
                "date_latest": bounds["latest"],
                "date_stated_as": r.get("stated_as"),
                "documents": r.get("documents", ["doc:a"]),
            }
        )
    return pl.DataFrame(
        out,
        schema={
            "id": pl.String,
            "title": pl.String,
            "type": pl.String,
            "status": pl.String,
            "date": pl.String,
            "date_precision": pl.String,
            "date_earliest": pl.Date,
            "date_latest": pl.Date,
            "date_stated_as": pl.String,
            "documents": pl.List(pl.String),
        },
    )


def _first_of_next_month(d: date) -> date:
    return date(d.year + d.month // 12, d.month % 12 + 1, 1)


@settings(max_examples=60, deadline=None)
@given(st.integers(1990, 2040), st.integers(1, 12))
def test_a_month_precise_event_spans_its_whole_month(year, month):
    value = f"{year:04d}-{month:02d}"
    rows, undated = plot.timeline_rows(events_frame([{"date": value}, {"date": "2021-08-31"}]))
    row = next(r for r in rows if r["date"] == value)
    assert undated == 0
    assert row["start"] == date(year, month, 1).isoformat()
    assert row["end"] == _first_of_next_month(date(year, month, 1)).isoformat()
    assert row["open"] == "closed"


def test_the_timeline_spec_draws_each_event_from_start_to_end():
    chart = plot.timeline(
        events=events_frame(
            [
                {
                    "date": "2023-07",
                    "title": "G7 declaration",
                    "stated_as": "in July 2023",
                    "documents": ["doc:a", "doc:b"],
                },
                {"date": "2024-06-13", "status": "planned"},
            ]
        )
    )
    spec = chart.to_dict()
    span, point = spec["spec"]["layer"]
    assert span["mark"]["type"] == "rule"
    assert span["encoding"]["x"]["field"] == "start" and span["encoding"]["x2"]["field"] == "end"
    assert spec["facet"]["row"]["field"] == "type"
    values = {v["title"]: v for v in spec["data"]["values"]}
    g7 = values["G7 declaration"]
    assert (g7["start"], g7["end"]) == ("2023-07-01", "2023-08-01")
    assert g7["stated_as"] == "in July 2023" and g7["sources"] == 2
    assert {"title", "stated_as", "sources"} <= {t["field"] for t in span["encoding"]["tooltip"]}


def test_open_intervals_are_drawn_open_and_undated_events_are_counted():
    rows, undated = plot.timeline_rows(
        events_frame([{"date": "../2021-08-31"}, {"date": "2022-02-24/.."}, {"date": "2014"}, {"date": None}])
    )
    by_date = {r["date"]: r for r in rows}
    assert undated == 1
    assert by_date["../2021-08-31"]["open"] == "open start"
    assert by_date["../2021-08-31"]["anchor"] == "2021-08-31"
    assert by_date["2022-02-24/.."]["open"] == "open end"
    # the open side reaches beyond every known date, to the edge of the chart
    assert by_date["../2021-08-31"]["start"] < "2014-01-01" and by_date["2022-02-24/.."]["end"] > "2022-02-25"
    assert (by_date["2014"]["start"], by_date["2014"]["end"]) == ("2014-01-01", "2015-01-01")


def _scale(spec_encoding: dict) -> dict[str, str]:
    scale = spec_encoding["scale"]
    return dict(zip(scale["domain"], scale["range"], strict=True))


def test_statuses_map_to_the_documented_colours():
    spec = plot.timeline(events=events_frame([{"date": "2022-10-21"}])).to_dict()
    colours = _scale(spec["spec"]["layer"][0]["encoding"]["color"])
    assert list(colours) == [s.value for s in vocab.EventStatus]  # every status of the vocabulary, in its order
    for status, colour in colours.items():
        if status in plot.STATUS_COLORS:
            assert colour == plot.STATUS_COLORS[status]
        else:  # a status added to the vocabulary later: a spare colour, distinct from the documented ones
            assert colour in plot.SPARE_COLORS and colour not in plot.STATUS_COLORS.values()
    assert len(set(colours.values())) == len(colours)


def test_a_status_the_vocabulary_gains_later_gets_a_spare_colour():
    domain, colours = plot.colour_scale(["signed", "ratified", "in_force", "new_one"], plot.AGREEMENT_STATUS_COLORS)
    assert dict(zip(domain, colours)) == {
        "signed": plot.AGREEMENT_STATUS_COLORS["signed"],
        "ratified": plot.SPARE_COLORS[0],
        "in_force": plot.AGREEMENT_STATUS_COLORS["in_force"],
        "new_one": plot.SPARE_COLORS[1],
    }


def test_the_readme_points_to_the_colours_its_pictures_show():
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    readme = (root / "README.md").read_text(encoding="utf-8")
    for picture, colours in (("timeline", plot.STATUS_COLORS), ("lifecycle", plot.AGREEMENT_STATUS_COLORS)):
        name = "STATUS_COLORS" if colours is plot.STATUS_COLORS else "AGREEMENT_STATUS_COLORS"
        assert f"`usua.plot.{name}`" in readme, name
        svg = (root / "docs" / "img" / f"{picture}.svg").read_text(encoding="utf-8")
        for status, colour in colours.items():  # the picture's legend names each status in its colour
            assert f">{status}<" in svg and colour in svg, (picture, status)


# --- who met whom ---------------------------------------------------------------------------------


def _graph_frames():
    events = events_frame(
        [
            {"id": "evt:a", "type": "meeting", "date": "2021-08-31"},
            {"id": "evt:b", "type": "phone_call", "date": "2022-10-21"},
            {"id": "evt:c", "type": "phone_call", "date": "2022-05"},
            {"id": "evt:d", "type": "invasion", "date": "2022-02-24"},
        ]
    )
    participants = pl.DataFrame(
        {
            "event": ["evt:a", "evt:a", "evt:a", "evt:b", "evt:b", "evt:c", "evt:c", "evt:d", "evt:d"],
            "entity": [
                "ent:austin",
                "ent:zelenskyy",
                "ent:taran",
                "ent:austin",
                "ent:reznikov",
                "ent:austin",
                "ent:reznikov",
                "ent:russia",
                "ent:ukraine",
            ],
        }
    )
    entities = pl.DataFrame(
        {
            "id": ["ent:austin", "ent:zelenskyy", "ent:taran", "ent:reznikov", "ent:russia", "ent:ukraine"],
            "name": ["Austin", "Zelenskyy", "Taran", "Reznikov", "Russia", "Ukraine"],
            "kind": ["person"] * 4 + ["state"] * 2,
        }
    )
    return events, participants, entities


def test_network_edges_count_shared_events_and_filter_by_type_and_date():
    nodes, edges = plot.network_graph(*_graph_frames())
    weights = {(e["source"], e["target"]): e["weight"] for e in edges}
    assert weights[("ent:austin", "ent:reznikov")] == 2
    assert weights[("ent:austin", "ent:zelenskyy")] == 1
    assert not any("ent:russia" in pair for pair in weights)  # an invasion is not a meeting
    assert {n["id"]: n["events"] for n in nodes}["ent:austin"] == 3
    _, later = plot.network_graph(*_graph_frames(), since="2022-06-01")
    assert [(e["source"], e["target"], e["weight"]) for e in later] == [("ent:austin", "ent:reznikov", 1)]
    _, early = plot.network_graph(*_graph_frames(), until="2022-05-15")  # May 2022 may be before the 15th
    assert {(e["source"], e["target"]) for e in early} >= {("ent:austin", "ent:reznikov"), ("ent:austin", "ent:taran")}
    _, everything = plot.network_graph(*_graph_frames(), types=None)
    assert ("ent:russia", "ent:ukraine") in {(e["source"], e["target"]) for e in everything}


def test_network_rejects_an_unknown_event_type():
    from usua.errors import UsuaError

    with pytest.raises(UsuaError, match="unknown event type 'meetting'.*did you mean 'meeting'"):
        plot.network_graph(*_graph_frames(), types=["meetting"])


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 9), st.integers(0, 9)), min_size=1, max_size=25))
def test_layout_is_deterministic_and_inside_the_unit_square(pairs):
    edges = [(f"n{a}", f"n{b}", 1.0) for a, b in pairs if a != b]
    nodes = sorted({n for a, b, _ in edges for n in (a, b)} | {"n0"})
    first = plot.force_layout(nodes, edges, iterations=60)
    assert first == plot.force_layout(list(reversed(nodes)), edges, iterations=60)
    assert set(first) == set(nodes)
    assert all(0 <= x <= 1 and 0 <= y <= 1 for x, y in first.values())


# --- agreements -----------------------------------------------------------------------------------


def test_lifecycle_marks_planned_milestones_and_counts_provisions_by_area():
    import usua

    agreements = usua.load("agreements")
    rows = plot.lifecycle_rows(agreements)
    statuses = [s.value for s in vocab.AgreementStatus]
    before = set(statuses[: statuses.index("signed")])
    for r in rows:
        a = agreements.filter(pl.col("id") == r["agreement"]).row(0, named=True)
        assert r["start"] == (a[f"{r['milestone']}_earliest"] or a[f"{r['milestone']}_latest"]).isoformat()
        if r["milestone"] == "signed":
            assert (r["reached"] == "reached") == (a["status"] not in before)
    provisions = usua.load("agreement_provisions")
    counts = {(r["agreement"], r["area"]): r["provisions"] for r in plot.provision_area_rows(provisions, agreements)}
    for (agr, area), n in counts.items():
        expected = provisions.filter((pl.col("agreement") == agr) & pl.col("areas").list.contains(area)).height
        assert n == expected or area == "(no area)"
    assert sum(counts.values()) == sum(max(1, len(a)) for a in provisions["areas"].to_list())


# --- rendering ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(plot.CHARTS))
def test_every_chart_renders_to_svg_offline(name, tmp_path):
    out = plot.save_chart(plot.CHARTS[name](), tmp_path / f"{name}.svg")
    svg = out.read_text(encoding="utf-8")
    assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
    assert {
        "timeline": "Events by type and date",
        "network": "Who met whom",
        "lifecycle": "Agreements: lifecycle and provisions",
    }[name] in svg


def test_png_and_json_outputs(tmp_path):
    png = plot.save_chart(plot.lifecycle(), tmp_path / "l.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    import json

    spec = json.loads(plot.save_chart(plot.lifecycle(), tmp_path / "l.json").read_text())
    assert spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/")


runner = CliRunner()


def test_cli_plot_writes_each_chart(tmp_path):
    for name in plot.CHARTS:
        r = runner.invoke(app, ["plot", name, "--out", str(tmp_path / f"{name}.svg")])
        assert r.exit_code == 0, r.output
        assert (tmp_path / f"{name}.svg").read_text().startswith("<svg")
    r = runner.invoke(
        app, ["plot", "network", "--types", "phone_call", "--since", "2022-01-01", "--out", str(tmp_path / "n.svg")]
    )
    assert r.exit_code == 0, r.output
    assert "phone_call; 2022-01-01 to" in (tmp_path / "n.svg").read_text()


@pytest.mark.parametrize(
    "args, needle",
    [
        (["plot", "timeline", "--out", "t.gif"], "ending in .svg, .png or .json"),
        (["plot", "timeline", "--types", "meeting", "--out", "t.svg"], "network chart only"),
        (["plot", "network", "--since", "21 Oct 2022", "--out", "n.svg"], "is not a date"),
        (["plot", "network", "--types", "meetting", "--out", "n.svg"], "did you mean 'meeting'"),
    ],
)
def test_cli_plot_bad_input(args, needle, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = runner.invoke(app, args)
    assert r.exit_code in (1, 2) and needle in r.stderr, r.output
    assert "Traceback" not in r.output
    assert not list(tmp_path.iterdir())


def test_monthly_counts_every_dated_event_once():
    frame = events_frame(
        [{"date": "2022-10-21"}, {"date": "2022-10"}, {"date": "../2022-11-02", "status": "planned"}, {"date": None}]
    )
    spec = plot.monthly(events=frame).to_dict()
    counts = {(r["month"], r["status"]): r["events"] for r in spec["data"]["values"]}
    assert counts == {("2022-10-01", "happened"): 2, ("2022-11-01", "planned"): 1}
    assert "1 event(s) without a date" in spec["title"]["subtitle"]
