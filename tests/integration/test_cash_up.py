"""Cash-up at day close on a real SQLite file: expected cash, the count, the variance and who counted, in the
Z-report (figures, printed lines, CSV, JSON) and the audit log, against sums worked out by hand below."""

from __future__ import annotations

import csv
import json
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from posapp.config import PrinterSettings
from posapp.domain.cash import Movement
from posapp.domain.order import Payment
from posapp.domain.roles import Role
from posapp.errors import PinRejected
from posapp.reports.jsonout import report_to_dict
from posapp.services.auth import AuthService
from posapp.services.cash import CashOptions, CashRefused, CashService
from posapp.services.hub import Hub
from posapp.services.intake import IntakeService
from posapp.services.manual import ManualDraft, ManualLine, ManualOrderService
from posapp.services.orders import OrderService
from posapp.services.printing import PrintService
from posapp.services.reports import ReportOptions, ReportService, export_csv, print_lines
from posapp.store import audit
from posapp.store.db import Database
from tests.escpos_decoder import decode
from tests.factories import make_order
from tests.printer_server import FakePrinter

TZ = ZoneInfo("Asia/Shanghai")
DAY = date(2026, 12, 3)


class Shop:
    """A counter on 3 December 2026 (business day 04:00-04:00 Shanghai) with a ¥500.00 default float."""

    def __init__(self, db: Database) -> None:
        self.now = datetime(2026, 12, 3, 11, 0, tzinfo=TZ)
        clock = lambda: self.now  # noqa: E731
        self.db = db
        hub = Hub()
        self.intake = IntakeService(db, hub, clock=clock)
        self.orders = OrderService(db, hub, clock=clock)
        self.manual = ManualOrderService(self.intake, currency="CNY", tz=TZ, clock=clock)
        self.auth = AuthService(db, clock=clock)
        self.reports = ReportService(db, ReportOptions(tz=TZ, opening_float=50000), clock=clock)
        self.cash = CashService(
            self.auth, self.reports.period, self.reports.today, CashOptions("CNY", 50000), clock=clock
        )

    async def sale(self, payment: str, *lines: tuple[str, int, int]) -> int:
        draft = ManualDraft(tuple(ManualLine(n, q, p) for n, q, p in lines), payment=payment)
        return (await self.manual.create(draft)).order_id

    def later(self, minutes: int) -> None:
        self.now += timedelta(minutes=minutes)


@pytest.fixture
def shop(db: Database, arun: Any) -> Shop:
    s = Shop(db)
    arun(s.auth.create_user("lin", Role.MANAGER, "4826", by="test"))
    arun(s.auth.create_user("amy", Role.CASHIER, "1357", by="test"))
    return s


def a_day_at_the_counter(shop: Shop, arun: Any) -> None:
    """Cash orders ¥32.00 and 2 x ¥26.00, a card order, a cancelled cash order, a platform cash-on-delivery
    order, a ¥10.00 cash refund (and a card refund), ¥100.00 paid in, ¥45.50 paid out."""
    first = arun(shop.sale("cash", ("宫保鸡丁", 1, 3200)))
    shop.later(5)
    arun(shop.sale("cash", ("麻婆豆腐", 2, 2600)))
    card = arun(shop.sale("card", ("扬州炒饭", 1, 2400)))
    gone = arun(shop.sale("cash", ("酸辣汤", 1, 1200)))
    arun(shop.orders.cancel(gone, "customer left", by="counter"))
    arun(
        shop.intake.ingest(make_order(platform="meituan", payment=Payment("cash", False), placed_at=shop.now))
    )
    shop.later(30)
    arun(shop.reports.mark_refund(first, 1000, reason="汤凉了 cold soup", by="cashier:amy", at=shop.now))
    arun(shop.reports.mark_refund(card, 500, reason="late", by="cashier:amy", at=shop.now))
    arun(shop.cash.record(Movement.PAID_IN, 10000, "change from the bank", "4826"))
    arun(shop.cash.record(Movement.PAID_OUT, 4550, "蔬菜 vegetables market", "1357"))


def test_expected_cash_and_the_variance_add_up_as_by_hand(shop: Shop, arun: Any) -> None:
    a_day_at_the_counter(shop, arun)
    before = arun(shop.cash.summary(DAY))
    # float 500.00 + cash orders (32.00 + 52.00) - cash refund 10.00 + paid in 100.00 - paid out 45.50
    assert (before.opening_float, before.cash_orders, before.cash_order_count) == (50000, 8400, 2)
    assert (before.cash_refunds, before.paid_in, before.paid_out) == (1000, 10000, 4550)
    assert before.expected == 62850 and before.variance is None
    manager = arun(shop.auth.sign_in("4826"))
    shop.later(600)  # 21:35, still the same business day
    # 6 x 100 + 1 x 20 + 1 x 5 + 3 x 1 = 628.00: fifty fen short
    counted = arun(shop.cash.count({10000: 6, 2000: 1, 500: 1, 100: 3}, manager, DAY))
    assert (counted.counted, counted.expected, counted.variance) == (62800, 62850, -50)
    assert counted.counted_by == "manager:lin" and counted.pieces == (
        (10000, 6),
        (2000, 1),
        (500, 1),
        (100, 3),
    )
    log = shop.db.call(lambda s: audit.entries(s, action="cash_count"))
    assert [json.loads(e.detail or "{}")["variance"] for e in log] == [-50]
    outs = shop.db.call(lambda s: audit.entries(s, action="cash_paid_out"))
    assert [(e.by, json.loads(e.detail or "{}")["amount"]) for e in outs] == [("cashier:amy", 4550)]


