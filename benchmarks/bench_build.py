"""Building a release from synthetic corpora of growing size, against its floor: time, ratio, peak memory.

    python benchmarks/bench_build.py [--sizes 1000 10000 100000] [--formats yaml jsonl] [--runs 3]

Each build runs in a fresh interpreter (so peak memory is its own) with ``require_coverage=False``
(synthetic background sentences name no curated entity on purpose), and is followed by its floor
(``bench_build_floor.py``: the same work done by the libraries alone) on the same corpus, so the
build/floor ratio of each run is measured under the same load. The time of each stage is taken by
wrapping the stage functions that ``builders.release`` calls.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

from common import DEFAULT_WORK, Row, mib, print_rows, run_child, timed

TARGET_FLATNESS = 0.15  # time per record may vary by at most ±15% across sizes
TARGET_RATIO = 2.0  # a build may take at most twice its floor
TARGET_SIZE = 3.0  # a release may be at most 3x its Parquet files plus the source texts
LARGE = 100_000  # documents from which --large-runs applies

_CHILD = """
import sys
import time
from pathlib import Path
import builders.release as rel
from usua.validation import check as _check
import usua.models  # start-up, not build work (the floor imports them before its clock starts too)
import pyarrow as _pa
_pa.array([0])  # pyarrow imports pandas on first use: start-up too (the floor does it before its clock)

stages, peaks, rss = {}, {}, {}  # seconds per stage; peak and current RSS (MiB) when each stage ended
def rss_now():
    with open("/proc/self/statm") as fh:  # Linux; elsewhere the peak alone is shown
        return int(fh.read().split()[1]) * resource.getpagesize() / 2**20
def wrap(mod, name, label):
    fn = getattr(mod, name, None)
    if fn is None:  # the stage was renamed: its time stays in the total
        return
    def timed_stage(*a, **k):
        t = time.perf_counter()
        try:
            return fn(*a, **k)
        finally:
            stages[label] = stages.get(label, 0.0) + time.perf_counter() - t
            peaks[label] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            try:
                rss[label] = rss_now()
            except OSError:
                pass
            print(f"{label.strip()}: {time.perf_counter() - t:.1f} s, RSS {rss.get(label, 0):.0f} MiB, peak {peaks[label]:.0f} MiB", file=sys.stderr, flush=True)
    setattr(mod, name, timed_stage)

wrap(rel, "load_curation", "validate + locate quotes")
wrap(rel, "derive_table", "derive tables")  # (each stage called once per table: its times add up)
wrap(rel, "mention_rows", "mentions")
wrap(rel, "coverage_report", "coverage")
wrap(rel, "table_changes", "changes against the previous release")
wrap(rel.TableFiles, "write", "write table files")  # (the files of the last table: when the block ends)
wrap(rel.TableFiles, "__exit__", "write table files")
wrap(rel, "write_records", "write records")
wrap(rel, "manifest", "manifest")
wrap(rel, "check_source_hashes", "hash source texts")
wrap(rel, "verify_release", "verify written files")
wrap(rel, "_contract", "write schema/ contract")
wrap(_check, "read_contribution_file", "  of which: read files (YAML parse)")
wrap(_check, "_check_evidence", "  of which: locate quotes")
if MAX_BYTES:  # corpora beyond ~80k documents have a documents.yaml above the 50 MiB file limit
    from usua.validation import Limits, check_paths
    getattr(check_paths, "__wrapped__", check_paths).__kwdefaults__["limits"] = Limits(max_bytes=MAX_BYTES)
