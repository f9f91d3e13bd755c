"""The audit trail for the manager's audit-log view: who did what, when, filterable."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from posapp.domain.audit import AuditEntry
from posapp.store import audit as store
from posapp.store.db import Database


class AuditService:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def entries(
        self,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        by: str | None = None,
        action: str | None = None,
        limit: int = 500,
    ) -> list[AuditEntry]:
        def work(session: Session) -> list[AuditEntry]:
            return store.entries(session, since=since, until=until, by=by, action=action, limit=limit)

        return await self.db.run(work)

    async def actions(self) -> list[str]:
        return await self.db.run(store.actions)

    async def record(
        self, action: str, *, at: datetime, by: str, order_id: int | None = None, detail: str | None = None
    ) -> None:
        """Reprints, setting changes and the like: one audit row."""

        def work(session: Session) -> None:
            store.record(session, action, at=at, by=by, order_id=order_id, detail=detail)

        await self.db.run(work)
