"""The counter's in-process change feed (posapp/engine/feed.py): the screens' snapshot-and-cursor interface on the
short path, over a real SQLite file and the real services — in change order, none twice, none missed."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from posapp.app import PosApp
from posapp.domain.lifecycle import Action
from posapp.engine.feed import LocalFeed
from posapp.services.hub import ChangeKind, Hub, OrderChange
from posapp.services.intake import IntakeService
from posapp.services.orders import OrderService
from posapp.store import orders as repo
from posapp.store.db import Database
from tests.factories import make_order
from tests.integration.apps import demo_app


async def take(changes: AsyncIterator[OrderChange], count: int, timeout: float = 5.0) -> list[OrderChange]:
    out = []
    for _ in range(count):
        out.append(await asyncio.wait_for(anext(changes), timeout))
    return out


def test_the_snapshot_then_every_change_after_its_cursor_in_order_none_twice(db: Database, arun: Any) -> None:
    hub = Hub()
    intake, orders = IntakeService(db, hub), OrderService(db, hub)
    feed = LocalFeed(db, hub)
    first = int(arun(intake.ingest(make_order(external_id="A"))).order_id)
    snapshot = arun(feed.snapshot())
    assert [o.id for o in snapshot.orders] == [first]
    assert snapshot.cursor == snapshot.orders[0].seq

    async def scenario() -> list[OrderChange]:
        changes = feed.changes(snapshot.cursor)
        pending = asyncio.ensure_future(take(changes, 3))
        await asyncio.sleep(0.05)  # subscribed
        second = (await intake.ingest(make_order(external_id="B"))).order_id
        await orders.apply(first, Action.ACCEPT, by="t")
        await orders.apply(second, Action.ACCEPT, by="t")
        got = await pending
        await changes.aclose()
        return got

    got = arun(scenario())
    seqs = [c.order.seq for c in got]
    assert seqs == sorted(seqs) and len(set(seqs)) == 3 and seqs[0] == snapshot.cursor + 1
    assert [c.kind for c in got] == [ChangeKind.CREATED, ChangeKind.STATUS, ChangeKind.STATUS]
    assert feed.filled == 0  # every change came with its notice: nothing read twice from the database


def test_notices_that_arrive_out_of_order_are_handed_on_in_change_order(db: Database, arun: Any) -> None:
    hub, quiet = Hub(), Hub()  # the writes announce on ``quiet``; the test replays them on ``hub`` reordered
    intake = IntakeService(db, quiet)
    seen: list[OrderChange] = []
    quiet.on_order(seen.append)
    feed = LocalFeed(db, hub, gap_grace=2.0)

    async def scenario() -> list[OrderChange]:
        cursor = (await feed.snapshot()).cursor
        changes = feed.changes(cursor)
        pending = asyncio.ensure_future(take(changes, 3))
        await asyncio.sleep(0.05)
        for ref in "XYZ":
            await intake.ingest(make_order(external_id=ref))
        for change in (seen[2], seen[0], seen[1]):
            hub.publish(change)
        got = await pending
        await changes.aclose()
        return got

    got = arun(scenario())
    assert [c.order.external_id for c in got] == ["X", "Y", "Z"]
    assert feed.filled == 0


def test_a_change_that_announced_nothing_is_read_from_the_database_and_the_feed_goes_on(
    db: Database, arun: Any
) -> None:
    hub = Hub()
    intake, orders = IntakeService(db, hub), OrderService(db, hub)
    feed = LocalFeed(db, hub, gap_grace=0.05)
    order_id = int(arun(intake.ingest(make_order(external_id="Q"))).order_id)
    other = int(arun(intake.ingest(make_order(external_id="R"))).order_id)

    def silent_accept(session: Any) -> None:  # a write that publishes no notice
        repo.apply_action(session, order_id, Action.ACCEPT, now=datetime.now(UTC), by="elsewhere")

    async def scenario() -> list[OrderChange]:
        cursor = (await feed.snapshot()).cursor
        changes = feed.changes(cursor)
        pending = asyncio.ensure_future(take(changes, 2))
        await asyncio.sleep(0.05)
        await db.run(silent_accept)
        await orders.apply(other, Action.ACCEPT, by="t")  # its notice shows a change number is missing
        got = await pending
        await changes.aclose()
        return got

    got = arun(scenario())
    assert [(c.order.id, c.order.status.value) for c in got] == [(order_id, "accepted"), (other, "accepted")]
    assert got[0].order.seq < got[1].order.seq
    assert feed.filled == 1


def test_a_feed_from_an_old_cursor_first_gets_what_it_missed_each_order_once_in_its_latest_state(
    db: Database, arun: Any
) -> None:
    hub = Hub()
    intake, orders = IntakeService(db, hub), OrderService(db, hub)
    feed = LocalFeed(db, hub)
    cursor = arun(feed.snapshot()).cursor
    order_id = int(arun(intake.ingest(make_order(external_id="M"))).order_id)
    arun(orders.apply(order_id, Action.ACCEPT, by="t"))
    arun(orders.apply(order_id, Action.START, by="t"))

    async def scenario() -> list[OrderChange]:
        changes = feed.changes(cursor)
        got = await take(changes, 1)
        with_more = asyncio.ensure_future(take(changes, 1, timeout=0.3))
        try:
            got += await with_more
        except TimeoutError:
            pass
        await changes.aclose()
        return got

    got = arun(scenario())
    assert len(got) == 1  # three changes while away: the order once, as it is now
    assert got[0].order.status.value == "preparing" and got[0].order.version == 3


@pytest.fixture
def counter(qtbot: Any, arun: Any, tmp_path: Path) -> Iterator[PosApp]:
    """The desktop app (demo wiring, orders only from the test) with one order on its queue."""
    app = demo_app(tmp_path / "data")
    arun(app.start())
    arun(app.on_engine(app.engine.intake.ingest(make_order(external_id="W1"))))
    qtbot.waitUntil(lambda: app.model is not None and app.model.rowCount() == 1, timeout=3000)
    yield app
    assert app.window is not None
    app.window.close()  # a window left open keeps taking events in every later test
    arun(app.stop())


def silently(app: PosApp, action: Action, by: str) -> int:
    """Move the queue's order in the database without any notice (another writer); returns its id."""
    assert app.model is not None and app.db is not None
    order_id = app.model.orders()[0].id
    assert order_id is not None
    app.db.call(lambda s: repo.apply_action(s, order_id, action, now=datetime.now(UTC), by=by))
    return order_id


