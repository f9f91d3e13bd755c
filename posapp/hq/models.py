"""The receiver's own tables (not the counter's): every change once, and each order's latest state.

Portable SQL only, so a chain can point the receiver at PostgreSQL instead of SQLite.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, Engine, Index, Integer, String, Text, TypeDecorator, UniqueConstraint, event
from sqlalchemy import create_engine as _create_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class _UTC(TypeDecorator[datetime]):
    """Naive UTC in the database, aware UTC in Python."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        return None if value is None else value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


class HqBase(DeclarativeBase):
    pass


class HqBatch(HqBase):
    """One POST as it arrived: how many rows, how many accepted (new or already known) and rejected."""

    __tablename__ = "hq_batches"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    store_id: Mapped[str] = mapped_column(String(64))
    received_at: Mapped[datetime] = mapped_column(_UTC())
    rows: Mapped[int] = mapped_column(Integer)
    new_rows: Mapped[int] = mapped_column(Integer)
    rejected: Mapped[int] = mapped_column(Integer)


class HqChange(HqBase):
    """One change of one order, stored once per (store, idempotency key) however often it is sent."""

    __tablename__ = "hq_changes"
    __table_args__ = (
        UniqueConstraint("store_id", "key", name="uq_hq_changes_store_key"),
        Index("ix_hq_changes_order", "store_id", "platform", "external_id", "sequence"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    store_id: Mapped[str] = mapped_column(String(64))
    key: Mapped[str] = mapped_column(String(128))
    sequence: Mapped[int] = mapped_column(Integer)
    local_order_id: Mapped[int | None] = mapped_column(Integer)
    platform: Mapped[str] = mapped_column(String(32))
    external_id: Mapped[str] = mapped_column(String(128))
    event: Mapped[str] = mapped_column(String(32))
    action: Mapped[str | None] = mapped_column(String(16))
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str | None] = mapped_column(String(16))
    by: Mapped[str | None] = mapped_column(String(64))
    at: Mapped[str] = mapped_column(String(40))  # ISO 8601 with offset, as the counter sent it
    reason: Mapped[str | None] = mapped_column(Text)
    order_json: Mapped[str] = mapped_column(Text)
    batch_id: Mapped[int] = mapped_column(Integer)
    received_at: Mapped[datetime] = mapped_column(_UTC())
    receipts: Mapped[int] = mapped_column(Integer, default=1)  # > 1: the counter resent it (lost answer)


class HqOrder(HqBase):
    """The newest known state of each order (the change with the highest sequence wins)."""

    __tablename__ = "hq_orders"
    __table_args__ = (UniqueConstraint("store_id", "platform", "external_id", name="uq_hq_orders_ref"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    store_id: Mapped[str] = mapped_column(String(64))
    platform: Mapped[str] = mapped_column(String(32))
    external_id: Mapped[str] = mapped_column(String(128))
    status: Mapped[str] = mapped_column(String(16))
    last_sequence: Mapped[int] = mapped_column(Integer)
    order_json: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(_UTC())


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute("PRAGMA busy_timeout=5000")
    cur.close()


def create_engine(url: str) -> Engine:
    """An engine for ``url`` with the receiver's tables created (SQLite in WAL mode)."""
    engine = _create_engine(url)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    HqBase.metadata.create_all(engine)
    return engine
