"""Faults during a build and an export: a kill -9 at each step of the swap, two builds at once, a
read-only release folder, a full disk, an export onto an existing path. Each ends in a clear message
(or, for a kill, in folders the next build can use) and no damaged file."""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest

import builders.release as rel
from builders.release import verify_release
from tests.release_fixture import write_release
from tests.test_build import write_sample_checkout
from tests.test_release import _usua, snapshot
from usua.version import DATASET_VERSION


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = write_sample_checkout(tmp_path_factory.mktemp("faults") / "repo")
    assert _usua("build", "--root", str(root), cwd=root).returncode == 0
    return root


@pytest.fixture
def checkout(built, tmp_path) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(built, root)
    return root


def _change_curation(root: Path) -> None:
    """An edit that changes the next release, so an old and a new release can be told apart."""
    path = root / "dataset" / "curation" / "sample.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("name: Kyiv\n", "name: Kyiv\n  description: Capital of Ukraine.\n", 1),
        encoding="utf-8",
    )


def _release(root: Path) -> Path:
    return root / "dataset" / "releases" / DATASET_VERSION


def _leftovers(root: Path) -> list[str]:
    return [
        p.name
        for folder in (root / "dataset" / "releases", _release(root))
        if folder.is_dir()
        for p in folder.iterdir()
        if p.name.startswith(".tmp-")
    ]


def _assert_next_build_repairs(root: Path) -> None:
    out = _usua("build", "--root", str(root), cwd=root)
    assert out.returncode == 0, out.stderr
    verify_release(_release(root))
    assert _leftovers(root) == []


# A `usua build` that kills itself with SIGKILL (nothing can clean up) at one chosen step.
KILLER = r"""
import os, shutil, signal, sys
root, step = sys.argv[1], sys.argv[2]
sys.path.insert(0, root)
import builders.release as rel

def die(*_a, **_k):
    os.kill(os.getpid(), signal.SIGKILL)

if step == "writing":  # half the release files written into the staging folder
    rel.write_records = die
elif step == "between-renames":  # a system without an atomic exchange: old set aside, new not yet in
    rel._exchange = lambda a, b: False
    real_rename, calls = os.rename, []
    def rename(src, dst):
        calls.append(dst)
        if len(calls) == 2:
            die()
        real_rename(src, dst)
    rel.os.rename = rename
elif step == "after-exchange":  # the new release in place, the old one not yet removed
    real_swap = rel.swap_in
    def swap_in(new, target):
        old = real_swap(new, target)
        die()
    rel.swap_in = swap_in
from usua.cli import main
sys.argv = ["usua", "build", "--root", root]
main()
"""


