"""Simulated DoorDash Marketplace: OrderCreate webhooks with the auth token, and the merchant API calls."""

from __future__ import annotations

import base64
import json
import uuid
from datetime import datetime, timedelta
from typing import Any

import jwt
from aiohttp import web
from jwt.utils import base64url_decode

from posapp.connectors.simulator.base import PlatformSim

TAX_RATE_PER_MILLE = 89


class DoorDashSim(PlatformSim):
    name = "doordash"
    developer_id = "demo-developer"
    key_id = "demo-key"
    app_id = "demo-developer:demo-key"
    # The Developer Portal hands out a base64url signing secret (JWT guide).
    secret = base64.urlsafe_b64encode(b"posapp-demo-doordash-signing-secret").rstrip(b"=").decode()
    store_id = "601135"

    def __init__(self, sim: Any) -> None:
        super().__init__(sim)
        self.orders: dict[str, dict[str, Any]] = {}

    def add_routes(self, app: web.Application) -> None:
        p = self.prefix
        app.router.add_patch(f"{p}/api/v1/orders/{{order_id}}", self._confirm)
        app.router.add_patch(f"{p}/api/v1/orders/{{order_id}}/events/{{event_type}}", self._event)
        app.router.add_patch(f"{p}/api/v1/orders/{{order_id}}/cancellation", self._cancel)
        app.router.add_put(f"{p}/api/v1/stores/{{store_id}}/items/status", self._items)
        app.router.add_put(f"{p}/api/v1/stores/{{store_id}}/status", self._store)
        app.router.add_get(f"{p}/api/v1/stores/{{store_id}}/store_details", self._store_details)

    async def _store_details(self, request: web.Request) -> web.Response:
        if not self._authorised(request):
            return web.json_response({"message": "Request is unauthenticated"}, status=401)
        if request.match_info["store_id"] != self.store_id:
            return web.json_response({"message": "Store not found"}, status=404)
        return web.json_response({"merchant_supplied_id": self.store_id, "name": "posapp demo kitchen"})

    def to_doordash(self, order: dict[str, Any]) -> dict[str, Any]:
        totals = order["totals"]
        tax = totals["subtotal"] * TAX_RATE_PER_MILLE // 1000
        tip = 300 if order["fulfillment"] == "delivery" else 0
        # DoorDash sends no packaging fee or discount line: fold them into the item subtotal it reports.
        totals.update(
            tax=tax, tip=tip, packaging_fee=0, discount=0, delivery_fee=0, commission=None, payout=None
        )
        totals["total"] = totals["subtotal"] + tax + tip
        dd_id = str(uuid.uuid4())
        order["external_id"] = dd_id
        order["display_id"] = dd_id[:6].upper()
        first, _, last = (order["customer"]["name"] or "Customer").partition(" ")
        categories: dict[str, list[dict[str, Any]]] = {}
        for it in order["items"]:
            categories.setdefault(it.get("category") or "Menu", []).append(
                {
                    "name": it["name"],
                    "merchant_supplied_id": it["sku"],
                    "price": it["unit_price"],
                    "quantity": it["quantity"],
                    "special_instructions": it.get("note") or "",
                    "line_item_id": str(uuid.uuid4()),
                    "extras": [
                        {
                            "name": "Options",
                            "merchant_supplied_id": "OPTIONS",
                            "options": [
                                {
                                    "name": m["name"],
                                    "merchant_supplied_id": m["name"].upper().replace(" ", "_"),
                                    "price": m["unit_price"],
                                    "quantity": m["quantity"],
                                    "extras": [],
                                }
                                for m in it["modifiers"]
                            ],
                        }
                    ]
                    if it["modifiers"]
                    else [],
                }
            )
        return {
            "id": dd_id,
            "consumer": {"id": 42298631, "first_name": first, "last_name": last[:1], "phone": "+18559731040"},
            "store": {"merchant_supplied_id": self.store_id, "provider_type": "posapp"},
            "subtotal": totals["subtotal"],
            "tax": tax,
            "estimated_pickup_time": order.get("due_at")
            or (datetime.fromisoformat(order["placed_at"]) + timedelta(minutes=20)).isoformat(),
            "is_pickup": order["fulfillment"] == "pickup",
            "categories": [
                {"name": name, "merchant_supplied_id": name.upper(), "items": items}
                for name, items in categories.items()
            ],
            "is_tax_remitted_by_doordash": True,
            "tax_amount_remitted_by_doordash": tax,
            "commission_type": "regular",
            "delivery_short_code": order["display_id"],
            "fulfillment_type": "pickup" if order["fulfillment"] == "pickup" else "dx_delivery",
            "merchant_tip_amount": tip,
            "experience": "DOORDASH",
            "is_plastic_ware_option_selected": False,
            "order_special_instructions": order.get("notes") or "",
            "tip_amount": 0,
        }

    def auth_headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.secret}", "Content-Type": "application/json"}

    async def deliver(self, order: dict[str, Any]) -> None:
        body = self.to_doordash(order)
        self.orders[body["id"]] = {"order": body, "state": "NEW"}
        payload = json.dumps(
            {
                "event": {"type": "OrderCreate", "status": "NEW", "created_at": order["placed_at"]},
                "order": body,
            }
        ).encode()
        self.last_sent = (payload, self.auth_headers())
        await self.post_webhook("/webhooks/doordash", content=payload, headers=self.auth_headers())

    async def cancel(self, external_id: str, reason: str = "CONSUMER_CANCELLED") -> None:
        payload = json.dumps(
            {"event": {"type": "OrderCancel", "cancel_reason": reason}, "order": {"id": external_id}}
        ).encode()
        await self.post_webhook("/webhooks/doordash", content=payload, headers=self.auth_headers())

    # -- API --------------------------------------------------------------------------------------
    def _authorised(self, request: web.Request) -> bool:
        """Check the app's DD-JWT-V1 bearer token as DoorDash would (JWT guide), with PyJWT: HS256 under the
        decoded signing secret, the "dd-ver" header, aud, iss, kid, iat and exp."""
        auth = request.headers.get("Authorization", "")
        if not auth.startswith("Bearer "):
            return False
        token = auth[7:]
        try:
            header = jwt.get_unverified_header(token)
            claims = jwt.decode(
                token,
                base64url_decode(self.secret),
                algorithms=["HS256"],
                audience="doordash",
                issuer=self.developer_id,
                options={"require": ["exp", "iat", "aud", "iss", "kid"]},
            )
        except (jwt.PyJWTError, ValueError, TypeError):
            return False
        return header.get("dd-ver") == "DD-JWT-V1" and claims.get("kid") == self.key_id

    async def _guard(self, request: web.Request) -> web.Response | None:
        if not self._authorised(request):
            return web.json_response({"message": "Request is unauthenticated"}, status=401)
        if self.fail_next > 0:
            self.fail_next -= 1
            return web.json_response({"message": "Internal Server Error"}, status=500)
        return None

    async def _confirm(self, request: web.Request) -> web.Response:
        if (refused := await self._guard(request)) is not None:
            return refused
        order = self.orders.get(request.match_info["order_id"])
        if order is None:
            return web.json_response({"message": "Order with provided ID does not exist"}, status=404)
        body = await request.json()
        if order["state"] != "NEW" or body.get("order_status") not in {"success", "fail"}:
            return web.json_response(
                {"message": "Order has already been processed or order has expired"}, status=400
            )
        if "prep_time" in body and not _utc_time(body["prep_time"]):  # Confirm Order: prep_time in UTC
            return web.json_response({"message": "prep_time must be a UTC date-time"}, status=400)
        order["state"] = "CONFIRMED" if body["order_status"] == "success" else "FAILED"
        self.record(request, body)
        return web.json_response({}, status=202)

    async def _event(self, request: web.Request) -> web.Response:
        if (refused := await self._guard(request)) is not None:
            return refused
        if request.match_info["event_type"] != "order_ready_for_pickup":
            return web.json_response({"message": "unsupported event type"}, status=400)
        if request.match_info["order_id"] not in self.orders:
            return web.json_response({"message": "Order with provided ID does not exist"}, status=404)
        self.record(request, await request.json())
        return web.json_response({}, status=202)

    async def _cancel(self, request: web.Request) -> web.Response:
        if (refused := await self._guard(request)) is not None:
            return refused
        order = self.orders.get(request.match_info["order_id"])
        if order is None:
            return web.json_response({"message": "Order with provided ID does not exist"}, status=404)
        order["state"] = "CANCELLED"
        self.record(request, await request.json())
        return web.json_response({}, status=202)

    async def _items(self, request: web.Request) -> web.Response:
        if (refused := await self._guard(request)) is not None:
            return refused
        self.record(request, await request.json())
        return web.json_response({})

    async def _store(self, request: web.Request) -> web.Response:
        if (refused := await self._guard(request)) is not None:
            return refused
        body = await request.json()
        if body.get("is_active") is False and not body.get("reason"):
            return web.json_response({"message": "reason is required"}, status=400)
        self.record(request, body)
        return web.json_response({})


def _utc_time(value: Any) -> bool:
    """A date-time ending in Z (Confirm Order's ``prep_time`` "should be in UTC timezone")."""
    if not isinstance(value, str) or not value.endswith("Z"):
        return False
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True
