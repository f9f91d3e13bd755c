"""Cash in the drawer: denominations, the count at day close, paid in / paid out, expected cash and variance.

Money is an int of minor units (fen, cents). Expected cash = opening float + cash orders − cash refunds +
paid in − paid out; variance = counted − expected (negative: cash is short).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from posapp.domain.order import Order


class Movement(StrEnum):
    """Cash that goes in or out of the drawer without an order."""

    FLOAT = "float"  # the opening float put in the drawer when the day starts
    PAID_IN = "paid_in"  # change brought from the bank, a tip jar emptied into the drawer
    PAID_OUT = "paid_out"  # a supplier paid from the drawer, a taxi for a rider

    @property
    def sign(self) -> int:
        return -1 if self is Movement.PAID_OUT else 1


# Notes and coins in circulation, largest first, in minor units (People's Bank of China 2019-2020 series;
# Federal Reserve / US Mint; ECB euro banknotes and coins). Others come from ``[cash] denominations``.
DENOMINATIONS: dict[str, tuple[int, ...]] = {
    "CNY": (10000, 5000, 2000, 1000, 500, 100, 50, 10),
    "USD": (10000, 5000, 2000, 1000, 500, 200, 100, 25, 10, 5, 1),
    "EUR": (50000, 20000, 10000, 5000, 2000, 1000, 500, 200, 100, 50, 20, 10, 5, 2, 1),
}


def denominations_for(
    currency: str, configured: Mapping[str, Sequence[int]] | None = None
) -> tuple[int, ...]:
    """The denominations to count in ``currency``: the settings' list if it names one, else the built-in."""
    custom = (configured or {}).get(currency)
    if custom:
        return tuple(sorted({int(v) for v in custom}, reverse=True))
    return DENOMINATIONS.get(currency, ())


def takes_cash(order: Order) -> bool:
    """Whether taking this order put cash in the drawer: a counter (manual) order paid in cash."""
    return (
        order.platform == "manual"
        and order.payment is not None
        and order.payment.method == "cash"
        and (order.payment.paid)
    )


@dataclass(frozen=True, slots=True)
class CashEntry:
    """One paid-in, paid-out or float entry: how much, why, who and when."""

    kind: Movement
    amount: int
    currency: str
    reason: str
    by: str
    at: datetime

    @property
    def signed(self) -> int:
        return self.kind.sign * self.amount


@dataclass(frozen=True, slots=True)
class DrawerCount:
    """What the manager counted: pieces per denomination (minor units -> how many)."""

    currency: str
    pieces: tuple[tuple[int, int], ...]  # (denomination, count), largest first

    @classmethod
    def of(cls, currency: str, pieces: Mapping[int, int]) -> DrawerCount:
        if any(n < 0 for n in pieces.values()) or any(d <= 0 for d in pieces):
            raise ValueError("a drawer count has no negative pieces and no zero denomination")
        return cls(currency, tuple(sorted(((d, n) for d, n in pieces.items() if n), reverse=True)))

    @property
    def total(self) -> int:
        return sum(d * n for d, n in self.pieces)


@dataclass(frozen=True, slots=True)
class CashUp:
    """The drawer of one business day: what should be in it, what was counted, and the difference."""

    currency: str
    opening_float: int
    cash_orders: int
    cash_order_count: int
    cash_refunds: int
    paid_in: int
    paid_out: int
    entries: tuple[CashEntry, ...] = ()
    counted: int | None = None  # None until the drawer is counted
    pieces: tuple[tuple[int, int], ...] = ()
    counted_by: str | None = None
    counted_at: datetime | None = None

    @property
    def expected(self) -> int:
        return self.opening_float + self.cash_orders - self.cash_refunds + self.paid_in - self.paid_out

    @property
    def variance(self) -> int | None:
        """Counted minus expected: negative when cash is short, positive when over; None before a count."""
        return None if self.counted is None else self.counted - self.expected


def cash_up(
    currency: str,
    *,
    default_float: int,
    cash_orders: int,
    cash_order_count: int,
    cash_refunds: int,
    entries: Sequence[CashEntry],
    count: tuple[DrawerCount, str, datetime] | None = None,
) -> CashUp:
    """Add a day's figures up: the float entered that day (the default float when none was), the paid
    ins and outs, and the latest count with who counted it."""
    mine = tuple(e for e in entries if e.currency == currency)
    floats = [e.amount for e in mine if e.kind is Movement.FLOAT]
    counted = pieces = by = at = None
    if count is not None:
        drawer, by, at = count
        counted, pieces = drawer.total, drawer.pieces
    return CashUp(
        currency=currency,
        opening_float=floats[-1] if floats else default_float,  # a float entered again replaces the first
        cash_orders=cash_orders,
        cash_order_count=cash_order_count,
        cash_refunds=cash_refunds,
        paid_in=sum(e.amount for e in mine if e.kind is Movement.PAID_IN),
        paid_out=sum(e.amount for e in mine if e.kind is Movement.PAID_OUT),
        entries=mine,
        counted=counted,
        pieces=pieces or (),
        counted_by=by,
        counted_at=at,
    )
