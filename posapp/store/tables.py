"""SQLAlchemy tables. Portable SQL only: the same models must run on PostgreSQL for multi-screen stores."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    bindparam,
    event,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.engine import Connection
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from posapp.store.fast import fetch


class UTCDateTime(TypeDecorator[datetime]):
    """Stores naive UTC, returns aware UTC: SQLite has no time zones, our domain refuses naive times."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime reached the store")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)

    @staticmethod
    def sqlite_text(value: datetime) -> str:
        """The text SQLAlchemy's SQLite DATETIME stores for ``value`` (naive UTC, microseconds always), made
        without its strftime-style formatting: what store/fast.py binds on intake's hot path (tested equal in
        tests/unit/test_fast_insert.py)."""
        if value.tzinfo is None:
            raise ValueError("naive datetime reached the store")
        return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")


class Base(DeclarativeBase):
    pass


class OrderRow(Base):
    __tablename__ = "orders"
    __table_args__ = (
        UniqueConstraint("platform", "external_id", name="uq_orders_platform_external"),
        Index("ix_orders_status", "status"),
        # Period queries by placed_at; day close: which orders of a summarised day changed after it.
        Index("ix_orders_placed_at_updated_at", "placed_at", "updated_at"),
        # CRM-lite: repeat customers by the blind index of their phone (store/sealed.py), never the phone
        Index("ix_orders_customer_phone_index", "customer_phone_index"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform: Mapped[str] = mapped_column(String(32))
    external_id: Mapped[str] = mapped_column(String(128))
    display_id: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16))
    status_reason: Mapped[str | None] = mapped_column(Text)
    fulfillment: Mapped[str] = mapped_column(String(16))
    placed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    currency: Mapped[str] = mapped_column(String(3))
    # Personal fields (and ``notes``, ``raw`` below) are sealed at rest: AES-256-GCM text (store/sealed.py)
    # written and read by store/orders.py; the two indexes are keyed HMACs for equality, never the values.
    customer_name: Mapped[str | None] = mapped_column(String(128))  # SQLite keeps the longer sealed text
    customer_phone: Mapped[str | None] = mapped_column(String(64))
    customer_address: Mapped[str | None] = mapped_column(Text)
    customer_phone_index: Mapped[str | None] = mapped_column(String(32))
    customer_name_index: Mapped[str | None] = mapped_column(String(32))
    customer_order_count: Mapped[int | None] = mapped_column(Integer)
    subtotal: Mapped[int] = mapped_column(Integer)
    discount: Mapped[int] = mapped_column(Integer, default=0)
    delivery_fee: Mapped[int] = mapped_column(Integer, default=0)
    packaging_fee: Mapped[int] = mapped_column(Integer, default=0)
    service_fee: Mapped[int] = mapped_column(Integer, default=0)
    tip: Mapped[int] = mapped_column(Integer, default=0)
    tax: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int] = mapped_column(Integer)
    commission: Mapped[int | None] = mapped_column(Integer)
    payout: Mapped[int | None] = mapped_column(Integer)
    payment_method: Mapped[str | None] = mapped_column(String(32))
    paid: Mapped[bool | None] = mapped_column(Boolean)
    notes: Mapped[str | None] = mapped_column(Text)
    rider_status: Mapped[str | None] = mapped_column(String(64))
    reminders: Mapped[int] = mapped_column(Integer, default=0)
    raw: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    ready_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The screens' change feed (docs/screen-api.md): ``version`` counts this order's changes, ``seq`` is the
    # engine-wide number of its latest change, taken from ``feed_seq`` in the same transaction (see below).
    version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    seq: Mapped[int] = mapped_column(Integer, default=0, server_default="0", index=True)

    items: Mapped[list[ItemRow]] = relationship(
        back_populates="order", cascade="all, delete-orphan", order_by="ItemRow.position"
    )


class FeedSeqRow(Base):
    """One row: the last change number handed out. Incremented in the transaction that changes an order, so
    change numbers follow commit order (one writer) and a screen's cursor never skips a change."""

    __tablename__ = "feed_seq"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    value: Mapped[int] = mapped_column(Integer)


