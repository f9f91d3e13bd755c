"""Card payments on a Stripe Terminal smart reader, server-driven: posapp never sees a card, the reader talks to Stripe.

The flow (https://docs.stripe.com/terminal/payments/collect-card-payment?terminal-sdk-platform=server-driven):
``POST /v1/payment_intents`` (amount in minor units, lower-case currency, ``payment_method_types[]=card_present``,
``Idempotency-Key`` = our request id), then ``POST /v1/terminal/readers/{reader}/process_payment_intent``
(https://docs.stripe.com/api/terminal/readers/process_payment_intent); the reader shows the amount and the customer
taps. We learn the result by reading the PaymentIntent and the reader's ``action`` (in_progress / succeeded /
failed with ``failure_message``); cancelling is ``cancel_action`` on the reader
(https://docs.stripe.com/api/terminal/readers/cancel_action) and then cancelling the PaymentIntent.

capture_method is **automatic**: the counter knows the amount before the tap and adds no tip afterwards, so
authorising and capturing in one step leaves no "authorised but not captured" money behind a crash (a manual
capture would need its own durable step, and an uncaptured card_present authorisation lapses on its own).

Never twice (https://docs.stripe.com/idempotency): Stripe replays the saved answer of a POST repeated with the same
``Idempotency-Key`` and the same parameters for at least 24 hours, so ``pay`` repeated with the same request id
finds the same PaymentIntent and the same reader action. ``query(request_id)`` after a crash (nothing in memory)
finds the PaymentIntent by ``metadata[request_id]`` with the search API
(https://docs.stripe.com/api/payment_intents/search), which is eventually consistent, and then with the list of
the last two days' PaymentIntents, which is not. No PaymentIntent at all means no reader ever saw the amount.
Stripe saves a 500 under its key too, so ``pay`` repeated after a 500 gets the same 500: the cashier's wait asks
``query`` instead, and a new attempt takes a new request id.

Webhooks (https://docs.stripe.com/webhooks#verify-manually): ``Stripe-Signature: t=<unix>,v1=<hex>`` is the
HMAC-SHA256 of ``"<t>.<raw body>"`` under the endpoint's signing secret; we refuse a timestamp more than 300 s
away. ``payment_intent.*`` events carry our request id in the metadata; ``terminal.reader.action_succeeded`` /
``action_failed`` name only the PaymentIntent id, so they are understood for payments this process started, and a
succeeded action answers PENDING (the reader's event carries no PaymentIntent status: ask ``query``).

Keyring: ``payments.stripe.secret_key`` (sk_live_/sk_test_ or a restricted key) and
``payments.stripe.webhook_secret`` (whsec_; optional: without webhooks the cashier's wait asks). Settings: ``readers`` (the registered reader ids, the first is the
counter's default when the intent names none; or one ``reader_id``), ``sandbox`` (informational: Stripe's test mode
is the sk_test_ key itself), optional ``api_version`` and ``timeout_s``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import httpx

from posapp.domain.money import Money
from posapp.payments.gateway import (
    Gateway,
    GatewayError,
    Intent,
    Method,
    Outcome,
    PayState,
    RefundOutcome,
    SignatureError,
)

log = logging.getLogger(__name__)

API_BASE = "https://api.stripe.com"
API_VERSION = "2024-06-20"  # pinned so a Stripe upgrade never changes these shapes under us
SIGNATURE_TOLERANCE_S = 300  # what Stripe's own libraries default to
LIST_PAGE = 100  # Stripe's largest page
FIND_WITHIN_S = 2 * 86400  # idempotency keys live >= 24 h; a payment older than two days is not "in flight"
EXPAND_FEE = ("latest_charge.balance_transaction",)
REPLAYED = (
    "_replayed"  # set on an answer Stripe replayed for a repeated Idempotency-Key (Idempotent-Replayed)
)

Secret = Callable[[str], str | None]
Form = Sequence[tuple[str, str]]

WAITING = "Waiting for the customer to tap, insert or swipe the card…"


@dataclass(frozen=True, slots=True)
class ReaderInfo:
    """One registered reader as the counter shows it."""

    id: str
    label: str
    online: bool
    action: str | None  # None (idle), "in_progress", "succeeded", "failed"
    action_message: str = ""  # the reader's failure_message when action is "failed"
    payment_intent: str | None = None  # the PaymentIntent the current/last action processed
    device_type: str = ""

    @property
    def status(self) -> str:
        """Stripe's word for it: "online" or "offline"."""
        return "online" if self.online else "offline"


