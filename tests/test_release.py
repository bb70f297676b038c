"""Releasing: atomic swap, lock, data changelog, Data Package, the whole pipeline and `usua build`."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

import builders.release as rel
from builders.errors import BuildError
from builders.release import build_lock, build_release
from tests.test_build import build_into, sample_curated, write_sample_checkout
from usua.version import DATASET_VERSION

REPO = Path(__file__).resolve().parents[1]


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def checkout(tmp_path, monkeypatch) -> Path:
    """A sample checkout whose curation is loaded without the validation core (records built directly)."""
    root = write_sample_checkout(tmp_path / "repo")
    monkeypatch.setattr(rel, "load_curation", lambda root, *_: sample_curated())
    return root


def test_build_writes_the_release_once_then_check_passes(checkout):
    summary = build_release(checkout)
    release = checkout / f"dataset/releases/{DATASET_VERSION}"
    assert summary.tables["events"] == 1 and summary.release_dir == release
    assert not (checkout / "usua/_release").exists()  # the wheel takes its bundled copy from the release
    manifest = json.loads((release / "manifest.json").read_text())
    assert "inputs" not in manifest and "inputs.json" in manifest["files"]  # the inputs' hashes: a file of their own
    assert set(json.loads((release / "inputs.json").read_text())["inputs"]) == {
        "dataset/curation/sample.yaml",
        "dataset/sources/call.txt",
        "dataset/sources/documents.yaml",
        "dataset/sources/kyiv.txt",
    }
    assert manifest["files"]["parquet/events.parquet"]["rows"] == 1
    assert not [p for p in (checkout / "dataset/releases").iterdir() if p.name.startswith(".tmp-")]
    assert build_release(checkout, check=True).checked
    (release / "json" / "events.json").write_text("[]\n")
    with pytest.raises(BuildError) as err:
        build_release(checkout, check=True)
    assert err.value.problems == [f"releases/{DATASET_VERSION}/json/events.json: differs"]


def test_interrupted_build_leaves_previous_release_intact(checkout, monkeypatch):
    build_release(checkout)
    before = snapshot(checkout / "dataset/releases")

    def crash(out, *args, **kwargs):
        (out / "json").mkdir()
        (out / "json" / "events.json").write_text("half")
        raise KeyboardInterrupt

    monkeypatch.setattr(rel, "write_release", crash)
    with pytest.raises(KeyboardInterrupt):
        build_release(checkout)
    assert snapshot(checkout / "dataset/releases") == before


def test_crash_during_swap_is_recovered_by_next_build(checkout, monkeypatch):
    build_release(checkout)
    before = snapshot(checkout / f"dataset/releases/{DATASET_VERSION}")
    real_rename = rel.os.rename
    calls = []

    def flaky(src, dst):
        calls.append(dst)
        if len(calls) == 2:  # the old folder is set aside; putting the new one in place fails
            raise OSError("disk full")
        real_rename(src, dst)

    monkeypatch.setattr(rel, "_exchange", lambda a, b: False)  # the two-rename swap of other systems
    monkeypatch.setattr(rel.os, "rename", flaky)
    with pytest.raises(BuildError, match=f"could not write dataset/releases/{DATASET_VERSION}: disk full"):
        build_release(checkout)
    monkeypatch.setattr(rel.os, "rename", real_rename)
    assert snapshot(checkout / f"dataset/releases/{DATASET_VERSION}") == before
    assert [p.name for p in (checkout / "dataset/releases").iterdir()] == [DATASET_VERSION]  # nothing half-written left


def test_second_build_waits_for_the_first(tmp_path):
    import threading

    order = []
    with build_lock(tmp_path):

        def second():
            with build_lock(tmp_path, timeout=5):
                order.append("second")

        t = threading.Thread(target=second)
        t.start()
        t.join(0.5)
        order.append("first done")
    t.join(5)
    assert order == ["first done", "second"]


def test_second_build_waits_then_fails_clearly(tmp_path):
    with build_lock(tmp_path):
        with pytest.raises(BuildError, match="another build is writing"):
            with build_lock(tmp_path, timeout=0.3):
                pass
    with build_lock(tmp_path, timeout=0.3):  # released: the next build gets it
        pass


def test_changelog_lists_added_removed_and_changed(tmp_path):
    releases = tmp_path / "releases"
    build_into(tmp_path, "releases", sample_curated(), "1.0.0")
    first = json.loads((releases / "1.0.0" / "changes.json").read_text())
    assert first["previous"] is None and first["tables"]["events"]["added"] == ["evt:austin-reznikov-kyiv"]

    def edit(c):
        c["entities"][2]["description"] = "Capital of Ukraine."  # changed
        c["redirects"] = []  # removed
        c["figures"].append({**c["figures"][0], "id": "fig:aid-2", "value": "1"})  # added

    build_into(tmp_path, "releases", sample_curated(edit), "1.1.0")
    ch = json.loads((releases / "1.1.0" / "changes.json").read_text())
    assert ch["previous"] == "1.0.0"
    assert ch["tables"]["entities"] == {"added": [], "removed": [], "changed": ["ent:kyiv"]}
    assert ch["tables"]["redirects"]["removed"] == ["ent:austin"]
    assert ch["tables"]["figures"]["added"] == ["fig:aid-2"]
    assert "events" not in ch["tables"]
    md = (releases / "1.1.0" / "CHANGES.md").read_text()
    assert "- changed (1): `ent:kyiv`" in md and "Compared with release 1.0.0." in md


def _frictionless(path: Path) -> dict:
    out = subprocess.run(
        [sys.executable, "-m", "frictionless", "validate", "--json", str(path)],
        capture_output=True,
        text=True,
        cwd=path.parent,
    )
    return json.loads(out.stdout)


@pytest.mark.slow
def test_datapackage_passes_frictionless_and_frictionless_really_checks_it(tmp_path):
    """`frictionless validate` passes on the release, and it really checks the data: a value outside an
    enum and a tampered file (sha256 hash) are both reported. The Parquet twins, which frictionless
    cannot hash-check, are verified by the release's own check against the same hashes."""
    release = build_into(tmp_path, "releases", sample_curated())
    original = (release / "datapackage.json").read_bytes()
    dp = json.loads(original)
    assert dp["$schema"] == "https://datapackage.org/profiles/2.0/datapackage.json"
    assert [r["name"] for r in dp["resources"]] == list(json.loads((release / "manifest.json").read_text())["tables"])
    manifest = json.loads((release / "manifest.json").read_text())["files"]
    for r in dp["resources"]:
        assert r["hash"] == "sha256:" + manifest[r["path"]]["sha256"]
        assert r["x-parquet"]["hash"] == "sha256:" + manifest[r["x-parquet"]["path"]]["sha256"]

    def errors(report):
        return [(t["name"], e["type"], e.get("fieldName")) for t in report["tasks"] for e in t["errors"]] + report[
            "errors"
        ]

    assert errors(_frictionless(release / "datapackage.json")) == []
    # a value outside an enum is reported
    changed = json.loads(original)
    kind = next(f for f in changed["resources"][0]["schema"]["fields"] if f["name"] == "kind")
    kind["constraints"]["enum"] = ["other"]
    (release / "datapackage.json").write_text(json.dumps(changed))
    assert ("documents", "constraint-error", "kind") in errors(_frictionless(release / "datapackage.json"))
    # a tampered table is reported by its hash, and the Parquet twin by the release's own verification
    (release / "datapackage.json").write_bytes(original)
    figures = release / "csv" / "figures.csv"
    good = figures.read_bytes()
    figures.write_text(good.decode().replace(",exact,", ",about,").replace(",more_than,", ",about,"))
    assert any(kind == "hash-count" for _, kind, _ in errors(_frictionless(release / "datapackage.json")))
    figures.write_bytes(good)
    from builders.write_tables import write_parquet

    rows = json.loads((release / "json" / "figures.json").read_text())
    rows[0]["value_text"] = "999"
    write_parquet(release / "parquet" / "figures.parquet", "figures", rows)
    with pytest.raises(BuildError, match="parquet/figures.parquet"):
        rel.verify_release(release)


