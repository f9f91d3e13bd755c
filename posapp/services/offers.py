"""Bounce-back offers: set up by a manager, printed with a one-time code on own-channel receipts of the chosen
segments, redeemed once at the counter or on the own website, counted in the reports.

Own channels only (domain/offers.py OWN_CHANNELS): Meituan, Ele.me, Uber Eats and DoorDash forbid steering
their customers away from the platform, so their orders never get an offer, whatever the customer's segment.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from collections.abc import Callable
from datetime import datetime

from sqlalchemy.orm import Session

from posapp.connectors.own import offer_code_of
from posapp.domain.money import Money
from posapp.domain.offers import (
    OWN_CHANNELS,
    IssuedCode,
    Offer,
    OfferError,
    Redemption,
    check_offer,
    format_code,
    new_code,
    normalise_code,
    segment_before,
)
from posapp.domain.order import Order, OrderStatus, Totals
from posapp.domain.roles import Permission, User
from posapp.errors import StorageError
from posapp.reports.segments import identity, segment_of
from posapp.services.auth import AuthService
from posapp.services.clock import Clock, utc_now
from posapp.store import audit
from posapp.store import offers as store
from posapp.store import orders as repo
from posapp.store.db import Database

log = logging.getLogger(__name__)

Redeem = Callable[[Session, int], None]  # after the order is stored (its id): record the code as used


def customer_segment(session: Session, order: Order) -> str | None:
    """The segment the order's customer was in just before this order (new when it is their first), or None
    when the order names no one we can recognise (no phone)."""
    customer = order.customer
    if customer is None or not customer.phone_masked:
        return None
    key = identity(order.platform, customer.phone_masked, customer.name)
    if key is None:
        return None
    # The same number written with or without spaces and dashes ("138 **** 5678", "138****5678").
    phones = (customer.phone_masked, re.sub(r"[\s\-()]", "", customer.phone_masked))
    earlier = [
        (o.placed_at, o.total)
        for o in store.orders_with_phone(session, phones)
        if o.order_id != order.id and identity(o.platform, o.phone, o.name) == key
    ]
    return segment_before(earlier, order.placed_at, lambda n, spent, days: segment_of(n, spent, days).value)


def with_discount(order: Order, amount: int, note: str | None = None) -> Order:
    """The order with ``amount`` more discount off its total (and ``note`` added to its notes)."""
    t = order.totals
    totals: Totals = dataclasses.replace(t, discount=t.discount + amount, total=t.total - amount)
    notes = " · ".join(p for p in (order.notes, note) if p) or None
    return dataclasses.replace(order, totals=totals, notes=notes)


def with_note(order: Order, note: str) -> Order:
    return dataclasses.replace(order, notes=" · ".join(p for p in (order.notes, note) if p))


class OfferService:
    """The offers' use cases. ``for_receipt`` and ``before_store`` run inside the caller's transaction (the
    print job's load, the intake), on the database thread."""

    def __init__(
        self, db: Database, *, clock: Clock = utc_now, make_code: Callable[[], str] = new_code
    ) -> None:
        self.db = db
        self.clock = clock
        self.make_code = make_code

    # -- the manager's side ---------------------------------------------------------------------------
    async def offers(self) -> list[Offer]:
        return await self.db.run(store.offers)

    async def save(self, offer: Offer, *, by: User) -> int:
        """Create or change an offer (manager PIN); ``OfferError`` says what to fix. Audited."""
        AuthService.require(by, Permission.REPORTS)
        check_offer(offer)
        now = self.clock()

        def work(session: Session) -> int:
            offer_id = store.save_offer(session, offer, at=now, by=by.actor)
            state = "on" if offer.active else "off"
            detail = f"offer {offer_id} ({state}): {offer.text.strip()} → {' '.join(sorted(offer.segments))}"
            audit.record(session, "offer_saved", at=now, by=by.actor, detail=detail)
            return offer_id

        return await self.db.run(work)

    # -- the receipt ------------------------------------------------------------------------------------
    def for_receipt(self, session: Session, order: Order) -> IssuedCode | None:
        """The offer and code an order's receipt carries: the code it issued before (a reprint shows the same
        one), else a new code of the newest active offer for the customer's segment — own channels only."""
        if order.platform not in OWN_CHANNELS or order.id is None:
            return None  # the platforms' rules: never steer a platform's customer away
        issued = store.code_of_order(session, order.id)
        if issued is not None or order.status in (OrderStatus.CANCELLED, OrderStatus.REJECTED):
            return issued  # a cancelled order's receipt hands out nothing new
        segment = customer_segment(session, order)
        chosen = next(
            (o for o in store.offers(session) if o.receives(segment) and o.currency == order.currency), None
        )
        if chosen is None:
            return None
        now = self.clock()
        issued = store.issue_code(session, chosen, order.id, at=now, new_code=self.make_code)
        repo.add_event(
            session, order.id, "offer_issued", now=now, by="offers", reason=f"code {format_code(issued.code)}"
        )
        log.info("order %s: offer %s code issued (%s customer)", order.id, chosen.id, segment)
        return issued

    def issued_code(self, session: Session, order_id: int) -> IssuedCode | None:
        """The code the order issued, without issuing one (previews)."""
        return store.code_of_order(session, order_id)

    def redeemed_on(self, session: Session, order_id: int) -> Redemption | None:
        return store.redemption_on_order(session, order_id)

    # -- redemption -------------------------------------------------------------------------------------
    def check(self, session: Session, typed: str, order: Order, *, now: datetime) -> tuple[IssuedCode, int]:
        """The code's offer and the discount it gives ``order``; ``OfferError`` with the sentence why not."""
        code = normalise_code(typed)
        issued = store.find_code(session, code)
        shown = format_code(code)
        if issued is None:
            raise OfferError(f"Code {shown} was not issued by this store.")
        used = store.redemption_of(session, code)
        if used is not None:
            _, display = used
            raise OfferError(f"Code {shown} has been used already, on order #{display}.")
        if now >= issued.expires_at:
            raise OfferError(f"Code {shown} expired on {issued.expires_at:%Y-%m-%d}.")
        offer = issued.offer
        if offer.currency != order.currency:
            raise OfferError(f"Code {shown} is for orders in {offer.currency}.")
        spend = order.totals.subtotal
        if spend < offer.min_spend:
            need = Money(offer.min_spend, offer.currency).format()
            raise OfferError(
                f"Code {shown} needs a spend of at least {need}; this order is {order.money(spend)}."
            )
        discount = offer.discount_on(spend)
        if discount <= 0:
            raise OfferError(f"Code {shown} gives nothing off this order.")
        return issued, discount

    def discount_for(self, session: Session, typed: str, order: Order, *, now: datetime) -> int:
        """What the code would take off ``order`` now (the order form's Apply); ``OfferError`` why not."""
        return self.check(session, typed, order, now=now)[1]

    def before_store(
        self, session: Session, order: Order, typed: str | None, *, now: datetime, by: str
    ) -> tuple[Order, Redeem | None]:
        """Intake's hook: the order as it is to be stored (its discount applied) and what to record once it
        has an id. A counter order with a bad code is refused (``OfferError``: the cashier is there to fix it);
        a web order is taken anyway, without the discount, with a note the cashier sees and an event kept."""
        if typed is None and order.platform == "own":
            typed = offer_code_of(order)
        if typed is None or not typed.strip() or order.platform not in OWN_CHANNELS:
            return order, None
        strict = order.platform != "own"
        try:
            issued, discount = self.check(session, typed, order, now=now)
        except OfferError as exc:
            if strict:
                raise
            log.warning("web order %s: offer code refused: %s", order.external_id, exc)
            refused = f"Offer code {typed.strip()[:20]} not applied: {exc}"
            return with_note(order, refused), _event("offer_refused", str(exc), by, now)
        shown = format_code(issued.code)
        give_back = None
        if order.platform == "own" and order.payment is not None and order.payment.paid:
            given = order.money(discount)
            give_back = (
                f"Offer code {shown}: {given} off — the website took the full price: give {given} back."
            )
        return with_discount(order, discount, give_back), self._redeem(issued, discount, now, by, strict)

    def _redeem(self, issued: IssuedCode, discount: int, now: datetime, by: str, strict: bool) -> Redeem:
        offer = issued.offer
        assert offer.id is not None
        offer_id = offer.id

        def redeem(session: Session, order_id: int) -> None:
            used = Redemption(issued.code, offer_id, order_id, discount, offer.currency, now)
            try:
                store.redeem(session, used, by=by)
            except OfferError as exc:
                if strict:
                    raise
                # Another process used the code between our check and this insert: the order must not be
                # stored with a discount it did not get, nor lost. The platform sends it again (not 2xx);
                # then the check says the code is used and the order is taken without it.
                raise StorageError(f"{exc} The website will send the order again.") from exc
            amount = Money(discount, offer.currency).format()
            reason = f"code {format_code(issued.code)} −{amount}"
            repo.add_event(session, order_id, "offer_redeemed", now=now, by=by, reason=reason)

        return redeem


def _event(kind: str, reason: str, by: str, now: datetime) -> Redeem:
    def record(session: Session, order_id: int) -> None:
        repo.add_event(session, order_id, kind, now=now, by=by, reason=reason)

    return record
