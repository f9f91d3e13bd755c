"""Platform settlement statements and their reconciliation with our orders, as plain values."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum


class LineKind(StrEnum):
    """What one statement line pays: an order, a refund taken back, or an adjustment (error charge, bonus)."""

    ORDER = "order"
    REFUND = "refund"
    ADJUSTMENT = "adjustment"


class Outcome(StrEnum):
    """Where one matched line lands. A line paid more than expected counts as paid (with its difference)."""

    PAID = "paid"  # paid as expected (or more)
    SHORT = "short"  # short-paid: the platform paid less than we expected
    MISSING = "missing"  # our order is not on the statement
    UNKNOWN = "unknown"  # on the statement, not in our orders
    REFUND = "refund"  # money the platform took back for a refund
    ADJUSTMENT = "adjustment"  # error charges, bonuses, corrections


@dataclass(frozen=True, slots=True)
class StatementLine:
    """One line of a platform's statement, in minor units. ``net`` is what the platform pays us for it."""

    line_no: int  # the line in the file (1 = the header row)
    platform: str
    external_id: str  # the platform's order id; "" for a line not tied to an order
    kind: LineKind
    currency: str
    gross: int  # what the customer paid (0 where the statement does not say)
    fees: int  # commission and fees the platform kept (positive)
    net: int  # paid to us (negative: taken back)
    day: date | None = None
    note: str = ""


@dataclass(frozen=True, slots=True)
class Statement:
    """A parsed statement file: its platform, the file's name and its lines."""

    platform: str
    source: str  # the file name as imported
    lines: tuple[StatementLine, ...]


@dataclass(frozen=True, slots=True)
class ExpectedPayout:
    """One of our orders as reconciliation sees it: what we expect the platform to pay for it."""

    order_id: int
    platform: str
    external_id: str
    display_id: str
    currency: str
    total: int
    expected: int  # the platform's payout, else total minus the commission we know of
    refunded: int = 0  # platform refunds recorded for it (minor units)


@dataclass(frozen=True, slots=True)
class ReconLine:
    """One outcome: an order, a statement line, or both, and the money on each side."""

    outcome: Outcome
    platform: str
    external_id: str
    currency: str
    expected: int  # what we expected (0 for an unknown line)
    paid: int  # the net of the statement's lines for it (0 for a missing order)
    order_id: int | None = None
    display_id: str = ""
    line_nos: tuple[int, ...] = ()
    note: str = ""

    @property
    def difference(self) -> int:
        """Paid minus expected: negative when short-paid."""
        return self.paid - self.expected


@dataclass(frozen=True, slots=True)
class OutcomeTotal:
    outcome: Outcome
    currency: str
    count: int
    expected: int
    paid: int

    @property
    def difference(self) -> int:
        return self.paid - self.expected


@dataclass(frozen=True, slots=True)
class Reconciliation:
    """Every line grouped by outcome, with totals per outcome and currency."""

    lines: tuple[ReconLine, ...]
    totals: tuple[OutcomeTotal, ...] = field(default=())

    def of(self, outcome: Outcome) -> list[ReconLine]:
        return [line for line in self.lines if line.outcome is outcome]

    def total(self, outcome: Outcome, currency: str) -> OutcomeTotal:
        for t in self.totals:
            if t.outcome is outcome and t.currency == currency:
                return t
        return OutcomeTotal(outcome, currency, 0, 0, 0)


@dataclass(frozen=True, slots=True)
class RefundTotal:
    """Platform refunds in a period: on how many orders, how much (minor units)."""

    platform: str
    currency: str
    count: int
    amount: int


@dataclass(frozen=True, slots=True)
class PayoutSummary:
    """What the Z-report and range report show of the platforms' money in one currency: the refunds they
    made and the imported statement lines of the period by outcome."""

    currency: str
    refunds: tuple[RefundTotal, ...]
    outcomes: tuple[OutcomeTotal, ...]

    @property
    def refunded(self) -> int:
        return sum(r.amount for r in self.refunds)
