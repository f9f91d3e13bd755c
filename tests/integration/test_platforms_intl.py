"""Uber Eats, DoorDash and the own website over real loopback HTTP: simulator -> listener -> SQLite -> pushes."""

from __future__ import annotations

import json
import random
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import text

from posapp.connectors import registry
from posapp.connectors.base import Connector, PushAction
from posapp.connectors.simulator import PlatformSim, Simulator
from posapp.domain.order import OrderStatus
from posapp.errors import PushRejected
from posapp.services.channels import PUSH_KIND, ChannelService, register
from posapp.services.hub import Hub
from posapp.services.intake import IntakeService
from posapp.services.orders import OrderService
from posapp.services.planner import JobPlanner
from posapp.services.worker import JobWorker
from posapp.store import jobs as jobstore
from posapp.store import orders as repo
from posapp.store.db import Database

PLATFORMS = ["ubereats", "doordash", "own"]
WEBHOOK = {"ubereats": "/webhooks/ubereats", "doordash": "/webhooks/doordash", "own": "/webhooks/own"}


@dataclass
class Rig:
    name: str
    sim: Simulator
    plat: Any
    connector: Connector
    channels: ChannelService
    intake: IntakeService
    orders: OrderService
    worker: JobWorker
    db: Database

    def count(self) -> int:
        return self.db.call(repo.order_count)

    def quarantined(self) -> list[tuple[str, str]]:
        with self.db.engine.connect() as conn:
            return [tuple(r) for r in conn.execute(text("SELECT platform, reason FROM quarantine"))]

    def order_id(self, external_id: str) -> int | None:
        return self.db.call(lambda s: repo.find_order_id(s, self.name, external_id))

    def pushes(self, external_id: str | None = None) -> list[str]:
        return [p.path for p in self.sim.pushes_for(self.name, external_id)]


@pytest.fixture(params=PLATFORMS)
def rig(request: pytest.FixtureRequest, db: Database, arun: Any) -> Iterator[Rig]:
    name = request.param
    sim = Simulator(platforms=(name,), seed=7)
    arun(sim.start())
    plat = sim.platforms[name]
    connector = registry.make(name, base_url=sim.url_for(name), app_id=plat.app_id, secret=plat.secret)
    hub = Hub()
    planner = JobPlanner()
    intake = IntakeService(db, hub, planner)
    orders = OrderService(db, hub, planner)
    channels = ChannelService(intake, hub, [connector])
    register(planner, channels)
    worker = JobWorker(
        db,
        hub,
        PUSH_KIND,
        channels.handle_push,
        base_delay=0.01,
        max_delay=0.05,
        idle_poll=0.05,
        rng=random.Random(1),
    )
    hub.on_order(lambda _c: worker.kick())
    port = arun(channels.start_listener("127.0.0.1", 0))
    sim.webhook_base = f"http://127.0.0.1:{port}"
    worker.start()
    yield Rig(name, sim, plat, connector, channels, intake, orders, worker, db)
    arun(worker.stop())
    arun(channels.stop())
    arun(sim.stop())


def emit_one(rig: Rig, arun: Any, qtbot: Any) -> tuple[dict[str, Any], int]:
    made = arun(rig.sim.emit(rig.name))[0]
    qtbot.waitUntil(lambda: rig.order_id(made["external_id"]) is not None, timeout=10000)
    order_id = rig.order_id(made["external_id"])
    assert order_id is not None
    return made, order_id


def test_signed_order_lands_once_with_its_items(rig: Rig, arun: Any, qtbot: Any) -> None:
    made, order_id = emit_one(rig, arun, qtbot)
    stored = arun(rig.orders.get(order_id))
    assert stored.platform == rig.name
    assert stored.display_id == made["display_id"]
    assert [(i.name, i.quantity) for i in stored.items] == [(i["name"], i["quantity"]) for i in made["items"]]
    assert stored.totals.total == made["totals"]["total"]
    assert stored.totals.reconciliation_gap() == 0
    assert stored.currency == made["currency"]
    assert rig.count() == 1