def test_broken_curation_reports_all_problems_and_keeps_the_release(tmp_path):
    """The repository's own dataset, broken three ways in one file: every problem in one report."""
    pytest.importorskip("usua.validation")
    root = tmp_path / "repo"
    shutil.copytree(REPO / "dataset", root / "dataset")
    (root / "builders").mkdir()
    build_release(root)
    release = root / f"dataset/releases/{DATASET_VERSION}"
    before = snapshot(root / "dataset/releases")

    def first_with(section: str) -> Path:
        return next(
            p
            for p in sorted((root / "dataset/curation").glob("*.yaml"))
            if (yaml.safe_load(p.read_text()) or {}).get(section)
        )

    def edit(path: Path, change) -> str:
        data = yaml.safe_load(path.read_text())
        change(data)
        path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
        return path.relative_to(root).as_posix()

    # a file whose shape is wrong is not checked further, so the wrong type goes in a file of its own
    events_file = edit(
        first_with("events"),
        lambda d: (
            d["events"][0]["evidence"][0].update(quote="words that are not in the text"),  # bad quote
            d["events"][0].update(location="ent:atlantis"),
        ),
    )  # missing reference
    other_file = edit(first_with("disagreements"), lambda d: d["disagreements"][0].update(aspect=["a", "list"]))
    assert other_file != events_file
    out = _usua("build", "--root", str(root), cwd=tmp_path)
    assert out.returncode == 1, out.stderr
    lines = out.stderr.strip().splitlines()
    assert lines[0].startswith("error: the curation has"), out.stderr
    text = "\n".join(lines[1:])
    assert f"{events_file}:" in text and "/events/0/evidence/0" in text, text
    assert "ent:atlantis" in text, text
    assert f"{other_file}:" in text and "/disagreements/0/aspect" in text, text
    assert snapshot(root / "dataset/releases") == before
    assert release.is_dir()


