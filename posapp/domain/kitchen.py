"""Kitchen rules the queue screen asks about: all-day counts, overdue alarms, what a bump can undo."""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from posapp.domain.menu import Dish
from posapp.domain.order import LineItem, Order, OrderStatus

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


@dataclass(frozen=True, slots=True)
class MenuIndex:
    """The menu catalogue as All day and the dish filter read it: each platform's id of a dish (its item id
    and its SKU/spec id) -> the catalogue's name, so 酸辣汤 on Meituan and "Hot & Sour Soup" on Uber Eats are
    one dish when the catalogue says both ids are that dish, however differently the orders spell it."""

    names: Mapping[tuple[str, str], str] = field(default_factory=dict)  # (platform, id) -> dish name

    @classmethod
    def of(cls, dishes: Iterable[Dish]) -> MenuIndex:
        names: dict[tuple[str, str], str] = {}
        for dish in dishes:
            for platform, ids in dish.platforms.items():
                for ident in (ids.item_id, ids.sku_id):
                    if ident:
                        names[(platform, ident)] = dish.name
        return cls(names)

    def name(self, platform: str, item: LineItem) -> str:
        """The catalogue's name of the line's dish when its id is in the catalogue, else the line's own."""
        if item.sku:
            return self.names.get((platform, item.sku), item.name)
        return item.name


def all_day_counts(
    orders: Iterable[Order], aliases: Mapping[str, str] | None = None, menu: MenuIndex | None = None
) -> list[ItemTotal]:
    """Item totals across open orders ("12 × 宫保鸡丁"), the same dish from every platform counted once
    (by the catalogue's ids where ``menu`` has them, else by its normalised name), largest first, then by
    name (the catalogue's, else the first spelling seen)."""
    qty: Counter[str] = Counter()
    per_order: Counter[str] = Counter()
    shown: dict[str, str] = {}
    for order in orders:
        if order.status not in (S.NEW, S.ACCEPTED, S.PREPARING):
            continue
        seen = set()
        for item in order.items:
            name = menu.name(order.platform, item) if menu is not None else item.name
            key = dish_key(name, aliases)
            shown.setdefault(key, name)
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


def contains_item(
    order: Order, name: str, aliases: Mapping[str, str] | None = None, menu: MenuIndex | None = None
) -> bool:
    """The order has the dish ``name`` (a dish_key or any spelling of it; by the catalogue's ids with ``menu``)."""
    key = dish_key(name, aliases)
    return any(
        dish_key(menu.name(order.platform, item) if menu is not None else item.name, aliases) == key
        for item in order.items
    )
