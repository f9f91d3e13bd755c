"""The print spooler against a real loopback TCP printer and a real SQLite file: never lost, never twice."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTimer

from posapp.config import PrinterSettings
from posapp.domain.order import LineItem
from posapp.services.hub import Hub, Notice
from posapp.services.intake import IntakeService
from posapp.services.orders import OrderService
from posapp.services.planner import JobPlanner
from posapp.services.printing import PRINT_KIND, PrintService
from posapp.store import audit
from posapp.store import jobs as jobstore
from posapp.store.db import Database
from posapp.store.stations import set_station
from tests.escpos_decoder import decode
from tests.factories import make_order
from tests.printer_server import FakePrinter, free_port


class Counter:
    def __init__(self, db: Database, printers: list[PrinterSettings], **kw: Any) -> None:
        self.hub = Hub()
        self.notices: list[Notice] = []
        self.hub.on_notice(self.notices.append)
        self.planner = JobPlanner()
        self.printing = PrintService(db, self.hub, printers, **kw)
        self.printing.register(self.planner)
        self.intake = IntakeService(db, self.hub, self.planner)
        self.orders = OrderService(db, self.hub, self.planner)
        self.worker = self.printing.make_worker(base_delay=0.05, max_delay=0.2, idle_poll=0.05)
        self.hub.on_order(lambda _c: self.worker.kick())
        self.db = db

    def last(self, printer: str) -> Notice | None:
        return next((n for n in reversed(self.notices) if n.source == f"printer:{printer}"), None)

    def print_jobs(self) -> list[jobstore.Job]:
        return self.db.call(lambda s: jobstore.jobs_for(s, PRINT_KIND))

    async def accept_new(self, **kw: Any) -> int:
        order_id = (await self.intake.ingest(make_order(**kw))).order_id
        await self.orders.accept(order_id, by="kitchen")
        return order_id


def kitchen(uri: str, **kw: Any) -> PrinterSettings:
    return PrinterSettings("kitchen", uri, role="kitchen", timeout=kw.pop("timeout", 0.5), **kw)


@pytest.fixture
def stop_worker(arun: Any) -> Iterator[list[Counter]]:
    counters: list[Counter] = []
    yield counters
    for c in counters:
        arun(c.worker.stop())


def test_tickets_queue_while_the_printer_is_down_and_print_in_order_once_it_is_up(
    db: Database, arun: Any, qtbot: Any, stop_worker: list[Counter]
) -> None:
    port = free_port()
    c = Counter(db, [kitchen(f"tcp://127.0.0.1:{port}")])
    stop_worker.append(c)
    c.worker.start()
    ids = [arun(c.accept_new(items=(LineItem(f"菜{n}号 dish {n}", 1, 1000),))) for n in range(3)]
    qtbot.waitUntil(
        lambda: (c.last("kitchen") or Notice("", "")).text == "Kitchen printer offline — 3 tickets waiting"
    )
    notice = c.last("kitchen")
    assert notice is not None and notice.level == "error" and "refused" in notice.data["error"]
    # Nothing printed, nothing dropped: each job waits (or is mid-retry at this very moment).
    assert all(j.state in ("pending", "inflight") for j in c.print_jobs())
    assert len(c.print_jobs()) == 3

    with FakePrinter(port) as printer:
        qtbot.waitUntil(lambda: all(j.state == "done" for j in c.print_jobs()), timeout=10000)
        qtbot.waitUntil(lambda: len(printer.tickets) == 3)
        dishes = [next(t for t in decode(p).texts if "dish" in t).strip() for p in printer.tickets]
        assert dishes == [f"1 x 菜{n}号 dish {n}" for n in range(3)]  # in the order they were accepted
        assert [j.order_id for j in c.print_jobs()] == ids
        for p in printer.tickets:
            assert "REPRINT" not in decode(p).plain and decode(p).cuts == ["full"]
        qtbot.waitUntil(lambda: (c.last("kitchen") or Notice("", "")).text == "Kitchen printer ready")
        assert printer.connections == 3 and len(printer.tickets) == 3  # none twice


def test_job_inflight_at_a_crash_prints_again_marked_reprint(
    db: Database, arun: Any, qtbot: Any, stop_worker: list[Counter]
) -> None:
    with FakePrinter() as printer:
        first = Counter(db, [kitchen(printer.uri)])
        crashed = arun(first.accept_new(items=(LineItem("回锅肉", 1, 3000),)))
        # The old process claimed the job and died mid-send: it stays inflight in the database.
        job = first.print_jobs()[0]
        db.call(lambda s: jobstore.mark_inflight(s, [job.id], now=job.created_at))

        again = Counter(db, [kitchen(printer.uri)])
        stop_worker.append(again)
        fresh = arun(again.accept_new(items=(LineItem("鱼香肉丝", 1, 2800),)))
        again.worker.start()
        qtbot.waitUntil(lambda: len(printer.tickets) == 2, timeout=10000)
        qtbot.waitUntil(lambda: all(j.state == "done" for j in again.print_jobs()))
        by_dish = {("回锅肉" in decode(t).plain): decode(t) for t in printer.tickets}
        recovered, normal = by_dish[True], by_dish[False]
        assert [line.text.strip() for line in recovered.lines if "REPRINT" in line.text] == [
            "REPRINT 重印"
        ] * 2
        assert recovered.find("REPRINT").invert
        assert "REPRINT" not in normal.plain
        assert {j.order_id for j in again.print_jobs()} == {crashed, fresh}
        assert printer.connections == 2  # the recovered job printed once more, not in a loop


def test_gui_keeps_running_while_the_printer_hangs_and_the_job_times_out_and_retries(
    db: Database, arun: Any, qtbot: Any, stop_worker: list[Counter]
) -> None:
    with FakePrinter(mode="hang") as printer:
        c = Counter(db, [kitchen(printer.uri, timeout=0.4)])
        stop_worker.append(c)
        ticks: list[float] = []
        timer = QTimer()
        timer.setInterval(10)
        timer.timeout.connect(lambda: ticks.append(time.monotonic()))
        timer.start()
        c.worker.start()
        arun(c.accept_new())

        def retried() -> bool:
            jobs = c.print_jobs()
            return bool(jobs) and jobs[0].attempts >= 2 and printer.connections >= 2

        qtbot.waitUntil(retried, timeout=10000)
        timer.stop()
        job = c.print_jobs()[0]
        assert job.state in ("pending", "inflight") and "does not answer" in (job.last_error or "")
        # Two 0.4 s timeouts passed; the 10 ms timer kept firing on the GUI thread all along: no gap
        # as long as one printer timeout, which is what a send on the GUI thread would have caused.
        assert len(ticks) >= 40
        assert max(b - a for a, b in zip(ticks, ticks[1:], strict=False)) < 0.3
        assert printer.tickets == []
        notice = c.last("kitchen")
        assert notice is not None and notice.text == "Kitchen printer offline — 1 ticket waiting"

        printer.mode = "ok"  # the jam is cleared: the next attempt prints
        qtbot.waitUntil(lambda: c.print_jobs()[0].state == "done", timeout=10000)
        assert len(printer.tickets) == 1 and "REPRINT" not in decode(printer.tickets[0]).plain


def test_printer_out_of_paper_keeps_tickets_waiting_with_a_clear_sentence(
    db: Database, arun: Any, qtbot: Any, stop_worker: list[Counter]
) -> None:
    with FakePrinter(mode="paper_out") as printer:
        c = Counter(db, [kitchen(printer.uri)])
        stop_worker.append(c)
        c.worker.start()
        arun(c.accept_new())
        qtbot.waitUntil(lambda: (c.last("kitchen") or Notice("", "", data={})).data.get("error") is not None)
        notice = c.last("kitchen")
        assert notice is not None and "out of paper" in notice.data["error"]
        assert notice.text == "Kitchen printer offline — 1 ticket waiting"
        printer.mode = "ok"
        qtbot.waitUntil(lambda: len(printer.tickets) == 1, timeout=10000)


def file_printer(tmp_path: Path, name: str, role: str) -> PrinterSettings:
    return PrinterSettings(name, f"file:{tmp_path / (name + '.bin')}", role=role)


def tickets_in(path: Path) -> list[Any]:
    if not path.exists():
        return []
    return [decode(b"\x1b@" + part) for part in path.read_bytes().split(b"\x1b@") if part]


def test_items_route_to_their_station_printers_and_auto_accept_prints_them(
    db: Database, arun: Any, qtbot: Any, tmp_path: Path, stop_worker: list[Counter]
) -> None:
    db.call(lambda s: set_station(s, "珍珠奶茶", "bar"))
    c = Counter(
        db,
        [file_printer(tmp_path, "kitchen", "kitchen"), file_printer(tmp_path, "bar", "bar")],
        routes={"Drinks": "bar"},
    )
    stop_worker.append(c)
    arun(c.printing.load_routes())
    c.intake.auto_accept.add("meituan")
    c.worker.start()
    items = (
        LineItem("宫保鸡丁", 1, 3200),
        LineItem("珍珠奶茶", 2, 1500),
        LineItem("Cola", 1, 500, category="drinks"),
    )
    arun(c.intake.ingest(make_order(platform="meituan", items=items)))
    qtbot.waitUntil(
        lambda: len(tickets_in(tmp_path / "bar.bin")) == 1 and len(tickets_in(tmp_path / "kitchen.bin")) == 1
    )
    kitchen_ticket = tickets_in(tmp_path / "kitchen.bin")[0]
    bar_ticket = tickets_in(tmp_path / "bar.bin")[0]
    assert "宫保鸡丁" in kitchen_ticket.plain and "奶茶" not in kitchen_ticket.plain
    assert "2 x 珍珠奶茶" in bar_ticket.plain and "1 x Cola" in bar_ticket.plain
    assert "宫保鸡丁" not in bar_ticket.plain
    assert "Station: BAR" in bar_ticket.plain and "2 of 4 items" not in bar_ticket.plain
    assert "3 of 4 items" in bar_ticket.plain


def test_cancel_after_accept_prints_a_cancellation_ticket_and_cancel_before_prints_nothing(
    db: Database, arun: Any, qtbot: Any, tmp_path: Path, stop_worker: list[Counter]
) -> None:
    c = Counter(db, [file_printer(tmp_path, "kitchen", "kitchen")])
    stop_worker.append(c)
    c.worker.start()
    accepted = arun(c.accept_new(items=(LineItem("水煮鱼", 1, 6800),)))
    arun(c.orders.cancel(accepted, "顾客取消", by="kitchen"))
    never = arun(c.intake.ingest(make_order(items=(LineItem("红烧肉", 1, 4800),)))).order_id
    arun(c.orders.cancel(never, "sold out", by="kitchen"))
    qtbot.waitUntil(lambda: all(j.state == "done" for j in c.print_jobs()) and len(c.print_jobs()) == 3)
    tickets = tickets_in(tmp_path / "kitchen.bin")
    assert len(tickets) == 2
    assert "水煮鱼" in tickets[0].plain and "CANCELLED" not in tickets[0].plain
    assert "CANCELLED" in tickets[1].plain and "水煮鱼" in tickets[1].plain and "顾客取消" in tickets[1].plain
    assert "红烧肉" not in (tmp_path / "kitchen.bin").read_bytes().decode("gb18030", "replace")


def test_reprint_and_receipt_on_demand_are_queued_marked_and_audited(
    db: Database, arun: Any, qtbot: Any, tmp_path: Path, stop_worker: list[Counter]
) -> None:
    c = Counter(
        db, [file_printer(tmp_path, "kitchen", "kitchen"), file_printer(tmp_path, "counter", "counter")]
    )
    stop_worker.append(c)
    c.worker.start()
    order_id = arun(c.accept_new(external_id="MT-42"))
    qtbot.waitUntil(lambda: len(tickets_in(tmp_path / "kitchen.bin")) == 1)
    arun(c.printing.reprint(order_id, "kitchen", by="alice"))
    arun(c.printing.print_receipt(order_id, by="alice"))
    qtbot.waitUntil(lambda: len(tickets_in(tmp_path / "kitchen.bin")) == 2)
    qtbot.waitUntil(lambda: len(tickets_in(tmp_path / "counter.bin")) == 1)
    again = tickets_in(tmp_path / "kitchen.bin")[1]
    assert again.find("REPRINT").invert and "宫保鸡丁" in again.plain
    rec = tickets_in(tmp_path / "counter.bin")[0]
    assert rec.qr_codes == ["demo:MT-42"] and "REPRINT" not in rec.plain
    assert rec.find("TOTAL").text.rstrip().endswith("￥80.95")
    entries = db.call(lambda s: audit.entries(s, action="reprint"))
    assert [(e.by, e.order_id, e.detail) for e in entries] == [("alice", order_id, "kitchen to kitchen")]


def test_reprint_of_an_unknown_order_or_without_a_receipt_printer_says_so(
    db: Database, arun: Any, tmp_path: Path
) -> None:
    from posapp.errors import NotFoundError

    c = Counter(db, [file_printer(tmp_path, "kitchen", "kitchen")])
    with pytest.raises(NotFoundError, match="order 999 does not exist"):
        arun(c.printing.reprint(999, "kitchen"))
    order_id = arun(c.intake.ingest(make_order())).order_id
    with pytest.raises(NotFoundError, match="No receipt printer"):
        arun(c.printing.print_receipt(order_id))


def test_a_successful_test_print_sends_waiting_tickets_at_once_instead_of_after_backoff(
    db: Database, arun: Any, qtbot: Any, stop_worker: list[Counter]
) -> None:
    port = free_port()
    c = Counter(db, [kitchen(f"tcp://127.0.0.1:{port}")])
    c.worker = c.printing.make_worker(base_delay=600, max_delay=600, idle_poll=0.05)  # a long backoff
    stop_worker.append(c)
    c.worker.start()
    arun(c.accept_new())
    qtbot.waitUntil(
        lambda: (
            bool(c.print_jobs()) and c.print_jobs()[0].attempts == 1 and c.print_jobs()[0].state == "pending"
        )
    )
    with FakePrinter(port) as printer:
        arun(c.printing.test_print("kitchen"))  # staff reloaded paper and tapped Test print
        qtbot.waitUntil(lambda: c.print_jobs()[0].state == "done", timeout=5000)
        qtbot.waitUntil(lambda: len(printer.tickets) == 2)
        assert ["TEST PRINT" in decode(t).plain for t in printer.tickets] == [True, False]


def test_a_misconfigured_kitchen_printer_keeps_its_tickets_waiting_and_says_what_to_fix(
    db: Database, arun: Any, qtbot: Any, stop_worker: list[Counter]
) -> None:
    c = Counter(db, [PrinterSettings("kitchen", "tcp://", role="kitchen", label="Kitchen printer")])
    stop_worker.append(c)
    c.worker.start()
    arun(c.accept_new())
    qtbot.waitUntil(lambda: bool(c.print_jobs()) and c.print_jobs()[0].attempts >= 1)
    qtbot.waitUntil(lambda: "1 ticket waiting" in (c.last("kitchen") or Notice("", "")).text)
    # The attempt's record is background work on the database thread: it may land just after the notice.
    qtbot.waitUntil(lambda: "has no host" in (c.print_jobs()[0].last_error or ""))
    job = c.print_jobs()[0]
    assert job.state in ("pending", "inflight") and "has no host" in (job.last_error or "")
    notice = c.last("kitchen")
    assert notice is not None and notice.level == "error"
    assert notice.text.startswith("Kitchen printer: printer address 'tcp://' has no host")


def test_a_ticket_cut_off_mid_send_prints_again_marked_reprint(
    db: Database, arun: Any, qtbot: Any, stop_worker: list[Counter]
) -> None:
    with FakePrinter(mode="no_ack") as printer:  # takes the bytes, then never confirms them
        c = Counter(db, [kitchen(printer.uri, timeout=0.4)])
        stop_worker.append(c)
        c.worker.start()
        arun(c.accept_new(items=(LineItem("糖醋排骨", 1, 5800),)))
        qtbot.waitUntil(lambda: len(printer.tickets) == 1, timeout=10000)
        qtbot.waitUntil(lambda: c.print_jobs()[0].payload.get("reprint") is True)
        printer.mode = "ok"
        qtbot.waitUntil(lambda: c.print_jobs()[0].state == "done", timeout=10000)
        qtbot.waitUntil(lambda: len(printer.tickets) == 2)
    first, second = (decode(t) for t in printer.tickets)
    assert "糖醋排骨" in first.plain and "REPRINT" not in first.plain
    assert "糖醋排骨" in second.plain and second.find("REPRINT").invert


def test_the_spooler_deletes_printed_tickets_after_a_month_and_keeps_waiting_ones(
    db: Database, arun: Any, qtbot: Any, stop_worker: list[Counter]
) -> None:
    from datetime import timedelta

    from posapp.services.worker import FINISHED_JOBS_KEPT

    with FakePrinter() as printer:
        c = Counter(db, [kitchen(printer.uri)])
        stop_worker.append(c)
        c.worker.start()
        printed = arun(c.accept_new(items=(LineItem("回锅肉", 1, 3000),)))
        qtbot.waitUntil(lambda: [j.state for j in c.print_jobs()] == ["done"], timeout=10000)
        printer.mode = "paper_out"  # the next ticket cannot print: it waits
        waiting = arun(c.accept_new(items=(LineItem("鱼香肉丝", 1, 2800),)))
        qtbot.waitUntil(lambda: len(c.print_jobs()) == 2, timeout=10000)
        assert timedelta(days=30) == FINISHED_JOBS_KEPT
        start = c.worker.clock()
        c.worker.clock = lambda: start + timedelta(days=29)
        assert arun(c.worker.prune_once()) == 0  # printed 29 days ago: still kept
        # A month later the idle worker deletes the printed ticket's job by itself; the waiting one stays.
        c.worker.clock = lambda: start + timedelta(days=31)
        c.worker.prune_interval = 0.05
        qtbot.waitUntil(lambda: [j.order_id for j in c.print_jobs()] == [waiting], timeout=10000)
        assert c.print_jobs()[0].state != "done" and printed != waiting
