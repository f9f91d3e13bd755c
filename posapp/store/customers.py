"""Customer queries for CRM-lite and notes (the purge of personal fields is store/privacy.py's erase path)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from posapp.domain.customers import CustomerOrder
from posapp.domain.reporting import CustomerAgg, CustomerNote
from posapp.store.sealing import CUSTOMER, PHONE, blind, seal, sealer_of, shown
from posapp.store.tables import CustomerNoteRow, OrderRow

O = OrderRow  # noqa: E741


def customer_aggregates(session: Session, *, since: datetime | None = None) -> list[CustomerAgg]:
    """Orders grouped by platform and the phone/name exactly as the platform gave them.

    In an encrypted database the groups are those of the phone's and the name's blind indexes (equal values,
    equal indexes); each group's phone and name are then opened from one of its orders."""
    sealer = sealer_of(session)
    phone_col, name_col = (
        (O.customer_phone, O.customer_name)
        if sealer is None
        else (O.customer_phone_index, O.customer_name_index)
    )
    stmt = (
        select(
            O.platform,
            phone_col,
            name_col,
            func.count(),
            func.max(O.placed_at),
            O.currency,
            func.sum(O.total),
            func.min(O.id),
        )
        .where(or_(O.customer_phone.is_not(None), O.customer_name.is_not(None)))
        .where(O.status.not_in(("cancelled", "rejected")))
        .group_by(O.platform, phone_col, name_col, O.currency)
    )
    if since is not None:
        stmt = stmt.where(O.placed_at >= since)
    rows = session.execute(stmt).all()
    who = _who(session, [int(r[7]) for r in rows]) if sealer is not None else {}
    out = []
    for platform, phone, name, n, last, currency, spent, first in rows:
        if sealer is not None:
            phone, name = who[int(first)]
        out.append(CustomerAgg(platform, phone, name, int(n), last, currency, int(spent or 0)))
    return out


def _who(session: Session, order_ids: list[int]) -> dict[int, tuple[str | None, str | None]]:
    """The opened (phone, name) of these orders."""
    out: dict[int, tuple[str | None, str | None]] = {}
    for at in range(0, len(order_ids), 500):
        chunk = order_ids[at : at + 500]
        for i, phone, name in session.execute(
            select(O.id, O.customer_phone, O.customer_name).where(O.id.in_(chunk))
        ):
            out[int(i)] = (
                shown(session, phone, "orders", "customer_phone", i),
                shown(session, name, "orders", "customer_name", i),
            )
    return out


def customer_orders(session: Session) -> list[CustomerOrder]:
    """Every kept order that names a phone (segments and a customer's history), oldest first.

    In an encrypted database each distinct phone and name is opened once, at its first order, and known by
    its blind index after that: a year of orders from a few thousand customers opens a few thousand values,
    not two per order (benchmarks/bench_reports.py)."""
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
            O.customer_phone_index,
            O.customer_name_index,
        )
        .where(O.customer_phone.is_not(None), O.customer_phone != "")
        .where(O.status.not_in(("cancelled", "rejected")))
        .order_by(O.placed_at, O.id)
    )
    opened: dict[tuple[str, str], str | None] = {}

    def plain(column: str, index: str | None, value: str | None, row: int) -> str | None:
        if index is None:  # a plain database (or a value without an index): open it as it is
            return shown(session, value, "orders", column, row)
        key = (column, index)
        if key in opened:
            return opened[key]
        text = shown(session, value, "orders", column, row)
        if text is not None:  # a value that did not open is not taken as the customer's
            opened[key] = text
        return text

    return [
        CustomerOrder(
            int(i),
            platform,
            display,
            plain("customer_phone", phone_index, phone, i) or "",
            plain("customer_name", name_index, name, i),
            placed,
            int(total),
            currency,
        )
        for i, platform, display, phone, name, placed, total, currency, phone_index, name_index in session.execute(
            stmt
        )
    ]


def orders_of_phone(session: Session, phone: str) -> list[int]:
    """Ids of the orders that name exactly this phone (as the platform gave it), oldest first: an equality
    look-up on the phone's blind index in an encrypted database, never on the phone."""
    index = blind(session, phone, PHONE)
    cond = O.customer_phone == phone if index is None else O.customer_phone_index == index
    return [int(i) for i in session.scalars(select(O.id).where(cond).order_by(O.placed_at, O.id))]


def notes(session: Session) -> dict[str, CustomerNote]:
    out = {}
    for r in session.scalars(select(CustomerNoteRow)):
        key = _note_key(session, r)
        out[key] = CustomerNote(key, shown(session, r.note, *_NOTE, r.key) or "", r.updated_at, r.updated_by)
    return out


_NOTE = ("customer_notes", "note")


def _note_key(session: Session, row: CustomerNoteRow) -> str:
    """The customer key a note is about: its sealed label in an encrypted database, else the row key."""
    return (
        row.key if row.label is None else shown(session, row.label, "customer_notes", "label", row.key) or ""
    )


def note_row_key(session: Session, key: str) -> str:
    """The stored row key of the note on customer ``key``: its blind index in an encrypted database."""
    return blind(session, key, CUSTOMER) or key


def set_note(session: Session, key: str, note: str, *, at: datetime, by: str) -> None:
    row_key = note_row_key(session, key)
    session.execute(delete(CustomerNoteRow).where(CustomerNoteRow.key == row_key))
    if note.strip():
        label = None if row_key == key else seal(session, key, "customer_notes", "label", row_key)
        sealed_note = seal(session, note.strip(), *_NOTE, row_key) or ""
        session.add(CustomerNoteRow(key=row_key, note=sealed_note, label=label, updated_at=at, updated_by=by))


def drop_notes_without_orders(session: Session, live_keys: set[str]) -> int:
    """Forget notes on customers no stored order names any more (their personal fields were purged)."""
    gone = [r.key for r in session.scalars(select(CustomerNoteRow)) if _note_key(session, r) not in live_keys]
    if gone:
        session.execute(delete(CustomerNoteRow).where(CustomerNoteRow.key.in_(gone)))
    return len(gone)
