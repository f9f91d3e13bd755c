"""Busy mode over loopback: while busy, each accept to Uber Eats and DoorDash carries the later ready time
(through the durable push worker: a dead network loses nothing), Meituan's accept is unchanged and the screen
is told why; the mode ends by itself, is audited, and a per-order delay rides on that order's accept."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from posapp.connectors import registry
from posapp.connectors.simulator import Simulator
from posapp.services.busy import BusyService
from posapp.services.channels import PUSH_KIND, ChannelService, register
from posapp.services.hub import Hub, Notice
from posapp.services.intake import IntakeService
from posapp.services.orders import OrderService
from posapp.services.planner import JobPlanner
from posapp.services.worker import JobWorker
from posapp.store import audit
from posapp.store import jobs as jobstore
from posapp.store import orders as repo
from posapp.store.db import Database

PLATFORMS = ("ubereats", "doordash", "meituan")


@dataclass
class Rig:
    db: Database
    sim: Simulator
    orders: OrderService
    busy: BusyService
    worker: JobWorker
    notices: list[Notice]

    def order_id(self, made: dict[str, Any]) -> int:
        found = self.db.call(lambda s: repo.find_order_id(s, made["platform"], made["external_id"]))
        assert found is not None
        return found


@pytest.fixture
def rig(db: Database, arun: Any) -> Iterator[Rig]:
    hub = Hub()
    notices: list[Notice] = []
    hub.on_notice(notices.append)
    planner = JobPlanner()
    intake = IntakeService(db, hub, planner)
    orders = OrderService(db, hub, planner)
    sim = Simulator(platforms=PLATFORMS, seed=5)
    arun(sim.start())
    connectors = []
    for name in PLATFORMS:
        plat = sim.platforms[name]
        connectors.append(
            registry.make(name, base_url=sim.url_for(name), app_id=plat.app_id, secret=plat.secret)
        )
    channels = ChannelService(intake, hub, connectors)
    register(planner, channels)
    busy = BusyService(db, hub, lambda: channels.connectors)
    channels.accept_extras = busy.accept_extras
    port = arun(channels.start_listener())
    sim.webhook_base = f"http://127.0.0.1:{port}"
    worker = JobWorker(
        db,
        hub,
        PUSH_KIND,
        channels.handle_push,
        base_delay=0.01,
        max_delay=0.05,
        idle_poll=0.05,
        rng=random.Random(2),
    )
    hub.on_order(lambda _c: worker.kick())
    worker.start()
    yield Rig(db, sim, orders, busy, worker, notices)
    busy.stop()
    arun(worker.stop())
    arun(channels.stop())
    arun(sim.stop())


def accepted_pushes_done(rig: Rig) -> bool:
    return rig.db.call(lambda s: jobstore.queue_state(s, PUSH_KIND)).pending == 0


@pytest.mark.parametrize("platform", ["ubereats", "doordash"])
def test_while_busy_each_accept_carries_the_later_ready_time(
    rig: Rig, arun: Any, qtbot: Any, platform: str
) -> None:
    arun(rig.busy.start(20, for_minutes=60, by="anna"))
    made = arun(rig.sim.emit(platform))[0]
    oid = rig.order_id(made)
    order = rig.db.call(lambda s: repo.get_order(s, oid))
    now = datetime.now(UTC)
    base = order.due_at if order.due_at is not None and order.due_at > now else now
    arun(rig.orders.accept(oid, by="anna"))
    qtbot.waitUntil(lambda: accepted_pushes_done(rig), timeout=5000)
    [push] = rig.sim.pushes_for(platform, made["external_id"])
    if platform == "ubereats":
        ready = datetime.fromtimestamp(push.body["pickup_time"], UTC)
    else:
        ready = datetime.fromisoformat(push.body["prep_time"].replace("Z", "+00:00"))
    assert abs(ready - (base + timedelta(minutes=20))) < timedelta(seconds=5)


def test_meituan_accept_is_unchanged_and_the_screen_says_why(rig: Rig, arun: Any, qtbot: Any) -> None:
    arun(rig.busy.start(10, for_minutes=None, by="anna"))
    [said] = [n for n in rig.notices if n.source == "busy"]
    assert said.data["on"] and said.data["extra_minutes"] == 10
    answers = {a["platform"]: a for a in said.data["answers"]}
    assert answers["ubereats"]["takes"] and answers["doordash"]["takes"]
    assert not answers["meituan"]["takes"] and "美团" in answers["meituan"]["how"]
    made = arun(rig.sim.emit("meituan"))[0]
    arun(rig.orders.accept(rig.order_id(made), by="anna"))
    qtbot.waitUntil(lambda: accepted_pushes_done(rig), timeout=5000)
    [push] = rig.sim.pushes_for("meituan", made["external_id"])
    assert push.body["api"] == "order/confirm" and "ready_by" not in push.body


def test_a_dead_network_loses_the_busy_accept_nothing(rig: Rig, arun: Any, qtbot: Any) -> None:
    arun(rig.busy.start(30, for_minutes=60, by="anna"))
    made = arun(rig.sim.emit("ubereats"))[0]
    rig.sim.platforms["ubereats"].fail_next = 3  # the platform answers 503 three times
    arun(rig.orders.accept(rig.order_id(made), by="anna"))
    qtbot.waitUntil(lambda: accepted_pushes_done(rig), timeout=10000)
    [push] = rig.sim.pushes_for("ubereats", made["external_id"])
    assert isinstance(push.body["pickup_time"], int)


def test_busy_ends_by_itself_and_both_ends_are_audited(rig: Rig, arun: Any, qtbot: Any) -> None:
    arun(rig.busy.start(20, for_minutes=0.01, by="anna"))  # 0.6 s
    assert rig.busy.state.on
    qtbot.waitUntil(lambda: not rig.busy.state.on, timeout=5000)
    entries = rig.db.call(lambda s: audit.entries(s, limit=10))
    actions = [(e.action, e.by) for e in entries]
    assert ("busy_on", "anna") in actions and ("busy_off", "timer") in actions
    assert [n.data["on"] for n in rig.notices if n.source == "busy"] == [True, False]
    made = arun(rig.sim.emit("ubereats"))[0]  # normal again: the accept carries no ready time
    arun(rig.orders.accept(rig.order_id(made), by="anna"))
    qtbot.waitUntil(lambda: accepted_pushes_done(rig), timeout=5000)
    [push] = rig.sim.pushes_for("ubereats", made["external_id"])
    assert "pickup_time" not in push.body


def test_busy_mode_survives_a_restart_and_ends_if_its_time_passed(rig: Rig, arun: Any) -> None:
    arun(rig.busy.start(20, for_minutes=30, by="anna"))
    again = BusyService(rig.db, Hub(), rig.busy.connectors)
    arun(again.load())
    assert again.state.extra_minutes == 20 and again.state.until == rig.busy.state.until
    later = BusyService(
        rig.db, Hub(), rig.busy.connectors, clock=lambda: datetime.now(UTC) + timedelta(hours=1)
    )
    arun(later.load())
    assert not later.state.on
    again.stop()


def test_one_order_needs_ten_more_minutes(rig: Rig, arun: Any, qtbot: Any) -> None:
    made = arun(rig.sim.emit("doordash"))[0]
    oid = rig.order_id(made)
    order = rig.db.call(lambda s: repo.get_order(s, oid))
    answer = arun(rig.busy.delay_order(order, 10, by="anna"))
    assert answer.takes and "prep_time" in answer.how
    arun(rig.orders.accept(oid, by="anna"))
    qtbot.waitUntil(lambda: accepted_pushes_done(rig), timeout=5000)
    [push] = rig.sim.pushes_for("doordash", made["external_id"])
    assert "prep_time" in push.body
    accepted = rig.db.call(lambda s: repo.get_order(s, oid))
    refused = arun(rig.busy.delay_order(accepted, 10, by="anna"))  # after the accept no platform takes it
    assert not refused.takes and "cannot" in refused.how
    meituan = arun(rig.sim.emit("meituan"))[0]
    mt_order = rig.db.call(lambda s: repo.get_order(s, rig.order_id(meituan)))
    assert not arun(rig.busy.delay_order(mt_order, 10, by="anna")).takes
    details = [e.detail for e in rig.db.call(lambda s: audit.entries(s, action="order_delay", limit=10))]
    assert len(details) == 3 and sum("sent with the accept" in (d or "") for d in details) == 1


def test_an_orders_delay_survives_a_restart_until_its_accept(rig: Rig, arun: Any, qtbot: Any) -> None:
    made = arun(rig.sim.emit("ubereats"))[0]
    oid = rig.order_id(made)
    order = rig.db.call(lambda s: repo.get_order(s, oid))
    assert arun(rig.busy.delay_order(order, 15, by="anna")).takes
    again = BusyService(rig.db, Hub(), rig.busy.connectors)  # the counter restarted before the accept
    arun(again.load())
    assert again.order_extra == {oid: 15}
    assert again.accept_extras(order)["extra_minutes"] == 15
    assert again.accept_extras(order)["extra_minutes"] == 15  # asked twice (a refused accept): still there
    arun(rig.orders.accept(oid, by="anna"))
    later = BusyService(rig.db, Hub(), rig.busy.connectors)
    arun(later.load())
    assert later.order_extra == {}  # accepted: nothing left to send
    again.stop()
    later.stop()
