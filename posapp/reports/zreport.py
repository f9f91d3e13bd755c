"""The end-of-day (Z) report and range report: figures built from the SQL aggregates, in pure Python."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from posapp.domain.cash import CashUp
from posapp.domain.payouts import PayoutSummary
from posapp.domain.reporting import OrderAgg, PrepCount, ReportData
from posapp.errors import CurrencyMismatch
from posapp.reports.gateways import GatewaySummary
from posapp.reports.offers import OfferSummary
from posapp.reports.period import Period

LOST = ("cancelled", "rejected")
OPEN = ("new", "accepted", "preparing", "ready")


@dataclass(frozen=True, slots=True)
class PlatformLine:
    platform: str
    orders: int  # sold: not cancelled, not rejected
    gross: int  # what customers paid (order totals)
    discount: int
    fees: int  # delivery + packaging + service
    tip: int
    tax: int
    commission: int
    payout: int  # expected payout from the platform
    cancelled: int
    rejected: int
    lost_value: int
    late: int

    @property
    def average(self) -> int:
        return _avg(self.gross, self.orders)


@dataclass(frozen=True, slots=True)
class PaymentLine:
    method: str  # online, cash, card, ...
    orders: int
    amount: int


@dataclass(frozen=True, slots=True)
class LostLine:
    platform: str
    status: str  # cancelled or rejected
    reason: str
    orders: int
    value: int


@dataclass(frozen=True, slots=True)
class PrepLine:
    key: str  # "all", a platform, or a local hour "18"
    orders: int
    median_s: int | None
    p90_s: int | None


@dataclass(frozen=True, slots=True)
class ItemLine:
    name: str
    quantity: int
    sales: int


@dataclass(frozen=True, slots=True)
class HourLine:
    hour: int  # local hour 0-23
    orders: int
    sales: int


@dataclass(frozen=True, slots=True)
class RefundLine:
    at: datetime
    by: str
    order_id: int | None
    platform: str
    amount: int
    reason: str


@dataclass(frozen=True, slots=True)
class Comparison:
    """This period against the same weekday(s) one week earlier."""

    label: str
    orders: int
    gross: int
    previous_orders: int
    previous_gross: int

    @property
    def orders_change_pct(self) -> float | None:
        return _pct(self.orders, self.previous_orders)

    @property
    def gross_change_pct(self) -> float | None:
        return _pct(self.gross, self.previous_gross)


@dataclass(frozen=True, slots=True)
class ZReport:
    """Every figure of the end-of-day report; money in minor units of ``currency``."""

    period: Period
    currency: str
    orders: int
    gross: int
    subtotal: int
    discount: int
    delivery_fee: int
    packaging_fee: int
    service_fee: int
    tip: int
    tax: int
    commission: int
    payout: int
    open_orders: int
    cancelled: int
    rejected: int
    lost_value: int
    late: int
    late_threshold_minutes: int
    platforms: tuple[PlatformLine, ...]
    payments: tuple[PaymentLine, ...]
    lost: tuple[LostLine, ...]
    prep: PrepLine
    prep_by_platform: tuple[PrepLine, ...]
    prep_by_hour: tuple[PrepLine, ...]
    top_items: tuple[ItemLine, ...]
    bottom_items: tuple[ItemLine, ...]
    hours: tuple[HourLine, ...]
    refunds: tuple[RefundLine, ...]
    refund_total: int
    refund_requests: int
    refund_requested_value: int
    comparison: Comparison | None
    cash: CashUp | None = None  # the drawer's cash-up, on a one-day report (services/cash.py adds it)
    payouts: PayoutSummary | None = None  # platform refunds and statement outcomes (services/payouts.py)
    offers: OfferSummary | None = None  # offer codes issued and redeemed (services/reports.py)
    gateways: GatewaySummary | None = None  # Alipay / WeChat Pay / card payments (services/reports.py)

    @property
    def average_order(self) -> int:
        return _avg(self.gross, self.orders)

    @property
    def fees(self) -> int:
        return self.delivery_fee + self.packaging_fee + self.service_fee


def currencies_in(data: ReportData) -> list[str]:
    """Every currency that appears in the period's orders and refunds, sorted."""
    found = {a.currency for a in data.orders} | {r.currency for r in data.refunds if r.currency}
    return sorted(found)


