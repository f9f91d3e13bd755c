"""The cash-up part of a Z-report: expected cash, the count by denomination, the variance and who counted,
as printed lines and as CSV tables (the JSON form is the CashUp dataclass itself)."""

from __future__ import annotations

from typing import Any

from posapp.domain.cash import CashUp
from posapp.domain.money import Money


def _columns(left: str, right: str, width: int) -> str:
    from posapp.reports.ztext import columns  # ztext imports this module: import at call time

    return columns(left, right, width)


def cash_lines(cash: CashUp, width: int) -> list[str]:
    """CASH-UP lines for the printed Z-report: the sum that makes expected cash, then the count."""

    def m(amount: int) -> str:
        return Money(amount, cash.currency).format()

    lines = ["-" * width, "CASH-UP"]
    lines += [
        _columns(label, value, width)
        for label, value in (
            ("Opening float", m(cash.opening_float)),
            (f"Cash orders x{cash.cash_order_count}", m(cash.cash_orders)),
            ("Cash refunds", m(-cash.cash_refunds)),
            ("Paid in", m(cash.paid_in)),
            ("Paid out", m(-cash.paid_out)),
            ("Expected in drawer", m(cash.expected)),
        )
    ]
    for e in cash.entries:
        if e.kind.value != "float":
            lines.append(_columns(f"  {e.kind.value.replace('_', ' ')} {e.reason}", m(e.signed), width))
    if cash.counted is None:
        lines.append("Drawer not counted yet")
        return lines
    for denomination, pieces in cash.pieces:
        lines.append(_columns(f"  {m(denomination)} x {pieces}", m(denomination * pieces), width))
    variance = cash.variance or 0
    word = "short" if variance < 0 else "over" if variance > 0 else "exact"
    lines.append(_columns("Counted", m(cash.counted), width))
    lines.append(_columns(f"Variance ({word})", m(variance), width))
    if cash.counted_by:
        lines.append(_columns("Counted by", cash.counted_by, width))
    return lines


def cash_tables(cash: CashUp) -> dict[str, tuple[list[str], list[list[Any]]]]:
    """``cashup`` (figure, value) and ``cash_count`` (denomination, pieces, amount): money in major units."""
    cur = cash.currency

    def d(amount: int | None) -> str:
        return "" if amount is None else str(Money(amount, cur).decimal())

    figures: list[list[Any]] = [
        ["currency", cur],
        ["opening_float", d(cash.opening_float)],
        ["cash_orders", cash.cash_order_count],
        ["cash_sales", d(cash.cash_orders)],
        ["cash_refunds", d(cash.cash_refunds)],
        ["paid_in", d(cash.paid_in)],
        ["paid_out", d(cash.paid_out)],
        ["expected", d(cash.expected)],
        ["counted", d(cash.counted)],
        ["variance", d(cash.variance)],
        ["counted_by", cash.counted_by or ""],
        ["counted_at", cash.counted_at.isoformat() if cash.counted_at else ""],
    ]
    figures += [[f"{e.kind.value}: {e.reason} ({e.by})", d(e.signed)] for e in cash.entries]
    return {
        "cashup": (["figure", "value"], figures),
        "cash_count": (
            ["denomination", "pieces", "amount", "currency"],
            [[d(den), n, d(den * n), cur] for den, n in cash.pieces],
        ),
    }
