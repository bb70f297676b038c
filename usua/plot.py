"""Charts of a release: the event timeline, who met whom, and the agreements' lifecycle.

Each function returns an Altair chart (a notebook displays it; ``save_chart`` writes SVG, PNG or the
Vega-Lite JSON offline through vl-convert). Needs the ``plot`` extra: ``pip install "usua[plot]"``.

Dates are drawn as what they denote: a mark runs from a date's first possible day to the day after its
last, so an event known to the month is a month wide and one known to the year a year wide. An
interval open at one end ("../2021-08-31") is drawn dashed from the edge of the chart.

Colours are part of the documentation (README, "Pictures"): ``STATUS_COLORS`` for events,
``AGREEMENT_STATUS_COLORS`` for agreements. A status the vocabulary gains later gets a colour from
``SPARE_COLORS`` in vocabulary order until it is given one here.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from .errors import UsuaError
from .models import vocab

#: Event status -> colour: what happened is dark and solid, what was only planned, expected or
#: claimed is lighter, what was called off is red.
STATUS_COLORS: dict[str, str] = {
    "happened": "#1f4e79",
    "ongoing": "#3a86c8",
    "planned": "#e07b00",
    "expected": "#d9b300",
    "announced": "#8e44ad",
    "reported": "#6b8e23",
    "cancelled": "#c0392b",
    "hypothetical": "#a0a0a0",
}

#: Agreement status -> colour (the line joining an agreement's milestones).
AGREEMENT_STATUS_COLORS: dict[str, str] = {
    "proposed": "#a0a0a0",
    "under_negotiation": "#d9b300",
    "signing_planned": "#e07b00",
    "signed": "#1f4e79",
    "adopted": "#2a6f97",
    "in_force": "#2e8b57",
    "expired": "#7f6a93",
    "terminated": "#c0392b",
    "unknown": "#cccccc",
}

#: Colours for statuses added to the vocabulary after this module was written.
SPARE_COLORS = ("#17becf", "#bcbd22", "#e377c2", "#8c564b", "#9467bd", "#7f7f7f")

#: Marks of the agreement lifecycle milestones (the agreements table's dates; others get a cross).
MILESTONE_SHAPES = {
    "announced": "triangle-right",
    "signed": "circle",
    "adopted": "triangle-up",
    "in_force": "square",
    "expires": "diamond",
}


def milestones() -> tuple[str, ...]:
    """The agreements table's dates, in its (lifecycle) order: announced, signed, ..., expires."""
    from .release_tables import get_table

    names = get_table("agreements").column_names
    return tuple(n for n in names if f"{n}_earliest" in names)


#: The event types a who-met-whom network shows by default: PLOVER's CONSULT family (meetings, calls,
#: visits, summits, talks) and signings.
MEETING_TYPES = tuple(t for t, info in vocab.EVENT_TYPES.items() if info.plover == "CONSULT") + ("signing",)


def _alt() -> Any:
    try:
        import altair as alt
    except ImportError:  # pragma: no cover - depends on the installation
        raise UsuaError('plotting needs the plot extra: pip install "usua[plot]"') from None
    return alt


