"""Payments taken through the gateways (Alipay, WeChat Pay, cards) in the Z-report and range report: per gateway
and method the payments and their amount, the gateways' fees where they report them, and the refunds they made;
printed lines and CSV tables."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from posapp.domain.money import Money

METHOD_WORDS = {"scan_code": "code scanned", "show_qr": "QR shown", "card_reader": "card reader"}


class _Paid(Protocol):
    @property
    def gateway(self) -> str: ...
    @property
    def method(self) -> str: ...
    @property
    def currency(self) -> str: ...
    @property
    def count(self) -> int: ...
    @property
    def amount(self) -> int: ...
    @property
    def fees(self) -> int: ...
    @property
    def fees_reported(self) -> int: ...


class _Refunded(Protocol):
    @property
    def gateway(self) -> str: ...
    @property
    def currency(self) -> str: ...
    @property
    def count(self) -> int: ...
    @property
    def amount(self) -> int: ...


@dataclass(frozen=True, slots=True)
class GatewayLine:
    """Payments a gateway took by one method in the period. ``fees``: the sum the gateway reported, over
    ``fees_reported`` of the ``payments`` (Alipay and WeChat report none on the payment)."""

    gateway: str
    method: str
    payments: int
    amount: int
    fees: int
    fees_reported: int


@dataclass(frozen=True, slots=True)
class GatewayRefundLine:
    gateway: str
    refunds: int
    amount: int


@dataclass(frozen=True, slots=True)
class GatewaySummary:
    currency: str
    lines: tuple[GatewayLine, ...]
    refunds: tuple[GatewayRefundLine, ...]

    @property
    def payments(self) -> int:
        return sum(x.payments for x in self.lines)

    @property
    def amount(self) -> int:
        return sum(x.amount for x in self.lines)

    @property
    def fees(self) -> int:
        return sum(x.fees for x in self.lines)

    @property
    def refunded(self) -> int:
        return sum(x.amount for x in self.refunds)

    @property
    def net(self) -> int:
        """What the gateways should settle for the period: taken, less refunds, less the fees they reported."""
        return self.amount - self.refunded - self.fees


def gateway_summary(
    paid: Iterable[_Paid], refunded: Iterable[_Refunded], currency: str
) -> GatewaySummary | None:
    """The report's gateway payments in ``currency``; None when no gateway took or refunded anything."""
    lines = tuple(
        GatewayLine(p.gateway, p.method, p.count, p.amount, p.fees, p.fees_reported)
        for p in sorted(paid, key=lambda p: (p.gateway, p.method))
        if p.currency == currency and p.count
    )
    refunds = tuple(
        GatewayRefundLine(r.gateway, r.count, r.amount)
        for r in sorted(refunded, key=lambda r: r.gateway)
        if r.currency == currency and r.count
    )
    if not lines and not refunds:
        return None
    return GatewaySummary(currency, lines, refunds)


def gateway_lines(summary: GatewaySummary, width: int) -> list[str]:
    """GATEWAY PAYMENTS lines for the printed Z-report / range report."""
    from posapp.reports.ztext import columns  # ztext imports this module: import at call time

    def m(amount: int) -> str:
        return Money(amount, summary.currency).format()

    lines = ["-" * width, "GATEWAY PAYMENTS"]
    for x in summary.lines:
        lines.append(
            columns(f"{x.gateway} {METHOD_WORDS.get(x.method, x.method)} x{x.payments}", m(x.amount), width)
        )
        if x.fees_reported:
            lines.append(columns(f"  fees ({x.fees_reported} reported)", m(-x.fees), width))
    for r in summary.refunds:
        lines.append(columns(f"{r.gateway} refunds x{r.refunds}", m(-r.amount), width))
    lines.append(columns("Gateways net", m(summary.net), width))
    return lines


def gateway_tables(summary: GatewaySummary) -> dict[str, tuple[list[str], list[list[Any]]]]:
    """``gateway_payments`` (per gateway and method) and ``gateway_refunds`` (per gateway), major units."""
    cur = summary.currency

    def d(amount: int) -> str:
        return str(Money(amount, cur).decimal())

    return {
        "gateway_payments": (
            ["gateway", "method", "payments", "amount", "fees", "fees_reported", "currency"],
            [
                [x.gateway, x.method, x.payments, d(x.amount), d(x.fees), x.fees_reported, cur]
                for x in summary.lines
            ],
        ),
        "gateway_refunds": (
            ["gateway", "refunds", "amount", "currency"],
            [[r.gateway, r.refunds, d(r.amount), cur] for r in summary.refunds],
        ),
    }
