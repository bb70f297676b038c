"""The floor of a build: the same work as ``usua build`` done by the libraries alone, timed per stage.

    python benchmarks/bench_build_floor.py CHECKOUT [--release DIR]

CHECKOUT is a folder with ``dataset/`` (a synthetic corpus, see ``synthetic.py``) whose release was
built before (``bench_build.py`` builds it): that release's tables give the rows to write, so this
script times only what a build cannot do without. Stages, each with the fastest library call at hand:

* read the inputs: ``documents.yaml`` and YAML curation with libyaml (``yaml.CSafeLoader``); JSON Lines
  curation split into lines;
* validate every record with its pydantic model, strict JSON mode (what usua's verdicts rest on);
* read and hash every source text (SHA-256), decode it, normalise it (``str.replace``), find every
  evidence quote (``str.find``);
* the coverage tokeniser (one regex pass per text) and Aho-Corasick mentions (``ahocorasick_rs``);
* rows to Arrow (``pa.Table.from_pylist`` with the release schema); the formats the release holds:
  Parquet (same options), CSV (``pyarrow.csv``, lists joined by pyarrow.compute; gzip-compressed by
  Arrow when the release's CSV is, as in a compact release), and in a full release JSON
  (``pydantic_core.to_json``, indent 2), JSON Lines (polars) and ``records/`` (pydantic ``dump_json``);
* the release's ``schema/``: each record model's JSON Schema (pydantic ``model_json_schema``), as JSON;
* hash every written file (SHA-256).

The cyclic garbage collector is off throughout (the objects are acyclic), as it is in the build.

Prints one JSON object: seconds per stage and their sum (``floor_s``).
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import os
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT  # noqa: F401  (puts the checkout on sys.path)

FOLD = (
    ("\u2018", "'"),
    ("\u2019", "'"),
    ("\u201b", "'"),
    ("\u2032", "'"),
    ("\u201c", '"'),
    ("\u201d", '"'),
    ("\u201f", '"'),
    ("\u2033", '"'),
    ("\u2013", "-"),
    ("\u2014", "-"),
    ("\u2212", "-"),
    ("\u2011", "-"),
    ("\u00a0", " "),
    ("\u202f", " "),
    ("\u2009", " "),
)


def _fold(text: str) -> str:
    for a, b in FOLD:
        text = text.replace(a, b)
    return text


def prepared(release: Path) -> dict:
    """What the timed stages take as given (not timed): the release's rows, quotes and names."""
    import pyarrow.parquet as pq

    from usua.release_tables import TABLES

    rows = {}
    for t in TABLES:
        single = release / "parquet" / f"{t.name}.parquet"
        rows[t.name] = pq.read_table(single if single.exists() else release / "parquet" / t.name).to_pylist()
    quotes: dict[str, list[str]] = {}
    for ev in rows["evidence"]:
        quotes.setdefault(ev["document"], []).append(ev["quote"])
    names = sorted({_fold(e["name"]) for e in rows["entities"]} | {_fold(a["alias"]) for a in rows["entity_aliases"]})
    # the formats the release holds: a compact one has gzipped CSV and neither JSON copies nor records/
    formats = {
        "json": (release / "json").is_dir(),
        "records": (release / "records").is_dir(),
        "csv_gz": any((release / "csv").glob("*.csv.gz")),
    }
    return {"rows": rows, "quotes": quotes, "names": names, "formats": formats}


