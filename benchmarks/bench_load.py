"""Loading: ``usua.load`` against ``polars.read_parquet`` on the same file, ``import usua`` time, and
Parquet size against JSON size per table.

    python benchmarks/bench_load.py [--release DIR] [--table mentions]

Without --release the largest synthetic release built by bench_build.py is used, else the bundled one.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import DEFAULT_WORK, ROOT, Row, best_of, print_rows

TARGET_LOAD_RATIO = 1.2
TARGET_FIRST_LOAD_RATIO = 1.1
TARGET_IMPORT_MS = 150
TARGET_COMMAND_MS = 150
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


def _first_calls(release: Path, table: str, path: Path, runs: int) -> dict[str, list[float]]:
    """Wall time of the first call in a fresh interpreter (polars already imported in both), interleaved."""
    calls = {
        "polars": f"pl.read_parquet({str(path)!r})",
        # the first usua.load of a process: usua's loading modules, the manifest, the size check, the read
        "usua": f"usua.load({table!r}, release_dir={str(release)!r})",
        "usua, verify=True": f"usua.load({table!r}, release_dir={str(release)!r}, verify=True)",
        # what usua adds to polars' read, alone: a read of 100+ ms swings by more than it between runs
        "usua before the read": f"usua.loading.release(None, {str(release)!r}).table_file({table!r})",
    }
    times: dict[str, list[float]] = {name: [] for name in calls}
    with tempfile.TemporaryDirectory() as tmp:
        env = _with_bytecode(Path(tmp))
        for i in range(runs + 1):  # the first round writes the bytecode and is not counted
            for name, call in calls.items():
                code = f"import time, polars as pl, usua, usua.loading\nt = time.perf_counter()\ndf = {call}\nprint(time.perf_counter() - t)"
                proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
                if proc.returncode != 0:
                    raise RuntimeError(f"{name}: {proc.stderr.strip()[-150:]}")
                if i:
                    times[name].append(float(proc.stdout.split()[-1]))
    return times


def load_ratio(release: Path, table: str, runs: int = 9) -> list[Row]:
    path = release / "parquet" / f"{table}.parquet"
    rows_n = json.loads((release / "manifest.json").read_text())["tables"][table]["rows"]
    try:
        cold = _first_calls(release, table, path, runs)
    except RuntimeError as e:
        return [Row("load", f"usua.load({table!r})", f"FAILED: {e}")]
    import polars as pl

    import usua

    usua.load(table, release_dir=release)
    warm_pl = best_of(lambda: pl.read_parquet(path), 15)
    warm_usua = best_of(lambda: usua.load(table, release_dir=release), 15)
    best = {name: min(t) for name, t in cold.items()}
    ratio_cold, ratio_verify = best["usua"] / best["polars"], best["usua, verify=True"] / best["polars"]
    ratio_warm = warm_usua / warm_pl

    def figure(name: str) -> str:
        return f"min {best[name] * 1e3:.1f} ms, median {statistics.median(cold[name]) * 1e3:.1f} ms"

    return [
        Row(
            "load",
            f"'{table}' ({rows_n:,} rows, {path.stat().st_size / 1024:,.0f} KiB), first call in a fresh process, "
            f"{runs} interleaved runs",
            f"usua {figure('usua')}; polars {figure('polars')}; ratio of minima {ratio_cold:.2f}x",
            f"<= {TARGET_FIRST_LOAD_RATIO}x",
            ratio_cold <= TARGET_FIRST_LOAD_RATIO,
        ),
        Row(
            "load",
            "  same, load(..., verify=True) (the file's sha256 compared too)",
            f"{figure('usua, verify=True')}; {ratio_verify:.2f}x polars",
        ),
        Row(
            "load",
            "  of which usua's own work before the read (manifest, size check), timed alone",
            f"{figure('usua before the read')}: polars min + this = "
            f"{(best['polars'] + best['usua before the read']) / best['polars']:.2f}x polars",
        ),
        Row(
            "load",
            f"'{table}', repeated calls (best of 15)",
            f"usua {warm_usua * 1e3:.1f} ms vs polars {warm_pl * 1e3:.1f} ms = {ratio_warm:.2f}x",
            f"<= {TARGET_LOAD_RATIO}x",
            ratio_warm <= TARGET_LOAD_RATIO,
        ),
    ]


def _wall(argv: list[str], cwd: Path, env: dict[str, str]) -> float:
    t = time.perf_counter()
    subprocess.run(argv, cwd=cwd, env=env, capture_output=True, check=False)
    return time.perf_counter() - t


def _with_bytecode(folder: Path) -> dict[str, str]:
    """An environment where Python keeps compiled bytecode (in ``folder``, not beside the sources), as
    an installed package has it: without it every start-up compiles every module it imports."""
    env = {**os.environ, "PYTHONPYCACHEPREFIX": str(folder)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def import_time(runs: int = 7) -> list[Row]:
    """Start-up: ``import usua``, `usua --help` and `usua validate` on a small valid file, each as the
    whole wall time of a fresh process (bytecode compiled, as installed), interleaved with ``python -c
    pass`` (the interpreter's own start) and ``import pydantic.main`` (the floor of anything that
    validates with the models)."""
    exe = str(Path(sys.executable).with_name("usua"))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)  # outside any checkout
        (folder / "release" / "records").mkdir(parents=True)
        # a small valid file: a document and a record citing it (an error would be explained by the models)
        (folder / "small.jsonl").write_text(
            '{"schema_version": "1.0.0"}\n'
            '{"document": {"id": "doc:a", "title": "A meeting", "language": "en", "kind": "news_article", '
            '"published": {"value": "2022-05-13", "method": "stated"}, "path": "a.txt", '
            '"sha256": "84b191931dcc53439a41a25307a76dc063ee7f08bdc37a74bb0248e79444030e", "rights": {"redistributable": true}}}\n'
            '{"entity": {"id": "ent:nato", "kind": "organization", "name": "NATO", '
            '"evidence": [{"document": "doc:a", "quote": "NATO allies met"}]}}\n',
            encoding="utf-8",
        )
        commands = {
            "python -c pass": [sys.executable, "-c", "pass"],
            "python -c 'import usua'": [sys.executable, "-c", "import usua"],
            "python -c 'import pydantic.main'": [sys.executable, "-c", "import pydantic.main"],
            "usua --help": [exe, "--help"],
            "usua validate (small valid file)": [exe, "validate", "small.jsonl", "--release", "release"],
        }
        env = _with_bytecode(folder / "pycache")
        times: dict[str, list[float]] = {name: [] for name in commands}
        for argv in commands.values():  # a first run writes the bytecode
            _wall(argv, folder, env)
        for _ in range(runs):
            for name, argv in commands.items():
                times[name].append(_wall(argv, folder, env))
    best = {name: min(t) for name, t in times.items()}
    base = best["python -c pass"]

    def figure(name: str) -> str:
        median = statistics.median(times[name])
        return f"min {best[name] * 1e3:.0f} ms, median {median * 1e3:.0f} ms ({best[name] / base:.1f}x python -c pass)"

    rows = [Row("import", f"whole process, {runs} interleaved runs: python -c pass", figure("python -c pass"))]
    for name, target in (
        ("python -c 'import usua'", TARGET_IMPORT_MS),
        ("usua --help", TARGET_COMMAND_MS),
        ("usua validate (small valid file)", TARGET_COMMAND_MS),
        ("python -c 'import pydantic.main'", None),
    ):
        rows.append(
            Row(
                "import",
                f"  {name}",
                figure(name),
                f"< {target} ms" if target else "",
                best[name] * 1e3 < target if target else None,
            )
        )
    return rows


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
    if not tot_js:  # a compact release has no JSON copies (bench_build.py reports its size)
        return [Row("size", f"all tables, Parquet vs JSON ({release.name})", "no JSON copies: a compact release")]
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
