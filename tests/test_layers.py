"""The layers keep their rules: the models import nothing of the package but themselves and its version,
the downloader does not import the loader, and the build does not import the user-facing reader."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _imported_after(statement: str) -> set[str]:
    code = f"import json, sys\n{statement}\nprint(json.dumps(sorted(m for m in sys.modules if m.startswith('usua'))))"
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    return set(json.loads(run.stdout))


def test_models_import_nothing_of_the_package():
    extra = {m for m in _imported_after("import usua.models") if not m.startswith("usua.models")}
    assert extra <= {"usua", "usua.version"}, extra


def test_the_downloader_does_not_import_the_loader():
    assert "usua.loading" not in _imported_after("import usua.downloading")


def test_the_build_does_not_import_the_reader():
    seen = _imported_after("import builders.release, builders.write_tables, builders.registry, builders.manifest")
    assert not seen & {"usua.loading", "usua.downloading", "usua.export", "usua.sql", "usua.cli"}, seen