def floor(dataset: Path, given: dict) -> dict[str, float]:
    import ahocorasick_rs
    import polars as pl
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq
    import pydantic
    import pydantic_core
    import yaml

    from builders.coverage import _TOKEN
    from builders.write_tables import PARQUET_OPTIONS
    from usua.models import RECORD_MODELS
    from usua.models.registry import RECORD_TYPES
    from usua.release_tables import arrow_schema

    gc.disable()  # millions of acyclic objects: what a careful user of these libraries does (so does the build)
    by_section = {t.section: t.model for t in RECORD_TYPES}
    by_type = {t.name: (t.section, t.model) for t in RECORD_TYPES}
    stages: dict[str, float] = {}
    clock = [time.perf_counter()]

    def lap(name: str) -> None:
        now = time.perf_counter()
        stages[name] = now - clock[0]
        clock[0] = now

    # read and validate the inputs
    records: dict[str, list] = {}
    raw_docs = yaml.load((dataset / "sources" / "documents.yaml").read_bytes(), Loader=yaml.CSafeLoader)
    yaml_items = [("documents", d) for d in raw_docs["documents"]]
    jsonl_lines: list[bytes] = []
    for path in sorted((dataset / "curation").iterdir()):
        if path.suffix == ".yaml" and path.name != "excluded-names.yaml":
            data = yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)
            yaml_items += [(s, item) for s, items in data.items() if s != "schema_version" for item in items]
        elif path.suffix == ".jsonl":
            jsonl_lines += path.read_bytes().splitlines()[1:]
    lap("read and parse inputs")
    for section, item in yaml_items:
        model = by_section[section]
        records.setdefault(section, []).append(
            model.__pydantic_validator__.validate_json(pydantic_core.to_json(item), strict=True)
        )
    for line in jsonl_lines:  # {"<type>":{...}}: the record is the text after the first colon
        colon = line.index(b":")
        section, model = by_type[line[2 : colon - 1].decode()]
        records.setdefault(section, []).append(
            model.__pydantic_validator__.validate_json(line[colon + 1 : -1], strict=True)
        )
    lap("validate (pydantic, strict)")

    norms = {}
    for doc in records["documents"]:
        raw = (dataset / "sources" / doc.path).read_bytes()
        if hashlib.sha256(raw).hexdigest() != doc.sha256:
            raise SystemExit(f"{doc.path}: hash differs")
        norms[doc.id] = norm = _fold(raw.decode("utf-8"))
        for q in given["quotes"].get(doc.id, ()):
            if norm.find(_fold(q)) < 0:
                raise SystemExit(f"{doc.id}: quote not found")
    lap("hash texts, normalise, find quotes")
    tokens = sum(1 for norm in norms.values() for _ in _TOKEN.finditer(norm))
    lap("coverage tokeniser")
    automaton = ahocorasick_rs.AhoCorasick(given["names"], matchkind=ahocorasick_rs.MatchKind.Standard)
    matches = sum(len(automaton.find_matches_as_indexes(norm, overlapping=True)) for norm in norms.values())
    lap("Aho-Corasick mentions")

    out = Path(tempfile.mkdtemp(prefix="usua-floor-"))
    try:
        tables = {name: pa.Table.from_pylist(rows, schema=arrow_schema(name)) for name, rows in given["rows"].items()}
        lap("rows to Arrow")
        formats = given["formats"]
        gzip6 = pa.Codec("gzip", compression_level=6)
        subs = (
            "parquet",
            "csv",
            *(("json", "jsonl") if formats["json"] else ()),
            *(("records",) if formats["records"] else ()),
        )
        for sub in subs:
            (out / sub).mkdir()
        for name, table in tables.items():
            pq.write_table(table, out / "parquet" / f"{name}.parquet", **PARQUET_OPTIONS)
            flat = table
            for i, field in enumerate(table.schema):
                if pa.types.is_list(field.type):
                    flat = flat.set_column(i, field.name, pc.binary_join(table.column(i), "|"))
            if formats["csv_gz"]:  # at the build's level (Arrow's default, 9, is twice as slow)
                sink = pa.BufferOutputStream()
                pacsv.write_csv(flat, sink)
                (out / "csv" / f"{name}.csv.gz").write_bytes(gzip6.compress(sink.getvalue()))
            else:
                pacsv.write_csv(flat, out / "csv" / f"{name}.csv")
            if formats["json"]:
                (out / "json" / f"{name}.json").write_bytes(pydantic_core.to_json(given["rows"][name], indent=2))
                pl.from_arrow(table).write_ndjson(out / "jsonl" / f"{name}.jsonl")
        for section, recs in records.items() if formats["records"] else ():
            adapter = pydantic.TypeAdapter(list[by_section[section]])
            (out / "records" / f"{section}.json").write_bytes(adapter.dump_json(recs, indent=2))
        lap("write the release's formats (Parquet, CSV; JSON, JSON Lines, records in a full release)")
        (out / "schema").mkdir()
        for name, model in RECORD_MODELS.items():  # a release carries its contract, generated from the models
            text = json.dumps(model.model_json_schema(mode="validation"), indent=2, sort_keys=True)
            (out / "schema" / f"{name}.schema.json").write_text(text + "\n", encoding="utf-8")
        lap("write schema/ (JSON Schema of every model)")
        for folder, _, files in os.walk(out):
            for f in files:
                hashlib.sha256(Path(folder, f).read_bytes()).hexdigest()
        lap("hash outputs")
    finally:
        import shutil

        shutil.rmtree(out, ignore_errors=True)
    return {"stages": stages, "floor_s": sum(stages.values()), "tokens": tokens, "matches": matches}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("checkout", type=Path, help="folder with dataset/ and a built release")
    ap.add_argument("--release", type=Path, help="the release folder (default: the one under CHECKOUT/releases)")
    args = ap.parse_args()
    release = args.release or next(p for p in (args.checkout / "releases").iterdir() if not p.name.startswith("."))
    given = prepared(release)
    print(json.dumps(floor(args.checkout / "dataset", given)))


if __name__ == "__main__":
    sys.exit(main())
