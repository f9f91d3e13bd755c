"""The cash drawer against loopback TCP printers and a real SQLite file: it opens for cash taken at the counter
and for "Open drawer" (the kick queued like a ticket), never for a kitchen ticket or a non-cash receipt."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from posapp.config import PrinterSettings
from posapp.domain.order import Payment
from posapp.errors import NotFoundError
from posapp.services.hub import Hub, Notice
from posapp.services.intake import IntakeService
from posapp.services.manual import ManualDraft, ManualLine, ManualOrderService
from posapp.services.orders import OrderService
from posapp.services.planner import JobPlanner
from posapp.services.printing import PrintService
from posapp.store import audit
from posapp.store.db import Database
from tests.escpos_decoder import decode
from tests.factories import make_order
from tests.printer_server import FakePrinter, free_port

KICK = (2, 100, 500)  # pin 2, 100 ms on, 500 ms off: what ESC p 0 50 250 asks for
TZ = ZoneInfo("Asia/Shanghai")


class Counter:
    def __init__(self, db: Database, printers: list[PrinterSettings]) -> None:
        self.db = db
        self.hub = Hub()
        self.notices: list[Notice] = []
        self.hub.on_notice(self.notices.append)
        self.planner = JobPlanner()
        self.printing = PrintService(db, self.hub, printers)
        self.printing.register(self.planner)
        self.intake = IntakeService(db, self.hub, self.planner)
        self.orders = OrderService(db, self.hub, self.planner)
        self.manual = ManualOrderService(self.intake, currency="CNY", tz=TZ)
        self.worker = self.printing.make_worker(base_delay=0.05, max_delay=0.2, idle_poll=0.05)
        self.hub.on_order(lambda _c: self.worker.kick())

    def last(self, printer: str) -> Notice | None:
        return next((n for n in reversed(self.notices) if n.source == f"printer:{printer}"), None)

    async def counter_order(self, payment: str) -> int:
        draft = ManualDraft((ManualLine("宫保鸡丁 Kung Pao Chicken", 1, 3200),), payment=payment)
        order_id = (await self.manual.create(draft)).order_id
        await self.orders.accept(order_id, by="counter")
        return order_id


def printers(counter_uri: str, kitchen_uri: str) -> list[PrinterSettings]:
    return [
        PrinterSettings("counter", counter_uri, role="counter", timeout=0.5, drawer=True),
        PrinterSettings("kitchen", kitchen_uri, role="kitchen", timeout=0.5),
    ]


@pytest.fixture
def counter(db: Database, arun: Any) -> Iterator[tuple[Counter, FakePrinter, FakePrinter]]:
    with FakePrinter() as till, FakePrinter() as kitchen:
        c = Counter(db, printers(till.uri, kitchen.uri))
        c.worker.start()
        yield c, till, kitchen
        arun(c.worker.stop())


def pulses(printer: FakePrinter) -> list[tuple[int, int, int]]:
    return [p for ticket in list(printer.tickets) for p in decode(ticket).pulses]


def test_a_cash_order_at_the_counter_opens_the_drawer_once_and_the_kitchen_ticket_never_does(
    counter: tuple[Counter, FakePrinter, FakePrinter], arun: Any, qtbot: Any
) -> None:
    c, till, kitchen = counter
    arun(c.counter_order("cash"))
    qtbot.waitUntil(lambda: len(till.tickets) == 1 and len(kitchen.tickets) == 1, timeout=5000)
    kick = decode(till.tickets[0])
    assert kick.pulses == [KICK]
    assert kick.texts == [] and kick.cuts == []  # a kick prints nothing: no blank paper comes out
    ticket = decode(kitchen.tickets[0])
    assert "宫保鸡丁" in ticket.plain and ticket.pulses == []


def test_the_drawer_stays_shut_for_card_and_unpaid_orders_platform_cash_and_receipts(
    counter: tuple[Counter, FakePrinter, FakePrinter], arun: Any, qtbot: Any
) -> None:
    c, till, kitchen = counter
    card = arun(c.counter_order("card"))
    arun(c.counter_order("unpaid"))
    # A platform order paid cash on delivery: the rider takes the cash, not our drawer.
    platform = arun(c.intake.ingest(make_order(platform="meituan", payment=Payment("cash", False)))).order_id
    arun(c.orders.accept(platform, by="kitchen"))
    arun(c.printing.print_receipt(card, by="counter"))  # the receipt of a card order, on the drawer printer
    arun(c.printing.reprint(card, "kitchen", by="counter"))
    qtbot.waitUntil(lambda: len(till.tickets) == 1 and len(kitchen.tickets) == 4, timeout=5000)
    assert "宫保鸡丁" in decode(till.tickets[0]).plain
    assert pulses(till) == [] and pulses(kitchen) == []


def test_a_cash_receipt_prints_without_a_second_kick(
    counter: tuple[Counter, FakePrinter, FakePrinter], arun: Any, qtbot: Any
) -> None:
    c, till, _kitchen = counter
    order_id = arun(c.counter_order("cash"))
    arun(c.printing.print_receipt(order_id, by="counter"))
    qtbot.waitUntil(lambda: len(till.tickets) == 2, timeout=5000)
    assert decode(till.tickets[0]).pulses == [KICK]  # the kick went first, with the sale
    assert decode(till.tickets[1]).pulses == [] and "TOTAL" in decode(till.tickets[1]).plain.upper()


def test_an_unplugged_drawer_printer_says_so_and_the_kick_waits_for_it(
    db: Database, arun: Any, qtbot: Any
) -> None:
    port = free_port()
    with FakePrinter() as kitchen:
        c = Counter(db, printers(f"tcp://127.0.0.1:{port}", kitchen.uri))
        c.worker.start()
        try:
            arun(c.printing.open_drawer("manager:lin", "count the float"))
            qtbot.waitUntil(
                lambda: (c.last("counter") or Notice("", "")).text.startswith(
                    "Counter printer offline — 1 ticket"
                ),
                timeout=5000,
            )
            with FakePrinter(port) as till:  # plugged in again: the kick is still there, and goes once
                qtbot.waitUntil(lambda: len(till.tickets) == 1, timeout=8000)
                assert decode(till.tickets[0]).pulses == [KICK]
        finally:
            arun(c.worker.stop())


def test_open_drawer_without_a_drawer_printer_says_what_to_set_up(db: Database, arun: Any) -> None:
    c = Counter(db, [PrinterSettings("kitchen", "tcp://127.0.0.1:9", role="kitchen")])
    with pytest.raises(NotFoundError, match="Cash drawer"):
        arun(c.printing.open_drawer("manager:lin", "count"))
    assert (
        c.printing.plan_drawer(make_order(platform="manual", payment=Payment("cash", True)), "counter") == []
    )


def test_a_kick_that_waited_too_long_is_dropped_with_an_audit_row_not_sent_late(
    db: Database, arun: Any, qtbot: Any
) -> None:
    port = free_port()
    with FakePrinter() as kitchen:
        c = Counter(db, printers(f"tcp://127.0.0.1:{port}", kitchen.uri))
        c.printing.drawer_expires = 0.3  # (120 s in a shop) nobody is at the till when it comes back
        c.worker.start()
        try:
            arun(c.printing.open_drawer("manager:lin", "count the float"))
            qtbot.waitUntil(
                lambda: (c.last("counter") or Notice("", "")).text.startswith("Counter printer offline")
            )
            qtbot.wait(400)
            with FakePrinter(port) as till:
                qtbot.waitUntil(
                    lambda: bool(db.call(lambda s: audit.entries(s, action="drawer_skipped"))), timeout=8000
                )
                qtbot.wait(300)
                assert pulses(till) == []  # the drawer stayed shut
        finally:
            arun(c.worker.stop())
    (row,) = db.call(lambda s: audit.entries(s, action="drawer_skipped"))
    assert (
        row.detail is not None
        and "Counter printer was offline" in row.detail
        and "count the float" in row.detail
    )
