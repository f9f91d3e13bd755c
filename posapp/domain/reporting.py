"""Plain rows that report queries return and report builders read: the contract between store/ and reports/."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class OrderAgg:
    """Sums over the orders of one (platform, currency, status, payment method) group."""

    platform: str
    currency: str
    status: str
    payment_method: str | None
    orders: int
    subtotal: int
    discount: int
    delivery_fee: int
    packaging_fee: int
    service_fee: int
    tip: int
    tax: int
    total: int
    commission: int  # sum of the known commissions
    commission_known: int  # how many orders reported a commission
    payout: int  # expected payout: the platform's figure, else total - commission
    payout_known: int  # how many orders carried the platform's payout figure
    late: int  # ready after due_at, or prep beyond the threshold


@dataclass(frozen=True, slots=True)
class ReasonAgg:
    """Cancelled or rejected orders of one platform grouped by the reason given."""

    platform: str
    currency: str
    status: str
    reason: str | None
    orders: int
    value: int


@dataclass(frozen=True, slots=True)
class ItemAgg:
    """One item name sold in the period (cancelled and rejected orders excluded)."""

    name: str
    currency: str
    quantity: int
    sales: int  # (unit price + modifiers) x quantity, minor units


@dataclass(frozen=True, slots=True)
class HourAgg:
    """Orders placed in one local hour of the day (0-23) over the period."""

    hour: int
    currency: str
    orders: int
    sales: int


@dataclass(frozen=True, slots=True)
class PrepCount:
    """``count`` orders took exactly ``seconds`` from accepted to ready (a histogram bucket)."""

    key: str  # a platform name, or the local hour as two digits
    seconds: int
    count: int


@dataclass(frozen=True, slots=True)
class RefundRow:
    """A refund staff marked on an order (audit_log action "refund")."""

    at: datetime
    by: str
    order_id: int | None
    platform: str | None
    currency: str | None
    amount: int
    reason: str | None


@dataclass(frozen=True, slots=True)
class RequestAgg:
    """Refund requests the platforms sent (order_events kind "refund_requested")."""

    platform: str
    currency: str
    requests: int
    value: int


@dataclass(frozen=True, slots=True)
class OffsetSpan:
    """A stretch of UTC time in which the store's clock has one fixed offset from UTC (no DST change)."""

    start: datetime
    end: datetime
    offset_seconds: int


@dataclass(frozen=True, slots=True)
class ReportData:
    """Everything the SQL side returns for one period; the report builder turns it into figures."""

    start: datetime
    end: datetime
    orders: tuple[OrderAgg, ...]
    reasons: tuple[ReasonAgg, ...]
    items: tuple[ItemAgg, ...]
    hours: tuple[HourAgg, ...]
    prep_by_platform: tuple[PrepCount, ...]
    prep_by_hour: tuple[PrepCount, ...]
    refunds: tuple[RefundRow, ...]
    refund_requests: tuple[RequestAgg, ...]
