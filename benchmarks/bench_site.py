"""The explorer of a large synthetic release: build time, number of files, largest page.

    python benchmarks/bench_site.py [--documents 10000] [--repeat 2]

Builds (once, kept in the work folder) a synthetic release of N documents with bench_build, then runs
`usua.site.build_site` on it in a fresh interpreter, with the corpus's texts as --sources (synthetic
documents are all redistributable, so every document page carries its full text). Targets: the site
of 10k documents builds in under a minute; no file (page, script, index part) is over 1 MB.
"""

from __future__ import annotations

import argparse
import shutil
import sys

from common import DEFAULT_WORK, Row, print_rows, run_child

import bench_build

TARGET_SECONDS = 60
TARGET_BYTES = 1_000_000

_CHILD = """
import time
from pathlib import Path
from usua.site import build_site
t = time.perf_counter()
s = build_site(Path(OUT), release_dir=Path(RELEASE), sources=Path(SOURCES), force=True)
result = {"build_s": time.perf_counter() - t, "pages": s.pages, "bytes": s.bytes,
          "largest": s.largest_page[0], "largest_bytes": s.largest_page[1], "texts": len(s.texts)}
"""


def run(documents: int = 10_000, repeat: int = 2, seed: int = 1, work=DEFAULT_WORK, timeout: float = 1500) -> list[Row]:
    work.mkdir(parents=True, exist_ok=True)
    root, counts = bench_build.corpus(work, documents, seed)
    releases = root / "releases"
    if not any(releases.glob("*/manifest.json")):
        out = bench_build.build(root, timeout)
        if "error" in out:
            return [Row("site", f"{documents:,} documents", f"FAILED to build the release: {out['error'][:400]}")]
    release_dir = sorted(releases.glob("*/manifest.json"))[-1].parent
    site = work / f"site-{documents}"
    runs = []
    for _ in range(repeat):
        code = (
            _CHILD.replace("OUT", repr(str(site)))
            .replace("RELEASE", repr(str(release_dir)))
            .replace("SOURCES", repr(str(root / "dataset" / "sources")))
        )
        out = run_child(code, timeout=timeout)
        if "error" in out:
            return [Row("site", f"{documents:,} documents", f"FAILED: {out['error'][:400]}")]
        runs.append(out)
    best = min(runs, key=lambda r: r["build_s"])
    shutil.rmtree(site, ignore_errors=True)
    return [
        Row(
            "site",
            f"explorer of {documents:,} documents ({sum(counts.values()):,} records): build time (min of {repeat})",
            f"{best['build_s']:.1f} s ({best['wall_s']:.1f} s with start-up), peak {best['peak_rss_mib']:.0f} MiB",
            f"< {TARGET_SECONDS} s",
            best["build_s"] < TARGET_SECONDS,
        ),
        Row(
            "site",
            "  files written, total size",
            f"{best['pages']:,} files, {best['bytes'] / 1e6:.0f} MB, {best['texts']:,} full texts",
        ),
        Row(
            "site",
            "  largest file",
            f"{best['largest_bytes'] / 1e6:.2f} MB ({best['largest']})",
            f"< {TARGET_BYTES / 1e6:.0f} MB",
            best["largest_bytes"] < TARGET_BYTES,
        ),
    ]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--documents", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--work", type=__import__("pathlib").Path, default=DEFAULT_WORK)
    args = ap.parse_args()
    print("site ...", file=sys.stderr, flush=True)
    print_rows(run(args.documents, args.repeat, args.seed, args.work))


if __name__ == "__main__":
    main()
