"""The Z-report as plain lines for 32- or 48-column thermal paper; CJK characters count double width."""

from __future__ import annotations

import unicodedata
from datetime import datetime

from posapp.domain.money import Money
from posapp.reports.cashup import cash_lines
from posapp.reports.gateways import gateway_lines
from posapp.reports.offers import offer_lines
from posapp.reports.payouts import payout_lines
from posapp.reports.zreport import ZReport


def display_width(text: str) -> int:
    """Columns ``text`` takes on a receipt printer: wide (CJK, full-width) characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def clip(text: str, width: int) -> str:
    """Cut ``text`` to at most ``width`` columns, ending in "…" (one column) when something was cut."""
    if display_width(text) <= width:
        return text
    out, used = [], 0
    for ch in text:
        w = display_width(ch)
        if used + w > width - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…"


def columns(left: str, right: str, width: int) -> str:
    """``left`` flush left, ``right`` flush right, on one line of ``width`` columns."""
    room = width - display_width(right) - 1
    left = clip(left, max(room, 1))
    gap = width - display_width(left) - display_width(right)
    return left + " " * max(gap, 1) + right


def center(text: str, width: int) -> str:
    text = clip(text, width)
    pad = (width - display_width(text)) // 2
    return " " * pad + text


def minutes(seconds: int | None) -> str:
    """900 -> "15:00" (minutes:seconds); None -> "-"."""
    if seconds is None:
        return "-"
    return f"{seconds // 60}:{seconds % 60:02d}"


def z_report_lines(
    report: ZReport, *, width: int = 32, store_name: str = "", printed_at: datetime | None = None
) -> list[str]:
    """The compact Z-report, one string per printed line, each at most ``width`` columns."""
    if width < 24:
        raise ValueError("a Z-report needs at least 24 columns")
    cur = report.currency

    def m(amount: int) -> str:
        return Money(amount, cur).format()

    wide = width >= 42
    rule, thin = "=" * width, "-" * width
    p = report.period
    lines: list[str] = []
    if store_name:
        lines.append(center(store_name, width))
    lines.append(center("Z-REPORT" if p.first == p.last else "RANGE REPORT", width))
    lines.append(center(f"Business day {p.label()}" if p.first == p.last else p.label(), width))
    cutoff = p.cutoff.strftime("%H:%M")
    lines.append(center(f"{cutoff}-{cutoff} {p.tz.key}", width))
    if printed_at is not None:
        lines.append(center(f"printed {printed_at.astimezone(p.tz):%Y-%m-%d %H:%M}", width))
    lines.append(rule)
    for label, value in (
        ("Orders", str(report.orders)),
        ("Gross sales", m(report.gross)),
        ("Average order", m(report.average_order)),
        ("Discounts", m(-report.discount)),
        ("Fees", m(report.fees)),
        ("Tips", m(report.tip)),
        ("Tax", m(report.tax)),
        ("Commission", m(-report.commission)),
        ("Expected payout", m(report.payout)),
    ):
        lines.append(columns(label, value, width))
    if report.open_orders:
        lines.append(columns("Still open", str(report.open_orders), width))

    lines += [thin, "BY PLATFORM"]
    for pl in report.platforms:
        lines.append(columns(f"{pl.platform} x{pl.orders}", m(pl.gross), width))
        if wide:
            lines.append(columns(f"  commission {m(pl.commission)}", f"payout {m(pl.payout)}", width))
        else:
            lines.append(columns("  commission", m(pl.commission), width))
            lines.append(columns("  payout", m(pl.payout), width))
    if not report.platforms:
        lines.append("  (no orders)")

    lines += [thin, "PAYMENTS"]
    lines += [columns(f"{pay.method} x{pay.orders}", m(pay.amount), width) for pay in report.payments]

    lines += [thin, columns("CANCELLED", f"{report.cancelled}", width)]
    lines.append(columns("REJECTED", f"{report.rejected}", width))
    lines.append(columns("Lost value", m(report.lost_value), width))
    for lost in report.lost:
        lines.append(columns(f"  {lost.platform} {lost.reason}", f"{lost.orders} {m(lost.value)}", width))

    lines += [thin, columns("PREP (median / p90)", "", width).rstrip()]
    lines.append(columns("all", f"{minutes(report.prep.median_s)} / {minutes(report.prep.p90_s)}", width))
    for prep in report.prep_by_platform:
        lines.append(columns(f"  {prep.key}", f"{minutes(prep.median_s)} / {minutes(prep.p90_s)}", width))
    lines.append(columns(f"Late (>{report.late_threshold_minutes} min or due)", str(report.late), width))

    lines += [thin, "TOP ITEMS"]
    lines += [columns(f"{it.quantity} {it.name}", m(it.sales), width) for it in report.top_items]
    if report.bottom_items:
        lines.append("BOTTOM ITEMS")
        lines += [columns(f"{it.quantity} {it.name}", m(it.sales), width) for it in report.bottom_items]

    lines += [thin, "HOURLY"]
    for h in report.hours:
        if h.orders:
            lines.append(columns(f"{h.hour:02d}:00  {h.orders:>3}", m(h.sales), width))

    if report.refunds or report.refund_requests:
        lines += [thin, columns(f"REFUNDS x{len(report.refunds)}", m(report.refund_total), width)]
        for r in report.refunds:
            lines.append(columns(f"  {r.platform} {r.reason}", m(r.amount), width))
        if report.refund_requests:
            lines.append(
                columns(f"  requested x{report.refund_requests}", m(report.refund_requested_value), width)
            )

    c = report.comparison
    if c is not None:
        lines += [thin, f"VS {c.label}"]
        lines.append(columns("Orders", f"{c.previous_orders} -> {c.orders}", width))
        change = "" if c.gross_change_pct is None else f" ({c.gross_change_pct:+.1f}%)"
        lines.append(columns("Gross", f"{m(c.previous_gross)}{change}", width))
    if report.cash is not None:
        lines += cash_lines(report.cash, width)
    if report.payouts is not None:
        lines += payout_lines(report.payouts, width)
    if report.offers is not None:
        lines += offer_lines(report.offers, width)
    if report.gateways is not None:
        lines += gateway_lines(report.gateways, width)
    lines.append(rule)
    return lines


def z_report_text(report: ZReport, *, width: int = 32, store_name: str = "") -> str:
    return "\n".join(z_report_lines(report, width=width, store_name=store_name)) + "\n"
