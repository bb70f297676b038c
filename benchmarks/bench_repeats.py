"""Repeated-text detection (usua.validation.repeats) on the synthetic corpus: time per document at
several corpus sizes, min of interleaved runs. The target is a flat time per document (linear work):
the texts are compared through hash buckets, never pairwise.

    python benchmarks/bench_repeats.py --sizes 1000 10000 --repeat 3
"""

from __future__ import annotations

import argparse
import time
from types import SimpleNamespace

from common import Row, print_rows
from synthetic import Corpus

from usua.validation.repeats import check_repeats


def _corpus(n: int) -> tuple[list[SimpleNamespace], dict[str, str]]:
    docs, texts = [], {}
    for bundle in Corpus(1, n).bundles():
        doc = bundle.records["documents"][0]
        docs.append(SimpleNamespace(id=doc["id"], copy_of=None))
        texts[doc["id"]] = bundle.text
    return docs, texts


def run(sizes: list[int], repeat: int = 3) -> list[Row]:
    corpora = {n: _corpus(n) for n in sizes}
    best = dict.fromkeys(sizes, float("inf"))
    found = {}
    for _ in range(repeat):  # interleaved, so that a busy moment does not hit one size only
        for n, (docs, texts) in corpora.items():
            t = time.perf_counter()
            found[n] = check_repeats(docs, [d.id for d in docs], texts, lambda o, s, code, *rest: code)
            best[n] = min(best[n], time.perf_counter() - t)
    per_doc = {n: best[n] / n * 1e6 for n in sizes}
    rows = [
        Row("repeats", f"{n:,} documents", f"{best[n]:.2f} s, {per_doc[n]:.0f} µs/document, {len(found[n])} found")
        for n in sizes
    ]
    ratio = max(per_doc.values()) / min(per_doc.values())
    rows.append(Row("repeats", "time per document, largest / smallest", f"{ratio:.2f}x", "≤ 1.5x", ratio <= 1.5))
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000])
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    print_rows(run(args.sizes, args.repeat))


if __name__ == "__main__":
    main()
