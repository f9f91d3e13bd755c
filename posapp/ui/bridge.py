"""Turns the engine's change feed and the hub's notices into typed Qt signals for the widgets."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

from PySide6.QtCore import QObject, Signal

from posapp.services.hub import Hub, Notice, OrderChange

log = logging.getLogger(__name__)


class QtBridge(QObject):
    orderChanged = Signal(object)  # OrderChange
    notice = Signal(object)  # Notice

    def __init__(self, hub: Hub, parent: QObject | None = None) -> None:
        super().__init__(parent)
        hub.on_notice(self._notice)

    async def follow(self, changes: AsyncIterator[OrderChange]) -> None:
        """Emit each change of the feed (``LocalFeed.changes(cursor)``) for as long as it runs; a listener that
        fails is logged and the feed goes on."""
        async for change in changes:
            try:
                self.orderChanged.emit(change)
            except Exception:
                log.exception("order change at %s not shown", change.order.seq)

    def _notice(self, notice: Notice) -> None:
        self.notice.emit(notice)
