"""Payout reconciliation: each platform's statement parsed from fixtures, matched to real orders in SQLite,
malformed statements refused whole, platform refunds kept as money."""

from __future__ import annotations

import dataclasses
import io
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from posapp.domain.events import PlatformEvent, PlatformEventKind
from posapp.domain.lifecycle import Action
from posapp.domain.order import Totals
from posapp.domain.payouts import LineKind, Outcome
from posapp.errors import StatementError
from posapp.reports.jsonout import report_to_dict
from posapp.reports.payouts import reconciliation_csv
from posapp.reports.statements import parse_statement
from posapp.services.hub import Hub
from posapp.services.intake import IntakeService
from posapp.services.payouts import PayoutService
from posapp.services.reports import ReportService, export_csv, print_lines
from posapp.store import orders as repo
from posapp.store.db import Database
from posapp.store.tables import PayoutImportRow, PayoutLineRow, PlatformRefundRow
from tests.factories import make_order
from tests.report_fixtures import OPTIONS, local

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
NOW = datetime(2026, 3, 12, 2, 0, tzinfo=UTC)


def fixture(platform: str, name: str) -> bytes:
    return (FIXTURES / platform / "statements" / name).read_bytes()


def put(db: Database, platform: str, external_id: str, total: int, commission: int, **kw: Any) -> int:
    placed = kw.pop("placed", local(10, 12))
    currency = kw.pop("currency", "CNY")
    order = make_order(
        platform=platform,
        external_id=external_id,
        placed_at=placed,
        currency=currency,
        totals=Totals(subtotal=total, total=total, commission=commission, payout=kw.pop("payout", None)),
    )
    cancel = kw.pop("cancel", False)

    def work(session: Any) -> int:
        oid, _ = repo.insert_order(session, order, now=placed, by="platform")
        if cancel:
            repo.apply_action(session, oid, Action.CANCEL, now=placed, by="platform", reason="顾客取消")
        return oid

    return db.call(work)


def service(db: Database) -> PayoutService:
    return PayoutService(db, ReportService(db, OPTIONS, clock=lambda: NOW))


def counts(db: Database) -> tuple[int, int]:
    return db.call(
        lambda s: (
            s.scalar(select(func.count()).select_from(PayoutImportRow)),
            s.scalar(select(func.count()).select_from(PayoutLineRow)),
        )
    )


# -- parsers on each platform's layout ------------------------------------------------------------------


def test_meituan_bill_skips_its_title_and_totals_rows_and_reads_yuan_as_fen() -> None:
    st = parse_statement(
        "meituan", "bill.csv", fixture("meituan", "statement_2026-03-10.csv"), currency="CNY"
    )
    got = [(x.line_no, x.external_id, x.kind, x.gross, x.fees, x.net) for x in st.lines]
    assert got == [
        (3, "27000100001001", LineKind.ORDER, 5000, 900, 4100),
        (4, "27000100001002", LineKind.ORDER, 3000, 540, 2300),
        (5, "27000100009999", LineKind.ORDER, 2000, 200, 1800),
        (6, "27000100001004", LineKind.ORDER, 4000, 720, 3280),
        (7, "27000100001004", LineKind.REFUND, -1000, 0, -1000),
        (8, "", LineKind.ADJUSTMENT, 0, 0, -500),
    ]
    assert {x.day.isoformat() for x in st.lines if x.day} == {"2026-03-10"}


def test_eleme_bill_in_gb18030_with_yuan_signs() -> None:
    st = parse_statement("eleme", "对账单.csv", fixture("eleme", "statement_gb18030.csv"), currency="CNY")
    got = [(x.external_id, x.kind, x.gross, x.fees, x.net, x.note) for x in st.lines]
    assert got == [
        ("3000123456789012345", LineKind.ORDER, 3650, 657, 2993, "订单"),
        ("3000123456789012346", LineKind.REFUND, -2000, 0, -1640, "退单退款"),
    ]


