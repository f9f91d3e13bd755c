"""The hub's own tables (SQLAlchemy Core, portable SQL): stores, their platform keys, pushes, refusals.

The upload tables (``hq_batches``, ``hq_changes``, ``hq_orders``) are those of ``posapp.hq.models``; the hub's
migrations create both sets, so one database serves the webhooks, the relay feed and the uploads.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
    text,
)


class UTCTime(TypeDecorator[datetime]):
    """Naive UTC in the database (both dialects store it alike), aware UTC in Python."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        return None if value is None else value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


# SQLite makes only an INTEGER PRIMARY KEY an alias of its rowid (autoincrement); PostgreSQL gets BIGINT.
Id = BigInteger().with_variant(Integer(), "sqlite")

metadata = MetaData()

stores = Table(
    "hub_stores",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(64), nullable=False, unique=True),
    Column("token_digest", String(64), unique=True),  # sha256 of the store token; never the token
    Column("code_digest", String(64)),  # sha256 of the pairing code, until it is used or expires
    Column("code_expires", UTCTime()),
    Column("created_at", UTCTime(), nullable=False),
    Column("revoked_at", UTCTime()),
    # The relay link as the process holding it reports it: connected since, last heartbeat, gone since.
    Column("connected_at", UTCTime()),
    Column("seen_at", UTCTime()),
    Column("disconnected_at", UTCTime()),
    Column("upload_backlog", Integer),  # as the counter last reported it over its relay link
    Column("reported_at", UTCTime()),
    Column("time_zone", String(64)),  # IANA name for the page's "today"; None: the hub's default
)

platform_keys = Table(
    "hub_platform_keys",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("store_id", Integer, ForeignKey("hub_stores.id", ondelete="CASCADE"), nullable=False),
    Column("platform", String(32), nullable=False),
    Column("store_key", String(128), nullable=False),  # the platform's own store id (app_poi_code, shopId...)
    Column("app_id", String(128), nullable=False, default=""),
    Column("secret_sealed", Text, nullable=False),  # Fernet token under the hub key (posapp/hub/sealing.py)
    Column("options", Text, nullable=False, default="{}"),  # JSON of plain connector options
    UniqueConstraint("platform", "store_key", name="uq_hub_platform_keys_key"),
)

pushes = Table(
    "hub_pushes",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("store_id", Integer, ForeignKey("hub_stores.id", ondelete="CASCADE"), nullable=False),
    Column("platform", String(32), nullable=False),
    Column(
        "message_key", String(200), nullable=False
    ),  # the connector's id of one delivery: a resend is kept once
    Column("received_at", UTCTime(), nullable=False),
    Column("content_type", String(128), nullable=False, default=""),
    Column("headers", Text, nullable=False, default="{}"),  # JSON; never Authorization or cookies
    Column("query", Text, nullable=False, default="{}"),
    Column("body", LargeBinary, nullable=False),
    Column("acked_at", UTCTime()),  # the counter committed it
    UniqueConstraint("store_id", "platform", "message_key", name="uq_hub_pushes_message"),
    Index(
        "ix_hub_pushes_unacked",
        "store_id",
        "id",
        postgresql_where=text("acked_at IS NULL"),
        sqlite_where=text("acked_at IS NULL"),
    ),
    Index("ix_hub_pushes_received", "received_at"),
)

# Which store an order belongs to, learned from its first push: a later push about the order that names no
# store (a Meituan cancellation or rider update may carry only order_id) is routed by it.
order_routes = Table(
    "hub_order_routes",
    metadata,
    Column("platform", String(32), primary_key=True),
    Column("external_id", String(128), primary_key=True),
    Column("store_id", Integer, ForeignKey("hub_stores.id", ondelete="CASCADE"), nullable=False),
)

refusals = Table(
    "hub_refusals",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("at", UTCTime(), nullable=False),
    Column("platform", String(32), nullable=False),
    Column("store_id", Integer),  # when the store key named a known store
    Column("store_key", String(128)),
    Column("status", Integer, nullable=False),
    Column("reason", String(200), nullable=False),
    Column("remote", String(64)),
    Index("ix_hub_refusals_at", "at"),
)

quarantine = Table(
    "hub_quarantine",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("at", UTCTime(), nullable=False),
    Column("platform", String(32), nullable=False),
    Column("store_id", Integer, nullable=False),
    Column("reason", Text, nullable=False),
    Column("content_type", String(128), nullable=False, default=""),
    Column("body", LargeBinary, nullable=False),
)

# One token bucket per store for every hub process (PostgreSQL): tokens left at ``at`` (the database's clock,
# epoch seconds), and whether the last push taken from it was allowed. SQLite (one process) keeps it in memory.
rate = Table(
    "hub_rate",
    metadata,
    Column("store_id", Integer, primary_key=True),
    Column("tokens", Float, nullable=False),
    Column("at", Float, nullable=False),
    Column("ok", Boolean, nullable=False),
)

# Buckets named by text, such as pairing's per client address (``pair:203.0.113.9``) and for all (``pair:*``).
rate_keys = Table(
    "hub_rate_keys",
    metadata,
    Column("key", String(80), primary_key=True),
    Column("tokens", Float, nullable=False),
    Column("at", Float, nullable=False),
    Column("ok", Boolean, nullable=False),
)

# The people who may open the office page: a scrypt hash of the password, never the password.
admins = Table(
    "hub_admins",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(64), nullable=False, unique=True),
    Column("password", String(256), nullable=False),  # scrypt$n$r$p$salt$hash (posapp/hub/auth.py)
    Column("generation", Integer, nullable=False, default=0),  # bumped on logout: its sessions end
    Column("failures", Integer, nullable=False, default=0),  # wrong passwords in a row
    Column("locked_until", UTCTime()),
    Column("created_at", UTCTime(), nullable=False),
)
