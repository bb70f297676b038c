"""The whole-dataset rules made cheap keep their results: each rewritten step is compared with an
independent spelling of its rule (or with the slower spelling it replaced, kept here as the reference)."""

from __future__ import annotations

import zlib

from hypothesis import given
from hypothesis import strategies as st

from usua.validation.repeats import SHINGLE_WORDS, _shingles

words = st.lists(st.sampled_from(["a", "b", "c", "é", "the", "war"]) | st.text(max_size=4), max_size=30)


@given(words, words)
def test_shingles_are_the_hashes_of_each_window_of_words(text, earlier):
    cache: dict[str, int] = {}
    _shingles(earlier, cache)  # the word hashes are shared between texts
    ids = [zlib.crc32(w.encode("utf-8")) for w in text]
    windows = [ids[i : i + SHINGLE_WORDS] for i in range(len(ids) - SHINGLE_WORDS + 1)] or [ids]
    assert _shingles(text, cache) == {hash(tuple(w)) for w in windows}
    assert _shingles(text) == _shingles(text, cache)
