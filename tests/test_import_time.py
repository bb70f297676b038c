"""`import usua` stays light: the heavy libraries load only when data is first touched."""

from __future__ import annotations

import json
import re
import subprocess
import sys

HEAVY = ["polars", "pyarrow", "pydantic", "pooch", "requests", "duckdb", "typer", "rich", "yaml", "jsonschema"]


def _run(code: str, *flags: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *flags, "-c", code], capture_output=True, text=True, timeout=60, check=True)


def test_import_usua_loads_no_heavy_library():
    out = _run(f"import sys, json, usua; print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))")
    assert json.loads(out.stdout) == []


def test_public_names_resolve_without_loading_data_libraries():
    # Getting the functions imports only the small loading modules; polars waits for the first load.
    out = _run(
        "import sys, usua; fs = [usua.load, usua.scan, usua.download, usua.info]; "
        "print(all(map(callable, fs)), 'polars' in sys.modules, usua.UsuaError.__mro__[1].__name__)"
    )
    assert out.stdout.split() == ["True", "False", "ValueError"]


def test_import_time_is_small():
    # -X importtime reports cumulative microseconds per module on stderr; take the best of three runs
    # so a busy machine does not fail the test.
    best = min(
        int(re.search(r"\|\s*(\d+)\s*\|\s*usua$", _run("import usua", "-X", "importtime").stderr, re.M).group(1))
        for _ in range(3)
    )
    assert best < 100_000, f"import usua took {best} us"
