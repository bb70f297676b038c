"""CI's skip gate (tests/skips.py): it sees every kind of skip in a real pytest report, names each
test by its node id, and fails unless the skip is allow-listed with a reason."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.skips import main, read_allow_list, read_skips

SAMPLE = """
import pytest

def test_runs():
    pass

def test_skipped_inside():
    pytest.skip("needs a tool")

@pytest.mark.skip(reason="marked")
def test_marked():
    pass

@pytest.mark.parametrize("n", [1, 2])
def test_param(n):
    if n == 2:
        pytest.skip("only one")

class TestGroup:
    def test_in_class(self):
        pytest.skip("in a class")

@pytest.mark.xfail(reason="known bug", strict=True)
def test_expected_failure():
    assert False
"""


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("sample")
    (folder / "tests").mkdir()
    (folder / "tests" / "test_sample.py").write_text(SAMPLE, encoding="utf-8")
    (folder / "tests" / "test_gone.py").write_text(
        'import pytest\npytest.skip("module not usable", allow_module_level=True)\n'
    )
    xml = folder / "junit.xml"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            f"--junitxml={xml}",
            "-o",
            "junit_family=xunit1",
            "tests",
        ],
        cwd=folder,
        capture_output=True,
        text=True,
        check=True,
    )
    return xml


def test_every_kind_of_skip_is_seen_by_its_node_id(report):
    skips = read_skips(report)
    assert {s.test: s.reason for s in skips} == {
        "tests/test_gone.py": "module not usable",
        "tests/test_sample.py::test_skipped_inside": "needs a tool",
        "tests/test_sample.py::test_marked": "marked",
        "tests/test_sample.py::test_param[2]": "only one",
        "tests/test_sample.py::TestGroup::test_in_class": "in a class",
    }


def _allow(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "allowed_skips.txt"
    path.write_text(text, encoding="utf-8")
    return path


def test_gate_fails_on_a_skip_not_allowed_and_passes_when_all_are(report, tmp_path, capsys):
    partial = _allow(tmp_path, "# comment\ntests/test_sample.py::test_param[*] | one case needs a GPU\n")
    assert main([str(report)], partial) == 1
    out, err = capsys.readouterr()
    assert (
        "skipped tests: 5 (1 on the allow-list" in out and "NOT ALLOWED: tests/test_gone.py: module not usable" in out
    )
    assert "4 test(s) skipped in CI" in err
    full = _allow(tmp_path, "tests/test_sample.py::* | sample\ntests/test_gone.py | sample\n")
    assert main([str(report)], full) == 0


def test_allow_list_entries_need_a_reason(tmp_path):
    with pytest.raises(ValueError, match="allowed_skips.txt:2"):
        read_allow_list(_allow(tmp_path, "# ok\ntests/test_x.py::test_y\n"))
    with pytest.raises(ValueError):
        read_allow_list(_allow(tmp_path, "tests/test_x.py::test_y |  \n"))


def test_the_projects_allow_list_is_short_and_names_no_browser_test():
    allowed = read_allow_list()
    assert len(allowed) <= 5
    assert not [p for p in allowed if "browser" in p or "chromium" in p.lower()]
    assert all(len(reason) >= 10 for reason in allowed.values())
