"""Order commands: accept, reject, start, ready, complete, cancel, recall — each one transaction."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable
from concurrent.futures import Future
from datetime import timedelta

from sqlalchemy.orm import Session

from posapp.domain.events import StatusEvent
from posapp.domain.kitchen import UNDO_WINDOW, undo_target
from posapp.domain.lifecycle import Action
from posapp.domain.order import Order
from posapp.errors import TransitionError
from posapp.services.clock import Clock, utc_now
from posapp.services.hub import ChangeKind, Hub, OrderChange
from posapp.services.planner import ChangeFacts, JobPlanner
from posapp.store import jobs as jobstore
from posapp.store import orders as repo
from posapp.store.db import Database

log = logging.getLogger(__name__)


class OrderService:
    """The only way an order's status changes: the lifecycle decides, the event and jobs are one commit.

    Its coroutines touch nothing but the database thread (``Database.run``) and the hub (which hands each
    listener its change on the listener's own loop), so they may run on any loop: a screen in the engine's
    process awaits a tap's transaction on its own loop, without a hop through the engine's loop and back
    (``ANY_LOOP``, read by ``posapp.app``).
    """

    ANY_LOOP = True

    def __init__(
        self, db: Database, hub: Hub, planner: JobPlanner | None = None, clock: Clock = utc_now
    ) -> None:
        self.db = db
        self.hub = hub
        self.planner = planner or JobPlanner()
        self.clock = clock

    async def apply(
        self,
        order_id: int,
        action: Action | str,
        *,
        by: str = "staff",
        reason: str | None = None,
        version: int | None = None,
    ) -> OrderChange:
        """Apply ``action``; raises ``TransitionError`` (nothing stored) when the lifecycle refuses, and
        ``Conflict`` when ``version`` is given and the order has changed since (checked in the same
        transaction, so of two screens tapping at once exactly one wins)."""
        return await self.begin(order_id, action, by=by, reason=reason, version=version)

    def begin(
        self,
        order_id: int,
        action: Action | str,
        *,
        by: str = "staff",
        reason: str | None = None,
        version: int | None = None,
    ) -> Awaitable[OrderChange]:
        """``apply``, with its transaction queued on the database thread at once (a tap's click handler
        calls this, so the commit does not wait for the GUI loop to start a task); await the result."""
        act = Action(action)
        now = self.clock()

        def work(session: Session) -> OrderChange:
            repo.check_version(session, order_id, version)
            before, after = repo.apply_action(session, order_id, act, now=now, by=by, reason=reason)
            order = repo.get_order(session, order_id)
            facts = ChangeFacts("status", now, by, before.value, after.value, action=act.value, reason=reason)
            for kind, target, lane, payload in self.planner.plan(order, act, by, reason, change=facts):
                jobstore.enqueue(session, kind, target, payload, now=now, lane=lane, order_id=order_id)
            return OrderChange(ChangeKind.STATUS, order, previous_status=before.value, by=by, detail=reason)

        return self._published(self.db.submit(work), order_id, by)

    async def _published(self, pending: Future[OrderChange], order_id: int, by: str) -> OrderChange:
        change = await asyncio.wrap_future(pending)
        log.info("order %s: %s -> %s by %s", order_id, change.previous_status, change.order.status, by)
        self.hub.publish(change)
        return change

    async def accept(self, order_id: int, *, by: str = "staff") -> OrderChange:
        return await self.apply(order_id, Action.ACCEPT, by=by)

    async def reject(self, order_id: int, reason: str, *, by: str = "staff") -> OrderChange:
        return await self.apply(order_id, Action.REJECT, by=by, reason=reason)

    async def start(self, order_id: int, *, by: str = "staff") -> OrderChange:
        return await self.apply(order_id, Action.START, by=by)

    async def ready(self, order_id: int, *, by: str = "staff") -> OrderChange:
        return await self.apply(order_id, Action.READY, by=by)

    async def complete(self, order_id: int, *, by: str = "staff") -> OrderChange:
        return await self.apply(order_id, Action.COMPLETE, by=by)

    async def cancel(self, order_id: int, reason: str, *, by: str = "staff") -> OrderChange:
        return await self.apply(order_id, Action.CANCEL, by=by, reason=reason)

    async def undo(
        self,
        order_id: int,
        *,
        by: str = "staff",
        window: timedelta = UNDO_WINDOW,
        version: int | None = None,
    ) -> OrderChange:
        """Take back the order's last bump (start, ready, done) if it happened within ``window``."""
        now = self.clock()

        def work(session: Session) -> OrderChange:
            repo.check_version(session, order_id, version)
            last = repo.last_status_event(session, order_id)
            target = undo_target(last.from_status, last.to_status) if last else None
            if last is None or target is None:
                raise TransitionError("nothing to undo on this order")
            if now - last.at > window:
                raise TransitionError(
                    f"too late to undo: undo works for {int(window.total_seconds())} seconds"
                )
            before = repo.revert_status(session, order_id, target, now=now, by=by, reason="undo")
            order = repo.get_order(session, order_id)
            return OrderChange(ChangeKind.STATUS, order, previous_status=before.value, by=by, detail="undo")

        change = await self.db.run(work)
        self.hub.publish(change)
        return change

    async def accept_all(self, order_ids: list[int], *, by: str = "staff") -> list[OrderChange]:
        """Accept every listed order that is still new; one refused order does not stop the others."""
        changes = []
        for order_id in order_ids:
            try:
                changes.append(await self.apply(order_id, Action.ACCEPT, by=by))
            except TransitionError:
                continue
        return changes

    async def recently_completed(self, *, hours: float = 4) -> list[Order]:
        since = self.clock() - timedelta(hours=hours)
        return await self.db.run(lambda s: repo.recently_closed(s, since=since))

    async def open_orders(self) -> list[Order]:
        return await self.db.run(repo.open_orders)

    async def get(self, order_id: int) -> Order:
        return await self.db.run(lambda s: repo.get_order(s, order_id))

    async def history(self, order_id: int) -> list[StatusEvent]:
        return await self.db.run(lambda s: repo.events_for(s, order_id))
