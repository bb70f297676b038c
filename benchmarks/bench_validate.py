"""Validating JSON Lines records: usua (library and CLI) against raw pydantic-core and JSON Schema validators.

    python benchmarks/bench_validate.py [--records 1000000] [--subset 20000] [--cli-subset 2000]

Every validator must reject exactly the same lines (the generator plants invalid records and lists
them); the slow JSON Schema validators run on the first --subset records and their time is
extrapolated linearly to all records, which the output says.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from common import DEFAULT_WORK, Row, print_rows, timed

TARGET_VS_PYDANTIC = 1.5
TARGET_VS_JSONSCHEMA = 20.0
#: Largest file `usua validate` accepts by default is 50 MiB; the CLI run splits the records into files below it.
SHARD_BYTES = 40 * 1024 * 1024
_KEY = re.compile(rb'^\{"([a-z]+)":')


def records_file(work: Path, count: int, seed: int) -> tuple[Path, set[int]]:
    """The JSON Lines file of ``count`` records (generated once and kept) and its invalid line numbers."""
    from benchmarks.synthetic import write_jsonl

    folder = work / f"jsonl-{count}-{seed}"
    path = folder / "records.jsonl"
    marker = folder / "invalid-lines.txt"
    if not marker.exists():
        folder.mkdir(parents=True, exist_ok=True)
        _, t = timed(write_jsonl, path, count, seed)
        print(f"  generated {count} records in {t:.1f} s", file=sys.stderr)
    return path, {int(x) for x in marker.read_text().split()}


def raw_pydantic(path: Path) -> set[int]:
    """The baseline: pydantic-core validating each line's bytes with a one-field wrapper model."""
    from pydantic import ValidationError, create_model

    from usua.validation.reader import RECORD_TYPES
    from usua.models import SECTIONS, StrictModel

    wrappers = {
        rtype.encode(): create_model(f"{rtype}Line", __base__=StrictModel, **{rtype: (SECTIONS[section], ...)})
        for rtype, section in RECORD_TYPES.items()
    }
    bad = set()
    with path.open("rb") as f:
        next(f)  # the schema_version line
        for n, line in enumerate(f, start=2):
            try:
                wrappers[_KEY.match(line)[1]].model_validate_json(line)
            except (ValidationError, KeyError, TypeError):
                bad.add(n)
    return bad


def usua_library(path: Path) -> set[int]:
    from usua.validation import Limits, check_paths

    # keep_records=False as `usua validate` does: checking needs ids and references, not the models
    result = check_paths([path], limits=Limits(max_bytes=1 << 40), keep_records=False)
    return {p.line for p in result.problems if p.severity == "error"}


def _shards(path: Path, folder: Path) -> list[tuple[Path, int]]:
    """Split a JSON Lines contribution into files under SHARD_BYTES: (file, line offset of its records)."""
    shards, out, size = [], None, 0
    with path.open("rb") as f:
        header = next(f)
        for n, line in enumerate(f, start=2):
            if out is None or size + len(line) > SHARD_BYTES:
                if out:
                    out.close()
                shard = folder / f"part-{len(shards):03d}.jsonl"
                out, size = shard.open("wb"), len(header)
                out.write(header)
                shards.append((shard, n - 2))  # shard line k (k >= 2) is original line k + offset
            out.write(line)
            size += len(line)
    out.close()
    return shards


def usua_cli(path: Path, work: Path) -> tuple[set[int], float]:
    folder = work / (path.parent.name + "-shards")
    if not folder.exists():
        folder.mkdir()
        _shards(path, folder)
    shards = sorted(folder.glob("part-*.jsonl"))
    offsets = {}
    with tempfile.TemporaryDirectory() as cwd:  # outside any checkout: only the named files are read
        # recompute offsets from line counts (cheap, and keeps the shard folder self-describing)
        total = 0
        for s in shards:
            offsets[str(s)] = total
            with s.open("rb") as f:
                total += sum(1 for _ in f) - 1
        cmd = [str(Path(sys.executable).with_name("usua")), "validate", "--format", "json", *map(str, shards)]
        (proc, t) = timed(subprocess.run, cmd, capture_output=True, text=True, cwd=cwd)
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"usua validate failed: {proc.stderr.strip()[:300]}")
    problems = json.loads(proc.stdout or "[]")
    bad = {p["line"] + offsets[p["file"]] for p in problems if p.get("severity", "error") == "error"}
    return bad, t


def _subset_records(path: Path, subset: int) -> list[tuple[int, str, dict]]:
    out = []
    with path.open("rb") as f:
        next(f)
        for n, line in enumerate(f, start=2):
            if len(out) >= subset:
                break
            ((rtype, rec),) = json.loads(line).items()
            out.append((n, rtype, rec))
    return out


