"""Busy mode: "+10 / +20 / +30 min" for a while, told to every platform whose public API can take it.

What each platform's public API allows was read from its docs (sources in each connector): none of the four
has a store-level prep-time or busy setting; Uber Eats (Accept Order ``pickup_time``) and DoorDash (Confirm
Order ``prep_time``) take a ready time with each accept. So while busy, every accept to those two carries the
later ready time, through the durable push job like any accept; for the others the screen says what cannot be
done. A per-order "needs N more minutes" rides on that order's accept in the same way.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from posapp.connectors.base import Connector
from posapp.domain.order import Order, OrderStatus
from posapp.services.clock import Clock, utc_now
from posapp.services.hub import Hub, Notice
from posapp.store import audit
from posapp.store import orders as orders_repo
from posapp.store import settings as settings_repo
from posapp.store.db import Database

log = logging.getLogger(__name__)

SETTING = "busy"
DELAYS = (
    "busy.order_delays"  # order id -> minutes asked for on it, kept until its accept (a restart keeps them)
)
NOTICE_SOURCE = "busy"
CHOICES = (10, 20, 30)  # the counter's buttons, minutes


@dataclass(frozen=True, slots=True)
class BusyState:
    """Extra minutes on every order until ``until`` (None: until someone ends it); 0 minutes is normal."""

    extra_minutes: int = 0
    until: datetime | None = None
    since: datetime | None = None
    by: str = ""

    @property
    def on(self) -> bool:
        return self.extra_minutes > 0


@dataclass(frozen=True, slots=True)
class PlatformAnswer:
    """What a platform does with busy mode or a per-order delay: ``takes`` it (and how) or says why not."""

    platform: str
    takes: bool
    how: str


class BusyService:
    """Holds the busy state (persisted, audited, ended by a timer) and the per-order delays; the planner asks
    ``accept_extras`` for each accept push, so the platforms that take a ready time hear it."""

    def __init__(
        self,
        db: Database,
        hub: Hub,
        connectors: Callable[[], Mapping[str, Connector]],
        *,
        clock: Clock = utc_now,
    ) -> None:
        self.db = db
        self.hub = hub
        self.connectors = connectors
        self.clock = clock
        self.state = BusyState()
        self.order_extra: dict[
            int, int
        ] = {}  # order id -> minutes asked for on that order, sent with its accept
        self._timer: asyncio.TimerHandle | None = None

    # -- the store's busy mode ----------------------------------------------------------------------
    async def load(self) -> None:
        """Restore the state the last run saved; a busy period that ended while we were off ends now."""
        saved, delays = await self.db.run(_load_saved)
        self.order_extra.update(delays)
        if not isinstance(saved, dict) or not saved.get("extra_minutes"):
            return
        until = datetime.fromisoformat(saved["until"]) if saved.get("until") else None
        since = datetime.fromisoformat(saved["since"]) if saved.get("since") else None
        self.state = BusyState(int(saved["extra_minutes"]), until, since, str(saved.get("by", "")))
        if until is not None and until <= self.clock():
            await self.end(by="timer")
        else:
            self._schedule()
            self.publish()

    async def start(self, extra_minutes: int, *, for_minutes: float | None, by: str) -> BusyState:
        """Busy: ``extra_minutes`` on every order for ``for_minutes`` (None: until ended). Audited."""
        if extra_minutes <= 0:
            raise ValueError("busy mode adds at least one minute")
        now = self.clock()
        until = now + timedelta(minutes=for_minutes) if for_minutes else None
        state = BusyState(extra_minutes, until, now, by)
        for_text = f" until {until:%H:%M} UTC" if until is not None else " until ended"
        await self._save(state, "busy_on", f"+{extra_minutes} min{for_text}", by)
        return state

    async def end(self, *, by: str) -> BusyState:
        """Back to normal prep times (``by="timer"`` when the chosen time ran out). Audited."""
        if not self.state.on:
            return self.state
        return await self._save(BusyState(), "busy_off", f"after +{self.state.extra_minutes} min", by)

    async def _save(self, state: BusyState, action: str, detail: str, by: str) -> BusyState:
        now = self.clock()
        value = {
            "extra_minutes": state.extra_minutes,
            "until": state.until.isoformat() if state.until else None,
            "since": state.since.isoformat() if state.since else None,
            "by": state.by,
        }

        def work(session: Session) -> None:
            settings_repo.set_setting(session, SETTING, value, now=now, by=by)
            audit.record(session, action, at=now, by=by, detail=detail)

        await self.db.run(work)
        self.state = state
        log.info("%s by %s: %s", action, by, detail)
        self._schedule()
        self.publish()
        return state

    def _schedule(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if self.state.on and self.state.until is not None:
            delay = max(0.0, (self.state.until - self.clock()).total_seconds())
            loop = asyncio.get_running_loop()
            self._timer = loop.call_later(delay, lambda: loop.create_task(self._expire()))

    async def _expire(self) -> None:
        if self.state.until is not None and self.state.until <= self.clock():
            await self.end(by="timer")
        else:  # the clock moved back: look again when it says so
            self._schedule()

    def stop(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def answers(self) -> list[PlatformAnswer]:
        """Per platform, what its public API does with busy mode (the screen shows each)."""
        out = []
        for name, connector in self.connectors().items():
            if connector.ready_time_on_accept:
                out.append(PlatformAnswer(name, True, connector.ready_time_note))
            else:
                out.append(PlatformAnswer(name, False, connector.busy_note))
        return out

    def publish(self) -> None:
        """Tell the screens the state and each platform's answer (the notice's text stays empty: the screens
        word it from ``data``, in their language)."""
        s = self.state
        data: dict[str, Any] = {
            "on": s.on,
            "extra_minutes": s.extra_minutes,
            "until": s.until,
            "by": s.by,
            "answers": [{"platform": a.platform, "takes": a.takes, "how": a.how} for a in self.answers()],
        }
        self.hub.notice(Notice(NOTICE_SOURCE, "", "warning" if s.on else "info", data))

    # -- one order ------------------------------------------------------------------------------------
    async def delay_order(self, order: Order, minutes: int, *, by: str) -> PlatformAnswer:
        """ "Needs N more minutes" on one order: kept for its accept where the platform takes a ready time,
        otherwise the answer says why it cannot reach the platform. Audited either way."""
        connector = self.connectors().get(order.platform)
        if connector is None:
            answer = PlatformAnswer(order.platform, False, "not a delivery platform: nothing to tell")
        elif order.status is not OrderStatus.NEW:
            answer = PlatformAnswer(order.platform, False, connector.accepted_delay_note)
        elif connector.ready_time_on_accept:
            answer = PlatformAnswer(order.platform, True, connector.ready_time_note)
        else:
            answer = PlatformAnswer(order.platform, False, connector.busy_note)
        now = self.clock()
        detail = f"+{minutes} min: " + ("sent with the accept" if answer.takes else "not sent: " + answer.how)
        delays = dict(self.order_extra)
        if answer.takes and order.id is not None:
            delays[order.id] = delays.get(order.id, 0) + minutes

        def work(session: Session) -> None:
            audit.record(session, "order_delay", at=now, by=by, order_id=order.id, detail=detail)
            if delays != self.order_extra:  # kept with the audit row: a restart before the accept keeps it
                settings_repo.put_state(session, DELAYS, {str(k): v for k, v in delays.items()}, now=now)

        await self.db.run(work)
        self.order_extra = delays
        return answer

    # -- the planner's question -------------------------------------------------------------------------
    def accept_extras(self, order: Order) -> dict[str, Any]:
        """What an accept push carries besides the order id: the ready time when busy mode or this order's
        delay adds minutes (``ready_by``, Unix seconds; connectors that cannot send one ignore it)."""
        # Read, not taken: this runs inside the accept's transaction, and an accept refused or rolled back
        # must find the delay again. Once accepted, the order is never asked about again (nor kept at load).
        minutes = (self.state.extra_minutes if self._busy_now() else 0) + self.order_extra.get(
            order.id or -1, 0
        )
        if minutes <= 0:
            return {}
        now = self.clock()
        base = order.due_at if order.due_at is not None and order.due_at > now else now
        return {"ready_by": int((base + timedelta(minutes=minutes)).timestamp()), "extra_minutes": minutes}

    def _busy_now(self) -> bool:
        s = self.state
        return s.on and (s.until is None or s.until > self.clock())


def _load_saved(session: Session) -> tuple[Any, dict[int, int]]:
    """The saved busy state, and the per-order delays of orders that are still new (the others were sent)."""
    saved = settings_repo.get_setting(session, SETTING, None)
    raw = settings_repo.get_setting(session, DELAYS, {})
    wanted = {int(k): int(v) for k, v in raw.items()} if isinstance(raw, dict) else {}
    new = {o.id for o in orders_repo.get_orders(session, wanted) if o.status is OrderStatus.NEW}
    return saved, {k: v for k, v in wanted.items() if k in new}