_BUMP_FEED = (
    update(FeedSeqRow)
    .where(FeedSeqRow.id == 1)
    .values(value=FeedSeqRow.value + bindparam("steps"))
    .returning(FeedSeqRow.value)
)


_BUMP_FEED_SQL = "UPDATE feed_seq SET value = value + ? WHERE id = 1 RETURNING value"


def next_feed_seq(connection: Connection, steps: int = 1) -> int:
    """Take the next change number (in the caller's transaction): what every change to an order is stamped
    with. The mapper events below use it; a Core write to ``orders`` must too, with ``version + 1``.
    ``steps`` > 1 takes that many numbers at once (for as many changes) and returns the last."""
    rows = fetch(connection, _BUMP_FEED_SQL, (steps,))  # SQLite's cursor: intake takes one per order
    if rows is None:
        seq = connection.execute(_BUMP_FEED, {"steps": steps}).scalar_one_or_none()
    else:
        seq = int(rows[0][0]) if rows else None
    if seq is None:  # a database made from these models rather than the migrations: start the counter
        seq = (connection.execute(select(func.max(OrderRow.seq))).scalar() or 0) + steps
        connection.execute(insert(FeedSeqRow).values(id=1, value=seq))
    return seq


def _stamp_change(_mapper: Any, connection: Connection, target: OrderRow) -> None:
    """Every insert or update of an order takes the next change number and one more version."""
    target.seq = next_feed_seq(connection)
    target.version = (target.version or 0) + 1


event.listen(OrderRow, "before_insert", _stamp_change)
event.listen(OrderRow, "before_update", _stamp_change)


class StationBumpRow(Base):
    """A station has finished its part of an order (the grill bumped it); the expo sees which are done."""

    __tablename__ = "station_bumps"

    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), primary_key=True)
    station: Mapped[str] = mapped_column(String(64), primary_key=True)
    bumped_at: Mapped[datetime] = mapped_column(UTCDateTime())
    by: Mapped[str] = mapped_column(String(64))


