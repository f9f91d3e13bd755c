"""The demo channel: the built-in simulator's canonical orders, fetched with httpx over loopback."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from posapp.connectors.base import Connector, Message, PushAction
from posapp.domain.order import order_from_canonical
from posapp.errors import PayloadError
from posapp.lazy import httpx  # imported on first use: posapp/lazy.py


class DemoConnector(Connector):
    """Polls ``GET /demo/orders?after=N`` on the simulator and pushes status to ``POST /demo/orders/{id}/status``."""

    name = "demo"
    display_name = "Demo"

    def __init__(self, *, base_url: str, app_id: str = "", secret: str = "") -> None:
        super().__init__(base_url=base_url, app_id=app_id, secret=secret)
        self.cursor = 0

    def parse(self, body: bytes, *, content_type: str | None = None) -> list[Message]:
        try:
            data = json.loads(body)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise PayloadError(f"not JSON: {exc}") from exc
        if not isinstance(data, dict):
            raise PayloadError("expected one order object")
        return [order_from_canonical(data, raw=data)]

    async def poll(self, client: httpx.AsyncClient) -> list[bytes]:
        resp = await client.get(f"{self.base_url}/orders", params={"after": self.cursor}, timeout=5.0)
        resp.raise_for_status()
        data = resp.json()
        self.cursor = int(data.get("cursor", self.cursor))
        return [json.dumps(o, ensure_ascii=False).encode() for o in data.get("orders", [])]

    async def push(self, client: httpx.AsyncClient, action: PushAction, payload: Mapping[str, Any]) -> None:
        if action in (PushAction.PAUSE, PushAction.RESUME):
            url, body = (
                f"{self.base_url}/store/status",
                {"action": action.value, "minutes": payload.get("minutes")},
            )
        elif action in (PushAction.SOLD_OUT, PushAction.IN_STOCK):
            url, body = (
                f"{self.base_url}/items/availability",
                {"action": action.value, "item": payload.get("item")},
            )
        else:
            url = f"{self.base_url}/orders/{payload['external_id']}/status"
            body = {"action": action.value, "reason": payload.get("reason")}
        resp = await client.post(url, json=body, timeout=5.0)
        resp.raise_for_status()
