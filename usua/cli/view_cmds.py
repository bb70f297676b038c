"""Commands for looking at the data: `usua plot` (charts to SVG/PNG) and `usua site` (the explorer)."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from .typer_app import app
from .data_cmds import ReleaseDirOpt, ReleaseOpt, Usage, _split, friendly


class ChartName(str, Enum):
    timeline = "timeline"
    network = "network"
    lifecycle = "lifecycle"


@app.command("plot")
@friendly
def plot_cmd(
    chart: ChartName = typer.Argument(
        ..., help="timeline (events by date), network (who met whom) or lifecycle (agreements)."
    ),
    out: Path = typer.Option(..., "--out", help="File to write: .svg, .png or .json (the Vega-Lite spec)."),
    types: Optional[str] = typer.Option(
        None,
        "--types",
        metavar="A,B",
        help="network: event types to link by (default: meetings, calls, visits, talks, signings; 'all' for every type).",
    ),
    since: Optional[str] = typer.Option(
        None, "--since", metavar="YYYY-MM-DD", help="network: only events that may end on or after this day."
    ),
    until: Optional[str] = typer.Option(
        None, "--until", metavar="YYYY-MM-DD", help="network: only events that may start on or before this day."
    ),
    release: Optional[str] = ReleaseOpt,
    release_dir: Optional[Path] = ReleaseDirOpt,
) -> None:
    r"""Draw a chart of the release offline (needs: pip install 'usua\[plot]')."""
    from datetime import date

    from .. import plot

    if out.suffix.lower() not in (".svg", ".png", ".json"):
        raise Usage(f"--out {out}: give a file ending in .svg, .png or .json")
    if chart is not ChartName.network and (types or since or until):
        raise Usage("--types, --since and --until apply to the network chart only")
    for opt, value in (("--since", since), ("--until", until)):
        if value is not None:
            try:
                date.fromisoformat(value)
            except ValueError:
                raise Usage(f"{opt} {value!r} is not a date like 2022-10-21") from None
    if chart is ChartName.network:
        kinds = None if types == "all" else (tuple(_split(types) or ()) or plot.MEETING_TYPES)
        figure = plot.network(types=kinds, since=since, until=until, version=release, release_dir=release_dir)
    else:
        figure = plot.CHARTS[chart.value](version=release, release_dir=release_dir)
    plot.save_chart(figure, out)
    print(f"wrote {out}")


@app.command("site")
@friendly
def site_cmd(
    out: Path = typer.Option(..., "--out", help="Folder to write the site into."),
    sources: Optional[Path] = typer.Option(
        None,
        "--sources",
        metavar="DIR",
        help="Folder of source texts (default: the release's, the checkout's dataset/sources, then those bundled with usua).",
    ),
    force: bool = typer.Option(False, "--force", help="Replace the folder if it is not empty."),
    release: Optional[str] = ReleaseOpt,
    release_dir: Optional[Path] = ReleaseDirOpt,
) -> None:
    r"""Write a static HTML explorer of the release: open OUT/index.html (needs: pip install 'usua\[site]')."""
    from ..site import build_site

    s = build_site(out, version=release, release_dir=release_dir, sources=sources, force=force)
    print(
        f"wrote {s.pages} files ({s.bytes / 1e6:.1f} MB) to {out}; full texts shown for {len(s.texts)} "
        f"redistributable document(s); open {out / 'index.html'}"
    )
