"""The simulator's HTTP server (aiohttp) on an ephemeral loopback port.

It creates orders at a configurable rate, serves them to connectors, and records every push the app
sends back so tests can assert what the platform heard.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from aiohttp import web

from posapp.connectors.simulator.generator import OrderGenerator

log = logging.getLogger(__name__)


@dataclass
class RecordedPush:
    platform: str
    path: str
    body: Any
    at: datetime = field(default_factory=lambda: datetime.now(UTC))


class Simulator:
    """Start with ``await sim.start()``; ``sim.base_url`` is then ``http://127.0.0.1:PORT``."""

    def __init__(
        self, *, rate_per_minute: float = 0.0, seed: int | None = None, host: str = "127.0.0.1"
    ) -> None:
        self.rate_per_minute = rate_per_minute
        self.host = host
        self.port = 0
        self.generator = OrderGenerator(seed=seed)
        self.orders: list[dict[str, Any]] = []
        self.pushes: list[RecordedPush] = []
        self.fail_next_pushes = 0
        self._runner: web.AppRunner | None = None
        self._ticker: asyncio.Task[None] | None = None

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def make_app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/demo/orders", self._demo_orders)
        app.router.add_post("/demo/orders/{external_id}/status", self._demo_status)
        app.router.add_get("/_sim/pushes", self._list_pushes)
        app.router.add_post("/_sim/generate", self._generate)
        return app

    async def start(self) -> str:
        self._runner = web.AppRunner(self.make_app(), access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        server = site._server  # aiohttp exposes the bound port only through the asyncio server
        assert server is not None
        self.port = server.sockets[0].getsockname()[1]  # type: ignore[attr-defined]
        if self.rate_per_minute > 0:
            self._ticker = asyncio.get_running_loop().create_task(self._tick(), name="simulator-ticker")
        log.info("simulator listening on %s", self.base_url)
        return self.base_url

    async def stop(self) -> None:
        if self._ticker is not None:
            self._ticker.cancel()
            try:
                await self._ticker
            except asyncio.CancelledError:
                pass
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    def generate(self, n: int = 1) -> list[dict[str, Any]]:
        """Create ``n`` new orders now; returns them."""
        made = [self.generator.make() for _ in range(n)]
        self.orders.extend(made)
        return made

    def pushes_for(self, platform: str, external_id: str | None = None) -> list[RecordedPush]:
        return [
            p
            for p in self.pushes
            if p.platform == platform
            and (external_id is None or external_id in p.path or _mentions(p.body, external_id))
        ]

    async def _tick(self) -> None:
        interval = 60.0 / self.rate_per_minute
        while True:
            self.generate(1)
            await asyncio.sleep(interval * self.generator.rng.uniform(0.5, 1.5))

    async def _demo_orders(self, request: web.Request) -> web.Response:
        after = int(request.query.get("after", "0"))
        return web.json_response({"orders": self.orders[after:], "cursor": len(self.orders)})

    async def _demo_status(self, request: web.Request) -> web.Response:
        body = await request.json()
        if self.fail_next_pushes > 0:
            self.fail_next_pushes -= 1
            return web.json_response({"error": "simulated outage"}, status=503)
        self.pushes.append(RecordedPush("demo", request.path, body))
        return web.json_response({"ok": True})

    async def _list_pushes(self, request: web.Request) -> web.Response:
        return web.json_response(
            [{"platform": p.platform, "path": p.path, "body": p.body} for p in self.pushes]
        )

    async def _generate(self, request: web.Request) -> web.Response:
        n = int(request.query.get("n", "1"))
        return web.json_response({"orders": self.generate(n)})


def _mentions(body: Any, external_id: str) -> bool:
    return external_id in repr(body)
