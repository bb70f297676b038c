"""usua: an evidence-backed dataset of U.S.-Ukraine security relations.

    import usua
    events = usua.load("events")          # polars DataFrame from the bundled release

Heavy libraries (polars, pyarrow, pydantic) load on first use, so ``import usua`` stays fast.
"""

from __future__ import annotations

from typing import Any

from .version import DATASET_VERSION, SCHEMA_VERSION, __version__

# Public name -> module that defines it; imported on first attribute access.
_LAZY = {
    "load": "usua.load",
    "scan": "usua.load",
    "tables": "usua.load",
    "info": "usua.load",
    "versions": "usua.load",
    "load_records": "usua.load",
    "download": "usua.download",
    "validate": "usua.contrib",
    "models": "usua.models",
}

__all__ = ["DATASET_VERSION", "SCHEMA_VERSION", "__version__", *_LAZY]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'usua' has no attribute {name!r}")
    import importlib

    mod = importlib.import_module(module)
    value = mod if name == "models" else getattr(mod, name)
    globals()[name] = value
    return value
