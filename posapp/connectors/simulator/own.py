"""Simulated own website: posts canonical orders signed with X-Posapp-Signature, receives status callbacks."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from typing import Any

from aiohttp import web

from posapp.connectors.simulator.base import PlatformSim


def _headers(secret: str, body: bytes, ts: int | None = None) -> dict[str, str]:
    stamp = str(int(time.time()) if ts is None else ts)
    mac = hmac.new(secret.encode(), stamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return {
        "X-Posapp-Timestamp": stamp,
        "X-Posapp-Signature": f"sha256={mac}",
        "Content-Type": "application/json",
    }


class OwnSim(PlatformSim):
    name = "own"
    secret = "demo-own-shared-secret"
    store_key = "demo-store"  # X-Posapp-Store: which store a hub gives the order to (a counter ignores it)

    def add_routes(self, app: web.Application) -> None:
        app.router.add_post(f"{self.prefix}/orders/{{external_id}}/status", self._status)

    def headers(self, body: bytes, ts: int | None = None) -> dict[str, str]:
        return {**_headers(self.secret, body, ts), "X-Posapp-Store": self.store_key}

    async def deliver(self, order: dict[str, Any]) -> None:
        order["external_id"] = f"WEB-{order['external_id'][3:]}"
        order["display_id"] = f"W{order['display_id']}"
        body = json.dumps(order, ensure_ascii=False).encode()
        self.last_sent = (body, self.headers(body))
        await self.post_webhook("/webhooks/own", content=body, headers=self.headers(body))

    async def cancel(self, external_id: str, reason: str = "customer cancelled on the website") -> None:
        body = json.dumps({"event": "order.cancelled", "external_id": external_id, "reason": reason}).encode()
        await self.post_webhook("/webhooks/own", content=body, headers=self.headers(body))

    async def _status(self, request: web.Request) -> web.Response:
        body = await request.read()
        ts = request.headers.get("X-Posapp-Timestamp", "")
        expected = _headers(self.secret, body, int(ts) if ts.isdigit() else 0)["X-Posapp-Signature"]
        if not hmac.compare_digest(request.headers.get("X-Posapp-Signature", ""), expected):
            return web.json_response({"error": "bad signature"}, status=401)
        if self.fail_next > 0:
            self.fail_next -= 1
            return web.json_response({"error": "simulated outage"}, status=503)
        self.record(request, json.loads(body))
        return web.json_response({"ok": True})
