"""Building a release from synthetic corpora of growing size: time, peak memory, time per record.

    python benchmarks/bench_build.py [--sizes 1000 10000 100000] [--timeout 900]

Each build runs in a fresh interpreter (so peak memory is its own) with ``require_coverage=False``
(synthetic background sentences name no curated entity on purpose). The time of each stage is taken
by wrapping the stage functions that ``builders.release`` calls.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from pathlib import Path

from common import DEFAULT_WORK, Row, print_rows, run_child, timed

TARGET_FLATNESS = 0.30  # time per record may vary by at most ±30% across sizes

_CHILD = """
import sys
import time
from pathlib import Path
import builders.release as rel
from usua.validation import check as _check

stages, peaks = {}, {}  # seconds per stage; peak RSS (MiB) when each stage ended
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
            print(f"{label.strip()}: {time.perf_counter() - t:.1f} s, peak {peaks[label]:.0f} MiB", file=sys.stderr, flush=True)
    setattr(mod, name, timed_stage)

wrap(rel, "load_curation", "validate + locate quotes")
wrap(rel, "derive_tables", "derive tables")
wrap(rel, "mention_rows", "mentions")
wrap(rel, "coverage_report", "coverage")
wrap(rel, "write_table_files", "write parquet/json/jsonl")
wrap(rel, "write_records", "write records")
wrap(rel, "manifest", "manifest")
wrap(rel, "check_source_hashes", "hash source texts")
wrap(rel, "verify_release", "verify written files")
wrap(rel, "_contract", "write schema/ contract")
wrap(_check, "read_contribution_file", "  of which: read files (YAML parse)")
wrap(_check, "_check_evidence", "  of which: locate quotes")
if MAX_BYTES:  # corpora beyond ~80k documents have a documents.yaml above the 50 MiB file limit
    from usua.validation import Limits, check_paths
    check_paths.__kwdefaults__["limits"] = Limits(max_bytes=MAX_BYTES)
root = Path(ROOT)
t = time.perf_counter()
summary = rel.build_release(root, out_root=root / "releases", require_coverage=False)
result = {"stages": stages, "peaks": peaks, "rows": dict(summary.tables), "build_s": time.perf_counter() - t}
"""


def corpus(work: Path, documents: int, seed: int) -> tuple[Path, dict[str, int]]:
    """A checkout-shaped folder with a synthetic dataset/ (generated once and kept)."""
    from benchmarks.synthetic import write_dataset

    root = work / f"corpus-{documents}-{seed}"
    counts_file = root / "counts.json"
    if not counts_file.exists():
        shutil.rmtree(root, ignore_errors=True)
        counts, t = timed(write_dataset, root / "dataset", documents, seed)
        counts_file.write_text(json.dumps(counts))
        print(f"  generated {documents} documents in {t:.1f} s", file=sys.stderr)
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


def run(
    sizes: list[int], timeout: float = 900, seed: int = 1, work: Path = DEFAULT_WORK, max_bytes: int = 0
) -> list[Row]:
    work.mkdir(parents=True, exist_ok=True)
    rows: list[Row] = []
    per_record: dict[int, float] = {}
    for n in sizes:
        root, counts = corpus(work, n, seed)
        records = sum(counts.values())
        out = build(root, timeout, max_bytes)
        if "error" in out:
            rows.append(Row("build", f"{n:,} documents ({records:,} records)", f"FAILED: {out['error'][:600]}"))
            continue
        per_record[n] = out["build_s"] / records
        rows.append(
            Row(
                "build",
                f"{n:,} documents ({records:,} records)",
                f"{out['build_s']:.1f} s ({out['wall_s']:.1f} s with start-up), {per_record[n] * 1e3:.2f} ms/record, "
                f"peak {out['peak_rss_mib']:.0f} MiB",
            )
        )
        for stage, t in sorted(out["stages"].items(), key=lambda kv: -kv[1]):
            rows.append(
                Row(
                    "build",
                    f"  stage: {stage.strip()}",
                    f"{t:.1f} s ({t / out['build_s']:.0%}), peak RSS after it {out['peaks'][stage]:.0f} MiB",
                )
            )
    if len(per_record) >= 2:
        mean = sum(per_record.values()) / len(per_record)
        spread = max(abs(v / mean - 1) for v in per_record.values())
        rows.append(
            Row(
                "build",
                f"time per record across {', '.join(f'{k:,}' for k in per_record)} documents",
                f"within ±{spread:.0%} of the mean",
                f"±{TARGET_FLATNESS:.0%}",
                spread <= TARGET_FLATNESS,
            )
        )
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    ap.add_argument("--timeout", type=float, default=900, help="seconds allowed per build")
    ap.add_argument("--max-bytes", type=int, default=0, help="raise the contribution file size limit (0: keep usua's)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--work", type=Path, default=DEFAULT_WORK)
    args = ap.parse_args()
    print_rows(run(args.sizes, args.timeout, args.seed, args.work, args.max_bytes))


if __name__ == "__main__":
    main()
