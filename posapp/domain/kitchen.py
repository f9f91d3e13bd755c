"""Kitchen rules the queue screen asks about: all-day counts, overdue alarms, what a bump can undo."""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
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
    key: str = ""  # what the same dish from every platform shares (dish_key); filter by it


def dish_key(name: str, aliases: Mapping[str, str] | None = None) -> str:
    """One key for one dish however a platform spells it: "Hot & Sour Soup", "hot and sour soup " and
    "Hot&Sour Soup" agree; full-width and half-width forms agree. ``aliases`` (the menu catalogue's mapping,
    keyed by dish_key of each spelling) joins names that share no letters, such as 酸辣汤 and Hot & Sour Soup."""
    text = unicodedata.normalize("NFKC", name).casefold().replace("&", " and ")
    key = " ".join("".join(c if c.isalnum() or c in "()" else " " for c in text).split())
    if aliases:
        return aliases.get(key, key)
    return key


def all_day_counts(orders: Iterable[Order], aliases: Mapping[str, str] | None = None) -> list[ItemTotal]:
    """Item totals across open orders ("12 × 宫保鸡丁"), the same dish from every platform counted once,
    largest first, then by name (the first spelling seen)."""
    qty: Counter[str] = Counter()
    per_order: Counter[str] = Counter()
    shown: dict[str, str] = {}
    for order in orders:
        if order.status not in (S.NEW, S.ACCEPTED, S.PREPARING):
            continue
        seen = set()
        for item in order.items:
            key = dish_key(item.name, aliases)
            shown.setdefault(key, item.name)
            qty[key] += item.quantity
            seen.add(key)
        per_order.update(seen)
    return sorted(
        (ItemTotal(shown[key], n, per_order[key], key) for key, n in qty.items()),
        key=lambda t: (-t.quantity, t.name),
    )


def needs_accept_alarm(order: Order, now: datetime, threshold: timedelta = DEFAULT_ACCEPT_ALARM) -> bool:
    """An order still new past the threshold: the platform may cancel it any moment."""
    return order.status is S.NEW and now - order.placed_at >= threshold


def undo_target(from_status: str | None, to_status: str | None) -> OrderStatus | None:
    """Where undoing a bump from ``from_status`` to ``to_status`` returns to, or None if it cannot."""
    if from_status is None or to_status is None:
        return None
    return UNDOABLE.get((OrderStatus(from_status), OrderStatus(to_status)))


def contains_item(order: Order, name: str, aliases: Mapping[str, str] | None = None) -> bool:
    """The order has the dish ``name`` (a dish_key or any spelling of it)."""
    key = dish_key(name, aliases)
    return any(dish_key(item.name, aliases) == key for item in order.items)
