"""The audit trail: audit_log rows (reprints, refunds, settings, sign-ins) and status changes, read together."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from posapp.domain.audit import AuditEntry
from posapp.store.tables import AuditRow, EventRow, OrderRow


def record(
    session: Session,
    action: str,
    *,
    at: datetime,
    by: str,
    order_id: int | None = None,
    detail: str | None = None,
) -> None:
    session.add(AuditRow(at=at, by=by, action=action, order_id=order_id, detail=detail))


def entries(
    session: Session,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    by: str | None = None,
    action: str | None = None,
    limit: int = 500,
) -> list[AuditEntry]:
    """Newest first: audit_log rows and order status changes, filtered by who (substring), action and time."""
    label = OrderRow.platform + " #" + OrderRow.display_id
    audit = select(
        AuditRow.at, AuditRow.by, AuditRow.action, AuditRow.order_id, label, AuditRow.detail
    ).outerjoin(OrderRow, AuditRow.order_id == OrderRow.id)
    change = case(
        (EventRow.from_status.is_(None), "new order: " + func.coalesce(EventRow.to_status, "")),
        else_=EventRow.from_status + " → " + func.coalesce(EventRow.to_status, ""),
    )
    detail = case(
        (EventRow.kind == "status", change + func.coalesce(" (" + EventRow.reason + ")", "")),
        else_=EventRow.reason,
    )
    events = (
        select(EventRow.at, EventRow.by, EventRow.kind, EventRow.order_id, label, detail)
        .join(OrderRow, EventRow.order_id == OrderRow.id)
        # Refunds and reprints are in audit_log already (with amount / printer): list them once.
        .where(EventRow.kind.not_in(("refund", "reprint")))
    )
    out: list[AuditEntry] = []
    for stmt, at_col, by_col, action_col in (
        (audit, AuditRow.at, AuditRow.by, AuditRow.action),
        (events, EventRow.at, EventRow.by, EventRow.kind),
    ):
        if since is not None:
            stmt = stmt.where(at_col >= since)
        if until is not None:
            stmt = stmt.where(at_col < until)
        if by:
            stmt = stmt.where(by_col.contains(by, autoescape=True))
        if action:
            stmt = stmt.where(action_col == action)
        stmt = stmt.order_by(at_col.desc()).limit(limit)
        out.extend(AuditEntry(*row) for row in session.execute(stmt))
    out.sort(key=lambda e: e.at, reverse=True)
    return out[:limit]


def actions(session: Session) -> list[str]:
    """Every action name the filter can offer (audit actions and event kinds)."""
    audit = set(session.scalars(select(AuditRow.action).distinct()))
    kinds = set(session.scalars(select(EventRow.kind).distinct())) - {"refund"}
    return sorted(audit | kinds)
