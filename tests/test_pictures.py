"""The README's pictures and the bundled redistributable texts are those the current release gives
(refresh both with `make docs`), and an install without a checkout can plot and build the explorer."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.test_wheel import build_wheel, install_wheel

ROOT = Path(__file__).resolve().parents[1]


def _generate(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(ROOT / "docs" / "generate.py"), *args],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
    )


def test_readme_pictures_and_bundled_texts_are_current():
    r = _generate("--check")
    assert r.returncode == 0, f"{r.stdout}{r.stderr}"


def test_the_check_notices_a_stale_picture(tmp_path, monkeypatch):
    sys.path.insert(0, str(ROOT / "docs"))
    try:
        import generate
    finally:
        sys.path.remove(str(ROOT / "docs"))
    img = tmp_path / "img"
    img.mkdir()
    for svg in (ROOT / "docs" / "img").glob("*.svg"):
        shutil.copy(svg, img / svg.name)
    monkeypatch.setattr(generate, "IMG", img)
    assert generate.check() == []
    (img / "network.svg").write_text(
        (img / "network.svg").read_text().replace("usua-spec-sha256: ", "usua-spec-sha256: 0")
    )
    assert generate.check() == ["docs/img/network.svg was not drawn from the current release"]


def test_readme_shows_the_three_pictures():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in ("timeline", "network", "lifecycle"):
        assert f"(docs/img/{name}.svg)" in readme


@pytest.mark.slow
def test_plot_and_site_work_from_an_installed_wheel_outside_a_checkout(tmp_path):
    wheel = build_wheel(tmp_path / "dist")
    names = zipfile.ZipFile(wheel).namelist()
    assert {"usua/site/templates/base.html", "usua/site/static/site.css", "usua/site/static/search.js"} <= set(names)
    assert any(n.startswith("usua/_texts/") and n.endswith(".txt") for n in names)
    target = install_wheel(wheel, tmp_path / "installed")
    away = tmp_path / "elsewhere"  # not inside a checkout: no dataset/sources to fall back on
    away.mkdir()
    env = {
        "PYTHONPATH": str(target),
        "PATH": "/usr/bin:/bin",
        "USUA_BASE_URL": "http://127.0.0.1:9",
        "USUA_CACHE_DIR": str(tmp_path / "cache"),
        "HOME": str(tmp_path),
    }
    code = (
        "import sys, usua; assert usua.__file__.startswith(sys.argv[1]), usua.__file__; "
        "from usua.cli import main; sys.argv = ['usua'] + sys.argv[2:]; main()"
    )
    for args in (["plot", "timeline", "--out", "t.svg"], ["site", "--out", "site"]):
        r = subprocess.run(
            [sys.executable, "-c", code, str(target), *args],
            cwd=away,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert r.returncode == 0, r.stderr
    assert (away / "t.svg").read_text().startswith("<svg")
    import usua

    shown = usua.load("documents").filter(redistributable=True).height
    assert f"full texts shown for {shown} redistributable" in r.stdout
    page = (away / "site" / "documents" / "dod-2021-austin-zelenskyy-pentagon.html").read_text()
    assert '<div class="context full">' in page
