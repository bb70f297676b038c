"""What the benchmark scripts share: timing, child processes with peak memory, result rows."""

from __future__ import annotations

import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # the builders package lives in the checkout, not in the wheel
    sys.path.insert(0, str(ROOT))

DEFAULT_WORK = Path(os.environ.get("USUA_BENCH_DIR") or Path(tempfile.gettempdir()) / "usua-bench")


@dataclass
class Row:
    """One measured figure, with its target when the figure has one."""

    area: str
    metric: str
    value: str
    target: str = ""
    met: bool | None = None


def timed(fn, *args, **kwargs):
    t = time.perf_counter()
    out = fn(*args, **kwargs)
    return out, time.perf_counter() - t


def best_of(fn, repeat: int = 5) -> float:
    """Fastest of ``repeat`` runs: the least disturbed by other work on the machine."""
    times = []
    for _ in range(repeat):
        _, t = timed(fn)
        times.append(t)
    return min(times)


def run_child(code: str, *, timeout: float | None = None, cwd: Path | None = None) -> dict:
    """Run Python ``code`` in a fresh interpreter; it must print one JSON object as its last line.
    Adds the child's wall time and peak resident memory (MiB)."""
    wrapper = (
        "import json, resource, sys, time\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        "_t0 = time.perf_counter()\n"
        f"{code}\n"
        "_out = dict(result)\n"
        "_out['wall_s'] = time.perf_counter() - _t0\n"
        "_out['peak_rss_mib'] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024\n"
        "print(json.dumps(_out))\n"
    )
    proc = subprocess.run([sys.executable, "-c", wrapper], capture_output=True, text=True, timeout=timeout, cwd=cwd)
    if proc.returncode != 0:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-5:]
        return {"error": " | ".join(tail) or f"exit {proc.returncode}"}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def machine() -> dict[str, str]:
    from importlib.metadata import version

    mem = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    cpu = platform.processor()
    try:
        cpu = next(
            l.split(":", 1)[1].strip()
            for l in Path("/proc/cpuinfo").read_text().splitlines()
            if l.startswith("model name")
        )
    except (OSError, StopIteration):
        pass
    libs = {
        name: version(name)
        for name in (
            "pydantic",
            "pydantic-core",
            "polars",
            "pyarrow",
            "jsonschema",
            "jsonschema-rs",
            "msgspec",
            "pyyaml",
            "duckdb",
        )
    }
    return {
        "cpu": f"{cpu}, {os.cpu_count()} cores",
        "ram": mem,
        "python": platform.python_version(),
        "os": platform.platform(terse=True),
        **libs,
    }


def print_rows(rows: list[Row]) -> None:
    widths = [max(len(getattr(r, f)) for r in rows) for f in ("area", "metric", "value", "target")]
    header = ("area", "metric", "value", "target")
    widths = [max(w, len(h)) for w, h in zip(widths, header)]
    fmt = "  ".join(f"{{:<{w}}}" for w in widths) + "  {}"
    print(fmt.format(*header, "met"))
    print(fmt.format(*("-" * w for w in widths), "---"))
    for r in rows:
        met = "" if r.met is None else ("yes" if r.met else "NO")
        print(fmt.format(r.area, r.metric, r.value, r.target, met))


def mib(n_bytes: int) -> str:
    return f"{n_bytes / 1024 / 1024:.1f} MiB"


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
