"""Validating JSON Lines records: usua (library and command) against jsonschema-rs, msgspec structs, raw
pydantic-core and the jsonschema library, on the same records with the same verdicts.

    python benchmarks/bench_validate.py [--records 1000000] [--runs 3] [--subset 20000]

Every validator must reject exactly the same lines (the generator plants invalid records and lists
them). Each contender runs in a fresh interpreter, contenders interleaved, ``--runs`` times; the
figures are the min (and median) of those runs, and the ratios are taken between minima of the same
run set. The slow jsonschema library runs on the first --subset records and its time is extrapolated
linearly to all records, which the output says.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from common import DEFAULT_WORK, ROOT, Row, print_rows, run_child, timed

TARGET_LIBRARY_RATE = 100_000
TARGET_CLI_RATE = 80_000
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


def _lines(path: Path) -> list[bytes]:
    with path.open("rb") as f:
        return f.read().split(b"\n")


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
        # an empty release: the synthetic ids would otherwise clash with the bundled release's
        empty = work / "empty-release"
        (empty / "records").mkdir(parents=True, exist_ok=True)
        cmd = [str(Path(sys.executable).with_name("usua")), "validate", "--format", "json", "--release", str(empty)]
        cmd += map(str, shards)
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


def jsonschema_rs_lines(path: Path) -> set[int]:
    """jsonschema-rs with the published schema of each record type, each line parsed by msgspec (the
    fastest JSON parser at hand): what a third-party validator of the schema does at best."""
    import jsonschema_rs
    import msgspec

    from usua.schema import json_schema

    decode = msgspec.json.decode
    validators: dict[str, Any] = {}
    bad = set()
    for n, line in enumerate(_lines(path)[1:], start=2):
        if not line:
            continue
        try:
            ((rtype, rec),) = decode(line).items()
            check = validators.get(rtype)
            if check is None:
                check = validators[rtype] = jsonschema_rs.validator_for(json_schema(rtype)).is_valid
            if not check(rec):
                bad.add(n)
        except (ValueError, KeyError):
            bad.add(n)
    return bad


def msgspec_types() -> dict[bytes, Any]:
    """msgspec decoders of one-key line objects, with Structs generated from the published schema
    (``usua.validation.screen.schema_struct`` without its checks): types, enums, patterns, lengths and
    bounds, unknown fields refused (no cross-field rules, no date derivation)."""
    import msgspec

    from usua.schema import json_schema
    from usua.validation.reader import RECORD_TYPES
    from usua.validation.screen import schema_struct

    out = {}
    for rtype in RECORD_TYPES:
        record = schema_struct(json_schema(rtype), rtype.title())
        line = msgspec.defstruct(f"{rtype.title()}Line", [(rtype, record)], forbid_unknown_fields=True)
        out[rtype.encode()] = msgspec.json.Decoder(line).decode
    return out


def msgspec_lines(path: Path) -> set[int]:
    import msgspec

    decoders = msgspec_types()
    bad = set()
    for n, line in enumerate(_lines(path)[1:], start=2):
        if not line:
            continue
        try:
            decoders[_KEY.match(line)[1]](line)
        except (msgspec.ValidationError, msgspec.DecodeError, KeyError, TypeError):
            bad.add(n)
    return bad


def jsonschema_library(path: Path, subset: int) -> set[int]:
    """The jsonschema library, as `usua validate` itself configures it (draft 2020-12, format checks),
    on the first ``subset`` records."""
    from jsonschema import Draft202012Validator, FormatChecker

    from usua.schema import json_schema

    validators: dict[str, Any] = {}
    bad = set()
    for n, line in enumerate(_lines(path)[1 : subset + 1], start=2):
        ((rtype, rec),) = json.loads(line).items()
        v = validators.get(rtype)
        if v is None:
            v = validators[rtype] = Draft202012Validator(json_schema(rtype), format_checker=FormatChecker())
        if not v.is_valid(rec):
            bad.add(n)
    return bad


def setup() -> None:
    """What every contender may do before the clock starts: import its libraries and compile the
    published schemas (a one-off cost; the command's figure includes it, and start-up is measured
    on its own by bench_load.py)."""
    import jsonschema  # noqa: F401
    import msgspec  # noqa: F401

    from usua.schema import json_schema
    from usua.validation import check_paths  # noqa: F401
    from usua.validation.reader import RECORD_TYPES
    from usua.validation.records import _line_model
    from usua.validation.screen import screen

    for rtype in RECORD_TYPES:
        json_schema(rtype)
        _line_model(rtype)
        screen(rtype)


#: Contender -> the call its child process times (``path``, ``subset`` are defined there).
CONTENDERS = {
    "usua library (check_paths)": "usua_library(path)",
    "jsonschema-rs (msgspec parse)": "jsonschema_rs_lines(path)",
    "msgspec structs": "msgspec_lines(path)",
    "raw pydantic-core": "raw_pydantic(path)",
    "jsonschema library": "jsonschema_library(path, subset)",
}


def _child(call: str, path: Path, subset: int) -> dict:
    return run_child(
        f"sys.path.insert(0, {str(ROOT / 'benchmarks')!r})\n"
        "from pathlib import Path\n"
        "from bench_validate import *\n"
        f"path, subset = Path({str(path)!r}), {subset}\n"
        "setup()\n"
        "t = time.perf_counter()\n"
        f"bad = {call}\n"
        "result = {'t': time.perf_counter() - t, 'bad': sorted(bad)}"
    )


def _figure(times: list[float]) -> str:
    return f"min {min(times):.2f} s, median {statistics.median(times):.2f} s"


def run(
    records: int, subset: int, runs: int = 3, seed: int = 1, work: Path = DEFAULT_WORK, cli: bool = True
) -> list[Row]:
    work.mkdir(parents=True, exist_ok=True)
    path, planted = records_file(work, records, seed)
    subset = min(subset, records)
    sub_planted = {n for n in planted if n <= subset + 1}
    times: dict[str, list[float]] = {}
    verdicts: dict[str, bool] = {}
    names = [*CONTENDERS, *(["usua validate (command)"] if cli else [])]
    for _ in range(runs):  # interleaved: a burst of load on the shared machine hits every contender alike
        for name in names:
            if name == "usua validate (command)":
                bad, t = usua_cli(path, work)
            else:
                out = _child(CONTENDERS[name], path, subset)
                if "error" in out:
                    return [Row("validate", name, f"FAILED: {out['error'][:200]}")]
                bad, t = set(out["bad"]), out["t"]
            times.setdefault(name, []).append(t)
            want = sub_planted if name == "jsonschema library" else planted
            verdicts[name] = verdicts.get(name, True) and bad == want

    lib = min(times["usua library (check_paths)"])
    rows: list[Row] = []
    for name in names:
        best = min(times[name])
        n = subset if name == "jsonschema library" else records
        rate = n / best
        if name.startswith("usua"):
            target = TARGET_CLI_RATE if "command" in name else TARGET_LIBRARY_RATE
            rows.append(
                Row(
                    "validate",
                    f"{name}, {records:,} records, {runs} runs",
                    f"{_figure(times[name])} = {rate:,.0f} rec/s",
                    f">= {target:,} rec/s",
                    rate >= target,
                )
            )
        else:
            scaled = best * records / n
            what = f"{n:,} records (extrapolated to {records:,})" if n != records else f"{records:,} records"
            rows.append(
                Row(
                    "validate",
                    f"{name}, {what}, {runs} runs",
                    f"{_figure(times[name])} = {rate:,.0f} rec/s; usua library / this = {lib / scaled:.2f}x the time",
                )
            )
        rows.append(
            Row(
                "validate",
                f"  {name}: rejects exactly the planted invalid lines ({len(sub_planted if n != records else planted)})",
                str(verdicts[name]),
                "same verdicts",
                verdicts[name],
            )
        )
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--records", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=3, help="interleaved runs of every contender (min and median)")
    ap.add_argument("--subset", type=int, default=20_000, help="records given to the jsonschema library")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--work", type=Path, default=DEFAULT_WORK)
    ap.add_argument("--no-cli", action="store_true", help="leave out `usua validate` (the command)")
    args = ap.parse_args()
    print_rows(run(args.records, args.subset, args.runs, args.seed, args.work, cli=not args.no_cli))


if __name__ == "__main__":
    main()
