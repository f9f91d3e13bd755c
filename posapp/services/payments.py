"""Taking payment at the counter as durable, idempotent records: never charge twice, never lose a payment.

Each payment is a row written and committed (state ``sending``) before the gateway is called; every answer
is committed as it comes. A crash between "sent" and "answered" leaves the row unresolved, and the recovery
pass (at engine start and every ``RECOVER_EVERY_S``) asks the gateway with the same request id: ``query``
never charges. An UNKNOWN answer stays unknown, shown as such, never as paid. A paid payment marks the order
paid with its method, so cash-up, the Z-report and the receipt see it. Refunds go back through the gateway
that took the payment, never beyond what was paid, with who and why in the audit log.
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from posapp.domain.money import Money
from posapp.errors import NotFoundError, PosappError, RefundRefused
from posapp.payments import registry
from posapp.payments.flow import settle
from posapp.payments.gateway import (
    GIVE_UP_AFTER_S,
    POLL_EVERY_S,
    Gateway,
    GatewayError,
    Intent,
    Method,
    Outcome,
    PayState,
    RefundOutcome,
    SignatureError,
)
from posapp.services.clock import Clock, utc_now
from posapp.services.hub import ChangeKind, Hub, OrderChange
from posapp.services.planner import ChangeFacts, JobPlanner
from posapp.store import audit
from posapp.store import orders as repo
from posapp.store import payments as store
from posapp.store.db import Database
from posapp.store.jobs import enqueue
from posapp.store.payments import PaymentRecord, RefundRecord

log = logging.getLogger(__name__)

RECOVER_EVERY_S = 60.0  # unresolved payments and refunds are asked about again this often
# What the order's payment_method says once a gateway took the money (cash-up and the reports read it).
ORDER_METHOD = {"alipay": "alipay", "wechat": "wechat", "stripe": "card"}
UpdateFn = Callable[["PaymentView"], None]


@dataclass(frozen=True, slots=True)
class CallbackAnswer:
    """What the listener answers a gateway's notification."""

    status: int
    body: bytes
    content_type: str = "text/plain"


# What each gateway takes as "received, stop resending": Alipay the text "success" (opendocs.alipay.com, 异步通知);
# WeChat Pay API v3 a 200 with {"code": "SUCCESS"} (pay.weixin.qq.com, 支付通知); Stripe any 2xx.
CALLBACK_ACK = {
    "alipay": CallbackAnswer(200, b"success"),
    "wechat": CallbackAnswer(200, b'{"code":"SUCCESS","message":"OK"}', "application/json"),
    "stripe": CallbackAnswer(200, b'{"received":true}', "application/json"),
}


class PaymentRefused(PosappError):
    """A payment that cannot be started (unknown order, already paid, no code scanned): one sentence."""


@dataclass(frozen=True, slots=True)
class GatewayInfo:
    """A gateway the counter can offer: ``configured`` False with ``problem`` saying what is missing."""

    name: str
    label: str
    methods: frozenset[Method]
    test_mode: bool
    configured: bool
    problem: str = ""
    readers: tuple[str, ...] = ()  # CARD_READER: the registered readers, first is the default


@dataclass(frozen=True, slots=True)
class ReaderView:
    """One card reader set up for a gateway, as the counter shows it before the amount goes to it.

    ``online`` is None when the gateway could not be asked (``message`` says why): such a reader may still be
    tried, the gateway then says. An offline reader, or one busy with a payment, cannot take this one."""

    id: str
    label: str
    online: bool | None
    busy: bool = False
    message: str = ""

    @property
    def state(self) -> str:
        """ "online", "busy", "offline" or "unknown"."""
        if self.online is None:
            return "unknown"
        if not self.online:
            return "offline"
        return "busy" if self.busy else "online"

    @property
    def usable(self) -> bool:
        return self.state in ("online", "unknown")


