"""A small typed publish/subscribe hub: services announce what changed, the UI bridge listens.

Services stay free of Qt; ``ui/bridge.py`` turns these callbacks into Qt signals.
"""

from __future__ import annotations

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
    """Callbacks for order changes and notices; a failing listener is logged, never breaks the others."""

    def __init__(self) -> None:
        self._order_listeners: list[Callable[[OrderChange], None]] = []
        self._notice_listeners: list[Callable[[Notice], None]] = []

    def on_order(self, fn: Callable[[OrderChange], None]) -> None:
        self._order_listeners.append(fn)

    def on_notice(self, fn: Callable[[Notice], None]) -> None:
        self._notice_listeners.append(fn)

    def publish(self, change: OrderChange) -> None:
        for fn in list(self._order_listeners):
            try:
                fn(change)
            except Exception:
                log.exception("order listener failed")

    def notice(self, notice: Notice) -> None:
        for fn in list(self._notice_listeners):
            try:
                fn(notice)
            except Exception:
                log.exception("notice listener failed")