def test_uber_eats_payment_details_refund_rows_are_refunds() -> None:
    st = parse_statement("ubereats", "pdr.csv", fixture("ubereats", "payment_details.csv"), currency="EUR")
    got = [
        (x.external_id[-4:], x.kind, x.fees, x.net, x.day.isoformat() if x.day else None) for x in st.lines
    ]
    assert got == [
        ("0001", LineKind.ORDER, 735, 1715, "2026-03-10"),
        ("0002", LineKind.ORDER, 540, 1260, "2026-03-10"),
        ("0002", LineKind.REFUND, 0, -600, "2026-03-11"),
        ("0003", LineKind.ORDER, 0, 0, "2026-03-10"),
    ]
    assert {x.currency for x in st.lines} == {"EUR"}


def test_doordash_payout_report_sums_commission_and_marketing_and_reads_its_currency() -> None:
    st = parse_statement("doordash", "payouts.csv", fixture("doordash", "payout_report.csv"), currency="CNY")
    got = [
        (x.external_id[:8], x.external_id[-2:], x.kind, x.currency, x.gross, x.fees, x.net) for x in st.lines
    ]
    assert got == [
        ("6b7c1d2e", "01", LineKind.ORDER, "USD", 2029, 304, 2044),  # external_id: the id posapp confirmed
        ("6b7c1d2e", "02", LineKind.ORDER, "USD", 1200, 280, 1022),
        ("6b7c1d2e", "02", LineKind.ADJUSTMENT, "USD", 0, 0, -250),
        ("9f0e1d2c", "03", LineKind.ORDER, "USD", 900, 135, 842),  # no external_id: DoorDash's delivery_uuid
    ]
    assert st.lines[0].day is not None and st.lines[0].day.isoformat() == "2026-03-10"


def test_an_xlsx_statement_reads_as_its_csv_does() -> None:
    csv_bytes = fixture("ubereats", "payment_details.csv")
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in csv_bytes.decode().splitlines():
        sheet.append([float(c) if c.replace(".", "").lstrip("-").isdigit() else c for c in row.split(",")])
    buffer = io.BytesIO()
    book.save(buffer)
    from_xlsx = parse_statement("ubereats", "pdr.xlsx", buffer.getvalue(), currency="EUR")
    from_csv = parse_statement("ubereats", "pdr.csv", csv_bytes, currency="EUR")
    assert from_xlsx.lines == from_csv.lines


def _eleme_workbook(detail_rows: list[list[Any]], *, with_detail: bool = True) -> bytes:
    """An Ele.me (淘宝闪购) bill workbook as github.com/tired0408/learn other/xiayun_crawler.py reads the real
    export: a 账单汇总 sheet of days first, then 外卖账单明细 with a line per order whose tenth column (J) is
    结算金额 (the script fills "结算" and "差额" after it). The order-id column's name (订单编号), 账单日期 and
    订单类型 (退单 for a return, as other public code reads it) in that sheet are not shown by the script: they
    are this test's assumption."""
    book = Workbook()
    summary = book.active
    assert summary is not None
    summary.title = "账单汇总"
    summary.append(["结算入账ID", "门店ID", "门店名称", "账单日期", "结算金额", "结算日期", "账单类型"])
    summary.append(["9001", "161856062", "老王面馆", "2026-03-10", 59.41, "2026-03-11", "外卖"])
    summary.append(["9002", "161856062", "老王面馆", "2026-03-10", -1.5, "2026-03-11", "保障服务费"])
    if with_detail:
        detail = book.create_sheet("外卖账单明细")
        detail.append(
            [
                "门店ID",
                "门店名称",
                "订单编号",
                "账单日期",
                "下单时间",
                "订单类型",
                "订单子类型",
                "",
                "",
                "结算金额",
            ]
            + ["商品金额", "打包费", "技术服务费", "配送服务费"]
        )
        for row in detail_rows:
            detail.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _detail(
    order_id: str,
    net: Any,
    goods: float,
    box: float,
    commission: float,
    delivery: float,
    kind: str = "外卖订单",
) -> list[Any]:
    shop = ["161856062", "老王面馆", order_id, "2026-03-10", "2026-03-10 12:01:02", kind, "即时单", "", ""]
    return [*shop, net, goods, box, commission, delivery]


