"""CRM-lite: repeat customers recognised across platforms by the masked or relay phone and name they gave."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from posapp.domain.reporting import CustomerAgg, CustomerNote

_MASK = re.compile(r"[*xX•＊]")
_NOISE = re.compile(r"[\s\-()+]")


@dataclass(frozen=True, slots=True)
class CustomerLine:
    key: str
    name: str | None
    phone: str | None  # as a platform gave it: masked ("138****5678") or a relay number
    platforms: tuple[str, ...]
    orders: int
    last_order_at: datetime
    spent: int
    currency: str
    note: str | None


def customer_key(phone: str | None, name: str | None) -> str | None:
    """The key that recognises one customer across platforms; None when the phone is missing (a name
    alone, such as 王先生, is not enough to tell people apart)."""
    if not phone:
        return None
    digits = _MASK.sub("*", _NOISE.sub("", phone))
    if digits.startswith("86") and len(digits) == 13:  # +86 country code on some platforms
        digits = digits[2:]
    who = (name or "").strip().casefold()
    return f"{digits}|{who}"


def repeat_customers(
    rows: Iterable[CustomerAgg], notes: Mapping[str, CustomerNote], *, min_orders: int = 2
) -> list[CustomerLine]:
    """Customers with at least ``min_orders`` orders over all platforms, most orders first."""
    merged: dict[str, list[CustomerAgg]] = {}
    for row in rows:
        key = customer_key(row.phone, row.name)
        if key is not None:
            merged.setdefault(key, []).append(row)
    out = []
    for key, group in merged.items():
        orders = sum(r.orders for r in group)
        if orders < min_orders:
            continue
        latest = max(group, key=lambda r: r.last_order_at)
        currencies = {r.currency for r in group}
        currency = latest.currency
        note = notes.get(key)
        out.append(
            CustomerLine(
                key=key,
                name=latest.name,
                phone=latest.phone,
                platforms=tuple(sorted({r.platform for r in group})),
                orders=orders,
                last_order_at=latest.last_order_at,
                # Spending is only added up in one currency; a customer seen in two shows the latest's.
                spent=sum(r.spent for r in group if r.currency == currency),
                currency=currency if len(currencies) == 1 else f"{currency}*",
                note=None if note is None else note.note,
            )
        )
    out.sort(key=lambda c: (-c.orders, -c.last_order_at.timestamp(), c.key))
    return out


def live_keys(rows: Iterable[CustomerAgg]) -> set[str]:
    return {k for r in rows if (k := customer_key(r.phone, r.name)) is not None}
