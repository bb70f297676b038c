"""Loading tables and records from the bundled release, a folder or the cache; integrity checks."""

from __future__ import annotations

import json
import shutil
import time

import polars as pl
import pyarrow as pa
import pytest

import usua
from tests.release_fixture import write_release
from usua import loading, release_folder
from usua.errors import UsuaError
from usua.models import Event
from usua.release_tables import arrow_schema


@pytest.fixture(scope="module")
def release_dir(tmp_path_factory):
    return write_release(tmp_path_factory.mktemp("rel") / "0.9.0", "0.9.0")


@pytest.fixture
def bundled(tmp_path, monkeypatch, release_dir):
    """The fixture release standing in for the bundled one; an empty download cache."""
    bundle = tmp_path / "_release"
    shutil.copytree(release_dir, bundle)
    monkeypatch.setattr(release_folder, "BUNDLED_DIR", bundle)
    monkeypatch.setenv("USUA_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("USUA_BASE_URL", "http://127.0.0.1:9")  # nothing may be downloaded
    loading.clear_caches()
    yield bundle
    loading.clear_caches()


def test_load_defaults_to_bundled_release(bundled):
    events = usua.load("events")
    assert isinstance(events, pl.DataFrame)
    assert events.height == 3
    assert events.filter(pl.col("date_precision") == "month")["id"].to_list() == ["evt:security-dialogue-2025"]
    assert usua.load("events", version="0.9.0").equals(events)


def test_formats_agree_and_keep_the_published_schema(release_dir):
    arrow = usua.load("events", release_dir=release_dir, as_="arrow")
    assert isinstance(arrow, pa.Table)
    assert arrow.schema.remove_metadata().equals(arrow_schema("events").remove_metadata())
    lazy = usua.scan("events", release_dir=release_dir)
    assert isinstance(lazy, pl.LazyFrame)
    eager = usua.load("events", release_dir=release_dir)
    assert lazy.collect().equals(eager)
    assert pl.from_arrow(arrow).equals(eager)
    assert usua.load("events", release_dir=release_dir, columns=["id"]).columns == ["id"]
    with pytest.raises(UsuaError, match="unknown as_"):
        usua.load("events", release_dir=release_dir, as_="pandas")


def test_empty_tables_still_have_their_columns(release_dir):
    roles = usua.load("roles", release_dir=release_dir)
    assert roles.height == 0
    assert roles.columns == list(arrow_schema("roles").names)


def test_unknown_table_names_the_known_ones(release_dir):
    with pytest.raises(UsuaError) as err:
        usua.load("evnts", release_dir=release_dir)
    msg = str(err.value)
    assert "'evnts'" in msg and "did you mean 'events'" in msg and "event_participants" in msg
    assert isinstance(err.value, ValueError)


def test_unknown_or_malformed_version(bundled, monkeypatch):
    with pytest.raises(UsuaError, match="not a release version"):
        usua.load("events", version="latest")
    with pytest.raises(UsuaError, match="not in this package's registry"):  # nothing pins it: not even asked for
        usua.load("events", version="9.9.9")
    monkeypatch.setenv("USUA_ALLOW_UNPINNED", "1")
    with pytest.raises(UsuaError, match="cannot reach"):  # not bundled, not cached, server unreachable
        usua.load("events", version="9.9.9")


def test_release_dir_must_be_a_release_folder(tmp_path, release_dir):
    with pytest.raises(UsuaError, match="is a file"):
        usua.load("events", release_dir=release_dir / "manifest.json")
    with pytest.raises(UsuaError, match="no manifest.json"):
        usua.load("events", release_dir=tmp_path)
    with pytest.raises(UsuaError, match="does not exist"):
        usua.load("events", release_dir=tmp_path / "nope")
    with pytest.raises(UsuaError, match="holds release 0.9.0, not 1.0.0"):
        usua.load("events", release_dir=release_dir, version="1.0.0")


def test_missing_bundle_is_a_clear_error(monkeypatch, tmp_path):
    monkeypatch.setattr(release_folder, "BUNDLED_DIR", tmp_path / "missing")
    loading.clear_caches()
    with pytest.raises(UsuaError, match="no bundled release"):
        usua.load("events")
    loading.clear_caches()


def test_corrupted_install_is_caught_and_files_are_hashed_only_when_asked_once(bundled, monkeypatch):
    calls = []
    real = release_folder.sha256_file
    monkeypatch.setattr(release_folder, "sha256_file", lambda p: calls.append(p.name) or real(p))
    usua.load("entities")
    usua.load("entities", as_="arrow")
    assert calls == []  # the size is checked on every load, the hash when asked
    usua.load("entities", verify=True)
    usua.load("entities", verify=True)
    assert calls == ["entities.parquet"]

    target = bundled / "parquet" / "entities.parquet"
    same_size = bytearray(target.read_bytes())
    same_size[len(same_size) // 2] ^= 1  # damaged in place, the size unchanged: found when asked
    target.write_bytes(bytes(same_size))
    assert loading.release().table_file("entities") == target  # a file of the right size is trusted
    with pytest.raises(UsuaError, match="does not match its manifest"):
        usua.load("entities", verify=True)

    target = bundled / "parquet" / "entities.parquet"
    expected = json.loads((bundled / "manifest.json").read_text())["files"]["parquet/entities.parquet"]["sha256"]
    target.write_bytes(target.read_bytes() + b"x")  # replaced on disk after the first check
    with pytest.raises(UsuaError) as err:
        usua.load("entities")
    msg = str(err.value)
    assert "entities.parquet" in msg and f"expected sha256 {expected}" in msg and "reinstall usua" in msg
    target.unlink()
    with pytest.raises(UsuaError, match="is missing"):
        usua.load("entities")


def test_bad_manifest_is_refused(tmp_path, release_dir):
    rel = tmp_path / "r"
    shutil.copytree(release_dir, rel)
    (rel / "manifest.json").write_text("{not json")
    with pytest.raises(UsuaError, match="not valid JSON"):
        usua.load("events", release_dir=rel)
    (rel / "manifest.json").write_text(json.dumps({"dataset": "other"}))
    loading.clear_caches()
    with pytest.raises(UsuaError, match="not a usua release manifest"):
        usua.load("events", release_dir=rel)


def test_load_records_returns_validated_models(release_dir):
    events = usua.load_records("events", release_dir=release_dir)
    assert len(events) == 1 and isinstance(events[0], Event)
    assert events[0].date.precision == "day" and events[0].participants[0].role == "initiator"
    assert usua.load_records("agreements", release_dir=release_dir) == []
    with pytest.raises(UsuaError, match="unknown record section 'event' .*did you mean 'events'"):
        usua.load_records("event", release_dir=release_dir)


def test_records_that_do_not_fit_the_models_are_reported(tmp_path, release_dir):
    rel = tmp_path / "r"
    shutil.copytree(release_dir, rel)
    path = rel / "records" / "events.json"
    records = json.loads(path.read_text())
    records[0]["status"] = "imagined"
    path.write_text(json.dumps(records))
    manifest = json.loads((rel / "manifest.json").read_text())
    manifest["files"]["records/events.json"]["sha256"] = release_folder.sha256_file(path)
    (rel / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(UsuaError, match=r"record 0 \(evt:austin-reznikov-call\) does not fit"):
        usua.load_records("events", release_dir=rel)


def test_tables_info_versions(bundled, tmp_path):
    t = usua.tables()
    assert t.columns == ["table", "rows", "description"]
    assert t["table"][0] == "documents"  # the order of usua.release_tables.TABLES
    assert dict(zip(t["table"], t["rows"], strict=True))["events"] == 3
    info = usua.info()
    assert info["dataset_version"] == "0.9.0" and info["location"] == "bundled"
    assert info["tables"]["entities"] == 4
    assert [d["id"] for d in info["documents"]] == [
        "doc:dod-2021-austin-zelenskyy-pentagon",
        "doc:antiwar-2022-austin-reznikov-shoigu-calls",
    ]
    write_release(tmp_path / "cache" / "0.8.0", "0.8.0")
    assert [(v["version"], v["location"]) for v in usua.versions()] == [("0.8.0", "cache"), ("0.9.0", "bundled")]
    assert usua.load("events", version="0.8.0").height == 3  # from the cache, no network


def test_tables_function_and_table_definitions_module_do_not_clash():
    import usua.release_tables as table_defs

    assert "events" in table_defs.TABLE_NAMES
    assert callable(usua.tables) and usua.release_tables.get_table("events").primary_key == ("id",)


def _best(fn, n: int) -> float:
    best = float("inf")
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def test_load_costs_little_more_than_read_parquet(tmp_path, monkeypatch):
    # A table of realistic size (the mentions table holds thousands of rows).
    rel = write_release(tmp_path / "r", "0.9.0")
    n = 20_000
    big = pa.table(
        {
            "document": ["doc:a"] * n,
            "entity": [f"ent:e{i % 50}" for i in range(n)],
            "name": ["Austin"] * n,
            "start": list(range(n)),
            "end": list(range(1, n + 1)),
            "segment": ["body"] * n,
        }
    ).cast(arrow_schema("mentions"))
    import pyarrow.parquet as pq

    path = rel / "parquet" / "mentions.parquet"
    pq.write_table(big, path)
    manifest = json.loads((rel / "manifest.json").read_text())
    manifest["files"]["parquet/mentions.parquet"]["sha256"] = release_folder.sha256_file(path)
    (rel / "manifest.json").write_text(json.dumps(manifest))
    monkeypatch.setattr(release_folder, "BUNDLED_DIR", rel)
    loading.clear_caches()
    usua.load("mentions")  # first use: verification
    assert usua.load("mentions").equals(pl.read_parquet(path))
    # usua.load is pl.read_parquet plus resolving the verified path; timing that part on its own (best
    # of many) keeps the check steady on a busy machine, where whole-read timings jitter by more than 20%.
    direct = _best(lambda: pl.read_parquet(path), 40)
    overhead = _best(lambda: loading.release().table_file("mentions"), 2000)
    loading.clear_caches()
    assert overhead <= 0.2 * direct, (overhead, direct)


def test_release_rewritten_in_place_is_read_again(tmp_path):
    rel = write_release(tmp_path / "r", "0.9.0")
    assert usua.load("events", release_dir=rel).height == 3
    shutil.rmtree(rel)
    write_release(rel, "0.9.1")  # e.g. a rebuild refreshing the folder within one process
    manifest = json.loads((rel / "manifest.json").read_text())
    manifest["note"] = "rebuilt"  # a different size, so the change shows even with a coarse clock
    (rel / "manifest.json").write_text(json.dumps(manifest))
    assert usua.info(release_dir=rel)["dataset_version"] == "0.9.1"
    assert usua.load("events", release_dir=rel).height == 3


@pytest.mark.parametrize("folder, hint", [("_release", "reinstall usua"), ("0.9.0", "restore it with git")])
def test_a_damaged_bundled_file_names_the_fix_that_fits_where_it_lives(tmp_path, release_dir, folder, hint):
    """An installed wheel's copy is fixed by reinstalling; a checkout's committed release by git or a rebuild."""
    copy = tmp_path / folder
    shutil.copytree(release_dir, copy)
    release = release_folder.read_release_dir(copy, "bundled")
    rel = next(name for name in release.manifest["files"] if name.endswith(".parquet"))
    (copy / rel).write_bytes(b"not the published bytes")
    with pytest.raises(UsuaError, match=hint):
        release.file(rel)


def test_committed_releases_of_both_manifest_layouts_load_and_verify():
    """Releases before inputs.json keep the build inputs' hashes in the manifest; later ones list
    inputs.json by its hash. Either way every file is listed, verifies, and a table loads."""
    from pathlib import Path

    layouts = set()
    for folder in sorted((Path(__file__).resolve().parents[1] / "dataset/releases").iterdir()):
        if not (folder / "manifest.json").is_file():
            continue
        rel = release_folder.read_release_dir(folder, str(folder))
        for name in rel.manifest["files"]:
            rel.file(name, verify=True)
        inputs = rel.manifest.get("inputs")
        if inputs is None:
            inputs = json.loads(rel.file("inputs.json", verify=True).read_text())["inputs"]
        layouts.add("inputs" in rel.manifest)
        assert any(path.startswith("dataset/sources/") for path in inputs)
        table = rel.table_names[0]
        assert usua.load(table, release_dir=folder, verify=True).height == rel.manifest["tables"][table]["rows"]
    assert layouts == {True, False}
