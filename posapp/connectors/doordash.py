"""DoorDash Marketplace (POS integration): order webhooks in, confirm / ready / cancel / store calls out.

Reference: developer.doordash.com Marketplace API (``https://openapi.doordash.com/marketplace``), its Order
model, the "Create a Webhook Subscription" guide (auth token on the endpoint) and the JWT guide (DD-JWT-V1).
"""

from __future__ import annotations

import base64
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from posapp.connectors.base import (
    CheckFailed,
    CheckProblem,
    Connector,
    Message,
    PushAction,
    payload_errors,
    same_digest,
)
from posapp.connectors.fields import arr, cents, count, load_json_object, mask_phone, obj, text, when
from posapp.domain import bounds
from posapp.domain.events import PlatformEvent, PlatformEventKind
from posapp.domain.order import Customer, Fulfillment, LineItem, Modifier, Order, Payment, Totals
from posapp.errors import ConfigError, PayloadError, PushRejected, SignatureError
from posapp.lazy import httpx  # imported on first use: posapp/lazy.py

PRODUCTION_API = "https://openapi.doordash.com/marketplace"
JWT_TTL = 300  # seconds; DoorDash caps exp at 30 minutes (JWT guide)
# Tokens are built and checked by PyJWT (pyjwt.readthedocs.io, API reference: encode / decode). The algorithm
# is pinned, never read from the token (RFC 8725 section 2.1); the claims and the "dd-ver" header are those of
# DoorDash's JWT guide (developer.doordash.com/en-US/docs/marketplace/how_to/JWTs).
JWT_ALGORITHM = "HS256"
JWT_AUDIENCE = "doordash"
JWT_LEEWAY = 30  # seconds of clock skew allowed on exp and iat
JWT_HEADERS = {"dd-ver": "DD-JWT-V1"}


# PyJWT's refusals as the short reason logged for a refused push: never the token or the secret.
def _jwt_reasons() -> tuple[tuple[type[Exception], str], ...]:
    import jwt  # PyJWT is loaded with the first DoorDash token, not at start-up

    return (
        (jwt.ExpiredSignatureError, "has expired"),
        (jwt.InvalidAlgorithmError, f"is not {JWT_ALGORITHM}"),
        (jwt.InvalidSignatureError, "signature does not match"),
        (jwt.InvalidAudienceError, f'audience is not "{JWT_AUDIENCE}"'),
        (jwt.InvalidIssuerError, "issuer is not our developer id"),
        (jwt.MissingRequiredClaimError, "lacks a required claim (exp, iat, aud, iss)"),
        (jwt.ImmatureSignatureError, "is issued in the future"),
        (jwt.InvalidKeyError, "cannot be checked: the signing secret is too short for HS256"),
    )


