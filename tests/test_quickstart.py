"""The README quickstart, run as written: against the test release and, once built, the bundled one."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest

from tests.release_fixture import write_release
from usua import loading, release_folder

ROOT = Path(__file__).resolve().parents[1]


def _readme_quickstart() -> str:
    """The first python block after the README's Quickstart heading: the test runs what users read."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index("## Quickstart") :]
    start = section.index("```python\n") + len("```python\n")
    return section[start : section.index("```", start)]


QUICKSTART = _readme_quickstart()


def _run() -> tuple[dict, str]:
    scope: dict = {}
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(QUICKSTART, "quickstart", "exec"), scope)
    return scope, out.getvalue()


def test_quickstart_on_the_test_release(tmp_path, monkeypatch):
    monkeypatch.setattr(release_folder, "BUNDLED_DIR", write_release(tmp_path / "_release", "0.9.0"))
    loading.clear_caches()
    scope, out = _run()
    loading.clear_caches()
    assert out.startswith("0.9.0 3 events")
    assert scope["who"].rows() == [
        ("2021-08-31", "Austin hosts Zelenskyy at the Pentagon", "Lloyd J. Austin III", "host"),
        ("2022-05-13", "Austin speaks with Reznikov", "Lloyd J. Austin III", "initiator"),
        ("2022-05-13", "Austin speaks with Reznikov", "Oleksii Reznikov", "recipient"),
    ]
    assert "phone_call" in out and "consultations" in out


def test_quickstart_needs_nothing_beyond_a_plain_install(tmp_path, monkeypatch):
    """`pip install usua` has no DuckDB (an optional extra): the quickstart must run without it."""
    import sys

    monkeypatch.setitem(sys.modules, "duckdb", None)  # makes `import duckdb` fail, as on a plain install
    monkeypatch.setattr(release_folder, "BUNDLED_DIR", write_release(tmp_path / "_release", "0.9.0"))
    loading.clear_caches()
    try:
        _, out = _run()
    finally:
        loading.clear_caches()
    assert out.startswith("0.9.0 3 events") and "phone_call" in out


def test_quickstart_on_the_bundled_release():
    if loading.bundled_release() is None:
        pytest.skip("usua/_release does not exist yet (run the build)")
    loading.clear_caches()
    scope, out = _run()
    events, who = scope["events"], scope["who"]
    assert events.height > 0 and out.startswith(loading.bundled_release().version)
    day_titles = set(events.filter(events["date_precision"] == "day")["title"].to_list())
    assert set(who["title"].to_list()) <= day_titles


def test_a_checkout_reads_its_committed_release_as_the_bundled_one(tmp_path):
    """The release is committed once (dataset/releases/<version>); a checkout reads it in place of the
    usua/_release that only a wheel holds."""
    from usua.version import DATASET_VERSION

    root = Path(__file__).resolve().parents[1]
    assert release_folder.BUNDLED_DIR == root / "dataset" / "releases" / DATASET_VERSION
    assert loading.bundled_release().version == DATASET_VERSION
    # the rule itself, on a made-up checkout and a made-up installation
    package, committed = tmp_path / "usua", tmp_path / "dataset" / "releases" / DATASET_VERSION
    package.mkdir()
    committed.mkdir(parents=True)
    assert release_folder.bundled_dir(package) == package / "_release"  # no pyproject.toml: not a checkout
    (tmp_path / "pyproject.toml").write_text("")
    assert release_folder.bundled_dir(package) == committed
    (package / "_release").mkdir()  # a leftover copy of an older layout may be stale: the checkout's wins
    assert release_folder.bundled_dir(package) == committed
    (tmp_path / "pyproject.toml").unlink()  # an installed wheel (no checkout around it) reads its copy
    assert release_folder.bundled_dir(package) == package / "_release"
