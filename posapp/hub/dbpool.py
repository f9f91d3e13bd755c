"""The hub's database threads: one queue in front of them that serves platform pushes before link bookkeeping.

A hub process has a fixed number of database threads (each one PostgreSQL connection at most), so more threads
for pushes would mean more connections. Instead every piece of database work waits in one queue ordered by a
deadline: its arrival plus the slack of its kind. A webhook push has none, so it goes before everything that is
already waiting; the relay's reads and acknowledgements wait behind pushes of the last half second; a link's
bookkeeping (its start, its end, heartbeats, pruning) behind those of the last five seconds, so a thousand
counters linking at once no longer hold the pushes up, and bookkeeping still runs when pushes never stop.
"""

from __future__ import annotations

import enum
import heapq
import itertools
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any, TypeVar

T = TypeVar("T")


class Priority(enum.IntEnum):
    PUSH = 0  # a platform's webhook: it waits for our 200
    NORMAL = 1  # the relay feed, uploads, pairing, the office page
    BOOKKEEPING = 2  # a link's start and end, heartbeats, counters' status reports, pruning


SLACK = {Priority.PUSH: 0.0, Priority.NORMAL: 0.5, Priority.BOOKKEEPING: 5.0}  # seconds


@dataclass
class Waits:
    """How long work of one kind waited for a thread, in seconds, since the last ``take``."""

    samples: list[float] = field(default_factory=list)
    count: int = 0

    def add(self, wait: float) -> None:
        self.count += 1
        if len(self.samples) < 20_000:
            self.samples.append(wait)

    def summary(self) -> dict[str, float]:
        if not self.samples:
            return {"n": self.count, "p50_ms": 0.0, "p99_ms": 0.0, "max_ms": 0.0}
        ordered = sorted(self.samples)

        def at(q: float) -> float:
            return round(1000 * ordered[min(len(ordered) - 1, int(q * len(ordered)))], 1)

        return {"n": self.count, "p50_ms": at(0.5), "p99_ms": at(0.99), "max_ms": at(1.0)}


class DbPool:
    """``threads`` database threads taking work by deadline (``prioritise=False``: first come, first served)."""

    def __init__(
        self,
        threads: int = 8,
        *,
        name: str = "hub-db",
        prioritise: bool = True,
        slack: dict[Priority, float] | None = None,
    ) -> None:
        self.prioritise = prioritise
        self.slack = dict(SLACK if slack is None else slack)
        self._heap: list[tuple[float, int, float, Priority, Callable[[], Any], Future[Any]]] = []
        self._seq = itertools.count()
        self._cv = threading.Condition()
        self._closed = False
        self._waits = {p: Waits() for p in Priority}
        self._threads = [
            threading.Thread(target=self._work, name=f"{name}_{n}", daemon=True) for n in range(threads)
        ]
        for thread in self._threads:
            thread.start()

    def submit(self, fn: Callable[[], T], priority: Priority = Priority.NORMAL) -> Future[T]:
        future: Future[T] = Future()
        now = time.monotonic()
        deadline = now + self.slack[priority] if self.prioritise else now
        with self._cv:
            if self._closed:
                raise RuntimeError("the database pool is shut down")
            heapq.heappush(self._heap, (deadline, next(self._seq), now, priority, fn, future))
            self._cv.notify()
        return future

    def _work(self) -> None:
        while True:
            with self._cv:
                while not self._heap and not self._closed:
                    self._cv.wait()
                if not self._heap:
                    return
                _deadline, _seq, queued, priority, fn, future = heapq.heappop(self._heap)
                self._waits[priority].add(time.monotonic() - queued)
            if not future.set_running_or_notify_cancel():
                continue
            try:
                future.set_result(fn())
            except BaseException as exc:  # handed to the awaiting coroutine, as an executor does
                future.set_exception(exc)

    def take_waits(self) -> dict[str, dict[str, float]]:
        """Queue waits per kind since the last call (and start afresh): n, p50, p99, max in ms."""
        with self._cv:
            waits, self._waits = self._waits, {p: Waits() for p in Priority}
        return {p.name.lower(): w.summary() for p, w in waits.items()}

    def shutdown(self) -> None:
        """Finish the work already queued, then stop the threads."""
        with self._cv:
            self._closed = True
            self._cv.notify_all()
        for thread in self._threads:
            thread.join()
