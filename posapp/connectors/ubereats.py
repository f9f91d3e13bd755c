"""Uber Eats Marketplace: signed webhook notices, order fetched from Get Order Details (v2), pushes via v1.

Chosen API version: **v2 Get Order Details** (``GET /v2/eats/order/{order_id}``), whose money is
``{"amount": <cents>, "currency_code": "USD"}``; the newer ``amount_e5`` form (amount x 100000) is read too.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from posapp.connectors.base import (
    CheckFailed,
    CheckProblem,
    Connector,
    Message,
    PushAction,
    WebhookReply,
    payload_errors,
)
from posapp.connectors.fields import arr, cents, count, load_json_object, obj, text, when
from posapp.domain import bounds
from posapp.domain.events import PlatformEvent, PlatformEventKind
from posapp.domain.order import Customer, Fulfillment, LineItem, Modifier, Order, Payment, Totals
from posapp.errors import ConfigError, PayloadError, PushRejected, SignatureError
from posapp.lazy import httpx  # imported on first use: posapp/lazy.py

log = logging.getLogger(__name__)

PRODUCTION_API = "https://api.uber.com"
PRODUCTION_AUTH = "https://auth.uber.com/oauth/v2/token"
ORDER_EVENTS = {"orders.notification", "orders.scheduled.notification"}
CANCEL_EVENTS = {"orders.cancel", "orders.failure"}  # orders.failure: API 1.0.0 stores (webhooks guide)
_HEX_SHA256 = re.compile(r"[0-9a-f]{64}")
# Get Order Details v2 "type": DELIVERY_BY_UBER, DELIVERY_BY_RESTAURANT, PICK_UP, DINE_IN.
FULFILLMENT = {
    "DELIVERY_BY_UBER": Fulfillment.DELIVERY,
    "DELIVERY_BY_RESTAURANT": Fulfillment.DELIVERY,
    "PICK_UP": Fulfillment.PICKUP,
    "DINE_IN": Fulfillment.DINE_IN,
}


# posapp's reason codes (domain/reasons.py) as Uber's Deny Order codes and Cancel Order reasons.
_DENY_CODES = {
    "sold_out": "ITEM_AVAILABILITY",
    "too_busy": "CAPACITY",
    "closing": "STORE_CLOSED",
    "out_of_range": "ADDRESS",
}
_CANCEL_CODES = {
    "sold_out": "OUT_OF_ITEMS",
    "too_busy": "RESTAURANT_TOO_BUSY",
    "closing": "KITCHEN_CLOSED",
    "customer_request": "CUSTOMER_CALLED_TO_CANCEL",
}


class UberEatsConnector(Connector):
    """``app_id`` is the OAuth client id, ``secret`` the client secret (it also signs the webhooks)."""

    name = "ubereats"
    display_name = "Uber Eats"
    webhook_path = "/webhooks/ubereats"

    def __init__(self, *, base_url: str, app_id: str = "", secret: str = "") -> None:
        super().__init__(base_url=base_url or PRODUCTION_API, app_id=app_id, secret=secret)
        # Production tokens come from auth.uber.com; a sandbox or the simulator serves them beside the API.
        self.token_url = (
            PRODUCTION_AUTH if self.base_url == PRODUCTION_API else f"{self.base_url}/oauth/v2/token"
        )
        self.store_id = ""  # for sold-out and pause pushes that do not name a store
        self._token: str | None = None
        self._token_expires = 0.0

    def configure(self, options: Mapping[str, Any], secret: Callable[[str], str | None]) -> None:
        self.store_id = str(options.get("store_id", self.store_id))
        if options.get("token_url"):
            self.token_url = str(options["token_url"])

    # -- inbound ---------------------------------------------------------------------------------
    def verify(self, *, headers: Mapping[str, str], body: bytes, query: Mapping[str, str]) -> None:
        # Webhooks guide: X-Uber-Signature = lowercase hex HMAC-SHA256 of the raw body, key = client secret.
        if not self.secret:  # an HMAC under an empty key is one anybody can compute
            raise SignatureError("no Uber Eats client secret configured")
        given = headers.get("X-Uber-Signature", "").strip().lower()
        if not given:
            raise SignatureError("Uber Eats push without X-Uber-Signature")
        if not _HEX_SHA256.fullmatch(given):  # also keeps non-ASCII text away from compare_digest (TypeError)
            raise SignatureError("Uber Eats signature is not 64 hex digits")
        expected = hmac.new(self.secret.encode(), body, hashlib.sha256).hexdigest()
        if not hmac.compare_digest(given, expected):
            raise SignatureError("Uber Eats signature does not match")

    def reply_ok(self) -> WebhookReply:
        # Order Notification webhook doc: acknowledge with HTTP 200 and an empty body.
        return WebhookReply(200, b"", "text/plain")

    async def expand(self, client: httpx.AsyncClient, body: bytes) -> list[bytes]:
        """An ``orders.notification`` carries no cart: fetch the order it names (Get Order Details v2)."""
        notice = read_notice(body)  # an id no order can have is kept with its notice, never fetched
        if notice.event_type not in ORDER_EVENTS or notice.order_id is None:
            return [body]
        order_id = quote(notice.order_id, safe="")
        # resource_href is not followed: our bearer token goes only to the configured API host.
        resp = await self._call(client, "GET", f"/v2/eats/order/{order_id}")
        if resp.status_code == 404:  # Uber does not know the order it announced: keep the notice, do not loop
            raise PayloadError(f"Uber Eats has no order {order_id} (Get Order Details answered 404)")
        resp.raise_for_status()
        return [resp.content]

    def check_push(self, body: bytes, *, content_type: str | None = None) -> None:
        """At the hub, before relaying: the notification must read as one (``read_notice``); a cancellation or
        release is parsed whole. An order notification's cart is fetched by the counter, not here. A report
        webhook (``eats.report.success`` / ``.failure``, services/payout_fetch.py) is read whole as the counter
        reads it (its sections and links, without downloading them)."""
        from posapp.connectors.ubereats_reports import read_report_notice

        # A report webhook that does not read raises PayloadError here (kept at the hub with its reason).
        if read_report_notice(body) is not None:
            return
        notice = read_notice(body)
        if notice.event_type not in ORDER_EVENTS:
            self.parse(body, content_type=content_type)

    def parse(self, body: bytes, *, content_type: str | None = None) -> list[Message]:
        data = load_json_object(body, "Uber Eats payload")
        event_type = data.get("event_type")
        if event_type is not None:
            return self._parse_event(data, str(event_type))
        with payload_errors("Uber Eats order"):
            order = self._parse_order(data)
            return [order, *self._courier(order.external_id, data)]

    def _parse_event(self, data: dict[str, Any], event_type: str) -> list[Message]:
        meta = obj(data.get("meta"), "meta")
        order_id = text(meta.get("resource_id"))
        if event_type in ORDER_EVENTS:
            raise PayloadError(
                "an Uber Eats orders.notification carries no order; pass the Get Order Details JSON"
            )
        if order_id is None:
            raise PayloadError(f"Uber Eats {event_type} without meta.resource_id")
        at = when(data["event_time"], "event_time") if data.get("event_time") is not None else None
        if event_type in CANCEL_EVENTS:
            reason = text(meta.get("reason")) or text(meta.get("status")) or "cancelled on Uber Eats"
            return [PlatformEvent(self.name, order_id, PlatformEventKind.CANCELLED, reason, at)]
        if event_type == "orders.release":  # Fast Order Release: the courier reached the geo-fence
            return [PlatformEvent(self.name, order_id, PlatformEventKind.RIDER, "courier arriving", at)]
        raise PayloadError(f"Uber Eats event {event_type!r} is not an order message")

    def _parse_order(self, data: dict[str, Any]) -> Order:
        external_id = text(data.get("id"))
        if external_id is None:
            raise PayloadError("Uber Eats order without id")
        currency = "USD"
        cart = obj(data.get("cart"), "cart")
        items: list[LineItem] = []
        for i, raw_item in enumerate(arr(cart.get("items"), "cart.items")):
            item = obj(raw_item, f"cart.items[{i}]")
            price = obj(item.get("price"), "price")
            unit = obj(price.get("unit_price"), "unit_price")
            currency = text(unit.get("currency_code")) or currency
            modifiers: list[Modifier] = []
            notes: list[str] = []
            for group in arr(item.get("selected_modifier_groups"), "selected_modifier_groups"):
                group = obj(group, "modifier group")
                for sel in arr(group.get("selected_items"), "selected_items"):
                    sel = obj(sel, "selected item")
                    sel_price = obj(obj(sel.get("price"), "price").get("unit_price"), "unit_price")
                    modifiers.append(
                        Modifier(
                            text(sel.get("title")) or "?",
                            count(sel.get("quantity"), "modifier quantity"),
                            _amount(sel_price, "modifier price"),
                        )
                    )
                for removed in arr(group.get("removed_items"), "removed_items"):
                    title = text(obj(removed, "removed item").get("title"))
                    if title:
                        notes.append(f"no {title}")
            for req in arr(item.get("special_requests"), "special_requests"):
                allergy = obj(obj(req, "special request").get("allergy"), "allergy")
                for allergen in arr(allergy.get("allergens_to_exclude"), "allergens"):
                    allergen = obj(allergen, "allergen")
                    label = text(allergen.get("freeform_text")) or text(allergen.get("type"))
                    if label:
                        notes.append(f"ALLERGY: {label}")
                if text(allergy.get("allergy_instructions")):
                    notes.append(f"ALLERGY: {allergy['allergy_instructions']}")
            if text(item.get("special_instructions")):
                notes.append(str(text(item.get("special_instructions"))))
            quantity = count(item.get("quantity"), "item quantity")
            # unit_price includes the selected modifiers (Get Order Details v2 example: muffin 300 base
            # + 50 chocolate = unit_price 350); the canonical unit price is the base before modifiers.
            if unit:
                base = _amount(unit, "unit_price") - sum(m.unit_price * m.quantity for m in modifiers)
            else:
                base = _amount(obj(price.get("base_unit_price"), "base_unit_price"), "base_unit_price")
            items.append(
                LineItem(
                    name=text(item.get("title")) or "?",
                    quantity=quantity,
                    unit_price=base,
                    sku=text(item.get("external_data")) or text(item.get("id")),
                    note="; ".join(notes) or None,
                    modifiers=tuple(modifiers),
                )
            )
        if not items:
            raise PayloadError(f"Uber Eats order {external_id} has no cart items")
        charges = obj(obj(data.get("payment"), "payment").get("charges"), "payment.charges")
        currency = text(obj(charges.get("total"), "total").get("currency_code")) or currency

        def charge(key: str) -> int:
            return _amount(obj(charges.get(key), key), key)

        subtotal = charge("sub_total") if charges.get("sub_total") else sum(i.line_total() for i in items)
        tax = charge("tax") + charge("total_fee_tax")
        tip = charge("tip")
        # total_fee = what the eater paid in fees (delivery, small order, service...), one figure in v2.
        fees = charge("total_fee")
        delivery = charge("delivery_fee")
        service = max(fees - delivery, 0) if fees else charge("small_order_fee")
        discount = charge("total_promo_applied")
        total = charge("total") if charges.get("total") else subtotal + fees + tax + tip - discount
        # Get Order Details v2 doc example: total 1399 = sub_total 650 + total_fee 697 + tax 52.
        bag_fee = charge("bag_fee")
        commission = (
            charge("marketplace_fee_due_to_uber") if charges.get("marketplace_fee_due_to_uber") else None
        )
        eater = obj(data.get("eater"), "eater")
        delivery_info = obj(eater.get("delivery"), "eater.delivery")
        location = obj(delivery_info.get("location"), "location")
        name = " ".join(p for p in (text(eater.get("first_name")), text(eater.get("last_name"))) if p)
        phone = text(eater.get("phone"))
        code = text(eater.get("phone_code"))
        # eater.phone is Uber's relay line; the eater is reached by dialling phone_code after it (v2 doc).
        relay = f"{phone} code {code}" if phone and code else phone
        address = ", ".join(
            p for p in (text(location.get("street_address")), text(location.get("unit_number"))) if p
        )
        kind = text(data.get("type"))
        fulfillment = FULFILLMENT.get(kind or "", Fulfillment.DELIVERY)
        placed_raw = data.get("placed_at")
        if placed_raw is None:
            raise PayloadError(f"Uber Eats order {external_id} without placed_at")
        placed = when(placed_raw, "placed_at")
        due = _due(data)
        notes = [n for n in (text(cart.get("special_instructions")), text(delivery_info.get("notes"))) if n]
        if obj(obj(data.get("packaging"), "packaging").get("disposable_items"), "disposable").get(
            "should_include"
        ):
            notes.append("cutlery please")
        cash_due = charge("cash_amount_due")
        return Order(
            platform=self.name,
            external_id=external_id,
            display_id=text(data.get("display_id")) or external_id[-5:].upper(),
            fulfillment=fulfillment,
            placed_at=placed,
            due_at=due,
            currency=currency,
            items=tuple(items),
            totals=Totals(
                subtotal=subtotal,
                total=total,
                discount=discount,
                delivery_fee=delivery,
                packaging_fee=bag_fee,
                service_fee=max(service - bag_fee, 0),
                tip=tip,
                tax=tax,
                commission=commission,
            ),
            customer=Customer(name=name or None, phone_masked=relay, address=address or None),
            payment=Payment("cash", False) if cash_due else Payment("online", True),
            notes="; ".join(notes) or None,
            raw=data,
        )

    def _courier(self, order_id: str, data: dict[str, Any]) -> list[Message]:
        """The Uber courier, when one is assigned (``deliveries[]`` of Get Order Details v2), as a rider event."""
        out: list[Message] = []
        for d in arr(data.get("deliveries"), "deliveries")[:1]:
            d = obj(d, "delivery")
            state = text(d.get("current_state"))
            if state:
                who = text(d.get("first_name")) or "courier"
                detail = f"{who}: {state.lower().replace('_', ' ')}"
                out.append(PlatformEvent(self.name, order_id, PlatformEventKind.RIDER, detail))
        return out

    # -- outbound --------------------------------------------------------------------------------
    async def token(self, client: httpx.AsyncClient) -> str:
        """An OAuth2 client-credentials token (scope eats.order), cached until a minute before it expires."""
        if self._token is not None and time.monotonic() < self._token_expires:
            return self._token
        resp = await client.post(
            self.token_url,
            data={
                "client_id": self.app_id,
                "client_secret": self.secret,
                "grant_type": "client_credentials",
                # eats.order: orders; eats.store + eats.store.status.write: item suspension, Set Restaurant Status.
                # eats.store.orders.read: Get Active Created Orders, for orders missed while we were down.
                "scope": "eats.order eats.store eats.store.status.write eats.store.orders.read",
            },
            timeout=10.0,
        )
        if resp.status_code in (400, 401):
            raise ConfigError(
                "Uber Eats refused our client id or secret: check app_id and the keyring entry."
            )
        resp.raise_for_status()
        data = resp.json()
        self._token = str(data["access_token"])
        self._token_expires = time.monotonic() + max(float(data.get("expires_in", 3600)) - 60, 30)
        return self._token

    async def check(self, client: httpx.AsyncClient) -> str:
        # Get Store Details: GET /v1/eats/stores/{store_id} with an eats.store token
        # (developer.uber.com/docs/eats/references/api/v1/get-eats-stores-storeid): 401 wrong client, 404 not ours.
        self._token = None
        try:
            await self.token(client)
        except ConfigError as exc:
            raise CheckFailed(CheckProblem.WRONG_SECRET, str(exc)) from exc
        if not self.store_id:
            raise CheckFailed(CheckProblem.WRONG_SHOP, "no store_id")
        resp = await self._call(client, "GET", f"/v1/eats/stores/{quote(self.store_id, safe='')}")
        if resp.status_code == 401:
            raise CheckFailed(CheckProblem.WRONG_SECRET, "HTTP 401")
        if resp.status_code in (403, 404):
            raise CheckFailed(CheckProblem.WRONG_SHOP, f"HTTP {resp.status_code}")
        resp.raise_for_status()
        data = resp.json()
        return str(data.get("name") if isinstance(data, dict) and data.get("name") else self.store_id)

    async def call(
        self, client: httpx.AsyncClient, method: str, path: str, body: Any = None
    ) -> httpx.Response:
        """One Uber Eats API call with this store's OAuth token (``path`` from ``/v1`` or ``/v2``): the menu
        import's Get Menu, and every push below."""
        return await self._call(client, method, path, body)

    async def _call(
        self, client: httpx.AsyncClient, method: str, path: str, body: Any = None
    ) -> httpx.Response:
        token = await self.token(client)
        resp = await client.request(
            method,
            f"{self.base_url}{path}",
            json=body,
            headers={"Authorization": f"Bearer {token}", "Accept-Encoding": "gzip"},
            timeout=10.0,
        )
        if resp.status_code == 401:  # revoked or expired early: fetch a fresh token next time
            self._token = None
        return resp

    async def push(self, client: httpx.AsyncClient, action: PushAction, payload: Mapping[str, Any]) -> None:
        order_id = quote(str(payload.get("external_id", "")), safe="")
        reason = text(payload.get("reason"))
        store = quote(text(payload.get("store_id")) or self.store_id, safe="")
        call: tuple[str, str, dict[str, Any]]
        if action is PushAction.ACCEPT:
            accept: dict[str, Any] = {"reason": "accepted"}
            if isinstance(payload.get("ready_by"), int):  # busy mode or "needs N more minutes"
                accept["pickup_time"] = payload["ready_by"]  # Accept Order doc: Unix seconds, optional
            call = ("POST", f"/v1/eats/orders/{order_id}/accept_pos_order", accept)
        elif action is PushAction.REJECT:
            # Deny Order doc: reason is an object with explanation and a code such as STORE_CLOSED.
            code = _DENY_CODES.get(text(payload.get("reason_code")) or "", "")
            code = code or ("ITEM_AVAILABILITY" if reason and "stock" in reason.lower() else "OTHER")
            call = (
                "POST",
                f"/v1/eats/orders/{order_id}/deny_pos_order",
                {"reason": {"explanation": reason or "denied", "code": code}},
            )
        elif action is PushAction.CANCEL:
            # Cancel Order doc: reason enum (OUT_OF_ITEMS, KITCHEN_CLOSED, ...), details free text.
            call = (
                "POST",
                f"/v1/eats/orders/{order_id}/cancel",
                {
                    "reason": _CANCEL_CODES.get(text(payload.get("reason_code")) or "", "OTHER"),
                    "details": reason or "cancelled by the store",
                },
            )
        elif action is PushAction.READY:
            # The eats v1 order API has no "ready" call; the Order Fulfillment API's Mark Order Ready is
            # POST /v1/delivery/order/{id}/ready with an empty object, same order UUID, same token.
            call = ("POST", f"/v1/delivery/order/{order_id}/ready", {})
        elif action in (PushAction.SOLD_OUT, PushAction.IN_STOCK):
            item = quote(text(payload.get("sku")) or text(payload.get("item_id")) or "", safe="")
            if not store or not item:
                raise PushRejected("Uber Eats item availability needs a store id and an item id")
            # Update Item v2: a suspension with suspend_until (Unix s); 0 lifts it.
            until = int(payload.get("until") or time.time() + 86400) if action is PushAction.SOLD_OUT else 0
            call = (
                "POST",
                f"/v2/eats/stores/{store}/menus/items/{item}",
                {"suspension_info": {"suspension": {"suspend_until": until, "reason": reason or ""}}},
            )
        elif action in (PushAction.PAUSE, PushAction.RESUME):
            if not store:
                raise PushRejected("Uber Eats store status needs a store id")
            # Set Restaurant Status doc: status ONLINE | PAUSED, paused_until as an ISO 8601 timestamp, reason.
            status = "PAUSED" if action is PushAction.PAUSE else "ONLINE"
            body: dict[str, Any] = {"status": status}
            if action is PushAction.PAUSE:
                body["reason"] = reason or "Store is unable to accept orders"
                paused: Any = payload.get("until")
                if isinstance(paused, (int, float)) and not isinstance(paused, bool):
                    paused = datetime.fromtimestamp(paused, UTC).isoformat()
                if paused:
                    body["paused_until"] = str(paused)
            call = ("POST", f"/v1/eats/store/{store}/status", body)
        else:
            raise PushRejected(f"Uber Eats has no call for {action}")
        method, path, json_body = call
        resp = await self._call(client, method, path, json_body)
        if resp.status_code in (400, 404, 409, 422):
            # The order is gone, already handled or unknown: retrying cannot change the answer.
            raise PushRejected(f"Uber Eats refused {action.value}: HTTP {resp.status_code} {_err(resp)}")
        resp.raise_for_status()

    # -- busy mode and prep times (issue 15) ---------------------------------------------------------
    # Accept Order (developer.uber.com/docs/eats/references/api/v1/post-eats-order-orderid-acceptposorder)
    # takes ``pickup_time`` (Unix seconds, when the order will be ready). The Store API's Set Restaurant
    # Status (post-eats-stores-storeid-status) knows only ONLINE and PAUSED (+ paused_until): no busy or
    # store prep-time setting is public, and no call moves an accepted order's ready time.
    ready_time_on_accept = True
    ready_time_note = "a later ready time is sent with each accept (Accept Order pickup_time)"
    busy_note = "the public Store API has only online/paused, no prep-time or busy setting"
    accepted_delay_note = "the public API cannot move an accepted order's ready time (only at accept)"

    # -- missed orders (issue 15) ------------------------------------------------------------------
    async def recover(self, client: httpx.AsyncClient) -> list[bytes] | None:
        """Orders still waiting for an accept, each as Get Order Details v2 answers it.

        Get Active Created Orders: ``GET /v1/eats/stores/{store_id}/created-orders`` (scope
        eats.store.orders.read; developer.uber.com/docs/eats/references/api/v1/get-eats-stores-storeid-createdorders)
        lists the store's orders in the CREATED state, oldest first; each is then fetched as a notification's
        order is (``expand``). Accepted orders are not listed by it: those were answered by someone already."""
        if not self.store_id:
            return []
        store = quote(self.store_id, safe="")
        resp = await self._call(client, "GET", f"/v1/eats/stores/{store}/created-orders?limit=50")
        resp.raise_for_status()
        listed = load_json_object(resp.content, "Uber Eats created orders")
        bodies: list[bytes] = []
        for entry in arr(listed.get("orders"), "orders"):
            order_id = text(obj(entry, "orders[]").get("id"))
            if order_id is None:
                continue
            order_id = quote(bounds.identifier(order_id, "orders[].id"), safe="")
            got = await self._call(client, "GET", f"/v2/eats/order/{order_id}")
            if got.status_code == 404:  # cancelled between the list and the fetch
                continue
            got.raise_for_status()
            bodies.append(got.content)
        return bodies


