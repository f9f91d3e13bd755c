"""Station bumps: each kitchen station finishes its part of an order; the expo sees which are done."""

from __future__ import annotations

import logging

from sqlalchemy.orm import Session

from posapp.domain import bounds
from posapp.domain.order import OrderStatus
from posapp.errors import TransitionError
from posapp.services.clock import Clock, utc_now
from posapp.services.hub import ChangeKind, Hub, OrderChange
from posapp.store import orders as repo
from posapp.store import screens as station_repo
from posapp.store.db import Database

log = logging.getLogger(__name__)

# A station works on an order between accept and ready (the expo marks it ready for pickup).
BUMPABLE = (OrderStatus.ACCEPTED, OrderStatus.PREPARING)


class StationService:
    """``bump`` and ``unbump`` an order at one station, each one transaction, checked against the version the
    screen saw (two screens at once: one wins, the other gets ``Conflict``)."""

    def __init__(self, db: Database, hub: Hub, clock: Clock = utc_now) -> None:
        self.db = db
        self.hub = hub
        self.clock = clock

    async def bump(self, order_id: int, station: str, *, by: str, version: int | None = None) -> OrderChange:
        return await self._change(order_id, station, by=by, version=version, done=True)

    async def unbump(
        self, order_id: int, station: str, *, by: str, version: int | None = None
    ) -> OrderChange:
        return await self._change(order_id, station, by=by, version=version, done=False)

    async def _change(
        self, order_id: int, station: str, *, by: str, version: int | None, done: bool
    ) -> OrderChange:
        station = bounds.identifier(station, "the station", 64)
        now = self.clock()

        def work(session: Session) -> OrderChange:
            repo.check_version(session, order_id, version)
            order = repo.get_order(session, order_id)
            if order.status not in BUMPABLE:
                raise TransitionError(
                    f"Order #{order.display_id} is {order.status.value}: no station works on it now."
                )
            if done:
                changed = station_repo.bump_station(session, order_id, station, by, now)
            else:
                changed = station_repo.unbump_station(session, order_id, station, now)
            if not changed:
                state = "already bumped" if done else "not bumped"
                raise TransitionError(f"Order #{order.display_id} is {state} at {station}.")
            what = f"{station} done" if done else f"{station} not done"
            return OrderChange(ChangeKind.UPDATED, repo.get_order(session, order_id), None, by, what)

        change = await self.db.run(work)
        log.info("order %s: %s by %s", order_id, change.detail, by)
        self.hub.publish(change)
        return change
