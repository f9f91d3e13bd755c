"""The screen API over real loopback HTTP and WebSocket: pairing, snapshot, the cursor feed, versioned commands."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import aiohttp
import pytest

from posapp.engine.screen_api import CODE_VALID, ScreenApi
from posapp.services.hub import Hub
from posapp.services.intake import IntakeService
from posapp.services.orders import OrderService
from posapp.store import screens as screen_repo
from posapp.store.db import Database
from tests.factories import make_order


@dataclass
class Rig:
    db: Database
    api: ScreenApi
    intake: IntakeService
    orders: OrderService
    base: str

    def add(self, arun: Any) -> int:
        return int(arun(self.intake.ingest(make_order())).order_id)


@pytest.fixture
def rig(db: Database, arun: Any) -> Iterator[Rig]:
    hub = Hub()
    orders = OrderService(db, hub)
    api = ScreenApi(db, hub, orders, station=lambda item: "grill" if item.sku == "KP1" else None)
    port = arun(api.start("127.0.0.1", 0))
    yield Rig(db, api, IntakeService(db, hub), orders, f"http://127.0.0.1:{port}")
    arun(api.stop())


async def call(
    method: str, url: str, token: str | None = None, body: Any = None
) -> tuple[int, dict[str, Any]]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with aiohttp.ClientSession() as http, http.request(method, url, json=body, headers=headers) as resp:
        return resp.status, await resp.json()


def pair(rig: Rig, arun: Any, name: str = "Grill 1") -> str:
    code = arun(rig.api.new_code())
    status, body = arun(
        call("POST", f"{rig.base}/api/pair", body={"code": code, "name": name, "station": None})
    )
    assert status == 200, body
    return str(body["token"])


async def read_feed(
    base: str, token: str, cursor: int, frames: int, timeout: float = 5
) -> list[dict[str, Any]]:
    """The first ``frames`` order frames the feed sends from ``cursor`` (pings skipped)."""
    got: list[dict[str, Any]] = []
    headers = {"Authorization": f"Bearer {token}"}
    async with (
        aiohttp.ClientSession() as http,
        http.ws_connect(f"{base}/api/feed?cursor={cursor}", headers=headers) as ws,
    ):
        async with asyncio.timeout(timeout):
            async for msg in ws:
                frame = json.loads(msg.data)
                if frame["type"] == "order":
                    got.append(frame)
                if len(got) == frames:
                    break
    return got


def test_pairing_needs_a_real_code_and_every_other_request_a_live_token(rig: Rig, arun: Any) -> None:
    arun(rig.api.new_code())
    wrong = arun(call("POST", f"{rig.base}/api/pair", body={"code": "abcdef", "name": "x"}))
    assert wrong[0] == 403 and "pairing code" in wrong[1]["message"]
    token = pair(rig, arun)
    assert arun(call("GET", f"{rig.base}/api/snapshot", token))[0] == 200
    assert arun(call("GET", f"{rig.base}/api/snapshot"))[0] == 401
    assert arun(call("GET", f"{rig.base}/api/snapshot", "not-a-token"))[0] == 401
    [screen] = rig.db.call(screen_repo.all_screens)
    assert rig.db.call(lambda s: screen_repo.revoke(s, screen.id, rig.orders.clock()))
    assert arun(call("GET", f"{rig.base}/api/snapshot", token))[0] == 401  # revoked: refused at once


def test_a_spent_or_expired_code_is_refused(rig: Rig, arun: Any) -> None:
    code = arun(rig.api.new_code())
    assert arun(call("POST", f"{rig.base}/api/pair", body={"code": code, "name": "A"}))[0] == 200
    assert arun(call("POST", f"{rig.base}/api/pair", body={"code": code, "name": "B"}))[0] == 403
    late = arun(rig.api.new_code())
    rig.api.clock = lambda: rig.orders.clock() + CODE_VALID + timedelta(seconds=1)
    assert arun(call("POST", f"{rig.base}/api/pair", body={"code": late, "name": "C"}))[0] == 403


def test_the_snapshot_carries_open_orders_with_version_cursor_and_station(rig: Rig, arun: Any) -> None:
    token = pair(rig, arun)
    first, second = rig.add(arun), rig.add(arun)
    status, body = arun(call("GET", f"{rig.base}/api/snapshot", token))
    assert status == 200
    assert [o["id"] for o in body["orders"]] == [first, second]
    assert body["cursor"] == max(o["cursor"] for o in body["orders"])
    assert all(o["version"] == 1 for o in body["orders"])
    assert [i["station"] for i in body["orders"][0]["items"]] == ["grill", None]


def test_a_command_on_one_screen_reaches_another_screen_through_the_feed(rig: Rig, arun: Any) -> None:
    counter, grill = pair(rig, arun, "Counter"), pair(rig, arun, "Grill")
    order_id = rig.add(arun)
    _, snap = arun(call("GET", f"{rig.base}/api/snapshot", grill))

    async def tap_then_read() -> list[dict[str, Any]]:
        reader = asyncio.ensure_future(read_feed(rig.base, grill, snap["cursor"], 1))
        await asyncio.sleep(0.2)
        status, body = await call(
            "POST",
            f"{rig.base}/api/commands",
            counter,
            {"order_id": order_id, "action": "accept", "version": 1},
        )
        assert status == 200 and body["order"]["status"] == "accepted"
        return await reader

    [frame] = arun(tap_then_read())
    assert (frame["order"]["id"], frame["order"]["status"], frame["order"]["version"]) == (
        order_id,
        "accepted",
        2,
    )
    assert frame["cursor"] > snap["cursor"]


def test_two_screens_tapping_the_same_version_at_once_resolve_to_one(rig: Rig, arun: Any) -> None:
    a, b = pair(rig, arun, "A"), pair(rig, arun, "B")
    order_id = rig.add(arun)

    async def both() -> list[tuple[int, dict[str, Any]]]:
        url = f"{rig.base}/api/commands"
        return list(
            await asyncio.gather(
                call("POST", url, a, {"order_id": order_id, "action": "accept", "version": 1}),
                call(
                    "POST", url, b, {"order_id": order_id, "action": "reject", "version": 1, "reason": "busy"}
                ),
            )
        )

    results = arun(both())
    assert sorted(status for status, _ in results) == [200, 409]
    winner = next(body for status, body in results if status == 200)["order"]
    loser = next(body for status, body in results if status == 409)
    assert "another screen" in loser["message"]
    assert loser["order"]["status"] == winner["status"] and loser["order"]["version"] == 2


def test_a_screen_back_from_a_lost_link_gets_every_change_once_in_its_latest_state(
    rig: Rig, arun: Any
) -> None:
    token = pair(rig, arun)
    first, second, third = rig.add(arun), rig.add(arun), rig.add(arun)
    _, snap = arun(call("GET", f"{rig.base}/api/snapshot", token))
    cursor = snap["cursor"]  # the screen goes away here
    arun(rig.orders.accept(first))
    arun(rig.orders.accept(second))
    arun(rig.orders.start(first))  # first changes twice while the screen is away
    frames = arun(read_feed(rig.base, token, cursor, 2))
    assert [(f["order"]["id"], f["order"]["status"]) for f in frames] == [
        (second, "accepted"),
        (first, "preparing"),
    ]
    assert frames[0]["cursor"] < frames[1]["cursor"]
    assert third not in [f["order"]["id"] for f in frames]


def test_a_refused_transition_and_an_unknown_order_say_why(rig: Rig, arun: Any) -> None:
    token = pair(rig, arun)
    order_id = rig.add(arun)
    status, body = arun(
        call(
            "POST", f"{rig.base}/api/commands", token, {"order_id": order_id, "action": "ready", "version": 1}
        )
    )
    assert status == 422 and body["error"] == "refused" and body["order"]["status"] == "new"
    status, body = arun(
        call("POST", f"{rig.base}/api/commands", token, {"order_id": 999, "action": "accept", "version": 1})
    )
    assert status == 404
    status, body = arun(
        call(
            "POST",
            f"{rig.base}/api/commands",
            token,
            {"order_id": order_id, "action": "explode", "version": 1},
        )
    )
    assert status == 400


def test_a_station_bumps_its_part_and_every_screen_sees_which_stations_are_done(rig: Rig, arun: Any) -> None:
    grill, expo = pair(rig, arun, "Grill"), pair(rig, arun, "Expo")
    order_id = rig.add(arun)
    url = f"{rig.base}/api/commands"
    early = arun(
        call("POST", url, grill, {"order_id": order_id, "action": "bump", "station": "grill", "version": 1})
    )
    assert early[0] == 422  # nobody cooks an order that is not accepted yet
    arun(rig.orders.accept(order_id))
    _, snap = arun(call("GET", f"{rig.base}/api/snapshot", expo))
    [before] = snap["orders"]
    assert before["stations"] == {"grill": {"done": False, "at": None, "by": None}}
    status, body = arun(
        call("POST", url, grill, {"order_id": order_id, "action": "bump", "station": "grill", "version": 2})
    )
    assert status == 200
    assert body["order"]["stations"]["grill"]["done"] and body["order"]["stations"]["grill"]["by"] == "Grill"
    assert body["order"]["version"] == 3 and body["order"]["status"] == "accepted"
    [frame] = arun(read_feed(rig.base, expo, snap["cursor"], 1))
    assert frame["order"]["stations"]["grill"]["done"]  # the expo hears it through the feed
    again = arun(
        call("POST", url, grill, {"order_id": order_id, "action": "bump", "station": "grill", "version": 3})
    )
    assert again[0] == 422 and "already bumped" in again[1]["message"]
    fryer = arun(
        call("POST", url, expo, {"order_id": order_id, "action": "bump", "station": "fryer", "version": 2})
    )
    assert fryer[0] == 200  # tapped on the version before the grill's bump: stations work side by side
    assert fryer[1]["order"]["stations"]["fryer"]["done"] and fryer[1]["order"]["version"] == 4
    status, body = arun(
        call("POST", url, grill, {"order_id": order_id, "action": "unbump", "station": "grill", "version": 4})
    )
    assert status == 200 and not body["order"]["stations"]["grill"]["done"]
    nameless = arun(call("POST", url, grill, {"order_id": order_id, "action": "bump", "version": 5}))
    assert nameless[0] == 400


def test_a_revoked_screen_loses_its_open_feed_within_seconds(rig: Rig, arun: Any) -> None:
    token = pair(rig, arun)
    [screen] = rig.db.call(screen_repo.all_screens)

    async def follow_until_closed() -> float:
        headers = {"Authorization": f"Bearer {token}"}
        async with (
            aiohttp.ClientSession() as http,
            http.ws_connect(f"{rig.base}/api/feed?cursor=0", headers=headers) as ws,
        ):
            await asyncio.sleep(0.2)
            rig.db.call(lambda s: screen_repo.revoke(s, screen.id, rig.orders.clock()))
            t0 = asyncio.get_running_loop().time()
            async with asyncio.timeout(10):
                async for _ in ws:
                    pass
            return asyncio.get_running_loop().time() - t0

    assert arun(follow_until_closed(), timeout=15) < 7  # closed at the next look (every 5 pings of 1 s)
