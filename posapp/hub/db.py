"""The hub's database: an engine for SQLite or PostgreSQL, its migrations, and the wake-up of other processes."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect, text

log = logging.getLogger(__name__)
MIGRATIONS = Path(__file__).with_name("migrations")
HEAD = "hub_3"
NOTIFY_CHANNEL = "hub_push"  # PostgreSQL: NOTIFY hub_push, '<store id>' in the transaction that stores a push
_MIGRATION_LOCK = 0x706F7361  # pg_advisory_lock key: processes starting together migrate one at a time


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=FULL")  # a push answered 200 survives a power cut
    cur.execute("PRAGMA busy_timeout=5000")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


def make_engine(url: str, *, pool_size: int = 8) -> Engine:
    """An engine for ``url`` (``sqlite:///…`` or ``postgresql+psycopg://…``) with the schema migrated."""
    if url.startswith("sqlite"):
        engine = create_engine(url)
        event.listen(engine, "connect", _sqlite_pragmas)
    else:
        engine = create_engine(url, pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=True)
    migrate(engine)
    return engine


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest hub migration; a second run (or a second process) changes nothing."""
    with engine.connect() as conn:
        known = inspect(conn).has_table("hub_alembic_version")
        if known and list(conn.execute(text("SELECT version_num FROM hub_alembic_version")).scalars()) == [
            HEAD
        ]:
            return
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _MIGRATION_LOCK})
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    log.info("hub database at revision %s", HEAD)
