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

from usua.version import DATASET_VERSION, SCHEMA_VERSION, __version__

ROOT = Path(__file__).resolve().parent.parent
# The one committed copy of the release, which the wheel bundles as usua/_release.
BUNDLE = ROOT / "dataset" / "releases" / DATASET_VERSION
# The pinned uv the Makefile installs (README's set-up), never whatever `uv` is on PATH.
UV = ROOT / ".tools" / "bin" / "uv"

pytestmark = pytest.mark.slow


def pinned_uv() -> str:
    if not UV.is_file():
        pytest.fail(f"{UV.relative_to(ROOT)} is missing: run `make test`, which installs the pinned uv first")
    return str(UV)


def build_wheel(out: Path) -> Path:
    """The checkout's wheel, built by the pinned uv into ``out``."""
    proc = subprocess.run(
        [pinned_uv(), "build", "--wheel", "--out-dir", str(out), str(ROOT)], capture_output=True, text=True, timeout=300
    )
    if proc.returncode != 0 and "network" in proc.stderr.lower():
        pytest.skip(f"cannot fetch the build backend offline: {proc.stderr.strip().splitlines()[-1]}")
    assert proc.returncode == 0, proc.stderr
    (path,) = out.glob("usua-*.whl")
    return path


def install_wheel(wheel: Path, target: Path) -> Path:
    """The wheel installed (without its dependencies) into the folder ``target``, by the pinned uv."""
    subprocess.run(
        [pinned_uv(), "pip", "install", "--no-deps", "--target", str(target), str(wheel)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return target


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    return build_wheel(tmp_path_factory.mktemp("dist"))


def test_wheel_holds_only_the_package(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    tops = {n.split("/", 1)[0] for n in names}
    assert tops == {"usua", f"usua-{__version__}.dist-info"}
    assert {"usua/__init__.py", "usua/loading.py", "usua/downloading.py"} <= set(names)
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]


def test_wheel_bundles_the_release(wheel):
    z = zipfile.ZipFile(wheel)
    assert z.read("usua/_release/manifest.json") == (BUNDLE / "manifest.json").read_bytes()
    manifest = json.loads(z.read("usua/_release/manifest.json"))
    assert manifest["dataset_version"] == DATASET_VERSION
    for rel, meta in manifest["files"].items():
        assert hashlib.sha256(z.read(f"usua/_release/{rel}")).hexdigest() == meta["sha256"], rel
    bundled = {n.removeprefix("usua/_release/") for n in z.namelist() if n.startswith("usua/_release/")}
    assert bundled == {*manifest["files"], "manifest.json"}  # the whole release, nothing else


def test_wheel_ships_the_published_schema(wheel):
    """usua/_schema holds the committed schema files byte for byte: the validator's screen reads them
    instead of generating the schema from the models."""
    z = zipfile.ZipFile(wheel)
    published = sorted((ROOT / "schema" / f"v{SCHEMA_VERSION.split('.')[0]}").glob("*.schema.json"))
    assert published
    for path in published:
        assert z.read(f"usua/_schema/{path.name}") == path.read_bytes(), path.name


def test_installed_wheel_imports_and_loads(wheel, tmp_path):
    target = install_wheel(wheel, tmp_path / "site")
    # uv also leaves its .lock file and a bin/ folder for the console script next to site-packages content
    assert {p.name for p in target.iterdir()} - {"bin", ".lock"} == {"usua", f"usua-{__version__}.dist-info"}
    code = (
        "import json, usua\n"
        "from usua import loading\n"
        "from usua.schema import published_dir, published_schema\n"
        "found = loading.bundled_release()\n"
        "out = {'file': usua.__file__, 'bundled': found and str(found.path), 'events': usua.load('events').height,\n"
        "       'schema': str(published_dir()), 'title': published_schema('event')['title']}\n"
        "print(json.dumps(out))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(target)}
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=tmp_path, env=env, check=True
    )
    out = json.loads(proc.stdout)
    assert Path(out["file"]).is_relative_to(target)  # the installed copy, not the checkout
    assert Path(out["bundled"]) == target / "usua" / "_release"  # not the checkout's release
    assert Path(out["schema"]) == target / "usua" / "_schema" and out["title"] == "Event"  # read from the file
    assert out["events"] == json.loads((BUNDLE / "manifest.json").read_text())["tables"]["events"]["rows"]


def test_a_bundled_release_is_packaged_whole(tmp_path):
    """Build from a copy of the project with a test release as its dataset/releases/<DATASET_VERSION>:
    every file of it must reach the wheel's usua/_release (no ignore rule or include pattern may drop
    Parquet or JSON files), and a usua/_release left over in the checkout must not."""
    from tests.release_fixture import write_release

    uv = pinned_uv()
    src = tmp_path / "src"
    shutil.copytree(ROOT / "usua", src / "usua", ignore=shutil.ignore_patterns("__pycache__", "_release"))
    for name in ("pyproject.toml", "hatch_build.py", "README.md", ".gitignore", "LICENSE"):
        if (ROOT / name).is_file():
            shutil.copy(ROOT / name, src / name)
    shutil.copytree(ROOT / "schema", src / "schema")
    release = write_release(src / "dataset" / "releases" / DATASET_VERSION, "0.9.0")
    (src / "usua" / "_release").mkdir()
    (src / "usua" / "_release" / "stale.txt").write_text("left over from an old checkout\n")
    proc = subprocess.run(
        [uv, "build", "--wheel", "--out-dir", str(tmp_path / "dist"), str(src)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    (whl,) = (tmp_path / "dist").glob("*.whl")
    z = zipfile.ZipFile(whl)
    manifest = json.loads((release / "manifest.json").read_text())
    for rel, meta in manifest["files"].items():
        assert hashlib.sha256(z.read(f"usua/_release/{rel}")).hexdigest() == meta["sha256"], rel
    assert "usua/_release/stale.txt" not in z.namelist()


def test_a_wheel_without_its_release_is_refused(tmp_path):
    """A checkout missing dataset/releases/<DATASET_VERSION> cannot make a wheel without its data."""
    src = tmp_path / "src"
    shutil.copytree(ROOT / "usua", src / "usua", ignore=shutil.ignore_patterns("__pycache__", "_release"))
    for name in ("pyproject.toml", "hatch_build.py", "README.md", "LICENSE"):
        shutil.copy(ROOT / name, src / name)
    proc = subprocess.run(
        [pinned_uv(), "build", "--wheel", "--out-dir", str(tmp_path / "dist"), str(src)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode != 0
    assert f"dataset/releases/{DATASET_VERSION} has no manifest.json" in proc.stderr, proc.stderr
