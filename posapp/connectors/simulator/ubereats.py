"""Simulated Uber Eats: signed ``orders.notification`` webhooks, OAuth token, Get Order Details v2, pushes, and
the Reporting API (Request Report, the signed ``eats.report.success`` / ``.failure`` webhook, the CSV behind
its pre-signed link; sources in posapp/connectors/ubereats_reports.py)."""

from __future__ import annotations

import asyncio
import csv
import hashlib
import hmac
import io
import json
import secrets
import time
import uuid
from datetime import date, datetime
from typing import Any

from aiohttp import web

from posapp.connectors.simulator import menus
from posapp.connectors.simulator.base import PlatformSim

TAX_RATE_PER_MILLE = 89  # ~8.875 % US sales tax, rounded per order
FEE_PERCENT = (
    30  # Uber's marketplace fee on the food sales, as Get Order Details' marketplace_fee_due_to_uber
)
# Request Report's report_type values (developer.uber.com/docs/eats/references/api/v1/post-eats-report).
REPORT_TYPES = {
    "PAYMENT_DETAILS_REPORT",
    "ORDER_ERRORS_MENU_ITEM_REPORT",
    "ORDER_ERRORS_TRANSACTION_REPORT",
    "ORDER_HISTORY_REPORT",
    "DOWNTIME_REPORT",
    "CUSTOMER_AND_DELIVERY_FEEDBACK_REPORT",
    "MENU_ITEM_FEEDBACK_REPORT",
    "BILLING_DETAILS_REPORT",
    "ORDERS_AND_ITEMS_REPORT",
    "FINANCE_SUMMARY_REPORT",
}
# The Payment Details Report columns posapp's parser reads (tests/fixtures/ubereats/statements/*.source).
REPORT_COLUMNS = [
    "Order ID",
    "Store Name",
    "Store ID",
    "Order Date / Refund Date",
    "Food sales (VAT included)",
    "Total order (VAT included)",
    "Uber Total Service Fee",
    "Payment",
    "Order Status",
]
UNKNOWN_ORDER = "0b5e4a1c-9d3f-4e7a-8c21-5f0d6e7a9b10"  # on the report, never sent to the app


def _dollars(cents: int) -> str:
    return f"{'-' if cents < 0 else ''}{abs(cents) // 100}.{abs(cents) % 100:02d}"


def _money(cents: int, currency: str) -> dict[str, Any]:
    return {"amount": cents, "currency_code": currency, "formatted_amount": f"${cents / 100:.2f}"}


