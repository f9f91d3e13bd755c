"""The drawer's rows: paid in / paid out / float entries, counts, and the cash orders and refunds of a period."""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from posapp.domain.cash import CashEntry, DrawerCount, Movement
from posapp.store.tables import AuditRow, CashCountRow, CashEntryRow, OrderRow

CASH = "cash"
COUNTER = "manual"  # cash reaches the drawer only through orders rung up at the counter
NOT_SOLD = ("cancelled", "rejected")


def add_entry(session: Session, entry: CashEntry) -> int:
    row = CashEntryRow(
        at=entry.at,
        kind=entry.kind.value,
        amount=entry.amount,
        currency=entry.currency,
        reason=entry.reason,
        by=entry.by,
    )
    session.add(row)
    session.flush()
    return row.id


def entries(session: Session, start: datetime, end: datetime) -> list[CashEntry]:
    stmt = (
        select(CashEntryRow)
        .where(CashEntryRow.at >= start, CashEntryRow.at < end)
        .order_by(CashEntryRow.at, CashEntryRow.id)
    )
    return [
        CashEntry(Movement(r.kind), r.amount, r.currency, r.reason, r.by, r.at) for r in session.scalars(stmt)
    ]


def cash_orders(session: Session, start: datetime, end: datetime, currency: str) -> tuple[int, int]:
    """(how many, how much) of the counter's paid cash orders placed in the period, cancelled ones aside."""
    o = OrderRow
    stmt = select(func.count(o.id), func.coalesce(func.sum(o.total), 0)).where(
        o.platform == COUNTER,
        o.payment_method == CASH,
        o.paid.is_(True),
        o.currency == currency,
        o.status.not_in(NOT_SOLD),
        o.placed_at >= start,
        o.placed_at < end,
    )
    count, total = session.execute(stmt).one()
    return int(count), int(total)


def cash_refunds(session: Session, start: datetime, end: datetime, currency: str) -> int:
    """The refunds staff marked in the period on orders paid in cash (handed back from the drawer)."""
    stmt = (
        select(AuditRow.detail)
        .join(OrderRow, AuditRow.order_id == OrderRow.id)
        .where(
            AuditRow.action == "refund",
            AuditRow.at >= start,
            AuditRow.at < end,
            OrderRow.payment_method == CASH,
            OrderRow.currency == currency,
        )
    )
    total = 0
    for detail in session.scalars(stmt):
        try:
            amount = json.loads(detail or "{}").get("amount")
        except (ValueError, AttributeError):
            continue
        if isinstance(amount, int) and not isinstance(amount, bool) and amount > 0:
            total += amount
    return total


def add_count(session: Session, day: str, count: DrawerCount, *, expected: int, by: str, at: datetime) -> int:
    row = CashCountRow(
        day=day,
        at=at,
        by=by,
        currency=count.currency,
        pieces=json.dumps([list(p) for p in count.pieces]),
        counted=count.total,
        expected=expected,
    )
    session.add(row)
    session.flush()
    return row.id


def latest_count(session: Session, day: str, currency: str) -> tuple[DrawerCount, str, datetime] | None:
    """The last count of the business day ``day`` (a recount replaces the one before), with who and when."""
    stmt = (
        select(CashCountRow)
        .where(CashCountRow.day == day, CashCountRow.currency == currency)
        .order_by(CashCountRow.at.desc(), CashCountRow.id.desc())
        .limit(1)
    )
    row = session.scalars(stmt).first()
    if row is None:
        return None
    pieces = {int(d): int(n) for d, n in json.loads(row.pieces)}
    return DrawerCount.of(row.currency, pieces), row.by, row.at
