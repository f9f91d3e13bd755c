"""The live queue as a Qt list model: one row per open order, kept sorted, changed row by row."""

from __future__ import annotations

import bisect
from datetime import datetime, timedelta
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

from posapp.domain.lifecycle import is_open
from posapp.domain.order import Order
from posapp.domain.privacy import order_for
from posapp.domain.roles import Role
from posapp.services.hub import OrderChange

OrderRole = Qt.ItemDataRole.UserRole + 1
ModelIndex = QModelIndex | QPersistentModelIndex

# A scheduled order surfaces when the kitchen must start it: this long before it is due.
DEFAULT_PREP_LEAD = timedelta(minutes=20)


def start_by(order: Order, lead: timedelta = DEFAULT_PREP_LEAD) -> datetime:
    """When the kitchen must start this order: the queue's sort key."""
    return order.due_at - lead if order.due_at is not None else order.placed_at


class QueueModel(QAbstractListModel):
    """Rows are domain ``Order`` values; the view's delegate paints them as cards."""

    def __init__(
        self, parent: Any = None, *, prep_lead: timedelta = DEFAULT_PREP_LEAD, sight: Role = Role.CASHIER
    ) -> None:
        super().__init__(parent)
        self.prep_lead = prep_lead
        self.sight = sight  # whose view of the customer the cards show (domain/privacy.order_for)
        self._orders: list[Order] = []
        self._keys: list[tuple[datetime, int]] = []
        self._gone: dict[int, int] = {}  # order id -> version at which it left the queue

    # -- Qt model API ----------------------------------------------------------------------------
    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._orders)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._orders):
            return None
        order = self._orders[index.row()]
        if role == OrderRole:
            return order
        if role == Qt.ItemDataRole.DisplayRole:
            return f"#{order.display_id} {order.platform}"
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"Order {order.display_id} from {order.platform}, {order.status.value}"
        return None

    # -- feeding ---------------------------------------------------------------------------------
    def _key(self, order: Order) -> tuple[datetime, int]:
        return (start_by(order, self.prep_lead), order.id or 0)

    def row_of(self, order_id: int) -> int:
        for row, order in enumerate(self._orders):
            if order.id == order_id:
                return row
        return -1

    def order_at(self, row: int) -> Order:
        return self._orders[row]

    def orders(self) -> list[Order]:
        return list(self._orders)

    def reset_orders(self, orders: list[Order]) -> None:
        """Load the queue once at start-up."""
        self.beginResetModel()
        shown = (order_for(o, self.sight) for o in orders if is_open(o.status))
        kept = sorted(shown, key=self._key)
        self._orders = kept
        self._keys = [self._key(o) for o in kept]
        self.endResetModel()

    def upsert(self, order: Order) -> None:
        """Insert, update in place, move, or remove one row — never a full reset. The same change may come
        twice (a tap's own answer, then the engine's notice), and an older version never replaces a newer."""
        order = order_for(order, self.sight)
        row = self.row_of(order.id) if order.id is not None else -1
        if self._stale(order, row):
            return
        if not is_open(order.status):
            if order.id is not None and order.version:
                if len(self._gone) > 4096:
                    self._gone.clear()
                self._gone[order.id] = order.version
            if row >= 0:
                self.beginRemoveRows(QModelIndex(), row, row)
                del self._orders[row]
                del self._keys[row]
                self.endRemoveRows()
            return
        key = self._key(order)
        if row >= 0 and self._keys[row] == key:
            self._orders[row] = order
            idx = self.index(row)
            self.dataChanged.emit(idx, idx, [OrderRole])
            return
        if row >= 0:
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._orders[row]
            del self._keys[row]
            self.endRemoveRows()
        pos = bisect.bisect_right(self._keys, key)
        self.beginInsertRows(QModelIndex(), pos, pos)
        self._orders.insert(pos, order)
        self._keys.insert(pos, key)
        self.endInsertRows()

    def _stale(self, order: Order, row: int) -> bool:
        if not order.version or order.id is None:
            return False  # not a stored order's state (tests, previews): nothing to compare
        shown = self._orders[row].version if row >= 0 else self._gone.get(order.id, 0)
        return order.version < shown

    def apply_change(self, change: OrderChange) -> None:
        self.upsert(change.order)
