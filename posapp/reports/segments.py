"""Customer segments (recency, frequency, money): new, regular, high-value, lapsing, lost; per platform and
overall, with the rules as sentences, a customer's history and a CSV. Identifies only what platforms gave."""

from __future__ import annotations

import csv
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from pathlib import Path

from posapp.domain.customers import CustomerOrder
from posapp.domain.money import Money

# The rules' thresholds. Days count whole 24-hour days from the customer's last order to now.
ACTIVE_DAYS = 30  # a last order at most this many days ago is recent
LOST_AFTER_DAYS = 60  # no order for more than this many days: lost
REPEAT_MIN_ORDERS = 2  # a regular (or lapsing) customer has at least this many orders
HIGH_VALUE_MIN_ORDERS = 4
HIGH_VALUE_MIN_SPEND = 30_000  # minor units of the report's currency (¥300.00)

# Only these channels give us a customer's full phone (the own website's form, the counter's manual order):
# there, and only there, one phone number is one customer across channels. Platform phones are masked
# ("138****5678") or privacy-relay numbers; they identify a customer within that platform, never beyond.
JOINED_PLATFORMS = frozenset({"own", "manual"})
FULL_PHONE_MIN_DIGITS = 7

_MASK = re.compile(r"[*xX•＊]")
_NOISE = re.compile(r"[\s\-()+.]")


class Segment(StrEnum):
    NEW = "new"
    REGULAR = "regular"
    HIGH_VALUE = "high-value"
    LAPSING = "lapsing"
    LOST = "lost"


@dataclass(frozen=True, slots=True)
class RuleText:
    """One segment's rule as an English template and its values: the UI translates the template."""

    segment: Segment
    template: str
    values: dict[str, str] = field(default_factory=dict)

    def text(self) -> str:
        return self.template.format(**self.values)


def rules(currency: str = "CNY") -> list[RuleText]:
    """The rules in the order they are applied (the first that fits a customer is their segment)."""
    spend = Money(HIGH_VALUE_MIN_SPEND, currency).format()
    days = {"active": str(ACTIVE_DAYS), "lost": str(LOST_AFTER_DAYS)}
    return [
        RuleText(Segment.LOST, "lost: no order for more than {lost} days", days),
        RuleText(
            Segment.HIGH_VALUE,
            "high-value: {orders}+ orders and {spend}+ spent, last order within {active} days",
            {**days, "orders": str(HIGH_VALUE_MIN_ORDERS), "spend": spend},
        ),
        RuleText(
            Segment.LAPSING,
            "lapsing: {orders}+ orders, last order {first}–{lost} days ago",
            {**days, "orders": str(REPEAT_MIN_ORDERS), "first": str(ACTIVE_DAYS + 1)},
        ),
        RuleText(
            Segment.REGULAR,
            "regular: {orders}+ orders, last order within {active} days",
            {**days, "orders": str(REPEAT_MIN_ORDERS)},
        ),
        RuleText(Segment.NEW, "new: one order, within the last {lost} days", days),
    ]


def segment_of(orders: int, spent: int, days_since_last: int) -> Segment:
    """The rules of ``rules()``, in their order."""
    if days_since_last > LOST_AFTER_DAYS:
        return Segment.LOST
    recent = days_since_last <= ACTIVE_DAYS
    if recent and orders >= HIGH_VALUE_MIN_ORDERS and spent >= HIGH_VALUE_MIN_SPEND:
        return Segment.HIGH_VALUE
    if orders >= REPEAT_MIN_ORDERS:
        return Segment.REGULAR if recent else Segment.LAPSING
    return Segment.NEW


def identity(platform: str, phone: str | None, name: str | None) -> str | None:
    """Who placed an order, as far as the data says. A full phone on the own website or a manual order is
    one customer on both; a masked or relay phone counts only with its platform and the name given beside
    it (two people behind "138****5678" on Meituan stay two). None without a phone: a name alone is no one."""
    if not phone:
        return None
    digits = _NOISE.sub("", phone)
    if digits.startswith("86") and len(digits) == 13:  # +86 on some forms
        digits = digits[2:]
    if platform in JOINED_PLATFORMS and digits.isdigit() and len(digits) >= FULL_PHONE_MIN_DIGITS:
        return f"phone:{digits}"
    who = (name or "").strip().casefold()
    return f"{platform}:{_MASK.sub('*', digits)}|{who}"