@pytest.mark.parametrize("step", ["writing", "between-renames", "after-exchange"])
def test_kill_9_during_a_build_leaves_a_whole_release_and_the_next_build_succeeds(checkout, step):
    before = {"release": snapshot(_release(checkout))}
    _change_curation(checkout)
    proc = subprocess.run(
        [sys.executable, "-c", KILLER, str(checkout), step], cwd=checkout, capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    if step == "writing":  # nothing was swapped: exactly as before
        assert snapshot(_release(checkout)) == before["release"]
    elif step == "between-renames":  # the only step that leaves the release set aside (not lost)
        assert not _release(checkout).exists()
        (kept,) = [p for p in (checkout / "dataset" / "releases").iterdir() if "-old-" in p.name]
        assert snapshot(kept) == before["release"]
    else:  # the atomic exchange: the release whole, old or new
        verify_release(_release(checkout))
    _assert_next_build_repairs(checkout)
    assert snapshot(_release(checkout)) != before["release"]  # the edit is in


def test_a_build_killed_between_renames_is_repaired_even_if_the_next_build_fails(checkout):
    before = snapshot(_release(checkout))
    proc = subprocess.run(
        [sys.executable, "-c", KILLER, str(checkout), "between-renames"],
        cwd=checkout,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == -signal.SIGKILL
    (checkout / "dataset" / "curation" / "broken.yaml").write_text("not: [valid\n", encoding="utf-8")
    assert _usua("build", "--root", str(checkout), cwd=checkout).returncode == 1
    assert snapshot(_release(checkout)) == before and _leftovers(checkout) == []


def test_two_builds_at_once_both_succeed_one_after_the_other(checkout):
    _change_curation(checkout)
    cmd = [sys.executable, "-m", "usua", "build", "--root", str(checkout)]
    procs = [
        subprocess.Popen(cmd, cwd=checkout, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)
    ]
    results = [(p.wait(timeout=300), *p.communicate()) for p in procs]
    assert [code for code, _, _ in results] == [0, 0], results
    verify_release(_release(checkout))
    assert _leftovers(checkout) == []


@contextlib.contextmanager
def read_only(folder: Path):
    """Make a folder refuse new files, for real: immutable (chattr +i) for root, whom permission bits
    do not stop; read-only permission bits for anyone else."""
    if os.geteuid() == 0:
        subprocess.run(["chattr", "+i", str(folder)], check=True, capture_output=True)
        try:
            yield
        finally:
            subprocess.run(["chattr", "-i", str(folder)], check=True, capture_output=True)
    else:
        mode = folder.stat().st_mode
        folder.chmod(stat.S_IMODE(mode) & ~0o222)
        try:
            yield
        finally:
            folder.chmod(stat.S_IMODE(mode))


def test_a_read_only_release_folder_fails_the_build_before_anything_is_replaced(checkout):
    before = snapshot(_release(checkout))
    _change_curation(checkout)
    with read_only(_release(checkout)):
        out = _usua("build", "--root", str(checkout), cwd=checkout)
    assert out.returncode == 1
    (line,) = out.stderr.strip().splitlines()
    assert line.startswith(f"error: could not write dataset/releases/{DATASET_VERSION}: ") and "permissions" in line, (
        line
    )
    assert line.endswith("then build again; the previous release is untouched)"), line
    assert snapshot(_release(checkout)) == before
    assert _leftovers(checkout) == []
    _assert_next_build_repairs(checkout)


def _full_disk_writer(real):
    """A writer that writes part of its file, then fails the way a full disk does (no file name)."""

    def write(path, *args, **kwargs):
        Path(path).write_text("partial", encoding="utf-8")
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    return write


def test_a_full_disk_names_the_release_and_damages_nothing(checkout, monkeypatch):
    before = snapshot(_release(checkout))
    _change_curation(checkout)
    monkeypatch.setattr(rel, "write_text", _full_disk_writer(rel.write_text))
    out = _usua("build", "--root", str(checkout), cwd=checkout)
    assert out.returncode == 1
    assert out.stderr.strip().splitlines() == [
        f"error: could not write dataset/releases/{DATASET_VERSION}: No space left on device (free some disk space, then build "
        "again; the previous release is untouched)"
    ]
    assert snapshot(_release(checkout)) == before
    assert _leftovers(checkout) == []


# --- exports ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def release_dir(tmp_path_factory) -> Path:
    return write_release(tmp_path_factory.mktemp("rel") / "r", "0.9.0")


def _cli(*args: str, cwd: Path):
    from typer.testing import CliRunner

    from usua.cli import app, build_cmds, data_cmds, validate_cmds  # noqa: F401

    old = Path.cwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(app, list(args))
    finally:
        os.chdir(old)


@pytest.mark.parametrize("fmt,out", [("sqlite", "usua.db"), ("csv", "usua-csv")])
def test_an_export_onto_an_existing_path_is_refused_in_one_line(tmp_path, release_dir, fmt, out):
    target = tmp_path / out
    if fmt == "csv":
        target.mkdir()
        (target / "events.csv").write_text("mine\n")
    else:
        target.write_text("mine\n")
    before = snapshot(tmp_path)
    result = _cli("export", "--format", fmt, "--out", out, "--release-dir", str(release_dir), cwd=tmp_path)
    assert result.exit_code == 1
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("usua: error: ") and "already exist" in line and "--force" in line
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("fmt,out", [("sqlite", "usua.db"), ("csv", "usua-csv")])
def test_a_full_disk_during_an_export_names_the_file_and_keeps_what_was_there(
    tmp_path, release_dir, monkeypatch, fmt, out
):
    import sqlite3

    import usua.export as export

    target = tmp_path / out
    if fmt == "csv":
        target.mkdir()
        (target / "events.csv").write_text("mine\n")

        def write_csv(f, table):
            f.write("partial")
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        monkeypatch.setattr(export, "write_csv", write_csv)
        shown = f"{out}/"
    else:
        target.write_text("mine\n")
        real_connect = sqlite3.connect

        class FullDisk:
            def __init__(self, path):
                self.con = real_connect(path)

            def execute(self, *args):
                return self.con.execute(*args)

            def executemany(self, *args):
                raise sqlite3.OperationalError("database or disk is full")

            def close(self):
                self.con.close()

        monkeypatch.setattr(export.sqlite3, "connect", FullDisk)
        shown = out
    before = snapshot(tmp_path)
    result = _cli("export", "--format", fmt, "--out", out, "--release-dir", str(release_dir), "--force", cwd=tmp_path)
    assert result.exit_code == 1, result.output
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(f"usua: error: could not write {shown}") and "disk" in line, line
    assert snapshot(tmp_path) == before  # the old export as it was, no temporary file left


@pytest.mark.parametrize("fmt,out", [("sqlite", "usua.db"), ("csv", "usua-csv/events.csv")])
def test_exports_are_made_with_the_umask_mode_not_private(tmp_path, release_dir, fmt, out):
    old = os.umask(0o002)
    try:
        result = _cli(
            "export", "--format", fmt, "--out", out.split("/")[0], "--release-dir", str(release_dir), cwd=tmp_path
        )
    finally:
        os.umask(old)
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE((tmp_path / out).stat().st_mode) == 0o664
