"""Plain rows that report queries return and report builders read: the contract between store/ and reports/."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any


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


_TABLES: dict[str, tuple[type, int]] = {  # name -> (row type, how many leading fields form the key)
    "orders": (OrderAgg, 4),
    "reasons": (ReasonAgg, 4),
    "items": (ItemAgg, 2),
    "hours": (HourAgg, 2),
    "refund_requests": (RequestAgg, 2),
}
_HISTOGRAMS = ("prep_by_platform", "prep_by_hour")


def data_to_json(data: ReportData) -> str:
    """The aggregates of ``data`` (not its refunds, which are always read live) as compact JSON.

    Prep histograms are flat ``[seconds, count, seconds, count, ...]`` lists per key: a year of them is
    decoded and added up in well under a second.
    """
    body: dict[str, Any] = {name: [list(_astuple(row)) for row in getattr(data, name)] for name in _TABLES}
    for name in _HISTOGRAMS:
        flat: dict[str, list[int]] = {}
        for p in getattr(data, name):
            flat.setdefault(p.key, []).extend((p.seconds, p.count))
        body[name] = flat
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"))


class Accumulator:
    """Adds up the aggregates of consecutive periods (sums and histogram counts are additive)."""

    def __init__(self) -> None:
        self._tables: dict[str, dict[tuple[Any, ...], list[int]]] = {name: {} for name in _TABLES}
        self._hist: dict[str, dict[str, dict[int, int]]] = {name: {} for name in _HISTOGRAMS}
        self._refunds: list[RefundRow] = []

    def add_rows(self, name: str, rows: Iterable[Sequence[Any]]) -> None:
        key_len = _TABLES[name][1]
        table = self._tables[name]
        for row in rows:
            key = tuple(row[:key_len])
            acc = table.get(key)
            if acc is None:
                table[key] = list(row[key_len:])
            else:
                for i, value in enumerate(row[key_len:]):
                    acc[i] += value

    def add_hist(self, name: str, key: str, pairs: Sequence[int]) -> None:
        counts = self._hist[name].setdefault(key, {})
        get = counts.get
        for i in range(0, len(pairs), 2):
            counts[pairs[i]] = get(pairs[i], 0) + pairs[i + 1]

    def add(self, data: ReportData) -> None:
        for name in _TABLES:
            self.add_rows(name, [_astuple(row) for row in getattr(data, name)])
        for name in _HISTOGRAMS:
            for p in getattr(data, name):
                self.add_hist(name, p.key, (p.seconds, p.count))
        self._refunds.extend(data.refunds)

    def add_counts(self, name: str, key: str, counts: dict[int, int]) -> None:
        """Add a ``{seconds: count}`` histogram under ``key``."""
        mine = self._hist[name].setdefault(key, {})
        get = mine.get
        for secs, n in counts.items():
            mine[secs] = get(secs, 0) + n

    def merge(self, other: Accumulator) -> None:
        """Add everything ``other`` holds (without going through dataclasses)."""
        for name in _TABLES:
            self.add_rows(name, [(*k, *v) for k, v in other._tables[name].items()])
        for name in _HISTOGRAMS:
            for key, counts in other._hist[name].items():
                self.add_counts(name, key, counts)
        self._refunds.extend(other._refunds)

    def to_json(self) -> str:
        """The same JSON as :func:`data_to_json` of :meth:`result`, straight from the sums."""
        body: dict[str, Any] = {
            name: [[*k, *v] for k, v in sorted(rows.items(), key=lambda kv: _sort_key(kv[0]))]
            for name, rows in self._tables.items()
        }
        for name in _HISTOGRAMS:
            body[name] = {
                key: [x for secs, n in sorted(counts.items()) for x in (secs, n)]
                for key, counts in sorted(self._hist[name].items())
            }
        return json.dumps(body, ensure_ascii=False, separators=(",", ":"))

    def add_json(self, text: str) -> None:
        body = json.loads(text)
        for name in _TABLES:
            self.add_rows(name, body.get(name, ()))
        for name in _HISTOGRAMS:
            for key, pairs in body.get(name, {}).items():
                self.add_hist(name, key, pairs)

    def result(self, start: datetime, end: datetime) -> ReportData:
        def table(name: str) -> tuple[Any, ...]:
            cls = _TABLES[name][0]
            rows = self._tables[name]
            return tuple(cls(*k, *v) for k, v in sorted(rows.items(), key=lambda kv: _sort_key(kv[0])))

        def hist(name: str) -> tuple[PrepCount, ...]:
            return tuple(
                PrepCount(key, secs, n)
                for key, counts in sorted(self._hist[name].items())
                for secs, n in sorted(counts.items())
            )

        return ReportData(
            start=start,
            end=end,
            orders=table("orders"),
            reasons=table("reasons"),
            items=table("items"),
            hours=table("hours"),
            prep_by_platform=hist("prep_by_platform"),
            prep_by_hour=hist("prep_by_hour"),
            refunds=tuple(self._refunds),
            refund_requests=table("refund_requests"),
        )


def merge_data(parts: Sequence[ReportData], start: datetime, end: datetime) -> ReportData:
    acc = Accumulator()
    for part in parts:
        acc.add(part)
    return acc.result(start, end)


def _sort_key(key: tuple[Any, ...]) -> tuple[Any, ...]:
    return tuple((v is None, "" if v is None else v) for v in key)


def _astuple(row: Any) -> tuple[Any, ...]:
    return tuple(getattr(row, f.name) for f in fields(row))


@dataclass(frozen=True, slots=True)
class CustomerAgg:
    """Orders of one (platform, phone as given, name as given) triple; phones are masked or relay numbers."""

    platform: str
    phone: str | None
    name: str | None
    orders: int
    last_order_at: datetime
    currency: str
    spent: int


@dataclass(frozen=True, slots=True)
class CustomerNote:
    key: str
    note: str
    updated_at: datetime
    updated_by: str
