"""What the queue shows: a proxy over the queue model filtering by platform, state, text and dish."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel

from posapp.domain.kitchen import MenuIndex, contains_item
from posapp.domain.order import Order, OrderStatus
from posapp.ui.queue_model import OrderRole


class QueueFilter(QSortFilterProxyModel):
    """Keeps the model's order (start-by time); only hides rows."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.platforms: set[str] = set()
        self.statuses: set[OrderStatus] = set()
        self.text = ""
        self.item: str | None = None  # a dish_key: the same dish from every platform
        self.aliases: dict[str, str] = {}  # spellings of one dish that share no letters, when known
        self.menu: MenuIndex | None = None  # the menu catalogue's ids of each dish, when there is one

    def set_filter(
        self,
        *,
        platforms: set[str] | None = None,
        statuses: set[OrderStatus] | None = None,
        text: str | None = None,
        item: str | None = "",
    ) -> None:
        self.beginFilterChange()
        if platforms is not None:
            self.platforms = platforms
        if statuses is not None:
            self.statuses = statuses
        if text is not None:
            self.text = text.strip().lower()
        if item != "":
            self.item = item
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def is_active(self) -> bool:
        return bool(self.platforms or self.statuses or self.text or self.item)

    def accepts(self, order: Order) -> bool:
        if self.platforms and order.platform not in self.platforms:
            return False
        if self.statuses and order.status not in self.statuses:
            return False
        if self.item and not contains_item(order, self.item, self.aliases, self.menu):
            return False
        if self.text:
            name = (order.customer.name or "").lower() if order.customer else ""
            if self.text not in order.display_id.lower() and self.text not in name:
                return False
        return True

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        order = self.sourceModel().index(source_row, 0, source_parent).data(OrderRole)
        return order is not None and self.accepts(order)

    def order_at(self, row: int) -> Order:
        return self.index(row, 0).data(OrderRole)
