"""Overlapping name matches: the longest wins, then the earliest (bisect over the matches taken)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from builders.mentions import longest_first

matches = st.lists(
    st.tuples(st.integers(0, 40), st.integers(1, 8), st.sampled_from("abc")).map(lambda m: (m[0], m[0] + m[1], m[2])),
    max_size=25,
)


@given(matches)
def test_bisect_keeps_what_checking_every_kept_match_keeps(candidates):
    """Against the rule as first written: each candidate, longest first, checked against all kept."""
    kept: list[tuple[int, int, str]] = []
    for m in sorted(candidates, key=lambda m: (m[0] - m[1], m[0])):
        if all(m[1] <= t[0] or m[0] >= t[1] for t in kept):
            kept.append(m)
    assert longest_first(candidates) == sorted(kept)
