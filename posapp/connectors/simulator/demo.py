"""The demo platform: canonical orders served for polling, status pushes recorded."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from posapp.connectors.simulator.base import PlatformSim


class DemoSim(PlatformSim):
    name = "demo"

    def __init__(self, sim: Any) -> None:
        super().__init__(sim)
        self.orders: list[dict[str, Any]] = []

    def add_routes(self, app: web.Application) -> None:
        app.router.add_get(f"{self.prefix}/orders", self._orders)
        app.router.add_post(f"{self.prefix}/orders/{{external_id}}/status", self._status)
        app.router.add_post(f"{self.prefix}/store/status", self._status)
        app.router.add_post(f"{self.prefix}/items/availability", self._status)

    async def deliver(self, order: dict[str, Any]) -> None:
        self.orders.append(order)

    async def _orders(self, request: web.Request) -> web.Response:
        after = int(request.query.get("after", "0"))
        return web.json_response({"orders": self.orders[after:], "cursor": len(self.orders)})

    async def _status(self, request: web.Request) -> web.Response:
        body = await request.json()
        if self.fail_next > 0:
            self.fail_next -= 1
            return web.json_response({"error": "simulated outage"}, status=503)
        self.record(request, body)
        return web.json_response({"ok": True})
