"""The inputs' hashes: every file below the input folders but hidden ones, as the walk first written lists them."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from builders.manifest import INPUT_DIRS, input_hashes
from usua.release_folder import sha256_file

_PARTS = st.sampled_from(["a", ".h", "b.txt", ".x.yaml", "c"])


def _hashes_as_first_written(root: Path, known: dict[str, str]) -> dict[str, str]:
    out = {}
    for d in INPUT_DIRS:
        for folder, _, names in os.walk(root / d):
            for name in names:
                p = Path(folder, name)
                rel = p.relative_to(root).as_posix()
                if not any(part.startswith(".") for part in rel.split("/")) and p.is_file():
                    out[rel] = f"sha256:{known.get(rel) or sha256_file(p)}"
    return dict(sorted(out.items()))


@settings(deadline=None, max_examples=50)
@given(
    st.lists(st.tuples(st.sampled_from(INPUT_DIRS), st.lists(_PARTS, min_size=1, max_size=3)), max_size=8),
    st.booleans(),
)
def test_input_hashes_are_what_they_were(files, with_known):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for top, parts in files:
            path = root / top / Path(*parts)
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text("/".join(parts))
            except (FileExistsError, NotADirectoryError, IsADirectoryError):
                continue  # a name taken by a file and a folder at once
        (root / "dataset" / "elsewhere.txt").parent.mkdir(parents=True, exist_ok=True)
        (root / "dataset" / "elsewhere.txt").write_text("not an input")
        known = {rel: "0" * 64 for rel in _hashes_as_first_written(root, {})} if with_known else {}
        assert input_hashes(root, known) == _hashes_as_first_written(root, known)


def test_an_input_it_may_not_look_at_is_an_error_not_a_gap(tmp_path, monkeypatch):
    import pytest

    (tmp_path / "dataset" / "curation").mkdir(parents=True)
    (tmp_path / "dataset" / "curation" / "a.yaml").write_text("a")
    (tmp_path / "dataset" / "curation" / "broken-link.yaml").symlink_to(tmp_path / "nowhere")
    assert list(input_hashes(tmp_path)) == ["dataset/curation/a.yaml"]  # a dangling link is no file
    real_stat = os.stat

    def refused(path, *args, **kwargs):
        if str(path).endswith("a.yaml"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_stat(path, *args, **kwargs)

    monkeypatch.setattr(os, "stat", refused)
    with pytest.raises(PermissionError):
        input_hashes(tmp_path)