def test_the_eleme_workbook_is_read_from_its_order_sheet_not_its_day_summary() -> None:
    data = _eleme_workbook(
        [
            _detail("3000123456789012345", 29.93, 33.5, 3.0, 5.07, 1.5),
            _detail("3000123456789012346", "31.98", 35.0, 2.0, 5.42, 1.0),
            _detail("3000123456789012346", -8.0, -8.0, 0.0, 0.0, 0.0, kind="部分退单"),
        ]
    )
    st = parse_statement("eleme", "账单.xlsx", data, currency="CNY")
    got = [(x.line_no, x.external_id, x.kind, x.gross, x.fees, x.net, str(x.day)) for x in st.lines]
    # Hand-computed: fees = 技术服务费 + 配送服务费; the line numbers are the order sheet's.
    assert got == [
        (2, "3000123456789012345", LineKind.ORDER, 0, 507 + 150, 2993, "2026-03-10"),
        (3, "3000123456789012346", LineKind.ORDER, 0, 542 + 100, 3198, "2026-03-10"),
        (4, "3000123456789012346", LineKind.REFUND, 0, 0, -800, "2026-03-10"),
    ]


def test_a_meituan_bill_paying_in_its_receivable_column_is_read() -> None:
    data = "账单日期,订单号,交易类型,商家应收款\n2026-03-10,27000100001001,外卖订单,41.00\n".encode()
    [line] = parse_statement("meituan", "bill.csv", data, currency="CNY").lines
    assert (line.external_id, line.kind, line.net) == ("27000100001001", LineKind.ORDER, 4100)


def test_an_eleme_workbook_without_its_order_sheet_or_with_a_bad_amount_is_refused() -> None:
    with pytest.raises(StatementError, match="no header with an order id"):
        parse_statement("eleme", "汇总.xlsx", _eleme_workbook([], with_detail=False), currency="CNY")
    bad = _eleme_workbook([_detail("3000123456789012345", "二十九", 33.5, 3.0, 5.07, 1.5)])
    with pytest.raises(StatementError) as err:
        parse_statement("eleme", "账单.xlsx", bad, currency="CNY")
    assert err.value.line == 2
    assert err.value.reason.startswith("sheet '外卖账单明细': ") and "'二十九'" in err.value.reason


@pytest.mark.parametrize(
    ("platform", "data", "line", "reason"),
    [
        (
            "meituan",
            "账单日期,订单号,交易类型,结算金额\n2026-03-10,1,外卖订单,41.00\n2026-03-10,2,外卖订单,abc\n",
            3,
            "the payout amount is not a number: 'abc'",
        ),
        (
            "meituan",
            "账单日期,订单号,交易类型,结算金额\n2026-03-10,1,外卖订单,\n",
            2,
            "the payout amount is empty",
        ),
        ("meituan", "订单号,结算金额\n1,1.005\n", 2, "has more decimals than CNY has: '1.005'"),
        (
            "meituan",
            "账单日期,订单号,结算金额\n2026-13-45,1,3.00\n",
            2,
            "not a date: '2026-13-45'",
        ),
        ("meituan", "订单号,交易类型,结算金额\n1,外卖订单,1e20\n", 2, "is not a plausible amount: '1e20'"),
        ("doordash", "delivery_uuid,currency,net_payout\nabc,XX1,1.00\n", 2, "not a currency code: 'XX1'"),
        ("ubereats", "Order ID,Payment\n" + "x" * 200 + ",1.00\n", 2, "the order id is too long"),
        ("ubereats", "Name,Amount\nfoo,1\n", None, "no header with an order id and a payout column"),
        ("ubereats", "", None, "the file is empty"),
        ("eleme", "\x89PNG\r\n\x1a\n\x00\x00", None, "binary data"),
    ],
)
def test_a_malformed_statement_is_refused_with_its_line_and_reason(
    platform: str, data: str, line: int | None, reason: str
) -> None:
    with pytest.raises(StatementError) as err:
        parse_statement(platform, "bad.csv", data.encode(), currency="CNY")
    assert err.value.line == line
    assert reason in err.value.reason


def test_a_broken_xlsx_is_refused() -> None:
    with pytest.raises(StatementError, match="Excel workbook cannot be opened"):
        parse_statement("ubereats", "x.xlsx", b"PK\x03\x04not really a zip", currency="EUR")


# -- reconciliation on a real database ------------------------------------------------------------------


