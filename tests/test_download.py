"""Downloading releases from a real HTTP server on loopback: good, cached, tampered, truncated, missing;
pinned and unpinned versions; servers that flood, trickle or stall; two processes; a killed one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.release_fixture import ReleaseServer, write_release
from usua import loading, release_folder, release_registry
from usua.downloading import base_url, cache_dir, download
from usua.errors import UsuaError

VERSION = "0.9.0"


def pin(root: Path, registry: Path) -> str:
    """Make the served release's manifest the published one of its version; return its hash."""
    import hashlib

    sha = hashlib.sha256((root / VERSION / "manifest.json").read_bytes()).hexdigest()
    registry.write_text(release_registry.format_registry({"1.0.0": "f" * 64, VERSION: sha}), encoding="utf-8")
    return sha


@pytest.fixture
def served(tmp_path, monkeypatch):
    """A server root holding release 0.9.0 (pinned in the registry), an empty cache, and the
    server's URL as USUA_BASE_URL."""
    root = tmp_path / "server"
    write_release(root / VERSION, VERSION)
    monkeypatch.setattr(release_registry, "REGISTRY_FILE", tmp_path / "release-registry.txt")
    pin(root, tmp_path / "release-registry.txt")
    monkeypatch.delenv("USUA_ALLOW_UNPINNED", raising=False)
    monkeypatch.delenv("USUA_DOWNLOAD_TIMEOUT", raising=False)
    monkeypatch.setenv("USUA_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(release_folder, "BUNDLED_DIR", tmp_path / "no-bundle")
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
        "evt:austin-zelenskyy-pentagon-meeting",
        "evt:austin-reznikov-call",
        "evt:security-dialogue-2025",
    ]
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


def test_missing_manifest_is_a_clear_error(served, monkeypatch):
    with pytest.raises(UsuaError, match=r"release 7\.7\.7 not found: .*7\.7\.7/manifest\.json returned 404"):
        download("7.7.7", allow_unpinned=True)
    monkeypatch.setenv("USUA_ALLOW_UNPINNED", "1")
    with pytest.raises(UsuaError, match="not found"):
        loading.load("events", version="7.7.7")


def test_unreachable_server_and_bad_versions(served):
    _, server = served
    server.stop()
    with pytest.raises(UsuaError, match=r"cannot reach .*\(Connection refused\)"):
        download(VERSION)
    with pytest.raises(UsuaError, match="not a release version"):
        download("../../etc")


def test_damaged_cached_file_is_fetched_again(served):
    root, server = served
    path = download(VERSION, ["events"])
    (path / "parquet" / "events.parquet").write_bytes(b"garbage")
    loading.clear_caches()
    assert download(VERSION, ["events"]) == path
    assert (path / "parquet" / "events.parquet").read_bytes() == (
        root / VERSION / "parquet" / "events.parquet"
    ).read_bytes()
    assert server.requests.count(f"/{VERSION}/parquet/events.parquet") == 2


def test_manifest_with_unsafe_path_is_refused(served):
    root, _ = served
    m = _manifest(root)
    m["files"]["../escape.txt"] = {"sha256": "0" * 64, "bytes": 1}
    (root / VERSION / "manifest.json").write_text(json.dumps(m))
    pin(root, release_registry.REGISTRY_FILE)  # even a manifest the registry vouches for is checked
    with pytest.raises(UsuaError, match="unsafe file path"):
        download(VERSION)
    assert not (cache_dir().parent / "escape.txt").exists()


def test_bundled_version_needs_no_network(served, tmp_path, monkeypatch):
    bundle = write_release(tmp_path / "bundle", "1.2.3")
    monkeypatch.setattr(release_folder, "BUNDLED_DIR", bundle)
    _, server = served
    server.stop()
    assert download("1.2.3") == bundle
    with pytest.raises(UsuaError, match="unknown table"):
        download("1.2.3", ["evnts"])


# --- pinned releases -------------------------------------------------------------------------------


