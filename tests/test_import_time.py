"""`import usua` and the quick commands stay light: which libraries they load (the time it takes is for benchmarks/bench_load.py)."""

from __future__ import annotations

import json
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


def _third_party_after(code: str) -> set[str]:
    """Top-level modules outside the standard library (and usua) loaded by running ``code``."""
    out = _run(
        "import sys\n"
        f"{code}\n"
        "import json\n"
        "names = {m.split('.')[0] for m in sys.modules} - set(sys.stdlib_module_names) - {'usua', '__main__'}\n"
        "print(json.dumps(sorted(n for n in names if not n.startswith('_'))), file=sys.stderr)"
    )
    return set(json.loads(out.stderr.strip().splitlines()[-1]))


def test_import_usua_loads_only_the_standard_library():
    # what the start-up costs: a third-party import here would be paid by every script that imports usua
    assert _third_party_after("import usua") == set()


def test_usua_help_loads_neither_typer_nor_rich():
    # `usua --help` is answered from usua.cli.overview; typer and rich take most of a command's start-up
    loaded = _third_party_after(
        "import contextlib, io\n"
        "sys.argv = ['usua', '--help']\n"
        "from usua.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    main()"
    )
    assert loaded == set()


def test_usua_validate_loads_no_command_line_library(tmp_path):
    # a plain `usua validate` command line is read without typer; rich only colours a terminal
    path = tmp_path / "one.jsonl"
    path.write_text('{"schema_version": "1.0.0"}\n', encoding="utf-8")
    loaded = _third_party_after(
        "import contextlib, io\n"
        f"sys.argv = ['usua', 'validate', '--format', 'json', {str(path)!r}]\n"
        "from usua.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    try:\n"
        "        main()\n"
        "    except SystemExit:\n"
        "        pass"
    )
    assert not loaded & {"typer", "rich", "click", "polars", "pyarrow", "duckdb", "requests", "pooch"}
    assert "pydantic" in loaded  # (the models do the checking)
