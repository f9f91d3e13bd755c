"""The engine on its own thread and asyncio loop, so painting never delays an answer to a platform.

Screens in the same process reach it through :class:`EngineProxy`: every coroutine method of an engine
service runs on the engine's loop, and the screen's own loop only awaits the result.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import logging
import sys
import threading
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, Generic, TypeVar

log = logging.getLogger(__name__)
T = TypeVar("T")

# How long a thread may hold the GIL while another waits (CPython's default is 5 ms). The app runs three busy
# threads — the GUI, the engine's loop, the database — and every hop between them (a tap's transaction, its
# answer back to the window, a push's commit) waits for the GIL: at 1 ms, measured on the 2-core machine in the
# same hour, a tap's median went from 18-29 ms to 18-19 ms and its p99 from 26-63 ms to 29-50 ms
# (bench_queue), a push's p50 from 6.7-7.1 ms to 3.5-4.6 ms (bench_webhook).
SWITCH_INTERVAL = 0.001


def share_the_gil_finely() -> None:
    """Every start of the shop's app or engine (with or without a window) calls this once: the GIL's switch
    interval, and the engine's pacing of full garbage collections (engine/gcpace.py)."""
    from posapp.engine import gcpace

    sys.setswitchinterval(SWITCH_INTERVAL)
    gcpace.enable()


S = TypeVar("S")


class EngineThread:
    """A thread running one asyncio loop for the engine; ``run`` awaits a coroutine on it from another loop."""

    def __init__(self, name: str = "posapp-engine") -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._main, name=name, daemon=True)

    def _main(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.run_forever()
        self.loop.run_until_complete(self.loop.shutdown_asyncgens())
        self.loop.close()

    def start(self) -> None:
        self._thread.start()

    async def run(self, coro: Coroutine[Any, Any, T]) -> T:
        """Run ``coro`` on the engine's loop and wait for it here, without blocking this loop (on this loop
        when the engine's thread is not running: never started, or already stopped)."""
        if _running_loop() is self.loop or not self._thread.is_alive():
            return await coro
        return await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(coro, self.loop))

    def stop(self, timeout: float = 10.0) -> None:
        if not self._thread.is_alive():
            return
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(timeout)


class EngineProxy(Generic[S]):
    """``service`` as a screen uses it: its coroutine methods run on the engine's loop; the rest (plain
    attributes and quick pure methods) are the service's own."""

    def __init__(self, service: S, thread: EngineThread) -> None:
        self._service = service
        self._thread = thread

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._service, name)
        if not inspect.iscoroutinefunction(attr):
            return attr
        return _on_engine(attr, self._thread)


def _on_engine(method: Callable[..., Awaitable[T]], thread: EngineThread) -> Callable[..., Awaitable[T]]:
    @functools.wraps(method)
    async def call(*args: Any, **kwargs: Any) -> T:
        return await thread.run(method(*args, **kwargs))  # type: ignore[arg-type]

    return call


def _running_loop() -> asyncio.AbstractEventLoop | None:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None
