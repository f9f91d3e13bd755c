"""Imported settlement statements, the orders they are matched against, and platform refunds as money."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, func, insert, select, tuple_
from sqlalchemy.orm import Session

from posapp.domain.payouts import ExpectedPayout, LineKind, RefundTotal, Statement, StatementLine
from posapp.errors import StatementError
from posapp.store.tables import OrderRow, PayoutImportRow, PayoutLineRow, PlatformRefundRow

Ot = OrderRow.__table__.c
Lt = PayoutLineRow.__table__.c
Rt = PlatformRefundRow.__table__.c
LOST = ("cancelled", "rejected")  # orders the platform pays nothing for


@dataclass(frozen=True, slots=True)
class ImportInfo:
    id: int
    platform: str
    source: str
    imported_at: datetime
    by: str
    first_day: date | None
    last_day: date | None
    line_count: int


def save_statement(
    session: Session, statement: Statement, *, digest: str, by: str, now: datetime
) -> ImportInfo:
    """Store the whole statement in the caller's transaction; the same file twice is refused."""
    earlier = session.scalars(select(PayoutImportRow).where(PayoutImportRow.digest == digest)).first()
    if earlier is not None:
        raise StatementError(
            f"this statement was imported already ({earlier.source}, {earlier.imported_at:%Y-%m-%d %H:%M} UTC)"
        )
    days = [line.day for line in statement.lines if line.day is not None]
    row = PayoutImportRow(
        platform=statement.platform,
        source=statement.source[:255],
        digest=digest,
        imported_at=now,
        by=by,
        first_day=min(days).isoformat() if days else None,
        last_day=max(days).isoformat() if days else None,
        line_count=len(statement.lines),
    )
    session.add(row)
    session.flush()
    if not statement.lines:
        return _info(row)
    session.execute(
        insert(PayoutLineRow),
        [
            {
                "import_id": row.id,
                "line_no": line.line_no,
                "platform": line.platform,
                "external_id": line.external_id,
                "kind": line.kind.value,
                "currency": line.currency,
                "gross": line.gross,
                "fees": line.fees,
                "net": line.net,
                "day": None if line.day is None else line.day.isoformat(),
                "note": line.note,
            }
            for line in statement.lines
        ],
    )
    return _info(row)


def _info(row: PayoutImportRow) -> ImportInfo:
    return ImportInfo(
        row.id,
        row.platform,
        row.source,
        row.imported_at,
        row.by,
        None if row.first_day is None else date.fromisoformat(row.first_day),
        None if row.last_day is None else date.fromisoformat(row.last_day),
        row.line_count,
    )


def imports(session: Session, limit: int = 50) -> list[ImportInfo]:
    rows = session.scalars(select(PayoutImportRow).order_by(PayoutImportRow.id.desc()).limit(limit))
    return [_info(r) for r in rows]


def import_info(session: Session, import_id: int) -> ImportInfo | None:
    row = session.get(PayoutImportRow, import_id)
    return None if row is None else _info(row)


def _lines(session: Session, where: object) -> list[StatementLine]:
    stmt = select(PayoutLineRow).where(where).order_by(Lt.import_id, Lt.line_no)  # type: ignore[arg-type]
    return [
        StatementLine(
            line_no=r.line_no,
            platform=r.platform,
            external_id=r.external_id,
            kind=LineKind(r.kind),
            currency=r.currency,
            gross=r.gross,
            fees=r.fees,
            net=r.net,
            day=None if r.day is None else date.fromisoformat(r.day),
            note=r.note,
        )
        for r in session.scalars(stmt)
    ]


def lines_of_import(session: Session, import_id: int) -> list[StatementLine]:
    return _lines(session, Lt.import_id == import_id)


def lines_between(session: Session, first: date, last: date) -> list[StatementLine]:
    """Every imported line dated in the business days ``first``..``last``."""
    return _lines(session, and_(Lt.day >= first.isoformat(), Lt.day <= last.isoformat()))


