"""The change feed as the counter's window takes it in-process: the same snapshot-and-cursor interface as a
screen's ``EngineClient`` (docs/screen-api.md), on the short path.

A screen on the LAN reads the snapshot, then every change after its cursor from the engine over a WebSocket.
The counter in the same process asks the same questions of :class:`LocalFeed`, which answers from the hub's
change notices instead of the database wherever it can: each notice carries the order as committed and its
change number (``Order.seq``). Changes are handed on in change-number order, none twice; a number that has
not arrived within ``GAP_GRACE`` (a write that announced nothing, a notice still on its way from another
thread) is read from the database, as a reconnecting screen's missed changes are. No Qt here.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from functools import partial

from sqlalchemy.orm import Session

from posapp.domain.order import Order
from posapp.services.hub import ChangeKind, Hub, OrderChange
from posapp.store import orders as repo
from posapp.store.db import Database

log = logging.getLogger(__name__)

GAP_GRACE = 0.1  # seconds a missing change number may take to arrive before it is read from the database
FILL_BATCH = 200


@dataclass(frozen=True, slots=True)
class FeedSnapshot:
    """Every open order and the change number of the latest change at that moment."""

    cursor: int
    orders: list[Order]


class LocalFeed:
    """The engine's change feed for a window in the same process (``snapshot`` then ``changes(cursor)``)."""

    def __init__(self, db: Database, hub: Hub, *, gap_grace: float = GAP_GRACE) -> None:
        self.db = db
        self.hub = hub
        self.gap_grace = gap_grace
        self.filled = 0  # changes read from the database rather than taken from a notice (tests, logs)

    async def snapshot(self) -> FeedSnapshot:
        def work(session: Session) -> FeedSnapshot:
            return FeedSnapshot(repo.latest_seq(session), repo.open_orders(session))

        return await self.db.run(work)

    async def changes(self, cursor: int) -> AsyncIterator[OrderChange]:
        """Every change after ``cursor``, oldest first, then each new one as it commits, for as long as the
        caller iterates. Runs on the caller's loop (the hub hands notices to it from any thread)."""
        arrived: asyncio.Queue[OrderChange] = asyncio.Queue()
        unsubscribe = self.hub.on_order(arrived.put_nowait)
        held: dict[int, OrderChange] = {}  # change number -> a notice that came ahead of a missing one
        try:
            # Subscribed first, then read: a change committed in between is both read and noticed, and
            # the notice is then dropped as already seen.
            for change in await self._fill(cursor, held):
                cursor = change.order.seq
                yield change
            while True:
                try:
                    if held:
                        change = await asyncio.wait_for(arrived.get(), self.gap_grace)
                    else:
                        change = await arrived.get()
                except TimeoutError:
                    for change in await self._fill(cursor, held):
                        cursor = change.order.seq
                        yield change
                    continue
                seq = change.order.seq
                if seq <= cursor:
                    continue  # seen already (read from the database while its notice was on its way)
                held[seq] = change
                while cursor + 1 in held:
                    cursor += 1
                    yield held.pop(cursor)
        finally:
            unsubscribe()

    async def _fill(self, cursor: int, held: dict[int, OrderChange]) -> list[OrderChange]:
        """The changes after ``cursor`` as the database has them now (each order once, latest state), using
        a held notice's kind and author where there is one for the same order. Clears what it covers."""
        out: list[OrderChange] = []
        while True:
            orders = await self.db.run(partial(repo.changed_since, cursor=cursor, limit=FILL_BATCH))
            by_order = {c.order.id: c for c in held.values()}
            for order in orders:
                notice = by_order.get(order.id)
                if notice is not None and notice.order.seq == order.seq:
                    out.append(notice)
                else:
                    out.append(_read_change(order, notice))
                    self.filled += 1
                cursor = order.seq
            if len(orders) < FILL_BATCH:
                break
        for seq in [s for s in held if s <= cursor]:
            del held[seq]
        if out:
            log.debug("feed: %d changes up to %d read from the database", len(out), cursor)
        return out


def _read_change(order: Order, notice: OrderChange | None) -> OrderChange:
    """A change read from the database: what it was, as far as the notices (if any) and the order tell."""
    if notice is not None:  # an older notice of the same order: its kind, with the order as it is now
        return OrderChange(notice.kind, order, notice.previous_status, notice.by, notice.detail)
    kind = ChangeKind.CREATED if order.version <= 1 else ChangeKind.UPDATED
    return OrderChange(kind, order)
