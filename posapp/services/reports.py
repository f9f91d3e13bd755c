"""End-of-day reports: picks the period, runs the aggregate queries on the DB thread, builds the figures."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from posapp.config import Settings
from posapp.domain.reporting import Accumulator, ReportData
from posapp.errors import ConfigError, RefundRefused
from posapp.reports.csv import write_csv
from posapp.reports.gateways import gateway_summary
from posapp.reports.offers import offer_summary
from posapp.reports.period import Period, business_day_of, parse_cutoff
from posapp.reports.zreport import HourLine, ZReport, build_report
from posapp.reports.ztext import minutes, z_report_lines
from posapp.services.cash import CashOptions, cash_up_of
from posapp.services.clock import Clock, utc_now
from posapp.services.payouts import payout_summary
from posapp.store import offers as offer_store
from posapp.store import orders as repo
from posapp.store import payments as payment_store
from posapp.store import report_queries as rq
from posapp.store.db import Database
from posapp.store.tables import AuditRow


@dataclass(frozen=True, slots=True)
class ReportOptions:
    """The ``[reports]`` section of the settings file."""

    tz: ZoneInfo
    cutoff: time = time(4, 0)  # the business day ends at 04:00 the next morning
    late_prep_minutes: int = 20
    currency: str = "CNY"
    retention_days: int = 90  # customer name/phone/address kept this long, then purged
    manager_lock_seconds: int = 120  # the manager section locks itself after this much inactivity
    opening_float: int = 0  # [cash] opening_float: what the drawer starts the day with unless entered

    @classmethod
    def from_settings(cls, settings: Settings) -> ReportOptions:
        section = settings.raw.get("reports", {})
        try:
            return cls(
                tz=settings.tz,
                cutoff=parse_cutoff(str(section.get("day_cutoff", "04:00"))),
                late_prep_minutes=int(section.get("late_prep_minutes", 20)),
                currency=settings.currency,
                retention_days=int(section.get("retention_days", 90)),
                manager_lock_seconds=int(section.get("manager_lock_seconds", 120)),
                opening_float=CashOptions.from_settings(settings).opening_float,
            )
        except (TypeError, ValueError) as exc:
            raise ConfigError(f"[reports] in the settings file: {exc}") from exc


EPOCH_DAY = date(1970, 1, 1)

Progress = Callable[[int, int], None]


class ReportService:
    """Z-reports for a business day or a range of days; all SQL runs via ``Database.run``/``call``."""

    def __init__(self, db: Database, options: ReportOptions, clock: Clock = utc_now) -> None:
        self.db = db
        self.options = options
        self.clock = clock

    def period(self, first: date, last: date | None = None) -> Period:
        return Period(first, last or first, self.options.tz, self.options.cutoff)

    def today(self) -> date:
        """The business day it is now (at 01:30 with a 04:00 cut-off, still yesterday's)."""
        return business_day_of(self.clock(), self.options.tz, self.options.cutoff)

    @property
    def cache_key(self) -> str:
        """What cached day figures depend on; another time zone, cut-off or threshold is another cache."""
        o = self.options
        return f"{o.tz.key}|{o.cutoff:%H:%M}|{o.late_prep_minutes}"

    def next_close(self, now: datetime | None = None) -> datetime:
        """When the current business day closes (the next cut-off), in UTC."""
        return self.period(self.today() if now is None else self._day_of(now)).end

    @property
    def late_prep_seconds(self) -> int:
        return self.options.late_prep_minutes * 60

    def _day_of(self, moment: datetime) -> date:
        return business_day_of(moment, self.options.tz, self.options.cutoff)

    def _data(self, session: Session, period: Period) -> ReportData:
        """The aggregates of ``period``. A single day is read live (and its summary kept once it has
        closed); a range adds up the closed days' summaries and computes only the days without one."""
        now = self.clock()
        if period.days == 1:
            return self._live_day(session, period, now)
        acc = Accumulator()
        for part in self._summaries(session, period, now, closed_only=False).values():
            if isinstance(part, str):
                acc.add_json(part)
            else:
                acc.merge(part)
        merged = acc.result(period.start, period.end)
        return dataclasses.replace(
            merged,
            refunds=tuple(rq.refunds(session, period.start, period.end)),
            refund_requests=tuple(rq.refund_requests(session, period.start, period.end)),
        )

    def _summaries(
        self, session: Session, period: Period, now: datetime, *, closed_only: bool
    ) -> dict[date, str | Accumulator]:
        """Each day of ``period`` as its kept summary (JSON), else computed: closed days are kept in
        ``report_days`` (one query per table for many days), the open day is computed but never kept, or
        skipped with ``closed_only``. A kept day whose orders changed after its summary is recomputed."""
        days = [period.first + timedelta(days=k) for k in range(period.days)]
        names = [d.isoformat() for d in days]
        cache = rq.cached_days(session, self.cache_key, names, with_data=not closed_only)
        stale: set[str] = set()
        if cache:
            oldest = min(c.computed_at for c in cache.values())
            for placed, updated in rq.changed_since(session, oldest, period.start, period.end):
                key = self._day_of(placed).isoformat()
                if key in cache and updated >= cache[key].computed_at:
                    stale.add(key)
        confirmed = [n for n in names if n in cache and n not in stale]
        kept = set(confirmed)
        missing = [d for d, n in zip(days, names, strict=True) if n not in kept]
        closed = [d for d in missing if self.period(d).end <= now]  # today keeps changing: never kept
        computed = self._compute_days(session, closed, now) if len(closed) > 1 else {}
        out: dict[date, str | Accumulator] = {}
        for day, name in zip(days, names, strict=True):
            if name in kept:
                out[day] = cache[name].data
            elif day in computed:
                out[day] = computed[day]
            else:
                one = self.period(day)
                if closed_only and one.end > now:
                    continue
                data = self._live_day(session, one, now)
                out[day] = part = Accumulator()
                part.add(dataclasses.replace(data, refunds=(), refund_requests=()))
        if confirmed:
            rq.confirm_days(session, self.cache_key, confirmed, at=now)
        return out

    def _live_day(self, session: Session, day: Period, now: datetime) -> ReportData:
        """One business day computed from its orders; once it has closed, its summary is kept too."""
        data = rq.report_data(session, day.spans(), late_prep_seconds=self.late_prep_seconds)
        if day.end <= now:
            rq.store_day(session, self.cache_key, day.first.isoformat(), data, computed_at=now)
        return data

    def _compute_days(self, session: Session, days: list[date], now: datetime) -> dict[date, Accumulator]:
        """Aggregate many closed days with one query per table (not per day) and keep them in the cache."""
        span = self.period(min(days), max(days))
        cutoff_s = self.options.cutoff.hour * 3600 + self.options.cutoff.minute * 60
        by_ordinal = rq.day_aggregates(
            session,
            span.spans(),
            cutoff_seconds=cutoff_s,
            late_prep_seconds=self.late_prep_seconds,
        )
        out: dict[date, Accumulator] = {}
        for day in days:
            out[day] = acc = by_ordinal.get((day - EPOCH_DAY).days) or Accumulator()
            rq.store_day(session, self.cache_key, day.isoformat(), acc.to_json(), computed_at=now)
        return out

    def _work(self, period: Period, currency: str | None) -> Callable[[Session], ZReport]:
        late_s = self.late_prep_seconds

        def work(session: Session) -> ZReport:
            data = self._data(session, period)
            previous = None
            if period.days <= 7:  # "same weekday last week"; a longer range has no such twin
                before = period.shifted(-7)
                previous = rq.order_aggregates(session, before.start, before.end, late_s)
            report = build_report(
                data,
                period,
                currency=currency,
                default_currency=self.options.currency,
                late_threshold_minutes=self.options.late_prep_minutes,
                previous=previous,
            )
            report = self._with_offers(session, self._with_payouts(session, self._with_cash(session, report)))
            return self._with_gateways(session, report)

        return work

    def _with_cash(self, session: Session, report: ZReport) -> ZReport:
        """A one-day report carries the drawer's cash-up (float, cash sales and refunds, paid in/out, the
        count and its variance); a range has no single drawer to count."""
        if report.period.days != 1:
            return report
        currency = report.currency or self.options.currency
        opening = self.options.opening_float if currency == self.options.currency else 0
        cash = cash_up_of(session, report.period, currency, opening)
        return dataclasses.replace(report, cash=cash)

    def _with_payouts(self, session: Session, report: ZReport) -> ZReport:
        """Any period carries the platforms' money: their refunds and the imported statements' outcomes."""
        currency = report.currency or self.options.currency
        return dataclasses.replace(report, payouts=payout_summary(session, report.period, currency))

    def _with_gateways(self, session: Session, report: ZReport) -> ZReport:
        """Any period carries the payments the gateways took in it (by gateway and method, with the fees they
        reported) and the refunds they made."""
        currency = report.currency or self.options.currency
        start, end = report.period.start, report.period.end
        paid = payment_store.gateway_totals(session, start, end)
        refunded = payment_store.gateway_refunds(session, start, end)
        return dataclasses.replace(report, gateways=gateway_summary(paid, refunded, currency))

    def _with_offers(self, session: Session, report: ZReport) -> ZReport:
        """Any period carries its offers: codes issued and redeemed in it, the rate and the discount."""
        currency = report.currency or self.options.currency
        counts = offer_store.counts_between(session, report.period.start, report.period.end)
        return dataclasses.replace(report, offers=offer_summary(counts, currency))

    async def z_report(
        self,
        first: date,
        last: date | None = None,
        *,
        currency: str | None = None,
        progress: Progress | None = None,
    ) -> ZReport:
        """The report of business days ``first``..``last``; ``CurrencyMismatch`` if they mix currencies.

        Closed days are normally summarised already (``close_days``). Days that are not (right after a big
        history appeared at once) are summarised first, a week per DB call, so orders keep flowing through
        the one DB thread meanwhile; ``progress(done, total)`` is told the days done so far.
        """
        period = self.period(first, last)
        if period.days > self.CHUNK_DAYS:
            await self.fill_cache(period.first, period.last, progress=progress)
        return await self.db.run(self._work(period, currency))

    CHUNK_DAYS = 7

    async def fill_cache(
        self,
        first: date,
        last: date,
        *,
        newest_first: bool = False,
        progress: Progress | None = None,
        background: bool = False,
    ) -> None:
        """Summarise every closed business day in ``first``..``last`` that has no summary yet (or whose
        orders changed since), a week per DB call (``background``: behind taps and pushes, for day close)."""
        chunks = []
        day = first
        while day <= last:
            end = min(day + timedelta(days=self.CHUNK_DAYS - 1), last)
            chunks.append(self.period(day, end))
            day = end + timedelta(days=1)
        if newest_first:
            chunks.reverse()
        total, done = (last - first).days + 1, 0
        for chunk in chunks:
            await self.db.run(
                lambda s, c=chunk: self._summaries(s, c, self.clock(), closed_only=True),  # type: ignore[misc]
                background=background,
            )
            done += chunk.days
            if progress is not None:
                progress(done, total)

    async def close_days(self, days_back: int = 400) -> None:
        """Day close: summarise the business days that closed in the last ``days_back`` days (newest
        first) and re-summarise those whose orders changed after their summary. The app runs this at
        start-up, just after every cut-off and hourly, so range reports only ever add up summaries.
        Summaries made under other settings (time zone, cut-off, late threshold) are dropped first."""
        await self.db.run(lambda s: rq.forget_other_configs(s, self.cache_key), background=True)
        today = self.today()
        # Background work: at start-up the window's open orders and the first pushes go ahead of it.
        await self.fill_cache(
            today - timedelta(days=days_back), today - timedelta(days=1), newest_first=True, background=True
        )

    def z_report_now(self, first: date, last: date | None = None, *, currency: str | None = None) -> ZReport:
        """The same on the calling thread (CLI, scripts)."""
        return self.db.call(self._work(self.period(first, last), currency))

    async def currencies(self, first: date, last: date | None = None) -> list[str]:
        period = self.period(first, last)

        def work(session: Session) -> list[str]:
            rows = rq.order_aggregates(session, period.start, period.end, 0)
            return sorted({r.currency for r in rows})

        return await self.db.run(work)

    async def mark_refund(
        self, order_id: int, amount: int, *, reason: str, by: str, at: datetime | None = None
    ) -> None:
        """Record a refund staff gave on an order: an event on its history and an audit-log row."""
        now = at or self.clock()

        def work(session: Session) -> None:
            order = repo.get_order(session, order_id)
            if amount <= 0 or amount > order.totals.total:
                shown = order.money(order.totals.total)
                raise RefundRefused(f"A refund must be more than 0 and at most the order total ({shown}).")
            repo.add_event(session, order_id, "refund", now=now, by=by, reason=reason)
            session.add(
                AuditRow(
                    at=now,
                    by=by,
                    action="refund",
                    order_id=order_id,
                    detail=json.dumps(
                        {"amount": amount, "currency": order.currency, "reason": reason}, ensure_ascii=False
                    ),
                )
            )

        await self.db.run(work)


def export_csv(report: ZReport, folder: Path) -> list[Path]:
    """Write the report's CSV files (blocking file I/O: call it via ``asyncio.to_thread``)."""
    return write_csv(report, folder)


def print_lines(report: ZReport, *, width: int, store_name: str, printed_at: datetime) -> list[str]:
    """The Z-report as the lines a receipt printer prints (CJK counted double width)."""
    return z_report_lines(report, width=width, store_name=store_name, printed_at=printed_at)


__all__ = [
    "HourLine",
    "ReportOptions",
    "ReportService",
    "ZReport",
    "export_csv",
    "minutes",
    "print_lines",
]
