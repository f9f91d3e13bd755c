"""Turns the service hub's plain callbacks into typed Qt signals for the widgets."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from posapp.services.hub import Hub, Notice, OrderChange


class QtBridge(QObject):
    orderChanged = Signal(object)  # OrderChange
    notice = Signal(object)  # Notice

    def __init__(self, hub: Hub, parent: QObject | None = None) -> None:
        super().__init__(parent)
        hub.on_order(self._order)
        hub.on_notice(self._notice)

    def _order(self, change: OrderChange) -> None:
        self.orderChanged.emit(change)

    def _notice(self, notice: Notice) -> None:
        self.notice.emit(notice)
