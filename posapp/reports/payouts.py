"""Reconcile statement lines with our orders (paid, short-paid, missing, unknown, refunds, adjustments); CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from posapp.domain.money import Money
from posapp.domain.payouts import (
    ExpectedPayout,
    LineKind,
    Outcome,
    OutcomeTotal,
    PayoutSummary,
    Reconciliation,
    ReconLine,
    StatementLine,
)

OUTCOME_ORDER = (
    Outcome.SHORT,
    Outcome.MISSING,
    Outcome.UNKNOWN,
    Outcome.REFUND,
    Outcome.ADJUSTMENT,
    Outcome.PAID,
)

Key = tuple[str, str]  # (platform, external_id)


def reconcile(
    lines: Iterable[StatementLine],
    expected: Sequence[ExpectedPayout],
    known: Mapping[Key, ExpectedPayout] | None = None,
) -> Reconciliation:
    """Match ``lines`` to the orders we expect to be paid for (``expected``: the period's orders, each
    once); ``known`` also names orders outside the period (or cancelled) that a line may be about, so
    they do not read as unknown. An order's expected payout is lowered by the platform refunds we
    recorded for it unless the statement lists those refunds as lines of their own."""
    orders: dict[Key, ExpectedPayout] = dict(known or {})
    orders.update({(o.platform, o.external_id): o for o in expected})
    # Uber Eats' Payment Details Report names an order as Uber Eats Manager shows it, which may be the short
    # display id rather than the UUID we keep: a line that names no order by id but exactly one of the
    # period's orders by its display id is that order.
    shown: dict[Key, list[ExpectedPayout]] = {}
    for o in expected:
        shown.setdefault((o.platform, o.display_id.upper()), []).append(o)
    by_key: dict[Key, list[StatementLine]] = {}
    adjustments: list[StatementLine] = []
    for line in lines:
        if not line.external_id:
            adjustments.append(line)
            continue
        key = (line.platform, line.external_id)
        alias = shown.get((line.platform, line.external_id.upper()), [])
        if key not in orders and len(alias) == 1:
            key = (line.platform, alias[0].external_id)
        by_key.setdefault(key, []).append(line)
    out: list[ReconLine] = []
    for order in expected:
        found = by_key.pop((order.platform, order.external_id), [])
        out.extend(_order_lines(order, found))
    for (_platform, _external_id), found in by_key.items():
        out.extend(_order_lines(orders.get((_platform, _external_id)), found))
    out.extend(
        ReconLine(
            Outcome.ADJUSTMENT, a.platform, "", a.currency, 0, a.net, line_nos=(a.line_no,), note=a.note
        )
        for a in adjustments
    )
    out.sort(key=lambda r: (OUTCOME_ORDER.index(r.outcome), r.platform, r.display_id or r.external_id))
    return Reconciliation(tuple(out), _totals(out))


def _order_lines(order: ExpectedPayout | None, found: list[StatementLine]) -> list[ReconLine]:
    paid_lines = [f for f in found if f.kind is LineKind.ORDER]
    refund_lines = [f for f in found if f.kind is LineKind.REFUND]
    other = [f for f in found if f.kind is LineKind.ADJUSTMENT]
    out: list[ReconLine] = []
    if order is None:
        first = found[0]
        if paid_lines:
            out.append(_line(Outcome.UNKNOWN, first, 0, paid_lines, "not one of our orders"))
        if refund_lines:
            out.append(_line(Outcome.REFUND, first, 0, refund_lines, "not one of our orders"))
        if other:
            out.append(_line(Outcome.ADJUSTMENT, first, 0, other, "not one of our orders"))
        return out
    refunded = order.refunded if order.expected else 0  # a cancelled order expects nothing at all
    if refund_lines:
        out.append(_matched(Outcome.REFUND, order, -refunded, refund_lines))
        expected = order.expected
    else:
        expected = max(order.expected - refunded, 0)
    if other:
        out.append(_matched(Outcome.ADJUSTMENT, order, 0, other))
    if not paid_lines:
        if expected:
            out.append(_matched(Outcome.MISSING, order, expected, []))
        return out
    paid = sum(f.net for f in paid_lines)
    outcome = Outcome.PAID if paid >= expected else Outcome.SHORT
    out.append(_matched(outcome, order, expected, paid_lines))
    return out


def _line(
    outcome: Outcome, first: StatementLine, expected: int, lines: list[StatementLine], note: str
) -> ReconLine:
    return ReconLine(
        outcome,
        first.platform,
        first.external_id,
        first.currency,
        expected,
        sum(f.net for f in lines),
        line_nos=tuple(f.line_no for f in lines),
        note=note,
    )


def _matched(outcome: Outcome, order: ExpectedPayout, expected: int, lines: list[StatementLine]) -> ReconLine:
    return ReconLine(
        outcome,
        order.platform,
        order.external_id,
        order.currency,
        expected,
        sum(f.net for f in lines),
        order_id=order.order_id,
        display_id=order.display_id,
        line_nos=tuple(f.line_no for f in lines),
        note="; ".join(dict.fromkeys(f.note for f in lines if f.note)),
    )


def _totals(lines: Sequence[ReconLine]) -> tuple[OutcomeTotal, ...]:
    sums: dict[tuple[Outcome, str], list[int]] = {}
    for line in lines:
        acc = sums.setdefault((line.outcome, line.currency), [0, 0, 0])
        acc[0] += 1
        acc[1] += line.expected
        acc[2] += line.paid
    return tuple(
        OutcomeTotal(outcome, currency, n, expected, paid)
        for (outcome, currency), (n, expected, paid) in sorted(
            sums.items(), key=lambda kv: (OUTCOME_ORDER.index(kv[0][0]), kv[0][1])
        )
    )


def _amount(minor: int, currency: str) -> str:
    return str(Money(minor, currency).decimal())


def reconciliation_csv(recon: Reconciliation) -> str:
    """Every line (outcome, platform, order, expected, paid, difference, statement lines), then the totals."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(
        [
            "outcome",
            "platform",
            "order",
            "external_id",
            "currency",
            "expected",
            "paid",
            "difference",
            "statement_lines",
            "note",
        ]
    )
    for r in recon.lines:
        writer.writerow(
            [
                r.outcome.value,
                r.platform,
                r.display_id,
                r.external_id,
                r.currency,
                _amount(r.expected, r.currency),
                _amount(r.paid, r.currency),
                _amount(r.difference, r.currency),
                " ".join(str(n) for n in r.line_nos),
                r.note,
            ]
        )
    writer.writerow([])
    writer.writerow(["total", "outcome", "count", "currency", "expected", "paid", "difference"])
    for t in recon.totals:
        writer.writerow(
            [
                "total",
                t.outcome.value,
                t.count,
                t.currency,
                _amount(t.expected, t.currency),
                _amount(t.paid, t.currency),
                _amount(t.difference, t.currency),
            ]
        )
    return buffer.getvalue()


