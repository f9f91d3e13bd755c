"""The audit log: what is not a status change but must be answerable later (reprints, settings)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from posapp.store.tables import AuditRow


@dataclass(frozen=True, slots=True)
class AuditEntry:
    id: int
    at: datetime
    by: str
    action: str
    order_id: int | None
    detail: str | None


def record(
    session: Session,
    action: str,
    *,
    by: str,
    now: datetime,
    order_id: int | None = None,
    detail: str | None = None,
) -> int:
    row = AuditRow(at=now, by=by, action=action, order_id=order_id, detail=detail)
    session.add(row)
    session.flush()
    return row.id


def entries(session: Session, *, action: str | None = None, order_id: int | None = None) -> list[AuditEntry]:
    q = select(AuditRow)
    if action is not None:
        q = q.where(AuditRow.action == action)
    if order_id is not None:
        q = q.where(AuditRow.order_id == order_id)
    return [
        AuditEntry(r.id, r.at, r.by, r.action, r.order_id, r.detail)
        for r in session.scalars(q.order_by(AuditRow.id)).all()
    ]
