"""Loading: ``usua.load`` against ``polars.read_parquet`` on the same file, ``import usua`` time, and
Parquet size against JSON size per table.

    python benchmarks/bench_load.py [--release DIR] [--table mentions]

Without --release the largest synthetic release built by bench_build.py is used, else the bundled one.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

from common import DEFAULT_WORK, ROOT, Row, best_of, print_rows, run_child

TARGET_LOAD_RATIO = 1.2
TARGET_IMPORT_MS = 150
TARGET_SIZE_RATIO = 1 / 5


def default_release(work: Path = DEFAULT_WORK) -> Path | None:
    built = [p.parent for p in work.glob("corpus-*/releases/*/manifest.json")]
    if built:
        return max(built, key=lambda p: int(p.parent.parent.name.split("-")[1]))
    bundled = ROOT / "usua" / "_release"
    return bundled if (bundled / "manifest.json").exists() else None


def biggest_table(release: Path) -> str:
    manifest = json.loads((release / "manifest.json").read_text())
    return max(manifest["tables"], key=lambda t: manifest["tables"][t]["rows"])


def load_ratio(release: Path, table: str) -> list[Row]:
    path = release / "parquet" / f"{table}.parquet"
    rows_n = json.loads((release / "manifest.json").read_text())["tables"][table]["rows"]
    # first call in a fresh process: usua also reads the manifest and checks the file's sha256
    cold = {}
    for name, call in (
        ("polars", f"pl.read_parquet({str(path)!r})"),
        ("usua", f"usua.load({table!r}, release_dir={str(release)!r})"),
    ):
        out = run_child(
            "import polars as pl, usua, usua.loading\nt = time.perf_counter()\n"
            f"df = {call}\nresult = {{'t': time.perf_counter() - t, 'rows': df.height}}"
        )
        if "error" in out:
            return [Row("load", f"usua.load({table!r})", f"FAILED: {out['error'][:150]}")]
        cold[name] = out["t"]
    import polars as pl

    import usua

    usua.load(table, release_dir=release)
    warm_pl = best_of(lambda: pl.read_parquet(path), 15)
    warm_usua = best_of(lambda: usua.load(table, release_dir=release), 15)
    ratio_cold, ratio_warm = cold["usua"] / cold["polars"], warm_usua / warm_pl
    return [
        Row(
            "load",
            f"'{table}' ({rows_n:,} rows, {path.stat().st_size / 1024:,.0f} KiB), first call",
            f"usua {cold['usua'] * 1e3:.1f} ms vs polars {cold['polars'] * 1e3:.1f} ms = {ratio_cold:.2f}x",
            "",
            None,
        ),
        Row(
            "load",
            f"'{table}', repeated calls (best of 15)",
            f"usua {warm_usua * 1e3:.1f} ms vs polars {warm_pl * 1e3:.1f} ms = {ratio_warm:.2f}x",
            f"<= {TARGET_LOAD_RATIO}x",
            ratio_warm <= TARGET_LOAD_RATIO,
        ),
    ]


def import_time(repeat: int = 15) -> list[Row]:
    def fresh(code: str) -> float:
        times = []
        for _ in range(repeat):
            out = subprocess.run(
                [sys.executable, "-c", f"import time; t=time.perf_counter(); {code}; print(time.perf_counter()-t)"],
                capture_output=True,
                text=True,
                cwd=ROOT,
                check=True,
            )
            times.append(float(out.stdout))
        return min(times)

    t_usua = fresh("import usua")
    t_models = fresh("import usua.models")
    walls = {}
    for code in ("pass", "import usua"):
        times = []
        for _ in range(repeat):
            t = time.perf_counter()
            subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
            times.append(time.perf_counter() - t)
        walls[code] = min(times)
    return [
        Row(
            "import",
            "import usua (fresh interpreter, best of 15)",
            f"{t_usua * 1e3:.1f} ms",
            f"< {TARGET_IMPORT_MS} ms",
            t_usua * 1e3 < TARGET_IMPORT_MS,
        ),
        Row(
            "import",
            "  whole process: python -c 'import usua' vs python -c 'pass'",
            f"{walls['import usua'] * 1e3:.0f} ms vs {walls['pass'] * 1e3:.0f} ms",
        ),
        Row("import", "  for comparison: import usua.models (pydantic)", f"{t_models * 1e3:.1f} ms"),
    ]


def sizes(release: Path) -> list[Row]:
    manifest = json.loads((release / "manifest.json").read_text())
    rows: list[Row] = []
    tot_pq = tot_js = 0
    for table, meta in manifest["tables"].items():
        pq = release / "parquet" / f"{table}.parquet"
        js = release / "json" / f"{table}.json"
        if not pq.exists() or not js.exists():
            continue
        a, b = pq.stat().st_size, js.stat().st_size
        tot_pq += a
        tot_js += b
        if meta["rows"] >= 1000:  # tiny tables are mostly Parquet footer; their ratio says nothing
            rows.append(
                Row(
                    "size",
                    f"  {table} ({meta['rows']:,} rows)",
                    f"{a / 1024:,.0f} KiB vs {b / 1024:,.0f} KiB JSON = 1/{b / a:.1f}",
                    "<= 1/5",
                    a <= b * TARGET_SIZE_RATIO,
                )
            )
    rows.insert(
        0,
        Row(
            "size",
            f"all tables, Parquet vs JSON ({release.parent.parent.name if 'corpus' in str(release) else release.name})",
            f"{tot_pq / 1024:,.0f} KiB vs {tot_js / 1024:,.0f} KiB = 1/{tot_js / max(tot_pq, 1):.1f}",
            "<= 1/5",
            tot_pq <= tot_js * TARGET_SIZE_RATIO,
        ),
    )
    return rows


def run(release: Path | None = None, table: str | None = None) -> list[Row]:
    release = release or default_release()
    if release is None:
        return [Row("load", "no release to read", "build one first (bench_build.py)")] + import_time()
    table = table or biggest_table(release)
    rows = load_ratio(release, table) + import_time() + sizes(release)
    bundled = ROOT / "usua" / "_release"
    if (bundled / "manifest.json").exists() and bundled.resolve() != release.resolve():
        real = sizes(bundled)[0]  # the curated release: small tables, where fixed per-file overhead shows
        real.metric = "the bundled (curated) release, Parquet vs JSON"
        rows.append(real)
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--release", type=Path)
    ap.add_argument("--table")
    args = ap.parse_args()
    print_rows(run(args.release, args.table))


if __name__ == "__main__":
    main()
