"""The simulator's HTTP server (aiohttp) on an ephemeral loopback port, hosting every simulated platform.

It creates orders at a configurable rate, delivers each in its platform's own format (signed webhook to
the app's listener, or a poll queue), and records every API call the app makes back, so tests can assert
what each platform heard.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Iterable
from typing import Any

from aiohttp import web

from posapp.connectors.simulator.base import PlatformSim, RecordedPush
from posapp.connectors.simulator.demo import DemoSim
from posapp.connectors.simulator.doordash import DoorDashSim
from posapp.connectors.simulator.eleme import ElemeSim
from posapp.connectors.simulator.generator import OrderGenerator
from posapp.connectors.simulator.meituan import MeituanSim
from posapp.connectors.simulator.own import OwnSim
from posapp.connectors.simulator.ubereats import UberEatsSim

log = logging.getLogger(__name__)

# Every simulated platform by name; connector work adds its own here.
SIM_PLATFORMS: dict[str, type[PlatformSim]] = {"demo": DemoSim}
SIM_PLATFORMS["meituan"] = MeituanSim
SIM_PLATFORMS["eleme"] = ElemeSim
SIM_PLATFORMS["ubereats"] = UberEatsSim
SIM_PLATFORMS["doordash"] = DoorDashSim
SIM_PLATFORMS["own"] = OwnSim

# Currency and order-number style per platform, so generated orders look like that platform's.
PLATFORM_CURRENCY = {"meituan": "CNY", "eleme": "CNY", "ubereats": "USD", "doordash": "USD", "own": "CNY"}
PLATFORM_ENGLISH = {"ubereats": 1.0, "doordash": 1.0}


class Simulator:
    """Start with ``await sim.start()``; ``sim.url_for(name)`` is then that platform's API base URL."""

    def __init__(
        self,
        *,
        platforms: Iterable[str] = ("demo",),
        rate_per_minute: float = 0.0,
        seed: int | None = None,
        host: str = "127.0.0.1",
    ) -> None:
        self.rate_per_minute = rate_per_minute
        self.host = host
        self.port = 0
        self.rng = random.Random(seed)
        self.platforms: dict[str, PlatformSim] = {name: SIM_PLATFORMS[name](self) for name in platforms}
        self.generators = {
            name: OrderGenerator(
                seed=self.rng.randrange(1 << 30),
                platform=name,
                currency=PLATFORM_CURRENCY.get(name, "CNY"),
                english_share=PLATFORM_ENGLISH.get(name, 0.3),
            )
            for name in self.platforms
        }
        self.orders: list[dict[str, Any]] = []
        self.pushes: list[RecordedPush] = []
        self.webhook_base: str | None = None  # the app's listener, e.g. http://127.0.0.1:8787
        self._runner: web.AppRunner | None = None
        self._ticker: asyncio.Task[None] | None = None

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def url_for(self, platform: str) -> str:
        return f"{self.base_url}{self.platforms[platform].prefix}"

    def make_app(self) -> web.Application:
        app = web.Application()
        for plat in self.platforms.values():
            plat.add_routes(app)
        app.router.add_get("/_sim/pushes", self._list_pushes)
        return app

    async def start(self) -> str:
        self._runner = web.AppRunner(self.make_app(), access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        server = site._server  # aiohttp exposes the bound port only through the asyncio server
        assert server is not None
        self.port = server.sockets[0].getsockname()[1]  # type: ignore[attr-defined]
        log.info("simulator listening on %s", self.base_url)
        return self.base_url

    def start_ticking(self) -> None:
        if self.rate_per_minute > 0 and self._ticker is None:
            self._ticker = asyncio.get_running_loop().create_task(self._tick(), name="simulator-ticker")

    async def stop(self) -> None:
        if self._ticker is not None:
            self._ticker.cancel()
            try:
                await self._ticker
            except asyncio.CancelledError:
                pass
            self._ticker = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    def make_order(self, platform: str | None = None) -> dict[str, Any]:
        name = platform or self.rng.choice(sorted(self.platforms))
        order = self.generators[name].make()
        self.orders.append(order)
        return order

    async def emit(self, platform: str | None = None, n: int = 1) -> list[dict[str, Any]]:
        """Create ``n`` orders and deliver each through its platform; returns the canonical orders."""
        made = []
        for _ in range(n):
            order = self.make_order(platform)
            try:
                await self.platforms[order["platform"]].deliver(order)
            except Exception as exc:  # the app may be down: a real platform would retry later
                log.warning("simulator could not deliver %s: %s", order["external_id"], exc)
            made.append(order)
        return made

    def pushes_for(self, platform: str, external_id: str | None = None) -> list[RecordedPush]:
        return [
            p
            for p in self.pushes
            if p.platform == platform
            and (external_id is None or external_id in p.path or external_id in repr(p.body))
        ]

    async def _tick(self) -> None:
        interval = 60.0 / self.rate_per_minute
        while True:
            await self.emit()
            await asyncio.sleep(interval * self.rng.uniform(0.5, 1.5))

    async def _list_pushes(self, request: web.Request) -> web.Response:
        return web.json_response(
            [{"platform": p.platform, "path": p.path, "body": p.body} for p in self.pushes]
        )
