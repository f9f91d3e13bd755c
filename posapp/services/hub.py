"""A small typed publish/subscribe hub: services announce what changed, the UI bridge listens.

Services stay free of Qt; ``ui/bridge.py`` turns these callbacks into Qt signals.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from posapp.domain.order import Order

log = logging.getLogger(__name__)


class ChangeKind(StrEnum):
    CREATED = "created"
    STATUS = "status"
    UPDATED = "updated"  # rider, rush reminder, notes


@dataclass(frozen=True, slots=True)
class OrderChange:
    """What changed: the order as it now is, and why. Carried by value, never an ORM object."""

    kind: ChangeKind
    order: Order
    previous_status: str | None = None
    by: str | None = None
    detail: str | None = None


@dataclass(frozen=True, slots=True)
class Notice:
    """Something staff should see in the status strip or a banner (printer offline, sync stalled)."""

    source: str
    text: str
    level: str = "info"  # info, warning, error
    data: dict[str, Any] = field(default_factory=dict)


class Hub:
    """Callbacks for order changes and notices; a failing listener is logged, never breaks the others.

    A listener runs on the loop it subscribed from: the engine's workers on the engine's loop, the window's
    bridge on the GUI's. Publishing from another thread hands the call to that loop (thread-safe), so a
    change committed by either side reaches everyone, and nobody's loop is touched from a foreign thread.
    """

    def __init__(self) -> None:
        self._order_listeners: list[
            tuple[Callable[[OrderChange], None], asyncio.AbstractEventLoop | None]
        ] = []
        self._notice_listeners: list[tuple[Callable[[Notice], None], asyncio.AbstractEventLoop | None]] = []

    def on_order(self, fn: Callable[[OrderChange], None]) -> Callable[[], None]:
        """Call ``fn`` with every order change (on this loop); returns what takes it off again."""
        return _subscribe(self._order_listeners, fn)

    def on_notice(self, fn: Callable[[Notice], None]) -> Callable[[], None]:
        return _subscribe(self._notice_listeners, fn)

    def publish(self, change: OrderChange) -> None:
        _deliver(self._order_listeners, change, "order")

    def notice(self, notice: Notice) -> None:
        _deliver(self._notice_listeners, notice, "notice")


def _subscribe(
    listeners: list[tuple[Callable[[Any], None], asyncio.AbstractEventLoop | None]], fn: Callable[[Any], None]
) -> Callable[[], None]:
    entry = (fn, _running_loop())
    listeners.append(entry)

    def unsubscribe() -> None:
        if entry in listeners:
            listeners.remove(entry)

    return unsubscribe


def _deliver(
    listeners: list[tuple[Callable[[Any], None], asyncio.AbstractEventLoop | None]], item: Any, what: str
) -> None:
    here = _running_loop()
    for fn, loop in list(listeners):
        if loop is None or loop is here:
            _call(fn, item, what)
        elif not loop.is_closed():  # a closed loop's listener is gone with it
            loop.call_soon_threadsafe(_call, fn, item, what)


def _call(fn: Callable[[Any], None], item: Any, what: str) -> None:
    try:
        fn(item)
    except Exception:
        log.exception("%s listener failed", what)


def _running_loop() -> asyncio.AbstractEventLoop | None:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None
