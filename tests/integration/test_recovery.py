"""Missed-order recovery over loopback: orders placed while the listener was down are fetched from each
platform's own query API (the simulator checks each call's signature or token), land once, and say so."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from posapp.connectors import registry
from posapp.connectors.base import Connector
from posapp.connectors.simulator import Simulator
from posapp.services.channels import ChannelService
from posapp.services.hub import Hub, Notice
from posapp.services.intake import IntakeService
from posapp.services.planner import JobPlanner
from posapp.services.recovery import MissedOrders
from posapp.store import orders as repo
from posapp.store.db import Database

PLATFORMS = ("meituan", "eleme", "ubereats", "doordash")
DOWN = "http://127.0.0.1:9"  # nothing listens here: a push sent there is lost, as when the listener is down


@dataclass
class Rig:
    db: Database
    sim: Simulator
    channels: ChannelService
    notices: list[Notice]
    listener: str

    def connector(self, name: str) -> Connector:
        return self.channels.connectors[name]

    def held(self, platform: str, external_id: str) -> bool:
        return self.db.call(lambda s: repo.find_order_id(s, platform, external_id)) is not None

    def recovered(self) -> list[str]:
        return [n.text for n in self.notices if n.source.startswith("recovery:")]


@pytest.fixture
def rig(db: Database, arun: Any) -> Iterator[Rig]:
    hub = Hub()
    notices: list[Notice] = []
    hub.on_notice(notices.append)
    intake = IntakeService(db, hub, JobPlanner())
    sim = Simulator(platforms=PLATFORMS, seed=11)
    arun(sim.start())
    connectors = []
    for name in PLATFORMS:
        plat = sim.platforms[name]
        connectors.append(
            registry.make(name, base_url=sim.url_for(name), app_id=plat.app_id, secret=plat.secret)
        )
    channels = ChannelService(intake, hub, connectors)
    channels.connectors["meituan"].poi_code = sim.platforms["meituan"].poi_code  # type: ignore[attr-defined]
    channels.connectors["ubereats"].store_id = sim.platforms["ubereats"].store_id  # type: ignore[attr-defined]
    port = arun(channels.start_listener())
    listener = f"http://127.0.0.1:{port}"
    yield Rig(db, sim, channels, notices, listener)
    arun(channels.stop())
    arun(sim.stop())


@pytest.mark.parametrize("platform", ["meituan", "eleme", "ubereats"])
def test_orders_placed_while_the_listener_was_down_are_recovered_once(
    rig: Rig, arun: Any, platform: str
) -> None:
    rig.sim.webhook_base = DOWN
    made = arun(rig.sim.emit(platform, n=3))
    assert rig.db.call(repo.order_count) == 0
    rig.sim.webhook_base = rig.listener
    found = arun(rig.channels.recover_missed("start-up"))
    assert found[platform] == 3
    assert all(rig.held(platform, m["external_id"]) for m in made)
    label = rig.connector(platform).display_name
    assert rig.recovered() == [f"Recovered 3 orders from {label}"]
    stored = rig.db.call(lambda s: repo.get_order(s, repo.find_order_id(s, platform, made[0]["external_id"])))
    assert stored.totals.total == made[0]["totals"]["total"]
    assert [i.name for i in stored.items] == [i["name"] for i in made[0]["items"]]
    # Asked again (the link flapped): the same orders stay one order each, and nothing new is announced.
    again = arun(rig.channels.recover_missed("head-office link back"))
    assert again[platform] == 0
    assert rig.db.call(repo.order_count) == 3
    assert len(rig.recovered()) == 1


@pytest.mark.parametrize("platform", ["meituan", "ubereats"])
def test_an_order_that_did_arrive_is_not_counted_as_recovered(rig: Rig, arun: Any, platform: str) -> None:
    rig.sim.webhook_base = rig.listener
    arun(rig.sim.emit(platform))
    rig.sim.webhook_base = DOWN
    missed = arun(rig.sim.emit(platform))[0]
    rig.sim.webhook_base = rig.listener
    assert arun(rig.channels.recover_missed())[platform] == 1
    assert rig.held(platform, missed["external_id"])
    assert rig.db.call(repo.order_count) == 2


def test_doordash_says_its_api_cannot_list_orders(rig: Rig, arun: Any) -> None:
    found = arun(rig.channels.recover_missed())
    assert found["doordash"] is None
    assert "no list of orders" in rig.connector("doordash").recovery_note


def test_a_meituan_query_with_a_wrong_secret_is_refused_and_said(rig: Rig, arun: Any) -> None:
    rig.sim.webhook_base = DOWN
    arun(rig.sim.emit("meituan"))
    rig.connector("meituan").secret = "not-the-secret"
    assert arun(rig.channels.recover_missed())["meituan"] == 0
    assert rig.db.call(repo.order_count) == 0
    [said] = [n for n in rig.notices if n.source == "recovery:meituan"]
    assert said.level == "warning" and "703" in said.text


def test_an_uber_platform_outage_is_said_and_the_next_ask_recovers(rig: Rig, arun: Any) -> None:
    rig.sim.webhook_base = DOWN
    made = arun(rig.sim.emit("ubereats"))[0]
    rig.sim.platforms["ubereats"].fail_next = 1
    assert arun(rig.channels.recover_missed())["ubereats"] == 0
    assert any("Could not ask Uber Eats" in t for t in rig.recovered())
    assert arun(rig.channels.recover_missed())["ubereats"] == 1
    assert rig.held("ubereats", made["external_id"])


def test_the_link_coming_back_asks_the_platforms(rig: Rig, arun: Any, qtbot: Any) -> None:
    missed = MissedOrders(rig.channels)
    rig.sim.webhook_base = DOWN
    made = arun(rig.sim.emit("meituan"))[0]
    missed.watch(Notice("hub", "online", data={"state": "online"}))  # up from the start: nothing missed
    assert missed.runs == 0
    missed.watch(Notice("hub", "head office unreachable", data={"state": "head office unreachable"}))
    missed.watch(Notice("hub", "online", data={"state": "online"}))
    qtbot.waitUntil(lambda: missed.runs == 1, timeout=5000)
    assert rig.held("meituan", made["external_id"])
    assert rig.recovered() == ["Recovered 1 order from 美团外卖"]
    arun(missed.stop())


def test_a_meituan_push_with_spaces_arrives_with_spaces(rig: Rig, arun: Any) -> None:
    """The simulator encodes as Meituan's Java servers do (URLEncoder: a space is "+")."""
    rig.sim.webhook_base = rig.listener
    order = rig.sim.make_order("meituan")
    order["notes"] = "no chili + extra rice, ring twice"
    order["customer"] = {**(order.get("customer") or {}), "name": "Li Lei"}
    arun(rig.sim.platforms["meituan"].deliver(order))
    stored = rig.db.call(lambda s: repo.get_order(s, repo.find_order_id(s, "meituan", order["external_id"])))
    assert stored.notes == "no chili + extra rice, ring twice"
    assert stored.customer is not None and stored.customer.name == "Li Lei"


