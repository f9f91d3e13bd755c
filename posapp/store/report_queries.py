"""Report aggregation in SQL: a handful of GROUP BY queries per period, returning plain domain rows.

Everything is SQLAlchemy Core. The one dialect-dependent piece, "seconds since the epoch" of a timestamp, is
a compiled construct with a SQLite and a PostgreSQL form, so the same queries run on both.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, and_, case, delete, func, literal, select, update
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import ColumnElement, FunctionElement

from posapp.domain.reporting import (
    Accumulator,
    HourAgg,
    ItemAgg,
    OffsetSpan,
    OrderAgg,
    PrepCount,
    ReasonAgg,
    RefundRow,
    ReportData,
    RequestAgg,
    data_to_json,
)
from posapp.store.tables import AuditRow, EventRow, ItemRow, ModifierRow, OrderRow, ReportDayRow

LOST_STATUSES = ("cancelled", "rejected")

Ot = OrderRow.__table__.c
It = ItemRow.__table__.c
M = ModifierRow.__table__.c
E = EventRow.__table__.c
A = AuditRow.__table__.c


class epoch_seconds(FunctionElement[int]):
    """Whole seconds since 1970-01-01 of a UTC timestamp column."""

    type = BigInteger()
    inherit_cache = True
    name = "epoch_seconds"


@compiles(epoch_seconds, "sqlite")
def _epoch_sqlite(element: Any, compiler: Any, **kw: Any) -> str:
    # julianday() is about twice as fast as strftime('%s') on a year of rows; ROUND undoes float error.
    return (
        f"CAST(ROUND((julianday({compiler.process(element.clauses, **kw)}) - 2440587.5) * 86400) AS INTEGER)"
    )


@compiles(epoch_seconds)
def _epoch_default(element: Any, compiler: Any, **kw: Any) -> str:
    # PostgreSQL and most others: the naive UTC timestamp's epoch.
    return f"CAST(EXTRACT(EPOCH FROM {compiler.process(element.clauses, **kw)}) AS BIGINT)"


def _in(column: Any, start: datetime, end: datetime) -> ColumnElement[bool]:
    return and_(column >= start, column < end)


def _sold() -> ColumnElement[bool]:
    return Ot.status.not_in(LOST_STATUSES)


def _prep() -> ColumnElement[int]:
    return epoch_seconds(Ot.ready_at) - epoch_seconds(Ot.accepted_at)


def _hour(column: Any, offset_seconds: int) -> ColumnElement[int]:
    return ((epoch_seconds(column) + literal(offset_seconds, BigInteger)) // 3600) % 24


def _order_columns(late_prep_seconds: int) -> list[Any]:
    """The OrderAgg fields after its four key columns, as SQL aggregates."""
    has_prep = and_(Ot.ready_at.is_not(None), Ot.accepted_at.is_not(None))
    late = case(
        (and_(Ot.ready_at.is_not(None), Ot.due_at.is_not(None), Ot.ready_at > Ot.due_at), 1),
        (and_(has_prep, _prep() > late_prep_seconds), 1),
        else_=0,
    )
    money = [
        Ot.subtotal,
        Ot.discount,
        Ot.delivery_fee,
        Ot.packaging_fee,
        Ot.service_fee,
        Ot.tip,
        Ot.tax,
        Ot.total,
    ]
    return [
        func.count(),
        *[func.coalesce(func.sum(c), 0) for c in money],
        func.coalesce(func.sum(Ot.commission), 0),
        func.count(Ot.commission),
        # Expected payout: what the platform said, else total minus the commission we know of.
        func.coalesce(func.sum(func.coalesce(Ot.payout, Ot.total - func.coalesce(Ot.commission, 0))), 0),
        func.count(Ot.payout),
        func.coalesce(func.sum(late), 0),
    ]


_ORDER_KEY = (Ot.platform, Ot.currency, Ot.status, Ot.payment_method)


def order_aggregates(
    session: Session, start: datetime, end: datetime, late_prep_seconds: int
) -> list[OrderAgg]:
    stmt = (
        select(*_ORDER_KEY, *_order_columns(late_prep_seconds))
        .where(_in(Ot.placed_at, start, end))
        .group_by(*_ORDER_KEY)
        .order_by(*_ORDER_KEY)
    )
    return [OrderAgg(*(row[:4]), *(int(v) for v in row[4:])) for row in session.execute(stmt)]


def lost_reasons(session: Session, start: datetime, end: datetime) -> list[ReasonAgg]:
    stmt = (
        select(Ot.platform, Ot.currency, Ot.status, Ot.status_reason, func.count(), func.sum(Ot.total))
        .where(_in(Ot.placed_at, start, end), Ot.status.in_(LOST_STATUSES))
        .group_by(Ot.platform, Ot.currency, Ot.status, Ot.status_reason)
        .order_by(Ot.platform, Ot.status, Ot.status_reason)
    )
    return [ReasonAgg(p, c, s, r, int(n), int(v or 0)) for p, c, s, r, n, v in session.execute(stmt)]


def item_aggregates(session: Session, start: datetime, end: datetime) -> list[ItemAgg]:
    """Quantity and sales per item name; modifier prices are added from a second, usually tiny, query."""
    joined = ItemRow.__table__.join(OrderRow.__table__, It.order_id == Ot.id)
    base = (
        select(It.name, Ot.currency, func.sum(It.quantity), func.sum(It.quantity * It.unit_price))
        .select_from(joined)
        .where(_in(Ot.placed_at, start, end), _sold())
        .group_by(It.name, Ot.currency)
    )
    extras = (
        select(It.name, Ot.currency, func.sum(It.quantity * M.quantity * M.unit_price))
        .select_from(joined.join(ModifierRow.__table__, M.item_id == It.id))
        .where(_in(Ot.placed_at, start, end), _sold())
        .group_by(It.name, Ot.currency)
    )
    extra = {(n, c): int(v or 0) for n, c, v in session.execute(extras)}
    return [ItemAgg(n, c, int(q), int(s) + extra.get((n, c), 0)) for n, c, q, s in session.execute(base)]


def hour_aggregates(session: Session, spans: Sequence[OffsetSpan]) -> list[HourAgg]:
    """Sold orders and sales per local hour; one query per stretch of constant UTC offset (DST-safe)."""
    merged: dict[tuple[int, str], list[int]] = {}
    for span in spans:
        hour = _hour(Ot.placed_at, span.offset_seconds).label("hour")
        stmt = (
            select(hour, Ot.currency, func.count(), func.sum(Ot.total))
            .where(_in(Ot.placed_at, span.start, span.end), _sold())
            .group_by(hour, Ot.currency)
        )
        for h, cur, n, sales in session.execute(stmt):
            acc = merged.setdefault((int(h), cur), [0, 0])
            acc[0] += int(n)
            acc[1] += int(sales or 0)
    return [HourAgg(h, c, n, s) for (h, c), (n, s) in sorted(merged.items())]


def prep_histograms(session: Session, spans: Sequence[OffsetSpan]) -> tuple[list[PrepCount], list[PrepCount]]:
    """Exact accepted -> ready durations as (key, seconds, count) per platform and per local hour placed."""
    by_platform: dict[tuple[str, int], int] = {}
    by_hour: dict[tuple[str, int], int] = {}
    prep = _prep().label("prep")
    for span in spans:
        hour = _hour(Ot.placed_at, span.offset_seconds).label("hour")
        stmt = (
            select(Ot.platform, hour, prep, func.count())
            .where(
                _in(Ot.placed_at, span.start, span.end),
                Ot.accepted_at.is_not(None),
                Ot.ready_at.is_not(None),
            )
            .group_by(Ot.platform, hour, prep)
        )
        for platform, h, seconds, n in session.execute(stmt):
            secs = max(int(seconds), 0)
            by_platform[(platform, secs)] = by_platform.get((platform, secs), 0) + int(n)
            key = (f"{int(h):02d}", secs)
            by_hour[key] = by_hour.get(key, 0) + int(n)
    return (
        [PrepCount(k, s, n) for (k, s), n in sorted(by_platform.items())],
        [PrepCount(k, s, n) for (k, s), n in sorted(by_hour.items())],
    )


def refunds(session: Session, start: datetime, end: datetime) -> list[RefundRow]:
    """Refunds staff marked in the period (by the time they were marked)."""
    stmt = (
        select(A.at, A.by, A.order_id, A.detail, Ot.platform, Ot.currency)
        .select_from(AuditRow.__table__.outerjoin(OrderRow.__table__, A.order_id == Ot.id))
        .where(A.action == "refund", _in(A.at, start, end))
        .order_by(A.at, A.id)
    )
    out = []
    for at, by, order_id, detail, platform, currency in session.execute(stmt):
        info = _detail(detail)
        amount = info.get("amount")
        out.append(
            RefundRow(
                at=at,
                by=by,
                order_id=order_id,
                platform=platform,
                currency=info.get("currency") or currency,
                amount=amount if isinstance(amount, int) and not isinstance(amount, bool) else 0,
                reason=None if info.get("reason") is None else str(info["reason"]),
            )
        )
    return out


def refund_requests(session: Session, start: datetime, end: datetime) -> list[RequestAgg]:
    stmt = (
        select(Ot.platform, Ot.currency, func.count(func.distinct(E.order_id)), func.sum(Ot.total))
        .select_from(EventRow.__table__.join(OrderRow.__table__, E.order_id == Ot.id))
        .where(E.kind == "refund_requested", _in(E.at, start, end))
        .group_by(Ot.platform, Ot.currency)
        .order_by(Ot.platform, Ot.currency)
    )
    return [RequestAgg(p, c, int(n), int(v or 0)) for p, c, n, v in session.execute(stmt)]


def _business_day(column: Any, offset_seconds: int, cutoff_seconds: int) -> ColumnElement[int]:
    """Days since 1970-01-01 of the local business day ``column`` falls in (local time minus the cut-off)."""
    return (epoch_seconds(column) + literal(offset_seconds - cutoff_seconds, BigInteger)) // 86400


def day_aggregates(
    session: Session, spans: Sequence[OffsetSpan], *, cutoff_seconds: int, late_prep_seconds: int
) -> dict[int, Accumulator]:
    """The aggregates of every business day the spans cover, in one query per table and span (instead of
    one per table and day): what fills the day cache for a long range. Keys are day ordinals
    (days since 1970-01-01); refunds are not included (range reports read them live)."""
    days: dict[int, Accumulator] = {}

    def acc(day: Any) -> Accumulator:
        key = int(day)
        if key not in days:
            days[key] = Accumulator()
        return days[key]

    joined = ItemRow.__table__.join(OrderRow.__table__, It.order_id == Ot.id)
    for span in spans:
        day = _business_day(Ot.placed_at, span.offset_seconds, cutoff_seconds).label("day")
        hour = _hour(Ot.placed_at, span.offset_seconds).label("hour")
        where = _in(Ot.placed_at, span.start, span.end)
        orders = select(day, *_ORDER_KEY, *_order_columns(late_prep_seconds)).where(where)
        for row in session.execute(orders.group_by(day, *_ORDER_KEY)):
            acc(row[0]).add_rows("orders", [(*row[1:5], *(int(v) for v in row[5:]))])
        reasons = (
            select(
                day, Ot.platform, Ot.currency, Ot.status, Ot.status_reason, func.count(), func.sum(Ot.total)
            )
            .where(where, Ot.status.in_(LOST_STATUSES))
            .group_by(day, Ot.platform, Ot.currency, Ot.status, Ot.status_reason)
        )
        for d, p, c, st, r, n, v in session.execute(reasons):
            acc(d).add_rows("reasons", [(p, c, st, r, int(n), int(v or 0))])
        items = (
            select(day, It.name, Ot.currency, func.sum(It.quantity), func.sum(It.quantity * It.unit_price))
            .select_from(joined)
            .where(where, _sold())
            .group_by(day, It.name, Ot.currency)
        )
        for d, name, c, q, sales in session.execute(items):
            acc(d).add_rows("items", [(name, c, int(q), int(sales or 0))])
        extras = (
            select(day, It.name, Ot.currency, func.sum(It.quantity * M.quantity * M.unit_price))
            .select_from(joined.join(ModifierRow.__table__, M.item_id == It.id))
            .where(where, _sold())
            .group_by(day, It.name, Ot.currency)
        )
        for d, name, c, v in session.execute(extras):
            acc(d).add_rows("items", [(name, c, 0, int(v or 0))])
        hours = (
            select(day, hour, Ot.currency, func.count(), func.sum(Ot.total))
            .where(where, _sold())
            .group_by(day, hour, Ot.currency)
        )
        for d, h, c, n, sales in session.execute(hours):
            acc(d).add_rows("hours", [(int(h), c, int(n), int(sales or 0))])
        prep = _prep().label("prep")
        preps = (
            select(day, Ot.platform, hour, prep, func.count())
            .where(where, Ot.accepted_at.is_not(None), Ot.ready_at.is_not(None))
            .group_by(day, Ot.platform, hour, prep)
        )
        hist: dict[tuple[int, str, str], dict[int, int]] = {}
        for d, platform, h, seconds, n in session.execute(preps):
            secs = max(int(seconds), 0)
            for slot in (
                (int(d), "prep_by_platform", str(platform)),
                (int(d), "prep_by_hour", f"{int(h):02d}"),
            ):
                counts = hist.setdefault(slot, {})
                counts[secs] = counts.get(secs, 0) + int(n)
        for (day_ordinal, name, key), counts in hist.items():
            acc(day_ordinal).add_counts(name, key, counts)
    return days


def report_data(session: Session, spans: Sequence[OffsetSpan], *, late_prep_seconds: int) -> ReportData:
    """Every aggregate of the period the spans cover (spans are contiguous, oldest first)."""
    if not spans:
        raise ValueError("a report needs at least one time span")
    start, end = spans[0].start, spans[-1].end
    prep_platform, prep_hour = prep_histograms(session, spans)
    return ReportData(
        start=start,
        end=end,
        orders=tuple(order_aggregates(session, start, end, late_prep_seconds)),
        reasons=tuple(lost_reasons(session, start, end)),
        items=tuple(item_aggregates(session, start, end)),
        hours=tuple(hour_aggregates(session, spans)),
        prep_by_platform=tuple(prep_platform),
        prep_by_hour=tuple(prep_hour),
        refunds=tuple(refunds(session, start, end)),
        refund_requests=tuple(refund_requests(session, start, end)),
    )


def _detail(detail: str | None) -> dict[str, Any]:
    if not detail:
        return {}
    try:
        value = json.loads(detail)
    except ValueError:
        return {"reason": detail}
    return value if isinstance(value, dict) else {"reason": str(value)}


# --- the per-business-day cache (table report_days) -------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CachedDay:
    day: str
    computed_at: datetime
    data: str  # JSON from posapp.domain.reporting.data_to_json


def cached_days(
    session: Session, config: str, days: Sequence[str], *, with_data: bool = True
) -> dict[str, CachedDay]:
    """The cached aggregates of ``days`` (ISO dates) under ``config``; missing days are simply absent.
    ``with_data=False`` reads only which days are kept and when (``data`` is then empty)."""
    if not days:
        return {}
    data = ReportDayRow.data if with_data else literal("")
    rows = session.execute(
        select(ReportDayRow.day, ReportDayRow.computed_at, data).where(
            ReportDayRow.config == config, ReportDayRow.day >= min(days), ReportDayRow.day <= max(days)
        )
    )
    wanted = set(days)
    return {day: CachedDay(day, at, text) for day, at, text in rows if day in wanted}


def store_day(
    session: Session, config: str, day: str, data: ReportData | str, *, computed_at: datetime
) -> None:
    """Keep (or replace) the aggregates of one closed business day."""
    session.execute(delete(ReportDayRow).where(ReportDayRow.config == config, ReportDayRow.day == day))
    text = data if isinstance(data, str) else data_to_json(data)
    session.add(ReportDayRow(config=config, day=day, computed_at=computed_at, data=text))


def confirm_days(session: Session, config: str, days: Sequence[str], *, at: datetime) -> None:
    """Mark cached days as checked up to ``at`` (nothing in them changed), keeping the next check short."""
    for chunk in range(0, len(days), 500):
        session.execute(
            update(ReportDayRow)
            .where(ReportDayRow.config == config, ReportDayRow.day.in_(days[chunk : chunk + 500]))
            .values(computed_at=at)
        )


def changed_since(
    session: Session, since: datetime, start: datetime, end: datetime
) -> list[tuple[datetime, datetime]]:
    """(placed_at, updated_at) of every order placed in [start, end) and created or changed after ``since``."""
    stmt = select(OrderRow.placed_at, OrderRow.updated_at).where(
        _in(Ot.placed_at, start, end), OrderRow.updated_at >= since
    )
    return [(placed, updated) for placed, updated in session.execute(stmt)]


def forget_other_configs(session: Session, config: str) -> int:
    """Drop the summaries kept under another time zone, cut-off or late threshold; returns how many."""
    result: Any = session.execute(delete(ReportDayRow).where(ReportDayRow.config != config))
    return int(result.rowcount or 0)


def clear_cache(session: Session) -> int:
    """Forget every cached day (after a settings change or a data repair); returns how many."""
    result: Any = session.execute(delete(ReportDayRow))
    return int(result.rowcount or 0)
