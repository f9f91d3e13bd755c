"""Demo wiring: the platform simulator, file printers and a local head office — imported only with ``--demo``."""

from __future__ import annotations

import asyncio
import dataclasses
import secrets
from typing import TYPE_CHECKING, Any

from posapp.config import PrinterSettings, Settings, SyncSettings
from posapp.connectors import registry
from posapp.connectors.base import Connector
from posapp.connectors.simulator import SIM_PLATFORMS, Simulator
from posapp.services.upload import TokenSource

if TYPE_CHECKING:
    from posapp.engine.engine import Engine
    from posapp.hq.receiver import Receiver
    from posapp.hub.app import HubServer

DEMO_STORE = "demo-store"


class Demo:
    """What ``--demo`` adds to an engine: no accounts, no hardware, every platform simulated on loopback."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.simulator: Simulator | None = None
        self.hq: Receiver | None = None
        self.hub_server: HubServer | None = None

    async def connectors(self) -> list[Connector]:
        """One connector per simulated platform, with the simulator's demo credentials."""
        options = self.engine.options
        self.simulator = Simulator(
            platforms=options.sim_platforms or tuple(SIM_PLATFORMS),
            rate_per_minute=options.sim_rate_per_minute,
        )
        await self.simulator.start()
        connectors = []
        for name, plat in self.simulator.platforms.items():
            connector = registry.make(
                name, base_url=self.simulator.url_for(name), app_id=plat.app_id, secret=plat.secret
            )
            if name == "ubereats":  # Uber Eats' Reporting API asks for the store's id (payouts fetch)
                connector.store_id = plat.store_id  # type: ignore[attr-defined]
            connectors.append(connector)
        return connectors

    async def head_office(self, sync: SyncSettings) -> tuple[SyncSettings, TokenSource]:
        """A reference receiver on a loopback port, with a token made for this run."""
        from posapp.hq.receiver import Receiver

        token = secrets.token_urlsafe(24)
        url = f"sqlite:///{self.engine.data_dir / 'hq-demo.db'}"
        hq = await asyncio.to_thread(Receiver, url, token)
        await hq.start("127.0.0.1", 0)
        self.hq = hq
        store_id = sync.store_id or "demo-store"
        sync = dataclasses.replace(sync, enabled=True, endpoint=hq.url, store_id=store_id)
        return sync, lambda: token

    async def hub(self) -> tuple[str, str]:
        """``--demo --hub``: a local hub takes every simulated platform's pushes and relays them to this engine
        (the path a counter behind a router uses); returns the hub's address and this store's token."""
        from posapp.hub.app import HubServer
        from posapp.hub.sealing import Sealer, new_key

        sealer = Sealer(new_key())  # this run only: the demo hub's secrets need no keyring
        url = f"sqlite:///{self.engine.data_dir / 'hub-demo.db'}"
        server = await asyncio.to_thread(HubServer, url, sealer=sealer)
        port = await server.start("127.0.0.1", 0)
        self.hub_server = server
        token = await server.run(lambda conn: self._demo_store(conn, sealer))
        hub_url = f"http://127.0.0.1:{port}"
        if self.simulator is not None:
            self.simulator.webhook_base = hub_url  # the platforms now push to head office, not to the counter
        return hub_url, token

    def _demo_store(self, conn: Any, sealer: Any) -> str:
        from datetime import UTC, datetime

        from posapp.hub import stores

        now = datetime.now(UTC)
        issued = stores.new_pairing(conn, DEMO_STORE, now) or stores.add(conn, DEMO_STORE, now)
        store = stores.by_name(conn, DEMO_STORE)
        assert store is not None and self.simulator is not None
        keys = {
            "meituan": "poi_code",
            "eleme": "shop_id",
            "ubereats": "store_id",
            "doordash": "store_id",
            "own": "store_key",
        }
        for name, plat in self.simulator.platforms.items():
            if name in keys:
                stores.set_platform(
                    conn,
                    store.id,
                    name,
                    str(getattr(plat, keys[name])),
                    app_id=plat.app_id,
                    secret_sealed=sealer.seal(plat.secret),
                    options={},
                )
        return issued.token

    def printer_settings(self) -> Settings:
        """The demo prints to files in its data dir, so tickets and receipts can be read without hardware."""
        settings = self.engine.settings
        if settings.printers:
            return settings
        out = self.engine.data_dir / "printed"
        out.mkdir(exist_ok=True)
        return dataclasses.replace(
            settings,
            printers=(
                PrinterSettings("kitchen", f"file:{out / 'kitchen.bin'}", role="kitchen", encoding="gb18030"),
                PrinterSettings("counter", f"file:{out / 'counter.bin'}", role="counter", encoding="gb18030"),
            ),
        )

    def listening_on(self, port: int) -> None:
        if self.simulator is not None:
            self.simulator.webhook_base = f"http://127.0.0.1:{port}"

    async def run(self) -> None:
        """The first orders at once, then a steady trickle."""
        if self.simulator is not None:
            await self.simulator.emit(n=self.engine.options.sim_prefill)
            self.simulator.start_ticking()

    async def stop_head_office(self) -> None:
        if self.hub_server is not None:
            await self.hub_server.stop()
            await asyncio.to_thread(self.hub_server.close)
            self.hub_server = None
        if self.hq is not None:
            await self.hq.stop()
            await asyncio.to_thread(self.hq.close)
            self.hq = None

    async def stop(self) -> None:
        if self.simulator is not None:
            await self.simulator.stop()
