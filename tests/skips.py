"""CI's skip gate: read pytest's JUnit XML report, print every skipped test with its reason, and
fail unless each skip is on the allow-list tests/allowed_skips.txt (a pattern and a reason a line).

    python -m tests.skips report.xml      # exit 0: no skips, or only allowed ones; 1 otherwise

The report must be written with ``-o junit_family=xunit1`` so that each test case names its file.
"""

from __future__ import annotations

import re
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

ALLOW_LIST = Path(__file__).with_name("allowed_skips.txt")


@dataclass(frozen=True)
class Skip:
    test: str
    reason: str


def read_allow_list(path: Path = ALLOW_LIST) -> dict[str, str]:
    """Pattern → reason; a line without a reason is an error, not a silent allowance."""
    allowed: dict[str, str] = {}
    for n, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        pattern, sep, reason = (part.strip() for part in line.partition("|"))
        if not sep or not pattern or not reason:
            raise ValueError(f"{path.name}:{n}: write '<test id or pattern> | <reason>', got {raw!r}")
        allowed[pattern] = reason
    return allowed


def _test_id(case: ET.Element) -> str:
    """The pytest node id of a JUnit test case (xunit1: file + classname + name)."""
    file = case.get("file") or ""
    classname = case.get("classname") or ""
    name = case.get("name") or ""
    module = file.removesuffix(".py").replace("/", ".")
    if not classname and name == module:  # the whole module was skipped at collection
        return file
    inner = classname[len(module) :].lstrip(".") if module and classname.startswith(module) else ""
    parts = [file or classname, *([inner] if inner else []), *([name] if name else [])]
    return "::".join(p for p in parts if p)


def read_skips(report: Path) -> list[Skip]:
    """Every skipped test of a JUnit XML report (expected failures, also reported as skipped, are not skips)."""
    out = []
    for case in ET.parse(report).getroot().iter("testcase"):
        for skipped in case.findall("skipped"):
            if skipped.get("type") == "pytest.xfail":
                continue
            reason = (skipped.get("message") or "").strip()
            if reason == "collection skipped":  # the reason is in the text: (file, line, 'Skipped: why')
                reason = re.sub(r"^.*'Skipped: (.*)'\)$", r"\1", (skipped.text or "").strip())
            out.append(Skip(_test_id(case), reason))
    return out


def _matches(test: str, pattern: str) -> bool:
    # Only "*" is a wildcard: node ids hold brackets ("test_x[2]") that fnmatch would read as classes.
    return re.fullmatch(".*".join(map(re.escape, pattern.split("*"))), test) is not None


def unallowed(skips: list[Skip], allowed: dict[str, str]) -> list[Skip]:
    return [s for s in skips if not any(_matches(s.test, p) for p in allowed)]


def main(argv: list[str] | None = None, allow_list: Path = ALLOW_LIST) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m tests.skips <junit.xml>", file=sys.stderr)
        return 2
    skips = read_skips(Path(args[0]))
    bad = unallowed(skips, read_allow_list(allow_list))
    print(f"skipped tests: {len(skips)} ({len(skips) - len(bad)} on the allow-list {allow_list.name})")
    for s in skips:
        mark = "NOT ALLOWED" if s in bad else "allowed"
        print(f"  {mark}: {s.test}: {s.reason}")
    if bad:
        print(
            f"error: {len(bad)} test(s) skipped in CI; make them run (install what they need in the Makefile) "
            f"or list them with a reason in tests/{allow_list.name}",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
