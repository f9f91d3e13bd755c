"""A customer's data on request: every stored row that may hold their personal fields, read for an export and
blanked for an erasure (the retention purge too). The only module outside orders.py that reads or writes the
personal columns (orders.customer_*, orders.notes, orders.raw, quarantine.body, audit_log.detail)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from posapp.domain.privacy import Needles, PersonalOrder, blank_customer, scrub_text, scrub_value
from posapp.store import jobs as jobstore
from posapp.store.jobs import Job
from posapp.store.sealed import Sealer
from posapp.store.sealing import CUSTOMER, SEALED_COLUMNS, blind, seal, sealer_of, unseal
from posapp.store.tables import AuditRow, CustomerNoteRow, OrderRow, QuarantineRow

O = OrderRow  # noqa: E741
UPLOAD_KIND = "upload"  # services/upload.py's job kind (the store may not import services)
SENT = jobstore.DONE


@dataclass(frozen=True, slots=True)
class QuarantineEntry:
    id: int
    platform: str
    received_at: datetime
    reason: str
    body: str
    content_type: str | None
    resolved: bool


@dataclass(frozen=True, slots=True)
class AuditRecord:
    id: int
    at: datetime
    by: str
    action: str
    order_id: int | None
    detail: str | None


@dataclass(frozen=True, slots=True)
class Erased:
    """What one erasure changed: rows of each kind."""

    orders: int = 0
    uploads: int = 0
    quarantine: int = 0
    audit: int = 0
    notes: int = 0


def _sealed(table: str, column: str) -> bool:
    return column in SEALED_COLUMNS.get(table, ()) or (table, column) == ("customer_notes", "note")


def _open(session: Session, table: str, column: str, row_id: object, value: str | None) -> str | None:
    """A personal column's stored value as text: opened when the column is sealed at rest (store/sealing.py)."""
    return unseal(session, value, table, column, row_id) if _sealed(table, column) else value


def _seal(session: Session, table: str, column: str, row_id: object, value: str | None) -> str | None:
    """Text as a personal column stores it: sealed when the column is sealed at rest."""
    return seal(session, value, table, column, row_id) if _sealed(table, column) else value


def _note_key(session: Session, key: str) -> str:
    """The customer_notes key of a customer key: its blind index in a sealed database, the key in a plain one."""
    return blind(session, key, CUSTOMER) or key


def _personal(session: Session, row: Any) -> PersonalOrder:
    i = int(row.id)

    def o(column: str) -> str | None:
        return _open(session, "orders", column, i, getattr(row, column))

    return PersonalOrder(
        i,
        row.platform,
        row.display_id,
        row.status,
        row.placed_at,
        o("customer_name"),
        o("customer_phone"),
        o("customer_address"),
        int(row.total),
        row.currency,
    )


_PERSONAL_COLUMNS = (
    O.id,
    O.platform,
    O.display_id,
    O.status,
    O.placed_at,
    O.customer_name,
    O.customer_phone,
    O.customer_address,
    O.total,
    O.currency,
)
_HAS_PERSONAL = or_(
    O.customer_name.is_not(None),
    O.customer_phone.is_not(None),
    O.customer_address.is_not(None),
)


def personal_orders(session: Session, *, ids: Iterable[int] | None = None) -> list[PersonalOrder]:
    """Every order (cancelled ones too) that still names a customer (or those of ``ids``), oldest first."""
    stmt = select(*_PERSONAL_COLUMNS).where(_HAS_PERSONAL).order_by(O.placed_at, O.id)
    if ids is not None:
        stmt = stmt.where(O.id.in_(list(ids)))
    return [_personal(session, row) for row in session.execute(stmt)]


@dataclass(frozen=True, slots=True)
class SealedOrders:
    """The personal columns of every order that names a customer, as stored, and what opens them: read on the
    database thread in a moment, opened (the slow part: AES-GCM per value) on another thread by ``open``."""

    rows: list[tuple[Any, ...]]
    sealer: Sealer | None

    def open(self) -> list[PersonalOrder]:
        def o(column: str, row_id: int, value: str | None) -> str | None:
            return value if self.sealer is None else self.sealer.open(value, "orders", column, row_id)

        return [
            PersonalOrder(
                int(i),
                platform,
                display,
                status,
                placed,
                o("customer_name", i, name),
                o("customer_phone", i, phone),
                o("customer_address", i, address),
                int(total),
                currency,
            )
            for i, platform, display, status, placed, name, phone, address, total, currency in self.rows
        ]


def sealed_orders(session: Session) -> SealedOrders:
    """``personal_orders`` without opening the values (see ``SealedOrders``)."""
    stmt = select(*_PERSONAL_COLUMNS).where(_HAS_PERSONAL).order_by(O.placed_at, O.id)
    return SealedOrders([tuple(row) for row in session.execute(stmt)], sealer_of(session))


def expired_orders(
    session: Session, *, placed_before: datetime, limit: int | None = None
) -> list[PersonalOrder]:
    """Orders placed before ``placed_before`` that still hold a name, phone, address, notes or raw payload."""
    still = or_(_HAS_PERSONAL, O.raw.is_not(None), O.notes.is_not(None))
    stmt = select(*_PERSONAL_COLUMNS).where(O.placed_at < placed_before, still).order_by(O.id).limit(limit)
    return [_personal(session, row) for row in session.execute(stmt)]


