"""``posapp --demo --hub`` and pairing: the engine links to a hub and takes the platforms' pushes from it."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import text

from posapp.config import Settings
from posapp.engine.engine import Engine, EngineOptions
from posapp.hub import stores
from posapp.hub.app import HubServer
from posapp.hub.sealing import Sealer, new_key
from posapp.services.relay import TOKEN_REF, pair_counter
from posapp.vault import get_secret
from tests.hub_support import eventually, run_async


def test_demo_with_hub_takes_every_webhook_order_through_the_relay_feed(tmp_path: Path) -> None:
    async def scenario() -> None:
        engine = Engine(
            EngineOptions(data_dir=tmp_path, demo=True, demo_hub=True, sim_prefill=8, sim_rate_per_minute=0)
        )
        await engine.open()
        try:
            await engine.serve()
            assert engine.relay is not None and engine.demo is not None
            hub = engine.demo.hub_server
            assert hub is not None

            def pushes() -> list[tuple[str, bool]]:
                with hub.engine.connect() as conn:
                    rows = conn.execute(text("SELECT platform, acked_at IS NOT NULL FROM hub_pushes")).all()
                return [(r[0], bool(r[1])) for r in rows]

            webhooks = {"meituan", "eleme", "ubereats", "doordash", "own"}
            expected = [o for o in engine.demo.simulator.orders if o["platform"] in webhooks]  # type: ignore[union-attr]

            async def all_in() -> bool:
                got = await asyncio.to_thread(pushes)
                return len(got) >= len(expected) and all(acked for _, acked in got)

            assert await eventually(all_in, timeout=30)
            assert engine.db is not None
            stored = engine.db.call(
                lambda s: {tuple(r) for r in s.execute(text("SELECT platform, external_id FROM orders"))}
            )
            assert {(o["platform"], o["external_id"]) for o in expected} <= stored
        finally:
            await engine.stop()

    run_async(scenario(), timeout=90)


def test_pairing_puts_the_token_in_the_keyring_and_the_hub_address_in_the_counter(tmp_path: Path) -> None:
    async def scenario() -> None:
        hub = HubServer(f"sqlite:///{tmp_path / 'hub.db'}", sealer=Sealer(new_key()))
        port = await hub.start()
        try:
            with hub.engine.begin() as conn:
                issued = stores.add(conn, "store-9", datetime.now(UTC))
            link = await pair_counter(f"http://127.0.0.1:{port}/", issued.code, data_dir=tmp_path / "counter")
            assert (link.url, link.store) == (f"http://127.0.0.1:{port}", "store-9")
            token = get_secret(TOKEN_REF)
            assert token and token != issued.token
            counter = Engine(
                EngineOptions(data_dir=tmp_path / "counter", settings=Settings(screens_port=0), listen=False)
            )
            await counter.open()
            try:
                await counter.serve()
                assert counter.relay is not None
                await asyncio.wait_for(counter.relay.connected.wait(), 10)
            finally:
                await counter.stop()
        finally:
            await hub.stop()
            hub.close()

    run_async(scenario(), timeout=60)