def colour_scale(values: list[str], documented: dict[str, str]) -> tuple[list[str], list[str]]:
    """Domain and range for a status colour scale: every vocabulary value with its documented colour,
    and spare colours (in vocabulary order) for values not documented yet."""
    spare = iter(SPARE_COLORS * (1 + len(values) // len(SPARE_COLORS)))
    return list(values), [documented.get(v) or next(spare) for v in values]


def event_statuses() -> list[str]:
    """The event statuses, in the vocabulary's order."""
    return [s.value for s in vocab.EventStatus]


def agreement_statuses() -> list[str]:
    """The agreement statuses, in the vocabulary's order."""
    return [s.value for s in vocab.AgreementStatus]


def _iso(d: date | None) -> str | None:
    return None if d is None else d.isoformat()


def _day_after(d: date | None) -> date | None:
    return None if d is None else d + timedelta(days=1)


def _load(table: str, version: str | None, release_dir: str | Path | None) -> Any:
    from .loading import load

    return load(table, version=version, release_dir=release_dir)


# --- timeline ---------------------------------------------------------------------------------------


def timeline_rows(events: Any) -> tuple[list[dict[str, Any]], int]:
    """One row per dated event with its drawn interval; and how many events have no date at all."""
    known = [d for col in ("date_earliest", "date_latest") for d in events[col].drop_nulls().to_list()]
    if not known:
        return [], events.height
    left, right = min(known) - timedelta(days=180), max(known) + timedelta(days=180)
    rows: list[dict[str, Any]] = []
    undated = 0
    for e in events.sort("date_earliest", "date_latest", "id", nulls_last=True).iter_rows(named=True):
        first, last = e["date_earliest"], e["date_latest"]
        if first is None and last is None:
            undated += 1
            continue
        openness = (
            "closed" if first is not None and last is not None else ("open start" if first is None else "open end")
        )
        start = first if first is not None else left
        end = _day_after(last) if last is not None else right
        rows.append(
            {
                "id": e["id"],
                "title": e["title"],
                "type": e["type"],
                "status": e["status"],
                "date": e["date"],
                "precision": e["date_precision"],
                "stated_as": e["date_stated_as"] or "(not stated)",
                "sources": len(e["documents"] or []),
                "start": _iso(start),
                "end": _iso(end),
                # the point sits on the known end of an open interval
                "anchor": _iso(first if first is not None else last),
                "open": openness,
                "order": len(rows),
            }
        )
    return rows, undated


def timeline(*, version: str | None = None, release_dir: str | Path | None = None, events: Any = None) -> Any:
    """Every dated event from its earliest to its latest day, faceted by type, coloured by status."""
    alt = _alt()
    events = _load("events", version, release_dir) if events is None else events
    rows, undated = timeline_rows(events)
    domain, colours = colour_scale(event_statuses(), STATUS_COLORS)
    colour = alt.Color(
        "status:N",
        title="status",
        scale=alt.Scale(domain=domain, range=colours),
        legend=alt.Legend(orient="top", columns=len(domain)),
    )
    x = alt.X("start:T", title=None, scale=alt.Scale(type="utc"), axis=alt.Axis(format="%Y", grid=True))
    y = alt.Y("title:N", title=None, sort=alt.EncodingSortField("order"), axis=alt.Axis(labelLimit=260))
    tooltip = [
        alt.Tooltip("title:N"),
        alt.Tooltip("type:N"),
        alt.Tooltip("status:N"),
        alt.Tooltip("date:N", title="date (EDTF)"),
        alt.Tooltip("precision:N"),
        alt.Tooltip("stated_as:N", title="date as stated"),
        alt.Tooltip("sources:Q", title="sources"),
    ]
    span = (
        alt.Chart()
        .mark_rule(strokeWidth=7, strokeCap="butt", opacity=0.75)
        .encode(
            x=x,
            x2="end:T",
            y=y,
            color=colour,
            tooltip=tooltip,
            strokeDash=alt.StrokeDash(
                "open:N",
                title="interval",
                scale=alt.Scale(domain=["closed", "open start", "open end"], range=[[1, 0], [3, 2], [3, 2]]),
                legend=alt.Legend(orient="top"),
            ),
        )
    )
    point = (
        alt.Chart()
        .mark_point(filled=True, size=45, opacity=1)
        .encode(x=alt.X("anchor:T", scale=alt.Scale(type="utc")), y=y, color=colour, tooltip=tooltip)
    )
    subtitle = "A mark runs from the first to the last day its date can denote; dashed: open interval."
    if undated:
        subtitle += f" {undated} event(s) without a date are not shown."
    return (
        alt.layer(span, point, data=alt.Data(values=rows))
        .properties(width=560)
        .facet(
            row=alt.Row(
                "type:N", title=None, header=alt.Header(labelAngle=0, labelAlign="left", labelFontWeight="bold")
            ),
            spacing=4,
        )
        .resolve_scale(y="independent")
        .properties(title=alt.TitleParams("Events by type and date", subtitle=subtitle, anchor="start"))
    )


def monthly(*, version: str | None = None, release_dir: str | Path | None = None, events: Any = None) -> Any:
    """Events per month by status (for releases too large for one mark per event). An event is
    counted in the month of its earliest possible day (of its latest, when its start is open)."""
    alt = _alt()
    events = _load("events", version, release_dir) if events is None else events
    counts: Counter[tuple[str, str]] = Counter()
    undated = 0
    for first, last, status in events.select("date_earliest", "date_latest", "status").iter_rows():
        day = first or last
        if day is None:
            undated += 1
            continue
        counts[(day.strftime("%Y-%m-01"), status)] += 1
    rows = [{"month": m, "status": s, "events": n} for (m, s), n in sorted(counts.items())]
    domain, colours = colour_scale(event_statuses(), STATUS_COLORS)
    subtitle = "Each event counted in the month of its earliest possible day."
    if undated:
        subtitle += f" {undated} event(s) without a date are not shown."
    return (
        alt.Chart(alt.Data(values=rows))
        .mark_bar()
        .encode(
            x=alt.X("month:T", title=None, timeUnit="utcyearmonth", scale=alt.Scale(type="utc")),
            y=alt.Y("sum(events):Q", title="events"),
            color=alt.Color("status:N", scale=alt.Scale(domain=domain, range=colours), legend=alt.Legend(orient="top")),
            tooltip=[alt.Tooltip("month:T", timeUnit="utcyearmonth", title="month"), "status:N", "events:Q"],
        )
        .properties(width=760, height=260, title=alt.TitleParams("Events per month", subtitle=subtitle, anchor="start"))
    )


# --- who met whom -----------------------------------------------------------------------------------


def network_graph(
    events: Any,
    participants: Any,
    entities: Any,
    *,
    types: list[str] | tuple[str, ...] | None = MEETING_TYPES,
    since: date | str | None = None,
    until: date | str | None = None,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Nodes (entities with their number of events) and edges (pairs of entities with the events
    they shared) over the events of the given types whose dates overlap [since, until]."""
    import polars as pl

    if types is not None:
        unknown_types = sorted(set(types) - set(vocab.EVENT_TYPES))
        if unknown_types:
            from .errors import unknown

            raise unknown("event type", unknown_types[0], list(vocab.EVENT_TYPES))
        events = events.filter(pl.col("type").cast(pl.String).is_in(list(types)))
    since_d = date.fromisoformat(since) if isinstance(since, str) else since
    until_d = date.fromisoformat(until) if isinstance(until, str) else until
    if since_d is not None:  # keep events that may overlap the range (an open start may)
        events = events.filter(pl.col("date_latest").is_null() | (pl.col("date_latest") >= since_d))
        events = events.filter(pl.col("date_latest").is_not_null() | pl.col("date_earliest").is_not_null())
    if until_d is not None:
        events = events.filter(pl.col("date_earliest").is_null() | (pl.col("date_earliest") <= until_d))
        events = events.filter(pl.col("date_latest").is_not_null() | pl.col("date_earliest").is_not_null())
    keep = set(events["id"].to_list())
    by_event: dict[str, set[str]] = defaultdict(set)
    for ev, ent in participants.select("event", "entity").iter_rows():
        if ev in keep:
            by_event[ev].add(ent)
    pairs: dict[tuple[str, str], list[str]] = defaultdict(list)
    counts: Counter[str] = Counter()
    for ev in sorted(by_event):
        members = sorted(by_event[ev])
        if len(members) < 2:
            continue
        counts.update(members)
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                pairs[(a, b)].append(ev)
    info = {r["id"]: r for r in entities.select("id", "name", "kind").iter_rows(named=True)}
    nodes = [
        {
            "id": n,
            "name": info.get(n, {}).get("name", n),
            "kind": info.get(n, {}).get("kind", "unknown"),
            "events": counts[n],
        }
        for n in sorted(counts)
    ]
    edges = [{"source": a, "target": b, "weight": len(evs), "events": evs} for (a, b), evs in sorted(pairs.items())]
    return nodes, edges


def force_layout(
    nodes: list[str], edges: list[tuple[str, str, float]], *, iterations: int = 300
) -> dict[str, tuple[float, float]]:
    """Fruchterman-Reingold from a circle, with gravity toward the centre: deterministic (no random
    start), so the same graph always gets the same picture. Coordinates in [0, 1]."""
    n = len(nodes)
    if n == 0:
        return {}
    order = sorted(nodes)
    pos = {v: [math.cos(2 * math.pi * i / n), math.sin(2 * math.pi * i / n)] for i, v in enumerate(order)}
    k = math.sqrt(4.0 / n)
    temp = 0.2
    for _ in range(iterations):
        disp = {v: [0.0, 0.0] for v in order}
        for i, a in enumerate(order):
            pa = pos[a]
            for b in order[i + 1 :]:
                pb = pos[b]
                dx, dy = pa[0] - pb[0], pa[1] - pb[1]
                d = math.hypot(dx, dy) or 1e-6
                f = k * k / d
                disp[a][0] += dx / d * f
                disp[a][1] += dy / d * f
                disp[b][0] -= dx / d * f
                disp[b][1] -= dy / d * f
        for a, b, w in edges:
            dx, dy = pos[a][0] - pos[b][0], pos[a][1] - pos[b][1]
            d = math.hypot(dx, dy) or 1e-6
            f = d * d / k * (1 + math.log(w))
            disp[a][0] -= dx / d * f
            disp[a][1] -= dy / d * f
            disp[b][0] += dx / d * f
            disp[b][1] += dy / d * f
        for v in order:
            disp[v][0] -= pos[v][0] * 2.0  # gravity keeps separate groups near each other
            disp[v][1] -= pos[v][1] * 2.0
            d = math.hypot(*disp[v]) or 1e-6
            step = min(d, temp)
            pos[v][0] += disp[v][0] / d * step
            pos[v][1] += disp[v][1] / d * step
        temp = max(temp * 0.985, 0.002)
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0
    return {v: (round((pos[v][0] - min(xs)) / span, 4), round((pos[v][1] - min(ys)) / span, 4)) for v in order}


def network(
    *,
    types: list[str] | tuple[str, ...] | None = MEETING_TYPES,
    since: date | str | None = None,
    until: date | str | None = None,
    version: str | None = None,
    release_dir: str | Path | None = None,
) -> Any:
    """Who met whom: entities joined by the events they took part in together (edge width = number
    of shared events). ``types=None`` takes every event type; ``since``/``until`` bound the dates."""
    alt = _alt()
    nodes, edges = network_graph(
        _load("events", version, release_dir),
        _load("event_participants", version, release_dir),
        _load("entities", version, release_dir),
        types=types,
        since=since,
        until=until,
    )
    xy = force_layout([n["id"] for n in nodes], [(e["source"], e["target"], e["weight"]) for e in edges])
    for n in nodes:
        n["x"], n["y"] = xy[n["id"]]
    names = {n["id"]: n["name"] for n in nodes}
    lines = []
    for i, e in enumerate(edges):
        label = f"{names[e['source']]} – {names[e['target']]}"
        for end in ("source", "target"):
            x, y = xy[e[end]]
            lines.append(
                {"edge": i, "x": x, "y": y, "weight": e["weight"], "pair": label, "events": ", ".join(e["events"])}
            )
    from .models.entity import EntityKind

    kinds = [k.value for k in EntityKind]
    hidden = alt.Axis(title=None, labels=False, ticks=False, grid=False, domain=False)
    xs = alt.Scale(domain=[-0.08, 1.08])
    ys = alt.Scale(domain=[-0.05, 1.05])
    edge = (
        alt.Chart(alt.Data(values=lines))
        .mark_line(color="#8a9bb0", opacity=0.6)
        .encode(
            x=alt.X("x:Q", axis=hidden, scale=xs),
            y=alt.Y("y:Q", axis=hidden, scale=ys),
            detail="edge:N",
            strokeWidth=alt.StrokeWidth(
                "weight:Q",
                title="shared events",
                scale=alt.Scale(range=[1, 6]),
                legend=alt.Legend(format="d", tickMinStep=1),
            ),
            tooltip=[alt.Tooltip("pair:N"), alt.Tooltip("weight:Q", title="shared events"), alt.Tooltip("events:N")],
        )
    )
    base = alt.Chart(alt.Data(values=nodes)).encode(
        x=alt.X("x:Q", axis=hidden, scale=xs), y=alt.Y("y:Q", axis=hidden, scale=ys)
    )
    node = base.mark_circle(opacity=0.95, stroke="white", strokeWidth=1).encode(
        size=alt.Size(
            "events:Q",
            title="events",
            scale=alt.Scale(range=[60, 500], zero=False),
            legend=alt.Legend(format="d", tickMinStep=1),
        ),
        color=alt.Color("kind:N", title="entity", scale=alt.Scale(domain=kinds, scheme="tableau10")),
        tooltip=[alt.Tooltip("name:N"), alt.Tooltip("kind:N"), alt.Tooltip("events:Q")],
    )
    label = base.mark_text(dy=-11, fontSize=10, color="#222").encode(text="name:N")
    what = "all event types" if types is None else ", ".join(types)
    when = f"{since or '…'} to {until or '…'}" if since or until else "all dates"
    return alt.layer(edge, node, label).properties(
        width=640,
        height=520,
        title=alt.TitleParams(
            "Who met whom",
            anchor="start",
            subtitle=[
                f"Entities linked by the events they shared ({what}; {when}).",
                "Line width: number of shared events.",
            ],
        ),
    )


# --- agreement lifecycle ----------------------------------------------------------------------------


def lifecycle_rows(agreements: Any) -> list[dict[str, Any]]:
    """One row per agreement x dated milestone; a milestone the status has not reached is 'planned'
    (statuses are read in the vocabulary's lifecycle order; an expiry is reached only once expired)."""
    statuses = agreement_statuses()

    def before(status: str) -> set[str]:
        return set(statuses[: statuses.index(status)]) if status in statuses else set()

    rows = []
    for a in agreements.sort("id").iter_rows(named=True):
        for m in milestones():
            first, last = a.get(f"{m}_earliest"), a.get(f"{m}_latest")
            if first is None and last is None:
                continue
            # a milestone named like a status is reached once the status gets there; an expiry once expired
            planned = a["status"] != "expired" if m == "expires" else a["status"] in before(m)
            rows.append(
                {
                    "agreement": a["id"],
                    "name": a["name"],
                    "status": a["status"],
                    "milestone": m,
                    "milestone_order": milestones().index(m),
                    "date": a[m],
                    "precision": a.get(f"{m}_precision"),
                    "stated_as": a.get(f"{m}_stated_as") or "(not stated)",
                    "start": _iso(first if first is not None else last),
                    "end": _iso(_day_after(last if last is not None else first)),
                    "reached": "planned / not yet" if planned else "reached",
                }
            )
    return rows


def provision_area_rows(provisions: Any, agreements: Any) -> list[dict[str, Any]]:
    """Provisions counted per agreement and area of cooperation, as rows for the chart."""
    names = dict(agreements.select("id", "name").iter_rows())
    counts: Counter[tuple[str, str]] = Counter()
    for agr, areas in provisions.select("agreement", "areas").iter_rows():
        for area in areas or ["(no area)"]:
            counts[(agr, area)] += 1
    return [
        {"agreement": a, "name": names.get(a, a), "area": area, "provisions": n}
        for (a, area), n in sorted(counts.items())
    ]


def lifecycle(*, version: str | None = None, release_dir: str | Path | None = None) -> Any:
    """Each agreement's milestones (announced, signed, in force, expires) on a time axis, coloured by
    its status, beside the number of its provisions in each area of cooperation."""
    alt = _alt()
    agreements = _load("agreements", version, release_dir)
    rows = lifecycle_rows(agreements)
    areas = provision_area_rows(_load("agreement_provisions", version, release_dir), agreements)
    labels = [
        {"name": r["name"], "status": r["status"], "dated": any(x["agreement"] == r["id"] for x in rows)}
        for r in agreements.sort("id").iter_rows(named=True)
    ]
    order = [lab["name"] for lab in labels]
    y = alt.Y("name:N", title=None, sort=order, scale=alt.Scale(domain=order), axis=alt.Axis(labelLimit=300))
    domain, colours = colour_scale(agreement_statuses(), AGREEMENT_STATUS_COLORS)
    colour = alt.Color(
        "status:N",
        title="agreement status",
        scale=alt.Scale(domain=domain, range=colours),
        legend=alt.Legend(orient="bottom", direction="horizontal", columns=4, symbolType="stroke", symbolStrokeWidth=4),
    )
    x = alt.X(
        "start:T", title=None, scale=alt.Scale(type="utc", padding=24), axis=alt.Axis(format="%Y", tickCount="year")
    )
    tooltip = [
        alt.Tooltip("name:N"),
        alt.Tooltip("status:N"),
        alt.Tooltip("milestone:N"),
        alt.Tooltip("date:N", title="date (EDTF)"),
        alt.Tooltip("precision:N"),
        alt.Tooltip("stated_as:N", title="date as stated"),
        alt.Tooltip("reached:N"),
    ]
    base = alt.Chart(alt.Data(values=rows))
    span = base.mark_rule(strokeWidth=7, strokeCap="butt", opacity=0.4).encode(x=x, x2="end:T", y=y, color=colour)
    joined = base.mark_rule(strokeWidth=1.5).encode(x=alt.X("min(start):T"), x2="max(start):T", y=y, color=colour)
    shape = alt.Shape(
        "milestone:N",
        title="milestone",
        scale=alt.Scale(domain=list(milestones()), range=[MILESTONE_SHAPES.get(m, "cross") for m in milestones()]),
        legend=alt.Legend(orient="bottom", symbolFillColor="#444", symbolStrokeColor="#444"),
    )
    reached = (
        base.transform_filter(alt.datum.reached == "reached")
        .mark_point(size=110, filled=True, opacity=1)
        .encode(x=x, y=y, color=colour, tooltip=tooltip, shape=shape)
    )
    planned = (
        base.transform_filter(alt.datum.reached != "reached")
        .mark_point(size=110, strokeWidth=2, fill="white", opacity=1)
        .encode(x=x, y=y, color=colour, tooltip=tooltip, shape=shape)
    )
    undated = (
        alt.Chart(alt.Data(values=[lab for lab in labels if not lab["dated"]]))
        .mark_text(align="left", fontStyle="italic", color="#666", dx=4)
        .encode(y=y, x=alt.value(0), text=alt.value("no date in the sources"))
    )
    time_panel = alt.layer(span, joined, reached, planned, undated).properties(
        width=420, title="Lifecycle (hollow: planned or not yet)"
    )
    heat = alt.Chart(alt.Data(values=areas)).encode(
        y=alt.Y("name:N", sort=order, scale=alt.Scale(domain=order), axis=None),
        x=alt.X("area:N", title=None, axis=alt.Axis(labelAngle=-40, orient="top")),
    )
    cells = heat.mark_rect(color="#3a86c8").encode(
        opacity=alt.Opacity("provisions:Q", scale=alt.Scale(range=[0.35, 1]), legend=None),
        tooltip=[alt.Tooltip("name:N"), alt.Tooltip("area:N"), alt.Tooltip("provisions:Q")],
    )
    counts = heat.mark_text(color="white", fontWeight="bold").encode(text="provisions:Q")
    area_panel = alt.layer(cells, counts).properties(title="Provisions by area")
    return (
        alt.hconcat(time_panel, area_panel, spacing=12)
        .resolve_scale(color="independent", y="shared")
        .properties(title=alt.TitleParams("Agreements: lifecycle and provisions", anchor="start"))
    )


# --- output -----------------------------------------------------------------------------------------

CHARTS: dict[str, Callable[..., Any]] = {"timeline": timeline, "network": network, "lifecycle": lifecycle}


def chart_spec(chart: Any) -> dict[str, Any]:
    """The chart's Vega-Lite specification as a dict (no data fetched: the data are inline)."""
    return chart.to_dict()


def render(chart: Any, fmt: str, *, scale: float = 1.0) -> bytes:
    """SVG, PNG or Vega-Lite JSON bytes, rendered offline by vl-convert (no browser, no network)."""
    import json

    spec = chart_spec(chart)
    if fmt == "json":
        return (json.dumps(spec, indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode()
    try:
        import vl_convert as vlc
    except ImportError:  # pragma: no cover
        raise UsuaError('rendering needs the plot extra: pip install "usua[plot]"') from None
    if fmt == "svg":
        return vlc.vegalite_to_svg(spec).encode()
    if fmt == "png":
        return vlc.vegalite_to_png(spec, scale=scale)
    raise UsuaError(f"unknown picture format {fmt!r}; use svg, png or json")


def save_chart(chart: Any, out: str | Path, *, fmt: str | None = None) -> Path:
    """Write a chart to ``out``; the format follows the file's suffix (.svg, .png, .json)."""
    out = Path(out)
    fmt = fmt or out.suffix.lstrip(".").lower()
    if fmt == "vl.json":
        fmt = "json"
    data = render(chart, fmt)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    tmp.write_bytes(data)
    tmp.replace(out)
    return out