def test_tampered_manifest_of_a_pinned_version_is_refused_naming_both_hashes(served):
    root, _ = served
    pinned = pin(root, release_registry.REGISTRY_FILE)
    m = _manifest(root)
    m["tables"]["events"]["rows"] = 4  # a consistent, well-formed manifest, just not the published one
    (root / VERSION / "manifest.json").write_text(json.dumps(m))
    import hashlib

    served_sha = hashlib.sha256((root / VERSION / "manifest.json").read_bytes()).hexdigest()
    with pytest.raises(UsuaError) as err:
        download(VERSION, allow_unpinned=True)  # allowing unpinned versions does not unpin a known one
    msg = str(err.value)
    assert f"expected sha256 {pinned}, got {served_sha}" in msg and "not the published manifest" in msg
    assert not (cache_dir() / VERSION / "manifest.json").exists()
    assert not [p for p in (cache_dir() / VERSION).rglob("*") if p.is_file()]


def test_cached_manifest_that_lost_its_pinned_hash_is_refused(served):
    path = download(VERSION, [])
    (path / "manifest.json").write_text((path / "manifest.json").read_text() + " ")
    loading.clear_caches()
    with pytest.raises(UsuaError, match=r"not the published manifest of release 0\.9\.0 .*delete .* download it again"):
        download(VERSION)


def test_unknown_version_needs_an_explicit_setting_and_says_so(served, monkeypatch):
    root, server = served
    write_release(root / "0.9.1", "0.9.1")
    with pytest.raises(
        UsuaError,
        match=r"release 0\.9\.1 is not in this package's registry .*known: 0\.9\.0, 1\.0\.0.*--allow-unpinned",
    ):
        download("0.9.1")
    assert not (cache_dir() / "0.9.1").exists() and server.requests == []  # the server was not even asked
    from usua.downloading import UnpinnedReleaseWarning

    with pytest.warns(UnpinnedReleaseWarning, match=r"release 0\.9\.1 .*accepted unchecked"):
        assert download("0.9.1", ["events"], allow_unpinned=True) == cache_dir() / "0.9.1"
    # the environment setting works too, for loaders that take no flag
    write_release(root / "0.9.2", "0.9.2")
    monkeypatch.setenv("USUA_ALLOW_UNPINNED", "1")
    with pytest.warns(UnpinnedReleaseWarning):
        assert loading.load("events", version="0.9.2").height == 3


def test_registry_lines_are_read_strictly(tmp_path):
    path = tmp_path / "r.txt"
    path.write_text("# c\n\n1.0.0/manifest.json " + "a" * 64 + "\n2.0.0-rc.1/manifest.json sha256:" + "b" * 64 + "\n")
    assert release_registry.read_registry(path) == {"1.0.0": "a" * 64, "2.0.0-rc.1": "b" * 64}
    path.write_text("1.0.0/manifest.json " + "a" * 63 + "\n")
    with pytest.raises(UsuaError, match=r"r\.txt:1: not a registry line"):
        release_registry.read_registry(path)
    assert release_registry.read_registry(tmp_path / "absent.txt") == {}


def test_the_bundled_release_is_pinned_in_the_package():
    import hashlib

    bundled = loading.bundled_release()
    assert bundled is not None
    actual = hashlib.sha256((bundled.path / "manifest.json").read_bytes()).hexdigest()
    assert release_registry.read_registry()[bundled.version] == actual


# --- hostile or broken servers ---------------------------------------------------------------------


def test_server_sending_more_than_the_manifest_size_is_cut_off(served):
    root, server = served
    path = f"/{VERSION}/parquet/events.parquet"
    server.flood.add(path)
    with pytest.raises(UsuaError, match=r"parquet/events\.parquet: .*sent more than \d+ bytes .*cut off"):
        download(VERSION, ["events"])
    size = _manifest(root)["files"]["parquet/events.parquet"]["bytes"]
    assert not list((cache_dir() / VERSION).rglob("*.parquet"))
    assert not [p for p in (cache_dir() / VERSION).rglob(".part-*")]
    server.stop()  # the handler thread records how much it managed to send before the client hung up
    assert server.sent.get(path, 0) < size + (64 << 20)  # of 256 MiB on offer