def test_duplicate_delivery_is_one_order(rig: Rig, arun: Any, qtbot: Any) -> None:
    emit_one(rig, arun, qtbot)
    body, headers = rig.plat.last_sent
    resp = arun(rig.plat.post_webhook(WEBHOOK[rig.name], content=body, headers=headers))
    assert resp.status_code == 200
    assert rig.count() == 1


def forged_headers(rig: Rig, body: bytes) -> dict[str, str]:
    if rig.name == "ubereats":
        return {"X-Uber-Signature": "0" * 64}
    if rig.name == "doordash":
        return {"Authorization": "Bearer not-the-token"}
    headers = rig.plat.headers(body)
    headers["X-Posapp-Signature"] = "sha256=" + "0" * 64
    return headers


def stale_headers(rig: Rig, body: bytes) -> dict[str, str]:
    if rig.name == "own":
        return rig.plat.headers(body, ts=int(time.time()) - 600)
    if rig.name == "doordash":  # a DD-JWT-V1 that expired ten minutes ago
        connector = registry.make("doordash", base_url="x", app_id=rig.plat.app_id, secret=rig.plat.secret)
        return {"Authorization": f"Bearer {connector.make_jwt(now=time.time() - 900)}"}  # type: ignore[attr-defined]
    return {}  # Uber signs without a timestamp: a missing signature stands in


def test_forged_or_stale_push_is_refused_and_nothing_stored(rig: Rig, arun: Any) -> None:
    order = rig.sim.make_order(rig.name)
    body = json.dumps(order).encode()
    for headers in (forged_headers(rig, body), stale_headers(rig, body)):
        resp = arun(rig.plat.post_webhook(WEBHOOK[rig.name], content=body, headers=headers))
        assert resp.status_code == 401
    assert rig.count() == 0
    assert rig.quarantined() == []


def test_cancel_after_accept_reaches_the_queue(rig: Rig, arun: Any, qtbot: Any) -> None:
    made, order_id = emit_one(rig, arun, qtbot)
    arun(rig.orders.accept(order_id))
    arun(rig.plat.cancel(made["external_id"]))
    qtbot.waitUntil(lambda: arun(rig.orders.get(order_id)).status is OrderStatus.CANCELLED, timeout=10000)


def expected_paths(name: str, ext: str) -> dict[str, str]:
    prefix = f"/{name}"
    if name == "ubereats":
        base = f"{prefix}/v1/eats/orders/{ext}"
        return {
            "accept": f"{base}/accept_pos_order",
            "reject": f"{base}/deny_pos_order",
            "ready": f"{prefix}/v1/delivery/order/{ext}/ready",
        }
    if name == "doordash":
        base = f"{prefix}/api/v1/orders/{ext}"
        return {"accept": base, "reject": base, "ready": f"{base}/events/order_ready_for_pickup"}
    base = f"{prefix}/orders/{ext}/status"
    return {"accept": base, "reject": base, "ready": base}


def test_accept_then_ready_reach_the_platform_api(rig: Rig, arun: Any, qtbot: Any) -> None:
    made, order_id = emit_one(rig, arun, qtbot)
    ext = made["external_id"]
    paths = expected_paths(rig.name, ext)
    arun(rig.orders.accept(order_id))
    arun(rig.orders.start(order_id))
    arun(rig.orders.ready(order_id))
    qtbot.waitUntil(lambda: len(rig.pushes(ext)) == 2, timeout=10000)
    assert rig.pushes(ext) == [paths["accept"], paths["ready"]]
    bodies = [p.body for p in rig.sim.pushes_for(rig.name, ext)]
    if rig.name == "doordash":
        assert bodies[0] == {"merchant_supplied_id": ext, "order_status": "success"}
    if rig.name == "own":
        assert [b["action"] for b in bodies] == ["accept", "ready"]


