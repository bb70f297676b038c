"""Where a checkout of the dataset keeps its inputs, and which of its files are contributions.

Light on purpose (paths only): the command line imports it for every command, and `usua validate`
and the build both list contribution files with ``contribution_files``, so they read the same files.
"""

from __future__ import annotations

import os
from pathlib import Path

#: File endings of contribution files, compared case-insensitively (``new.YAML`` is a YAML file).
CONTRIBUTION_FORMATS = {".yaml": "yaml", ".yml": "yaml", ".json": "json", ".jsonl": "jsonl"}

#: Files that live beside contributions but are not contributions (the coverage report's exclusions).
NOT_CONTRIBUTIONS = {"excluded-names.yaml"}


def contribution_format(path: Path) -> str | None:
    """'yaml', 'json' or 'jsonl' from the file's ending (any case), None for other files."""
    return CONTRIBUTION_FORMATS.get(Path(path).suffix.lower())


def contribution_files(folder: Path) -> list[Path]:
    """Every contribution file of a curation folder, sorted by name: any entry whose name ends in a
    contribution ending, whatever it is (a FIFO, a device, a dangling or looping symbolic link), so
    that reading it reports what is wrong instead of the file being skipped. Hidden names and
    ``NOT_CONTRIBUTIONS`` are left out."""
    try:
        names = sorted(e.name for e in os.scandir(folder))
    except (FileNotFoundError, NotADirectoryError):
        return []
    return [
        folder / n
        for n in names
        if contribution_format(Path(n)) and not n.startswith(".") and n not in NOT_CONTRIBUTIONS
    ]


def find_checkout(start: Path, *, with_builders: bool = False) -> Path | None:
    """The nearest folder at or above ``start`` that is a checkout of the dataset: it has
    dataset/sources/documents.yaml (and builders/, when the build is needed)."""
    for folder in [start, *start.parents]:
        if (folder / "dataset" / "sources" / "documents.yaml").is_file() and (
            not with_builders or (folder / "builders").is_dir()
        ):
            return folder
    return None