def jsonschema_library(items: list[tuple[int, str, dict]]) -> set[int]:
    """The jsonschema library, as `usua validate` itself configures it (draft 2020-12, format checks)."""
    from jsonschema import Draft202012Validator, FormatChecker

    from usua.schema import json_schema

    validators = {}
    bad = set()
    for n, rtype, rec in items:
        v = validators.get(rtype)
        if v is None:
            v = validators[rtype] = Draft202012Validator(json_schema(rtype), format_checker=FormatChecker())
        if not v.is_valid(rec):
            bad.add(n)
    return bad


def check_jsonschema_cli(items: list[tuple[int, str, dict]], work: Path) -> tuple[set[int], float]:
    """check-jsonschema validates files, one record per file, one run per record type (start-up included)."""
    from usua.schema import json_schema

    exe = str(Path(sys.executable).with_name("check-jsonschema"))
    bad: set[int] = set()
    total = 0.0
    with tempfile.TemporaryDirectory(dir=work) as tmp:
        by_type: dict[str, list[Path]] = {}
        names = {}
        for n, rtype, rec in items:
            p = Path(tmp) / f"{n}.json"
            p.write_text(json.dumps(rec))
            by_type.setdefault(rtype, []).append(p)
            names[str(p)] = n
        for rtype, files in by_type.items():
            schema = Path(tmp) / f"{rtype}.schema.json"
            schema.write_text(json.dumps(json_schema(rtype)))
            proc, t = timed(
                subprocess.run,
                [exe, "-o", "json", "--schemafile", str(schema), *map(str, files)],
                capture_output=True,
                text=True,
            )
            total += t
            report = json.loads(proc.stdout)
            bad |= {names[e["filename"]] for e in report["errors"]}
            if report.get("parse_errors"):
                raise RuntimeError(f"check-jsonschema could not parse: {report['parse_errors'][:1]}")
    return bad, total


def run(
    records: int, subset: int, cli_subset: int, seed: int = 1, work: Path = DEFAULT_WORK, cli: bool = True
) -> list[Row]:
    work.mkdir(parents=True, exist_ok=True)
    path, planted = records_file(work, records, seed)
    rows: list[Row] = []
    results: dict[str, tuple[set[int], float]] = {}

    bad, t = timed(raw_pydantic, path)
    results["raw pydantic-core"] = (bad, t)
    bad, t = timed(usua_library, path)
    results["usua library (check_paths)"] = (bad, t)
    if cli:
        results["usua validate (CLI)"] = usua_cli(path, work)

    base = results["raw pydantic-core"][1]
    for name, (bad, t) in results.items():
        same = bad == planted
        rows.append(
            Row(
                "validate",
                f"{name}, {records:,} records",
                f"{t:.1f} s = {records / t:,.0f} rec/s ({t / base:.2f}x raw)",
                f"<= {TARGET_VS_PYDANTIC}x raw" if name.startswith("usua") else "",
                (t / base <= TARGET_VS_PYDANTIC) if name.startswith("usua") else None,
            )
        )
        rows.append(
            Row(
                "validate",
                f"  {name}: verdicts = planted invalid lines ({len(planted)})",
                str(same),
                "same verdicts",
                same,
            )
        )

    items = _subset_records(path, subset)
    sub_planted = {n for n, _, _ in items} & planted
    bad, t = timed(jsonschema_library, items)
    per = t / len(items)
    lib_time = results["usua library (check_paths)"][1]
    speedup = per * records / lib_time
    rows.append(
        Row(
            "validate",
            f"jsonschema library, {len(items):,} records (extrapolated to {records:,})",
            f"{t:.1f} s -> {per * records:.0f} s; usua is {speedup:.0f}x faster",
            f">= {TARGET_VS_JSONSCHEMA:.0f}x",
            speedup >= TARGET_VS_JSONSCHEMA,
        )
    )
    rows.append(
        Row(
            "validate",
            "  jsonschema library: same verdicts on its subset",
            str(bad == sub_planted),
            "same verdicts",
            bad == sub_planted,
        )
    )

    items = items[:cli_subset]
    sub_planted = {n for n, _, _ in items} & planted
    bad, t = check_jsonschema_cli(items, work)
    per = t / len(items)
    rows.append(
        Row(
            "validate",
            f"check-jsonschema CLI, {len(items):,} records (extrapolated to {records:,})",
            f"{t:.1f} s -> {per * records:.0f} s; usua is {per * records / lib_time:.0f}x faster",
            f">= {TARGET_VS_JSONSCHEMA:.0f}x",
            per * records / lib_time >= TARGET_VS_JSONSCHEMA,
        )
    )
    rows.append(
        Row(
            "validate",
            "  check-jsonschema: same verdicts on its subset",
            str(bad == sub_planted),
            "same verdicts",
            bad == sub_planted,
        )
    )
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--records", type=int, default=1_000_000)
    ap.add_argument("--subset", type=int, default=20_000, help="records given to the jsonschema library")
    ap.add_argument("--cli-subset", type=int, default=2_000, help="records given to check-jsonschema (one file each)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--work", type=Path, default=DEFAULT_WORK)
    args = ap.parse_args()
    print_rows(run(args.records, args.subset, args.cli_subset, args.seed, args.work))


if __name__ == "__main__":
    main()