@pytest.fixture
def day_of_meituan(db: Database, arun: Any) -> dict[str, int]:
    """Business day 2026-03-10: five Meituan orders, one cancelled, one partly refunded by Meituan."""
    ids = {
        "paid": put(db, "meituan", "27000100001001", 5000, 900),
        "short": put(db, "meituan", "27000100001002", 3000, 540),
        "missing": put(db, "meituan", "27000100001003", 2000, 360),
        "refunded": put(db, "meituan", "27000100001004", 4000, 720),
        "cancelled": put(db, "meituan", "27000100001005", 2500, 450, cancel=True),
        "other_day": put(db, "meituan", "27000100001006", 2500, 450, placed=local(11, 12)),
        "eleme": put(db, "eleme", "3000123456789012345", 3650, 657),
    }
    intake = IntakeService(db, Hub(), clock=lambda: NOW)
    arun(
        intake.apply_event(
            PlatformEvent("meituan", "27000100001004", PlatformEventKind.REFUNDED, "少送了", amount=1000)
        )
    )
    return ids


def test_a_statement_with_short_missing_and_unknown_orders_is_reconciled(
    db: Database, arun: Any, day_of_meituan: dict[str, int]
) -> None:
    data = fixture("meituan", "statement_2026-03-10.csv")
    result = arun(service(db).import_bytes("meituan", "bill.csv", data, by="alice", currency="CNY"))
    recon = result.reconciliation
    lines = {(r.outcome, r.external_id[-4:]): (r.expected, r.paid, r.difference) for r in recon.lines}
    # Hand-computed: expected = total - commission; 1004 expects its refund as a line of its own.
    assert lines == {
        (Outcome.PAID, "1001"): (4100, 4100, 0),
        (Outcome.SHORT, "1002"): (2460, 2300, -160),
        (Outcome.MISSING, "1003"): (1640, 0, -1640),
        (Outcome.UNKNOWN, "9999"): (0, 1800, 1800),
        (Outcome.PAID, "1004"): (3280, 3280, 0),
        (Outcome.REFUND, "1004"): (-1000, -1000, 0),
        (Outcome.ADJUSTMENT, ""): (0, -500, -500),
    }
    totals = {t.outcome: (t.count, t.expected, t.paid) for t in recon.totals}
    assert totals == {
        Outcome.PAID: (2, 7380, 7380),
        Outcome.SHORT: (1, 2460, 2300),
        Outcome.MISSING: (1, 1640, 0),
        Outcome.UNKNOWN: (1, 0, 1800),
        Outcome.REFUND: (1, -1000, -1000),
        Outcome.ADJUSTMENT: (1, 0, -500),
    }
    assert sum(t.paid for t in recon.totals) == 9980  # the statement's 合计 row: 99.80
    short = recon.of(Outcome.SHORT)[0]
    assert short.order_id == day_of_meituan["short"] and short.line_nos == (4,)
    assert result.imported is not None and result.imported.line_count == 6
    assert counts(db) == (1, 6)


def test_a_refund_folded_into_the_order_line_is_not_short_paid(db: Database, arun: Any) -> None:
    put(db, "meituan", "5001", 4000, 720)
    intake = IntakeService(db, Hub(), clock=lambda: NOW)
    arun(
        intake.apply_event(PlatformEvent("meituan", "5001", PlatformEventKind.REFUNDED, "少送", amount=1000))
    )
    data = "账单日期,订单号,交易类型,结算金额\n2026-03-10,5001,外卖订单,22.80\n".encode()
    recon = arun(
        service(db).import_bytes("meituan", "b.csv", data, by="alice", currency="CNY")
    ).reconciliation
    [line] = recon.lines
    assert (line.outcome, line.expected, line.paid) == (Outcome.PAID, 2280, 2280)


def test_a_malformed_statement_stores_nothing(
    db: Database, arun: Any, day_of_meituan: dict[str, int]
) -> None:
    good = fixture("meituan", "statement_2026-03-10.csv").decode()
    bad = good.replace(
        "27000100001004,部分退款,-10.00,0.00,-10.00", "27000100001004,部分退款,-10.00,0.00,十元"
    )
    with pytest.raises(StatementError) as err:
        arun(service(db).import_bytes("meituan", "bad.csv", bad.encode(), by="alice", currency="CNY"))
    assert (err.value.line, err.value.reason) == (7, "the payout amount is not a number: '十元'")
    assert str(err.value).startswith("line 7: ")
    assert counts(db) == (0, 0)