class ScreenRow(Base):
    """A paired screen (docs/screen-api.md): its name, station and the SHA-256 of its token."""

    __tablename__ = "screens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    station: Mapped[str | None] = mapped_column(String(64))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class ScreenCodeRow(Base):
    """A pairing code a manager created: its SHA-256, when it expires, when it was used (once)."""

    __tablename__ = "screen_codes"

    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class ItemRow(Base):
    __tablename__ = "order_items"
    __table_args__ = (Index("ix_order_items_order_id", "order_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    sku: Mapped[str | None] = mapped_column(String(128))
    name: Mapped[str] = mapped_column(String(256))
    category: Mapped[str | None] = mapped_column(String(64))
    quantity: Mapped[int] = mapped_column(Integer)
    unit_price: Mapped[int] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(Text)

    order: Mapped[OrderRow] = relationship(back_populates="items")
    modifiers: Mapped[list[ModifierRow]] = relationship(
        back_populates="item", cascade="all, delete-orphan", order_by="ModifierRow.position"
    )


class ModifierRow(Base):
    __tablename__ = "item_modifiers"
    __table_args__ = (Index("ix_item_modifiers_item_id", "item_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("order_items.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(256))
    quantity: Mapped[int] = mapped_column(Integer)
    unit_price: Mapped[int] = mapped_column(Integer)

    item: Mapped[ItemRow] = relationship(back_populates="modifiers")


class EventRow(Base):
    """Audit log of every status change (and other order events): who, when, from, to."""

    __tablename__ = "order_events"
    __table_args__ = (
        Index("ix_order_events_order_id", "order_id"),
        Index("ix_order_events_at", "at"),
        Index("ix_order_events_kind_at", "kind", "at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    kind: Mapped[str] = mapped_column(String(16), default="status")
    by: Mapped[str] = mapped_column(String(64))
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str | None] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(Text)


class QuarantineRow(Base):
    """A payload we could not use, kept whole with the reason; never dropped, never half-imported."""

    __tablename__ = "quarantine"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform: Mapped[str] = mapped_column(String(32))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime())
    reason: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    content_type: Mapped[str | None] = mapped_column(String(128))
    resolved: Mapped[bool] = mapped_column(Boolean, default=False)


class PendingMessageRow(Base):
    """A platform message (cancel, reminder, rider) that arrived before the order it refers to."""

    __tablename__ = "pending_messages"
    __table_args__ = (Index("ix_pending_messages_ref", "platform", "external_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform: Mapped[str] = mapped_column(String(32))
    external_id: Mapped[str] = mapped_column(String(128))
    kind: Mapped[str] = mapped_column(String(32))
    payload: Mapped[str] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime())


class SeenMessageRow(Base):
    """A platform message already applied (its id, or a digest of the signed request): a resend is a no-op."""

    __tablename__ = "seen_messages"
    __table_args__ = (Index("ix_seen_messages_received_at", "received_at"),)

    platform: Mapped[str] = mapped_column(String(32), primary_key=True)
    key: Mapped[str] = mapped_column(String(160), primary_key=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime())


class JobRow(Base):
    """One durable job (print, platform push, upload): the single outbox mechanism every worker drains.

    Jobs in one ``lane`` (a printer, a platform order, the head-office stream) run strictly in id order.
    """

    __tablename__ = "jobs"
    __table_args__ = (
        Index("ix_jobs_kind_state", "kind", "state", "lane", "id"),
        Index("ix_jobs_done_at", "done_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    lane: Mapped[str] = mapped_column(String(160))
    target: Mapped[str] = mapped_column(String(64))
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id", ondelete="SET NULL"))
    payload: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(16), default="pending")  # pending, inflight, done, parked
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class SettingRow(Base):
    """Small persistent switches (auto-accept per platform, store paused, sync on/off) as JSON values."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(128), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class MenuItemRow(Base):
    """The store's menu as the kitchen knows it: category, station routing and sold-out state."""

    __tablename__ = "menu_items"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(256), unique=True)
    sku: Mapped[str | None] = mapped_column(String(128))
    category: Mapped[str | None] = mapped_column(String(64))
    station: Mapped[str | None] = mapped_column(String(64))
    available: Mapped[bool] = mapped_column(Boolean, default=True)
    price: Mapped[int | None] = mapped_column(Integer)  # minor units of the store's currency
    source: Mapped[str | None] = mapped_column(String(16))  # where it came from: orders, csv, meituan, ...


class MenuItemPlatformRow(Base):
    """A dish's ids on one platform: what an 86 (sold out) is pushed under and what its orders carry."""

    __tablename__ = "menu_item_platforms"
    __table_args__ = (
        UniqueConstraint("menu_item_id", "platform", name="uq_menu_item_platforms_item_platform"),
        Index("ix_menu_item_platforms_platform_item", "platform", "item_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    menu_item_id: Mapped[int] = mapped_column(ForeignKey("menu_items.id", ondelete="CASCADE"))
    platform: Mapped[str] = mapped_column(String(32))
    # Meituan app_food_code, Ele.me itemId, Uber Eats item id
    item_id: Mapped[str] = mapped_column(String(128))
    sku_id: Mapped[str | None] = mapped_column(String(128))  # Meituan sku_id, Ele.me specId


class UserRow(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(16))  # kitchen, cashier, manager
    pin_hash: Mapped[str] = mapped_column(String(256))
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())


class AuditRow(Base):
    """Everything that is not a status change but must be answerable later: reprints, refunds, settings."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_at", "at"), Index("ix_audit_log_action_at", "action", "at"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    by: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64))
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id", ondelete="SET NULL"))
    detail: Mapped[str | None] = mapped_column(Text)


class PayoutImportRow(Base):
    """One platform settlement statement imported by a manager (the file's digest refuses a second import)."""

    __tablename__ = "payout_imports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform: Mapped[str] = mapped_column(String(32))
    source: Mapped[str] = mapped_column(String(255))  # the file's name
    digest: Mapped[str] = mapped_column(String(64), unique=True)  # sha256 of the file's bytes
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime())
    by: Mapped[str] = mapped_column(String(64))
    first_day: Mapped[str | None] = mapped_column(String(10))
    last_day: Mapped[str | None] = mapped_column(String(10))
    line_count: Mapped[int] = mapped_column(Integer)


class PayoutLineRow(Base):
    """One line of an imported statement, in minor units."""

    __tablename__ = "payout_lines"
    __table_args__ = (
        Index("ix_payout_lines_platform_external", "platform", "external_id"),
        Index("ix_payout_lines_day", "day"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    import_id: Mapped[int] = mapped_column(ForeignKey("payout_imports.id", ondelete="CASCADE"))
    line_no: Mapped[int] = mapped_column(Integer)
    platform: Mapped[str] = mapped_column(String(32))
    external_id: Mapped[str] = mapped_column(String(128))
    kind: Mapped[str] = mapped_column(String(16))  # order, refund, adjustment
    currency: Mapped[str] = mapped_column(String(3))
    gross: Mapped[int] = mapped_column(Integer)
    fees: Mapped[int] = mapped_column(Integer)
    net: Mapped[int] = mapped_column(Integer)
    day: Mapped[str | None] = mapped_column(String(10))
    note: Mapped[str] = mapped_column(String(64), default="")


class PlatformRefundRow(Base):
    """Money a platform refunded to the customer on one of our orders (its refund message), partial or full."""

    __tablename__ = "platform_refunds"
    __table_args__ = (
        Index("ix_platform_refunds_order_id", "order_id"),
        Index("ix_platform_refunds_at", "at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    amount: Mapped[int] = mapped_column(Integer)  # minor units, > 0
    currency: Mapped[str] = mapped_column(String(3))
    full: Mapped[bool] = mapped_column(Boolean)
    reason: Mapped[str | None] = mapped_column(Text)


class ReportDayRow(Base):
    """The aggregates of one closed business day, cached so a year-range report need not rescan a year.

    ``config`` names what the figures depend on (time zone, cut-off, late threshold); a day is recomputed
    when an order placed in it changes after ``computed_at``.
    """

    __tablename__ = "report_days"

    config: Mapped[str] = mapped_column(String(96), primary_key=True)
    day: Mapped[str] = mapped_column(String(10), primary_key=True)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    data: Mapped[str] = mapped_column(Text)


class CustomerNoteRow(Base):
    """Staff's note on a repeat customer. ``key`` is the blind index of the customer's key (the masked phone
    and name the platforms gave), ``label`` that key sealed; ``note`` is sealed too (store/sealed.py)."""

    __tablename__ = "customer_notes"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    note: Mapped[str] = mapped_column(Text)
    label: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_by: Mapped[str] = mapped_column(String(64))


class CashEntryRow(Base):
    """Cash into or out of the drawer without an order: the opening float, paid in, paid out."""

    __tablename__ = "cash_entries"
    __table_args__ = (Index("ix_cash_entries_at", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    kind: Mapped[str] = mapped_column(String(16))  # float, paid_in, paid_out
    amount: Mapped[int] = mapped_column(Integer)  # minor units, always > 0; the kind gives the sign
    currency: Mapped[str] = mapped_column(String(3))
    reason: Mapped[str] = mapped_column(Text)
    by: Mapped[str] = mapped_column(String(64))


class CashCountRow(Base):
    """The drawer counted by denomination at day close; the latest count of a business day is the one."""

    __tablename__ = "cash_counts"
    __table_args__ = (Index("ix_cash_counts_day", "day"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    day: Mapped[str] = mapped_column(String(10))  # the business day, YYYY-MM-DD
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    by: Mapped[str] = mapped_column(String(64))
    currency: Mapped[str] = mapped_column(String(3))
    pieces: Mapped[str] = mapped_column(Text)  # JSON [[denomination, count], ...]
    counted: Mapped[int] = mapped_column(Integer)
    expected: Mapped[int] = mapped_column(Integer)  # as computed when counted (the report recomputes it)


class PaymentRow(Base):
    """One payment we asked a gateway to take (issue 17), written and committed before the gateway is called.

    ``request_id`` is ours and the gateway's idempotency key (out_trade_no): a crash between "sent" and
    "answered" is resolved by querying it, never by charging again. No payment code and no card data here."""

    __tablename__ = "payments"
    __table_args__ = (
        Index("ix_payments_order_id", "order_id"),
        Index("ix_payments_state", "state"),
        Index("ix_payments_created_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[str] = mapped_column(String(64), unique=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"))
    order_key: Mapped[str] = mapped_column(String(180))  # "<platform>:<external_id>"
    gateway: Mapped[str] = mapped_column(String(16))  # alipay, wechat, stripe
    method: Mapped[str] = mapped_column(String(16))  # scan_code, show_qr, card_reader
    amount: Mapped[int] = mapped_column(Integer)  # minor units
    currency: Mapped[str] = mapped_column(String(3))
    state: Mapped[str] = mapped_column(String(16))  # sending, pending, paid, failed, cancelled, unknown
    transaction_id: Mapped[str | None] = mapped_column(String(128))  # the gateway's trade_no / pi_...
    message: Mapped[str] = mapped_column(Text, default="")
    raw_code: Mapped[str] = mapped_column(String(64), default="")
    qr_url: Mapped[str | None] = mapped_column(Text)  # SHOW_QR: ours to show, not the customer's code
    reader_id: Mapped[str | None] = mapped_column(String(64))
    fee: Mapped[int | None] = mapped_column(Integer)  # what the gateway charged, where it says
    refunded: Mapped[int] = mapped_column(Integer, default=0)  # refunds the gateway confirmed
    attempts: Mapped[int] = mapped_column(Integer, default=0)  # gateway calls made: pay, query, cancel
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    paid_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class PaymentRefundRow(Base):
    """One refund through the gateway that took the payment; committed before the gateway is asked."""

    __tablename__ = "payment_refunds"
    __table_args__ = (Index("ix_payment_refunds_payment_id", "payment_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    refund_id: Mapped[str] = mapped_column(String(64), unique=True)  # ours: the refund's idempotency key
    payment_id: Mapped[int] = mapped_column(ForeignKey("payments.id", ondelete="CASCADE"))
    amount: Mapped[int] = mapped_column(Integer)
    currency: Mapped[str] = mapped_column(String(3))
    state: Mapped[str] = mapped_column(String(16))  # sending, pending, paid (= refunded), failed, unknown
    transaction_id: Mapped[str | None] = mapped_column(String(128))  # the gateway's refund id
    message: Mapped[str] = mapped_column(Text, default="")
    by: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class OfferRow(Base):
    """A bounce-back offer a manager set up (domain/offers.py): printed on own-channel receipts of the chosen
    segments with a one-time code."""

    __tablename__ = "offers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(8))  # percent | fixed
    value: Mapped[int] = mapped_column(Integer)  # whole percent, or minor units
    currency: Mapped[str] = mapped_column(String(3))
    min_spend: Mapped[int] = mapped_column(Integer, default=0)
    valid_days: Mapped[int] = mapped_column(Integer)
    segments: Mapped[str] = mapped_column(String(64))  # space-separated segment names
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_by: Mapped[str] = mapped_column(String(64))


class OfferCodeRow(Base):
    """A one-time code a receipt carried, with the order that issued it (one per order: a reprint shows the
    same code). Kept plain: a code names no person."""

    __tablename__ = "offer_codes"
    __table_args__ = (Index("ix_offer_codes_issued_at", "issued_at"),)

    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    offer_id: Mapped[int] = mapped_column(ForeignKey("offers.id"))
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), unique=True)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())


class OfferRedemptionRow(Base):
    """A code used on an order. ``code`` is unique: a second use fails in the database itself, whichever
    counter or web order tries it, at whatever moment."""

    __tablename__ = "offer_redemptions"
    __table_args__ = (Index("ix_offer_redemptions_at", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(ForeignKey("offer_codes.code"), unique=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), unique=True)
    offer_id: Mapped[int] = mapped_column(ForeignKey("offers.id"))
    discount: Mapped[int] = mapped_column(Integer)  # minor units
    currency: Mapped[str] = mapped_column(String(3))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    by: Mapped[str] = mapped_column(String(64))
