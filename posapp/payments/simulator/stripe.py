"""Stripe's API for Terminal over loopback (aiohttp): PaymentIntents, readers, refunds, signed webhooks.

Only the endpoints posapp's StripeTerminalGateway calls, with Stripe's own shapes and error codes, each from the
page named beside it (docs.stripe.com/api/...), and Stripe's idempotency (https://docs.stripe.com/idempotency): a
POST repeated with the same ``Idempotency-Key`` and the same parameters gets the first answer back, saved as it
was, with ``Idempotent-Replayed: true``; the same key with other parameters is 400 ``idempotency_error``.

Registered readers, one per behaviour (``set_scenario(reader_id, behaviour)`` changes one or adds one; the other
simulators' words ``pay``, ``confirm``, ``wrong_code``, ``network_cut``, ``duplicate_notify`` are understood too,
and ``PAY_AT_ONCE`` … ``OFFLINE`` name the readers as they name their payment codes):

- ``tmr_sim_pays`` **pays**: the customer taps at once (test card 4242 4242 4242 4242);
- ``tmr_sim_slow`` **slow:N**: the customer taps after N seconds (2 by default);
- ``tmr_sim_never`` **never**: nobody taps; the action stays in_progress until ``cancel_action``;
- ``tmr_sim_declined`` **declined**: card_declined / generic_decline (test card 4000 0000 0000 0002);
- ``tmr_sim_insufficient`` **insufficient**: card_declined / insufficient_funds (test card 4000 0000 0000 9995);
- ``tmr_sim_cut`` **cut**: the card is charged, then the connection of ``process_payment_intent`` drops unanswered,
  so only a later query tells;
- ``tmr_sim_duplicate`` **duplicate**: pays at once and every webhook is delivered twice (same event id);
- ``tmr_sim_offline`` **offline**: the reader is offline; ``process_payment_intent`` answers
  ``terminal_reader_offline``.

Stripe's own test helper ``POST /v1/test_helpers/terminal/readers/{id}/present_payment_method`` (with
``card_present[number]``) presents a card on any reader whose action is in progress, as on Stripe's simulated
reader (https://docs.stripe.com/terminal/references/testing#simulated-card-presentment). Fees are Terminal's US
list price, 2.7 % + 5 minor units, on the charge's balance transaction.

Every webhook event is kept in ``sim.deliveries`` (headers, body) and, when ``webhook_url`` is given, POSTed there,
signed as Stripe signs (``Stripe-Signature: t=…,v1=…``).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import re
import secrets
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx
from aiohttp import web

from posapp.payments.simulator import serve
from posapp.payments.stripe_terminal import sign

log = logging.getLogger(__name__)

Answer = tuple[int, dict[str, Any]]

BEHAVIOURS = ("pays", "slow", "never", "declined", "insufficient", "cut", "duplicate", "offline")
# The other simulators' words for the same behaviours, so one scenario table can drive every gateway.
ALIASES = {
    "pay": "pays",
    "confirm": "slow",
    "wrong_code": "declined",
    "card_declined": "declined",
    "network_cut": "cut",
    "duplicate_notify": "duplicate",
    "duplicate_callback": "duplicate",
}
# The readers as the other simulators name their payment codes.
PAY_AT_ONCE = "tmr_sim_pays"
CONFIRM_LATER = "tmr_sim_slow"
NEVER_CONFIRMS = "tmr_sim_never"
DECLINED = "tmr_sim_declined"
INSUFFICIENT = "tmr_sim_insufficient"
NETWORK_CUT = "tmr_sim_cut"
DUPLICATE_NOTIFY = "tmr_sim_duplicate"
OFFLINE = "tmr_sim_offline"
CARDS = {  # https://docs.stripe.com/terminal/references/testing#standard-test-cards
    "pays": "4242424242424242",
    "declined": "4000000000000002",
    "insufficient": "4000000000009995",
}
DECLINES = {  # card number -> (decline_code, message), as Stripe words them
    "4000000000000002": ("generic_decline", "Your card was declined."),
    "4000000000009995": ("insufficient_funds", "Your card has insufficient funds."),
}
SEARCH = re.compile(
    r"""^\s*metadata\[(['"])(?P<key>[^'"]+)\1\]\s*:\s*(['"])(?P<value>(?:\\.|[^\\])*?)\3\s*$"""
)
CANCELLABLE = ("requires_payment_method", "requires_confirmation", "requires_action", "requires_capture")


@dataclass
class Reader:
    id: str
    label: str
    behaviour: str
    action: dict[str, Any] | None = None
    cancelled_actions: int = 0
    timer: asyncio.TimerHandle | None = None

    @property
    def online(self) -> bool:
        return self.behaviour != "offline"

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "object": "terminal.reader",
            "label": self.label,
            "status": "online" if self.online else "offline",
            "device_type": "simulated_wisepos_e",
            "serial_number": f"SIM-{self.id}",
            "location": "tml_sim",
            "metadata": {},
            "livemode": False,
            "action": json.loads(json.dumps(self.action)) if self.action else None,
        }


@dataclass
class Delivery:
    event_id: str
    type: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Sim:
    """The simulated Stripe account. Start with ``await start()``."""

    host: str = "127.0.0.1"
    port: int = 0
    webhook_url: str | None = None
    search_lag_s: float = (
        0.0  # Stripe's search index trails writes ("usually under a minute"); the list does not
    )
    secret_key: str = field(default_factory=lambda: "sk_test_sim_" + secrets.token_hex(12))
    webhook_secret: str = field(default_factory=lambda: "whsec_sim_" + secrets.token_hex(16))
    readers: dict[str, Reader] = field(default_factory=dict)
    intents: dict[str, dict[str, Any]] = field(default_factory=dict)
    charges: dict[str, dict[str, Any]] = field(default_factory=dict)
    refunds: dict[str, dict[str, Any]] = field(default_factory=dict)
    deliveries: list[Delivery] = field(default_factory=list)
    calls: list[tuple[str, str]] = field(default_factory=list)
    failures: list[str] = field(
        default_factory=list
    )  # path endings whose next POST answers 500, done nothing
    _saved: dict[str, tuple[tuple[Any, ...], int, dict[str, Any]]] = field(default_factory=dict)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _runner: web.AppRunner | None = None
    _tasks: set[asyncio.Task[None]] = field(default_factory=set)

    # --- the contract's Sim ---------------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def gateway_settings(self) -> dict[str, Any]:
        readers = ["tmr_sim_pays", *(r for r in self.readers if r != "tmr_sim_pays")]
        return {"readers": readers, "sandbox": True}

    @property
    def secrets(self) -> dict[str, str]:
        return {
            "payments.stripe.secret_key": self.secret_key,
            "payments.stripe.webhook_secret": self.webhook_secret,
        }

    def set_scenario(self, code_or_reader: str, behaviour: str) -> None:
        """Give reader ``code_or_reader`` a behaviour of the module docstring (adding the reader if new)."""
        kind, colon, seconds = behaviour.partition(":")
        behaviour = ALIASES.get(kind, kind) + colon + seconds
        if kind not in BEHAVIOURS and kind not in ALIASES:
            raise ValueError(f"unknown Stripe reader behaviour {behaviour!r}; one of {', '.join(BEHAVIOURS)}")
        reader = self.readers.get(code_or_reader)
        if reader is None:
            self.readers[code_or_reader] = Reader(code_or_reader, f"Simulated {behaviour}", behaviour)
        else:
            reader.behaviour = behaviour

    async def start(self) -> Sim:
        for name in BEHAVIOURS:
            if f"tmr_sim_{name}" not in self.readers:
                self.set_scenario(f"tmr_sim_{name}", "slow:2" if name == "slow" else name)
        self._runner, self.port = await serve(self.make_app(), self.host, self.port)
        return self

    async def stop(self) -> None:
        for reader in self.readers.values():
            if reader.timer is not None:
                reader.timer.cancel()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    # --- what tests look at ---------------------------------------------------------------------------------

    def fail_next(self, path_ending: str) -> None:
        """The next POST whose path ends so answers HTTP 500 without doing anything (Stripe's api_error)."""
        self.failures.append(path_ending)

    def intents_for(self, request_id: str) -> list[dict[str, Any]]:
        return [p for p in self.intents.values() if p["metadata"].get("request_id") == request_id]

    def reader(self, reader_id: str) -> dict[str, Any]:
        return self.readers[reader_id].as_json()

    def sign(self, body: bytes, timestamp: int | None = None, secret: str | None = None) -> str:
        return sign(body, secret or self.webhook_secret, int(time.time()) if timestamp is None else timestamp)

    # --- HTTP -----------------------------------------------------------------------------------------------

    def make_app(self) -> web.Application:
        app = web.Application(middlewares=[self._auth])
        post, get = self._post, self._get
        app.router.add_post("/v1/payment_intents", post(self._create_intent))
        app.router.add_get("/v1/payment_intents", get(self._list_intents))
        app.router.add_get("/v1/payment_intents/search", get(self._search_intents))
        app.router.add_get("/v1/payment_intents/{id}", get(self._get_intent))
        app.router.add_post("/v1/payment_intents/{id}/cancel", post(self._cancel_intent))
        app.router.add_get("/v1/terminal/readers", get(self._list_readers))
        app.router.add_get("/v1/terminal/readers/{id}", get(self._get_reader))
        app.router.add_post("/v1/terminal/readers/{id}/process_payment_intent", post(self._process))
        app.router.add_post("/v1/terminal/readers/{id}/cancel_action", post(self._cancel_action))
        app.router.add_post("/v1/refunds", post(self._create_refund))
        app.router.add_post(
            "/v1/test_helpers/terminal/readers/{id}/present_payment_method", post(self._present)
        )
        return app

    @web.middleware
    async def _auth(
        self, request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        self.calls.append((request.method, request.path))
        if request.headers.get("Authorization") != f"Bearer {self.secret_key}":
            return _error(401, "invalid_request_error", "", "Invalid API Key provided")
        return await handler(request)

    def _post(
        self, handler: Callable[[str, dict[str, Any], web.Request], Answer]
    ) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
        async def run(request: web.Request) -> web.StreamResponse:
            pairs = tuple(sorted((await request.post()).items()))  # type: ignore[arg-type]
            params = _unflatten(pairs)
            key = request.headers.get("Idempotency-Key")
            fingerprint = (request.method, request.path, pairs)
            if key is not None and key in self._saved:
                saved, status, body = self._saved[key]
                if saved != fingerprint:
                    return _error(
                        400,
                        "idempotency_error",
                        "",
                        "Keys for idempotent requests can only be used with the same parameters they were first "
                        f"used with. Try using a key other than '{key}' if you meant to execute a different request.",
                    )
                return web.json_response(body, status=status, headers={"Idempotent-Replayed": "true"})
            failing = next((f for f in self.failures if request.path.endswith(f)), None)
            if failing is not None:  # Stripe saves a 500 under the key too, and replays it
                self.failures.remove(failing)
                status, body = 500, {"error": {"type": "api_error", "message": "An unknown error occurred"}}
            else:
                status, body = handler(request.match_info.get("id", ""), params, request)
            cut = body.pop("_cut", False)
            if key is not None:
                self._saved[key] = (fingerprint, status, json.loads(json.dumps(body)))
            if cut and request.transport is not None:
                request.transport.close()  # the gateway recorded it; the answer never arrives
                return web.Response(status=status)
            return web.json_response(body, status=status)

        return run

    def _get(
        self, handler: Callable[[str, dict[str, Any]], Answer]
    ) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
        async def run(request: web.Request) -> web.StreamResponse:
            status, body = handler(request.match_info.get("id", ""), _unflatten(tuple(request.query.items())))
            return web.json_response(body, status=status)

        return run

    # --- PaymentIntents (https://docs.stripe.com/api/payment_intents) -------------------------------------------

    def _create_intent(self, _: str, p: dict[str, Any], request: web.Request) -> Answer:
        try:
            amount = int(p.get("amount", ""))
        except ValueError:
            return _bad("parameter_missing", "Missing required param: amount.", "amount")
        currency = str(p.get("currency", ""))
        if amount < 1 or not re.fullmatch(r"[a-z]{3}", currency):
            return _bad(
                "parameter_invalid", "amount must be positive and currency a lower-case ISO code", "amount"
            )
        if "card_present" not in (p.get("payment_method_types") or []):
            return _bad(
                "parameter_invalid", "payment_method_types must include card_present", "payment_method_types"
            )
        pid = self._new_id("pi")
        self.intents[pid] = {
            "id": pid,
            "object": "payment_intent",
            "amount": amount,
            "amount_received": 0,
            "currency": currency,
            "status": "requires_payment_method",
            "capture_method": p.get("capture_method", "automatic"),
            "payment_method_types": p["payment_method_types"],
            "description": p.get("description"),
            "metadata": dict(p.get("metadata") or {}),
            "created": int(time.time()),
            "latest_charge": None,
            "last_payment_error": None,
            "cancellation_reason": None,
            "livemode": False,
        }
        return 200, self._intent(pid, [])

    def _get_intent(self, pid: str, p: dict[str, Any]) -> Answer:
        if pid not in self.intents:
            return _missing("payment_intent", pid)
        return 200, self._intent(pid, p.get("expand") or [])

    def _list_intents(self, _: str, p: dict[str, Any]) -> Answer:
        since = int((p.get("created") or {}).get("gte", 0))
        found = sorted(
            (i for i in self.intents.values() if i["created"] >= since), key=lambda i: i["id"], reverse=True
        )
        after = p.get("starting_after")
        if after:
            found = [i for i in found if i["id"] < after]
        limit = int(p.get("limit", 10))
        expand = [e.removeprefix("data.") for e in p.get("expand") or []]
        data = [self._intent(i["id"], expand) for i in found[:limit]]
        return 200, {
            "object": "list",
            "data": data,
            "has_more": len(found) > limit,
            "url": "/v1/payment_intents",
        }

    def _search_intents(self, _: str, p: dict[str, Any]) -> Answer:
        match = SEARCH.match(str(p.get("query", "")))
        if match is None:  # the simulator reads only the one clause posapp sends
            return _bad("parameter_invalid", "The simulator searches metadata['key']:'value' only", "query")
        value = re.sub(r"\\(.)", r"\1", match["value"])
        indexed_before = time.time() - self.search_lag_s
        found = [
            i
            for i in self.intents.values()
            if i["metadata"].get(match["key"]) == value and i["created"] <= indexed_before
        ]
        data = [self._intent(i["id"], p.get("expand") or []) for i in found]
        return 200, {"object": "search_result", "data": data, "has_more": False, "next_page": None}

    def _cancel_intent(self, pid: str, p: dict[str, Any], request: web.Request) -> Answer:
        pi = self.intents.get(pid)
        if pi is None:
            return _missing("payment_intent", pid)
        if pi["status"] not in CANCELLABLE:
            return _bad(
                "payment_intent_unexpected_state",
                f"You cannot cancel this PaymentIntent because it has a status of {pi['status']}.",
                "",
            )
        for reader in self.readers.values():  # the reader stops showing an amount that can no longer be paid
            if (
                reader.action
                and reader.action["status"] == "in_progress"
                and _action_pi(reader.action) == pid
            ):
                self._stop_action(reader)
        pi["status"], pi["cancellation_reason"] = (
            "canceled",
            p.get("cancellation_reason", "requested_by_customer"),
        )
        self._emit("payment_intent.canceled", self._intent(pid, []), None)
        return 200, self._intent(pid, [])

    def _intent(self, pid: str, expand: list[str]) -> dict[str, Any]:
        pi = json.loads(json.dumps(self.intents[pid]))
        if pi["latest_charge"] and any(e.startswith("latest_charge") for e in expand):
            charge = json.loads(json.dumps(self.charges[pi["latest_charge"]]))
            if "latest_charge.balance_transaction" not in expand:
                charge["balance_transaction"] = charge["balance_transaction"]["id"]
            pi["latest_charge"] = charge
        return pi

    # --- readers (https://docs.stripe.com/api/terminal/readers) ------------------------------------------------

    def _list_readers(self, _: str, p: dict[str, Any]) -> Answer:
        data = [r.as_json() for r in self.readers.values()]
        return 200, {"object": "list", "data": data, "has_more": False, "url": "/v1/terminal/readers"}

    def _get_reader(self, rid: str, p: dict[str, Any]) -> Answer:
        reader = self.readers.get(rid)
        return (200, reader.as_json()) if reader else _missing("terminal.reader", rid)

    def _process(self, rid: str, p: dict[str, Any], request: web.Request) -> Answer:
        reader, pi = self.readers.get(rid), self.intents.get(str(p.get("payment_intent")))
        if reader is None:
            return _missing("terminal.reader", rid)
        if pi is None:
            return _missing("payment_intent", str(p.get("payment_intent")))
        if not reader.online:
            return _bad(
                "terminal_reader_offline",
                "Reader is currently offline, please ensure the reader is powered on and connected to the "
                "internet before retrying your request.",
                "",
            )
        if reader.action and reader.action["status"] == "in_progress":
            return _bad("terminal_reader_busy", "Reader is currently busy processing another request.", "")
        if pi["status"] != "requires_payment_method":
            return _bad(
                "payment_intent_unexpected_state",
                f"This PaymentIntent's status is {pi['status']}, it cannot be processed.",
                "payment_intent",
            )
        pi["last_payment_error"] = None
        reader.action = {
            "type": "process_payment_intent",
            "status": "in_progress",
            "failure_code": None,
            "failure_message": None,
            "process_payment_intent": {"payment_intent": pi["id"]},
        }
        answer = reader.as_json()
        kind, _, seconds = reader.behaviour.partition(":")
        loop = asyncio.get_running_loop()
        if kind == "cut":
            self._present_card(reader, CARDS["pays"])
            return 200, {**answer, "_cut": True}
        if kind in ("pays", "duplicate", "declined", "insufficient", "slow"):
            card = CARDS.get(kind, CARDS["pays"])
            delay = float(seconds or 2) if kind == "slow" else 0.0
            reader.timer = loop.call_later(delay, self._present_card, reader, card)
        return 200, answer

    def _cancel_action(self, rid: str, p: dict[str, Any], request: web.Request) -> Answer:
        reader = self.readers.get(rid)
        if reader is None:
            return _missing("terminal.reader", rid)
        if not reader.online:
            return _bad("terminal_reader_offline", "Reader is currently offline.", "")
        if not reader.action or reader.action["status"] != "in_progress":
            return _bad("terminal_reader_no_action", "The reader has no action in progress to cancel.", "")
        self._stop_action(reader)
        return 200, reader.as_json()

    def _stop_action(self, reader: Reader) -> None:
        if reader.timer is not None:
            reader.timer.cancel()
            reader.timer = None
        reader.action = None  # as Stripe's cancel_action answer shows it: the reader is idle again
        reader.cancelled_actions += 1

    def _present(self, rid: str, p: dict[str, Any], request: web.Request) -> Answer:
        reader = self.readers.get(rid)
        if reader is None:
            return _missing("terminal.reader", rid)
        if not reader.action or reader.action["status"] != "in_progress":
            return _bad(
                "terminal_reader_no_action", "The simulated reader has no payment to present a card to.", ""
            )
        number = str((p.get("card_present") or {}).get("number") or CARDS["pays"])
        self._present_card(reader, number)
        return 200, reader.as_json()

    def _present_card(self, reader: Reader, number: str) -> None:
        """The customer taps ``number``: the charge goes through or is declined, and the events go out."""
        reader.timer = None
        if not reader.action or reader.action["status"] != "in_progress":
            return
        pid = _action_pi(reader.action)
        pi = self.intents[pid]
        if number in DECLINES:
            decline_code, message = DECLINES[number]
            pi["last_payment_error"] = {
                "type": "card_error",
                "code": "card_declined",
                "decline_code": decline_code,
                "message": message,
            }
            reader.action.update(status="failed", failure_code="card_declined", failure_message=message)
            self._emit("payment_intent.payment_failed", self._intent(pid, []), reader)
            self._emit("terminal.reader.action_failed", reader.as_json(), reader)
            return
        charge_id, txn_id = self._new_id("ch"), self._new_id("txn")
        fee = (pi["amount"] * 27 + 500) // 1000 + 5  # 2.7 % rounded half up, + 5
        self.charges[charge_id] = {
            "id": charge_id,
            "object": "charge",
            "amount": pi["amount"],
            "amount_refunded": 0,
            "currency": pi["currency"],
            "payment_intent": pid,
            "refunded": False,
            "payment_method_details": {"type": "card_present", "card_present": {"last4": number[-4:]}},
            "balance_transaction": {
                "id": txn_id,
                "object": "balance_transaction",
                "fee": fee,
                "currency": pi["currency"],
            },
        }
        pi.update(status="succeeded", amount_received=pi["amount"], latest_charge=charge_id)
        reader.action.update(status="succeeded")
        self._emit("payment_intent.succeeded", self._intent(pid, []), reader)
        self._emit("terminal.reader.action_succeeded", reader.as_json(), reader)

    # --- refunds (https://docs.stripe.com/api/refunds/create) ------------------------------------------------

    def _create_refund(self, _: str, p: dict[str, Any], request: web.Request) -> Answer:
        pi = self.intents.get(str(p.get("payment_intent")))
        if pi is None:
            return _missing("payment_intent", str(p.get("payment_intent")))
        if pi["status"] != "succeeded":
            return _bad("charge_not_captured", "This PaymentIntent has no successful charge to refund.", "")
        charge = self.charges[pi["latest_charge"]]
        left = charge["amount"] - charge["amount_refunded"]
        if left <= 0:
            return _bad("charge_already_refunded", f"Charge {charge['id']} has already been refunded.", "")
        amount = int(p.get("amount", left))
        if amount < 1 or amount > left:
            return _bad(
                "amount_too_large",
                f"Refund amount ({amount}) is greater than unrefunded amount on charge ({left})",
                "amount",
            )
        charge["amount_refunded"] += amount
        charge["refunded"] = charge["amount_refunded"] == charge["amount"]
        rid = self._new_id("re")
        self.refunds[rid] = {
            "id": rid,
            "object": "refund",
            "amount": amount,
            "currency": pi["currency"],
            "charge": charge["id"],
            "payment_intent": pi["id"],
            "reason": p.get("reason"),
            "metadata": dict(p.get("metadata") or {}),
            "status": "succeeded",
        }
        return 200, dict(self.refunds[rid])

    # --- webhooks (https://docs.stripe.com/webhooks) ---------------------------------------------------------

    def _emit(self, kind: str, obj: dict[str, Any], reader: Reader | None) -> None:
        event_id = self._new_id("evt")
        event = {
            "id": event_id,
            "object": "event",
            "type": kind,
            "created": int(time.time()),
            "livemode": False,
            "api_version": "2024-06-20",
            "data": {"object": obj},
        }
        body = json.dumps(event).encode()
        times = 2 if reader is not None and reader.behaviour == "duplicate" else 1
        for _ in range(times):  # a redelivery is signed afresh, the event (and its id) the same
            headers = {"Content-Type": "application/json", "Stripe-Signature": self.sign(body)}
            delivery = Delivery(event_id, kind, headers, body)
            self.deliveries.append(delivery)
            if self.webhook_url:
                task = asyncio.get_running_loop().create_task(self._deliver(delivery))
                self._tasks.add(task)
                task.add_done_callback(self._tasks.discard)

    async def _deliver(self, delivery: Delivery) -> None:
        assert self.webhook_url is not None
        try:
            async with httpx.AsyncClient(timeout=5.0) as client:
                await client.post(self.webhook_url, content=delivery.body, headers=delivery.headers)
        except (
            httpx.HTTPError
        ) as exc:  # the app may be down: Stripe would retry for days; the test reads deliveries
            log.warning("stripe simulator: webhook %s not delivered: %s", delivery.event_id, exc)

    def _new_id(self, prefix: str) -> str:
        return f"{prefix}_sim{next(self._ids):06d}{secrets.token_hex(4)}"


async def start(host: str = "127.0.0.1", port: int = 0, **scenario: Any) -> Sim:
    """Start the simulated Stripe on ``host:port`` (0: any free port). ``scenario``: ``webhook_url``,
    ``search_lag_s`` and ``readers`` ({reader id: behaviour}) for readers beyond the eight of the module docstring."""
    sim = Sim(
        host=host,
        port=port,
        webhook_url=scenario.get("webhook_url"),
        search_lag_s=float(scenario.get("search_lag_s", 0.0)),
    )
    for reader_id, behaviour in (scenario.get("readers") or {}).items():
        sim.set_scenario(reader_id, behaviour)
    return await sim.start()


def _unflatten(pairs: tuple[tuple[str, Any], ...]) -> dict[str, Any]:
    """Stripe's bracket form (``metadata[order_key]=…``, ``expand[]=…``) back into dicts and lists."""
    out: dict[str, Any] = {}
    for raw, value in pairs:
        parts = re.findall(r"[^\[\]]+|\[\]", raw)
        node = out
        for i, part in enumerate(parts):
            last = i == len(parts) - 1
            if last:
                node[part] = value
            elif parts[i + 1] == "[]":
                node.setdefault(part, []).append(str(value))
                break
            else:
                node = node.setdefault(part, {})
    return out


def _action_pi(action: Mapping[str, Any]) -> str:
    return str((action.get("process_payment_intent") or {}).get("payment_intent"))


def _error(status: int, kind: str, code: str, message: str, param: str = "") -> web.Response:
    error = (
        {"type": kind, "message": message}
        | ({"code": code} if code else {})
        | ({"param": param} if param else {})
    )
    return web.json_response({"error": error}, status=status)


def _bad(code: str, message: str, param: str) -> Answer:
    error = {"type": "invalid_request_error", "code": code, "message": message} | (
        {"param": param} if param else {}
    )
    return 400, {"error": error}


def _missing(kind: str, object_id: str) -> Answer:
    return 404, {
        "error": {
            "type": "invalid_request_error",
            "code": "resource_missing",
            "message": f"No such {kind}: '{object_id}'",
            "param": "id",
        }
    }