def test_the_same_statement_twice_is_refused_and_kept_once(
    db: Database, arun: Any, day_of_meituan: dict[str, int]
) -> None:
    data = fixture("meituan", "statement_2026-03-10.csv")
    arun(service(db).import_bytes("meituan", "a.csv", data, by="alice", currency="CNY"))
    with pytest.raises(StatementError, match="imported already"):
        arun(service(db).import_bytes("meituan", "copy.csv", data, by="alice", currency="CNY"))
    assert counts(db) == (1, 6)


def test_a_file_that_cannot_be_read_says_so(db: Database, arun: Any, tmp_path: Path) -> None:
    with pytest.raises(StatementError, match="cannot be read"):
        arun(service(db).import_file("meituan", tmp_path / "nope.csv", by="alice", currency="CNY"))


def test_the_range_reconciles_every_platform_and_exports_csv(
    db: Database, arun: Any, day_of_meituan: dict[str, int], tmp_path: Path
) -> None:
    svc = service(db)
    arun(
        svc.import_bytes(
            "meituan", "m.csv", fixture("meituan", "statement_2026-03-10.csv"), by="a", currency="CNY"
        )
    )
    arun(
        svc.import_bytes("eleme", "e.csv", fixture("eleme", "statement_gb18030.csv"), by="a", currency="CNY")
    )
    result = arun(svc.between(local(10, 12).date(), local(10, 12).date()))
    recon = result.reconciliation
    assert [(r.platform, r.outcome) for r in recon.of(Outcome.PAID)] == [("eleme", Outcome.PAID)] + [
        ("meituan", Outcome.PAID)
    ] * 2
    assert recon.total(Outcome.REFUND, "CNY").paid == -1000 - 1640  # Meituan's part refund, Ele.me's return
    path = arun(svc.export_csv(result, tmp_path))
    text = path.read_text(encoding="utf-8")
    assert "short,meituan," in text and ",24.60,23.00,-1.60,4," in text
    assert "total,short,1,CNY,24.60,23.00,-1.60" in text
    assert text == reconciliation_csv(recon)


# -- platform refunds as money --------------------------------------------------------------------------


def test_platform_refunds_are_money_capped_at_the_order_total(db: Database, arun: Any) -> None:
    oid = put(db, "meituan", "7001", 3000, 540)
    intake = IntakeService(db, Hub(), clock=lambda: NOW)

    def refund(amount: int | None, detail: str) -> None:
        kind = PlatformEventKind.REFUNDED
        arun(intake.apply_event(PlatformEvent("meituan", "7001", kind, detail, amount=amount)))

    refund(1000, "少送了")
    refund(500, "餐品洒了")
    refund(None, "全额退款成功")  # what is left: 1500
    refund(None, "全额退款成功")  # again: nothing more
    rows = db.call(
        lambda s: [
            (r.amount, r.full) for r in s.scalars(select(PlatformRefundRow).order_by(PlatformRefundRow.id))
        ]
    )
    assert rows == [(1000, False), (500, False), (1500, True)]
    history = db.call(lambda s: [e.reason for e in repo.events_for(s, oid) if e.kind == "refunded"])
    assert history == ["¥10.00 少送了", "¥5.00 餐品洒了", "¥15.00 全额退款成功"]
    totals = arun(service(db).refund_totals(local(10, 12).date(), local(12, 12).date()))
    assert [(t.platform, t.count, t.amount) for t in totals] == [("meituan", 1, 3000)]


def test_a_partial_refund_before_its_order_keeps_its_amount(db: Database, arun: Any) -> None:
    intake = IntakeService(db, Hub(), clock=lambda: NOW)
    event = PlatformEvent("meituan", "8001", PlatformEventKind.REFUNDED, "少送了", amount=700)
    assert arun(intake.apply_event(event)) is None  # kept until the order comes
    order = make_order(
        platform="meituan",
        external_id="8001",
        placed_at=NOW - timedelta(minutes=5),
        totals=Totals(subtotal=3000, total=3000),
    )
    arun(intake.ingest(order))
    assert db.call(lambda s: [r.amount for r in s.scalars(select(PlatformRefundRow))]) == [700]


