"""Keeps Python's full garbage collections short while the shop is open.

A full (generation 2) collection walks every tracked object that is not frozen, and every thread waits for it.
The app freezes what start-up made (``PosApp.start``); after that, every order taken adds its objects: in the
running demo app a full collection took 7 ms after 500 more orders and 11 ms after 2,000 (30,000 tracked
objects), a pause in a platform's answer and in a tap's repaint that grows all day. So every ten seconds what
has survived so far is frozen (``gc.freeze``: left out of later collections, still freed by reference counting
as usual), and a full collection walks only the last seconds' survivors (1.7 ms after 200 orders). What the
freeze keeps from the collector (reference cycles that became garbage meanwhile) is collected once an hour, when
no order has changed for a minute: one longer collection at a quiet moment instead of many in a rush.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import time
from collections.abc import Callable

log = logging.getLogger(__name__)

FREEZE_EVERY = 10.0  # seconds
FULL_EVERY = 3600.0  # seconds between two whole collections (frozen objects included)
QUIET_FOR = 60.0  # seconds without an order change before a whole collection may run


_enabled = False


def enable() -> None:
    """A process that is the shop's app or engine (``posapp``, ``posapp engine``) paces its collections; one that
    only hosts engines (the test suite, which collects after every test) leaves the collector alone."""
    global _enabled
    _enabled = True


def enabled() -> bool:
    return _enabled


class GcPacer:
    """``start()`` on the loop that should do it (the engine's); ``changed()`` on every order change."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.last_change = clock()
        self.last_full = clock()
        self.freezes = 0
        self.full_collections = 0
        self._task: asyncio.Task[None] | None = None

    def changed(self) -> None:
        self.last_change = self.clock()

    def tick(self) -> None:
        """Freeze what has survived; once an hour, at a quiet moment, collect everything first."""
        now = self.clock()
        if now - self.last_full >= FULL_EVERY and now - self.last_change >= QUIET_FOR:
            started = time.perf_counter()
            gc.unfreeze()
            found = gc.collect()
            self.last_full = now
            self.full_collections += 1
            log.info("whole collection at a quiet moment: %d objects, %.0f ms", found,
                     (time.perf_counter() - started) * 1000)  # fmt: skip
        else:
            gc.collect(1)  # the young garbage first (a few ms), so little of it is frozen
        gc.freeze()
        self.freezes += 1

    def start(self, every: float = FREEZE_EVERY) -> None:
        async def run() -> None:
            while True:
                await asyncio.sleep(every)
                self.tick()

        self._task = asyncio.get_running_loop().create_task(run())

    def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            self._task = None