class DoorDashConnector(Connector):
    """``app_id`` is ``developer_id:key_id``; ``secret`` the access key's signing secret.

    The webhook's auth token (set beside the endpoint URL in the Developer Portal) defaults to the same
    secret; set ``webhook_token`` when the portal holds a different one.
    """

    name = "doordash"
    display_name = "DoorDash"
    webhook_path = "/webhooks/doordash"

    def __init__(self, *, base_url: str, app_id: str = "", secret: str = "") -> None:
        super().__init__(base_url=base_url or PRODUCTION_API, app_id=app_id, secret=secret)
        self.developer_id, _, self.key_id = app_id.partition(":")
        self.webhook_token = secret
        self.store_id = ""
        self.clock = lambda: datetime.now(UTC)

    def configure(self, options: Mapping[str, Any], secret: Callable[[str], str | None]) -> None:
        self.store_id = str(options.get("store_id", self.store_id))
        ref = options.get("webhook_token_ref")
        if ref:
            token = secret(str(ref))
            if not token:
                raise ConfigError(f"No DoorDash webhook token in the keyring: run 'posapp secret set {ref}'.")
            self.webhook_token = token

    # -- auth --------------------------------------------------------------------------------------
    def _signing_key(self) -> bytes:
        # JWT guide: the signing secret is base64url; the HS256 key is its decoded bytes. Decoded strictly, so
        # stray characters cannot shrink the key; a secret that is not base64url is used as it is.
        padded = self.secret + "=" * (-len(self.secret) % 4)
        try:
            return base64.b64decode(padded, altchars=b"-_", validate=True)
        except ValueError:  # binascii.Error (not base64url) or non-ASCII text
            return self.secret.encode()

    def make_jwt(self, now: float | None = None) -> str:
        """A DD-JWT-V1 bearer token: HS256, aud "doordash", iss developer id, kid key id (JWT guide)."""
        key = self._signing_key()
        if not key:
            raise ConfigError(
                "No DoorDash signing secret configured: set secret_ref in [platforms.doordash]."
            )
        issued = int(now if now is not None else time.time())
        claims = {
            "aud": JWT_AUDIENCE,
            "iss": self.developer_id,
            "kid": self.key_id,
            "iat": issued,
            "exp": issued + JWT_TTL,
        }
        import jwt

        return jwt.encode(claims, key, algorithm=JWT_ALGORITHM, headers=JWT_HEADERS)

    def _verify_jwt(self, token: str) -> None:
        key = self._signing_key()
        if not key:  # an HMAC under an empty key is one anybody can make
            raise SignatureError("DoorDash JWT refused: no signing secret configured")
        import jwt

        try:
            jwt.decode(
                token,
                key,
                algorithms=[JWT_ALGORITHM],
                audience=JWT_AUDIENCE,
                issuer=self.developer_id or None,
                leeway=JWT_LEEWAY,
                options={"require": ["exp", "iat", "aud"], "enforce_minimum_key_length": True},
            )
        except jwt.PyJWTError as exc:
            reason = next((r for kind, r in _jwt_reasons() if isinstance(exc, kind)), "is malformed")
            raise SignatureError(f"DoorDash JWT {reason}") from exc
        except (ValueError, TypeError) as exc:  # e.g. text that is not UTF-8 before PyJWT looks at it
            raise SignatureError("DoorDash JWT is malformed") from exc

    def _is_webhook_token(self, candidate: str) -> bool:
        """A non-empty candidate equal (in constant time) to a non-empty configured webhook token."""
        if not candidate or not self.webhook_token:
            return False
        return same_digest(candidate, self.webhook_token)

    def verify(self, *, headers: Mapping[str, str], body: bytes, query: Mapping[str, str]) -> None:
        # Webhook subscription guide: the endpoint is protected by the auth token configured in the portal,
        # sent in the Authorization header (Basic or Bearer); a signed JWT is checked with the signing secret.
        if not self.webhook_token and not self.secret:
            raise SignatureError("no DoorDash webhook token or signing secret configured")
        auth = headers.get("Authorization", "").strip()
        if not auth:
            raise SignatureError("DoorDash push without Authorization")
        scheme, _, token = auth.partition(" ")
        if not token:
            scheme, token = "", auth
        token = token.strip()
        if scheme.lower() == "basic":
            try:
                decoded = base64.b64decode(token, validate=True).decode()
            except (ValueError, UnicodeDecodeError) as exc:
                raise SignatureError("DoorDash Basic auth is malformed") from exc
            if self._is_webhook_token(decoded) or self._is_webhook_token(decoded.partition(":")[2]):
                return
            raise SignatureError("DoorDash auth token does not match")
        if self._is_webhook_token(token):
            return
        if token.count(".") == 2:
            self._verify_jwt(token)
            return
        raise SignatureError("DoorDash auth token does not match")

    # -- inbound ---------------------------------------------------------------------------------
    def parse(self, body: bytes, *, content_type: str | None = None) -> list[Message]:
        data = load_json_object(body, "DoorDash payload")
        event = obj(data.get("event"), "event")
        kind = (text(event.get("type")) or text(data.get("event_type")) or "").lower()
        order = obj(data.get("order"), "order") if "order" in data else data
        if "order" not in data and "categories" not in data and _notice_order_id(data) is not None:
            return self._notification(data)
        with payload_errors("DoorDash order"):
            if "cancel" in kind:
                order_id = text(order.get("id")) or text(data.get("order_id"))
                if order_id is None:
                    raise PayloadError("DoorDash cancellation without an order id")
                reason = text(event.get("cancel_reason")) or text(data.get("cancel_reason")) or "cancelled"
                return [PlatformEvent(self.name, order_id, PlatformEventKind.CANCELLED, reason)]
            if "dasher" in kind:
                order_id = text(order.get("id")) or text(data.get("order_id"))
                if order_id is None:
                    raise PayloadError("DoorDash Dasher update without an order id")
                status = text(event.get("status")) or text(data.get("dasher_status")) or "dasher update"
                return [PlatformEvent(self.name, order_id, PlatformEventKind.RIDER, status)]
            return [self._parse_order(order, event)]

    def _notification(self, data: dict[str, Any]) -> list[Message]:
        """A cancellation or an order release: no envelope, no event type, the order by its ids and the store.

        Order cancellation webhook (developer.doordash.com/en-US/docs/marketplace/how_to/order_cancellation_webhook):
        {"external_order_id", "client_order_id" (what the POS confirmed as merchant_supplied_id), "store":
        {"provider_type", "merchant_supplied_id"}, "is_asap"}, and "we currently do not send cancellation
        reasons". Auto order release (.../marketplace/reference/sample_auto_order_release_event): the same ids
        and store with "dasher" and "distance_from_store" (metres) when the Dasher crosses the geofence."""
        order_id = _notice_order_id(data)
        if order_id is None:
            raise PayloadError("DoorDash notification without external_order_id or client_order_id")
        if "dasher" in data or "distance_from_store" in data:
            dasher = obj(data.get("dasher"), "dasher")
            who = text(dasher.get("first_name")) or "Dasher"
            metres = data.get("distance_from_store")
            near = (
                f" ({int(metres)} m away)" if isinstance(metres, (int, float)) and 0 <= metres < 1e6 else ""
            )
            return [
                PlatformEvent(self.name, order_id, PlatformEventKind.RIDER, f"{who} is near the store{near}")
            ]
        return [PlatformEvent(self.name, order_id, PlatformEventKind.CANCELLED, "cancelled on DoorDash")]

    def _options(self, extras: list[Any], depth: int = 0) -> list[Modifier]:
        mods: list[Modifier] = []
        if depth > 8:
            raise PayloadError("DoorDash options nest too deep")
        for extra in extras:
            extra = obj(extra, "extra")
            for opt in arr(extra.get("options"), "options"):
                opt = obj(opt, "option")
                mods.append(
                    Modifier(
                        text(opt.get("name")) or "?",
                        count(opt.get("quantity"), "option quantity"),
                        cents(opt.get("price"), "option price"),
                    )
                )
                # The Order model nests "extras"; the sample order doc spells it "extra".
                nested = arr(opt.get("extras"), "extras") + arr(opt.get("extra"), "extra")
                mods.extend(self._options(nested, depth + 1))
        return mods

    def _parse_order(self, order: dict[str, Any], event: dict[str, Any]) -> Order:
        external_id = text(order.get("id"))
        if external_id is None:
            raise PayloadError("DoorDash order without id")
        items: list[LineItem] = []
        for c_i, category in enumerate(arr(order.get("categories"), "categories")):
            category = obj(category, f"categories[{c_i}]")
            cat_name = text(category.get("name"))
            for raw in arr(category.get("items"), "items"):
                item = obj(raw, "item")
                extras = arr(item.get("extras"), "extras")
                if "options" in item and "price" not in item:
                    extras = extras + [item]  # an extra listed beside the items (seen in public samples)
                    if items:
                        last = items[-1]
                        items[-1] = LineItem(
                            last.name,
                            last.quantity,
                            last.unit_price,
                            last.sku,
                            last.note,
                            last.modifiers + tuple(self._options([item])),
                            last.category,
                        )
                        continue
                who = text(item.get("consumer_name"))
                note = "; ".join(
                    p for p in (text(item.get("special_instructions")), who and f"for {who}") if p
                )
                items.append(
                    LineItem(
                        name=text(item.get("name")) or "?",
                        quantity=count(item.get("quantity"), "item quantity"),
                        unit_price=cents(item.get("price"), "item price"),
                        sku=text(item.get("merchant_supplied_id")),
                        note=note or None,
                        modifiers=tuple(self._options(extras)),
                        category=cat_name,
                    )
                )
        if not items:
            raise PayloadError(f"DoorDash order {external_id} has no items")
        # Order model: subtotal, tax, merchant_tip_amount, tip_amount are integer cents; there is no total.
        subtotal = cents(order.get("subtotal"), "subtotal", default=None)
        tax = cents(order.get("tax"), "tax") + cents(order.get("taxes_on_fees"), "taxes_on_fees")
        tip = cents(order.get("merchant_tip_amount"), "merchant_tip_amount") + cents(
            order.get("tip_amount"), "tip_amount"
        )
        delivery = cents(order.get("delivery_fee"), "delivery_fee")
        service = cents(order.get("extra_cart_order_fee"), "extra_cart_order_fee")
        total = subtotal + tax + tip + delivery + service
        consumer = obj(order.get("consumer"), "consumer")
        name = " ".join(p for p in (text(consumer.get("first_name")), text(consumer.get("last_name"))) if p)
        addr = (
            obj(order.get("delivery_address"), "delivery_address")
            if isinstance(order.get("delivery_address"), dict)
            else {}
        )
        address = ", ".join(
            p
            for p in (
                text(addr.get("street")),
                text(addr.get("subpremise")),
                text(addr.get("city")),
                text(addr.get("state")),
                text(addr.get("zip_code")),
            )
            if p
        ) or text(order.get("delivery_address"))
        pickup = bool(order.get("is_pickup")) or order.get("fulfillment_type") == "pickup"
        fulfillment = Fulfillment.PICKUP if pickup else Fulfillment.DELIVERY
        placed_raw = event.get("created_at") or order.get("created_at")
        placed = when(placed_raw, "created_at") if placed_raw else self.clock()
        due = (
            when(order["estimated_pickup_time"], "estimated_pickup_time")
            if order.get("estimated_pickup_time")
            else None
        )
        notes = [
            n
            for n in (
                text(order.get("order_special_instructions")),
                text(addr.get("address_instructions")),
                "cutlery please" if order.get("is_plastic_ware_option_selected") else None,
            )
            if n
        ]
        return Order(
            platform=self.name,
            external_id=external_id,
            # delivery_short_code: "short code for dasher to identify an order" (Order model).
            display_id=text(order.get("delivery_short_code")) or external_id[-6:].upper(),
            fulfillment=fulfillment,
            placed_at=placed,
            due_at=due,
            currency=text(order.get("currency")) or "USD",
            items=tuple(items),
            totals=Totals(
                subtotal=subtotal,
                total=total,
                delivery_fee=delivery,
                service_fee=service,
                tip=tip,
                tax=tax,
            ),
            customer=Customer(
                name=name or None, phone_masked=mask_phone(consumer.get("phone")), address=address or None
            ),
            payment=Payment("online", True),
            notes="; ".join(notes) or None,
            raw=order,
        )

    # -- outbound --------------------------------------------------------------------------------
    async def check(self, client: httpx.AsyncClient) -> str:
        # Get store details: GET /api/v1/stores/{merchant_supplied_id}/store_details under the Marketplace base,
        # with the DD-JWT-V1 bearer (DoorDash Marketplace API, as indexed in api-evangelist/doordash
        # capabilities/marketplace-stores.yaml): 401/403 a key that is not ours, 404 a store that is not.
        if not self.store_id:
            raise CheckFailed(CheckProblem.WRONG_SHOP, "no store_id")
        try:
            token = self.make_jwt()
        except ConfigError as exc:
            raise CheckFailed(CheckProblem.WRONG_SECRET, str(exc)) from exc
        resp = await client.get(
            f"{self.base_url}/api/v1/stores/{quote(self.store_id, safe='')}/store_details",
            headers={"Authorization": f"Bearer {token}"},
            timeout=10.0,
        )
        if resp.status_code in (401, 403):
            raise CheckFailed(CheckProblem.WRONG_SECRET, f"HTTP {resp.status_code}")
        if resp.status_code == 404:
            raise CheckFailed(CheckProblem.WRONG_SHOP, "HTTP 404")
        resp.raise_for_status()
        data = resp.json()
        return str(data.get("name") if isinstance(data, dict) and data.get("name") else self.store_id)

    # Busy mode: the Marketplace API reference (developer.doordash.com/en-US/api/marketplace) has Confirm Order's
    # ``prep_time`` (ready time, UTC) and store activation (on/off with end_time) only: no store prep-time or
    # busy setting, and nothing moves a confirmed order's ready time.
    ready_time_on_accept = True
    ready_time_note = "a later ready time is sent with each accept (Confirm Order prep_time)"
    busy_note = "the Marketplace API has only store on/off, no prep-time or busy setting"
    accepted_delay_note = "the Marketplace API cannot move a confirmed order's ready time"

    # The Marketplace API reference (developer.doordash.com/en-US/api/marketplace) has order endpoints for one
    # order by id only (Confirm, Adjust, Cancel, Events): no list of orders a POS could fetch after missing one.
    recovery_note = "the DoorDash Marketplace API has no list of orders to fetch"

    async def push(self, client: httpx.AsyncClient, action: PushAction, payload: Mapping[str, Any]) -> None:
        ours = str(payload.get("external_id", ""))
        order_id = quote(ours, safe="")
        reason = text(payload.get("reason"))
        store = quote(text(payload.get("store_id")) or self.store_id, safe="")
        body: Any
        if action in (PushAction.ACCEPT, PushAction.REJECT):
            # Confirm Order: PATCH /api/v1/orders/{id}; failure_reason omitted on success.
            method, path = "PATCH", f"/api/v1/orders/{order_id}"
            # merchant_supplied_id is "Order ID in your system": posapp keys platform orders by their own id.
            body = {"merchant_supplied_id": ours, "order_status": "success"}
            if action is PushAction.ACCEPT and isinstance(payload.get("ready_by"), int):
                # Confirm Order prep_time: "Estimated time by which order should be ready for pickup" (UTC).
                ready = datetime.fromtimestamp(payload["ready_by"], UTC)
                body["prep_time"] = ready.strftime("%Y-%m-%dT%H:%M:%S.000Z")
            if action is PushAction.REJECT:
                body = {
                    "merchant_supplied_id": ours,
                    "order_status": "fail",
                    "failure_reason": reason or "The store cannot fulfil this order",
                }
        elif action is PushAction.READY:
            method, path = "PATCH", f"/api/v1/orders/{order_id}/events/order_ready_for_pickup"
            body = {"merchant_supplied_id": ours}
        elif action is PushAction.CANCEL:
            method, path = "PATCH", f"/api/v1/orders/{order_id}/cancellation"
            code = "ITEM_OUT_OF_STOCK" if reason and "stock" in reason.lower() else "OTHER"
            body = {"cancel_reason": code, "cancel_details": reason or "cancelled by the store"}
        elif action in (PushAction.SOLD_OUT, PushAction.IN_STOCK):
            item = text(payload.get("sku")) or text(payload.get("item_id"))
            if not store or not item:
                raise PushRejected("DoorDash item status needs a store id and an item id")
            method, path = "PUT", f"/api/v1/stores/{store}/items/status"
            body = [{"merchant_supplied_id": item, "is_active": action is PushAction.IN_STOCK}]
        elif action in (PushAction.PAUSE, PushAction.RESUME):
            if not store:
                raise PushRejected("DoorDash store status needs a store id")
            method, path = "PUT", f"/api/v1/stores/{store}/status"
            body = {"is_active": action is PushAction.RESUME}
            if action is PushAction.PAUSE:  # reason is required when deactivating (Activate/Deactivate Store)
                body.update(reason="operational_issues", notes=reason or "paused from the counter")
        else:
            raise PushRejected(f"DoorDash has no call for {action}")
        resp = await client.request(
            method,
            f"{self.base_url}{path}",
            json=body,
            headers={"Authorization": f"Bearer {self.make_jwt()}"},
            timeout=10.0,
        )
        if resp.status_code in (400, 404, 422):
            # Confirm Order doc: 400 "already processed or expired", 404 "does not exist": final answers.
            raise PushRejected(f"DoorDash refused {action.value}: HTTP {resp.status_code}")
        resp.raise_for_status()


def _notice_order_id(data: Mapping[str, Any]) -> str | None:
    """The order a cancellation or release notification names: DoorDash's id (external_order_id), else the id
    the POS gave it on confirm (client_order_id; posapp confirms with DoorDash's own id)."""
    order_id = text(data.get("external_order_id")) or text(data.get("client_order_id"))
    return None if order_id is None else bounds.identifier(order_id, "external_order_id")