def test_reject_reaches_the_platform_api_with_the_reason(rig: Rig, arun: Any, qtbot: Any) -> None:
    made, order_id = emit_one(rig, arun, qtbot)
    ext = made["external_id"]
    arun(rig.orders.reject(order_id, "Out of stock: dumplings"))
    qtbot.waitUntil(lambda: len(rig.pushes(ext)) == 1, timeout=10000)
    assert rig.pushes(ext) == [expected_paths(rig.name, ext)["reject"]]
    assert "Out of stock: dumplings" in json.dumps(rig.sim.pushes_for(rig.name, ext)[0].body)


def test_push_that_fails_five_times_is_retried_then_lands(rig: Rig, arun: Any, qtbot: Any) -> None:
    made, order_id = emit_one(rig, arun, qtbot)
    rig.plat.fail_next = 5
    arun(rig.orders.accept(order_id))

    def states() -> list[tuple[str, int]]:
        jobs = rig.db.call(lambda s: jobstore.jobs_for(s, PUSH_KIND, order_id=order_id))
        return [(j.state, j.attempts) for j in jobs]

    qtbot.waitUntil(lambda: states() == [("done", 6)], timeout=15000)
    assert rig.plat.fail_next == 0
    assert len(rig.pushes(made["external_id"])) == 1


def test_signed_but_malformed_body_is_quarantined_with_a_reason(rig: Rig, arun: Any) -> None:
    body = b'{"id": 12, "cart": "nope", "categories": 5, "items": "x"}'
    if rig.name == "ubereats":
        body = b"{not json"
        headers = rig.plat._sign(body)
    elif rig.name == "doordash":
        headers = rig.plat.auth_headers()
    else:
        headers = rig.plat.headers(body)
    resp = arun(rig.plat.post_webhook(WEBHOOK[rig.name], content=body, headers=headers))
    assert resp.status_code == 200  # kept whole: the platform must not resend it forever
    rows = rig.quarantined()
    assert len(rows) == 1 and rows[0][0] == rig.name and rows[0][1]
    assert rig.count() == 0


def test_uber_token_is_fetched_once_and_reused(db: Database, arun: Any) -> None:
    sim = Simulator(platforms=("ubereats",), seed=3)
    arun(sim.start())
    try:
        plat = sim.platforms["ubereats"]
        connector = registry.make(
            "ubereats", base_url=sim.url_for("ubereats"), app_id=plat.app_id, secret=plat.secret
        )
        channels = ChannelService(IntakeService(db, Hub()), Hub(), [connector])
        for action, payload in [
            (PushAction.PAUSE, {"store_id": plat.store_id, "reason": "kitchen swamped"}),
            (PushAction.RESUME, {"store_id": plat.store_id}),
            (PushAction.SOLD_OUT, {"store_id": plat.store_id, "sku": "SKU-0001"}),
            (PushAction.IN_STOCK, {"store_id": plat.store_id, "sku": "SKU-0001"}),
        ]:
            arun(connector.push(channels.client, action, payload))
        assert plat.tokens_issued == 1
        bodies = [p.body for p in sim.pushes_for("ubereats")]
        assert bodies[0]["status"] == "PAUSED" and bodies[1] == {"status": "ONLINE"}
        assert bodies[2]["suspension_info"]["suspension"]["suspend_until"] > time.time()
        assert bodies[3]["suspension_info"]["suspension"]["suspend_until"] == 0
        with pytest.raises(PushRejected):  # an order Uber does not know: park, do not retry
            arun(connector.push(channels.client, PushAction.ACCEPT, {"external_id": "no-such-order"}))
        arun(channels.stop())
    finally:
        arun(sim.stop())