def _expected(rows: Iterable[Sequence[object]], refunded: dict[int, int]) -> list[ExpectedPayout]:
    out = []
    for oid, platform, ext, display, currency, total, commission, payout, status in rows:
        assert isinstance(oid, int) and isinstance(total, int)
        if status in LOST:
            expected = 0
        elif isinstance(payout, int):
            expected = payout
        else:
            expected = total - (commission if isinstance(commission, int) else 0)
        out.append(
            ExpectedPayout(
                oid,
                str(platform),
                str(ext),
                str(display),
                str(currency),
                total,
                expected,
                refunded.get(oid, 0),
            )
        )
    return out


_COLUMNS = (
    Ot.id,
    Ot.platform,
    Ot.external_id,
    Ot.display_id,
    Ot.currency,
    Ot.total,
    Ot.commission,
    Ot.payout,
)


def expected_payouts(
    session: Session, start: datetime, end: datetime, platforms: Sequence[str]
) -> list[ExpectedPayout]:
    """Our orders on ``platforms`` placed in [start, end) that the platform owes money for."""
    stmt = (
        select(*_COLUMNS, Ot.status)
        .where(Ot.placed_at >= start, Ot.placed_at < end, Ot.platform.in_(platforms), Ot.status.not_in(LOST))
        .order_by(Ot.placed_at, Ot.id)
    )
    rows = list(session.execute(stmt))
    return _expected(rows, refunded_by_order(session, [r[0] for r in rows]))


def known_orders(session: Session, keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], ExpectedPayout]:
    """The orders named by (platform, external_id), whenever placed and whatever their status."""
    wanted = list(dict.fromkeys(keys))
    out: dict[tuple[str, str], ExpectedPayout] = {}
    for i in range(0, len(wanted), 400):  # SQLite's bound-parameter limit
        chunk = wanted[i : i + 400]
        stmt = select(*_COLUMNS, Ot.status).where(tuple_(Ot.platform, Ot.external_id).in_(chunk))
        rows = list(session.execute(stmt))
        for e in _expected(rows, refunded_by_order(session, [r[0] for r in rows])):
            out[(e.platform, e.external_id)] = e
    return out


def refunded_by_order(session: Session, order_ids: Sequence[int]) -> dict[int, int]:
    out: dict[int, int] = {}
    for i in range(0, len(order_ids), 800):
        chunk = list(order_ids[i : i + 800])
        stmt = select(Rt.order_id, func.sum(Rt.amount)).where(Rt.order_id.in_(chunk)).group_by(Rt.order_id)
        out.update({int(oid): int(total or 0) for oid, total in session.execute(stmt)})
    return out


def add_platform_refund(
    session: Session, order_id: int, amount: int | None, *, full: bool, at: datetime, reason: str | None
) -> int:
    """Record money a platform refunded on an order; returns the amount recorded (minor units).

    A full refund (or one without an amount) refunds what is left of the order's total; a partial refund
    is capped there too, so the refunds of an order never add up to more than it cost."""
    total, currency = session.execute(select(Ot.total, Ot.currency).where(Ot.id == order_id)).one()
    already = refunded_by_order(session, [order_id]).get(order_id, 0)
    left = max(int(total) - already, 0)
    value = left if full or amount is None else min(max(amount, 0), left)
    if value <= 0:
        return 0
    session.add(
        PlatformRefundRow(order_id=order_id, at=at, amount=value, currency=currency, full=full, reason=reason)
    )
    return value


def platform_refund_totals(session: Session, start: datetime, end: datetime) -> list[RefundTotal]:
    """Platform refunds recorded in [start, end) by platform and currency."""
    stmt = (
        select(Ot.platform, Rt.currency, func.count(func.distinct(Rt.order_id)), func.sum(Rt.amount))
        .select_from(PlatformRefundRow.__table__.join(OrderRow.__table__, Rt.order_id == Ot.id))
        .where(Rt.at >= start, Rt.at < end)
        .group_by(Ot.platform, Rt.currency)
        .order_by(Ot.platform, Rt.currency)
    )
    return [RefundTotal(p, c, int(n), int(v or 0)) for p, c, n, v in session.execute(stmt)]