class StripeError(GatewayError):
    """Stripe answered with an error object (4xx): its ``code`` says what, its ``message`` says it to a person."""

    def __init__(self, status: int, body: Mapping[str, Any]) -> None:
        error = _error_of(body)
        self.status = status
        self.code = str(error.get("code") or error.get("type") or "")
        self.decline_code = str(error.get("decline_code") or "")
        self.message = str(error.get("message") or f"Stripe answered HTTP {status}")
        self.payment_intent = (
            error.get("payment_intent") if isinstance(error.get("payment_intent"), dict) else None
        )
        super().__init__(f"Stripe: {self.message} ({self.code or status})")


def form(params: Mapping[str, Any], prefix: str = "") -> list[tuple[str, str]]:
    """Stripe's form encoding: nested keys in brackets (``metadata[order_key]``), lists as ``key[]``."""
    pairs: list[tuple[str, str]] = []
    for key, value in params.items():
        name = f"{prefix}[{key}]" if prefix else str(key)
        if value is None:
            continue
        if isinstance(value, Mapping):
            pairs.extend(form(value, name))
        elif isinstance(value, (list, tuple)):
            pairs.extend((f"{name}[]", _scalar(v)) for v in value)
        else:
            pairs.append((name, _scalar(value)))
    return pairs