class UberEatsSim(PlatformSim):
    name = "ubereats"
    app_id = "demo-uber-client-id"
    secret = "demo-uber-client-secret"
    store_id = "c7f1dc2f-fabe-4997-845c-cad26fdcb894"

    def __init__(self, sim: Any) -> None:
        super().__init__(sim)
        self.orders: dict[str, dict[str, Any]] = {}  # Uber order id -> Get Order Details body
        self.tokens: set[str] = set()
        self.scopes: dict[str, tuple[str, ...]] = {}  # token -> the scopes it was granted
        self.tokens_issued = 0
        # Reporting API: how long a report takes, and tests' knobs for what it holds or how it ends.
        self.report_takes = 0.05  # seconds between Request Report's answer and the webhook
        self.report_short_by = 150  # the first completed order is paid this much short (minor units)
        self.report_unknown = True  # one line for an order the app never received
        self.report_fails: str | None = None  # send eats.report.failure with this message instead
        self.report_requests: list[dict[str, Any]] = []
        self.report_files: dict[str, bytes] = {}  # the pre-signed links' tokens -> the CSV
        self._report_tasks: set[asyncio.Task[None]] = set()

    def add_routes(self, app: web.Application) -> None:
        p = self.prefix
        app.router.add_post(f"{p}/oauth/v2/token", self._token)
        app.router.add_get(f"{p}/v2/eats/order/{{order_id}}", self._order)
        app.router.add_post(f"{p}/v1/eats/orders/{{order_id}}/{{verb}}", self._order_action)
        app.router.add_post(f"{p}/v1/delivery/order/{{order_id}}/{{verb}}", self._order_action)
        app.router.add_post(f"{p}/v2/eats/stores/{{store_id}}/menus/items/{{item_id}}", self._item)
        app.router.add_post(f"{p}/v1/eats/store/{{store_id}}/status", self._store_status)
        app.router.add_get(f"{p}/v1/eats/stores/{{store_id}}", self._store_details)
        app.router.add_get(f"{p}/v2/eats/stores/{{store_id}}/menus", self._menus)
        app.router.add_get(f"{p}/v1/eats/stores/{{store_id}}/created-orders", self._created_orders)
        app.router.add_post(f"{p}/v1/eats/report", self._request_report)
        app.router.add_get(f"{p}/reports/{{token}}.csv", self._report_file)

    # -- Reporting API ------------------------------------------------------------------------------
    async def _request_report(self, request: web.Request) -> web.Response:
        """Request Report: scope eats.report; answers a workflow_id, then the report's webhook follows."""
        if not self._authorised(request, "eats.report"):
            return web.json_response({"code": "unauthorized"}, status=401)
        if self._failing():
            return web.json_response({"code": "service_unavailable"}, status=503)
        try:
            body = await request.json()
            start = date.fromisoformat(str(body["start_date"])[:10])
            end = date.fromisoformat(str(body["end_date"])[:10])
        except (ValueError, KeyError, TypeError):
            return web.json_response({"code": "invalid_request", "message": "invalid dates"}, status=400)
        if body.get("report_type") not in REPORT_TYPES:
            return web.json_response(
                {"code": "invalid_request", "message": "unknown report_type"}, status=400
            )
        if self.store_id not in (body.get("store_uuids") or []):
            return web.json_response({"code": "forbidden", "message": "store not authorized"}, status=403)
        if end < start or (end - start).days + 1 > 30:
            return web.json_response(
                {"code": "precondition_failed", "message": "date range exceeds 30 days"}, status=414
            )
        self.record(request, body)
        self.report_requests.append(body)
        workflow = str(uuid.uuid4())
        task = asyncio.get_running_loop().create_task(self._finish_report(workflow, body, start, end))
        self._report_tasks.add(task)
        task.add_done_callback(self._report_tasks.discard)
        return web.json_response({"workflow_id": workflow})

    async def _finish_report(self, workflow: str, body: dict[str, Any], start: date, end: date) -> None:
        await asyncio.sleep(self.report_takes)
        # Uber's event structure for report webhooks: no store (webhooks.eats-report-success), as a report
        # may cover many; a hub tells the stores by the signature (posapp/hub/webhooks.py REPORT_EVENTS).
        event: dict[str, Any] = {
            "event_id": str(uuid.uuid4()),
            "event_time": int(time.time()),
            "job_id": workflow,
            "report_type": body["report_type"],
        }
        if self.report_fails is not None:
            event.update(event_type="eats.report.failure", message=self.report_fails)
        else:
            token = secrets.token_urlsafe(16)
            self.report_files[token] = self.payment_details(start, end)
            url = f"{self.sim.url_for(self.name)}/reports/{token}.csv"
            event.update(
                event_type="eats.report.success",
                report_metadata={
                    "sections": [
                        {"section_id": "payment_details", "download_url": url, "content_type": "csv"}
                    ]
                },
            )
        payload = json.dumps(event).encode()
        self.last_sent = (payload, self._sign(payload))
        await self.post_webhook("/webhooks/ubereats", content=payload, headers=self._sign(payload))

    async def _report_file(self, request: web.Request) -> web.Response:
        """The pre-signed link: no token of the app's, the link's own token is the right to read it."""
        data = self.report_files.get(request.match_info["token"])
        if data is None:
            return web.Response(status=403, text="Request has expired")  # as a pre-signed link answers
        return web.Response(body=data, content_type="text/csv")

    def payment_details(self, start: date, end: date) -> bytes:
        """The Payment Details Report of the orders sent on ``start``..``end``: each paid its total less
        Uber's fee, the first completed one ``report_short_by`` short, plus one order the app never got."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(REPORT_COLUMNS)
        short = self.report_short_by
        sent = sorted(self.orders.values(), key=lambda o: str(o["placed_at"]))
        for order in sent:
            day = str(order["placed_at"])[:10]
            if not start.isoformat() <= day <= end.isoformat():
                continue
            charges = order["payment"]["charges"]
            food, total = charges["sub_total"]["amount"], charges["total"]["amount"]
            fee = charges["marketplace_fee_due_to_uber"]["amount"]
            status = "Canceled" if order["current_state"] in ("CANCELED", "DENIED") else "Completed"
            paid = 0 if status == "Canceled" else total - fee
            if status == "Completed" and short:
                paid, short = paid - short, 0
            writer.writerow(
                [order["id"], "posapp demo kitchen", self.store_id, day, _dollars(food), _dollars(total),
                 _dollars(fee), _dollars(paid), status]
            )  # fmt: skip
        if self.report_unknown:
            writer.writerow(
                [UNKNOWN_ORDER, "posapp demo kitchen", self.store_id, start.isoformat(), "12.00", "13.07",
                 "3.60", "9.47", "Completed"]
            )  # fmt: skip
        return out.getvalue().encode()

    async def _created_orders(self, request: web.Request) -> web.Response:
        """Get Active Created Orders (developer.uber.com/docs/eats/references/api/v1/get-eats-stores-storeid-
        createdorders): the store's orders still CREATED, oldest first, at most ``limit``; scope
        eats.store.orders.read."""
        if not self._authorised(request, "eats.store.orders.read"):
            return web.json_response({"code": "unauthorized"}, status=401)
        if request.match_info["store_id"] != self.store_id:
            return web.json_response({"code": "not_found", "message": "store not found"}, status=404)
        if self._failing():
            return web.json_response({"code": "service_unavailable"}, status=503)
        limit = int(request.query.get("limit", "50") or 50)
        waiting = [o for o in self.orders.values() if o["current_state"] == "CREATED"]
        waiting.sort(key=lambda o: str(o.get("placed_at", "")))
        listed = [
            {"id": o["id"], "current_state": "CREATED", "placed_at": o.get("placed_at")} for o in waiting
        ]
        return web.json_response({"orders": listed[:limit]})

    async def _menus(self, request: web.Request) -> web.Response:
        """Get Menu (v2 Menu API, scope eats.store): the store's menus, categories and items."""
        if not self._authorised(request, "eats.store"):
            return web.json_response({"code": "unauthorized"}, status=401)
        if request.match_info["store_id"] != self.store_id:
            return web.json_response({"code": "not_found", "message": "store not found"}, status=404)
        if self._failing():
            return web.json_response({"code": "service_unavailable"}, status=503)
        return web.json_response(menus.uber_menu())

    async def _store_details(self, request: web.Request) -> web.Response:
        if not self._authorised(request):
            return web.json_response({"code": "unauthorized"}, status=401)
        if request.match_info["store_id"] != self.store_id:
            return web.json_response({"code": "not_found", "message": "store not found"}, status=404)
        return web.json_response(
            {"store_id": self.store_id, "name": "posapp demo kitchen", "status": "active"}
        )

    # -- the platform's side of an order ----------------------------------------------------------
    def to_uber(self, order: dict[str, Any]) -> dict[str, Any]:
        """A canonical order in Get Order Details v2 form; the canonical dict gets Uber's tax and ids."""
        cur = order["currency"]
        totals = order["totals"]
        tax = totals["subtotal"] * TAX_RATE_PER_MILLE // 1000
        fees = totals["delivery_fee"] + totals["packaging_fee"] + totals["service_fee"]
        fee = totals["subtotal"] * FEE_PERCENT // 100
        totals.update(
            tax=tax, total=totals["subtotal"] + fees + tax - totals["discount"], commission=fee, payout=None
        )
        uber_id = str(uuid.uuid4())
        order["external_id"] = uber_id
        order["display_id"] = uber_id[-5:].upper()  # Get Order Details: last 5 characters of the UUID
        items = []
        for it in order["items"]:
            mods = it["modifiers"]
            unit = it["unit_price"] + sum(m["unit_price"] * m["quantity"] for m in mods)
            items.append(
                {
                    "id": it["sku"],
                    "instance_id": f"{it['sku']}-{secrets.token_hex(3)}",
                    "title": it["name"],
                    "external_data": it["sku"],
                    "quantity": it["quantity"],
                    "price": {
                        "unit_price": _money(unit, cur),
                        "total_price": _money(unit * it["quantity"], cur),
                        "base_unit_price": _money(it["unit_price"], cur),
                        "base_total_price": _money(it["unit_price"] * it["quantity"], cur),
                    },
                    "special_instructions": it.get("note") or "",
                    "selected_modifier_groups": [
                        {
                            "id": "options",
                            "title": "Options",
                            "selected_items": [
                                {
                                    "id": m["name"],
                                    "title": m["name"],
                                    "quantity": m["quantity"],
                                    "price": {"unit_price": _money(m["unit_price"], cur)},
                                }
                                for m in mods
                            ],
                            "removed_items": None,
                        }
                    ]
                    if mods
                    else None,
                }
            )
        kind = {"delivery": "DELIVERY_BY_UBER", "pickup": "PICK_UP", "dine_in": "DINE_IN"}[
            order["fulfillment"]
        ]
        charges: dict[str, Any] = {
            "total": _money(totals["total"], cur),
            "sub_total": _money(totals["subtotal"], cur),
            "tax": _money(tax, cur),
            "total_fee": _money(fees, cur),
            "marketplace_fee_due_to_uber": _money(fee, cur),
        }
        if totals["delivery_fee"]:
            charges["delivery_fee"] = _money(totals["delivery_fee"], cur)
        if totals["discount"]:
            charges["total_promo_applied"] = _money(totals["discount"], cur)
        placed = datetime.fromisoformat(order["placed_at"])
        first, _, last = (order["customer"]["name"] or "Eater").partition(" ")
        body: dict[str, Any] = {
            "id": uber_id,
            "display_id": order["display_id"],
            "current_state": "CREATED",
            "type": kind,
            "brand": "UBER_EATS",
            "store": {"id": self.store_id, "name": "posapp demo kitchen"},
            "eater": {
                "first_name": first,
                "last_name": last[:1],
                "phone": "+1 555-555-5555",
                "phone_code": "555 55 555",
            },
            "cart": {"items": items, "special_instructions": order.get("notes") or ""},
            "payment": {"charges": charges},
            "placed_at": placed.isoformat(timespec="seconds"),
            "deliveries": [],
        }
        if order.get("due_at"):
            body["estimated_ready_for_pickup_at"] = order["due_at"]
        return body

    def _sign(self, body: bytes) -> dict[str, str]:
        sig = hmac.new(self.secret.encode(), body, hashlib.sha256).hexdigest()
        return {"X-Uber-Signature": sig, "X-Environment": "sandbox", "Content-Type": "application/json"}

    def _event(self, event_type: str, order_id: str, **meta: Any) -> bytes:
        return json.dumps(
            {
                "event_id": str(uuid.uuid4()),
                "event_time": int(time.time()),
                "event_type": event_type,
                "meta": {"resource_id": order_id, "user_id": self.store_id, **meta},
                "resource_href": f"{self.sim.url_for(self.name)}/v2/eats/order/{order_id}",
            }
        ).encode()

    async def deliver(self, order: dict[str, Any]) -> None:
        body = self.to_uber(order)
        self.orders[body["id"]] = body
        payload = self._event("orders.notification", body["id"], status="pos")
        self.last_sent = (payload, self._sign(payload))
        await self.post_webhook("/webhooks/ubereats", content=payload, headers=self._sign(payload))

    async def send_raw(self, payload: bytes, signature: str | None = None) -> int:
        """Tests: post a notification with a chosen (maybe forged) signature; returns the HTTP status."""
        headers = self._sign(payload)
        if signature is not None:
            headers["X-Uber-Signature"] = signature
        resp = await self.post_webhook("/webhooks/ubereats", content=payload, headers=headers)
        return resp.status_code

    async def cancel(self, external_id: str, reason: str = "customer cancelled") -> None:
        if external_id in self.orders:
            self.orders[external_id]["current_state"] = "CANCELED"
        payload = self._event("orders.cancel", external_id, status="cancelled", reason=reason)
        await self.post_webhook("/webhooks/ubereats", content=payload, headers=self._sign(payload))

    # -- API --------------------------------------------------------------------------------------
    def _authorised(self, request: web.Request, scope: str | None = None) -> bool:
        auth = request.headers.get("Authorization", "")
        if scope is not None:  # a token granted without this scope is refused, as Uber does
            return auth.startswith("Bearer ") and scope in self.scopes.get(auth[7:], ())
        return auth.startswith("Bearer ") and auth[7:] in self.tokens

    def _failing(self) -> bool:
        if self.fail_next > 0:
            self.fail_next -= 1
            return True
        return False

    async def _token(self, request: web.Request) -> web.Response:
        form = await request.post()
        if form.get("client_id") != self.app_id or form.get("client_secret") != self.secret:
            return web.json_response({"error": "invalid_client"}, status=401)
        if form.get("grant_type") != "client_credentials":
            return web.json_response({"error": "unsupported_grant_type"}, status=400)
        token = secrets.token_urlsafe(24)
        self.tokens.add(token)
        self.scopes[token] = tuple(str(form.get("scope", "")).split())
        self.tokens_issued += 1
        return web.json_response(
            {
                "access_token": token,
                "token_type": "Bearer",
                "expires_in": 2592000,
                "scope": form.get("scope", ""),
            }
        )

    async def _order(self, request: web.Request) -> web.Response:
        if not self._authorised(request):
            return web.json_response({"code": "unauthorized"}, status=401)
        if self._failing():
            return web.json_response({"code": "service_unavailable"}, status=503)
        order = self.orders.get(request.match_info["order_id"])
        if order is None:
            return web.json_response({"code": "not_found", "message": "order not found"}, status=404)
        return web.json_response(order)

    async def _order_action(self, request: web.Request) -> web.Response:
        if not self._authorised(request):
            return web.json_response({"code": "unauthorized"}, status=401)
        verb = request.match_info["verb"]
        fulfillment_api = "/v1/delivery/" in request.path
        allowed = {"ready"} if fulfillment_api else {"accept_pos_order", "deny_pos_order", "cancel"}
        if verb not in allowed:
            return web.json_response({"code": "not_found"}, status=404)
        if self._failing():
            return web.json_response({"code": "service_unavailable"}, status=503)
        order = self.orders.get(request.match_info["order_id"])
        if order is None:
            return web.json_response({"code": "not_found", "message": "order not found"}, status=404)
        body = await request.json() if request.can_read_body else {}
        pickup = body.get("pickup_time") if verb == "accept_pos_order" else None
        if pickup is not None and (not isinstance(pickup, int) or pickup < time.time()):
            # Accept Order: pickup_time is a Unix timestamp (seconds) of when the order will be ready.
            return web.json_response({"code": "invalid_pickup_time"}, status=400)
        self.record(request, body)
        order["current_state"] = {
            "accept_pos_order": "ACCEPTED",
            "deny_pos_order": "DENIED",
            "cancel": "CANCELED",
            "ready": order["current_state"],
        }[verb]
        if fulfillment_api:
            return web.json_response({"status": "ok"})  # Mark Order Ready answers 200 {"status": "ok"}
        return web.Response(status=204)  # the v1 eats order actions answer 204 No Content

    async def _item(self, request: web.Request) -> web.Response:
        if not self._authorised(request):
            return web.json_response({"code": "unauthorized"}, status=401)
        if self._failing():
            return web.json_response({"code": "service_unavailable"}, status=503)
        self.record(request, await request.json())
        return web.Response(status=204)

    async def _store_status(self, request: web.Request) -> web.Response:
        if not self._authorised(request):
            return web.json_response({"code": "unauthorized"}, status=401)
        if self._failing():
            return web.json_response({"code": "service_unavailable"}, status=503)
        body = await request.json()
        if body.get("status") not in {"ONLINE", "PAUSED"}:
            return web.json_response({"code": "invalid_status"}, status=400)
        self.record(request, body)
        return web.Response(status=204)