def test_the_range_report_carries_platform_refunds_and_statement_outcomes(
    db: Database, arun: Any, day_of_meituan: dict[str, int], tmp_path: Path
) -> None:
    reports = ReportService(db, OPTIONS, clock=lambda: NOW)
    svc = PayoutService(db, reports)
    arun(
        svc.import_bytes(
            "meituan", "m.csv", fixture("meituan", "statement_2026-03-10.csv"), by="a", currency="CNY"
        )
    )
    report = arun(reports.z_report(local(10, 12).date(), local(12, 12).date()))
    summary = report.payouts
    assert summary is not None
    assert [(r.platform, r.count, r.amount) for r in summary.refunds] == [("meituan", 1, 1000)]
    got = {t.outcome: (t.count, t.expected, t.paid) for t in summary.outcomes}
    # The range also holds 27000100001006 (placed on the 11th, ¥25.00 - ¥4.50): missing as well.
    assert got[Outcome.MISSING] == (2, 1640 + 2050, 0)
    assert got[Outcome.SHORT] == (1, 2460, 2300) and got[Outcome.UNKNOWN] == (1, 0, 1800)
    text = "\n".join(print_lines(report, width=48, store_name="李华小馆", printed_at=NOW))
    assert "PLATFORM MONEY" in text
    assert "Refunded by meituan x1" in text and "-¥10.00" in text
    assert "  Short-paid x1" in text and "-¥1.60" in text
    names = [p.name for p in export_csv(report, tmp_path)]
    assert "z-2026-03-10_2026-03-12-CNY_payouts.csv" in names
    assert "z-2026-03-10_2026-03-12-CNY_platform_refunds.csv" in names
    payouts_csv = next(tmp_path.glob("*_payouts.csv")).read_text(encoding="utf-8")
    assert "short,1,24.60,23.00,-1.60,CNY" in payouts_csv
    assert report_to_dict(report)["payouts"]["refunds"][0]["amount"] == 1000
    # A day without statements or platform refunds carries none.
    assert arun(reports.z_report(local(9, 12).date())).payouts is None


def test_an_uber_eats_line_naming_the_short_order_id_matches_that_order(db: Database, arun: Any) -> None:
    order = dataclasses.replace(
        make_order(
            platform="ubereats",
            external_id="f1a2b3c4-0009-4d5e-8f90-aaaaaaaa0009",
            placed_at=local(10, 12),
            currency="EUR",
            totals=Totals(subtotal=2450, total=2450, commission=735),
        ),
        display_id="5A4B3",  # as Uber Eats Manager shows it
    )
    db.call(lambda s: repo.insert_order(s, order, now=order.placed_at, by="platform"))
    data = b"Order ID,Order Date / Refund Date,Payment,Order Status\n5a4b3,2026-03-10,16.00,Completed\n"
    recon = arun(service(db).import_bytes("ubereats", "pdr.csv", data, by="a", currency="EUR")).reconciliation
    [line] = recon.lines
    assert (line.outcome, line.external_id, line.expected, line.paid) == (
        Outcome.SHORT,
        "f1a2b3c4-0009-4d5e-8f90-aaaaaaaa0009",
        1715,
        1600,
    )


def test_a_hostile_statement_is_refused_not_swallowed() -> None:
    huge = "订单号,结算金额\n1," + "9" * 200_000 + "\n"
    with pytest.raises(StatementError, match="the CSV cannot be read"):
        parse_statement("meituan", "huge.csv", huge.encode(), currency="CNY")
    too_big = b"x" * (20 * 1024 * 1024 + 1)
    with pytest.raises(StatementError, match="larger than 20 MB"):
        parse_statement("meituan", "big.csv", too_big, currency="CNY")
    with pytest.raises(StatementError, match="no statement format is known for 'own'"):
        parse_statement("own", "x.csv", b"a,b\n", currency="CNY")


def test_a_bill_dated_by_settlement_is_matched_on_the_orders_own_day() -> None:
    data = "账单日期,下单时间,订单号,结算金额\n2026-03-11,2026-03-10 12:03:11,27000100001001,41.00\n".encode()
    [line] = parse_statement("meituan", "b.csv", data, currency="CNY").lines
    assert line.day is not None and line.day.isoformat() == "2026-03-10"
