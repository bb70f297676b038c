"""Validation leaves no cyclic garbage behind: a bulk check pauses the cyclic collector and then freezes
every object (usua.validation.check._gc_paused), so garbage in cycles would stay for the process's life."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from usua.validation import yaml_reader as reader
from usua.validation.problems import Limits

records = st.lists(
    st.fixed_dictionaries(
        {
            "id": st.from_regex(r"evt:[a-z]{1,8}", fullmatch=True),
            "n": st.integers(),
            "tags": st.lists(st.text("abz é-", max_size=5)),
        }
    ),
    min_size=1,
    max_size=5,
)


@contextmanager
def cyclic_garbage() -> Iterator[list[Any]]:
    """The objects that only the cyclic collector could free, made inside the block (collector paused)."""
    enabled = gc.isenabled()
    gc.collect()
    gc.disable()
    found: list[Any] = []
    try:
        yield found
        gc.set_debug(gc.DEBUG_SAVEALL)
        gc.collect()
        found.extend(gc.garbage)
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        if enabled:
            gc.enable()


def ours(garbage: list[Any]) -> list[Any]:
    """The garbage made by usua's own code: its loaders, and functions defined in usua."""
    is_ours: Callable[[Any], bool] = lambda o: (
        isinstance(o, reader._Loader)
        or (  # noqa: E731
            callable(o) and (getattr(o, "__module__", None) or "").startswith("usua")
        )
    )
    return [o for o in garbage if is_ours(o)]


@settings(max_examples=20, deadline=None)
@given(records)
def test_reading_yaml_leaves_no_cycles(items: list[dict[str, Any]]) -> None:
    text = yaml.safe_dump({"schema_version": "1.0.0", "events": items})
    with cyclic_garbage() as garbage:
        file, problems = reader.read_yaml("batch.yaml", text, Limits())
        assert file is not None and not problems and file.data["events"] == items
        del file
    assert ours(garbage) == []


def test_lines_of_a_record_leave_no_cycles() -> None:
    """A problem's line is found from the record's own text (yaml_record_lines), once per record told."""
    items = [{"id": f"evt:e{i}", "n": i, "tags": ["a", "b"]} for i in range(3)]
    text = yaml.safe_dump({"schema_version": "1.0.0", "events": items})
    file, _ = reader.read_yaml("batch.yaml", text, Limits())
    assert file is not None
    with cyclic_garbage() as garbage:
        assert file.line_of("/events/1/n") == text.splitlines().index("  n: 1") + 1
    assert ours(garbage) == []


def test_looking_for_repeated_texts_never_holds_every_texts_words():
    """check_repeats keeps a few numbers per document: its peak stays far below what the folded words
    of every text, held at once, would take."""
    import random
    import tracemalloc

    from tests.test_dataset_rules import _doc
    from usua.validation.repeats import check_repeats, folded_words

    rng = random.Random(1)
    vocabulary = [f"w{n:05d}" for n in range(2_000)]
    texts = {f"doc:t{k}": " ".join(rng.choices(vocabulary, k=400)) for k in range(300)}
    docs = [_doc(doc_id) for doc_id in texts]
    tracemalloc.start()
    try:
        all_words = [folded_words(t) for t in texts.values()]
        held = tracemalloc.get_traced_memory()[0]
        del all_words
        tracemalloc.reset_peak()
        base = tracemalloc.get_traced_memory()[0]
        assert check_repeats(docs, [d.id for d in docs], texts, lambda *a, **k: a) == []
        peak = tracemalloc.get_traced_memory()[1] - base
    finally:
        tracemalloc.stop()
    assert peak < held / 2, (peak, held)
