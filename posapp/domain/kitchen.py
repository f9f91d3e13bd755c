"""Kitchen rules the queue screen asks about: all-day counts, overdue alarms, what a bump can undo."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from posapp.domain.order import Order, OrderStatus

S = OrderStatus

# A bump that can be taken back within the undo window: (from, to) of the bump -> status to return to.
# Accept and reject are not undoable: the platform has already been told.
UNDOABLE: dict[tuple[OrderStatus, OrderStatus], OrderStatus] = {
    (S.ACCEPTED, S.PREPARING): S.ACCEPTED,
    (S.PREPARING, S.READY): S.PREPARING,
    (S.READY, S.COMPLETED): S.READY,
}
UNDO_WINDOW = timedelta(seconds=15)

# Platforms auto-cancel orders left unaccepted (Meituan and Ele.me after a few minutes): alarm before that.
DEFAULT_ACCEPT_ALARM = timedelta(minutes=3)


@dataclass(frozen=True, slots=True)
class ItemTotal:
    name: str
    quantity: int
    orders: int


def all_day_counts(orders: Iterable[Order]) -> list[ItemTotal]:
    """Item totals across open orders ("12 × 宫保鸡丁"), largest first, then by name."""
    qty: Counter[str] = Counter()
    per_order: Counter[str] = Counter()
    for order in orders:
        if order.status not in (S.NEW, S.ACCEPTED, S.PREPARING):
            continue
        seen = set()
        for item in order.items:
            qty[item.name] += item.quantity
            seen.add(item.name)
        per_order.update(seen)
    return sorted(
        (ItemTotal(name, n, per_order[name]) for name, n in qty.items()), key=lambda t: (-t.quantity, t.name)
    )


def needs_accept_alarm(order: Order, now: datetime, threshold: timedelta = DEFAULT_ACCEPT_ALARM) -> bool:
    """An order still new past the threshold: the platform may cancel it any moment."""
    return order.status is S.NEW and now - order.placed_at >= threshold


def undo_target(from_status: str | None, to_status: str | None) -> OrderStatus | None:
    """Where undoing a bump from ``from_status`` to ``to_status`` returns to, or None if it cannot."""
    if from_status is None or to_status is None:
        return None
    return UNDOABLE.get((OrderStatus(from_status), OrderStatus(to_status)))


def contains_item(order: Order, name: str) -> bool:
    return any(item.name == name for item in order.items)