def test_doordash_store_and_item_calls_carry_a_valid_jwt(db: Database, arun: Any) -> None:
    sim = Simulator(platforms=("doordash",), seed=3)
    arun(sim.start())
    try:
        plat = sim.platforms["doordash"]
        connector = registry.make(
            "doordash", base_url=sim.url_for("doordash"), app_id=plat.app_id, secret=plat.secret
        )
        channels = ChannelService(IntakeService(db, Hub()), Hub(), [connector])
        arun(connector.push(channels.client, PushAction.PAUSE, {"store_id": plat.store_id}))
        arun(
            connector.push(channels.client, PushAction.SOLD_OUT, {"store_id": plat.store_id, "sku": "780709"})
        )
        assert [p.body for p in sim.pushes_for("doordash")] == [
            {"is_active": False, "reason": "operational_issues", "notes": "paused from the counter"},
            [{"merchant_supplied_id": "780709", "is_active": False}],
        ]
        with pytest.raises(PushRejected):
            arun(connector.push(channels.client, PushAction.ACCEPT, {"external_id": "unknown"}))
        arun(channels.stop())
    finally:
        arun(sim.stop())


def test_pushes_to_unknown_orders_are_parked_not_retried(rig: Rig, arun: Any, qtbot: Any) -> None:
    if rig.name == "own":
        pytest.skip("the own website's callback has no notion of unknown orders")
    made, order_id = emit_one(rig, arun, qtbot)
    rig.plat.orders.clear()  # the platform forgot the order (expired)
    arun(rig.orders.accept(order_id))

    def parked() -> bool:
        jobs = rig.db.call(lambda s: jobstore.jobs_for(s, PUSH_KIND, order_id=order_id))
        return any(j.state == "parked" for j in jobs)

    qtbot.waitUntil(parked, timeout=10000)


def _sim_types() -> dict[str, type[PlatformSim]]:
    from posapp.connectors.simulator import SIM_PLATFORMS

    return SIM_PLATFORMS


def test_simulators_are_registered() -> None:
    assert {"ubereats", "doordash", "own"} <= set(_sim_types())


def test_wrong_uber_credentials_halt_the_pusher_and_fail_the_fetch_with_503(
    db: Database, arun: Any, qtbot: Any
) -> None:
    sim = Simulator(platforms=("ubereats",), seed=5)
    arun(sim.start())
    plat = sim.platforms["ubereats"]
    connector = registry.make(
        "ubereats", base_url=sim.url_for("ubereats"), app_id=plat.app_id, secret="wrong"
    )
    hub = Hub()
    channels = ChannelService(IntakeService(db, hub), hub, [connector])
    try:
        port = arun(channels.start_listener("127.0.0.1", 0))
        sim.webhook_base = f"http://127.0.0.1:{port}"
        order = plat.to_uber(sim.make_order("ubereats"))
        plat.orders[order["id"]] = order
        notice = plat._event("orders.notification", order["id"])
        connector.secret = plat.secret  # the webhook verifies; only the token call fails
        connector.app_id = "someone-else"
        assert arun(plat.send_raw(notice)) == 503
        assert db.call(repo.order_count) == 0
        assert channels.state["ubereats"].startswith("error: Uber Eats refused our client id")
    finally:
        arun(channels.stop())
        arun(sim.stop())


def test_demo_app_shows_orders_from_uber_doordash_and_own_in_one_queue(
    qtbot: Any, arun: Any, tmp_path: Any
) -> None:
    from posapp.app import AppOptions, PosApp

    app = PosApp(
        AppOptions(
            data_dir=tmp_path / "demo",
            demo=True,
            sim_rate_per_minute=0,
            sim_prefill=0,
            sim_platforms=("ubereats", "doordash", "own"),
        )
    )
    arun(app.start())
    try:
        assert app.simulator is not None and app.window is not None
        for name in ("ubereats", "doordash", "own"):
            arun(app.simulator.emit(name))
        model = app.window.model
        qtbot.waitUntil(lambda: model.rowCount() == 3, timeout=10000)
        assert {model.order_at(r).platform for r in range(3)} == {"ubereats", "doordash", "own"}
    finally:
        app.window.close()
        arun(app.stop())