def test_the_counter_window_follows_the_feed_and_shows_a_change_that_announced_nothing(
    qtbot: Any, arun: Any, counter: PosApp
) -> None:
    app = counter
    assert app.model is not None and app.feed is not None
    order_id = silently(app, Action.ACCEPT, "elsewhere")
    arun(app.on_engine(app.engine.intake.ingest(make_order(external_id="W2"))))  # its notice shows the gap
    qtbot.waitUntil(lambda: app.model is not None and app.model.rowCount() == 2, timeout=3000)
    qtbot.waitUntil(
        lambda: app.model is not None and app.model.orders()[0].status.value == "accepted", timeout=3000
    )
    shown = {o.external_id: o for o in app.model.orders()}
    assert shown["W1"].id == order_id
    assert app.feed.filled >= 1
    # A stale notice replayed later does not put the older state back.
    app.hub.publish(OrderChange(ChangeKind.STATUS, dataclasses.replace(shown["W1"], version=1)))
    qtbot.wait(100)
    assert {o.external_id: o.status.value for o in app.model.orders()}["W1"] == "accepted"


def test_a_tap_on_a_card_older_than_its_order_is_refused_and_nothing_is_applied(
    qtbot: Any, counter: PosApp
) -> None:
    app = counter
    assert app.window is not None and app.model is not None and app.db is not None and app.controller
    order_id = silently(app, Action.ACCEPT, "expo")  # changed elsewhere; the card still shows version 1
    assert app.model.orders()[0].version == 1
    app.controller.apply(order_id, Action.START.value)
    qtbot.waitUntil(lambda: app.window is not None and app.window.banner.isVisible(), timeout=3000)
    assert "changed on another screen" in app.window.banner.text()
    stored = app.db.call(lambda s: repo.get_order(s, order_id))
    assert stored.status.value == "accepted" and stored.version == 2  # the start was not applied
