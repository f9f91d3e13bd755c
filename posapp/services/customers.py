"""CRM-lite use cases: repeat customers with notes, and the purge of personal data after retention."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from posapp.domain.customers import CustomerOrder
from posapp.domain.roles import Permission, User
from posapp.reports.customers import CustomerLine, live_keys, repeat_customers
from posapp.reports.segments import (
    CustomerSummary,
    ScopeFigures,
    Segment,
    SegmentReport,
    analyse,
    history,
)
from posapp.reports.segments import write_csv as write_segments_csv
from posapp.services.auth import AuthService
from posapp.services.clock import Clock, utc_now
from posapp.services.privacy import purge_expired
from posapp.store import audit
from posapp.store import customers as store
from posapp.store.db import Database


class CustomerService:
    def __init__(self, db: Database, *, retention_days: int = 90, clock: Clock = utc_now) -> None:
        if retention_days < 1:
            raise ValueError("retention must be at least one day")
        self.db = db
        self.retention_days = retention_days
        self.clock = clock

    async def repeat_customers(self, *, min_orders: int = 2) -> list[CustomerLine]:
        def work(session: Session) -> list[CustomerLine]:
            return repeat_customers(
                store.customer_aggregates(session), store.notes(session), min_orders=min_orders
            )

        return await self.db.run(work)

    async def segments(self, *, platform: str | None = None) -> SegmentReport:
        """New, regular, high-value, lapsing and lost customers as of now, per platform and overall."""
        now = self.clock()
        return await self.db.run(lambda s: analyse(store.customer_orders(s), now, platform=platform))

    def segments_now(self, *, platform: str | None = None) -> SegmentReport:
        """``segments`` for scripts (the CLI), on the calling thread."""
        return analyse(self.db.call(store.customer_orders), self.clock(), platform=platform)

    async def history(self, key: str) -> list[CustomerOrder]:
        """One customer's orders, newest first, on every platform that identifies them as one."""
        return await self.db.run(lambda s: history(store.customer_orders(s), key))

    async def set_note(self, key: str, note: str, *, by: User) -> None:
        AuthService.require(by, Permission.REPORTS)
        now = self.clock()

        def work(session: Session) -> None:
            store.set_note(session, key, note, at=now, by=by.actor)
            audit.record(session, "customer_note", at=now, by=by.actor, detail=key)

        await self.db.run(work)

    async def purge(self, *, by: str = "retention") -> int:
        """Erase the personal fields of orders older than the retention period (services/privacy.erase_in,
        the path a customer's erasure takes); returns how many orders."""
        now = self.clock()
        cutoff = now - timedelta(days=self.retention_days)

        reason = f"retention: orders before {cutoff:%Y-%m-%d}"

        def batch(session: Session) -> int:
            return purge_expired(session, placed_before=cutoff, now=now, by=by, reason=reason)

        def notes(session: Session) -> None:
            dropped = store.drop_notes_without_orders(session, live_keys(store.customer_aggregates(session)))
            if dropped:
                audit.record(session, "purge_personal", at=now, by=by, detail=f"{dropped} notes")

        purged = 0
        while done := await self.db.run(batch, background=True):  # a batch at a time: the counter goes on
            purged += done
        await self.db.run(notes, background=True)
        return purged


__all__ = [
    "CustomerLine",
    "CustomerOrder",
    "CustomerService",
    "CustomerSummary",
    "ScopeFigures",
    "Segment",
    "SegmentReport",
    "write_segments_csv",
]