def _amount(money: Mapping[str, Any], what: str) -> int:
    """Uber money: ``amount`` in cents, or ``amount_e5`` (x 100000) in the newer APIs."""
    if money.get("amount") is not None:
        return cents(money["amount"], what)
    if money.get("amount_e5") is not None:
        e5 = cents(money["amount_e5"], what)
        return (e5 + 500) // 1000
    return 0


def _due(data: Mapping[str, Any]) -> datetime | None:
    """When the food is due: the scheduled window's start (newer v1 Order Fulfillment API, status SCHEDULED)
    or v2's ``estimated_ready_for_pickup_at`` (set for ASAP and scheduled orders alike)."""
    for key in ("scheduled_order_target_delivery_time_range", "estimated_ready_for_pickup_at"):
        value = data.get(key)
        if isinstance(value, dict):
            value = value.get("start_time")
        if value:
            return when(value, key)
    return None


def _err(resp: httpx.Response) -> str:
    try:
        return str(json.loads(resp.content).get("message", ""))[:120]
    except (ValueError, AttributeError):
        return ""


@dataclass(frozen=True, slots=True)
class Notice:
    """An Uber Eats webhook notification: what happened (``event_type``) to which order (``meta.resource_id``)."""

    event_type: str
    order_id: str | None
    event_id: str | None