@dataclass(frozen=True, slots=True)
class CustomerSummary:
    key: str
    name: str | None  # from the latest order
    phone: str  # as the latest order gave it
    platforms: tuple[str, ...]
    orders: int
    first_order_at: datetime
    last_order_at: datetime
    days_since_last: int
    spent: int  # in the report's currency
    segment: Segment


@dataclass(frozen=True, slots=True)
class ScopeFigures:
    """One platform's figures, or all platforms' (``platform`` None)."""

    platform: str | None
    customers: int
    repeat_customers: int
    orders: int
    spent: int
    segments: dict[Segment, int]

    @property
    def repeat_rate(self) -> float:
        """Share of customers with at least two orders, 0..1."""
        return self.repeat_customers / self.customers if self.customers else 0.0

    @property
    def orders_per_customer(self) -> float:
        return self.orders / self.customers if self.customers else 0.0

    @property
    def average_order(self) -> int:
        """Average spend per order, minor units (rounded half up)."""
        return (2 * self.spent + self.orders) // (2 * self.orders) if self.orders else 0


@dataclass(frozen=True, slots=True)
class SegmentReport:
    now: datetime
    currency: str
    overall: ScopeFigures
    platforms: tuple[ScopeFigures, ...]
    customers: tuple[CustomerSummary, ...]  # of the chosen scope, best segment first, then most spent

    def rules(self) -> list[RuleText]:
        return rules(self.currency)


_ORDER = {
    s: i
    for i, s in enumerate((Segment.HIGH_VALUE, Segment.REGULAR, Segment.LAPSING, Segment.NEW, Segment.LOST))
}


def _summaries(orders: Sequence[CustomerOrder], now: datetime, currency: str) -> list[CustomerSummary]:
    groups: dict[str, list[CustomerOrder]] = {}
    for o in orders:
        key = identity(o.platform, o.phone, o.name)
        if key is not None:
            groups.setdefault(key, []).append(o)
    out = []
    for key, group in groups.items():
        group.sort(key=lambda o: (o.placed_at, o.order_id))
        last = group[-1]
        days = max(0, (now - last.placed_at).days)
        spent = sum(o.total for o in group if o.currency == currency)
        out.append(
            CustomerSummary(
                key=key,
                name=last.name,
                phone=last.phone,
                platforms=tuple(sorted({o.platform for o in group})),
                orders=len(group),
                first_order_at=group[0].placed_at,
                last_order_at=last.placed_at,
                days_since_last=days,
                spent=spent,
                segment=segment_of(len(group), spent, days),
            )
        )
    out.sort(key=lambda c: (_ORDER[c.segment], -c.spent, -c.orders, c.key))
    return out


def _figures(platform: str | None, customers: Sequence[CustomerSummary]) -> ScopeFigures:
    counts = Counter(c.segment for c in customers)
    return ScopeFigures(
        platform=platform,
        customers=len(customers),
        repeat_customers=sum(1 for c in customers if c.orders >= REPEAT_MIN_ORDERS),
        orders=sum(c.orders for c in customers),
        spent=sum(c.spent for c in customers),
        segments={s: counts.get(s, 0) for s in Segment},
    )


def analyse(
    orders: Iterable[CustomerOrder],
    now: datetime,
    *,
    platform: str | None = None,
    currency: str | None = None,
) -> SegmentReport:
    """Segments over the given orders as of ``now``. Per platform, a customer is counted on that platform's
    orders only; overall, a customer joined on a full phone (own website + manual) counts once. Money is
    added up in one currency (``currency``, or the one most orders use); orders in another still count."""
    kept = list(orders)
    if currency is None:
        common = Counter(o.currency for o in kept).most_common(1)
        currency = common[0][0] if common else "CNY"
    names = sorted({o.platform for o in kept})
    per_platform = tuple(
        _figures(p, _summaries([o for o in kept if o.platform == p], now, currency)) for p in names
    )
    overall_customers = _summaries(kept, now, currency)
    if platform is None:
        shown = overall_customers
    else:
        shown = _summaries([o for o in kept if o.platform == platform], now, currency)
    return SegmentReport(
        now=now,
        currency=currency,
        overall=_figures(None, overall_customers),
        platforms=per_platform,
        customers=tuple(shown),
    )


