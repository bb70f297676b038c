"""The built wheel holds the usua package (with its bundled release) and nothing else."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from usua.version import __version__

ROOT = Path(__file__).resolve().parent.parent
BUNDLE = ROOT / "usua" / "_release"
# The pinned uv the Makefile installs (README's set-up), never whatever `uv` is on PATH.
UV = ROOT / ".tools" / "bin" / "uv"

pytestmark = pytest.mark.slow


def pinned_uv() -> str:
    if not UV.is_file():
        pytest.fail(f"{UV.relative_to(ROOT)} is missing: run `make test`, which installs the pinned uv first")
    return str(UV)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    uv = pinned_uv()
    out = tmp_path_factory.mktemp("dist")
    proc = subprocess.run([uv, "build", "--wheel", "--out-dir", str(out), str(ROOT)],
                          capture_output=True, text=True, timeout=300)
    if proc.returncode != 0 and "network" in proc.stderr.lower():
        pytest.skip(f"cannot fetch the build backend offline: {proc.stderr.strip().splitlines()[-1]}")
    assert proc.returncode == 0, proc.stderr
    (path,) = out.glob("usua-*.whl")
    return path


def test_wheel_holds_only_the_package(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    tops = {n.split("/", 1)[0] for n in names}
    assert tops == {"usua", f"usua-{__version__}.dist-info"}
    assert {"usua/__init__.py", "usua/loading.py", "usua/downloading.py"} <= set(names)
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]


def test_wheel_bundles_the_release(wheel):
    if not (BUNDLE / "manifest.json").is_file():
        pytest.skip("usua/_release does not exist yet (run the build)")
    z = zipfile.ZipFile(wheel)
    manifest = json.loads(z.read("usua/_release/manifest.json"))
    for rel, meta in manifest["files"].items():
        assert hashlib.sha256(z.read(f"usua/_release/{rel}")).hexdigest() == meta["sha256"], rel


def test_installed_wheel_imports_and_loads(wheel, tmp_path):
    uv = pinned_uv()
    target = tmp_path / "site"
    subprocess.run([uv, "pip", "install", "--no-deps", "--target", str(target), str(wheel)],
                   capture_output=True, text=True, timeout=120, check=True)
    # uv also leaves its .lock file and a bin/ folder for the console script next to site-packages content
    assert {p.name for p in target.iterdir()} - {"bin", ".lock"} == {"usua", f"usua-{__version__}.dist-info"}
    code = (
        "import json, usua\n"
        "from usua import loading\n"
        "out = {'file': usua.__file__, 'bundled': loading.bundled_release() is not None}\n"
        "if out['bundled']:\n"
        "    out['events'] = usua.load('events').height\n"
        "print(json.dumps(out))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(target)}
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                          cwd=tmp_path, env=env, check=True)
    out = json.loads(proc.stdout)
    assert Path(out["file"]).is_relative_to(target)  # the installed copy, not the checkout
    assert out["bundled"] == (BUNDLE / "manifest.json").is_file()
    if out["bundled"]:
        assert out["events"] == json.loads((BUNDLE / "manifest.json").read_text())["tables"]["events"]["rows"]


def test_a_bundled_release_is_packaged_whole(tmp_path):
    """Build from a copy of the project with a test release in usua/_release: every file of it must
    reach the wheel (no ignore rule or include pattern may drop Parquet or JSON files)."""
    from tests.release_fixture import write_release

    uv = pinned_uv()
    src = tmp_path / "src"
    shutil.copytree(ROOT / "usua", src / "usua", ignore=shutil.ignore_patterns("__pycache__", "_release"))
    for name in ("pyproject.toml", "README.md", ".gitignore", "LICENSE"):
        if (ROOT / name).is_file():
            shutil.copy(ROOT / name, src / name)
    write_release(src / "usua" / "_release", "0.9.0")
    proc = subprocess.run([uv, "build", "--wheel", "--out-dir", str(tmp_path / "dist"), str(src)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    (whl,) = (tmp_path / "dist").glob("*.whl")
    z = zipfile.ZipFile(whl)
    manifest = json.loads((src / "usua" / "_release" / "manifest.json").read_text())
    for rel, meta in manifest["files"].items():
        assert hashlib.sha256(z.read(f"usua/_release/{rel}")).hexdigest() == meta["sha256"], rel
