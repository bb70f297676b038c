"""The release's JSON is written by pydantic-core, with exactly the bytes Python's json module gives."""

from __future__ import annotations

import json
import re
from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from builders.write_tables import json_bytes, jsonl_text, not_like_python
from usua.formats import strict_json_default

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(),
    st.dates(min_value=date(1, 1, 1)),
)
values = st.recursive(
    scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4), max_leaves=20
)


@given(values)
def test_json_bytes_are_those_of_the_json_module(value):
    want = json.dumps(value, ensure_ascii=False, indent=2, default=strict_json_default) + "\n"
    assert json_bytes(value) == want.encode()


@given(st.lists(st.dictionaries(st.text(), values, max_size=4), max_size=5))
def test_json_lines_are_one_json_dumps_per_row(rows):
    want = "".join(json.dumps(r, ensure_ascii=False, default=strict_json_default) + "\n" for r in rows)
    assert jsonl_text(rows) == want


@given(st.binary(max_size=40) | st.text(alphabet='0123456789e-.x "', max_size=40).map(str.encode))
def test_the_fast_number_test_agrees_with_the_plain_regex(text):
    # the test json_bytes used before: a class of digits first, which made the engine try every byte
    plain = re.compile(rb"[0-9]e-|0\.0000")
    assert not_like_python(text) == (plain.search(text) is not None)