@dataclass(frozen=True, slots=True)
class PaymentView:
    """One payment as the screens show it. ``state`` UNKNOWN is shown as unknown, never as paid."""

    request_id: str
    order_key: str
    gateway: str
    method: Method
    amount: Money
    state: PayState
    transaction_id: str | None
    message: str
    qr_url: str | None
    seconds_left: float | None
    refunded: Money
    fee: Money | None
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class GatewaySettings:
    """``[payments.<name>]``: the non-secret part (app_id, mch_id, readers, sandbox, base_url)."""

    name: str
    options: dict[str, Any] = field(default_factory=dict)

    @property
    def sandbox(self) -> bool:
        return bool(self.options.get("sandbox", False))

    @property
    def base_url(self) -> str | None:
        return str(self.options.get("base_url") or "") or None

    @property
    def readers(self) -> tuple[str, ...]:
        readers = tuple(str(r) for r in self.options.get("readers", ()) or ())
        one = str(self.options.get("reader_id") or "")
        return readers or ((one,) if one else ())


def gateway_settings(document: dict[str, Any]) -> list[GatewaySettings]:
    """The enabled gateways of a settings document's ``[payments]`` table, in the order ``enabled`` lists."""
    section = document.get("payments") or {}
    enabled = section.get("enabled") or []
    return [GatewaySettings(str(n), dict(section.get(str(n)) or {})) for n in enabled]


def _view(p: PaymentRecord, seconds_left: float | None = None) -> PaymentView:
    shown = PayState.PENDING if p.state == store.SENDING else PayState(p.state)
    return PaymentView(
        p.request_id,
        p.order_key,
        p.gateway,
        Method(p.method),
        Money(p.amount, p.currency),
        shown,
        p.transaction_id,
        p.message,
        p.qr_url if shown is PayState.PENDING else None,
        seconds_left,
        Money(p.refunded, p.currency),
        None if p.fee is None else Money(p.fee, p.currency),
        p.created_at,
        p.updated_at,
    )


def new_id(prefix: str, now: datetime) -> str:
    """Ours, unique, and within every gateway's out_trade_no rules (WeChat: at most 32 of [0-9A-Za-z_-|*])."""
    return f"{prefix}{now:%Y%m%d%H%M%S}{secrets.token_hex(6)}"


