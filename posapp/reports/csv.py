"""CSV export of a Z-report: one file per table, UTF-8 with a BOM so Excel shows Chinese names correctly."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from posapp.domain.money import Money
from posapp.reports.cashup import cash_tables
from posapp.reports.gateways import gateway_tables
from posapp.reports.offers import offer_tables
from posapp.reports.payouts import payout_tables
from posapp.reports.zreport import ZReport

ENCODING = "utf-8-sig"  # the BOM is what makes Excel read the file as UTF-8 instead of the ANSI code page


def report_tables(report: ZReport) -> dict[str, tuple[list[str], list[list[Any]]]]:
    """name -> (header, rows). Money as plain decimal text in major units ("157.00") plus a currency column."""
    cur = report.currency

    def d(amount: int) -> str:
        return str(Money(amount, cur).decimal())

    prep_rows = [
        [scope, p.key, p.orders, p.median_s, p.p90_s]
        for scope, lines in (
            ("all", (report.prep,)),
            ("platform", report.prep_by_platform),
            ("hour", report.prep_by_hour),
        )
        for p in lines
    ]
    summary: list[list[Any]] = [
        ["period_start", report.period.start.isoformat()],
        ["period_end", report.period.end.isoformat()],
        ["business_days", report.period.label()],
        ["time_zone", report.period.tz.key],
        ["currency", cur],
        ["orders", report.orders],
        ["gross_sales", d(report.gross)],
        ["average_order", d(report.average_order)],
        ["subtotal", d(report.subtotal)],
        ["discount", d(report.discount)],
        ["delivery_fee", d(report.delivery_fee)],
        ["packaging_fee", d(report.packaging_fee)],
        ["service_fee", d(report.service_fee)],
        ["tip", d(report.tip)],
        ["tax", d(report.tax)],
        ["commission", d(report.commission)],
        ["expected_payout", d(report.payout)],
        ["open_orders", report.open_orders],
        ["cancelled", report.cancelled],
        ["rejected", report.rejected],
        ["lost_value", d(report.lost_value)],
        ["late_orders", report.late],
        ["refunds", len(report.refunds)],
        ["refund_total", d(report.refund_total)],
        ["refund_requests", report.refund_requests],
    ]
    if report.comparison is not None:
        c = report.comparison
        summary += [
            ["compared_with", c.label],
            ["previous_orders", c.previous_orders],
            ["previous_gross_sales", d(c.previous_gross)],
        ]
    tables: dict[str, tuple[list[str], list[list[Any]]]] = {
        "summary": (["figure", "value"], summary),
        "platforms": (
            [
                "platform",
                "orders",
                "gross_sales",
                "discount",
                "fees",
                "tip",
                "tax",
                "commission",
                "expected_payout",
                "cancelled",
                "rejected",
                "lost_value",
                "late",
                "currency",
            ],
            [
                [
                    p.platform,
                    p.orders,
                    d(p.gross),
                    d(p.discount),
                    d(p.fees),
                    d(p.tip),
                    d(p.tax),
                    d(p.commission),
                    d(p.payout),
                    p.cancelled,
                    p.rejected,
                    d(p.lost_value),
                    p.late,
                    cur,
                ]
                for p in report.platforms
            ],
        ),  # fmt: skip
        "payments": (
            ["method", "orders", "amount", "currency"],
            [[p.method, p.orders, d(p.amount), cur] for p in report.payments],
        ),
        "cancellations": (
            ["platform", "status", "reason", "orders", "value", "currency"],
            [[x.platform, x.status, x.reason, x.orders, d(x.value), cur] for x in report.lost],
        ),
        "prep_times": (["scope", "key", "orders", "median_seconds", "p90_seconds"], prep_rows),
        "items": (
            ["rank", "name", "quantity", "sales", "currency"],
            [["top", i.name, i.quantity, d(i.sales), cur] for i in report.top_items]
            + [["bottom", i.name, i.quantity, d(i.sales), cur] for i in report.bottom_items],
        ),
        "hours": (
            ["hour", "orders", "sales", "currency"],
            [[f"{h.hour:02d}:00", h.orders, d(h.sales), cur] for h in report.hours],
        ),
        "refunds": (
            ["at", "by", "order_id", "platform", "amount", "reason", "currency"],
            [
                [r.at.isoformat(), r.by, r.order_id, r.platform, d(r.amount), r.reason, cur]
                for r in report.refunds
            ],
        ),
    }
    if report.cash is not None:
        tables.update(cash_tables(report.cash))
    if report.payouts is not None:
        tables.update(payout_tables(report.payouts))
    if report.offers is not None:
        tables.update(offer_tables(report.offers))
    if report.gateways is not None:
        tables.update(gateway_tables(report.gateways))
    return tables


def write_csv(report: ZReport, out_dir: Path | str, *, prefix: str | None = None) -> list[Path]:
    """Write one ``<prefix>_<table>.csv`` per table into ``out_dir``; returns the paths written."""
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    p = report.period
    stem = prefix or (f"z-{p.first}" if p.first == p.last else f"z-{p.first}_{p.last}")
    if report.currency:
        stem = f"{stem}-{report.currency}"
    written = []
    for name, (header, rows) in report_tables(report).items():
        path = folder / f"{stem}_{name}.csv"
        _write(path, header, rows)
        written.append(path)
    return written


def _write(path: Path, header: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    with path.open("w", encoding=ENCODING, newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(["" if v is None else v for v in row] for row in rows)
