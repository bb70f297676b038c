"""Regenerate what the README shows from the bundled release, or check it is current.

    python docs/generate.py          # write docs/img/{timeline,network,lifecycle}.svg and usua/_texts/
    python docs/generate.py --check  # list what is stale (the tests run this); exit 1 if anything is

(`make docs` runs the first.) Each SVG starts with a comment holding the sha256 of the Vega-Lite spec
it was rendered from; the check compares that hash with the spec the current release gives, so it does
not depend on the fonts of the machine that renders. usua/_texts/ holds the source texts whose rights
allow redistribution, so the explorer can show them from a pip install; the check compares them byte
for byte with dataset/sources/ and the documents table.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IMG = ROOT / "docs" / "img"
TEXTS = ROOT / "usua" / "_texts"
SOURCES = ROOT / "dataset" / "sources"
MARK = re.compile(r"<!-- usua-spec-sha256: ([0-9a-f]{64})")


def _spec_hash(chart) -> str:
    spec = json.dumps(chart.to_dict(), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(spec.encode()).hexdigest()


def pictures() -> dict[str, object]:
    from usua import plot

    return {name: fn() for name, fn in plot.CHARTS.items()}


def redistributable() -> dict[str, str]:
    """File name -> document id of every redistributable document of the bundled release."""
    import usua

    docs = usua.load("documents").filter(redistributable=True)
    return {Path(p).name: d for d, p in docs.select("id", "path").iter_rows()}


def check() -> list[str]:
    problems = []
    for name, chart in pictures().items():
        svg = IMG / f"{name}.svg"
        found = MARK.search(svg.read_text(encoding="utf-8")[:200]) if svg.is_file() else None
        if found is None or found.group(1) != _spec_hash(chart):
            problems.append(f"docs/img/{name}.svg was not drawn from the current release")
    wanted = redistributable()
    have = {p.name for p in TEXTS.glob("*.txt")} if TEXTS.is_dir() else set()
    for name in sorted(have - set(wanted)):
        problems.append(f"usua/_texts/{name} is not a redistributable document of the release")
    for name in sorted(wanted):
        if name not in have or (TEXTS / name).read_bytes() != (SOURCES / name).read_bytes():
            problems.append(f"usua/_texts/{name} is missing or differs from dataset/sources/{name}")
    return problems


def write() -> None:
    from usua import plot

    IMG.mkdir(parents=True, exist_ok=True)
    for name, chart in pictures().items():
        svg = plot.render(chart, "svg").decode()
        (IMG / f"{name}.svg").write_text(
            f"<!-- usua-spec-sha256: {_spec_hash(chart)} (make docs) -->\n{svg}\n", encoding="utf-8"
        )
    TEXTS.mkdir(exist_ok=True)
    wanted = redistributable()
    for p in TEXTS.glob("*.txt"):
        if p.name not in wanted:
            p.unlink()
    for name in wanted:
        shutil.copyfile(SOURCES / name, TEXTS / name)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--check", action="store_true", help="only list what is stale")
    if ap.parse_args().check:
        problems = check()
        for p in problems:
            print(p)
        if problems:
            print("run `make docs` to refresh them")
            sys.exit(1)
        return
    write()


if __name__ == "__main__":
    main()