# The "Webhook Event Structure" of Uber's order webhooks: event_id (string), event_time (integer, Unix time),
# event_type, meta.user_id ("the location (store_id) this event was generated for"), meta.resource_id (the
# order_id), meta.status, resource_href (string) (developer.uber.com/docs/eats/references/api/webhooks.orders-
# notification and .../webhooks/orders-release; event types in developer.uber.com/docs/eats/guides/webhooks).
_ABOUT_AN_ORDER = ORDER_EVENTS | CANCEL_EVENTS | {"orders.release"}


def read_notice(body: bytes) -> Notice:
    """The notification as the Uber docs describe it, checked without fetching anything; ``PayloadError``
    naming what does not fit (kept in quarantine with that reason, never fetched or relayed half-read)."""
    data = load_json_object(body, "Uber Eats webhook")
    event_type = data.get("event_type")
    if not isinstance(event_type, str) or not event_type.strip():
        raise PayloadError("Uber Eats webhook without event_type")
    meta = obj(data.get("meta"), "meta")
    for key in ("event_id", "resource_href"):
        if data.get(key) is not None and not isinstance(data[key], str):
            raise PayloadError(f"Uber Eats {key} should be text, got {type(data[key]).__name__}")
    if data.get("event_time") is not None:
        when(data["event_time"], "event_time")
    order_id = text(meta.get("resource_id"))
    if event_type in _ABOUT_AN_ORDER:
        if order_id is None:
            raise PayloadError(f"Uber Eats {event_type} without meta.resource_id")
        order_id = bounds.identifier(order_id, "meta.resource_id")
    return Notice(bounds.identifier(event_type, "event_type", 64), order_id, text(data.get("event_id")))
