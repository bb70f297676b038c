"""Run every benchmark and print one table of figures, targets and whether each target is met.

    python benchmarks/run_all.py            # full: 1M records, builds of 1k/10k/100k documents (long)
    python benchmarks/run_all.py --quick    # small sizes, min of 3 everywhere: under 10 minutes on 2 cores

Generated corpora are kept in $USUA_BENCH_DIR (default: usua-bench in the system temporary folder) and reused by later runs.
"""

from __future__ import annotations

import argparse
import sys
import time

from common import DEFAULT_WORK, Row, machine, print_rows

import bench_build
import bench_load
import bench_site
import bench_validate


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--quick", action="store_true", help="small sizes: checks that everything runs, figures are indicative"
    )
    ap.add_argument("--build-timeout", type=float, default=1500, help="seconds allowed per build")
    ap.add_argument("--skip", nargs="*", default=[], choices=["validate", "build", "load", "site"])
    args = ap.parse_args()
    # validation: every contender runs 3 times, interleaved (min and median are reported)
    # quick: JSON Lines curation at 1k and 10k documents (ratio to the floor, and time per record in one
    # run), YAML at 1k only (its 10k builds alone took longer than the whole quick run may)
    if args.quick:
        records, subset, sizes, formats_at, site_runs = 50_000, 2_000, [1000, 10_000], {10_000: ("jsonl",)}, 2
    else:
        records, subset, sizes, formats_at, site_runs = 1_000_000, 20_000, [1000, 10_000, 100_000], None, 2

    for key, value in machine().items():
        print(f"{key:>14}: {value}")
    print(f"{'work folder':>14}: {DEFAULT_WORK}")
    print()
    rows: list[Row] = []
    t0 = time.perf_counter()
    if "validate" not in args.skip:
        print("validate ...", file=sys.stderr, flush=True)
        rows += bench_validate.run(records, subset, runs=3)
    if "build" not in args.skip:
        print("build ...", file=sys.stderr, flush=True)
        # 100k documents make a 63 MB documents.yaml, above the 50 MiB contribution limit: raise it
        rows += bench_build.run(
            sizes,
            args.build_timeout,
            max_bytes=0 if args.quick else 128 * 1024 * 1024,
            large_runs=1,  # a 100k-document build takes ten minutes or more
            formats_at=formats_at,
        )
    if "load" not in args.skip:
        print("load ...", file=sys.stderr, flush=True)
        rows += bench_load.run()
    if "site" not in args.skip:
        print("site ...", file=sys.stderr, flush=True)
        rows += bench_site.run(1000 if args.quick else 10_000, repeat=site_runs)
    print_rows(rows)
    print(f"\ntotal {time.perf_counter() - t0:.0f} s")


if __name__ == "__main__":
    main()
