"""Uber Eats payout reports fetched through the head-office hub, over loopback on a real PostgreSQL: the
counter (the real engine, no listener of its own) asks Uber's Reporting API; Uber's signed report webhook,
which names no store (developer.uber.com/docs/eats/references/api/webhooks.eats-report-success), goes to the
hub, which proves it by the stores' Uber Eats secrets and relays it; the counter imports it as from its own
listener. A forged one is refused at the hub and relayed to nobody."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import func, select, text

from posapp.config import load_settings
from posapp.connectors.simulator import Simulator
from posapp.domain.payouts import Outcome
from posapp.engine.engine import Engine, EngineOptions
from posapp.hub import stores
from posapp.hub.app import HubServer
from posapp.hub.sealing import Sealer, new_key
from posapp.store.tables import OrderRow, PayoutImportRow
from posapp.vault import set_secret
from tests.hub_support import database, eventually, run_async
from tests.webhook.signing import _hmac_hex


def rows(hub: HubServer, sql: str) -> list[Any]:
    with hub.engine.connect() as conn:
        return list(conn.execute(text(sql)))


def add_store(hub: HubServer, name: str, store_key: str, secret: str) -> str:
    assert hub.sealer is not None
    with hub.engine.begin() as conn:
        issued = stores.add(conn, name, datetime.now(UTC))
        store = stores.by_name(conn, name)
        assert store is not None
        sealed = hub.sealer.seal(secret)
        stores.set_platform(
            conn, store.id, "ubereats", store_key, app_id="", secret_sealed=sealed, options={}
        )
    return issued.token


def counter_config(tmp: Path, sim: Simulator, hub_url: str, token: str) -> Path:
    plat: Any = sim.platforms["ubereats"]
    set_secret("platform.ubereats.hubtest", plat.secret)
    set_secret("hub.token.hubtest", token)
    config = tmp / "posapp.toml"
    config.write_text(
        f"""
[store]
currency = "USD"
timezone = "UTC"

[platforms.ubereats]
enabled = true
base_url = "{sim.url_for("ubereats")}"
app_id = "{plat.app_id}"
secret_ref = "platform.ubereats.hubtest"
store_id = "{plat.store_id}"

[hub]
url = "{hub_url}"
token_ref = "hub.token.hubtest"
""",
        encoding="utf-8",
    )
    return config


def test_a_payout_report_fetched_through_the_hub_completes_and_a_forged_one_is_refused(
    tmp_path: Path,
) -> None:
    async def scenario(url: str) -> None:
        hub = HubServer(url, sealer=Sealer(new_key()))
        port = await hub.start()
        hub_url = f"http://127.0.0.1:{port}"
        sim = Simulator(platforms=("ubereats",), seed=17)
        await sim.start()
        sim.webhook_base = hub_url  # Uber pushes to head office, never to the counter
        plat: Any = sim.platforms["ubereats"]
        token = add_store(hub, "downtown", plat.store_id, plat.secret)
        add_store(hub, "harbour", "uber-store-of-harbour", plat.secret)  # the chain's same Uber app
        add_store(hub, "elsewhere", "uber-store-of-another-app", "another-apps-secret")
        config = counter_config(tmp_path, sim, hub_url, token)
        engine = Engine(
            EngineOptions(data_dir=tmp_path / "counter", settings=load_settings(config), listen=False)
        )
        await engine.open()
        try:
            await engine.serve()
            assert engine.relay is not None and engine.db is not None and engine.payout_fetch is not None
            await asyncio.wait_for(engine.relay.connected.wait(), 10)
            db = engine.db
            await sim.emit("ubereats", 3)

            async def orders_in() -> bool:
                n = await asyncio.to_thread(
                    db.call, lambda s: s.scalar(select(func.count()).select_from(OrderRow))
                )
                return n == 3

            assert await eventually(orders_in, timeout=30)
            placed = sorted(date.fromisoformat(str(o["placed_at"])[:10]) for o in plat.orders.values())
            result = await engine.payout_fetch.fetch(
                "ubereats", placed[0], placed[-1], by="manager:alice", currency="USD", timeout=20
            )
            outcomes = sorted(line.outcome for line in result.reconciliation.lines)
            assert outcomes == sorted([Outcome.PAID, Outcome.PAID, Outcome.SHORT, Outcome.UNKNOWN])
            # Kept for both stores of the Uber app that signed it, none for the other app's store.
            kept = rows(
                hub,
                "SELECT s.name FROM hub_pushes p JOIN hub_stores s ON s.id = p.store_id "
                "WHERE p.body LIKE '%eats.report.success%' ORDER BY s.name",
            )
            assert [r[0] for r in kept] == ["downtown", "harbour"]
            assert rows(hub, "SELECT count(*) FROM hub_quarantine")[0][0] == 0

            async def acked() -> bool:
                got = await asyncio.to_thread(
                    rows,
                    hub,
                    "SELECT p.acked_at IS NOT NULL FROM hub_pushes p JOIN hub_stores s ON s.id = p.store_id "
                    "WHERE s.name = 'downtown' AND p.body LIKE '%eats.report.success%'",
                )
                return got == [(True,)]

            assert await eventually(acked, timeout=10)  # the counter committed the import, then acknowledged

            # A forged report webhook (the right shape, a wrong signature) is refused at the hub: 401, on the
            # office page's refusals, relayed to no store, nothing imported.
            pushes = rows(hub, "SELECT count(*) FROM hub_pushes")[0][0]
            forged = json.dumps(
                {
                    "event_id": "forged-1",
                    "event_type": "eats.report.success",
                    "job_id": "forged-job",
                    "report_type": "PAYMENT_DETAILS_REPORT",
                    "report_metadata": {"sections": [{"download_url": "http://127.0.0.1:9/a.csv"}]},
                }
            ).encode()
            async with httpx.AsyncClient(base_url=hub_url, timeout=5) as client:
                resp = await client.post(
                    "/webhooks/ubereats",
                    content=forged,
                    headers={"X-Uber-Signature": _hmac_hex("not-ubers-secret", forged)},
                )
                assert resp.status_code == 401
                # Signed by the app but unreadable (no sections): kept at the hub with its reason, not relayed.
                bad = json.dumps({"event_id": "bad-1", "event_type": "eats.report.success", "job_id": "j"})
                signed = {"X-Uber-Signature": _hmac_hex(plat.secret, bad.encode())}
                resp = await client.post("/webhooks/ubereats", content=bad.encode(), headers=signed)
                assert resp.status_code == 200
            assert rows(hub, "SELECT count(*) FROM hub_pushes")[0][0] == pushes
            refused = rows(hub, "SELECT status, reason FROM hub_refusals WHERE platform = 'ubereats'")
            assert refused == [(401, "report webhook: no store's secret matches its signature")]
            held = [r[0] for r in rows(hub, "SELECT reason FROM hub_quarantine ORDER BY id")]
            assert (
                held == ["PayloadError: Uber Eats eats.report.success without report_metadata.sections"] * 2
            )
            imports = db.call(lambda s: s.scalar(select(func.count()).select_from(PayoutImportRow)))
            assert imports == 1
        finally:
            await engine.stop()
            await sim.stop()
            await hub.stop()
            hub.close()

    with database("postgresql", tmp_path) as url:
        run_async(scenario(url), timeout=120)
