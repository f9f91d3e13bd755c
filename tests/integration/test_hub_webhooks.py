"""What the hub's platform webhooks take and refuse: each platform's store key and signature, the answer in the
platform's own format only after the commit, resends kept once, and bad input refused or quarantined."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import text

from posapp.connectors.simulator import Simulator
from posapp.hub.app import HubOptions, HubServer
from posapp.hub.sealing import Sealer, new_key
from tests.hub_support import make_sim, office_login, register_store, run_async

Scenario = Callable[[HubServer, Simulator, httpx.AsyncClient], Awaitable[None]]


def with_hub(tmp: Path, scenario: Scenario, **options: Any) -> None:
    async def main() -> None:
        hub = HubServer(
            f"sqlite:///{tmp / 'hub.db'}", sealer=Sealer(new_key()), options=HubOptions(**options)
        )
        port = await hub.start()
        sim = make_sim(1, "wh")
        await sim.start()
        sim.webhook_base = f"http://127.0.0.1:{port}"
        register_store(hub.engine, hub.sealer, "wh", sim)  # type: ignore[arg-type]
        try:
            async with httpx.AsyncClient(base_url=sim.webhook_base, timeout=5) as client:
                await scenario(hub, sim, client)
        finally:
            await sim.stop()
            await hub.stop()
            hub.close()

    run_async(main())


def rows(hub: HubServer, sql: str) -> list[Any]:
    with hub.engine.connect() as conn:
        return list(conn.execute(text(sql)))


def own_request(
    sim: Simulator, order: dict[str, Any] | None = None, **extra: Any
) -> tuple[bytes, dict[str, str]]:
    body = json.dumps(order or sim.make_order("own"), ensure_ascii=False).encode()
    return body, sim.platforms["own"].headers(body, **extra)  # type: ignore[attr-defined]


def test_each_platform_push_is_stored_once_and_answered_in_its_own_format(tmp_path: Path) -> None:
    async def scenario(hub: HubServer, sim: Simulator, client: httpx.AsyncClient) -> None:
        meituan: Any = sim.platforms["meituan"]
        eleme: Any = sim.platforms["eleme"]
        first, second = sim.make_order("meituan"), sim.make_order("eleme")
        await meituan.deliver(first)
        await eleme.deliver(second)
        # A cancellation naming only its order goes to the store that holds the order.
        resp = await meituan.post_fields({**CANCEL, "order_id": first["external_id"]})
        assert (resp.status_code, resp.json()) == (200, {"data": "ok"})  # Meituan's own success answer
        invalid = {
            "orderId": second["external_id"],
            "state": "invalid",
            "shopId": 900001,
            "updateTime": 1,
            "role": 1,
        }
        resp = await eleme.post_message(14, invalid)
        assert (resp.status_code, resp.json()) == (200, {"message": "ok"})  # Ele.me's
        body, headers = own_request(sim)
        for _ in range(2):  # the website resends the same signed request: kept once, answered ok twice
            assert (await client.post("/webhooks/own", content=body, headers=headers)).status_code == 200
        stored = rows(hub, "SELECT platform, headers FROM hub_pushes ORDER BY id")
        assert [r[0] for r in stored] == ["meituan", "eleme", "meituan", "eleme", "own"]
        assert all("authorization" not in r[1].lower() for r in stored)

    with_hub(tmp_path, scenario)


CANCEL = {"order_id": "27061000123", "reason_code": "1101", "reason": "顾客取消", "deal_op_type": "1"}


def test_unknown_store_and_bad_signature_are_refused_and_logged_without_the_body(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    async def scenario(hub: HubServer, sim: Simulator, client: httpx.AsyncClient) -> None:
        body, headers = own_request(sim)
        forged = {**headers, "X-Posapp-Signature": "sha256=" + "0" * 64}
        resp = await client.post("/webhooks/own", content=body, headers=forged)
        assert resp.status_code == 401
        stranger = {**headers, "X-Posapp-Store": "nobody"}
        assert (await client.post("/webhooks/own", content=body, headers=stranger)).status_code == 401
        meituan: Any = sim.platforms["meituan"]
        resp = await meituan.post_fields(CANCEL)  # names no store, and no order the hub knows
        assert resp.status_code == 400 and "data" in resp.json()  # Meituan's error shape
        meituan.poi_code = "poi-unknown"
        await meituan.deliver(sim.make_order("meituan"))
        assert rows(hub, "SELECT count(*) FROM hub_pushes")[0][0] == 0
        reasons = [r[0] for r in rows(hub, "SELECT reason FROM hub_refusals ORDER BY id")]
        assert reasons == [
            "own-channel signature does not match",
            "unknown store",
            "no store key in the push, nor a known order",
            "unknown store",
        ]

    with caplog.at_level(logging.WARNING, logger="posapp.hub"):
        with_hub(tmp_path, scenario)
    logged = caplog.text
    assert "refused" in logged and "WEB-" not in logged and "顾客取消" not in logged


def test_bad_input_size_skew_rate_and_unreadable_bodies(tmp_path: Path) -> None:
    async def scenario(hub: HubServer, sim: Simulator, client: httpx.AsyncClient) -> None:
        big, headers = own_request(sim)
        huge = big + b" " * (2 * 1024 * 1024)
        assert (await client.post("/webhooks/own", content=huge, headers=headers)).status_code == 413
        body, headers = own_request(sim, ts=int(time.time()) - 3600)  # an hour off the hub's clock
        assert (await client.post("/webhooks/own", content=body, headers=headers)).status_code == 401
        unreadable, headers = own_request(sim, {"external_id": "X-1", "items": "not a list"})
        assert (await client.post("/webhooks/own", content=unreadable, headers=headers)).status_code == 200
        held = rows(hub, "SELECT reason FROM hub_quarantine")
        assert len(held) == 1 and held[0][0]  # signed, unreadable: kept with its reason, never relayed
        statuses = []
        for _ in range(6):
            body, headers = own_request(sim)
            statuses.append((await client.post("/webhooks/own", content=body, headers=headers)).status_code)
        assert statuses[:3] == [200, 200, 200] and 429 in statuses[3:]
        await office_login(hub.engine, client)
        page = (await client.get("/")).text
        assert "quarantined" in page.lower() and "too many pushes" in page and "wh" in page
        reasons = {r[0] for r in rows(hub, "SELECT reason FROM hub_refusals")}
        assert {
            "body over 2097152 bytes",
            "own-channel push is older than 5 minutes (or from the future)",
        } <= reasons

    with_hub(tmp_path, scenario, rate=0.01, burst=6)


def test_a_pairing_code_is_traded_once_for_a_working_token(tmp_path: Path) -> None:
    async def scenario(hub: HubServer, sim: Simulator, client: httpx.AsyncClient) -> None:
        from datetime import UTC, datetime

        from posapp.hub import stores

        with hub.engine.begin() as conn:
            issued = stores.add(conn, "paired", datetime.now(UTC))
        resp = await client.post("/v1/pair", json={"code": issued.code})
        assert resp.status_code == 200 and resp.json()["store"] == "paired"
        token = resp.json()["token"]
        assert (await client.post("/v1/pair", json={"code": issued.code})).status_code == 403  # used up
        me = await client.get("/v1/store", headers={"Authorization": f"Bearer {token}"})
        assert me.json() == {"store": "paired", "backlog": 0, "platforms": []}
        old = await client.get("/v1/store", headers={"Authorization": f"Bearer {issued.token}"})
        assert old.status_code == 401  # pairing issued a new token: the printed one is replaced

    with_hub(tmp_path, scenario)


def test_pushes_acknowledged_long_ago_and_old_refusals_are_pruned_and_a_waiting_push_never(
    tmp_path: Path,
) -> None:
    async def scenario(hub: HubServer, sim: Simulator, client: httpx.AsyncClient) -> None:
        for _ in range(3):
            body, headers = own_request(sim)
            assert (await client.post("/webhooks/own", content=body, headers=headers)).status_code == 200
        body, headers = own_request(sim)
        await client.post(
            "/webhooks/own", content=body, headers={**headers, "X-Posapp-Signature": "sha256=0"}
        )
        with hub.engine.begin() as conn:
            old = "2000-01-01 00:00:00"
            conn.execute(
                text(f"UPDATE hub_pushes SET acked_at = '{old}' WHERE id = (SELECT min(id) FROM hub_pushes)")
            )
            conn.execute(text("UPDATE hub_pushes SET acked_at = CURRENT_TIMESTAMP WHERE id = 2"))
            conn.execute(text(f"UPDATE hub_refusals SET at = '{old}'"))
        assert await hub.prune() == 2
        assert [r[0] for r in rows(hub, "SELECT id FROM hub_pushes ORDER BY id")] == [2, 3]  # 3 still waits
        assert rows(hub, "SELECT count(*) FROM hub_refusals")[0][0] == 0

    with_hub(tmp_path, scenario)


def test_pairing_tries_are_limited_per_client_address_on_sqlite(tmp_path: Path) -> None:
    async def scenario(hub: HubServer, sim: Simulator, client: httpx.AsyncClient) -> None:
        guesses = [(await client.post("/v1/pair", json={"code": "00000-00000"})) for _ in range(3)]
        assert [r.status_code for r in guesses] == [403, 403, 429]  # its burst of 2, then refused unread
        assert int(guesses[2].headers["Retry-After"]) >= 1 and guesses[2].json()["error"] == "too_many"
        # Another client behind the reverse proxy on this machine (its X-Real-IP) still has its own tries.
        other = await client.post(
            "/v1/pair", json={"code": "00000-00000"}, headers={"X-Real-IP": "198.51.100.4"}
        )
        assert other.status_code == 403

    with_hub(tmp_path, scenario, pair_rate=0.01, pair_burst=2)


def test_the_client_address_is_the_proxys_x_real_ip_only_from_this_machine() -> None:
    from unittest import mock

    from aiohttp.test_utils import make_mocked_request

    from posapp.hub.app import client_address

    def request(peer: str, **headers: str) -> Any:
        transport = mock.Mock()
        transport.get_extra_info.side_effect = lambda name, default=None: (
            (peer, 443) if name == "peername" else default
        )
        return make_mocked_request("POST", "/v1/pair", headers=headers, transport=transport)

    assert client_address(request("127.0.0.1", **{"X-Real-IP": "203.0.113.9"})) == "203.0.113.9"
    assert client_address(request("::1", **{"X-Real-IP": "203.0.113.9"})) == "203.0.113.9"
    assert client_address(request("198.51.100.20", **{"X-Real-IP": "203.0.113.9"})) == "198.51.100.20"
    assert client_address(request("198.51.100.20")) == "198.51.100.20"
