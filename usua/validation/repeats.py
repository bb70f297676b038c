"""Documents that repeat another: a text equal to another's must say so (``copy_of``); a near-duplicate
is pointed out. Run by `usua validate` (with the sources) and the build.

Texts are compared after folding typographic variants (usua.text.normalise), case and white space.
Equal texts: an error unless one is declared a copy of the other (or both of the same original).
Near-duplicates, a warning: one text begins with the whole of the other (at least PREFIX_WORDS words),
or their sets of word 5-shingles overlap by a Jaccard index of NEAR_JACCARD or more. Candidates come
from one-permutation MinHash with banding (BANDS bands of ROWS bin minima: two texts with a Jaccard
index of 0.8 share a band with a probability above 0.999, two with 0.3 share one with about 0.24); each candidate pair is
then measured on bottom-k sketches (the SKETCH smallest shingle hashes). Every step is one pass over
the documents with hashing, and a key shared by more than BUCKET_LIMIT documents (boilerplate)
proposes no pairs, so the work grows with the number of documents, not with its square.
"""

from __future__ import annotations

import hashlib
import zlib
from array import array
from collections import defaultdict
from collections.abc import Callable, Iterator
from itertools import combinations
from typing import Any

from ..models.document import originals
from ..text import normalise
from .reader import Origin

SHINGLE_WORDS = 5
NEAR_JACCARD = 0.8
SKETCH = 64
BANDS, ROWS = 10, 3
PREFIX_WORDS = 20
BUCKET_LIMIT = 32
#: Distinct words whose hashes are kept for the next texts (a large corpus's vocabulary is unbounded).
WORD_HASHES_KEPT = 200_000

Problem = Any
MakeProblem = Callable[..., Problem]


def folded_words(text: str) -> list[str]:
    return normalise(text).casefold().split()


def _shingles(words: list[str], word_hashes: dict[str, int] | None = None) -> set[int]:
    """Hashes of the text's word 5-shingles (of the whole text when shorter). Words are hashed once with
    CRC-32 and shingles as tuples of those numbers (hashing a tuple of ints is the same in every run,
    unlike hashing text), which is several times faster than hashing each shingle's text. Only the words
    not seen before are hashed in a Python loop; the rest is done by map and zip in C."""
    cache = {} if word_hashes is None else word_hashes
    for w in set(words).difference(cache):
        cache[w] = zlib.crc32(w.encode("utf-8"))
    ids = list(map(cache.__getitem__, words))
    if len(ids) < SHINGLE_WORDS:
        return {hash(tuple(ids))}
    return set(map(hash, zip(*(ids[i:] for i in range(SHINGLE_WORDS)))))


def _sketch(words: list[str]) -> array:
    """The SKETCH smallest shingle hashes, compactly (8 bytes each)."""
    return array("q", sorted(_shingles(words))[:SKETCH])


def _band_keys(ordered: list[int]) -> list[tuple[int | None, ...]]:
    """One-permutation MinHash: the smallest hash in each of BANDS * ROWS bins (by the hash's low bits),
    read off the sorted hashes, grouped ROWS to a band."""
    bins = BANDS * ROWS
    minima: list[int | None] = [None] * bins
    missing = bins
    for h in ordered:
        if minima[h % bins] is None:
            minima[h % bins] = h
            missing -= 1
            if not missing:
                break
    return [(band, *minima[band * ROWS : (band + 1) * ROWS]) for band in range(BANDS)]


def estimated_jaccard(a, b) -> float:
    """The Jaccard index of two shingle sets from their bottom-k sketches (exact below SKETCH shingles)."""
    sa, sb = set(a), set(b)
    union = sorted(sa | sb)[:SKETCH]
    return sum(1 for h in union if h in sa and h in sb) / len(union) if union else 1.0


def _may_be_near(a, b) -> bool:
    """False when the two sketches share too few hashes for estimated_jaccard to reach NEAR_JACCARD: it
    counts shared hashes among the min(SKETCH, |a | b|) smallest, so it is at most the number shared
    over that count (the same division, so rounding keeps the order). Most band collisions stop here."""
    sa, sb = set(a), set(b)
    shared = len(sa & sb)
    return shared / min(SKETCH, len(sa) + len(sb) - shared) >= NEAR_JACCARD if shared else not (sa or sb)


def _pairs(index: dict[Any, list[int]]) -> Iterator[tuple[int, int]]:
    for members in index.values():
        if 1 < len(members) <= BUCKET_LIMIT:
            yield from combinations(members, 2)


