"""Intake's fast store path: Core inserts read back equal, the accept without a re-read, the menu-name cache,
pending messages and the jobs written in one statement."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, select

from posapp.connectors.own import OwnConnector
from posapp.connectors.simulator.generator import OrderGenerator
from posapp.domain.events import PlatformEvent, PlatformEventKind
from posapp.domain.lifecycle import Action
from posapp.domain.order import Customer, Order, OrderStatus, Payment, order_from_canonical
from posapp.services.hub import ChangeKind, Hub, OrderChange
from posapp.services.intake import IntakeService
from posapp.services.planner import JobPlanner
from posapp.store import jobs as jobstore
from posapp.store import orders as repo
from posapp.store import settings as settings_repo
from posapp.store.db import Database
from posapp.store.tables import JobRow, MenuItemRow, OrderRow
from tests.factories import make_order

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "own" / "order_pickup.json"


def _same(built: Order, read: Order) -> None:
    """Equal as dataclasses and in what compare=False hides: version, seq, times as written out."""
    assert built == read
    assert (built.version, built.seq) == (read.version, read.seq)
    assert built.to_canonical() == read.to_canonical()
    assert built.customer == read.customer and built.payment == read.payment


def _orders() -> list[Order]:
    gen = OrderGenerator(seed=11)
    orders = [order_from_canonical(gen.make()) for _ in range(25)]
    (own,) = OwnConnector(secret="s").parse(FIXTURE.read_bytes())
    assert isinstance(own, Order)
    tz8 = timezone(timedelta(hours=8))
    orders += [
        own,
        make_order(customer=Customer(), payment=None, due_at=NOW + timedelta(minutes=30)),
        make_order(customer=Customer(order_count=0), placed_at=datetime(2026, 11, 26, 19, 5, 7, 123, tz8)),
        make_order(customer=None, payment=Payment("cash", False), status=OrderStatus.ACCEPTED),
        make_order(status_reason="note", rider_status="on the way", reminders=2),
    ]
    return orders


def _add(db: Database, order: Order, then: tuple[Action, str] | None = None) -> list[Order]:
    return db.call(lambda s: repo.add_order(s, order, now=NOW, by="platform", then=then))


def test_stored_order_is_what_a_read_returns(db: Database) -> None:
    for order in _orders():
        (stored,) = _add(db, order)
        assert stored.id is not None
        _same(stored, db.call(lambda s, i=stored.id: repo.get_order(s, i)))


def test_a_duplicate_is_found_not_stored(db: Database) -> None:
    order = make_order(external_id="DUP")
    first = db.call(lambda s: repo.insert_order(s, order, now=NOW, by="platform"))
    again = db.call(lambda s: repo.insert_order(s, order, now=NOW, by="platform"))
    assert first == (again[0], True) and again[1] is False
    assert db.call(lambda s: repo.find_order_id(s, "demo", "DUP")) == first[0]
    assert db.call(repo.order_count) == 1


def test_core_insert_takes_the_feed_number_like_the_orm(db: Database) -> None:
    a, _ = db.call(lambda s: repo.insert_order(s, make_order(), now=NOW, by="t"))
    db.call(lambda s: repo.apply_action(s, a, Action.ACCEPT, now=NOW, by="kitchen"))  # ORM: seq 2
    (b,) = _add(db, make_order())
    assert (b.version, b.seq) == (1, 3)
    assert db.call(repo.latest_seq) == 3
    history = db.call(lambda s: repo.events_for(s, b.id or 0))
    assert [(e.from_status, e.to_status, e.by) for e in history] == [(None, "new", "platform")]


def test_an_accept_written_with_the_order_is_an_insert_then_apply_action(db: Database) -> None:
    """The same rows as inserting and then accepting through the ORM: status, times, version, seq, events."""
    order = make_order(external_id="ONE")
    twin = make_order(external_id="TWO")
    created, accepted = _add(db, order, then=(Action.ACCEPT, "auto-accept"))
    db.call(lambda s: repo.insert_order(s, twin, now=NOW, by="platform"))
    twin_id = db.call(lambda s: repo.find_order_id(s, "demo", "TWO")) or 0
    db.call(lambda s: repo.apply_action(s, twin_id, Action.ACCEPT, now=NOW, by="auto-accept"))
    read = db.call(lambda s: repo.get_order(s, accepted.id or 0))
    _same(accepted, read)
    assert (created.status, created.version, created.seq) == (OrderStatus.NEW, 1, 1)
    assert (read.status, read.version, read.seq) == (OrderStatus.ACCEPTED, 2, 2)
    assert db.call(lambda s: repo.get_order(s, twin_id)).version == 2

    def columns(order_id: int) -> dict[str, Any]:
        row = db.call(
            lambda s: dict(s.execute(select(OrderRow).where(OrderRow.id == order_id)).mappings().one())
        )
        return {k: getattr(row["OrderRow"], k) for k in ("status", "accepted_at", "updated_at", "closed_at")}

    assert columns(accepted.id or 0) == columns(twin_id)
    histories = [db.call(lambda s, i=i: repo.events_for(s, i)) for i in (accepted.id or 0, twin_id)]
    assert [[(e.kind, e.from_status, e.to_status, e.by, e.at) for e in h] for h in histories] == [
        [("status", None, "new", "platform", NOW), ("status", "new", "accepted", "auto-accept", NOW)]
    ] * 2


# -- the menu-name cache ------------------------------------------------------------------------------


def _menu_names(db: Database) -> list[str]:
    return sorted(db.call(lambda s: list(s.scalars(select(MenuItemRow.name)))))


def _menu_lookups(db: Database) -> list[str]:
    seen: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if "FROM menu_items" in statement:
            seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    return seen


def test_known_names_are_not_looked_up_again(db: Database, arun: Any) -> None:
    intake = IntakeService(db, Hub())
    lookups = _menu_lookups(db)
    arun(intake.ingest(make_order()))
    assert len(lookups) == 1 and intake.menu_names == {"宫保鸡丁", "Iced Lemon Tea"}
    arun(intake.ingest(make_order()))
    assert len(lookups) == 1  # both names known: no query
    arun(
        intake.ingest(
            make_order(items=(make_order().items[0], make_order().items[1].__class__("Soup", 1, 800)))
        )
    )
    assert len(lookups) == 2
    assert _menu_names(db) == sorted(["Iced Lemon Tea", "Soup", "宫保鸡丁"])


def test_a_name_added_by_another_path_is_seen(db: Database, arun: Any) -> None:
    intake = IntakeService(db, Hub())
    db.call(lambda s: settings_repo.set_available(s, "宫保鸡丁", False))  # staff marked it sold out first
    arun(intake.ingest(make_order()))  # no duplicate menu row (the name is unique)
    assert _menu_names(db) == ["Iced Lemon Tea", "宫保鸡丁"]
    assert ("宫保鸡丁", None, False) in db.call(settings_repo.menu)  # still sold out


def test_a_rolled_back_order_leaves_no_name_in_the_cache(db: Database, arun: Any) -> None:
    planner = JobPlanner()
    failing = [True]

    def hook(order: Order, action: Any, by: str, reason: str | None) -> list[Any]:
        if failing[0]:
            raise RuntimeError("planner broke")
        return []

    planner.add(hook)
    intake = IntakeService(db, Hub(), planner)
    with pytest.raises(RuntimeError):
        arun(intake.ingest(make_order(external_id="A")))
    assert intake.menu_names == set() and _menu_names(db) == []
    failing[0] = False
    arun(intake.ingest(make_order(external_id="A")))
    assert _menu_names(db) == ["Iced Lemon Tea", "宫保鸡丁"]


# -- pending messages, auto-accept and the jobs -------------------------------------------------------


def _planner() -> JobPlanner:
    planner = JobPlanner()
    planner.add(lambda o, a, by, r: [("print", "kitchen", "kitchen", {"a": str(a)})] if a else [])
    planner.add_change_hook(lambda o, c: [("upload", "hq", f"hq:{o.id}", {"event": c.event, "v": o.version})])
    return planner


def _jobs(db: Database) -> list[tuple[str, str, str, dict[str, Any], str]]:
    rows = db.call(  # through the store: an upload's payload is sealed at rest (store/sealing.py)
        lambda s: [
            (j.kind, j.lane, j.payload, j.state)
            for j in (jobstore.get_job(s, i) for i in s.scalars(select(JobRow.id).order_by(JobRow.id)))
        ]
    )
    return [(k, lane, p.get("event", ""), p, st) for k, lane, p, st in rows]


def test_auto_accept_without_pending_writes_its_jobs_in_order(db: Database, arun: Any) -> None:
    hub = Hub()
    changes: list[OrderChange] = []
    hub.on_order(changes.append)
    intake = IntakeService(db, hub, _planner())
    intake.auto_accept.add("demo")
    before = db.commits.count(jobstore.topic("print"))
    result = arun(intake.ingest(make_order()))
    stored = db.call(lambda s: repo.get_order(s, result.order_id))
    assert (stored.status, stored.version) == (OrderStatus.ACCEPTED, 2)
    assert [(c.kind, c.order.status, c.order.version) for c in changes] == [
        (ChangeKind.CREATED, OrderStatus.NEW, 1),
        (ChangeKind.STATUS, OrderStatus.ACCEPTED, 2),
    ]
    _same(changes[-1].order, stored)
    jobs = _jobs(db)
    assert [(k, lane, payload) for k, lane, _e, payload, _s in jobs] == [
        ("upload", f"hq:{stored.id}", {"event": "created", "v": 1}),
        ("print", "kitchen", {"a": "accept"}),
        ("upload", f"hq:{stored.id}", {"event": "status", "v": 2}),
    ]
    assert {s for *_, s in jobs} == {"pending"}
    assert db.commits.count(jobstore.topic("print")) == before + 1


def test_pending_messages_still_apply_before_auto_accept(db: Database, arun: Any) -> None:
    intake = IntakeService(db, Hub(), _planner())
    intake.auto_accept.add("demo")
    arun(intake.apply_event(PlatformEvent("demo", "LATE-1", PlatformEventKind.REMINDER, None)))
    arun(intake.apply_event(PlatformEvent("demo", "LATE-2", PlatformEventKind.CANCELLED, "gone")))
    one = arun(intake.ingest(make_order(external_id="LATE-1")))
    two = arun(intake.ingest(make_order(external_id="LATE-2")))
    first = db.call(lambda s: repo.get_order(s, one.order_id))
    second = db.call(lambda s: repo.get_order(s, two.order_id))
    assert (first.status, first.reminders, first.version) == (OrderStatus.ACCEPTED, 1, 3)
    assert second.status is OrderStatus.CANCELLED  # cancelled before it came: never accepted
    assert db.call(lambda s: repo.take_pending_messages(s, "demo", "LATE-1")) == []