def test_whole_pipeline_on_the_sample_with_validation_core(tmp_path):
    pytest.importorskip("usua.validation")
    root = write_sample_checkout(tmp_path / "repo")
    out = _usua("build", cwd=root / "dataset")  # the checkout is found by walking up
    assert out.returncode == 0, out.stderr
    assert f"release {DATASET_VERSION} written to dataset/releases/{DATASET_VERSION}" in out.stdout
    assert "events" in out.stdout and (root / f"dataset/releases/{DATASET_VERSION}/manifest.json").is_file()
    assert not (root / "usua/_release").exists()
    assert _usua("build", "--check", cwd=root).returncode == 0


def _usua(*args: str, cwd: Path):
    """Run the command in-process (a subprocess would import everything again for each call)."""
    import os

    from typer.testing import CliRunner

    from usua.cli import app, build_cmds, data_cmds, validate_cmds  # noqa: F401  (as usua.cli.main does)

    old = Path.cwd()
    os.chdir(cwd)
    try:
        result = CliRunner().invoke(app, list(args))
    finally:
        os.chdir(old)
    # an unexpected exception would be a traceback for the user: surface it
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    result.returncode = result.exit_code
    return result


def test_cli_outside_a_checkout_is_one_line(tmp_path):
    out = _usua("build", cwd=tmp_path)
    assert out.returncode == 1
    assert out.stderr.strip().count("\n") == 0 and "inside a checkout of the usua repository" in out.stderr


def test_cli_reports_every_problem_and_exits_1(tmp_path):
    pytest.importorskip("usua.validation")
    root = write_sample_checkout(tmp_path / "repo")
    (root / "dataset/sources/kyiv.txt").write_text("changed\n")
    out = _usua("build", "--root", str(root), cwd=tmp_path)
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert "dataset/sources/kyiv.txt: its SHA-256 is" in out.stderr
    assert not (root / f"dataset/releases/{DATASET_VERSION}").exists()


def test_unlinked_name_fails_the_build_until_excluded(checkout, monkeypatch):
    curated = sample_curated()
    curated.texts["doc:kyiv"] += "General Mark Milley was there.\n"
    monkeypatch.setattr(rel, "load_curation", lambda root, *_: curated)
    with pytest.raises(BuildError) as err:
        build_release(checkout)
    assert "curate an entity or alias" in err.value.message
    assert err.value.problems == ["dataset/sources/kyiv.txt:6: 'General Mark Milley' is not linked to any entity"]
    assert not (checkout / f"dataset/releases/{DATASET_VERSION}").exists()
    (checkout / "dataset/curation/excluded-names.yaml").write_text(
        "excluded:\n  - name: General Mark Milley\n    documents: [doc:kyiv]\n    reason: named in passing\n"
    )
    summary = build_release(checkout)
    coverage = json.loads((summary.release_dir / "coverage.json").read_text())
    assert coverage["unlinked"] == [] and coverage["excluded_occurrences"] == {"General Mark Milley": 1}
    assert (
        "dataset/curation/excluded-names.yaml"
        in json.loads((summary.release_dir / "inputs.json").read_text())["inputs"]
    )


@pytest.mark.slow
def test_committed_release_passes_frictionless():
    from usua.version import DATASET_VERSION

    report = _frictionless(REPO / "dataset" / "releases" / DATASET_VERSION / "datapackage.json")
    assert report["valid"], [(t["name"], e["type"], e.get("note")) for t in report["tasks"] for e in t["errors"]][:5]
