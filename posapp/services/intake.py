"""Intake: a parsed platform order lands once, in one transaction, with its first event and jobs."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from sqlalchemy.orm import Session

from posapp.domain import bounds
from posapp.domain.events import PlatformEvent, PlatformEventKind
from posapp.domain.lifecycle import Action, allowed_actions
from posapp.domain.order import Order, OrderStatus
from posapp.services.clock import Clock, utc_now
from posapp.services.hub import ChangeKind, Hub, OrderChange
from posapp.services.planner import ChangeFacts, JobPlanner
from posapp.store import orders as repo
from posapp.store import payouts
from posapp.store import settings as settings_repo
from posapp.store.db import Database
from posapp.store.jobs import JobSpec, enqueue_all

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class IntakeResult:
    order_id: int
    created: bool


class OrderOffers(Protocol):
    """services/offers.py as intake sees it: an offer code applied inside the intake's transaction."""

    def before_store(
        self, session: Session, order: Order, typed: str | None, *, now: datetime, by: str
    ) -> tuple[Order, Callable[[Session, int], None] | None]: ...

    def discount_for(self, session: Session, typed: str, order: Order, *, now: datetime) -> int: ...


class IntakeService:
    """Idempotent on ``(platform, external_id)``: platforms deliver at least once, we store exactly once."""

    def __init__(
        self, db: Database, hub: Hub, planner: JobPlanner | None = None, clock: Clock = utc_now
    ) -> None:
        self.db = db
        self.hub = hub
        self.planner = planner or JobPlanner()
        self.clock = clock
        self.auto_accept: set[str] = set()
        self.menu_names: set[str] = set()  # dishes seen on the menu: only new names are looked up
        self.offers: OrderOffers | None = None  # offer codes on own-channel orders (services/offers.py)

    async def ingest(
        self, order: Order, *, by: str | None = None, offer_code: str | None = None
    ) -> IntakeResult:
        """Store ``order`` (and auto-accept it if its platform is set so); a duplicate changes nothing.
        An offer code (``offer_code``, or one a website order carries) is checked and used in the same
        transaction: the order is stored with its discount and the code marked used, or neither."""
        now = self.clock()
        actor = by or order.platform
        auto = order.platform in self.auto_accept

        def work(session: Session) -> tuple[IntakeResult, list[OrderChange], set[str]]:
            existing = repo.find_order_id(session, order.platform, order.external_id)
            if existing is not None:
                return IntakeResult(existing, False), [], set()
            incoming, redeem = order, None
            if self.offers is not None:
                incoming, redeem = self.offers.before_store(session, order, offer_code, now=now, by=actor)
            pending = _take_pending(session, order.platform, order.external_id)
            # Nothing to apply first: the accept is written with the order (the same rows, one write less).
            accept_now = auto and not pending and order.status == OrderStatus.NEW
            states = repo.add_order(
                session,
                incoming,
                now=now,
                by=actor,
                then=(Action.ACCEPT, "auto-accept") if accept_now else None,
            )
            stored = states[0]
            order_id = stored.id
            assert order_id is not None
            if redeem is not None:
                redeem(session, order_id)
            names = settings_repo.remember_menu_items(session, stored, self.menu_names)
            changes = [OrderChange(ChangeKind.CREATED, stored, by=actor)]
            first = ChangeFacts("created", now, actor, to_status=stored.status.value)
            jobs = self._plan(stored, None, actor, first)
            for event in pending:
                change = _apply_event(session, order_id, event, now)
                if change is not None:
                    jobs += self._plan_change(change, event, now)
                    changes.append(change)
            if pending:
                stored = repo.get_order(session, order_id)
                if auto and stored.status == OrderStatus.NEW:
                    repo.apply_action(session, order_id, Action.ACCEPT, now=now, by="auto-accept")
                    states = [stored, repo.get_order(session, order_id)]
            if len(states) == 2:
                before, accepted = states
                facts = ChangeFacts(
                    "status",
                    now,
                    "auto-accept",
                    before.status.value,
                    accepted.status.value,
                    action=Action.ACCEPT.value,
                )
                jobs += self._plan(accepted, Action.ACCEPT, "auto-accept", facts)
                changes.append(
                    OrderChange(
                        ChangeKind.STATUS, accepted, previous_status=before.status.value, by="auto-accept"
                    )
                )
            enqueue_all(session, jobs, now=now)
            return IntakeResult(order_id, True), changes, names

        result, changes, names = await self.db.run(work, group=True)
        self.menu_names |= names  # committed: these dishes are on the menu now
        if result.created:
            log.info("order %s/%s stored as #%s", order.platform, order.external_id, result.order_id)
        for change in changes:
            self.hub.publish(change)
        return result

    def _plan(
        self, order: Order, action: Action | None, by: str, facts: ChangeFacts | None = None
    ) -> list[JobSpec]:
        assert order.id is not None
        return [
            (kind, target, lane, payload, order.id)
            for kind, target, lane, payload in self.planner.plan(order, action, by, None, change=facts)
        ]

    def _plan_change(self, change: OrderChange, event: PlatformEvent, now: datetime) -> list[JobSpec]:
        """Jobs for a platform event applied to a stored order (status move or rider/reminder/refund)."""
        order = change.order
        assert order.id is not None
        by = event.platform
        if change.kind == ChangeKind.STATUS:
            action = Action.CANCEL if event.kind == PlatformEventKind.CANCELLED else Action.COMPLETE
            facts = ChangeFacts(
                "status",
                now,
                by,
                change.previous_status,
                order.status.value,
                action=action.value,
                reason=event.detail,
            )
            specs = self.planner.plan(order, action, by, event.detail, change=facts)
        else:
            facts = ChangeFacts(event.kind.value, now, by, reason=event.detail)
            specs = self.planner.plan_change(order, facts)
        return [(kind, target, lane, payload, order.id) for kind, target, lane, payload in specs]

    async def quarantine(
        self, platform: str, body: bytes | str, reason: str, *, content_type: str | None = None
    ) -> int:
        """Keep a payload we cannot use, whole, with the reason; returns the quarantine row id."""
        now = self.clock()
        qid = await self.db.run(
            lambda s: repo.quarantine(s, platform, body, reason, now=now, content_type=content_type)
        )
        log.warning("payload from %s quarantined as #%s: %s", platform, qid, reason)
        return qid

    async def quarantine_count(self) -> int:
        return await self.db.run(repo.quarantine_count)

    async def apply_event(self, event: PlatformEvent, *, key: str | None = None) -> OrderChange | None:
        """A platform's later message: cancel, reminder, rider; kept for later if the order is not here yet.

        ``key`` identifies the message (the platform's message id or a digest of the signed request): the
        same message delivered again changes nothing, so a resent 催单 is counted once.
        """
        now = self.clock()

        def work(session: Session) -> OrderChange | None:
            if key is not None and not repo.first_sighting(session, event.platform, key, now=now):
                return None
            order_id = repo.find_order_id(session, event.platform, event.external_id)
            if order_id is None:
                _keep_pending(session, event, now)
                return None
            change = _apply_event(session, order_id, event, now)
            if change is not None:
                enqueue_all(session, self._plan_change(change, event, now), now=now)
            return change

        change = await self.db.run(work, group=True)
        if change is not None:
            self.hub.publish(change)
        return change