def raw_payloads(session: Session, order_ids: Iterable[int]) -> dict[int, str | None]:
    """The platform payload each order arrived with, as stored."""
    ids = list(order_ids)
    if not ids:
        return {}
    rows = session.execute(select(O.id, O.raw).where(O.id.in_(ids))).all()
    return {i: _open(session, "orders", "raw", i, raw) for i, raw in rows}


def quarantine_entries(session: Session) -> list[QuarantineEntry]:
    rows = session.scalars(select(QuarantineRow).order_by(QuarantineRow.id))
    return [
        QuarantineEntry(
            r.id,
            r.platform,
            r.received_at,
            r.reason,
            _open(session, "quarantine", "body", r.id, r.body) or "",
            r.content_type,
            r.resolved,
        )
        for r in rows
    ]


def upload_rows(session: Session, order_ids: Iterable[int], *, unsent_only: bool = True) -> list[Job]:
    """The head-office upload rows of these orders (by default those not sent yet), in id order."""
    jobs = jobstore.jobs_for_orders(session, UPLOAD_KIND, order_ids)
    return [j for j in jobs if not unsent_only or j.state != SENT]


def audit_records(
    session: Session, order_ids: Iterable[int], names: Callable[[str], bool] | None = None
) -> list[AuditRecord]:
    """Audit rows about these orders, and (with ``names``) any whose detail ``names`` says names the customer."""
    ids = list(order_ids)
    cond = [AuditRow.order_id.in_(ids)] if ids else []
    if names is not None:
        cond.append(AuditRow.detail.is_not(None))
    if not cond:
        return []
    out = []
    for r in session.scalars(select(AuditRow).where(or_(*cond)).order_by(AuditRow.id)):
        detail = _open(session, "audit_log", "detail", r.id, r.detail)
        if r.order_id in ids or (names is not None and detail and names(detail)):
            out.append(AuditRecord(r.id, r.at, r.by, r.action, r.order_id, detail))
    return out


def customer_notes(session: Session, keys: Iterable[str]) -> dict[str, str]:
    """Staff's notes on these customers (by customer key)."""
    out = {}
    for key in keys:
        row = session.get(CustomerNoteRow, _note_key(session, key))
        if row is not None:
            out[key] = _open(session, "customer_notes", "note", row.key, row.note) or ""
    return out


# -- erasing ------------------------------------------------------------------------------------------------


def erase_orders(
    session: Session, needles: Mapping[int, Needles], *, now: datetime, keep_raw: bool = True
) -> Erased:
    """Blank the customer's name, phone and address and the notes of each order, scrub its raw payload (or,
    ``keep_raw=False``, drop it) and its upload rows (the order in them, sent or not). Money, items, times and
    statuses stay. Each order takes a new version, so screens showing it hear of the change."""
    orders = uploads = 0
    ids = list(needles)
    with session.no_autoflush:  # one load of the rows, not a flush and a query per order
        rows = {
            r.id: r for start in range(0, len(ids), 500) for r in _rows(session, ids[start : start + 500])
        }
        jobs = upload_rows(session, ids, unsent_only=False)
    for order_id, found in needles.items():
        row = rows.get(order_id)
        if row is None:
            continue
        raw = _open(session, "orders", "raw", order_id, row.raw) if keep_raw else None
        row.raw = None
        if raw is not None:
            row.raw = _seal(session, "orders", "raw", order_id, scrub_text(raw, found))
        row.customer_name = row.customer_phone = row.customer_address = row.notes = None
        row.customer_name_index = row.customer_phone_index = None
        row.updated_at = now
        orders += 1
    for job in jobs:
        order = job.payload.get("order")
        its = needles.get(job.order_id or 0)
        if isinstance(order, dict) and its is not None:
            jobstore.update_payload(session, job.id, order=scrub_value(blank_customer(order), its))
            uploads += 1
    session.flush()
    return Erased(orders=orders, uploads=uploads)


def _rows(session: Session, ids: list[int]) -> list[OrderRow]:
    return list(session.scalars(select(O).where(O.id.in_(ids))))


def scrub_quarantine(session: Session, entry_ids: Iterable[int], needles: Needles) -> int:
    """Blank the customer's fields in these quarantined payloads; the rest of each stays for the fix."""
    n = 0
    for entry_id in entry_ids:
        row = session.get(QuarantineRow, entry_id)
        if row is not None:
            body = _open(session, "quarantine", "body", entry_id, row.body) or ""
            row.body = _seal(session, "quarantine", "body", entry_id, scrub_text(body, needles)) or ""
            n += 1
    return n


def scrub_audit(session: Session, record_ids: Iterable[int], needles: Needles) -> int:
    """Take the customer's name, phone and address out of these audit rows' details; who did what stays."""
    n = 0
    for record_id in record_ids:
        row = session.get(AuditRow, record_id)
        detail = None if row is None else _open(session, "audit_log", "detail", record_id, row.detail)
        if row is not None and detail and needles.found_in(detail):
            row.detail = _seal(session, "audit_log", "detail", record_id, needles.blank(detail))
            n += 1
    return n


def drop_customer_notes(session: Session, keys: Iterable[str]) -> int:
    n = 0
    for key in keys:
        row = session.get(CustomerNoteRow, _note_key(session, key))
        if row is not None:
            session.delete(row)
            n += 1
    return n