def _scalar(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def sign(payload: bytes, secret: str, timestamp: int) -> str:
    """The ``Stripe-Signature`` value Stripe sends with ``payload`` (the simulator signs with it too)."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + payload, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def verify_signature(
    payload: bytes,
    header: str,
    secret: str,
    *,
    now: float | None = None,
    tolerance: int = SIGNATURE_TOLERANCE_S,
) -> None:
    """SignatureError unless one ``v1`` of ``header`` is the HMAC of ``t.payload`` and ``t`` is recent."""
    stamp: int | None = None
    candidates: list[str] = []
    for part in header.split(","):
        key, _, value = part.strip().partition("=")
        if key == "t" and value.isdigit():
            stamp = int(value)
        elif key == "v1":
            candidates.append(value)
    if stamp is None or not candidates:
        raise SignatureError("Stripe webhook refused: the Stripe-Signature header has no timestamp or no v1")
    current = time.time() if now is None else now
    if abs(current - stamp) > tolerance:
        raise SignatureError(
            f"Stripe webhook refused: signed {abs(int(current - stamp))} s away from now, "
            f"more than the {tolerance} s allowed"
        )
    expected = sign(payload, secret, stamp).rsplit("v1=", 1)[1]
    if not any(hmac.compare_digest(expected, c) for c in candidates):
        raise SignatureError("Stripe webhook refused: its signature does not match the signing secret")


class StripeTerminalGateway(Gateway):
    """Stripe Terminal, server-driven. Idempotent on our request id (see the module docstring)."""

    name = "stripe"
    methods = frozenset({Method.CARD_READER})

    def __init__(
        self,
        settings: Mapping[str, Any],
        secret: Secret,
        *,
        base_url: str | None = None,
        client: httpx.AsyncClient | None = None,
    ) -> None:
        self.settings = dict(settings)
        self._secret = secret
        readers = [str(r) for r in settings.get("readers") or ()]
        self.default_reader: str | None = settings.get("reader_id") or (readers[0] if readers else None)
        self._client = client or httpx.AsyncClient(
            base_url=(base_url or settings.get("base_url") or API_BASE).rstrip("/"),
            timeout=float(settings.get("timeout_s", 20.0)),
        )
        self._api_version = str(settings.get("api_version") or API_VERSION)
        self._known: dict[str, tuple[str, str | None]] = {}  # request_id -> (PaymentIntent id, reader id)
        self._by_pi: dict[str, str] = {}  # PaymentIntent id -> request_id, for reader webhooks

    # --- the Gateway contract -------------------------------------------------------------------------------

    async def pay(self, intent: Intent) -> Outcome:
        """Create (or find again) the PaymentIntent and hand it to the reader; PENDING while the customer taps."""
        reader = intent.reader_id or self.default_reader
        if not reader:
            raise GatewayError("No card reader chosen: pick one in Settings → Payments → Stripe")
        if intent.amount.amount <= 0:
            return Outcome(PayState.FAILED, message="The amount to charge must be more than zero")
        pi = await self._post(
            "/v1/payment_intents",
            {
                "amount": intent.amount.amount,
                "currency": intent.amount.currency.lower(),
                "payment_method_types": ["card_present"],
                "capture_method": "automatic",
                "description": intent.subject or None,
                "metadata": {
                    "request_id": intent.request_id,
                    "order_key": intent.order_key,
                    "reader_id": reader,
                },
            },
            idempotency_key=intent.request_id,
        )
        self._remember(intent.request_id, str(pi["id"]), reader)
        if pi.get(REPLAYED):  # a repeated pay: the saved answer is the PaymentIntent as first created
            pi = await self._get_pi(str(pi["id"]))
            if pi.get("status") != "requires_payment_method" or pi.get("last_payment_error"):
                return self._from_pi(pi)  # the payment already went on (or ended): never hand it over again
            reader_obj = await self._get(f"/v1/terminal/readers/{reader}")
            if _action_pi(reader_obj.get("action") or {}) == pi["id"]:
                return self._from_reader(pi, reader_obj)
        try:
            reader_obj = await self._post(
                f"/v1/terminal/readers/{reader}/process_payment_intent",
                {"payment_intent": pi["id"]},
                idempotency_key=f"{intent.request_id}:process",
            )
        except StripeError as exc:
            return await self._refused_by_reader(exc, pi, reader)
        return self._from_reader(pi, reader_obj)

    async def query(self, request_id: str) -> Outcome:
        found = await self._find(request_id)
        if found is None:
            return Outcome(
                PayState.CANCELLED,
                message="Stripe has no payment for this request: the reader never showed the amount",
                raw_code="not_found",
            )
        pi, reader = found
        if pi.get("status") != "requires_payment_method" or pi.get("last_payment_error") or not reader:
            return self._from_pi(pi)
        return self._from_reader(pi, await self._get(f"/v1/terminal/readers/{reader}"))

    async def cancel(self, request_id: str) -> Outcome:
        """Stop the reader (only if it is still on this payment), then cancel the PaymentIntent. PAID if the card
        went through first; a PaymentIntent that cannot be cancelled is read again and answered as it stands."""
        found = await self._find(request_id)
        if found is None:
            return Outcome(PayState.CANCELLED, message="Cancelled before the reader showed the amount")
        pi, reader = found
        if pi.get("status") in ("succeeded", "canceled", "processing"):
            return self._from_pi(pi)
        if reader:
            reader_obj = await self._get(f"/v1/terminal/readers/{reader}")
            action = reader_obj.get("action") or {}
            if action.get("status") == "in_progress" and _action_pi(action) == pi["id"]:
                # If the reader finished first (or went offline) this fails, and the PaymentIntent decides below.
                try:
                    await self._post(f"/v1/terminal/readers/{reader}/cancel_action", {})
                except StripeError as exc:
                    log.info("stripe: cancel_action on %s for %s: %s", reader, request_id, exc.code)
        try:
            pi = await self._post(
                f"/v1/payment_intents/{pi['id']}/cancel", {"cancellation_reason": "abandoned"}
            )
        except StripeError as exc:
            if exc.status >= 500:
                raise
            log.info("stripe: cancel %s refused (%s); reading it again", request_id, exc.code)
            return self._from_pi(await self._get_pi(str(pi["id"])))
        return self._from_pi(pi)

    async def refund(self, request_id: str, refund_id: str, amount: Money, reason: str = "") -> RefundOutcome:
        found = await self._find(request_id)
        if found is None:
            return RefundOutcome(PayState.FAILED, refund_id, message="Stripe has no payment for this request")
        pi, _ = found
        if pi.get("currency", "").upper() != amount.currency:
            return RefundOutcome(
                PayState.FAILED, refund_id, message="The refund is not in the payment's currency"
            )
        try:
            refund = await self._post(
                "/v1/refunds",
                {
                    "payment_intent": pi["id"],
                    "amount": amount.amount,
                    "reason": "requested_by_customer",
                    "metadata": {
                        "refund_id": refund_id,
                        "request_id": request_id,
                        "note": reason[:500] or None,
                    },
                },
                idempotency_key=refund_id,
            )
        except StripeError as exc:
            if exc.status >= 500:
                raise
            return RefundOutcome(PayState.FAILED, refund_id, message=exc.message)
        state = {
            "succeeded": PayState.PAID,
            "pending": PayState.PENDING,
            "requires_action": PayState.PENDING,
            "failed": PayState.FAILED,
            "canceled": PayState.FAILED,
        }.get(str(refund.get("status")), PayState.UNKNOWN)
        message = str(refund.get("failure_reason") or "") if state is PayState.FAILED else ""
        return RefundOutcome(state, refund_id, str(refund.get("id") or ""), message)

    def verify_callback(self, headers: dict[str, str], body: bytes) -> tuple[str, Outcome]:
        secret = self._secret("payments.stripe.webhook_secret")
        if not secret:
            raise GatewayError(
                "The Stripe webhook signing secret is not set (payments.stripe.webhook_secret)"
            )
        header = next((v for k, v in headers.items() if k.lower() == "stripe-signature"), None)
        if header is None:
            raise SignatureError("Stripe webhook refused: no Stripe-Signature header")
        verify_signature(body, header, secret)
        try:
            event = json.loads(body)
            kind, obj = str(event["type"]), event["data"]["object"]
        except (ValueError, KeyError, TypeError) as exc:
            raise GatewayError("Stripe webhook: not an event object") from exc
        if kind.startswith("payment_intent.") and isinstance(obj, dict):
            request_id = (obj.get("metadata") or {}).get("request_id")
            if not request_id:
                raise GatewayError(f"Stripe webhook {event.get('id')}: a PaymentIntent posapp did not create")
            self._remember(str(request_id), str(obj["id"]), (obj.get("metadata") or {}).get("reader_id"))
            return str(request_id), self._from_pi(obj)
        if kind.startswith("terminal.reader.action_") and isinstance(obj, dict):
            action = obj.get("action") or {}
            request_id = self._by_pi.get(_action_pi(action) or "")
            if request_id is None:
                raise GatewayError(
                    f"Stripe webhook {event.get('id')}: a reader action this process did not start"
                )
            if action.get("status") == "failed":
                return request_id, _failed_action(action)
            return request_id, Outcome(PayState.PENDING, _action_pi(action), "Card accepted by the reader…")
        raise GatewayError(f"Stripe webhook {event.get('id')}: {kind} says nothing about a payment")

    async def aclose(self) -> None:
        await self._client.aclose()

    # --- beyond the contract: the counter shows the reader --------------------------------------------------

    async def readers(self) -> list[ReaderInfo]:
        """Every registered reader with its online state and what it is doing (``GET /v1/terminal/readers``)."""
        page = await self._get("/v1/terminal/readers", {"limit": 100})
        return [_reader_info(r) for r in page.get("data", []) if isinstance(r, dict)]

    # --- mapping answers to outcomes -------------------------------------------------------------------------

    def _from_pi(self, pi: Mapping[str, Any]) -> Outcome:
        status, pid = str(pi.get("status")), str(pi.get("id"))
        if status == "succeeded":
            return Outcome(PayState.PAID, pid, "Paid by card", fee=_fee(pi), raw_code=status)
        if status == "canceled":
            reason = pi.get("cancellation_reason") or "cancelled"
            return Outcome(PayState.CANCELLED, pid, "Card payment cancelled", raw_code=f"canceled:{reason}")
        if status == "processing":
            return Outcome(PayState.PENDING, pid, "The card is being processed…", raw_code=status)
        error = pi.get("last_payment_error")
        if status == "requires_payment_method" and isinstance(error, dict):
            code = error.get("decline_code") or error.get("code") or "declined"
            return Outcome(
                PayState.FAILED, pid, str(error.get("message") or "Card declined"), raw_code=str(code)
            )
        return Outcome(PayState.PENDING, pid, WAITING, raw_code=status)

    def _from_reader(self, pi: Mapping[str, Any], reader: Mapping[str, Any]) -> Outcome:
        action = reader.get("action") or {}
        if reader.get("status") == "offline":
            return Outcome(PayState.PENDING, str(pi["id"]), _offline(reader), raw_code="reader_offline")
        if _action_pi(action) != pi.get("id"):
            return Outcome(
                PayState.PENDING, str(pi["id"]), "The reader is not showing this payment", raw_code=""
            )
        if action.get("status") == "failed":
            return _failed_action(action, str(pi["id"]))
        return self._from_pi(pi)

    async def _refused_by_reader(self, exc: StripeError, pi: Mapping[str, Any], reader: str) -> Outcome:
        """The reader would not take the payment: no money can move, so tidy the PaymentIntent away and say why."""
        if exc.status >= 500 or exc.code == "terminal_reader_timeout":
            raise exc  # the reader may have got it: only a query can tell
        messages = {
            "terminal_reader_offline": f"The card reader {reader} is offline: check its power and network",
            "terminal_reader_busy": f"The card reader {reader} is busy with another payment",
            "resource_missing": f"There is no card reader {reader} on this Stripe account",
        }
        try:
            await self._post(f"/v1/payment_intents/{pi['id']}/cancel", {"cancellation_reason": "abandoned"})
        except GatewayError as cancel_exc:
            log.info("stripe: could not tidy %s away: %s", pi["id"], cancel_exc)
        return Outcome(PayState.FAILED, str(pi["id"]), messages.get(exc.code, exc.message), raw_code=exc.code)

    # --- finding a payment by our request id ----------------------------------------------------------------

    def _remember(self, request_id: str, pi_id: str, reader: str | None) -> None:
        self._known[request_id] = (pi_id, reader)
        self._by_pi[pi_id] = request_id

    async def _find(self, request_id: str) -> tuple[dict[str, Any], str | None] | None:
        known = self._known.get(request_id)
        if known is not None:
            return await self._get_pi(known[0]), known[1]
        pi = await self._search(request_id) or await self._list_recent(request_id)
        if pi is None:
            return None
        reader = (pi.get("metadata") or {}).get("reader_id")
        self._remember(request_id, str(pi["id"]), reader)
        return pi, reader

    async def _search(self, request_id: str) -> dict[str, Any] | None:
        quoted = request_id.replace("\\", "\\\\").replace("'", "\\'")
        page = await self._get(
            "/v1/payment_intents/search",
            {"query": f"metadata['request_id']:'{quoted}'", "expand": list(EXPAND_FEE), "limit": 10},
        )
        return _only_ours(page.get("data", []), request_id)

    async def _list_recent(self, request_id: str) -> dict[str, Any] | None:
        """The search index lags by up to a minute; the list does not. Page through the last two days."""
        params: dict[str, Any] = {"limit": LIST_PAGE, "created": {"gte": int(time.time()) - FIND_WITHIN_S}}
        params["expand"] = [f"data.{e}" for e in EXPAND_FEE]
        while True:
            page = await self._get("/v1/payment_intents", params)
            found = _only_ours(page.get("data", []), request_id)
            if found is not None or not page.get("has_more") or not page.get("data"):
                return found
            params["starting_after"] = page["data"][-1]["id"]

    async def _get_pi(self, pi_id: str) -> dict[str, Any]:
        return await self._get(f"/v1/payment_intents/{pi_id}", {"expand": list(EXPAND_FEE)})

    # --- HTTP ------------------------------------------------------------------------------------------------

    def _headers(self, idempotency_key: str | None = None) -> dict[str, str]:
        key = self._secret("payments.stripe.secret_key")
        if not key:
            raise GatewayError("The Stripe secret key is not set (payments.stripe.secret_key in the keyring)")
        headers = {"Authorization": f"Bearer {key}", "Stripe-Version": self._api_version}
        if idempotency_key is not None:
            headers["Idempotency-Key"] = idempotency_key
        return headers

    async def _post(
        self, path: str, params: Mapping[str, Any], *, idempotency_key: str | None = None
    ) -> dict[str, Any]:
        headers = self._headers(idempotency_key)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        return await self._send("POST", path, headers=headers, content=urlencode(form(params)))

    async def _get(self, path: str, params: Mapping[str, Any] | None = None) -> dict[str, Any]:
        query = urlencode(form(params or {}))
        return await self._send("GET", f"{path}?{query}" if query else path, headers=self._headers())

    async def _send(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        try:
            response = await self._client.request(method, path, **kwargs)
        except httpx.HTTPError as exc:
            raise GatewayError(
                f"Stripe did not answer ({type(exc).__name__}); the payment is checked again"
            ) from exc
        try:
            body = response.json()
        except ValueError as exc:
            raise GatewayError(f"Stripe answered HTTP {response.status_code} with no JSON") from exc
        if not isinstance(body, dict):
            raise GatewayError("Stripe answered something that is not an object")
        if response.status_code >= 500 or response.status_code in (401, 403, 409, 429):
            error = _error_of(body)
            raise GatewayError(
                f"Stripe answered HTTP {response.status_code}: {error.get('message', '')}".rstrip(": ")
            )
        if response.status_code >= 400:
            raise StripeError(response.status_code, body)
        if response.headers.get("Idempotent-Replayed", "").lower() == "true":
            body[REPLAYED] = True
        return body


def make(settings: dict[str, Any], secret: Secret, *, base_url: str | None = None) -> StripeTerminalGateway:
    """The registry's factory: ``settings`` are the non-secret options, ``secret(name)`` reads the keyring."""
    return StripeTerminalGateway(settings, secret, base_url=base_url)


def _error_of(body: Mapping[str, Any]) -> dict[str, Any]:
    error = body.get("error")
    return error if isinstance(error, dict) else {}


def _action_pi(action: Mapping[str, Any]) -> str | None:
    processing = action.get("process_payment_intent") or {}
    pi = processing.get("payment_intent")
    return str(pi.get("id")) if isinstance(pi, dict) else (str(pi) if pi else None)


def _failed_action(action: Mapping[str, Any], pi_id: str | None = None) -> Outcome:
    code = str(action.get("failure_code") or "failed")
    message = str(action.get("failure_message") or "The card reader could not take the card")
    state = PayState.CANCELLED if code in ("customer_canceled", "canceled") else PayState.FAILED
    return Outcome(state, pi_id or _action_pi(action), message, raw_code=code)


def _offline(reader: Mapping[str, Any]) -> str:
    return (
        f"The card reader {reader.get('label') or reader.get('id')} is offline: check its power and network"
    )


def _fee(pi: Mapping[str, Any]) -> Money | None:
    charge = pi.get("latest_charge")
    txn = charge.get("balance_transaction") if isinstance(charge, dict) else None
    if not isinstance(txn, dict) or txn.get("fee") is None:
        return None
    currency = str(txn.get("currency", "")).upper()
    if currency != str(pi.get("currency", "")).upper():
        return None  # settled in another currency: the Z-report's fee is in the payment's own currency only
    return Money(int(txn["fee"]), currency)


def _only_ours(found: Sequence[Any], request_id: str) -> dict[str, Any] | None:
    ours = [
        p for p in found if isinstance(p, dict) and (p.get("metadata") or {}).get("request_id") == request_id
    ]
    if len(ours) > 1:  # cannot happen with idempotency keys; if it did, the paid one is the one that matters
        ours.sort(key=lambda p: p.get("status") != "succeeded")
    return ours[0] if ours else None


def _reader_info(reader: Mapping[str, Any]) -> ReaderInfo:
    action = reader.get("action") or {}
    return ReaderInfo(
        id=str(reader.get("id")),
        label=str(reader.get("label") or reader.get("id")),
        online=reader.get("status") == "online",
        action=str(action["status"]) if action.get("status") else None,
        action_message=str(action.get("failure_message") or ""),
        payment_intent=_action_pi(action),
        device_type=str(reader.get("device_type") or ""),
    )