_PRINTED = {
    Outcome.PAID: "Paid as expected",
    Outcome.SHORT: "Short-paid",
    Outcome.MISSING: "Missing from statements",
    Outcome.UNKNOWN: "Not our orders",
    Outcome.REFUND: "Refunds on statements",
    Outcome.ADJUSTMENT: "Adjustments",
}


def payout_lines(summary: PayoutSummary, width: int) -> list[str]:
    """PLATFORM MONEY lines for the printed Z-report / range report: refunds the platforms made, then the
    imported statement lines of the period by outcome (count, paid, and the difference where it matters)."""
    from posapp.reports.ztext import columns  # ztext imports this module: import at call time

    def m(amount: int) -> str:
        return Money(amount, summary.currency).format()

    lines = ["-" * width, "PLATFORM MONEY"]
    for r in summary.refunds:
        lines.append(columns(f"Refunded by {r.platform} x{r.count}", m(-r.amount), width))
    if summary.outcomes:
        lines.append("Statements")
    for t in summary.outcomes:
        lines.append(columns(f"  {_PRINTED[t.outcome]} x{t.count}", m(t.paid), width))
        if t.outcome in (Outcome.SHORT, Outcome.MISSING):
            lines.append(columns("    difference", m(t.difference), width))
    return lines


def payout_tables(summary: PayoutSummary) -> dict[str, tuple[list[str], list[list[Any]]]]:
    """``platform_refunds`` (platform, orders, amount) and ``payouts`` (outcome, count, expected, paid,
    difference): money in major units."""
    cur = summary.currency
    return {
        "platform_refunds": (
            ["platform", "orders", "amount", "currency"],
            [[r.platform, r.count, _amount(r.amount, cur), cur] for r in summary.refunds],
        ),
        "payouts": (
            ["outcome", "count", "expected", "paid", "difference", "currency"],
            [
                [
                    t.outcome.value,
                    t.count,
                    _amount(t.expected, cur),
                    _amount(t.paid, cur),
                    _amount(t.difference, cur),
                    cur,
                ]
                for t in summary.outcomes
            ],
        ),
    }
