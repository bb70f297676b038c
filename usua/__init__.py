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
    "load": "usua.loading",
    "tables": "usua.loading",
    "scan": "usua.loading",
    "info": "usua.loading",
    "versions": "usua.loading",
    "load_records": "usua.loading",
    "download": "usua.downloading",
    "UsuaError": "usua.errors",
    "validate": "usua.validation",
}
# Public names that are modules themselves.
_LAZY_MODULES = {"models": "usua.models", "release_tables": "usua.release_tables"}

__all__ = ["DATASET_VERSION", "SCHEMA_VERSION", "__version__", *_LAZY, *_LAZY_MODULES]


def __getattr__(name: str) -> Any:
    import importlib

    if name in _LAZY_MODULES:
        return importlib.import_module(_LAZY_MODULES[name])
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'usua' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