def _apply_event(session: Session, order_id: int, event: PlatformEvent, now: datetime) -> OrderChange | None:
    order = repo.get_order(session, order_id)
    by = event.platform
    if event.kind in (PlatformEventKind.CANCELLED, PlatformEventKind.COMPLETED):
        action = Action.CANCEL if event.kind == PlatformEventKind.CANCELLED else Action.COMPLETE
        if action not in allowed_actions(order.status):
            repo.add_event(session, order_id, event.kind.value, now=now, by=by, reason=event.detail)
            return None
        before, _ = repo.apply_action(session, order_id, action, now=now, by=by, reason=event.detail)
        return OrderChange(
            ChangeKind.STATUS, repo.get_order(session, order_id), before.value, by, event.detail
        )
    if event.kind == PlatformEventKind.REFUNDED:
        return _refunded(session, order_id, event, now)
    if event.kind == PlatformEventKind.REMINDER:
        repo.update_order_fields(session, order_id, now=now, reminders=order.reminders + 1)
    elif event.kind == PlatformEventKind.RIDER:
        rider = None if event.detail is None else bounds.clean_text(event.detail, bounds.RIDER_MAX)
        repo.update_order_fields(session, order_id, now=now, rider_status=rider)
    repo.add_event(session, order_id, event.kind.value, now=now, by=by, reason=event.detail)
    return OrderChange(ChangeKind.UPDATED, repo.get_order(session, order_id), None, by, event.kind.value)


def _refunded(session: Session, order_id: int, event: PlatformEvent, now: datetime) -> OrderChange | None:
    """Money the platform gave back to the customer: kept as money (payout reconciliation and reports)
    and as an event on the order's history with the amount in its reason."""
    full = event.amount is None
    amount = payouts.add_platform_refund(
        session, order_id, event.amount, full=full, at=event.at or now, reason=event.detail
    )
    if amount == 0:
        return None  # refunded in full already: a second full-refund message adds nothing
    order = repo.get_order(session, order_id)
    reason = f"{order.money(amount)} {event.detail or ''}".strip()
    repo.add_event(session, order_id, event.kind.value, now=now, by=event.platform, reason=reason)
    return OrderChange(ChangeKind.UPDATED, order, None, event.platform, event.kind.value)


_AMOUNT = "amount="  # a partial refund kept for an order not here yet carries its amount in the detail


def _keep_pending(session: Session, event: PlatformEvent, now: datetime) -> None:
    detail = event.detail
    if event.amount is not None:
        detail = f"{_AMOUNT}{event.amount};{detail or ''}"
    repo.keep_pending_message(session, event.platform, event.external_id, event.kind.value, detail, now=now)


def _pending_event(platform: str, external_id: str, kind: str, detail: str | None) -> PlatformEvent:
    amount = None
    if kind == PlatformEventKind.REFUNDED and detail and detail.startswith(_AMOUNT):
        head, _, rest = detail.partition(";")
        amount, detail = int(head.removeprefix(_AMOUNT)), rest or None
    return PlatformEvent(platform, external_id, PlatformEventKind(kind), detail, amount=amount)


def _take_pending(session: Session, platform: str, external_id: str) -> list[PlatformEvent]:
    return [
        _pending_event(platform, external_id, kind, detail)
        for kind, detail in repo.take_pending_messages(session, platform, external_id)
    ]
