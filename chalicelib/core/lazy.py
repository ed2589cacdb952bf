"""Modules loaded when first used, so that importing the app (every Lambda's cold start) costs
only what registering the routes and handlers costs.

A route module names the services and schemas its handlers call without loading them; a
request loads what its own route uses, the first time it needs it. Each lazy name is imported
for real under `TYPE_CHECKING` in the same file, so mypy types it and the layer contract
(import-linter) sees it — `tests/unit/test_layers.py` checks that the two agree:

    if TYPE_CHECKING:
        from chalicelib.orders import placing
    else:
        placing = lazy.module("chalicelib.orders.placing")

Loading goes through `importlib.import_module`, so concurrent first uses (the local server's
threads) wait on the interpreter's import lock and see one module, fully executed.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any


class _LazyModule(ModuleType):
    """Stands for a module until an attribute is read, then hands out the real module's."""

    def __getattr__(self, attr: str) -> Any:
        real = self.__dict__.get("_real")
        if real is None:
            real = importlib.import_module(self.__name__)
            self.__dict__["_real"] = real
        return getattr(real, attr)

    def __dir__(self) -> list[str]:
        return dir(importlib.import_module(self.__name__))


def module(name: str) -> Any:
    """The module `name`, executed at the first read of one of its attributes."""
    return _LazyModule(name)
