"""The cash drawer as a use case: paid in / paid out and the float with a PIN, the count at day close, the
day's expected cash and variance, and "Open drawer" (manager PIN, a reason, audited)."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.orm import Session

from posapp.config import Settings
from posapp.domain import bounds
from posapp.domain.cash import CashEntry, CashUp, DrawerCount, Movement, cash_up, denominations_for
from posapp.domain.money import to_minor
from posapp.domain.roles import Permission, User
from posapp.errors import ConfigError, PayloadError, PosappError
from posapp.reports.period import Period
from posapp.services.auth import AuthService
from posapp.services.clock import Clock, utc_now
from posapp.store import audit
from posapp.store import cash as store

REASON_MAX = 200
MAX_AMOUNT = 100_000_000  # a million yuan in fen: a typo, not a paid-out

# (by, reason) -> how many drawers were told to open; PrintService.open_drawer.
OpenDrawer = Callable[[str, str], Awaitable[int]]


class CashRefused(PosappError):
    """A cash entry or count that cannot be recorded; the text says why in a sentence."""


@dataclass(frozen=True, slots=True)
class CashOptions:
    """``[cash]`` of the settings: the default opening float and any configured denominations."""

    currency: str = "CNY"
    opening_float: int = 0
    configured: dict[str, tuple[int, ...]] = field(default_factory=dict)  # currency -> denominations

    @classmethod
    def from_settings(cls, settings: Settings) -> CashOptions:
        section = settings.raw.get("cash", {}) if isinstance(settings.raw.get("cash"), dict) else {}
        try:
            opening = to_minor(str(section.get("opening_float", "0")), settings.currency)
            denoms = {
                str(k): tuple(int(v) for v in vs) for k, vs in (section.get("denominations") or {}).items()
            }
        except (PayloadError, TypeError, ValueError, AttributeError) as exc:
            raise ConfigError(f"[cash] in the settings: {exc}") from exc
        return cls(settings.currency, opening, denoms)

    def denominations(self, currency: str | None = None) -> tuple[int, ...]:
        return denominations_for(currency or self.currency, self.configured)


def cash_up_of(session: Session, period: Period, currency: str, default_float: int) -> CashUp:
    """The cash-up of one business day (``period``), read in the caller's session (the report's DB call)."""
    count, total = store.cash_orders(session, period.start, period.end, currency)
    return cash_up(
        currency,
        default_float=default_float,
        cash_orders=total,
        cash_order_count=count,
        cash_refunds=store.cash_refunds(session, period.start, period.end, currency),
        entries=store.entries(session, period.start, period.end),
        count=store.latest_count(session, period.first.isoformat(), currency),
    )


class CashService:
    """What the manager's Cash tab and the counter ask about the drawer; every write goes to the audit log."""

    def __init__(
        self,
        auth: AuthService,
        period_of: Callable[[date], Period],
        today: Callable[[], date],
        options: CashOptions,
        *,
        open_drawer: OpenDrawer | None = None,
        clock: Clock = utc_now,
    ) -> None:
        self.auth = auth
        self.db = auth.db
        self.period_of = period_of
        self.today = today
        self.options = options
        self.opener = open_drawer
        self.clock = clock

    def configure(self, options: CashOptions) -> None:
        """New float, currency or denominations from Shop setup, for the next entry and count."""
        self.options = options

    def denominations(self, currency: str | None = None) -> tuple[int, ...]:
        return self.options.denominations(currency)

    async def summary(self, day: date | None = None) -> CashUp:
        period = self.period_of(day or self.today())
        currency, opening = self.options.currency, self.options.opening_float
        return await self.db.run(lambda s: cash_up_of(s, period, currency, opening))

    async def record(self, kind: Movement, amount: int, reason: str, pin: str) -> CashEntry:
        """A paid in, paid out or opening float: the PIN of a cashier or manager says who."""
        reason = _reason(reason)
        lowest = 0 if kind is Movement.FLOAT else 1  # a day may start with an empty drawer
        if not lowest <= amount <= MAX_AMOUNT:
            raise CashRefused("Enter an amount more than 0.")
        need = Permission.REPORTS if kind is Movement.FLOAT else Permission.REFUNDS
        user = await self.auth.sign_in(pin, need=need)
        entry = CashEntry(kind, amount, self.options.currency, reason, user.actor, self.clock())
        detail = json.dumps(
            {"amount": amount, "currency": entry.currency, "reason": reason}, ensure_ascii=False
        )

        def work(session: Session) -> None:
            store.add_entry(session, entry)
            audit.record(session, f"cash_{kind.value}", by=user.actor, at=entry.at, detail=detail)

        await self.db.run(work)
        return entry

    async def count(self, pieces: Mapping[int, int], by: User, day: date | None = None) -> CashUp:
        """The manager's count of the drawer: kept with who counted, and the variance in the audit log."""
        if not by.can(Permission.REPORTS):
            raise CashRefused("Only a manager counts the drawer.")
        allowed = set(self.denominations())
        if any(d not in allowed for d in pieces):
            raise CashRefused("That is not a note or coin of this currency.")
        try:
            drawer = DrawerCount.of(self.options.currency, pieces)
        except ValueError as exc:
            raise CashRefused("A count cannot be less than 0.") from exc
        business_day = day or self.today()
        period = self.period_of(business_day)
        now = self.clock()
        currency, opening = self.options.currency, self.options.opening_float

        def work(session: Session) -> CashUp:
            before = cash_up_of(session, period, currency, opening)
            store.add_count(
                session, business_day.isoformat(), drawer, expected=before.expected, by=by.actor, at=now
            )
            detail = {
                "day": business_day.isoformat(),
                "currency": currency,
                "counted": drawer.total,
                "expected": before.expected,
                "variance": drawer.total - before.expected,
                "pieces": [list(p) for p in drawer.pieces],
            }
            audit.record(session, "cash_count", by=by.actor, at=now, detail=json.dumps(detail))
            return cash_up_of(session, period, currency, opening)

        return await self.db.run(work)

    async def open_drawer(self, pin: str, reason: str) -> int:
        """ "Open drawer" with no sale: a manager's PIN and a reason; the pulse goes through the print queue."""
        reason = _reason(reason)
        if self.opener is None:
            raise CashRefused("No printer with a cash drawer is set up: tick Cash drawer under Printers.")
        user = await self.auth.sign_in(pin, need=Permission.REPORTS)
        return await self.opener(user.actor, reason)


def _reason(reason: str) -> str:
    text = bounds.clean_text(reason or "", REASON_MAX).strip()
    if not text:
        raise CashRefused("Say why (a reason is kept with the entry).")
    return text


def lines_of(entries: Sequence[CashEntry]) -> list[tuple[str, int, str, str]]:
    """(kind, signed amount, reason, who) per entry, for tables and CSV."""
    return [(e.kind.value, e.signed, e.reason, e.by) for e in entries]