class PaymentService:
    """The payments the screens take and refund; the only code that calls a gateway."""

    def __init__(
        self,
        db: Database,
        hub: Hub,
        planner: JobPlanner | None = None,
        *,
        gateways: list[GatewaySettings] | None = None,
        secret: registry.Secret | None = None,
        clock: Clock = utc_now,
        poll_every: float = POLL_EVERY_S,
        give_up_after: float = GIVE_UP_AFTER_S,
        store_name: Callable[[], str] = lambda: "posapp",
    ) -> None:
        self.db = db
        self.hub = hub
        self.planner = planner or JobPlanner()
        self.clock = clock
        self.poll_every = poll_every
        self.give_up_after = give_up_after
        self.store_name = store_name
        self._secret = secret or _keyring
        self._settings: dict[str, GatewaySettings] = {}
        self._gateways: dict[str, Gateway] = {}
        self._retired: list[Gateway] = []
        self._problems: dict[str, str] = {}
        self._active: dict[str, asyncio.Event] = {}  # request id -> its stop event, while take() runs it
        self._finished: dict[str, asyncio.Future[PaymentView]] = {}
        self._recovering: asyncio.Task[None] | None = None
        self.recoveries = 0  # finished recovery passes: tests wait on this
        self.configure(gateways or [])

    # -- configuration -----------------------------------------------------------------------------
    def configure(self, gateways: list[GatewaySettings]) -> None:
        """New ``[payments]`` settings: gateways are built again on first use. A payment in progress keeps
        the gateway object it started with."""
        self._settings = {g.name: g for g in gateways}
        self._retired.extend(self._gateways.values())  # closed at stop: a payment may still be using one
        self._gateways = {}
        self._problems = {}

    def gateway(self, name: str) -> Gateway:
        """The gateway ``name``, built on first use; PaymentRefused with the sentence when it cannot be."""
        if name in self._gateways:
            return self._gateways[name]
        settings = self._settings.get(name)
        if settings is None:
            raise PaymentRefused(f"The {name} payment gateway is not set up: Settings → Payments.")
        options = {k: v for k, v in settings.options.items() if k != "base_url"}
        try:
            built = registry.make(name, options, self._secret, base_url=settings.base_url)
        except (GatewayError, PosappError, KeyError, ValueError) as exc:
            self._problems[name] = str(exc)
            raise PaymentRefused(f"The {name} payment gateway cannot be used: {exc}") from exc
        self._gateways[name] = built
        return built

    def gateways(self) -> list[GatewayInfo]:
        out = []
        for name, settings in self._settings.items():
            kind = registry.GATEWAYS.get(name)
            problem = ""
            try:
                methods = self.gateway(name).methods
            except PaymentRefused as exc:
                problem = str(exc)
                methods = kind.methods if kind is not None else frozenset()
            label = kind.label if kind is not None else name
            out.append(
                GatewayInfo(name, label, methods, settings.sandbox, not problem, problem, settings.readers)
            )
        return out

    async def readers(self, gateway: str) -> list[ReaderView]:
        """The card readers set up for ``gateway`` (Settings → Payments), in that order, each with its state as
        the gateway tells it now (Stripe: ``GET /v1/terminal/readers``): online or offline, busy with a payment.
        A reader the gateway does not list is offline with the reason; when the gateway cannot be asked, every
        reader's state is unknown with the reason. PaymentRefused when the gateway is not set up."""
        settings = self._settings.get(gateway)
        if settings is None:
            raise PaymentRefused(f"The {gateway} payment gateway is not set up: Settings → Payments.")
        gw = self.gateway(gateway)
        lister = getattr(gw, "readers", None)
        if lister is None:
            return [ReaderView(r, r, None) for r in settings.readers]
        try:
            listed = {str(r.id): r for r in await lister()}
        except GatewayError as exc:
            log.info("%s readers could not be listed: %s", gateway, exc)
            return [ReaderView(r, r, None, message=str(exc)) for r in settings.readers]
        out = []
        for reader_id in settings.readers:
            info = listed.get(reader_id)
            if info is None:
                message = f"The {gateway} account has no card reader {reader_id}"
                out.append(ReaderView(reader_id, reader_id, False, message=message))
                continue
            busy = info.action == "in_progress"
            message = "" if info.online else f"The card reader {info.label} is offline"
            if busy:
                message = f"The card reader {info.label} is busy with another payment"
            out.append(ReaderView(reader_id, str(info.label), bool(info.online), busy, message))
        return out

    # -- take ----------------------------------------------------------------------------------------
    async def take(
        self,
        order_key: str,
        gateway: str,
        method: Method,
        amount: Money,
        code: str | None = None,
        *,
        reader_id: str | None = None,
        on_update: UpdateFn | None = None,
        stop: asyncio.Event | None = None,
    ) -> PaymentView:
        """Take ``amount`` for the order ``order_key`` ("<platform>:<external_id>"): the row is committed
        before the gateway hears of it, each answer as it comes; returns the final view (PAID, FAILED,
        CANCELLED, or UNKNOWN when nothing trustworthy answered: the recovery asks again later).

        PaymentRefused (nothing sent) for an unknown order, a paid order, a payment already under way for
        it, a method the gateway lacks, a missing code or reader."""
        gw = self.gateway(gateway)
        method = Method(method)
        code = (code or "").strip() or None
        reader_id = self._reader(gateway, method, reader_id)
        if method not in gw.methods:
            raise PaymentRefused(f"{gateway} does not take payment by {method.value}.")
        if method is Method.SCAN_CODE and code is None:
            raise PaymentRefused("Scan the customer's payment code first.")
        now = self.clock()
        request_id = new_id("P", now)
        mine = asyncio.Event()
        # Ours before the row exists: the recovery never asks about a payment this call is still sending.
        self._active[request_id] = mine
        try:
            record = await self.db.run(
                lambda s: self._start(s, order_key, gateway, method, amount, request_id, reader_id, now)
            )
        except BaseException:
            self._active.pop(request_id, None)
            raise
        log.info("payment %s: %s %s for %s via %s", request_id, amount, method.value, order_key, gateway)
        done: asyncio.Future[PaymentView] = asyncio.get_running_loop().create_future()
        self._finished[request_id] = done
        relay = None if stop is None else asyncio.ensure_future(_relay(stop, mine))
        intent = Intent(request_id, order_key, amount, method, self._subject(record), code, reader_id)
        del code  # from here on only the Intent holds it, for the one pay call
        try:
            view = await self._settle(gw, intent, on_update, mine)
        except BaseException as exc:
            if isinstance(exc, Exception):
                done.set_exception(exc)
                done.exception()  # retrieved: nobody may be waiting on it
            else:
                done.cancel()
            raise
        finally:
            if relay is not None:
                relay.cancel()
            self._active.pop(request_id, None)
            self._finished.pop(request_id, None)
        done.set_result(view)
        return view

    def _reader(self, gateway: str, method: Method, reader_id: str | None) -> str | None:
        if method is not Method.CARD_READER:
            return None
        readers = self._settings[gateway].readers
        chosen = reader_id or (readers[0] if readers else None)
        if chosen is None:
            raise PaymentRefused("No card reader is set up: Settings → Payments → Card readers.")
        return chosen

    def _subject(self, record: PaymentRecord) -> str:
        return f"{self.store_name()} {record.order_key.partition(':')[2]}"[:120]

    def _start(
        self,
        session: Session,
        order_key: str,
        gateway: str,
        method: Method,
        amount: Money,
        request_id: str,
        reader_id: str | None,
        now: datetime,
    ) -> PaymentRecord:
        platform, _, external_id = order_key.partition(":")
        order = store.find_order(session, platform, external_id) if external_id else None
        if order is None:
            raise PaymentRefused(f"No order {order_key!r} to take payment for.")
        if amount.currency != order.currency:
            raise PaymentRefused(f"The order is in {order.currency}, not {amount.currency}.")
        if amount.amount <= 0 or amount.amount > order.total:
            shown = Money(order.total, order.currency).format()
            raise PaymentRefused(f"The amount must be more than 0 and at most the order's total ({shown}).")
        other = store.paid_for_order(session, order.id)
        if other is not None:
            what = "is already paid" if other.state == "paid" else "has a payment under way"
            raise PaymentRefused(
                f"Order #{order.display_id} {what} ({other.gateway}); it is not charged again."
            )
        if order.paid and order.payment_method not in (None, "unpaid"):
            raise PaymentRefused(f"Order #{order.display_id} is already paid ({order.payment_method}).")
        return store.add(
            session,
            request_id=request_id,
            order_id=order.id,
            order_key=order_key,
            gateway=gateway,
            method=method.value,
            amount=amount.amount,
            currency=amount.currency,
            reader_id=reader_id,
            now=now,
        )

    async def _settle(
        self, gw: Gateway, intent: Intent, on_update: UpdateFn | None, stop: asyncio.Event
    ) -> PaymentView:
        writes: list[asyncio.Future[PaymentView]] = []

        def update(outcome: Outcome, left: float) -> None:
            # Committed in order on the database thread; the screen hears the committed state.
            pending = self.db.submit(lambda s: self._answer(s, intent.request_id, outcome, left))
            future = asyncio.wrap_future(pending)
            writes.append(future)
            if on_update is not None:
                future.add_done_callback(lambda f: _tell(on_update, f))

        final = await settle(
            gw,
            intent,
            poll_every=self.poll_every,
            give_up_after=self.give_up_after,
            on_update=update,
            stop=stop,
        )
        results = await asyncio.gather(*writes, return_exceptions=True)
        views = [r for r in results if isinstance(r, PaymentView)]
        for r in results:
            if isinstance(r, BaseException):
                log.error("payment %s: an answer could not be stored: %s", intent.request_id, r)
        view = views[-1] if views else await self.view(intent.request_id)
        await self._after(view)
        log.info("payment %s: %s %s", intent.request_id, final.state.value, final.raw_code)
        return view

    def _answer(self, session: Session, request_id: str, outcome: Outcome, left: float | None) -> PaymentView:
        """Record one gateway answer (in the caller's transaction); a payment that just became paid marks
        its order paid, with the order's change and the uploader's jobs in the same commit."""
        now = self.clock()
        fee = None if outcome.fee is None else outcome.fee.amount
        record, became_paid = store.record(
            session,
            request_id,
            state=outcome.state.value,
            now=now,
            transaction_id=outcome.transaction_id,
            message=outcome.message,
            raw_code=outcome.raw_code,
            qr_url=outcome.qr_url,
            fee=fee,
        )
        if became_paid:
            self._paid(session, record, now)
        return _view(record, left if not record.final else None)

    def _paid(self, session: Session, record: PaymentRecord, now: datetime) -> None:
        method = ORDER_METHOD.get(record.gateway, record.gateway)
        store.mark_order_paid(session, record.order_id, method, now=now)
        amount = Money(record.amount, record.currency).format()
        reason = f"{record.gateway} {amount} {record.transaction_id or ''}".strip()
        repo.add_event(session, record.order_id, "payment", now=now, by=record.gateway, reason=reason)
        order = repo.get_order(session, record.order_id)
        facts = ChangeFacts("payment", now, record.gateway, reason=reason)
        for kind, target, lane, payload in self.planner.plan_change(order, facts):
            enqueue(session, kind, target, payload, now=now, lane=lane, order_id=record.order_id)

    async def _after(self, view: PaymentView, what: str = "payment", by: str | None = None) -> None:
        """A payment that is now paid (or refunded): the screens hear the order changed."""
        if view.state is not PayState.PAID:
            return
        platform, _, external_id = view.order_key.partition(":")

        def work(session: Session) -> Any:
            order_id = repo.find_order_id(session, platform, external_id)
            return None if order_id is None else repo.get_order(session, order_id)

        order = await self.db.run(work)
        if order is not None:
            self.hub.publish(OrderChange(ChangeKind.UPDATED, order, None, by or view.gateway, what))

    # -- cancel --------------------------------------------------------------------------------------
    async def cancel(self, request_id: str) -> PaymentView:
        """The cashier cancels: a payment being taken stops waiting and is cancelled at the gateway (its
        ``take`` returns the result); an unresolved one is cancelled here. A final one is left as it is."""
        running = self._active.get(request_id)
        if running is not None:
            running.set()
            finished = self._finished.get(request_id)
            if finished is not None:
                return await asyncio.shield(finished)
        record = await self.db.run(lambda s: store.get(s, request_id))
        if record.final:
            return _view(record)
        gw = self.gateway(record.gateway)
        try:
            outcome = await gw.cancel(request_id)
        except GatewayError as exc:
            outcome = Outcome(PayState.UNKNOWN, record.transaction_id, str(exc))
        view = await self.db.run(lambda s: self._answer(s, request_id, outcome, None))
        await self._after(view)
        return view

    # -- refund --------------------------------------------------------------------------------------
    async def refund(self, request_id: str, amount: Money, *, user: str, reason: str) -> PaymentView:
        """Give ``amount`` back through the gateway that took the payment: at most what was paid less
        earlier refunds; ``user`` (checked by PIN in the screen) and ``reason`` are audited. RefundRefused
        (nothing sent) otherwise. The refund row is committed before the gateway hears of it."""
        reason = reason.strip()
        if not reason:
            raise RefundRefused("Say why the money goes back.")
        if not user:
            raise RefundRefused("A refund needs the cashier's or manager's PIN.")
        now = self.clock()
        refund_id = new_id("R", now)
        rec = await self.db.run(
            lambda s: self._start_refund(s, request_id, amount, refund_id, user, reason, now)
        )
        sent = await self._send_refund(rec)
        view = await self.view(request_id)
        if sent.state == "paid":
            await self._after(view, "refund", user)
        return view

    def _start_refund(
        self,
        session: Session,
        request_id: str,
        amount: Money,
        refund_id: str,
        user: str,
        reason: str,
        now: datetime,
    ) -> RefundRecord:
        payment = store.get(session, request_id)
        if payment.state != "paid":
            raise RefundRefused("Only a paid payment can be refunded.")
        if amount.currency != payment.currency:
            raise RefundRefused(f"The payment was in {payment.currency}, not {amount.currency}.")
        left = payment.amount - store.reserved_for_refunds(session, payment.id)
        if amount.amount <= 0 or amount.amount > left:
            shown = Money(max(left, 0), payment.currency).format()
            raise RefundRefused(f"A refund must be more than 0 and at most what is left to refund ({shown}).")
        rec = store.add_refund(
            session, payment, refund_id=refund_id, amount=amount.amount, by=user, reason=reason, now=now
        )
        detail = {
            "amount": amount.amount,
            "currency": amount.currency,
            "reason": reason,
            "gateway": payment.gateway,
        }
        audit.record(
            session,
            "gateway_refund_asked",
            at=now,
            by=user,
            order_id=payment.order_id,
            detail=json.dumps({**detail, "refund_id": refund_id}, ensure_ascii=False),
        )
        return rec

    async def _send_refund(self, rec: RefundRecord) -> RefundRecord:
        gw = self.gateway(rec.gateway)
        try:
            answer = await gw.refund(
                rec.request_id, rec.refund_id, Money(rec.amount, rec.currency), rec.reason
            )
        except GatewayError as exc:
            log.warning("refund %s: no trustworthy answer (%s); asked again later", rec.refund_id, exc)
            answer = RefundOutcome(PayState.UNKNOWN, rec.refund_id, message=str(exc))
        return await self.db.run(lambda s: self._refund_answer(s, rec.refund_id, answer))

    def _refund_answer(self, session: Session, refund_id: str, answer: RefundOutcome) -> RefundRecord:
        now = self.clock()
        rec, done = store.record_refund(
            session,
            refund_id,
            state=answer.state.value,
            now=now,
            transaction_id=answer.transaction_id,
            message=answer.message,
        )
        payment = store.get(session, rec.request_id)
        if done:
            money = Money(rec.amount, rec.currency)
            detail = {
                "amount": rec.amount,
                "currency": rec.currency,
                "reason": rec.reason,
                "gateway": rec.gateway,
            }
            # "refund" as staff's marked refunds are: the Z-report's refunds and the audit log list it.
            audit.record(
                session,
                "refund",
                at=now,
                by=rec.by,
                order_id=payment.order_id,
                detail=json.dumps(detail, ensure_ascii=False),
            )
            reason = f"{rec.gateway} {money.format()} {rec.reason}"
            repo.add_event(session, payment.order_id, "gateway_refund", now=now, by=rec.by, reason=reason)
            # Head office hears of it as of any money event on the order (docs/upload-api.yaml, Change).
            order = repo.get_order(session, payment.order_id)
            for kind, target, lane, job in self.planner.plan_change(
                order, ChangeFacts("refund", now, rec.by, reason=reason)
            ):
                enqueue(session, kind, target, job, now=now, lane=lane, order_id=payment.order_id)
        elif rec.state == "failed":
            audit.record(
                session,
                "gateway_refund_refused",
                at=now,
                by=rec.by,
                order_id=payment.order_id,
                detail=rec.message or rec.refund_id,
            )
        return rec

    # -- callbacks -----------------------------------------------------------------------------------
    async def callback(self, gateway: str, headers: dict[str, str], body: bytes) -> CallbackAnswer:
        """A gateway's asynchronous notification (Alipay notify, WeChat Pay callback, Stripe webhook): acted on
        only when its signature verifies; a repeat changes nothing (paid stays paid). Returns the answer the
        gateway expects, so it stops resending."""
        try:
            gw = self.gateway(gateway)
            request_id, outcome = gw.verify_callback(headers, body)
        except SignatureError as exc:
            log.warning("%s callback refused: %s", gateway, exc)
            return CallbackAnswer(401, b"signature refused")
        except (GatewayError, PaymentRefused) as exc:
            log.warning("%s callback not taken: %s", gateway, exc)
            return CallbackAnswer(400, b"not taken")
        ack = CALLBACK_ACK.get(gateway, CallbackAnswer(200, b""))
        if outcome.state not in (PayState.PAID, PayState.FAILED, PayState.CANCELLED):
            return ack  # still waiting: the cashier's wait or the recovery asks
        try:
            view = await self.db.run(lambda s: self._answer(s, request_id, outcome, None))
        except NotFoundError:
            log.warning("%s callback about a payment that is not ours: %s", gateway, request_id)
            return ack
        await self._after(view)
        log.info("payment %s: %s by the %s callback", request_id, view.state.value, gateway)
        return ack

    @property
    def takes_notices(self) -> bool:
        """Whether a gateway was given a ``notify_url``: then the engine's listener serves its notifications."""
        return any(g.options.get("notify_url") for g in self._settings.values())

    async def notice(self, gateway: str, headers: dict[str, str], body: bytes) -> tuple[int, bytes, str]:
        """``callback`` as the listener calls it (services/channels.py PaymentCallback)."""
        answer = await self.callback(gateway, headers, body)
        return answer.status, answer.body, answer.content_type

    # -- reading -------------------------------------------------------------------------------------
    async def view(self, request_id: str) -> PaymentView:
        return _view(await self.db.run(lambda s: store.get(s, request_id)))

    async def payments_for(self, order_key: str) -> list[PaymentView]:
        platform, _, external_id = order_key.partition(":")

        def work(session: Session) -> list[PaymentRecord]:
            order_id = repo.find_order_id(session, platform, external_id)
            return [] if order_id is None else store.for_order(session, order_id)

        return [_view(p) for p in await self.db.run(work)]

    # -- recovery --------------------------------------------------------------------------------------
    async def recover(self) -> int:
        """Ask the gateways about every payment and refund no trustworthy answer finished (a crash, a
        dead network): a payment still waiting for the customer after the gateway's time is cancelled.
        Returns how many are still unresolved."""
        payments, refunds = await self.db.run(
            lambda s: (store.unresolved(s), store.unresolved_refunds(s)), background=True
        )
        left = 0
        for p in payments:
            if p.request_id in self._active:
                continue
            left += not await self._resolve(p)
        for r in refunds:
            left += (await self._send_refund_quietly(r)) not in ("paid", "failed")
        self.recoveries += 1
        return left

    async def _resolve(self, p: PaymentRecord) -> bool:
        try:
            gw = self.gateway(p.gateway)
        except PaymentRefused as exc:
            log.warning("payment %s cannot be asked about: %s", p.request_id, exc)
            return False
        try:
            outcome = await gw.query(p.request_id)
            late = (self.clock() - p.created_at).total_seconds() >= self.give_up_after
            if outcome.state in (PayState.PENDING, PayState.UNKNOWN) and late:
                outcome = await gw.cancel(p.request_id)
        except GatewayError as exc:
            log.warning("payment %s: still no trustworthy answer (%s)", p.request_id, exc)
            outcome = Outcome(PayState.UNKNOWN, p.transaction_id, str(exc))
        view = await self.db.run(lambda s: self._answer(s, p.request_id, outcome, None))
        await self._after(view)
        log.info("payment %s resolved by query: %s", p.request_id, view.state.value)
        return view.state in (PayState.PAID, PayState.FAILED, PayState.CANCELLED)

    async def _send_refund_quietly(self, r: RefundRecord) -> str:
        try:
            return (await self._send_refund(r)).state
        except PaymentRefused as exc:
            log.warning("refund %s cannot be asked about: %s", r.refund_id, exc)
            return r.state

    def start_recovery(self, every: float = RECOVER_EVERY_S) -> None:
        """The recovery pass now (engine start) and every ``every`` seconds while the engine runs."""
        if self._recovering is None or self._recovering.done():
            self._recovering = asyncio.get_running_loop().create_task(
                self._recover_loop(every), name="payments"
            )

    async def _recover_loop(self, every: float) -> None:
        while True:
            try:
                await self.recover()
            except asyncio.CancelledError:
                raise
            except Exception:  # a storage error: the next pass tries again
                log.exception("payment recovery failed")
            await asyncio.sleep(every)

    async def stop(self) -> None:
        if self._recovering is not None:
            self._recovering.cancel()
            await asyncio.gather(self._recovering, return_exceptions=True)
            self._recovering = None
        for gw in [*self._gateways.values(), *self._retired]:
            try:
                await gw.aclose()
            except Exception:
                log.warning("closing the %s gateway failed", gw.name, exc_info=True)
        self._gateways, self._retired = {}, []


async def _relay(outer: asyncio.Event, inner: asyncio.Event) -> None:
    await outer.wait()
    inner.set()


def _tell(on_update: UpdateFn, future: asyncio.Future[PaymentView]) -> None:
    if future.cancelled() or future.exception() is not None:
        return
    try:
        on_update(future.result())
    except Exception:
        log.exception("a payment screen's update failed")


def _keyring(name: str) -> str | None:
    from posapp.vault import get_secret

    return get_secret(name)


__all__ = [
    "CallbackAnswer",
    "GatewayInfo",
    "GatewaySettings",
    "PaymentRefused",
    "PaymentService",
    "PaymentView",
    "ReaderView",
    "gateway_settings",
]