def check_repeats(
    documents: list[Any], doc_origins: list[Origin], texts: dict[str, str], problem: MakeProblem
) -> list[Problem]:
    """Problems of equal and near-duplicate texts among ``documents`` (records in file order, with their
    origins); documents without a text in ``texts`` are left out."""
    out = [*_copy_loops(documents, doc_origins, problem)]
    root = originals(documents)
    present = [(k, d) for k, d in enumerate(documents) if d.id in texts]

    def related(i: int, j: int) -> bool:
        a, b = documents[i].id, documents[j].id
        return root.get(a, a) == root.get(b, b)

    # one pass over the texts keeps a few numbers per document, never every text's words at once (a
    # list of word objects weighs several times its text: 65 MiB at 10k documents); a text's words are
    # folded again only for the rare pairs whose first words agree
    first_of: dict[bytes, int] = {}
    equal: set[tuple[int, int]] = set()
    lengths: dict[int, int] = {}
    by_start: dict[int, list[int]] = defaultdict(list)
    sketches: dict[int, array] = {}
    by_band: dict[tuple[int | None, ...], list[int]] = defaultdict(list)
    word_hashes: dict[str, int] = {}
    for k, d in present:
        words = folded_words(texts[d.id])
        if len(word_hashes) > WORD_HASHES_KEPT:
            word_hashes.clear()  # (a cache only: a word's hash is the same when computed again)
        lengths[k] = len(words)
        if len(words) >= PREFIX_WORDS:
            by_start[zlib.crc32(" ".join(words[:PREFIX_WORDS]).encode("utf-8"))].append(k)
        ordered = sorted(_shingles(words, word_hashes))
        sketches[k] = array("q", ordered[:SKETCH])
        for key in _band_keys(ordered):
            by_band[key].append(k)
        digest = hashlib.sha256(" ".join(words).encode("utf-8")).digest()
        del words, ordered
        if digest not in first_of:
            first_of[digest] = k
            continue
        i = first_of[digest]
        equal.add((i, k))
        if not related(i, k):
            a, b = documents[i].id, documents[k].id
            out.append(
                problem(
                    doc_origins[k],
                    "",
                    "duplicate-text",
                    f"the text of {b} is the same as the text of {a} (after folding case, white space and "
                    "typographic quotes and dashes)",
                    f"if it republishes or copies {a}, say so with 'copy_of: {{document: {a}, kind: "
                    "republication}' (or kind: copy); if it is the same document received twice, remove this "
                    "record and its text",
                )
            )

    near: dict[tuple[int, int], str] = {}
    for i, j in _pairs(by_start):
        short, long = sorted((i, j), key=lengths.__getitem__)
        short_words = folded_words(texts[documents[short].id])
        if folded_words(texts[documents[long].id])[: len(short_words)] == short_words:
            near[(i, j)] = f"the text of {documents[long].id} begins with the whole text of {documents[short].id}"

    for i, j in sorted(set(_pairs(by_band))):
        if (i, j) in near or not _may_be_near(sketches[i], sketches[j]):
            continue
        score = estimated_jaccard(sketches[i], sketches[j])
        if score >= NEAR_JACCARD:
            near[(i, j)] = (
                f"the texts of {documents[i].id} and {documents[j].id} share about {score:.0%} of their "
                f"{SHINGLE_WORDS}-word sequences"
            )

    for (i, j), why in sorted(near.items()):
        if (i, j) in equal or related(i, j):
            continue
        out.append(
            problem(
                doc_origins[j],
                "",
                "near-duplicate-text",
                f"{documents[j].id} may repeat {documents[i].id}: {why}",
                f"if it republishes, copies or excerpts {documents[i].id}, declare it with 'copy_of: "
                f"{{document: {documents[i].id}, kind: republication}}' (or copy, excerpt); if the two are "
                "different documents, nothing needs doing",
                "warning",
            )
        )
    return out


def _copy_loops(documents: list[Any], doc_origins: list[Origin], problem: MakeProblem) -> Iterator[Problem]:
    declared = {d.id: d.copy_of.document for d in documents if d.copy_of is not None}
    for k, d in enumerate(documents):
        if d.copy_of is None:
            continue
        seen, at = [d.id], d.copy_of.document
        while at in declared and at not in seen:
            seen.append(at)
            at = declared[at]
        if at == d.id:
            yield problem(
                doc_origins[k],
                "/copy_of/document",
                "copy-loop",
                f"copy_of goes round in a loop: {' -> '.join([*seen, d.id])}",
                "point copy_of of the repeats at the original, and give the original no copy_of",
            )
