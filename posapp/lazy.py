"""A module imported on first use: what start-up does not need before the queue is on screen.

aiohttp and httpx are a quarter of the desktop app's start-up CPU (py-spy, ``benchmarks/bench_launch.py``)
and are needed only once the engine serves (listener, screen API, platform calls, uploads), which it does
after the window's first paint. Modules that use them at call time only import them from here
(``from posapp.lazy import httpx, web``); type checkers see the real modules.
"""

from __future__ import annotations

import importlib
import types
from typing import TYPE_CHECKING, Any


class LazyModule(types.ModuleType):
    """Stands for the module ``name``; the first attribute looked up imports it and takes its namespace."""

    def __getattr__(self, attr: str) -> Any:
        module = importlib.import_module(self.__name__)
        self.__dict__.update(module.__dict__)
        return getattr(module, attr)


def lazy_module(name: str) -> Any:
    return LazyModule(name)


if TYPE_CHECKING:
    import httpx as httpx
    from aiohttp import web as web
else:
    httpx = lazy_module("httpx")
    web = lazy_module("aiohttp.web")
