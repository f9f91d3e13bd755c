"""The store's own website or app: canonical order JSON, HMAC-SHA256 over ``timestamp + "." + body``.

Headers: ``X-Posapp-Timestamp: <unix seconds>`` and ``X-Posapp-Signature: sha256=<hex>``; a timestamp more
than five minutes away from our clock is refused, so a captured request cannot be replayed later.
Status callbacks (optional) go to ``{base_url}/orders/{external_id}/status``, signed the same way.

An order may carry ``"offer_code": "K7QM-3XPA"`` (top level, beside ``totals``): a bounce-back code from one of
our receipts that the customer typed on the website. The website sends the totals before the code; posapp checks
the code and takes the discount off at intake (services/offers.py). A code that is not valid (mistyped, used,
expired, below its minimum spend) never loses the order: it is taken at its full price with a note for the
cashier saying why the code was not applied.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Callable, Mapping
from typing import Any

from posapp.connectors.base import Connector, Message, PushAction, same_digest
from posapp.connectors.fields import load_json_object, text
from posapp.domain.events import PlatformEvent, PlatformEventKind
from posapp.domain.order import Order, order_from_canonical
from posapp.errors import PayloadError, SignatureError
from posapp.lazy import httpx  # imported on first use: posapp/lazy.py

MAX_SKEW = 300  # seconds
OFFER_CODE = "offer_code"  # the order payload's field for a bounce-back code (see the module's docstring)
EVENT_KINDS = {
    "order.cancelled": PlatformEventKind.CANCELLED,
    "order.reminder": PlatformEventKind.REMINDER,
    "order.completed": PlatformEventKind.COMPLETED,
}


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """The ``X-Posapp-Signature`` value for ``body`` sent at ``timestamp``."""
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return f"sha256={mac.hexdigest()}"


def signed_headers(secret: str, body: bytes, now: float | None = None) -> dict[str, str]:
    ts = str(int(now if now is not None else time.time()))
    return {
        "X-Posapp-Timestamp": ts,
        "X-Posapp-Signature": sign(secret, ts, body),
        "Content-Type": "application/json",
    }


def offer_code_of(order: Order) -> str | None:
    """The bounce-back code a website order carries, as the customer typed it (None without one)."""
    raw = order.raw
    value = raw.get(OFFER_CODE) if order.platform == "own" and isinstance(raw, dict) else None
    if not isinstance(value, str):
        return None
    return value.strip()[:32] or None


class OwnConnector(Connector):
    """``secret`` is the shared key the website signs with; ``base_url`` (optional) receives status callbacks."""

    name = "own"
    display_name = "Own site"
    webhook_path = "/webhooks/own"

    def __init__(self, *, base_url: str = "", app_id: str = "", secret: str = "") -> None:
        super().__init__(base_url=base_url, app_id=app_id, secret=secret)
        self.clock: Callable[[], float] = time.time

    def verify(self, *, headers: Mapping[str, str], body: bytes, query: Mapping[str, str]) -> None:
        if not self.secret:
            raise SignatureError("no shared secret configured for the own channel")
        ts = headers.get("X-Posapp-Timestamp", "").strip()
        given = headers.get("X-Posapp-Signature", "").strip()
        if not ts or not given:
            raise SignatureError("own-channel push without X-Posapp-Timestamp / X-Posapp-Signature")
        try:
            sent = int(ts)
        except ValueError:
            raise SignatureError("X-Posapp-Timestamp is not Unix seconds") from None
        if abs(self.clock() - sent) > MAX_SKEW:
            raise SignatureError("own-channel push is older than 5 minutes (or from the future)")
        if not same_digest(given.lower(), sign(self.secret, ts, body)):
            raise SignatureError("own-channel signature does not match")

    def message_key(self, *, headers: Mapping[str, str], body: bytes, query: Mapping[str, str]) -> str:
        # The signature covers timestamp + body: the same event sent again later is a new message (a second
        # reminder), the same signed request replayed is not.
        stamp = headers.get("X-Posapp-Timestamp", "").strip().encode("utf-8", "surrogatepass")
        return "sha256:" + hashlib.sha256(stamp + b"." + body).hexdigest()

    def parse(self, body: bytes, *, content_type: str | None = None) -> list[Message]:
        data = load_json_object(body, "own-channel payload")
        event = text(data.get("event"))
        if event is not None:
            kind = EVENT_KINDS.get(event)
            external_id = text(data.get("external_id"))
            if kind is None or external_id is None:
                raise PayloadError(f"own-channel event {event!r} is unknown or names no external_id")
            return [PlatformEvent(self.name, external_id, kind, text(data.get("reason")))]
        data = {**data, "platform": self.name}  # the website cannot pose as another platform
        return [order_from_canonical(data, raw=data)]

    async def check(self, client: httpx.AsyncClient) -> str:
        # The website has no account to sign in to: with a status callback address, check that it answers.
        if self.base_url:
            resp = await client.get(self.base_url, timeout=5.0)
            if resp.status_code >= 500:
                resp.raise_for_status()
        return self.base_url or "website"

    async def push(self, client: httpx.AsyncClient, action: PushAction, payload: Mapping[str, Any]) -> None:
        if not self.base_url:
            return  # no callback URL configured: the website polls or does not care
        body = json.dumps(
            {
                "external_id": payload.get("external_id"),
                "action": action.value,
                "reason": payload.get("reason"),
            },
            ensure_ascii=False,
        ).encode()
        resp = await client.post(
            f"{self.base_url}/orders/{payload.get('external_id')}/status",
            content=body,
            headers=signed_headers(self.secret, body),
            timeout=5.0,
        )
        resp.raise_for_status()
