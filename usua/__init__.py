"""usua: an evidence-backed dataset of U.S.-Ukraine security relations.

    import usua
    events = usua.load("events")          # polars DataFrame from the bundled release

Heavy libraries (polars, pyarrow, pydantic) load on first use, so ``import usua`` stays fast.
"""

from __future__ import annotations

import sys as _sys
import types as _types
from typing import Any

from .version import DATASET_VERSION, SCHEMA_VERSION, __version__

# Public name -> module that defines it; imported on first attribute access.
_LAZY = {
    "load": "usua.loading",
    "scan": "usua.loading",
    "info": "usua.loading",
    "versions": "usua.loading",
    "load_records": "usua.loading",
    "download": "usua.downloading",
    "UsuaError": "usua.errors",
    "validate": "usua.contrib",
}
# Public names that are modules themselves.
_LAZY_MODULES = {"models": "usua.models", "tables": "usua.tables"}

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


# ``usua.tables`` is both the module of table definitions (usua/tables.py) and the function that lists
# a release's tables. Importing a submodule sets it as an attribute of the package, which would hide
# a function of that name, so the module itself is made callable: ``usua.tables()`` lists the tables
# and ``usua.tables.TABLES`` still works, whichever is used first.
class _CallableTablesModule(_types.ModuleType):
    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        from .loading import tables

        return tables(*args, **kwargs)


class _Package(_types.ModuleType):
    def __setattr__(self, name: str, value: Any) -> None:
        if name == "tables" and isinstance(value, _types.ModuleType):
            value.__class__ = _CallableTablesModule
        super().__setattr__(name, value)


_sys.modules[__name__].__class__ = _Package