def build_report(
    data: ReportData,
    period: Period,
    *,
    currency: str | None = None,
    default_currency: str = "CNY",
    late_threshold_minutes: int = 20,
    previous: Sequence[OrderAgg] | None = None,
    top_n: int = 5,
) -> ZReport:
    """Turn the aggregates into the report; ``CurrencyMismatch`` when the period mixes currencies and no
    ``currency`` was chosen (a total of yuan and dollars means nothing)."""
    found = currencies_in(data)
    if currency is None:
        if len(found) > 1:
            raise CurrencyMismatch(
                f"Orders in {', '.join(found)} fall in {period.label()}: one report cannot add them up. "
                "Run the report once per currency (posapp report --currency CODE).",
                tuple(found),
            )
        currency = found[0] if found else default_currency

    def mine(rows: Iterable[OrderAgg]) -> list[OrderAgg]:
        return [r for r in rows if r.currency == currency]

    orders = mine(data.orders)
    sold = [a for a in orders if a.status not in LOST]

    platforms = []
    for name in sorted({a.platform for a in orders}):
        rows = [a for a in orders if a.platform == name]
        ok = [a for a in rows if a.status not in LOST]
        platforms.append(
            PlatformLine(
                platform=name,
                orders=_sum(ok, "orders"),
                gross=_sum(ok, "total"),
                discount=_sum(ok, "discount"),
                fees=_sum(ok, "delivery_fee") + _sum(ok, "packaging_fee") + _sum(ok, "service_fee"),
                tip=_sum(ok, "tip"),
                tax=_sum(ok, "tax"),
                commission=_sum(ok, "commission"),
                payout=_sum(ok, "payout"),
                cancelled=_sum([a for a in rows if a.status == "cancelled"], "orders"),
                rejected=_sum([a for a in rows if a.status == "rejected"], "orders"),
                lost_value=_sum([a for a in rows if a.status in LOST], "total"),
                late=_sum(ok, "late"),
            )
        )

    pay: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for a in sold:
        acc = pay[a.payment_method or "online"]
        acc[0] += a.orders
        acc[1] += a.total
    payments = tuple(PaymentLine(m, n, v) for m, (n, v) in sorted(pay.items()))

    lost = tuple(
        LostLine(r.platform, r.status, r.reason or "(no reason given)", r.orders, r.value)
        for r in sorted(
            (r for r in data.reasons if r.currency == currency),
            key=lambda r: (r.platform, r.status, -r.value, r.reason or ""),
        )
    )

    items = [i for i in data.items if i.currency == currency]
    ranked = sorted(items, key=lambda i: (-i.quantity, -i.sales, i.name))
    top = tuple(ItemLine(i.name, i.quantity, i.sales) for i in ranked[:top_n])
    rest = ranked[top_n:]
    bottom = tuple(ItemLine(i.name, i.quantity, i.sales) for i in reversed(rest[-top_n:]))

    hour_map = {h.hour: h for h in data.hours if h.currency == currency}
    first_hour = period.cutoff.hour
    hours = tuple(
        HourLine(h, hour_map[h].orders if h in hour_map else 0, hour_map[h].sales if h in hour_map else 0)
        for h in ((first_hour + k) % 24 for k in range(24))
    )

    # Prep times are not money: they cover every accepted-and-ready order of the period, whatever its currency.
    by_platform = _group(data.prep_by_platform)
    prep_all = _prep_line("all", [(p.seconds, p.count) for p in data.prep_by_platform])
    by_hour = _group(data.prep_by_hour)

    refunds = tuple(
        RefundLine(r.at, r.by, r.order_id, r.platform or "", r.amount, r.reason or "")
        for r in data.refunds
        if (r.currency or currency) == currency
    )
    requests = [r for r in data.refund_requests if r.currency == currency]

    comparison = None
    if previous is not None:
        prev_sold = [a for a in previous if a.currency == currency and a.status not in LOST]
        comparison = Comparison(
            label=period.shifted(-7).label(),
            orders=_sum(sold, "orders"),
            gross=_sum(sold, "total"),
            previous_orders=_sum(prev_sold, "orders"),
            previous_gross=_sum(prev_sold, "total"),
        )

    return ZReport(
        period=period,
        currency=currency,
        orders=_sum(sold, "orders"),
        gross=_sum(sold, "total"),
        subtotal=_sum(sold, "subtotal"),
        discount=_sum(sold, "discount"),
        delivery_fee=_sum(sold, "delivery_fee"),
        packaging_fee=_sum(sold, "packaging_fee"),
        service_fee=_sum(sold, "service_fee"),
        tip=_sum(sold, "tip"),
        tax=_sum(sold, "tax"),
        commission=_sum(sold, "commission"),
        payout=_sum(sold, "payout"),
        open_orders=_sum([a for a in orders if a.status in OPEN], "orders"),
        cancelled=_sum([a for a in orders if a.status == "cancelled"], "orders"),
        rejected=_sum([a for a in orders if a.status == "rejected"], "orders"),
        lost_value=_sum([a for a in orders if a.status in LOST], "total"),
        late=_sum(sold, "late"),
        late_threshold_minutes=late_threshold_minutes,
        platforms=tuple(platforms),
        payments=payments,
        lost=lost,
        prep=prep_all,
        prep_by_platform=tuple(_prep_line(k, v) for k, v in sorted(by_platform.items())),
        prep_by_hour=tuple(_prep_line(k, v) for k, v in sorted(by_hour.items())),
        top_items=top,
        bottom_items=bottom,
        hours=hours,
        refunds=refunds,
        refund_total=sum(r.amount for r in refunds),
        refund_requests=sum(r.requests for r in requests),
        refund_requested_value=sum(r.value for r in requests),
        comparison=comparison,
    )


def percentile(histogram: Sequence[tuple[int, int]], fraction: float) -> int | None:
    """Nearest-rank percentile of a (value, count) histogram: the smallest value with at least
    ``ceil(fraction * N)`` observations at or below it. The median of 4, 6, 8, 10 is 6."""
    total = sum(n for _, n in histogram)
    if total == 0:
        return None
    rank = max(1, math.ceil(fraction * total))
    seen = 0
    for value, n in sorted(histogram):
        seen += n
        if seen >= rank:
            return value
    return sorted(histogram)[-1][0]


def _prep_line(key: str, histogram: Sequence[tuple[int, int]]) -> PrepLine:
    return PrepLine(key, sum(n for _, n in histogram), percentile(histogram, 0.5), percentile(histogram, 0.9))


def _group(rows: Iterable[PrepCount]) -> dict[str, list[tuple[int, int]]]:
    out: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for r in rows:
        out[r.key].append((r.seconds, r.count))
    return out


def _sum(rows: Iterable[OrderAgg], name: str) -> int:
    return sum(int(getattr(r, name)) for r in rows)


def _avg(amount: int, count: int) -> int:
    """Average in minor units, rounded half up (integers only: money is never a float)."""
    return 0 if count == 0 else (2 * amount + count) // (2 * count)


def _pct(now: int, before: int) -> float | None:
    return None if before == 0 else round((now - before) * 100 / before, 1)
