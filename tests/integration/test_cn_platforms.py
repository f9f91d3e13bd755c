"""Meituan and Ele.me end to end over loopback: simulator -> signed push -> listener -> SQLite -> pushes back."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from sqlalchemy import text

from posapp.connectors import registry
from posapp.connectors.base import PushAction
from posapp.connectors.simulator import Simulator
from posapp.connectors.simulator.eleme import ElemeSim
from posapp.connectors.simulator.meituan import MeituanSim
from posapp.domain.order import Order, OrderStatus
from posapp.services.channels import PUSH_KIND, ChannelService, register
from posapp.services.hub import Hub
from posapp.services.intake import IntakeService
from posapp.services.orders import OrderService
from posapp.services.planner import JobPlanner
from posapp.services.worker import JobWorker
from posapp.store import jobs as jobstore
from posapp.store import orders as repo
from posapp.store.db import Database

PLATFORMS = ("meituan", "eleme")
# What each platform's own API calls are called, as the simulator records them.
CALLS = {
    "meituan": {
        "accept": "order/confirm",
        "ready": "order/preparationMealComplete",
        "reject": "order/cancel",
    },
    "eleme": {
        "accept": "eleme.order.confirmOrderLite",
        "ready": "eleme.order.setOrderPrepared",
        "reject": "eleme.order.cancelOrderLite",
    },
}


@dataclass
class Stack:
    db: Database
    sim: Simulator
    channels: ChannelService
    intake: IntakeService
    orders: OrderService
    worker: JobWorker

    def plat(self, name: str) -> Any:
        return self.sim.platforms[name]

    def order_id(self, platform: str, external_id: str) -> int | None:
        return self.db.call(lambda s: repo.find_order_id(s, platform, external_id))

    def order(self, platform: str, external_id: str) -> Order:
        oid = self.order_id(platform, external_id)
        assert oid is not None, f"{platform} order {external_id} was not stored"
        return self.db.call(lambda s: repo.get_order(s, oid))

    def calls(self, platform: str, external_id: str) -> list[str]:
        key = "api" if platform == "meituan" else "action"
        return [p.body[key] for p in self.sim.pushes_for(platform, external_id)]

    def quarantine_reasons(self) -> list[str]:
        with self.db.engine.connect() as conn:
            return list(conn.execute(text("SELECT reason FROM quarantine ORDER BY id")).scalars())


@pytest.fixture
def stack(db: Database, arun: Any) -> Iterator[Stack]:
    hub = Hub()
    planner = JobPlanner()
    intake = IntakeService(db, hub, planner)
    orders = OrderService(db, hub, planner)
    sim = Simulator(platforms=PLATFORMS, seed=7)
    arun(sim.start())
    connectors = [
        registry.make(
            n, base_url=sim.url_for(n), app_id=sim.platforms[n].app_id, secret=sim.platforms[n].secret
        )
        for n in PLATFORMS
    ]
    channels = ChannelService(intake, hub, connectors)
    register(planner, channels)
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
        batch_size=20,
    )
    yield Stack(db, sim, channels, intake, orders, worker)
    arun(worker.stop())
    arun(channels.stop())
    arun(sim.stop())


async def _resend(plat: Any, order: dict[str, Any]) -> httpx.Response:
    if isinstance(plat, MeituanSim):
        return await plat.post_fields(plat.order_fields(order))
    return await plat.post_message(10, plat.order_message(order))


@pytest.mark.parametrize("platform", PLATFORMS)
def test_signed_order_arrives_once_and_a_duplicate_push_is_one_order(
    stack: Stack, arun: Any, platform: str
) -> None:
    made = arun(stack.sim.emit(platform))[0]
    stored = stack.order(platform, made["external_id"])
    assert [i.name for i in stored.items] == [i["name"] for i in made["items"]]
    assert stored.display_id == made["display_id"]
    assert stored.totals.total == made["totals"]["total"]
    assert stored.totals.reconciliation_gap() == 0
    assert stored.customer is not None and stored.customer.phone_masked  # a relay number, never personal
    again = arun(_resend(stack.plat(platform), made))
    assert again.status_code == 200
    assert again.json() == ({"data": "ok"} if platform == "meituan" else {"message": "ok"})
    assert stack.db.call(repo.order_count) == 1


@pytest.mark.parametrize("platform", PLATFORMS)
@pytest.mark.parametrize("forgery", ["wrong secret", "stale timestamp", "unsigned"])
def test_forged_or_stale_push_is_refused_and_nothing_is_stored(
    stack: Stack, arun: Any, platform: str, forgery: str
) -> None:
    plat = stack.plat(platform)
    order = stack.sim.make_order(platform)
    order["external_id"] = "9876543210123"
    kwargs: dict[str, Any] = {
        "wrong secret": {"secret": "not-the-secret"},
        "stale timestamp": {"timestamp": 1_500_000_000}
        if platform == "meituan"
        else {"timestamp_ms": 1_500_000_000_000},
        "unsigned": {"sign": False},
    }[forgery]
    if isinstance(plat, MeituanSim):
        resp = arun(plat.post_fields(plat.order_fields(order), **kwargs))
        assert resp.json()["data"] == "ng"
    else:
        resp = arun(plat.post_message(10, plat.order_message(order), **kwargs))
        assert resp.json()["message"] == "invalid signature"
    assert resp.status_code == 401
    assert stack.db.call(repo.order_count) == 0
    assert stack.quarantine_reasons() == []


@pytest.mark.parametrize("platform", PLATFORMS)
def test_accept_ready_and_reject_reach_the_platform_as_its_own_api_calls(
    stack: Stack, qtbot: Any, arun: Any, platform: str
) -> None:
    first, second = arun(stack.sim.emit(platform, n=2))
    a = stack.order_id(platform, first["external_id"])
    b = stack.order_id(platform, second["external_id"])
    assert a is not None and b is not None
    arun(stack.orders.accept(a))
    arun(stack.orders.start(a))
    arun(stack.orders.ready(a))
    arun(stack.orders.reject(b, "商品已经售完"))
    stack.worker.start()
    calls = CALLS[platform]
    qtbot.waitUntil(lambda: len(stack.calls(platform, first["external_id"])) == 2, timeout=10000)
    qtbot.waitUntil(lambda: len(stack.calls(platform, second["external_id"])) == 1, timeout=10000)
    # e.g. "Meituan received confirm then 出餐 (preparationMealComplete) for order A".
    assert stack.calls(platform, first["external_id"]) == [calls["accept"], calls["ready"]]
    assert stack.calls(platform, second["external_id"]) == [calls["reject"]]
    reject = stack.sim.pushes_for(platform, second["external_id"])[0].body
    if platform == "meituan":
        assert reject["reason"] == "商品已经售完" and reject["app_id"] == MeituanSim.app_id
    else:
        assert reject["params"]["type"] == "foodSoldOut" and reject["params"]["remark"] == "商品已经售完"


@pytest.mark.parametrize("platform", PLATFORMS)
def test_a_push_that_fails_five_times_is_retried_and_then_lands(
    stack: Stack, qtbot: Any, arun: Any, platform: str
) -> None:
    made = arun(stack.sim.emit(platform))[0]
    oid = stack.order_id(platform, made["external_id"])
    assert oid is not None
    stack.plat(platform).fail_next = 5
    arun(stack.orders.accept(oid))
    stack.worker.start()
    qtbot.waitUntil(
        lambda: stack.calls(platform, made["external_id"]) == [CALLS[platform]["accept"]], timeout=15000
    )
    [job] = stack.db.call(lambda s: jobstore.jobs_for(s, PUSH_KIND, order_id=oid))
    assert stack.plat(platform).fail_next == 0
    qtbot.waitUntil(
        lambda: stack.db.call(lambda s: jobstore.get_job(s, job.id)).state == "done", timeout=5000
    )
    assert stack.db.call(lambda s: jobstore.get_job(s, job.id)).attempts == 6


@pytest.mark.parametrize("platform", PLATFORMS)
def test_a_platform_business_error_parks_the_push_with_its_reason(
    stack: Stack, qtbot: Any, arun: Any, platform: str
) -> None:
    made = arun(stack.sim.emit(platform))[0]
    stack.plat(platform).known.discard(made["external_id"])  # the platform no longer knows the order
    oid = stack.order_id(platform, made["external_id"])
    assert oid is not None
    arun(stack.orders.accept(oid))
    stack.worker.start()

    def parked() -> bool:
        jobs = stack.db.call(lambda s: jobstore.jobs_for(s, PUSH_KIND, order_id=oid))
        return bool(jobs) and jobs[0].state == "parked"

    qtbot.waitUntil(parked, timeout=10000)
    [job] = stack.db.call(lambda s: jobstore.jobs_for(s, PUSH_KIND, order_id=oid))
    assert "订单不存在" in (job.last_error or "")
    assert job.attempts == 1


@pytest.mark.parametrize("platform", PLATFORMS)
def test_a_cancel_after_accept_reaches_the_queue(stack: Stack, arun: Any, platform: str) -> None:
    made = arun(stack.sim.emit(platform))[0]
    oid = stack.order_id(platform, made["external_id"])
    assert oid is not None
    arun(stack.orders.accept(oid))
    arun(stack.plat(platform).cancel(made["external_id"], "用户取消"))
    order = stack.order(platform, made["external_id"])
    assert order.status is OrderStatus.CANCELLED
    history = arun(stack.orders.history(oid))
    assert (history[-1].from_status, history[-1].to_status, history[-1].by) == (
        "accepted",
        "cancelled",
        platform,
    )


@pytest.mark.parametrize("platform", PLATFORMS)
def test_reminder_and_rider_messages_before_the_order_are_applied_when_it_comes(
    stack: Stack, arun: Any, platform: str
) -> None:
    plat = stack.plat(platform)
    order = stack.sim.make_order(platform)
    order["external_id"] = "28983933105028871" if platform == "meituan" else "3025881411983150156"
    plat.known.add(order["external_id"])
    arun(plat.remind(order["external_id"]))
    arun(plat.rider(order["external_id"]))
    assert stack.db.call(repo.order_count) == 0
    arun(plat.deliver(order))
    stored = stack.order(platform, order["external_id"])
    assert stored.reminders == 1
    assert stored.rider_status and ("骑手" in stored.rider_status or "取餐" in stored.rider_status)
    arun(plat.remind(order["external_id"]))  # 催单 after the order: counted on the card
    assert stack.order(platform, order["external_id"]).reminders == 2


@pytest.mark.parametrize("platform", PLATFORMS)
def test_a_signed_but_malformed_push_is_quarantined_and_answered_ok(
    stack: Stack, arun: Any, platform: str
) -> None:
    plat = stack.plat(platform)
    if isinstance(plat, MeituanSim):
        resp = arun(plat.post_fields({"order_id": "1", "detail": "[{broken", "total": "1"}))
    else:
        assert isinstance(plat, ElemeSim)
        resp = arun(plat.post_message(10, {"id": "1", "groups": "not a list"}))
    assert resp.status_code == 200  # kept whole; the platform must not resend it forever
    [reason] = stack.quarantine_reasons()
    assert reason
    assert stack.db.call(repo.order_count) == 0


def test_menu_and_store_calls_reach_the_platforms(stack: Stack, arun: Any) -> None:
    client = stack.channels.client
    mt = stack.channels.connectors["meituan"]
    elm = stack.channels.connectors["eleme"]
    mt.poi_code = "demo-poi-1"  # type: ignore[attr-defined]
    for action in (PushAction.SOLD_OUT, PushAction.IN_STOCK, PushAction.PAUSE, PushAction.RESUME):
        arun(mt.push(client, action, {"sku": "KP1"}))
        arun(elm.push(client, action, {"sku": "1398894994", "spec_id": "1", "shop_id": "161856062"}))
    mt_calls = [(p.body["api"], p.body.get("sell_status")) for p in stack.sim.pushes_for("meituan")]
    assert mt_calls == [
        ("food/sku/sellStatus", "1"),
        ("food/sku/sellStatus", "0"),
        ("poi/close", None),
        ("poi/open", None),
    ]
    elm_calls = [p.body["action"] for p in stack.sim.pushes_for("eleme")]
    assert elm_calls == [
        "eleme.product.item.batchClearStock",
        "eleme.product.item.batchFillStock",
        "eleme.shop.updateShop",
        "eleme.shop.updateShop",
    ]
    assert stack.sim.pushes_for("eleme")[2].body["params"]["properties"] == {"isOpen": 0}


def test_a_refused_eleme_token_is_fetched_again_and_the_push_lands(
    stack: Stack, qtbot: Any, arun: Any
) -> None:
    made = arun(stack.sim.emit("eleme"))[0]
    oid = stack.order_id("eleme", made["external_id"])
    assert oid is not None
    arun(stack.channels.connectors["eleme"].token(stack.channels.client))  # type: ignore[attr-defined]
    stack.plat("eleme").tokens.clear()  # Ele.me revoked the token
    arun(stack.orders.accept(oid))
    stack.worker.start()
    qtbot.waitUntil(
        lambda: stack.calls("eleme", made["external_id"]) == [CALLS["eleme"]["accept"]], timeout=10000
    )
    [job] = stack.db.call(lambda s: jobstore.jobs_for(s, PUSH_KIND, order_id=oid))
    assert job.attempts == 2


def test_eleme_messages_missed_while_the_listener_was_down_are_fetched_by_polling(
    stack: Stack, arun: Any
) -> None:
    listener = stack.sim.webhook_base
    stack.sim.webhook_base = "http://127.0.0.1:9"  # nothing listens: the push cannot be delivered
    made = arun(stack.sim.emit("eleme"))[0]
    assert stack.db.call(repo.order_count) == 0
    stack.sim.webhook_base = listener
    elm = stack.channels.connectors["eleme"]
    assert arun(stack.channels.poll_once(elm)) == 1
    assert stack.order("eleme", made["external_id"]).totals.total == made["totals"]["total"]
    elm._last_poll = float("-inf")  # type: ignore[attr-defined]
    assert arun(stack.channels.poll_once(elm)) == 0  # delivered once; nothing left to fetch


def test_an_unsigned_json_push_cannot_cancel_remind_or_add_a_meituan_order(stack: Stack, arun: Any) -> None:
    made = arun(stack.sim.emit("meituan"))[0]
    url = f"{stack.sim.webhook_base}/meituan"
    forged = [
        {"order_id": int(made["external_id"]), "reason_code": 1101},  # cancel
        {"order_id": int(made["external_id"]), "remind_id": 77, "remind_time": 1700000000},  # 催单
        {"order_id": 1234, "detail": [{"food_name": "x", "quantity": 1, "price": 1}], "total": 1, "ctime": 1},
    ]

    async def post_all() -> list[int]:
        async with httpx.AsyncClient() as client:
            return [(await client.post(url, json=body)).status_code for body in forged]

    assert arun(post_all()) == [401, 401, 401]
    order = stack.order("meituan", made["external_id"])
    assert (order.status, order.reminders) == (OrderStatus.NEW, 0)
    assert stack.db.call(repo.order_count) == 1