def test_a_platform_reachable_again_asks_the_platforms(rig: Rig, arun: Any, qtbot: Any) -> None:
    """A poll or an order fetch failed (the platform's chip went red), then worked: ask for what was missed."""
    missed = MissedOrders(rig.channels)
    rig.sim.webhook_base = DOWN
    made = arun(rig.sim.emit("ubereats"))[0]
    missed.watch(Notice("platform:ubereats", "online", data={"platform": "ubereats", "state": "online"}))
    assert missed.runs == 0  # never down: nothing to ask
    missed.watch(Notice("platform:ubereats", "offline", data={"platform": "ubereats", "state": "offline"}))
    missed.watch(Notice("platform:ubereats", "online", data={"platform": "ubereats", "state": "online"}))
    qtbot.waitUntil(lambda: missed.runs == 1, timeout=5000)
    assert rig.held("ubereats", made["external_id"])
    arun(missed.stop())


def test_a_meituan_sequence_number_it_cannot_resolve_does_not_stop_the_others(rig: Rig, arun: Any) -> None:
    rig.sim.webhook_base = DOWN
    made = arun(rig.sim.emit("meituan", n=3))
    plat = rig.sim.platforms["meituan"]
    gone = int(made[1]["display_id"])
    del plat.kept[gone]  # Meituan answers 808 for this day_seq
    assert arun(rig.channels.recover_missed())["meituan"] == 2
    assert rig.held("meituan", made[0]["external_id"]) and rig.held("meituan", made[2]["external_id"])
