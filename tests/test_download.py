"""Downloading releases from a real HTTP server on loopback: good, cached, tampered, truncated, missing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.release_fixture import ReleaseServer, write_release
from usua import loading
from usua.downloading import base_url, cache_dir, download
from usua.errors import UsuaError

VERSION = "0.9.0"


@pytest.fixture
def served(tmp_path, monkeypatch):
    """A server root holding release 0.9.0, an empty cache, and the server's URL as USUA_BASE_URL."""
    root = tmp_path / "server"
    write_release(root / VERSION, VERSION)
    monkeypatch.setenv("USUA_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(loading, "BUNDLED_DIR", tmp_path / "no-bundle")
    loading.clear_caches()
    server = ReleaseServer(root)
    monkeypatch.setenv("USUA_BASE_URL", server.url)
    yield root, server
    server.stop()
    loading.clear_caches()


def _manifest(root: Path) -> dict:
    return json.loads((root / VERSION / "manifest.json").read_text())


def test_settings_come_from_argument_then_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("USUA_BASE_URL", "https://mirror.example.org/usua/")
    assert base_url() == "https://mirror.example.org/usua"
    assert base_url("http://127.0.0.1:1") == "http://127.0.0.1:1"
    monkeypatch.setenv("USUA_CACHE_DIR", str(tmp_path / "c"))
    assert cache_dir() == tmp_path / "c"
    with pytest.raises(UsuaError, match="must start with http"):
        base_url("ftp://example.org")


def test_good_download_then_offline_from_cache(served):
    root, server = served
    path = download(VERSION)
    assert path == cache_dir() / VERSION
    manifest = _manifest(root)
    for rel in manifest["files"]:
        assert (path / rel).read_bytes() == (root / VERSION / rel).read_bytes()
    assert (path / "manifest.json").is_file()

    server.stop()  # second call and loading must work with no server at all
    assert download(VERSION) == path
    loading.clear_caches()
    events = loading.load("events", version=VERSION)
    assert events["id"].to_list() == [
        "evt:austin-zelenskyy-pentagon-meeting", "evt:austin-reznikov-call", "evt:security-dialogue-2025"]
    assert [v["version"] for v in loading.versions()] == [VERSION]


def test_load_of_uncached_version_fetches_only_what_it_needs(served):
    root, server = served
    df = loading.load("entities", version=VERSION)
    assert df.height == 4
    assert sorted(server.requests) == [f"/{VERSION}/manifest.json", f"/{VERSION}/parquet/entities.parquet"]
    assert not (cache_dir() / VERSION / "parquet" / "events.parquet").exists()


def test_tampered_file_is_refused_and_not_cached(served):
    root, _ = served
    target = root / VERSION / "parquet" / "events.parquet"
    expected = _manifest(root)["files"]["parquet/events.parquet"]["sha256"]
    data = bytearray(target.read_bytes())
    data[len(data) // 2] ^= 0xFF
    target.write_bytes(bytes(data))
    import hashlib

    actual = hashlib.sha256(bytes(data)).hexdigest()
    with pytest.raises(UsuaError) as err:
        download(VERSION)
    msg = str(err.value)
    assert "parquet/events.parquet" in msg and expected in msg and actual in msg
    cached = cache_dir() / VERSION
    assert not (cached / "parquet" / "events.parquet").exists()
    assert not (cached / "manifest.json").exists()  # an incomplete download never looks complete
    assert not list(cached.rglob("*.tmp")) and not list(cached.rglob("tmp*"))


def test_file_truncated_on_the_server_is_refused(served):
    root, _ = served
    target = root / VERSION / "parquet" / "entities.parquet"
    target.write_bytes(target.read_bytes()[:100])
    with pytest.raises(UsuaError, match=r"parquet/entities\.parquet: refused.*expected [0-9a-f]{64}, got [0-9a-f]{64}"):
        download(VERSION, ["entities"])
    assert not (cache_dir() / VERSION / "parquet" / "entities.parquet").exists()


def test_connection_cut_short_is_refused(served):
    _, server = served
    server.cut_short.add(f"/{VERSION}/parquet/events.parquet")
    with pytest.raises(UsuaError, match=r"parquet/events\.parquet: .*(cut short|expected)"):
        download(VERSION, ["events"])
    assert not (cache_dir() / VERSION / "parquet" / "events.parquet").exists()


def test_missing_file_is_refused_and_all_failures_reported_together(served):
    root, _ = served
    (root / VERSION / "parquet" / "roles.parquet").unlink()
    (root / VERSION / "parquet" / "figures.parquet").unlink()
    with pytest.raises(UsuaError) as err:
        download(VERSION)
    msg = str(err.value)
    assert "parquet/roles.parquet" in msg and "parquet/figures.parquet" in msg and "404" in msg
    # the files that did arrive intact are kept, so a retry fetches only what is missing
    assert (cache_dir() / VERSION / "parquet" / "events.parquet").is_file()


def test_missing_manifest_is_a_clear_error(served):
    with pytest.raises(UsuaError, match=r"release 7\.7\.7 not found: .*7\.7\.7/manifest\.json returned 404"):
        download("7.7.7")
    with pytest.raises(UsuaError, match="not found"):
        loading.load("events", version="7.7.7")


def test_unreachable_server_and_bad_versions(served):
    _, server = served
    server.stop()
    with pytest.raises(UsuaError, match="cannot reach"):
        download(VERSION)
    with pytest.raises(UsuaError, match="not a release version"):
        download("../../etc")


def test_damaged_cached_file_is_fetched_again(served):
    root, server = served
    path = download(VERSION, ["events"])
    (path / "parquet" / "events.parquet").write_bytes(b"garbage")
    loading.clear_caches()
    assert download(VERSION, ["events"]) == path
    assert (path / "parquet" / "events.parquet").read_bytes() == (root / VERSION / "parquet" / "events.parquet").read_bytes()
    assert server.requests.count(f"/{VERSION}/parquet/events.parquet") == 2


def test_manifest_with_unsafe_path_is_refused(served):
    root, _ = served
    m = _manifest(root)
    m["files"]["../escape.txt"] = {"sha256": "0" * 64, "bytes": 1}
    (root / VERSION / "manifest.json").write_text(json.dumps(m))
    with pytest.raises(UsuaError, match="unsafe file path"):
        download(VERSION)
    assert not (cache_dir().parent / "escape.txt").exists()


def test_bundled_version_needs_no_network(served, tmp_path, monkeypatch):
    bundle = write_release(tmp_path / "bundle", "1.2.3")
    monkeypatch.setattr(loading, "BUNDLED_DIR", bundle)
    _, server = served
    server.stop()
    assert download("1.2.3") == bundle
    with pytest.raises(UsuaError, match="unknown table"):
        download("1.2.3", ["evnts"])