root = Path(ROOT)
t = time.perf_counter()
summary = rel.build_release(root, out_root=root / "releases", require_coverage=False)
result = {"stages": stages, "peaks": peaks, "rss": rss, "rows": dict(summary.tables), "build_s": time.perf_counter() - t}
"""


def corpus(work: Path, documents: int, seed: int, curation_format: str = "yaml") -> tuple[Path, dict[str, int]]:
    """A checkout-shaped folder with a synthetic dataset/ (generated once and kept)."""
    from benchmarks.synthetic import write_dataset

    suffix = "" if curation_format == "yaml" else f"-{curation_format}"
    root = work / f"corpus-{documents}-{seed}{suffix}"
    counts_file = root / "counts.json"
    if not counts_file.exists():
        shutil.rmtree(root, ignore_errors=True)
        counts, t = timed(write_dataset, root / "dataset", documents, seed, curation_format)
        counts_file.write_text(json.dumps(counts))
        print(f"  generated {documents} documents ({curation_format}) in {t:.1f} s", file=sys.stderr)
    return root, json.loads(counts_file.read_text())


def build(root: Path, timeout: float, max_bytes: int = 0) -> dict:
    shutil.rmtree(root / "releases", ignore_errors=True)
    code = _CHILD.replace("ROOT", repr(str(root))).replace("MAX_BYTES", str(max_bytes))
    try:
        return run_child(code, timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        done = (exc.stderr or b"").decode() if isinstance(exc.stderr, bytes) else (exc.stderr or "")
        stages = "; ".join(line for line in done.splitlines() if " s, peak " in line)
        return {"error": f"did not finish within {timeout:.0f} s (stages done: {stages or 'none'})"}


_FLOOR_CHILD = """
sys.path.insert(0, BENCH)
from pathlib import Path
import bench_build_floor as bf
root = Path(ROOT)
given = bf.prepared(next(p for p in (root / "releases").iterdir() if not p.name.startswith(".")))
result = bf.floor(root / "dataset", given)
"""


def floor(root: Path, timeout: float) -> dict:
    """The floor of the release just built from ``root`` (see bench_build_floor.py), in a fresh interpreter."""
    code = _FLOOR_CHILD.replace("BENCH", repr(str(Path(__file__).parent))).replace("ROOT", repr(str(root)))
    try:
        return run_child(code, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"error": f"the floor did not finish within {timeout:.0f} s"}


def _spread(values: list[float]) -> str:
    return f"min {min(values):.1f} s, median {statistics.median(values):.1f} s"


def run(
    sizes: list[int],
    timeout: float = 900,
    seed: int = 1,
    work: Path = DEFAULT_WORK,
    max_bytes: int = 0,
    formats: tuple[str, ...] = ("yaml", "jsonl"),
    runs: int = 3,
    large_runs: int | None = None,
    formats_at: dict[int, tuple[str, ...]] | None = None,
) -> list[Row]:
    """For each size and curation format: ``runs`` builds, each followed by its floor (interleaved, so
    both see the same load on the machine); the ratio is taken from the same run's figures.
    ``large_runs``: runs at ``LARGE`` documents and more (a 100k build takes ten minutes or more);
    ``formats_at``: the curation formats of some sizes, instead of ``formats``."""
    work.mkdir(parents=True, exist_ok=True)
    # the children import what an installed usua imports, from cached bytecode as a user's Python would
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    rows: list[Row] = []
    per_record: dict[str, dict[int, float]] = {}
    for n in sizes:
        fmts = (formats_at or {}).get(n, formats)
        n_runs = large_runs if large_runs is not None and n >= LARGE else runs
        corpora = {fmt: corpus(work, n, seed, fmt) for fmt in fmts}
        builds: dict[str, list[dict]] = {fmt: [] for fmt in fmts}
        floors: dict[str, list[dict]] = {fmt: [] for fmt in fmts}
        errors: dict[str, str] = {}
        for r in range(n_runs):
            for fmt in fmts:
                if fmt in errors:
                    continue
                print(f"  {n:,} documents, {fmt} curation: run {r + 1} of {n_runs}", file=sys.stderr, flush=True)
                out = build(corpora[fmt][0], timeout, max_bytes)
                low = floor(corpora[fmt][0], timeout) if "error" not in out else {}
                if "error" in out or "error" in low:
                    errors[fmt] = out.get("error") or low["error"]
                    continue
                builds[fmt].append(out)
                floors[fmt].append(low)
        for fmt in fmts:
            records = sum(corpora[fmt][1].values())
            what = f"{n:,} documents ({records:,} records), {fmt} curation"
            if fmt in errors:
                rows.append(Row("build", what, f"FAILED: {errors[fmt][:600]}"))
                continue
            b = [o["build_s"] for o in builds[fmt]]
            f = [o["floor_s"] for o in floors[fmt]]
            ratios = [x / y for x, y in zip(b, f)]
            peak = max(o["peak_rss_mib"] for o in builds[fmt])
            per_record.setdefault(fmt, {})[n] = min(b) / records
            rows.append(
                Row(
                    "build",
                    what,
                    f"{_spread(b)} ({len(b)} runs), {min(b) / records * 1e3:.2f} ms/record, peak {peak:.0f} MiB",
                    "peak ≤ 2048 MiB",
                    peak <= 2048,
                )
            )
            rows.append(Row("build", f"  floor (libraries alone), {fmt}", f"{_spread(f)} ({len(f)} runs)"))
            rows.append(
                Row(
                    "build",
                    f"  build / floor, {fmt}",
                    f"{min(b) / min(f):.2f}x (min/min); per run {', '.join(f'{x:.2f}' for x in ratios)}",
                    f"≤ {TARGET_RATIO:.0f}x",
                    min(b) / min(f) <= TARGET_RATIO,
                )
            )
            fastest = builds[fmt][b.index(min(b))]
            for stage, t in sorted(fastest["stages"].items(), key=lambda kv: -kv[1]):
                rows.append(
                    Row(
                        "build",
                        f"    stage: {stage.strip()}",
                        f"{t:.1f} s ({t / fastest['build_s']:.0%}), RSS after it {fastest['rss'].get(stage, 0):.0f} MiB, "
                        f"peak so far {fastest['peaks'][stage]:.0f} MiB",
                    )
                )
            low = floors[fmt][f.index(min(f))]
            for stage, t in sorted(low["stages"].items(), key=lambda kv: -kv[1]):
                rows.append(Row("build", f"    floor stage: {stage}", f"{t:.1f} s ({t / low['floor_s']:.0%})"))
            size = _release_size(corpora[fmt][0])
            if size:
                rows.append(size)
    for fmt, by_size in per_record.items():
        if len(by_size) < 2:
            continue
        mean = sum(by_size.values()) / len(by_size)
        spread = max(abs(v / mean - 1) for v in by_size.values())
        rows.append(
            Row(
                "build",
                f"time per record across {', '.join(f'{k:,}' for k in by_size)} documents, {fmt}",
                f"within ±{spread:.0%} of the mean",
                f"±{TARGET_FLATNESS:.0%}",
                spread <= TARGET_FLATNESS,
            )
        )
    return rows


def _release_size(root: Path) -> Row | None:
    """The release's size against its Parquet files plus the source texts."""
    releases = (
        [p for p in (root / "releases").iterdir() if not p.name.startswith(".")] if (root / "releases").is_dir() else []
    )
    if not releases:
        return None
    files = [p for p in releases[0].rglob("*") if p.is_file()]
    total = sum(p.stat().st_size for p in files)
    parquet = sum(p.stat().st_size for p in files if p.suffix == ".parquet")
    texts = sum(p.stat().st_size for p in (root / "dataset" / "sources").glob("*.txt"))
    ratio = total / (parquet + texts)
    metric = f"  release {mib(total)} against Parquet {mib(parquet)} + source texts {mib(texts)}"
    if (releases[0] / "json").is_dir():
        # below FULL_OUTPUTS_MAX_ROWS a release keeps every format on purpose: the target is for compact ones
        return Row("size", metric + " (every format: a small release)", f"{ratio:.2f}x")
    return Row("size", metric, f"{ratio:.2f}x", f"≤ {TARGET_SIZE:.0f}x", ratio <= TARGET_SIZE)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000])
    ap.add_argument("--formats", nargs="+", choices=["yaml", "jsonl"], default=["yaml", "jsonl"])
    ap.add_argument("--runs", type=int, default=3, help="builds (each with its floor) per size and format")
    ap.add_argument(
        "--large-runs", type=int, default=None, help=f"runs at {LARGE:,} documents and more (default: --runs)"
    )
    ap.add_argument("--timeout", type=float, default=900, help="seconds allowed per build")
    ap.add_argument("--max-bytes", type=int, default=0, help="raise the contribution file size limit (0: keep usua's)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--work", type=Path, default=DEFAULT_WORK)
    args = ap.parse_args()
    print_rows(
        run(
            args.sizes,
            args.timeout,
            args.seed,
            args.work,
            args.max_bytes,
            tuple(args.formats),
            args.runs,
            args.large_runs,
        )
    )


if __name__ == "__main__":
    main()