def history(orders: Iterable[CustomerOrder], key: str) -> list[CustomerOrder]:
    """One customer's orders (on every platform that identifies them as one), newest first."""
    mine = [o for o in orders if identity(o.platform, o.phone, o.name) == key]
    return sorted(mine, key=lambda o: (o.placed_at, o.order_id), reverse=True)


CSV_HEADER = (
    "segment",
    "name",
    "phone",
    "platforms",
    "orders",
    "first_order",
    "last_order",
    "days_since_last",
    "spent",
    "average_order",
    "currency",
)


def _cell(text: str) -> str:
    """A name or phone from a platform that starts like a spreadsheet formula is kept as text."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def csv_rows(report: SegmentReport) -> list[list[str]]:
    """The customers of the report as CSV rows (header first); money as decimal strings, dates ISO."""

    def money(amount: int) -> str:
        return str(Money(amount, report.currency).decimal())

    rows = [list(CSV_HEADER)]
    for c in report.customers:
        rows.append(
            [
                c.segment.value,
                _cell(c.name or ""),
                _cell(c.phone),
                " ".join(c.platforms),
                str(c.orders),
                c.first_order_at.isoformat(),
                c.last_order_at.isoformat(),
                str(c.days_since_last),
                money(c.spent),
                money((2 * c.spent + c.orders) // (2 * c.orders)),
                report.currency,
            ]
        )
    return rows


def write_csv(report: SegmentReport, path: Path) -> Path:
    """Write the customers CSV (UTF-8 with BOM, so Excel reads the Chinese names)."""
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows(csv_rows(report))
    return path


_SEGMENT_COLUMNS = (Segment.NEW, Segment.REGULAR, Segment.HIGH_VALUE, Segment.LAPSING, Segment.LOST)


def segments_text(report: SegmentReport, *, platform: str | None = None) -> str:
    """The report for a terminal: the rules, the figures per platform and overall, then the customers."""

    def money(amount: int) -> str:
        return Money(amount, report.currency).format()

    lines = [
        f"Customer segments as of {report.now:%Y-%m-%d %H:%M %Z} ({report.currency})",
        "Rules (the first that fits):",
    ]
    lines += [f"  {r.text()}" for r in report.rules()]
    lines.append(
        "Masked and relay phones count within their platform only; a full phone joins own website and manual orders."
    )
    lines.append("")
    head = f"{'platform':<10}{'customers':>10}{'repeat':>8}{'orders/c':>9}{'avg order':>11}"
    lines.append(head + "".join(f"{s.value:>11}" for s in _SEGMENT_COLUMNS))
    for f in (*report.platforms, report.overall):
        lines.append(
            f"{f.platform or 'all':<10}{f.customers:>10}{f.repeat_rate:>8.0%}{f.orders_per_customer:>9.1f}"
            f"{money(f.average_order):>11}" + "".join(f"{f.segments[s]:>11}" for s in _SEGMENT_COLUMNS)
        )
    lines.append("")
    lines.append(
        f"Customers ({platform or 'all platforms'}): segment, name, phone, platforms, orders, last order, spent"
    )
    for c in report.customers:
        lines.append(
            f"  {c.segment.value:<11}{c.name or '-'}\t{c.phone}\t{','.join(c.platforms)}\t{c.orders}\t"
            f"{c.last_order_at:%Y-%m-%d} ({c.days_since_last} d)\t{money(c.spent)}"
        )
    if not report.customers:
        lines.append("  none")
    return "\n".join(lines) + "\n"
