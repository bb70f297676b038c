"""Dataset assertions (dataset/assertions.yaml), in the manner of zavod's: what the dataset must keep
holding as sources are added. Checked by `usua validate` in a checkout and by the build.

    minimum:                 # at least this many records of a type (the table of the same name)
      documents: 5
    required:                # records that must exist, with the values they must keep
      - id: agr:2021-us-ukraine-rdte-agreement
        values: {/status: signing_planned}   # JSON pointer into the record -> value
        why: "doc 000 says the agreement is still to be signed"

A correct new source only adds records, so it keeps every assertion; removing or changing a required
fact makes validation fail, naming the assertion and the record.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..models import SECTIONS
from .problems import Problem

ASSERTIONS_FILE = "dataset/assertions.yaml"
_HINT = (
    "the dataset must keep what dataset/assertions.yaml declares: restore the record or value; if the "
    "sources now say otherwise, change the assertion and say why in CHANGELOG.md"
)
_MISSING = object()


def _resolve(node: Any, pointer: str) -> Any:
    """The value at a JSON pointer ('/rights/redistributable'), or _MISSING."""
    for part in pointer.split("/")[1:]:
        part = part.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return _MISSING
    return node


def _shape_problems(data: Any, file: Any, name: str) -> list[Problem]:
    def bad(pointer: str, message: str, hint: str) -> Problem:
        return Problem(name, file.line_of(pointer), pointer, "bad-assertions", message, hint)

    if not isinstance(data, dict) or set(data) - {"minimum", "required"}:
        return [bad("", "expected a mapping with 'minimum' and 'required'", "see the example at the top of the file")]
    out = []
    minimum = data.get("minimum") or {}
    if not isinstance(minimum, dict):
        out.append(bad("/minimum", "expected a mapping of record types to counts", "e.g. 'documents: 5'"))
    else:
        for section, count in minimum.items():
            if section not in SECTIONS or not isinstance(count, int) or isinstance(count, bool) or count < 0:
                out.append(
                    bad(
                        f"/minimum/{section}",
                        f"expected one of {', '.join(SECTIONS)} with a count (a whole number)",
                        "correct the record type or the count",
                    )
                )
    required = data.get("required") or []
    if not isinstance(required, list):
        return [*out, bad("/required", "expected a list of required records", "see the example")]
    for i, item in enumerate(required):
        values = item.get("values", {}) if isinstance(item, dict) else None
        if (
            not isinstance(item, dict)
            or not isinstance(item.get("id"), str)
            or set(item) - {"id", "values", "why"}
            or not isinstance(values, dict)
            or not all(isinstance(k, str) and k.startswith("/") for k in values)
        ):
            out.append(
                bad(
                    f"/required/{i}",
                    "expected 'id' (a record id), optional 'values' (JSON pointer -> value) and 'why'",
                    "e.g. {id: doc:x, values: {/rights/redistributable: true}}",
                )
            )
    return out


def check_assertions(dataset_root: Path, records: dict[str, list[Any]]) -> list[Problem]:
    """Problems of the dataset against its assertions (none when it declares none)."""
    from .dataset_rules import shown
    from .reader import read_contribution_file

    path = Path(dataset_root) / ASSERTIONS_FILE
    if not path.exists():
        return []
    name = shown(path)
    file, problems = read_contribution_file(path, name=name)
    if file is None or problems:
        return problems
    shape = _shape_problems(file.data, file, name)
    if shape:
        return shape
    data = file.data
    out = []
    for section, want in (data.get("minimum") or {}).items():
        have = len(records.get(section, []))
        if have < want:
            out.append(
                Problem(
                    name,
                    file.line_of(f"/minimum/{section}"),
                    f"/minimum/{section}",
                    "assertion-failed",
                    f"the dataset has {have} {section}, fewer than the {want} it must have",
                    _HINT,
                )
            )
    by_id = {rec.id: rec for recs in records.values() for rec in recs}
    for i, item in enumerate(data.get("required") or []):
        pointer = f"/required/{i}"
        rec = by_id.get(item["id"])
        if rec is None:
            out.append(
                Problem(
                    name,
                    file.line_of(pointer),
                    pointer,
                    "assertion-failed",
                    f"the required record {item['id']} is not in the dataset"
                    + (f" ({item['why']})" if item.get("why") else ""),
                    _HINT,
                )
            )
            continue
        if not item.get("values") or not hasattr(rec, "model_dump"):
            continue
        dumped = rec.model_dump(mode="json")
        for field, want in item["values"].items():
            have = _resolve(dumped, field)
            if have != want:
                shown_have = "nothing" if have is _MISSING else repr(have)
                out.append(
                    Problem(
                        name,
                        file.line_of(f"{pointer}/values"),
                        f"{pointer}/values",
                        "assertion-failed",
                        f"{item['id']} must have {field} = {want!r}, but has {shown_have}"
                        + (f" ({item['why']})" if item.get("why") else ""),
                        _HINT,
                    )
                )
    return out