def test_the_z_report_carries_the_cash_up_on_screen_print_csv_and_json(
    shop: Shop, arun: Any, tmp_path: Path
) -> None:
    a_day_at_the_counter(shop, arun)
    manager = arun(shop.auth.sign_in("4826"))
    arun(shop.cash.count({10000: 6, 2000: 1, 500: 1, 100: 4}, manager, DAY))  # 629.00: 0.50 over
    report = arun(shop.reports.z_report(DAY))
    assert report.cash is not None
    assert (report.cash.expected, report.cash.counted, report.cash.variance) == (62850, 62900, 50)
    lines = print_lines(report, width=48, store_name="Test", printed_at=shop.now)
    text = "\n".join(lines)
    assert all(len(line) <= 48 for line in lines)
    for needle in ("CASH-UP", "Opening float", "¥500.00", "Cash orders x2", "-¥10.00", "-¥45.50", "¥628.50"):
        assert needle in text, needle
    assert any(line.startswith("Variance (over)") and line.endswith("¥0.50") for line in lines)
    assert any(line.startswith("Counted by") and line.endswith("manager:lin") for line in lines)
    paths = {p.name.split("_", 1)[1]: p for p in export_csv(report, tmp_path)}
    with paths["cashup.csv"].open(encoding="utf-8-sig") as fh:
        figures = {row[0]: row[1] for row in csv.reader(fh)}
    assert (figures["expected"], figures["counted"], figures["variance"]) == ("628.50", "629.00", "0.50")
    with paths["cash_count.csv"].open(encoding="utf-8-sig") as fh:
        assert ["1.00", "4", "4.00", "CNY"] in list(csv.reader(fh))
    data = json.loads(json.dumps(report_to_dict(report)))
    assert (data["cash"]["expected"], data["cash"]["variance"], data["cash"]["counted_by"]) == (
        62850,
        50,
        "manager:lin",
    )


def test_a_recount_replaces_the_count_and_the_next_day_starts_again(shop: Shop, arun: Any) -> None:
    a_day_at_the_counter(shop, arun)
    manager = arun(shop.auth.sign_in("4826"))
    arun(shop.cash.count({10000: 6}, manager, DAY))
    shop.later(1)
    again = arun(shop.cash.count({10000: 6, 2000: 1, 500: 1, 100: 3, 50: 1}, manager, DAY))
    assert again.variance == 0
    shop.now = datetime(2026, 12, 4, 9, 0, tzinfo=TZ)  # next business day: nothing sold, nothing counted
    arun(shop.cash.record(Movement.FLOAT, 30000, "float for Friday", "4826"))
    friday = arun(shop.cash.summary())
    assert (friday.opening_float, friday.cash_orders, friday.expected, friday.counted) == (
        30000,
        0,
        30000,
        None,
    )
    assert arun(shop.cash.summary(DAY)).variance == 0


def test_cash_entries_need_a_pin_a_reason_and_an_amount(shop: Shop, arun: Any) -> None:
    with pytest.raises(PinRejected):
        arun(shop.cash.record(Movement.PAID_OUT, 1000, "taxi", "0000"))
    with pytest.raises(CashRefused, match="reason"):
        arun(shop.cash.record(Movement.PAID_OUT, 1000, "   ", "1357"))
    with pytest.raises(CashRefused, match="amount"):
        arun(shop.cash.record(Movement.PAID_IN, 0, "nothing", "1357"))
    with pytest.raises(PinRejected):  # only a manager sets the float
        arun(shop.cash.record(Movement.FLOAT, 20000, "float", "1357"))
    cashier = arun(shop.auth.sign_in("1357"))
    with pytest.raises(CashRefused, match="manager"):
        arun(shop.cash.count({10000: 1}, cashier, DAY))
    manager = arun(shop.auth.sign_in("4826"))
    with pytest.raises(CashRefused, match="note or coin"):
        arun(shop.cash.count({300: 1}, manager, DAY))
    with pytest.raises(CashRefused, match="less than 0"):
        arun(shop.cash.count({100: -2}, manager, DAY))
    summary = arun(shop.cash.summary(DAY))
    assert summary.entries == () and summary.counted is None and summary.expected == 50000


def test_open_drawer_needs_a_manager_pin_and_a_reason_and_is_audited(
    shop: Shop, db: Database, arun: Any, qtbot: Any
) -> None:
    with FakePrinter() as till:
        printing = PrintService(db, Hub(), [PrinterSettings("till", till.uri, role="counter", drawer=True)])
        worker = printing.make_worker(base_delay=0.05, max_delay=0.2, idle_poll=0.05)
        worker.start()
        cash = CashService(
            shop.auth,
            shop.reports.period,
            shop.reports.today,
            CashOptions(),
            open_drawer=printing.open_drawer,
        )
        try:
            with pytest.raises(CashRefused, match="reason"):
                arun(cash.open_drawer("4826", "  "))
            with pytest.raises(PinRejected):
                arun(cash.open_drawer("1357", "change for the float"))  # a cashier's PIN does not open it
            assert arun(cash.open_drawer("4826", "change for the float")) == 1
            qtbot.waitUntil(lambda: len(till.tickets) == 1, timeout=5000)
        finally:
            arun(worker.stop())
    assert decode(till.tickets[0]).pulses == [(2, 100, 500)]
    rows = db.call(lambda s: audit.entries(s, action="open_drawer"))
    assert [(r.by, r.detail) for r in rows] == [("manager:lin", "change for the float")]
