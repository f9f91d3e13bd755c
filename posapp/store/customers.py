"""Customer queries for CRM-lite, notes, and the purge of personal fields after the retention period."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import Session

from posapp.domain.customers import CustomerOrder
from posapp.domain.reporting import CustomerAgg, CustomerNote
from posapp.store.tables import CustomerNoteRow, OrderRow

O = OrderRow  # noqa: E741


def customer_aggregates(session: Session, *, since: datetime | None = None) -> list[CustomerAgg]:
    """Orders grouped by platform and the phone/name exactly as the platform gave them."""
    stmt = (
        select(
            O.platform,
            O.customer_phone,
            O.customer_name,
            func.count(),
            func.max(O.placed_at),
            O.currency,
            func.sum(O.total),
        )
        .where(or_(O.customer_phone.is_not(None), O.customer_name.is_not(None)))
        .where(O.status.not_in(("cancelled", "rejected")))
        .group_by(O.platform, O.customer_phone, O.customer_name, O.currency)
    )
    if since is not None:
        stmt = stmt.where(O.placed_at >= since)
    out = []
    for platform, phone, name, n, last, currency, spent in session.execute(stmt):
        out.append(CustomerAgg(platform, phone, name, int(n), last, currency, int(spent or 0)))
    return out


def customer_orders(session: Session) -> list[CustomerOrder]:
    """Every kept order that names a phone (segments and a customer's history), oldest first."""
    stmt = (
        select(
            O.id,
            O.platform,
            O.display_id,
            O.customer_phone,
            O.customer_name,
            O.placed_at,
            O.total,
            O.currency,
        )
        .where(O.customer_phone.is_not(None), O.customer_phone != "")
        .where(O.status.not_in(("cancelled", "rejected")))
        .order_by(O.placed_at, O.id)
    )
    return [
        CustomerOrder(int(i), platform, display, phone or "", name, placed, int(total), currency)
        for i, platform, display, phone, name, placed, total, currency in session.execute(stmt)
    ]


def notes(session: Session) -> dict[str, CustomerNote]:
    rows = session.scalars(select(CustomerNoteRow))
    return {r.key: CustomerNote(r.key, r.note, r.updated_at, r.updated_by) for r in rows}


def set_note(session: Session, key: str, note: str, *, at: datetime, by: str) -> None:
    session.execute(delete(CustomerNoteRow).where(CustomerNoteRow.key == key))
    if note.strip():
        session.add(CustomerNoteRow(key=key, note=note.strip(), updated_at=at, updated_by=by))


def purge_personal_fields(session: Session, *, placed_before: datetime) -> int:
    """Blank customer name, phone and address, and drop the raw platform payload (which repeats them), on
    orders placed before ``placed_before``. Figures (money, items, times) stay. Returns orders purged."""
    has_personal = or_(
        O.customer_name.is_not(None),
        O.customer_phone.is_not(None),
        O.customer_address.is_not(None),
        O.raw.is_not(None),
    )
    result = session.execute(
        update(O)
        .where(O.placed_at < placed_before, has_personal)
        .values(customer_name=None, customer_phone=None, customer_address=None, raw=None)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def drop_notes_without_orders(session: Session, live_keys: set[str]) -> int:
    """Forget notes on customers no stored order names any more (their personal fields were purged)."""
    gone = [k for k in session.scalars(select(CustomerNoteRow.key)) if k not in live_keys]
    if gone:
        session.execute(delete(CustomerNoteRow).where(CustomerNoteRow.key.in_(gone)))
    return len(gone)
