"""The build keeps usua/release-registry.txt (published manifest hashes) in step with the releases."""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import builders.release as rel
from builders.changes import previous_release
from builders.errors import BuildError
from builders.registry import release_hashes, stale_registry
from builders.release import build_release
from tests.test_build import sample_curated, write_sample_checkout
from usua.release_folder import version_key
from usua.release_registry import format_registry, read_registry


@pytest.fixture
def checkout(tmp_path, monkeypatch) -> Path:
    root = write_sample_checkout(tmp_path / "repo")
    monkeypatch.setattr(rel, "load_curation", lambda root, *_: sample_curated())
    return root


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_build_adds_the_line_of_the_version_it_builds_and_check_catches_a_stale_one(checkout):
    registry = checkout / "usua" / "release-registry.txt"
    build_release(checkout, version="1.0.0")
    assert read_registry(registry) == {"1.0.0": _sha(checkout / "dataset/releases/1.0.0/manifest.json")}
    assert build_release(checkout, version="1.0.0", check=True).checked

    registry.write_text(registry.read_text().replace(read_registry(registry)["1.0.0"], "0" * 64))
    with pytest.raises(BuildError) as err:
        build_release(checkout, version="1.0.0", check=True)
    assert err.value.problems == [
        f"release-registry.txt: release 1.0.0 is pinned to manifest sha256 {'0' * 64}, "
        f"but its manifest has {_sha(checkout / 'dataset/releases/1.0.0/manifest.json')}"
    ]
    registry.unlink()
    with pytest.raises(BuildError) as err:
        build_release(checkout, version="1.0.0", check=True)
    assert err.value.problems[0].startswith("release-registry.txt: has no line for release 1.0.0")


def test_a_new_release_adds_its_line_and_keeps_the_published_ones(checkout):
    registry = checkout / "usua" / "release-registry.txt"
    build_release(checkout, version="1.0.0")
    first = read_registry(registry)["1.0.0"]
    # a version published long ago whose folder is no longer in the checkout keeps its line too
    registry.write_text(registry.read_text() + f"0.5.0/manifest.json {'e' * 64}\n")
    summary = build_release(checkout, version="1.1.0")
    assert read_registry(registry) == {
        "0.5.0": "e" * 64,
        "1.0.0": first,
        "1.1.0": _sha(checkout / "dataset/releases/1.1.0/manifest.json"),
    }
    assert [line.split("/")[0] for line in registry.read_text().splitlines() if not line.startswith("#")] == [
        "0.5.0",
        "1.0.0",
        "1.1.0",
    ]
    assert summary.notes == []
    assert stale_registry(registry, release_hashes(checkout / "dataset" / "releases")) == []


def test_rebuilding_a_built_but_uncommitted_version_with_other_data_says_so(checkout, monkeypatch):
    build_release(checkout, version="1.0.0")
    changed = sample_curated()
    changed.records["events"][0] = changed.records["events"][0].model_copy(update={"title": "Another title"})
    monkeypatch.setattr(rel, "load_curation", lambda root, *_: changed)
    summary = build_release(checkout, version="1.0.0")
    assert any("release 1.0.0's manifest changed" in n and "raise DATASET_VERSION" in n for n in summary.notes)
    registry = checkout / "usua" / "release-registry.txt"
    assert read_registry(registry)["1.0.0"] == _sha(checkout / "dataset/releases/1.0.0/manifest.json")


def test_a_build_never_overwrites_a_published_release_in_place(checkout, monkeypatch):
    build_release(checkout, version="1.0.0")
    # published: pinned in the registry and committed (a release only built so far may be rebuilt)
    git = ["git", "-C", str(checkout), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "dataset/releases/1.0.0"], check=True)
    subprocess.run([*git, "commit", "-qm", "release 1.0.0"], check=True)
    published = checkout / "dataset/releases/1.0.0/manifest.json"
    before = _sha(published)
    changed = sample_curated()
    changed.records["events"][0] = changed.records["events"][0].model_copy(update={"title": "Another title"})
    monkeypatch.setattr(rel, "load_curation", lambda root, *_: changed)
    with pytest.raises(BuildError) as err:
        build_release(checkout, version="1.0.0")
    assert "release 1.0.0 is published" in str(err.value) and "raise DATASET_VERSION" in str(err.value)
    assert _sha(published) == before  # the published folder is untouched
    registry = checkout / "usua" / "release-registry.txt"
    assert read_registry(registry)["1.0.0"] == before
    # the same inputs under a new version are a new release beside it
    build_release(checkout, version="1.0.1")
    assert _sha(published) == before and (checkout / "dataset/releases/1.0.1/manifest.json").is_file()


def test_the_committed_registry_pins_every_committed_release():
    root = Path(__file__).resolve().parents[1]
    pins = read_registry(root / "usua" / "release-registry.txt")
    for folder in sorted((root / "dataset" / "releases").iterdir()):
        if (folder / "manifest.json").is_file():
            assert pins.get(folder.name) == _sha(folder / "manifest.json"), folder.name


_PART = st.integers(min_value=0, max_value=10**6)
_TAG = st.from_regex(r"\A[0-9A-Za-z.]{1,8}\Z")


@given(st.lists(st.tuples(_PART, _PART, _PART, st.none() | _TAG), min_size=1, max_size=8))
def test_releases_order_by_their_numbers_not_their_text(versions):
    # one ordering for the registry, the releases folder, the released-ids check and the downloader
    names = [f"{a}.{b}.{c}" + (f"-{tag}" if tag else "") for a, b, c, tag in versions]
    assert [version_key(n) for n in names] == [(a, b, c) for a, b, c, _ in versions]
    registry = format_registry(dict.fromkeys(names, "0" * 64))
    assert list(read_registry_text(registry)) == sorted(set(names), key=lambda n: (version_key(n), n))


@pytest.mark.parametrize("name", ["", "1.2", "1.2.3.4", "v1.2.3", "1.2.x", ".1.2.3", "1.2.3-", "latest"])
def test_a_name_that_is_not_a_release_version_has_no_key(name):
    assert version_key(name) is None


def read_registry_text(text: str) -> dict[str, str]:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "release-registry.txt"
        path.write_text(text)
        return read_registry(path)


def test_a_pre_release_build_compares_with_the_release_before_it(tmp_path):
    for name in ("1.3.0", "1.4.0", "1.5.0", "notes"):
        (tmp_path / name).mkdir()
    assert previous_release(tmp_path, "1.5.0-rc.1") == tmp_path / "1.4.0"
    assert previous_release(tmp_path, "1.5.1") == tmp_path / "1.5.0"
