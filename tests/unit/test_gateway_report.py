"""The gateways' payments in the Z-report (screen figures, printed lines, CSV, JSON), against a hand-worked day.

Business day 2026-03-10 (Asia/Shanghai, cut-off 04:00) in CNY:
  alipay  scan_code    4200 paid 12:00                      refund 1200 confirmed 18:00
  alipay  show_qr      2600 paid 13:00                      refund  600 confirmed 03-11 05:00 (next day)
  alipay  scan_code     700 FAILED 14:00                    (not money)
  wechat  scan_code    3100 paid 19:30                      refund  500 asked, not answered (not counted)
  wechat  scan_code    1500 UNKNOWN 19:45                   (never shown as paid)
  stripe  card_reader  1800 paid 20:00, fee 54              refund 1800 confirmed 21:00
  stripe  card_reader  2500 paid 03-11 03:59, fee 73        (still the 10th's business day)
  stripe  card_reader   999 paid 03-11 04:00                (the 11th)
  stripe  card_reader  1000 USD paid 15:00                  (another currency)
By hand: alipay scan_code 1 x 42.00, alipay show_qr 1 x 26.00, stripe card_reader 2 x 43.00 with fees 1.27 (2
reported), wechat scan_code 1 x 31.00: 5 payments, 142.00; refunds alipay 1 x 12.00, stripe 1 x 18.00 = 30.00;
net 142.00 - 30.00 - 1.27 = 110.73.
"""

from __future__ import annotations

import csv
import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session

from posapp.reports.csv import write_csv
from posapp.reports.gateways import GatewayLine, GatewayRefundLine
from posapp.reports.jsonout import report_to_dict
from posapp.reports.zreport import ZReport
from posapp.reports.ztext import z_report_lines
from posapp.services.reports import ReportService
from posapp.store import payments as store
from posapp.store.db import Database
from tests.report_fixtures import DAY, OPTIONS, local, put

PAYMENTS = [
    # (gateway, method, amount, currency, state, paid at, fee, refunds [(amount, state, at)])
    ("alipay", "scan_code", 4200, "CNY", "paid", local(10, 12), None, [(1200, "paid", local(10, 18))]),
    ("alipay", "show_qr", 2600, "CNY", "paid", local(10, 13), None, [(600, "paid", local(11, 5))]),
    ("alipay", "scan_code", 700, "CNY", "failed", local(10, 14), None, []),
    ("wechat", "scan_code", 3100, "CNY", "paid", local(10, 19, 30), None, [(500, "pending", local(10, 22))]),
    ("wechat", "scan_code", 1500, "CNY", "unknown", local(10, 19, 45), None, []),
    ("stripe", "card_reader", 1800, "CNY", "paid", local(10, 20), 54, [(1800, "paid", local(10, 21))]),
    ("stripe", "card_reader", 2500, "CNY", "paid", local(11, 3, 59), 73, []),
    ("stripe", "card_reader", 999, "CNY", "paid", local(11, 4), 30, []),
    ("stripe", "card_reader", 1000, "USD", "paid", local(10, 15), 32, []),
]


def _seed(db: Database) -> None:
    for n, row in enumerate(PAYMENTS):
        order_id = put(db, platform="manual", placed=row[5], total=row[2], currency=row[3], payment="unpaid")
        db.call(lambda s, n=n, row=row, order_id=order_id: _payment(s, n, row, order_id))


def _payment(session: Session, n: int, row: tuple[Any, ...], order_id: int) -> None:
    gateway, method, amount, currency, state, at, fee, refunds = row
    rid = f"P{n}"
    record = store.add(
        session,
        request_id=rid,
        order_id=order_id,
        order_key=f"manual:{order_id}",
        gateway=gateway,
        method=method,
        amount=amount,
        currency=currency,
        reader_id=None,
        now=at,
    )
    store.record(session, rid, state=state, now=at, transaction_id=f"T{n}", fee=fee)
    for k, (refund, refund_state, when) in enumerate(refunds):
        store.add_refund(session, record, refund_id=f"R{n}{k}", amount=refund, by="Li", reason="x", now=when)
        store.record_refund(session, f"R{n}{k}", state=refund_state, now=when)


@pytest.fixture
def report(db: Database) -> ZReport:
    _seed(db)
    return ReportService(db, OPTIONS).z_report_now(DAY, currency="CNY")


def test_the_day_counts_the_gateways_payments_refunds_and_fees_by_hand(report: ZReport) -> None:
    g = report.gateways
    assert g is not None and g.currency == "CNY"
    assert g.lines == (
        GatewayLine("alipay", "scan_code", 1, 4200, 0, 0),
        GatewayLine("alipay", "show_qr", 1, 2600, 0, 0),
        GatewayLine("stripe", "card_reader", 2, 4300, 127, 2),
        GatewayLine("wechat", "scan_code", 1, 3100, 0, 0),
    )
    assert g.refunds == (GatewayRefundLine("alipay", 1, 1200), GatewayRefundLine("stripe", 1, 1800))
    assert (g.payments, g.amount, g.fees, g.refunded, g.net) == (5, 14200, 127, 3000, 11073)


def test_the_printed_report_has_the_gateway_lines(report: ZReport) -> None:
    lines = [
        line.rstrip()
        for line in z_report_lines(
            report, width=48, store_name="老王小馆", printed_at=datetime.now(OPTIONS.tz)
        )
    ]
    start = lines.index("GATEWAY PAYMENTS")
    block = lines[start : start + 8]
    assert block[1].startswith("alipay code scanned x1") and block[1].endswith("42.00")
    assert block[3].startswith("stripe card reader x2") and block[3].endswith("43.00")
    assert block[4].startswith("  fees (2 reported)") and block[4].endswith("-¥1.27")
    assert block[6].startswith("alipay refunds x1") and block[6].endswith("-¥12.00")
    assert lines[start + 8].startswith("Gateways net") and lines[start + 8].endswith("110.73")
    assert all(len(line) <= 48 for line in block)


def test_csv_and_json_carry_the_gateway_figures(report: ZReport, tmp_path: Path) -> None:
    paths = {p.name: p for p in write_csv(report, tmp_path)}
    [payments] = [p for name, p in paths.items() if "gateway_payments" in name]
    rows = list(csv.reader(payments.read_text("utf-8-sig").splitlines()))
    assert rows[0] == ["gateway", "method", "payments", "amount", "fees", "fees_reported", "currency"]
    assert ["stripe", "card_reader", "2", "43.00", "1.27", "2", "CNY"] in rows
    [refunds] = [p for name, p in paths.items() if "gateway_refunds" in name]
    assert ["stripe", "1", "18.00", "CNY"] in list(csv.reader(refunds.read_text("utf-8-sig").splitlines()))
    data = json.loads(json.dumps(report_to_dict(report)))
    assert data["gateways"]["net"] == 11073 and data["gateways"]["fees"] == 127
    assert data["gateways"]["lines"][2] == {
        "gateway": "stripe",
        "method": "card_reader",
        "payments": 2,
        "amount": 4300,
        "fees": 127,
        "fees_reported": 2,
    }


def test_a_day_without_gateway_payments_has_no_gateway_section(db: Database) -> None:
    put(db, platform="manual", placed=local(10, 12), total=1000, payment="cash")
    report = ReportService(db, OPTIONS).z_report_now(DAY)
    assert report.gateways is None
    assert "GATEWAY PAYMENTS" not in z_report_lines(
        report, width=32, store_name="x", printed_at=local(10, 23)
    )
