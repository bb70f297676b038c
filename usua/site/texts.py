"""Source texts for the explorer: only those whose rights allow redistribution, and only when the
bytes are the ones the release's offsets were computed on (sha256 from the documents table).

Where a text is looked for, first hit wins:
1. ``--sources DIR`` (a folder of source texts, e.g. a checkout's dataset/sources);
2. ``texts/`` inside the release folder (for releases that carry their redistributable texts);
3. dataset/sources of the checkout the command runs in;
4. the redistributable texts shipped in the package (``usua/_texts``), so a pip install needs no checkout.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

#: Redistributable source texts bundled with the package (refreshed by `make docs`).
BUNDLED_TEXTS = Path(__file__).resolve().parent.parent / "_texts"


def text_folders(release_path: Path, sources: Path | None) -> list[Path]:
    """The folders to look for document texts in, in order."""
    from ..checkout import find_checkout

    folders = [sources] if sources is not None else []
    folders.append(release_path / "texts")
    checkout = find_checkout(Path.cwd().resolve())
    if checkout is not None:
        folders.append(checkout / "dataset" / "sources")
    folders.append(BUNDLED_TEXTS)
    return [f for f in folders if f.is_dir()]


def redistributable_texts(documents: list[dict[str, Any]], folders: list[Path]) -> dict[str, str]:
    """Document id -> full text, for redistributable documents whose text is found unchanged."""
    out: dict[str, str] = {}
    for d in documents:
        if not d.get("redistributable") or not d.get("path"):
            continue
        name = Path(d["path"]).name  # a bare file name: never a path outside the folder
        for folder in folders:
            p = folder / name
            if not p.is_file():
                continue
            data = p.read_bytes()
            if hashlib.sha256(data).hexdigest() == d["sha256"]:
                out[d["id"]] = data.decode("utf-8")
                break
    return out
