"""The SQLite store: migrations, pragmas, round trips, idempotent intake, events, quarantine."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import inspect, text

from posapp.domain.lifecycle import Action
from posapp.domain.order import OrderStatus
from posapp.store import jobs as jobstore
from posapp.store import orders as repo
from posapp.store.db import DB_FILENAME, Database, open_database
from tests.factories import make_order

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


def test_empty_directory_becomes_a_migrated_database(data_dir: Path) -> None:
    db = open_database(data_dir)
    try:
        tables = set(inspect(db.engine).get_table_names())
        assert {"orders", "order_items", "item_modifiers", "order_events", "jobs", "quarantine"} <= tables
        with db.engine.connect() as conn:
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert conn.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 5000
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == _head()
    finally:
        db.close()


def _head() -> str:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from posapp.store.db import MIGRATIONS

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    head = ScriptDirectory.from_config(cfg).get_current_head()
    assert head is not None
    return head


def test_second_start_changes_nothing(data_dir: Path) -> None:
    open_database(data_dir).close()
    before = (
        sqlite3.connect(data_dir / DB_FILENAME)
        .execute("SELECT sql FROM sqlite_master ORDER BY name")
        .fetchall()
    )
    open_database(data_dir).close()
    after = (
        sqlite3.connect(data_dir / DB_FILENAME)
        .execute("SELECT sql FROM sqlite_master ORDER BY name")
        .fetchall()
    )
    assert before == after


def test_order_round_trips_with_items_and_modifiers(db: Database) -> None:
    order = make_order(notes="花生过敏")
    order_id, created = db.call(lambda s: repo.insert_order(s, order, now=NOW, by="demo"))
    assert created
    loaded = db.call(lambda s: repo.get_order(s, order_id))
    assert loaded.id == order_id
    assert loaded.items == order.items
    assert loaded.totals == order.totals
    assert loaded.customer == order.customer
    assert loaded.placed_at == order.placed_at
    assert loaded.notes == "花生过敏"


def test_same_order_twice_is_one_row(db: Database) -> None:
    order = make_order(external_id="DUP-1")
    first = db.call(lambda s: repo.insert_order(s, order, now=NOW, by="demo"))
    second = db.call(lambda s: repo.insert_order(s, order, now=NOW, by="demo"))
    assert first == (first[0], True)
    assert second == (first[0], False)
    assert db.call(repo.order_count) == 1


def test_same_external_id_on_two_platforms_is_two_orders(db: Database) -> None:
    db.call(lambda s: repo.insert_order(s, make_order(platform="meituan", external_id="X"), now=NOW, by="t"))
    db.call(lambda s: repo.insert_order(s, make_order(platform="eleme", external_id="X"), now=NOW, by="t"))
    assert db.call(repo.order_count) == 2


def test_transition_appends_an_event_row(db: Database) -> None:
    order_id, _ = db.call(lambda s: repo.insert_order(s, make_order(), now=NOW, by="demo"))
    db.call(lambda s: repo.apply_action(s, order_id, Action.ACCEPT, now=NOW, by="kitchen"))
    events = db.call(lambda s: repo.events_for(s, order_id))
    assert [(e.from_status, e.to_status, e.by) for e in events] == [
        (None, "new", "demo"),
        ("new", "accepted", "kitchen"),
    ]
    assert db.call(lambda s: repo.get_order(s, order_id)).status is OrderStatus.ACCEPTED


def test_quarantine_keeps_the_whole_body(db: Database) -> None:
    body = b'{"order_id": 1, "broken": '
    db.call(lambda s: repo.quarantine(s, "meituan", body, "not JSON", now=NOW))
    assert db.call(repo.quarantine_count) == 1
    with db.engine.connect() as conn:
        stored = conn.execute(text("SELECT id, body FROM quarantine")).one()
    assert body.decode() not in stored.body  # sealed at rest (store/sealed.py)
    assert db.call(lambda s: repo.quarantine_body(s, stored.id)) == body.decode()


def test_jobs_run_in_lane_order(db: Database) -> None:
    def enqueue(s):  # type: ignore[no-untyped-def]
        a = jobstore.enqueue(s, "print", "kitchen", {"n": 1}, now=NOW)
        b = jobstore.enqueue(s, "print", "kitchen", {"n": 2}, now=NOW)
        c = jobstore.enqueue(s, "print", "bar", {"n": 3}, now=NOW)
        return a, b, c

    a, b, c = db.call(enqueue)
    heads = db.call(lambda s: jobstore.due_heads(s, "print", now=NOW))
    assert [j.id for j in heads] == [a, c]  # b waits behind a in the kitchen lane
    db.call(lambda s: jobstore.mark_done(s, [a], now=NOW))
    heads = db.call(lambda s: jobstore.due_heads(s, "print", now=NOW))
    assert [j.id for j in heads] == [b, c]


def test_migrations_build_exactly_the_tables_of_tables_py(db: Database) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from posapp.store.tables import Base

    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []
