"""The source distribution holds what its own tests read (they run from an unpacked sdist too)."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import tarfile
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow


def _uv() -> str:
    pinned = ROOT / ".tools" / "bin" / "uv"  # what `make test` installs (the README's set-up)
    found = str(pinned) if pinned.exists() else shutil.which("uv")
    if found is None:
        pytest.skip("uv is not installed: run the tests with `make test`, which installs the pinned uv")
    return found


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The sdist, and the wheel uv builds from that sdist (not from the checkout)."""
    out = tmp_path_factory.mktemp("sdist")
    proc = subprocess.run(
        [_uv(), "build", "--out-dir", str(out), str(ROOT)], capture_output=True, text=True, timeout=600
    )
    assert proc.returncode == 0, proc.stderr
    return out


@pytest.fixture(scope="module")
def sdist_names(built) -> set[str]:
    (path,) = built.glob("usua-*.tar.gz")
    with tarfile.open(path) as tar:
        return {name.split("/", 1)[1] for name in tar.getnames() if "/" in name}


def test_sdist_holds_every_repository_file_the_tests_read(sdist_names):
    read = set()
    for test in (ROOT / "tests").glob("*.py"):
        read |= {
            name
            for name in re.findall(r'(?:ROOT|REPO) / "([^"/]+)"', test.read_text(encoding="utf-8"))
            if (ROOT / name).is_file()
        }
    assert ".pre-commit-hooks.yaml" in read  # the file the sdist once missed, so its hook test failed
    assert read <= sdist_names, sorted(read - sdist_names)
    tests = {
        p.relative_to(ROOT).as_posix()
        for p in (ROOT / "tests").rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }
    assert tests <= sdist_names, sorted(tests - sdist_names)


def test_the_wheel_built_from_the_sdist_bundles_the_release(built, sdist_names):
    from usua.version import DATASET_VERSION

    assert {"hatch_build.py", f"dataset/releases/{DATASET_VERSION}/manifest.json"} <= sdist_names
    assert not [n for n in sdist_names if n.startswith("usua/_release/")]  # committed once, as dataset/releases
    (wheel,) = built.glob("usua-*.whl")
    z = zipfile.ZipFile(wheel)
    manifest = json.loads(z.read("usua/_release/manifest.json"))
    assert manifest["dataset_version"] == DATASET_VERSION
    for rel, meta in manifest["files"].items():
        assert hashlib.sha256(z.read(f"usua/_release/{rel}")).hexdigest() == meta["sha256"], rel
