"""Payout reconciliation: import a platform's settlement statement, match it to our orders, export it.

A statement comes as a file (``import_file``) or, for Uber Eats, fetched by its Reporting API
(services/payout_fetch.py), whose CSV goes through ``import_parts`` exactly as a file does.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from posapp.domain.payouts import OutcomeTotal, PayoutSummary, Reconciliation, RefundTotal, StatementLine
from posapp.errors import StatementError
from posapp.reports.payouts import reconcile, reconciliation_csv
from posapp.reports.period import Period
from posapp.reports.statements import GATEWAYS, MAX_BYTES, parse_statement
from posapp.services.clock import Clock
from posapp.store import audit
from posapp.store import payments as payment_store
from posapp.store import payouts as store
from posapp.store.db import Database
from posapp.store.payouts import ImportInfo

if TYPE_CHECKING:
    from posapp.services.reports import ReportService

PLATFORMS = ("meituan", "eleme", "ubereats", "doordash")


@dataclass(frozen=True, slots=True)
class PayoutResult:
    """A reconciliation and what it covers: one import, or every statement line of a range of days."""

    reconciliation: Reconciliation
    first: date | None
    last: date | None
    imported: ImportInfo | None = None


class PayoutService:
    """Statements in, reconciliations out; every database step runs on the database thread."""

    def __init__(self, db: Database, reports: ReportService) -> None:
        self.db = db
        self.reports = reports  # its options (time zone, cut-off) follow Shop setup; its clock

    @property
    def clock(self) -> Clock:
        return self.reports.clock

    def _period(self, first: date, last: date) -> Period:
        return self.reports.period(first, last)

    async def import_file(self, platform: str, path: Path, *, by: str, currency: str) -> PayoutResult:
        """Read, parse and store ``path`` in one transaction, then reconcile it with our orders.

        Raises ``StatementError`` (with the line and the reason) and stores nothing when any line is bad,
        the file cannot be read, or the same file was imported before."""
        data = await asyncio.to_thread(_read, path)
        return await self.import_bytes(platform, path.name, data, by=by, currency=currency)

    async def import_bytes(
        self, platform: str, source: str, data: bytes, *, by: str, currency: str
    ) -> PayoutResult:
        [info] = await self.import_parts(platform, [(source, data)], by=by, currency=currency)
        return await self.of_import(info.id)

    async def import_parts(
        self,
        platform: str,
        parts: Sequence[tuple[str, bytes]],
        *,
        by: str,
        currency: str,
        also: Callable[[Session, list[ImportInfo]], None] | None = None,
    ) -> list[ImportInfo]:
        """Every ``(source, data)`` parsed first, then all stored in one transaction (``also``, when given, runs
        last inside it with what was stored, and may still refuse it all by raising): all of them or, on any
        bad line or an earlier import of the same bytes, none."""
        parsed = []
        for source, data in parts:
            statement = await asyncio.to_thread(parse_statement, platform, source, data, currency=currency)
            parsed.append((statement, hashlib.sha256(data).hexdigest()))
        now = self.clock()

        def work(session: Session) -> list[ImportInfo]:  # the statements and their audit rows, together
            infos = []
            for statement, digest in parsed:
                infos.append(store.save_statement(session, statement, digest=digest, by=by, now=now))
                detail = json.dumps(
                    {"platform": platform, "file": statement.source, "lines": len(statement.lines)},
                    ensure_ascii=False,
                )
                audit.record(session, "payout_import", at=now, by=by, detail=detail)
            if also is not None:
                also(session, infos)
            return infos

        return await self.db.run(work)

    async def of_import(self, import_id: int) -> PayoutResult:
        """The reconciliation of one imported statement against our orders of the days it covers."""

        def work(session: Session) -> PayoutResult:
            info = store.import_info(session, import_id)
            if info is None:
                raise StatementError(f"no imported statement #{import_id}")
            lines = store.lines_of_import(session, import_id)
            recon = self._reconcile(session, lines, info.first_day, info.last_day, (info.platform,))
            return PayoutResult(recon, info.first_day, info.last_day, info)

        return await self.db.run(work)

    async def between(self, first: date, last: date) -> PayoutResult:
        """Every imported line dated ``first``..``last`` against our orders of those days (all platforms)."""

        def work(session: Session) -> PayoutResult:
            lines = store.lines_between(session, first, last)
            platforms = tuple(sorted({line.platform for line in lines}))
            return PayoutResult(self._reconcile(session, lines, first, last, platforms), first, last)

        return await self.db.run(work)

    def _reconcile(
        self,
        session: Session,
        lines: list[StatementLine],
        first: date | None,
        last: date | None,
        platforms: tuple[str, ...],
    ) -> Reconciliation:
        period = None if first is None or last is None else self._period(first, last)
        return reconcile_lines(session, lines, period, platforms)

    async def imports(self) -> list[ImportInfo]:
        return await self.db.run(store.imports)

    async def refund_totals(self, first: date, last: date | None = None) -> list[RefundTotal]:
        """Money the platforms refunded in the business days ``first``..``last``, by platform."""
        period = self._period(first, last or first)
        return await self.db.run(lambda s: store.platform_refund_totals(s, period.start, period.end))

    async def export_csv(self, result: PayoutResult, folder: Path) -> Path:
        """Write the reconciliation as one CSV file in ``folder``; returns its path."""
        first = result.first.isoformat() if result.first else "all"
        last = result.last.isoformat() if result.last else "all"
        name = f"payouts_{first}_{last}.csv"
        if result.imported is not None:
            name = f"payouts_{result.imported.platform}_{result.imported.id}_{first}_{last}.csv"
        path = folder / name
        text = reconciliation_csv(result.reconciliation)
        await asyncio.to_thread(path.write_text, text, encoding="utf-8")
        return path


def reconcile_lines(
    session: Session, lines: list[StatementLine], period: Period | None, platforms: tuple[str, ...]
) -> Reconciliation:
    """``lines`` against our orders of ``period`` on ``platforms`` (and any other order a line names); a
    payment gateway's lines (Alipay, WeChat Pay, Stripe) against the payments it took, by our request id."""
    gateways = tuple(p for p in platforms if p in GATEWAYS)
    platforms = tuple(p for p in platforms if p not in GATEWAYS)
    expected = []
    if period is not None and platforms:
        expected = store.expected_payouts(session, period.start, period.end, platforms)
    if period is not None and gateways:
        expected += payment_store.expected_settlements(session, period.start, period.end, gateways)
    lines = payment_store.by_request_id(session, lines)
    keys = [(x.platform, x.external_id) for x in lines if x.external_id]
    known = store.known_orders(session, (k for k in keys if k[0] not in GATEWAYS))
    known.update(payment_store.known_payments(session, (k for k in keys if k[0] in GATEWAYS)))
    return reconcile(lines, expected, known)


def payout_summary(session: Session, period: Period, currency: str) -> PayoutSummary | None:
    """The platforms' refunds and the imported statement lines of ``period`` in ``currency`` for the
    Z-report / range report; None when there is neither."""
    refunds = [
        r for r in store.platform_refund_totals(session, period.start, period.end) if r.currency == currency
    ]
    lines = store.lines_between(session, period.first, period.last)
    outcomes: tuple[OutcomeTotal, ...] = ()
    if lines:
        platforms = tuple(sorted({x.platform for x in lines}))
        recon = reconcile_lines(session, lines, period, platforms)
        outcomes = tuple(t for t in recon.totals if t.currency == currency)
    if not refunds and not outcomes:
        return None
    return PayoutSummary(currency, tuple(refunds), outcomes)


def _read(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise StatementError(f"the file is larger than {MAX_BYTES // (1024 * 1024)} MB: not a statement")
        return path.read_bytes()
    except OSError as exc:
        raise StatementError(f"the file cannot be read: {exc.strerror or exc}") from exc