def test_huge_manifest_is_refused_without_reading_it_all(served):
    root, server = served
    (root / "0.9.5").mkdir()
    (root / "0.9.5" / "manifest.json").write_bytes(b"{" + b" " * (8 << 20) + b"}")
    with pytest.raises(UsuaError, match=r"more than 4194304 .*limit for a manifest"):
        download("0.9.5", allow_unpinned=True)
    server.flood.add(f"/{VERSION}/manifest.json")  # no Content-Length, endless bytes
    with pytest.raises(UsuaError, match=r"sent more than 4194304 bytes"):
        download(VERSION)


def test_trickling_server_fails_within_the_deadline(served, monkeypatch):
    import time

    _, server = served
    server.trickle.add(f"/{VERSION}/parquet/events.parquet")  # 1 byte every 50 ms
    monkeypatch.setenv("USUA_DOWNLOAD_TIMEOUT", "1.5")
    start = time.monotonic()
    with pytest.raises(UsuaError, match=r"did not finish within 1\.5 s \(USUA_DOWNLOAD_TIMEOUT\)"):
        download(VERSION, ["events"])
    assert time.monotonic() - start < 6
    assert not list((cache_dir() / VERSION).rglob("*.parquet"))
    monkeypatch.setenv("USUA_DOWNLOAD_TIMEOUT", "soon")
    with pytest.raises(UsuaError, match="not a positive number of seconds"):
        download(VERSION, ["events"])


def test_stalled_manifest_fails_within_the_deadline(served):
    import time

    _, server = served
    server.delay[f"/{VERSION}/manifest.json"] = 5  # says nothing at all
    start = time.monotonic()
    with pytest.raises(UsuaError, match=r"0\.9\.0/manifest\.json"):
        download(VERSION, timeout=1)
    assert time.monotonic() - start < 4


# --- two processes, and a killed one ---------------------------------------------------------------


def _downloader(server_url: str, cache: Path, *tables: str):
    import os
    import subprocess
    import sys

    code = (
        "import sys, usua.downloading as d; print(d.download(sys.argv[1], sys.argv[2:] or None, allow_unpinned=True))"
    )
    env = {**os.environ, "USUA_BASE_URL": server_url, "USUA_CACHE_DIR": str(cache), "PYTHONWARNINGS": "ignore"}
    return subprocess.Popen(
        [sys.executable, "-c", code, VERSION, *tables],
        env=env,
        cwd=Path(__file__).parents[1],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_two_processes_downloading_one_version_end_with_one_good_copy(served):
    root, server = served
    server.delay[f"/{VERSION}/parquet/events.parquet"] = 0.5  # keep the first one busy while the second starts
    procs = [_downloader(server.url, cache_dir()) for _ in range(2)]
    outs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    cached = cache_dir() / VERSION
    assert {o.strip() for o, _ in outs} == {str(cached)}
    for rel in _manifest(root)["files"]:
        assert (cached / rel).read_bytes() == (root / VERSION / rel).read_bytes()
        assert server.requests.count(f"/{VERSION}/{rel}") == 1  # the second waited, then found it cached
    assert not list(cached.rglob(".part-*"))


def test_killed_download_leaves_nothing_a_later_call_trusts(served):
    import signal
    import time

    root, server = served
    server.trickle.add(f"/{VERSION}/parquet/events.parquet")
    proc = _downloader(server.url, cache_dir(), "events")
    cached = cache_dir() / VERSION
    deadline = time.monotonic() + 60
    while not list(cached.rglob(".part-events*")) and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.3)  # a few bytes in
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    assert list(cached.rglob(".part-events*"))  # it was killed mid-file
    assert not (cached / "parquet" / "events.parquet").exists() and not (cached / "manifest.json").exists()
    assert [v["version"] for v in loading.versions()] == []  # a half download is not a cached version

    server.trickle.clear()
    assert download(VERSION, ["events"]) == cached
    assert (cached / "parquet" / "events.parquet").read_bytes() == (
        root / VERSION / "parquet" / "events.parquet"
    ).read_bytes()
    assert not list(cached.rglob(".part-*"))
