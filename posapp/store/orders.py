"""Order repository: canonical orders in and out of SQL. ORM rows never leave this module."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import fields
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Table, bindparam, delete, func, select
from sqlalchemy.orm import Session, selectinload

from posapp.domain.events import StatusEvent
from posapp.domain.lifecycle import OPEN_STATUSES, Action, next_status
from posapp.domain.order import (
    Customer,
    Order,
    OrderStatus,
    Payment,
    totals_fields,
)
from posapp.errors import Conflict, NotFoundError
from posapp.store.fast import FastInsert, fetch, json_text
from posapp.store.peek import to_order
from posapp.store.sealing import NAME, PHONE, SEALED_COLUMNS, next_ids, seal, sealer_of, shown, unseal
from posapp.store.tables import (
    EventRow,
    ItemRow,
    ModifierRow,
    OrderRow,
    PendingMessageRow,
    QuarantineRow,
    SeenMessageRow,
    next_feed_seq,
)


def _raw_text(raw: Any) -> str | None:
    if raw is None:
        return None
    if isinstance(raw, bytes):
        return raw.decode("utf-8", errors="replace")
    if isinstance(raw, str):
        return _storable(raw)
    # A lone surrogate, which UTF-8 cannot store, is kept as JSON's own \\udXXX escape (json_text).
    return json_text(raw, default=str)


def _encodes(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _storable(text: str) -> str:
    """``text`` as SQLite can store it (UTF-8): a lone surrogate becomes a backslash escape, not a failed insert."""
    return text if _encodes(text) else text.encode("utf-8", "backslashreplace").decode("utf-8")


_ORDERS: Table = OrderRow.__table__  # type: ignore[assignment]
_ITEMS: Table = ItemRow.__table__  # type: ignore[assignment]
_MODIFIERS: Table = ModifierRow.__table__  # type: ignore[assignment]
_EVENTS: Table = EventRow.__table__  # type: ignore[assignment]
_PENDING: Table = PendingMessageRow.__table__  # type: ignore[assignment]
_FIND = select(_ORDERS.c.id).where(
    _ORDERS.c.platform == bindparam("platform"), _ORDERS.c.external_id == bindparam("external_id")
)
_FIND_SQL = "SELECT id FROM orders WHERE platform = ? AND external_id = ?"
_FAST_ORDER = FastInsert(_ORDERS)
_FAST_ITEMS = FastInsert(_ITEMS)
_FAST_MODIFIERS = FastInsert(_MODIFIERS)
_FAST_EVENTS = FastInsert(_EVENTS)


def insert_order(session: Session, order: Order, *, now: datetime, by: str) -> tuple[int, bool]:
    """Store ``order`` unless ``(platform, external_id)`` is already there; returns (id, created)."""
    existing = find_order_id(session, order.platform, order.external_id)
    if existing is not None:
        return existing, False
    stored = add_order(session, order, now=now, by=by)
    assert stored[0].id is not None
    return stored[0].id, True


def add_order(
    session: Session, order: Order, *, now: datetime, by: str, then: tuple[Action, str] | None = None
) -> list[Order]:
    """Store a new ``order`` (the caller found no order with its ``(platform, external_id)``) with its first
    status event, and, with ``then=(action, by)``, that action straight away (auto-accept).

    Returns the order as :func:`get_order` would read it after each change: as created, then moved. The
    rows are those an insert and then :func:`apply_action` write (both events, version and change number
    for each change: tables.next_feed_seq), written with Core: the order in one statement (already moved),
    its items and their modifiers in one each, the events in one.
    """
    conn = session.connection()
    changes = 1 if then is None else 2
    seq = next_feed_seq(conn, changes)
    t = order.totals
    c = order.customer or Customer()
    p = order.payment
    values = {
        "platform": order.platform,
        "external_id": order.external_id,
        "display_id": order.display_id,
        "status": order.status.value,
        "status_reason": order.status_reason,
        "fulfillment": order.fulfillment.value,
        "placed_at": order.placed_at,
        "due_at": order.due_at,
        "currency": order.currency,
        "customer_name": c.name,
        "customer_phone": c.phone_masked,
        "customer_address": c.address,
        "customer_order_count": c.order_count,
        **totals_fields(t),  # the columns are named as the Totals fields
        "payment_method": p.method if p else None,
        "paid": p.paid if p else None,
        "notes": order.notes,
        "rider_status": order.rider_status,
        "reminders": order.reminders,
        "raw": _raw_text(order.raw),
        "customer_phone_index": None,
        "customer_name_index": None,
        "created_at": now,
        "updated_at": now,
        "accepted_at": None,
        "ready_at": None,
        "closed_at": None,
        "version": changes,
        "seq": seq,
    }

    def event(who: str, before: OrderStatus | None, to: OrderStatus) -> dict[str, Any]:
        return {
            "at": now,
            "kind": "status",
            "by": who,
            "from_status": None if before is None else before.value,
            "to_status": to.value,
            "reason": None,
        }

    events = [event(by, None, order.status)]
    after = order.status
    if then is not None:
        action, then_by = then
        after = next_status(order.status, action)
        values.update(_moved(after, action, now=now, reason=None))
        events.append(event(then_by, order.status, after))
    _seal_order(session, values)
    (order_id,) = _FAST_ORDER.run(conn, [values], ids=True)
    items = [
        {
            "order_id": order_id,
            "position": pos,
            "sku": item.sku,
            "name": item.name,
            "category": item.category,
            "quantity": item.quantity,
            "unit_price": item.unit_price,
            "note": item.note,
        }
        for pos, item in enumerate(order.items)
    ]
    item_ids = _FAST_ITEMS.run(conn, items, ids=True)
    modifiers = [
        {
            "item_id": item_id,
            "position": i,
            "name": m.name,
            "quantity": m.quantity,
            "unit_price": m.unit_price,
        }
        for item_id, item in zip(item_ids, order.items, strict=True)
        for i, m in enumerate(item.modifiers)
    ]
    _FAST_MODIFIERS.run(conn, modifiers)
    _FAST_EVENTS.run(conn, [{"order_id": order_id, **e} for e in events])
    created = _as_stored(order, order_id, version=1, seq=seq - changes + 1)
    if then is None:
        return [created]
    return [created, _copy(created, status=after, version=2, seq=seq)]


ORDER_SEALED = SEALED_COLUMNS["orders"]


def _seal_order(session: Session, values: dict[str, Any]) -> None:
    """In an encrypted database: the order's id taken now (each sealed value is bound to its row), its
    personal fields sealed, the blind indexes of phone and name set."""
    sealer = sealer_of(session)
    if sealer is None:
        return
    (values["id"],) = next_ids(session, "orders", 1)
    values["customer_phone_index"] = sealer.index(values["customer_phone"], kind=PHONE)
    values["customer_name_index"] = sealer.index(values["customer_name"], kind=NAME)
    for column in ORDER_SEALED:
        values[column] = sealer.seal(values[column], "orders", column, values["id"])


_ORDER_FIELDS = tuple(f.name for f in fields(Order))


def _copy(order: Order, **changes: Any) -> Order:
    """``order`` with ``changes``, as ``dataclasses.replace`` makes it but without running the checks of
    ``Order.__post_init__`` again: only for what the store derives from an order that passed them (its id,
    its times in UTC, its version), twice per order on intake, where replace cost a third as much again."""
    copy = object.__new__(Order)
    for name in _ORDER_FIELDS:
        object.__setattr__(copy, name, changes[name] if name in changes else getattr(order, name))
    return copy


def _as_stored(order: Order, order_id: int, *, version: int, seq: int) -> Order:
    """``order`` as :func:`_to_domain` reads it back once stored: UTC times, an empty customer as None."""
    c = order.customer
    p = order.payment
    return _copy(
        order,
        id=order_id,
        placed_at=order.placed_at.astimezone(UTC),
        due_at=None if order.due_at is None else order.due_at.astimezone(UTC),
        customer=c if c is not None and any((c.name, c.phone_masked, c.address, c.order_count)) else None,
        payment=p if p is None or isinstance(p.paid, bool) else Payment(p.method, bool(p.paid)),
        raw=None,
        version=version,
        seq=seq,
    )


def find_order_id(session: Session, platform: str, external_id: str) -> int | None:
    session.flush()  # a Core statement does not autoflush: see orders this session added
    conn = session.connection()
    rows = fetch(conn, _FIND_SQL, (platform, external_id))
    if rows is None:
        return conn.execute(_FIND, {"platform": platform, "external_id": external_id}).scalar()
    return int(rows[0][0]) if rows else None


def _to_domain(session: Session, row: OrderRow) -> Order:
    if sealer_of(session) is None:
        return to_order(row)
    return to_order(row, lambda column, value: shown(session, value, "orders", column, row.id))


def _load(session: Session, order_id: int) -> OrderRow:
    # Not session.get(..., options=[selectinload(...)]): with the order already in the session (a held
    # message applied at intake) it lost a version bump (tests/unit/test_intake_store.py).
    row = session.get(OrderRow, order_id)
    if row is None:
        raise NotFoundError(f"order {order_id} does not exist")
    return row


def get_order(session: Session, order_id: int) -> Order:
    return _to_domain(session, _load(session, order_id))


def get_orders(session: Session, order_ids: Iterable[int]) -> list[Order]:
    ids = list(order_ids)
    if not ids:
        return []
    rows = session.scalars(
        select(OrderRow)
        .where(OrderRow.id.in_(ids))
        .options(selectinload(OrderRow.items).selectinload(ItemRow.modifiers))
    ).all()
    return [_to_domain(session, r) for r in rows]


def check_version(session: Session, order_id: int, expected: int | None) -> None:
    """``Conflict`` when the order is no longer at version ``expected`` (None: no check)."""
    if expected is None:
        return
    row = _load(session, order_id)
    if row.version != expected:
        raise Conflict(f"Order #{row.display_id} was changed on another screen.")


def latest_seq(session: Session) -> int:
    """The change number of the latest order change (0 before the first order)."""
    return session.scalar(select(func.max(OrderRow.seq))) or 0


def changed_since(session: Session, cursor: int, *, limit: int = 200) -> list[Order]:
    """Orders whose latest change is after ``cursor``, oldest change first (the screens' change feed)."""
    rows = session.scalars(
        select(OrderRow)
        .where(OrderRow.seq > cursor)
        .order_by(OrderRow.seq)
        .limit(limit)
        .options(selectinload(OrderRow.items).selectinload(ItemRow.modifiers))
    )
    return [_to_domain(session, row) for row in rows]


def open_orders(session: Session) -> list[Order]:
    """Every order the kitchen still has to act on, oldest first."""
    rows = session.scalars(
        select(OrderRow)
        .where(OrderRow.status.in_([s.value for s in OPEN_STATUSES]))
        .options(selectinload(OrderRow.items).selectinload(ItemRow.modifiers))
        .order_by(OrderRow.placed_at, OrderRow.id)
    ).all()
    return [_to_domain(session, r) for r in rows]


def apply_action(
    session: Session, order_id: int, action: Action, *, now: datetime, by: str, reason: str | None = None
) -> tuple[OrderStatus, OrderStatus]:
    """Move the order through the lifecycle and append the event row; returns (from, to)."""
    row = _load(session, order_id)
    before = OrderStatus(row.status)
    after = next_status(before, action)
    for column, value in _moved(after, action, now=now, reason=reason).items():
        if column != "ready_at" or row.ready_at is None:
            setattr(row, column, value)
    _status_event(session, order_id, before, after, now=now, by=by, reason=reason)
    return before, after


def _moved(after: OrderStatus, action: Action, *, now: datetime, reason: str | None) -> dict[str, Any]:
    """The columns a move to ``after`` sets (``ready_at`` only where it is not set yet: keep the first)."""
    values: dict[str, Any] = {"status": after.value, "updated_at": now}
    if reason is not None:
        values["status_reason"] = reason
    if after is OrderStatus.ACCEPTED:
        values["accepted_at"] = now
    elif after is OrderStatus.READY:
        values["ready_at"] = now
    if after in (OrderStatus.COMPLETED, OrderStatus.REJECTED, OrderStatus.CANCELLED):
        values["closed_at"] = now
    elif action is Action.RECALL:
        values["closed_at"] = None
    return values


def _status_event(
    session: Session,
    order_id: int,
    before: OrderStatus,
    after: OrderStatus,
    *,
    now: datetime,
    by: str,
    reason: str | None,
) -> None:
    """The audit row every status change appends: who, when, from, to, why."""
    session.add(
        EventRow(
            order_id=order_id,
            at=now,
            kind="status",
            by=by,
            from_status=before.value,
            to_status=after.value,
            reason=reason,
        )
    )


def add_event(
    session: Session, order_id: int, kind: str, *, now: datetime, by: str, reason: str | None = None
) -> None:
    """Record a non-status event (rush reminder, rider update, reprint) on the order's history."""
    _load(session, order_id)
    session.add(EventRow(order_id=order_id, at=now, kind=kind, by=by, reason=reason))


def events_for(session: Session, order_id: int) -> list[StatusEvent]:
    rows = session.scalars(
        select(EventRow).where(EventRow.order_id == order_id).order_by(EventRow.at, EventRow.id)
    ).all()
    return [StatusEvent(r.order_id, r.at, r.by, r.from_status, r.to_status, r.kind, r.reason) for r in rows]


def update_order_fields(session: Session, order_id: int, *, now: datetime, **fields: Any) -> None:
    """Set simple columns the platform updates later (rider_status, reminders)."""
    row = _load(session, order_id)
    for key, value in fields.items():
        if key not in {"rider_status", "reminders", "status_reason", "due_at"}:
            raise ValueError(f"{key} cannot be updated this way")
        setattr(row, key, value)
    row.updated_at = now


def quarantine(
    session: Session,
    platform: str,
    body: bytes | str,
    reason: str,
    *,
    now: datetime,
    content_type: str | None = None,
) -> int:
    """Keep a payload we could not use, whole, with the reason."""
    text = body.decode("utf-8", errors="replace") if isinstance(body, bytes) else _storable(body)
    if sealer_of(session) is not None:  # the body repeats the customer: sealed, bound to its row's id
        (qid,) = next_ids(session, "quarantine", 1)
        text = seal(session, text, "quarantine", "body", qid) or ""
    else:
        qid = None
    row = QuarantineRow(
        id=qid,
        platform=platform,
        received_at=now,
        reason=_storable(reason[:2000]),
        body=text,
        content_type=None if content_type is None else _storable(content_type[:200]),
    )
    session.add(row)
    session.flush()
    return row.id


def quarantine_body(session: Session, quarantine_id: int) -> str:
    """A quarantined payload as it arrived (opened in an encrypted database)."""
    row = session.get(QuarantineRow, quarantine_id)
    if row is None:
        raise NotFoundError(f"quarantined payload {quarantine_id} does not exist")
    return unseal(session, row.body, "quarantine", "body", row.id) or ""


def quarantine_count(session: Session) -> int:
    return session.scalar(select(func.count(QuarantineRow.id)).where(QuarantineRow.resolved.is_(False))) or 0


def order_count(session: Session) -> int:
    return session.scalar(select(func.count(OrderRow.id))) or 0


SEEN_KEPT = timedelta(days=7)  # far past every platform's resend window (Meituan 1 h, Ele.me 2 h, own 5 min)


def first_sighting(session: Session, platform: str, key: str, *, now: datetime) -> bool:
    """Record message ``key`` of ``platform``; False when it was recorded before (a resend to ignore)."""
    digest = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()
    if session.get(SeenMessageRow, (platform, digest)) is not None:
        return False
    session.execute(delete(SeenMessageRow).where(SeenMessageRow.received_at < now - SEEN_KEPT))
    session.add(SeenMessageRow(platform=platform, key=digest, received_at=now))
    session.flush()
    return True


def keep_pending_message(
    session: Session, platform: str, external_id: str, kind: str, detail: str | None, *, now: datetime
) -> None:
    """Hold a message whose order has not arrived yet; applied when the order comes."""
    session.add(
        PendingMessageRow(
            platform=platform,
            external_id=external_id,
            kind=kind,
            payload=json.dumps({"detail": detail}),
            received_at=now,
        )
    )


def take_pending_messages(session: Session, platform: str, external_id: str) -> list[tuple[str, str | None]]:
    """Remove and return (kind, detail) of the messages held for this order, oldest first."""
    session.flush()  # Core statements do not autoflush: see messages this session kept
    conn = session.connection()
    # Every intake asks, and almost always finds nothing: the cheap look first.
    if fetch(conn, _TAKE_PENDING_SQL, (platform, external_id)) == []:
        return []
    rows = conn.execute(_TAKE_PENDING, {"platform": platform, "external_id": external_id}).all()
    if rows:
        conn.execute(delete(_PENDING).where(_PENDING.c.id.in_([r.id for r in rows])))
    return [(r.kind, json.loads(r.payload).get("detail")) for r in rows]


_TAKE_PENDING_SQL = f"SELECT id FROM {_PENDING.name} WHERE platform = ? AND external_id = ?"
_TAKE_PENDING = (
    select(_PENDING.c.id, _PENDING.c.kind, _PENDING.c.payload)
    .where(_PENDING.c.platform == bindparam("platform"), _PENDING.c.external_id == bindparam("external_id"))
    .order_by(_PENDING.c.id)
)


def last_status_event(session: Session, order_id: int) -> StatusEvent | None:
    row = session.scalars(
        select(EventRow)
        .where(EventRow.order_id == order_id, EventRow.kind == "status")
        .order_by(EventRow.id.desc())
        .limit(1)
    ).first()
    if row is None:
        return None
    return StatusEvent(row.order_id, row.at, row.by, row.from_status, row.to_status, row.kind, row.reason)


def revert_status(
    session: Session, order_id: int, to: OrderStatus, *, now: datetime, by: str, reason: str
) -> OrderStatus:
    """Undo a bump: set the status back and log it as an event of its own; returns the status left."""
    row = _load(session, order_id)
    before = OrderStatus(row.status)
    row.status = to.value
    row.updated_at = now
    if before is OrderStatus.READY:
        row.ready_at = None
    if before is OrderStatus.COMPLETED:
        row.closed_at = None
    _status_event(session, order_id, before, to, now=now, by=by, reason=reason)
    return before


def recently_closed(session: Session, *, since: datetime, limit: int = 30) -> list[Order]:
    """Completed orders closed since ``since``, newest first: what Recall offers."""
    rows = session.scalars(
        select(OrderRow)
        .where(OrderRow.status == OrderStatus.COMPLETED.value, OrderRow.closed_at >= since)
        .options(selectinload(OrderRow.items).selectinload(ItemRow.modifiers))
        .order_by(OrderRow.closed_at.desc())
        .limit(limit)
    ).all()
    return [_to_domain(session, r) for r in rows]


def count_orders_since(session: Session, platform: str, since: datetime) -> int:
    """How many orders of ``platform`` were placed at or after ``since`` (manual display numbers)."""
    return (
        session.scalar(
            select(func.count(OrderRow.id)).where(OrderRow.platform == platform, OrderRow.placed_at >= since)
        )
        or 0
    )
