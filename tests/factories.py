"""Builders for real domain objects used across the suite."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import count
from typing import Any

from posapp.domain.order import Customer, Fulfillment, LineItem, Modifier, Order, Payment, Totals

_seq = count(1)


def make_order(
    *,
    platform: str = "demo",
    external_id: str | None = None,
    items: tuple[LineItem, ...] | None = None,
    placed_at: datetime | None = None,
    due_at: datetime | None = None,
    notes: str | None = None,
    **kwargs: Any,
) -> Order:
    n = next(_seq)
    items = items or (
        LineItem("宫保鸡丁", 2, 3200, sku="KP1", modifiers=(Modifier("大份", 1, 500),), note="少辣"),
        LineItem("Iced Lemon Tea", 1, 395),
    )
    subtotal = sum(i.line_total() for i in items)
    return Order(
        platform=platform,
        external_id=external_id or f"EXT-{n}",
        display_id=str(n),
        fulfillment=kwargs.pop("fulfillment", Fulfillment.DELIVERY),
        placed_at=placed_at or datetime.now(UTC) - timedelta(minutes=3),
        due_at=due_at,
        currency=kwargs.pop("currency", "CNY"),
        items=items,
        totals=kwargs.pop("totals", Totals(subtotal=subtotal, total=subtotal + 300, delivery_fee=300)),
        customer=kwargs.pop("customer", Customer(name="王先生", phone_masked="138****5678")),
        payment=kwargs.pop("payment", Payment("online", True)),
        notes=notes,
        **kwargs,
    )
