"""Offers in the Z-report and range report: codes issued, redeemed, the redemption rate and the discount given,
per offer; printed lines and CSV tables."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from posapp.domain.money import Money
from posapp.domain.offers import OfferCounts


@dataclass(frozen=True, slots=True)
class OfferLine:
    """One offer over a period. ``redeemed`` and ``discount``: codes used within the period (whenever they
    were issued). ``redemption_rate``: of the codes issued within the period, the share used so far, in
    percent (None when none was issued)."""

    offer_id: int
    text: str
    issued: int
    redeemed: int
    discount: int
    issued_redeemed: int
    redemption_rate: float | None


@dataclass(frozen=True, slots=True)
class OfferSummary:
    currency: str
    lines: tuple[OfferLine, ...]
    issued: int
    redeemed: int
    discount: int
    redemption_rate: float | None


def _rate(used: int, issued: int) -> float | None:
    return None if issued == 0 else round(used * 100 / issued, 1)


def offer_summary(counts: Iterable[OfferCounts], currency: str) -> OfferSummary | None:
    """The report's offers in ``currency``; None when no code was issued or used in the period."""
    lines = tuple(
        OfferLine(
            c.offer_id,
            c.text,
            c.issued,
            c.redeemed,
            c.discount,
            c.issued_redeemed,
            _rate(c.issued_redeemed, c.issued),
        )
        for c in counts
        if c.currency == currency and (c.issued or c.redeemed)
    )
    if not lines:
        return None
    issued = sum(x.issued for x in lines)
    return OfferSummary(
        currency,
        lines,
        issued,
        sum(x.redeemed for x in lines),
        sum(x.discount for x in lines),
        _rate(sum(x.issued_redeemed for x in lines), issued),
    )


def _pct(rate: float | None) -> str:
    return "-" if rate is None else f"{rate:.1f}%"


def offer_lines(summary: OfferSummary, width: int) -> list[str]:
    """OFFERS lines for the printed Z-report / range report."""
    from posapp.reports.ztext import columns  # ztext imports this module: import at call time

    def m(amount: int) -> str:
        return Money(amount, summary.currency).format()

    lines = ["-" * width, "OFFERS (own channels)"]
    for x in summary.lines:
        lines.append(x.text[:width])
        lines.append(columns(f"  issued {x.issued} · redeemed {x.redeemed}", m(-x.discount), width))
        lines.append(columns("  redemption rate", _pct(x.redemption_rate), width))
    if len(summary.lines) > 1:
        lines.append(
            columns(f"All offers: {summary.issued} / {summary.redeemed}", m(-summary.discount), width)
        )
    return lines


def offer_tables(summary: OfferSummary) -> dict[str, tuple[list[str], list[list[Any]]]]:
    """``offers``: per offer, codes issued and redeemed, the rate and the discount (major units)."""
    cur = summary.currency

    def d(amount: int) -> str:
        return str(Money(amount, cur).decimal())

    return {
        "offers": (
            [
                "offer_id",
                "offer",
                "issued",
                "redeemed",
                "issued_and_redeemed",
                "redemption_rate_pct",
                "discount",
                "currency",
            ],
            [
                [
                    x.offer_id,
                    x.text,
                    x.issued,
                    x.redeemed,
                    x.issued_redeemed,
                    "" if x.redemption_rate is None else f"{x.redemption_rate:.1f}",
                    d(x.discount),
                    cur,
                ]
                for x in summary.lines
            ],
        )
    }
