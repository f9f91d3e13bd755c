"""Uber Eats, DoorDash and Meituan pushes at the hub as each platform sends them (bodies from the platforms'
own docs, signed by tests/webhook/signing.py): routed to the right store, kept for the relay when they read,
quarantined with their reason (on the office page) when they are signed but do not read."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import quote_plus, urlencode

import httpx

from posapp.connectors import registry
from posapp.connectors.simulator import Simulator
from posapp.domain.events import PlatformEvent, PlatformEventKind
from posapp.hub import stores
from posapp.hub.app import HubServer
from tests.hub_support import office_login
from tests.integration.test_hub_webhooks import rows, with_hub
from tests.webhook.signing import _hmac_hex, meituan_sig

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
UBER_STORE = "89dd9741-66b5-4bb4-b216-a813f3b21b4f"  # meta.user_id of Uber's Order Notification example
UBER_SECRET = "uber-client-secret-of-wh"
DOORDASH_STORE = "location1"  # store.merchant_supplied_id of DoorDash's cancellation example
DOORDASH_TOKEN = "doordash-webhook-token-of-wh"


def fixture(path: str) -> dict[str, Any]:
    return json.loads((FIXTURES / path).read_text(encoding="utf-8"))


def add_platforms(hub: HubServer) -> None:
    assert hub.sealer is not None
    with hub.engine.begin() as conn:
        store = stores.by_name(conn, "wh")
        assert store is not None
        for platform, key, secret in (
            ("ubereats", UBER_STORE, UBER_SECRET),
            ("doordash", DOORDASH_STORE, DOORDASH_TOKEN),
        ):
            stores.set_platform(
                conn, store.id, platform, key, app_id="", secret_sealed=hub.sealer.seal(secret), options={}
            )


async def uber(client: httpx.AsyncClient, payload: dict[str, Any]) -> httpx.Response:
    body = json.dumps(payload).encode()
    headers = {"X-Uber-Signature": _hmac_hex(UBER_SECRET, body), "Content-Type": "application/json"}
    return await client.post("/webhooks/ubereats", content=body, headers=headers)


def test_uber_notifications_are_checked_by_the_uber_connector_and_bad_ones_quarantined(
    tmp_path: Path,
) -> None:
    notice = fixture("ubereats/webhook_orders_notification_doc.json")
    cancel = fixture("ubereats/webhook_orders_cancel.json")

    async def scenario(hub: HubServer, sim: Simulator, client: httpx.AsyncClient) -> None:
        add_platforms(hub)
        for good in (notice, cancel):
            resp = await uber(client, good)
            assert (resp.status_code, resp.content) == (200, b"")  # Uber's acknowledgement: 200, empty body
        bad = {
            "no resource_id": {**notice, "meta": {"user_id": UBER_STORE, "status": "pos"}},
            "control characters": {**notice, "meta": {**notice["meta"], "resource_id": "153dd7f1\x00\n"}},
            "event_time as text": {**notice, "event_id": "e-2", "event_time": "yesterday"},
            "event_type missing": {k: v for k, v in notice.items() if k != "event_type"}
            | {"event_id": "e-3"},
            "meta not an object": {**cancel, "meta": ["153dd7f1"], "store_id": UBER_STORE},
            "not an order message": {**cancel, "event_type": "store.provisioned"},
        }
        for payload in bad.values():
            resp = await uber(client, payload)
            assert (resp.status_code, resp.content) == (200, b"")  # kept: Uber must not resend it forever
        relayed = rows(hub, "SELECT platform FROM hub_pushes")
        assert [r[0] for r in relayed] == ["ubereats", "ubereats"]  # only the two that read
        held = [r[0] for r in rows(hub, "SELECT reason FROM hub_quarantine ORDER BY id")]
        assert held == [
            "PayloadError: Uber Eats orders.notification without meta.resource_id",
            "PayloadError: meta.resource_id holds control or unencodable characters",
            "PayloadError: event_time is not an ISO 8601 time: 'yesterday'",
            "PayloadError: Uber Eats webhook without event_type",
            "PayloadError: meta should be an object, got list",
            "PayloadError: Uber Eats event 'store.provisioned' is not an order message",
        ]
        await office_login(hub.engine, client)
        page = (await client.get("/")).text
        assert "Uber Eats orders.notification without meta.resource_id" in page  # the reason, for a person

    with_hub(tmp_path, scenario)


def test_doordash_cancellation_and_release_as_doordash_sends_them_reach_the_store(tmp_path: Path) -> None:
    cancel = fixture("doordash/event_cancellation_doc.json")
    release = fixture("doordash/event_order_release_doc.json")
    created = fixture("doordash/webhook_order_create.json")
    created["order"]["store"]["merchant_supplied_id"] = DOORDASH_STORE

    async def scenario(hub: HubServer, sim: Simulator, client: httpx.AsyncClient) -> None:
        add_platforms(hub)
        auth = {"Authorization": f"Bearer {DOORDASH_TOKEN}", "Content-Type": "application/json"}
        for payload in (created, release, cancel):
            resp = await client.post("/webhooks/doordash", content=json.dumps(payload).encode(), headers=auth)
            assert resp.status_code == 200, resp.text
        assert rows(hub, "SELECT count(*) FROM hub_quarantine")[0][0] == 0
        kept = rows(
            hub, "SELECT p.body FROM hub_pushes p JOIN hub_stores s ON s.id = p.store_id ORDER BY p.id"
        )
        assert len(kept) == 3  # all three for the store whose DoorDash store id they name
        routes = rows(hub, "SELECT external_id FROM hub_order_routes WHERE platform = 'doordash' ORDER BY 1")
        assert [r[0] for r in routes] == ["0da8b530-7c4c-4925-8785-cd843b797d64", "abc12345"]
        connector = registry.make("doordash")  # what the counter makes of them
        (rider,) = connector.parse(bytes(kept[1][0]))
        (gone,) = connector.parse(bytes(kept[2][0]))
        assert isinstance(rider, PlatformEvent) and rider.kind is PlatformEventKind.RIDER
        assert rider.detail == "Kelley is near the store (460 m away)"
        assert isinstance(gone, PlatformEvent) and gone.kind is PlatformEventKind.CANCELLED
        assert gone.external_id == "0da8b530-7c4c-4925-8785-cd843b797d64"

    with_hub(tmp_path, scenario)


def meituan_form(fields: dict[str, str], *, app_id: str, secret: str, url: str, timestamp: int) -> bytes:
    """A push as Meituan posts it: system fields added, signed over the plain values, free text such as
    ``reason`` URL-encoded a second time in the form body."""
    params = {**fields, "app_id": app_id, "timestamp": str(timestamp)}
    params["sig"] = meituan_sig(url, params, secret)
    return urlencode([(k, quote_plus(v) if k == "reason" else v) for k, v in params.items()]).encode()


def test_meituan_cancellation_as_meituan_sends_it_goes_to_the_store_holding_the_order(tmp_path: Path) -> None:
    import time

    fields = fixture("meituan/events/push_cancel_fields.json")

    async def scenario(hub: HubServer, sim: Simulator, client: httpx.AsyncClient) -> None:
        meituan: Any = sim.platforms["meituan"]
        order = sim.make_order("meituan")
        await meituan.deliver(order)  # the hub learns which store holds this order
        url = f"{sim.webhook_base}/meituan"
        form = {"Content-Type": "application/x-www-form-urlencoded"}
        sent = {**fields, "order_id": order["external_id"]}
        body = meituan_form(
            sent, app_id=meituan.app_id, secret=meituan.secret, url=url, timestamp=int(time.time())
        )
        assert b"reason=%25E7%2594%25A8" in body  # 用户… encoded twice, as Meituan sends free text
        resp = await client.post("/meituan", content=body, headers=form)
        assert (resp.status_code, resp.json()) == (200, {"data": "ok"})
        with_poi = {**sent, "reason_code": "1002", "app_poi_code": meituan.poi_code}
        body = meituan_form(
            with_poi, app_id=meituan.app_id, secret=meituan.secret, url=url, timestamp=int(time.time())
        )
        assert (await client.post("/meituan", content=body, headers=form)).status_code == 200
        kept = rows(hub, "SELECT body FROM hub_pushes WHERE platform = 'meituan' ORDER BY id")
        assert len(kept) == 3 and rows(hub, "SELECT count(*) FROM hub_quarantine")[0][0] == 0
        connector = registry.make("meituan")
        (event,) = connector.parse(bytes(kept[1][0]), content_type="application/x-www-form-urlencoded")
        assert isinstance(event, PlatformEvent) and event.kind is PlatformEventKind.CANCELLED
        assert (event.external_id, event.detail) == (order["external_id"], "用户取消：不想要了")
        assert rows(hub, "SELECT count(*) FROM hub_refusals")[0][0] == 0

    with_hub(tmp_path, scenario)
