"""Printer failover on two loopback TCP printers going down and up in every order: each ticket prints on
exactly one of them, marked BACKUP FROM on the backup, and none is lost while both are down."""

from __future__ import annotations

import random
import time
import tomllib
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest

from posapp.config import PrinterSettings, settings_from_document
from posapp.domain.order import LineItem
from posapp.errors import ConfigError
from posapp.services.hub import Hub, Notice
from posapp.services.intake import IntakeService
from posapp.services.orders import OrderService
from posapp.services.planner import JobPlanner
from posapp.services.printing import PRINT_KIND, PrintService
from posapp.store import jobs as jobstore
from posapp.store.db import Database
from posapp.ui.printers import printer_status_text
from tests.escpos_decoder import decode
from tests.factories import make_order
from tests.printer_server import FakePrinter, free_port

FAILOVER_AFTER = 0.6  # seconds offline before the backup takes over (the setting; 60 s by default)


class Kitchen:
    """Intake, accept and the print worker over one real SQLite file, with a kitchen and a backup printer."""

    def __init__(self, db: Database, kitchen_port: int, backup_port: int, **kw: Any) -> None:
        self.hub = Hub()
        self.notices: list[Notice] = []
        self.hub.on_notice(self.notices.append)
        planner = JobPlanner()
        printers = [
            PrinterSettings(
                "kitchen",
                f"tcp://127.0.0.1:{kitchen_port}",
                role="kitchen",
                label="Kitchen printer",
                timeout=0.5,
                backup="pass",
                failover_after=kw.pop("failover_after", FAILOVER_AFTER),
            ),
            PrinterSettings(
                "pass", f"tcp://127.0.0.1:{backup_port}", role="expo", label="Pass printer", timeout=0.5
            ),
        ]
        self.printing = PrintService(db, self.hub, printers, probe_every=kw.pop("probe_every", 0.3))
        self.printing.register(planner)
        self.intake = IntakeService(db, self.hub, planner)
        self.orders = OrderService(db, self.hub, planner)
        self.worker = self.printing.make_worker(base_delay=0.05, max_delay=0.2, idle_poll=0.05)
        self.db = db
        self.numbers: list[str] = []

    def jobs(self) -> list[jobstore.Job]:
        return self.db.call(lambda s: jobstore.jobs_for(s, PRINT_KIND))

    def all_done(self) -> bool:
        jobs = self.jobs()
        return bool(jobs) and all(j.state == "done" for j in jobs)

    def last(self, printer: str) -> Notice | None:
        return next((n for n in reversed(self.notices) if n.source == f"printer:{printer}"), None)

    async def accept(self, n: int) -> int:
        number = f"F{n:02d}"
        self.numbers.append(number)
        order = replace(
            make_order(external_id=f"fo-{n}", items=(LineItem(f"dish {n}", 1, 900),)), display_id=number
        )
        order_id = (await self.intake.ingest(order)).order_id
        await self.orders.accept(order_id, by="kitchen")
        self.worker.kick()
        return order_id


def numbers_on(printer: FakePrinter) -> list[str]:
    """The order number of each ticket that came out of ``printer`` (decoded from its ESC/POS bytes)."""
    out = []
    for ticket in printer.tickets:
        texts = [t.strip() for t in decode(ticket).texts]
        out.append(next(t[1:] for t in texts if t.startswith("#F")))
    return out


def backup_marked(printer: FakePrinter) -> list[bool]:
    return ["BACKUP FROM Kitchen printer" in decode(t).plain for t in printer.tickets]


def assert_each_printed_once(k: Kitchen, *printers: FakePrinter) -> None:
    printed = [n for p in printers for n in numbers_on(p)]
    assert sorted(printed) == sorted(k.numbers), printed  # none lost, none twice
    assert all(not decode(t).plain.count("REPRINT") for p in printers for t in p.tickets)


@pytest.fixture
def kitchens(arun: Any) -> Iterator[list[Kitchen]]:
    made: list[Kitchen] = []
    yield made
    for k in made:
        arun(k.worker.stop())


def test_kitchen_printer_down_sends_its_tickets_to_the_backup_marked_backup_from(
    db: Database, arun: Any, qtbot: Any, kitchens: list[Kitchen]
) -> None:
    kitchen_port = free_port()
    with FakePrinter() as backup:
        k = Kitchen(db, kitchen_port, backup.port)
        kitchens.append(k)
        k.worker.start()
        for n in range(3):
            arun(k.accept(n))
        qtbot.waitUntil(k.all_done, timeout=10000)
        assert numbers_on(backup) == ["F00", "F01", "F02"]  # in order, on the backup
        assert backup_marked(backup) == [True, True, True]
        first = decode(backup.tickets[0])
        banner = first.find("BACKUP FROM Kitchen printer")
        assert banner.invert and banner.bold
        assert "dish 0" in first.plain
        assert [j.payload.get("printed_on") for j in k.jobs()] == ["pass"] * 3
        assert all(j.target == "kitchen" for j in k.jobs())  # still the kitchen's tickets
        notice = k.last("kitchen")
        assert notice is not None and notice.level == "error"
        assert "printing on Pass printer" in notice.text and notice.data["backup"] == "pass"
        assert printer_status_text(notice).endswith("— printing on Pass printer")  # the status strip


class LongestJitter(random.Random):
    """Full jitter that always draws the longest wait: backoff as slow as the worker allows."""

    def uniform(self, a: float, b: float) -> float:
        return b


def test_the_backup_takes_over_at_the_set_time_not_after_a_long_backoff(
    db: Database, arun: Any, qtbot: Any, kitchens: list[Kitchen]
) -> None:
    kitchen_port = free_port()
    with FakePrinter() as backup:
        k = Kitchen(db, kitchen_port, backup.port, failover_after=1.0)
        kitchens.append(k)
        # The print worker's own backoff (2 s doubling to 30 s), always its longest: a retry after the first
        # failure comes 2 s later, the next 4 s after that.
        k.worker = k.printing.make_worker(base_delay=2.0, max_delay=30.0, idle_poll=0.05, rng=LongestJitter())
        arun(k.accept(1))
        started = time.monotonic()
        k.worker.start()
        qtbot.waitUntil(lambda: len(backup.tickets) == 1, timeout=5000)
        took = time.monotonic() - started
        # At failover_after, not at the 2 s retry (nor the 6 s one). Qt's coarse timers (qasync's loop) may fire
        # up to 5 % early, hence 0.95.
        assert 0.95 <= took < 1.8, took
        assert backup_marked(backup) == [True]


def test_no_failover_before_the_set_time(
    db: Database, arun: Any, qtbot: Any, kitchens: list[Kitchen]
) -> None:
    kitchen_port = free_port()
    with FakePrinter() as backup:
        k = Kitchen(db, kitchen_port, backup.port, failover_after=30)
        kitchens.append(k)
        k.worker.start()
        arun(k.accept(1))
        qtbot.waitUntil(lambda: k.jobs()[0].attempts >= 3, timeout=10000)
        assert backup.tickets == [] and k.jobs()[0].state in ("pending", "inflight")
        with FakePrinter(kitchen_port) as kitchen:
            qtbot.waitUntil(k.all_done, timeout=10000)
            assert numbers_on(kitchen) == ["F01"] and backup_marked(kitchen) == [False]
        assert backup.tickets == []


def test_both_down_loses_nothing_then_the_backup_comes_back_first(
    db: Database, arun: Any, qtbot: Any, kitchens: list[Kitchen]
) -> None:
    kitchen_port, backup_port = free_port(), free_port()
    k = Kitchen(db, kitchen_port, backup_port)
    kitchens.append(k)
    k.worker.start()
    for n in range(3):
        arun(k.accept(n))
    # Both down well past the failover time: every ticket waits; nothing is dropped or parked.
    qtbot.waitUntil(lambda: k.jobs()[0].attempts >= 4, timeout=10000)
    qtbot.wait(int(FAILOVER_AFTER * 1000))
    assert len(k.jobs()) == 3 and all(j.state in ("pending", "inflight") for j in k.jobs())
    assert k.last("kitchen") is not None and k.last("pass") is not None  # both shown offline
    with FakePrinter(backup_port) as backup:
        qtbot.waitUntil(k.all_done, timeout=10000)
        assert numbers_on(backup) == ["F00", "F01", "F02"] and all(backup_marked(backup))
        # The kitchen printer comes back: the next ticket after the probe interval tries it first.
        with FakePrinter(kitchen_port) as kitchen:
            qtbot.wait(400)
            arun(k.accept(3))
            qtbot.waitUntil(lambda: len(kitchen.tickets) == 1, timeout=10000)
            qtbot.waitUntil(k.all_done, timeout=10000)
            assert numbers_on(kitchen) == ["F03"] and backup_marked(kitchen) == [False]
            assert_each_printed_once(k, kitchen, backup)


def test_both_down_then_the_kitchen_printer_comes_back_first(
    db: Database, arun: Any, qtbot: Any, kitchens: list[Kitchen]
) -> None:
    kitchen_port, backup_port = free_port(), free_port()
    k = Kitchen(db, kitchen_port, backup_port)
    kitchens.append(k)
    k.worker.start()
    for n in range(3):
        arun(k.accept(n))
    qtbot.wait(int(FAILOVER_AFTER * 1000) + 300)
    assert all(j.state in ("pending", "inflight") for j in k.jobs()) and len(k.jobs()) == 3
    with FakePrinter(kitchen_port) as kitchen:
        qtbot.waitUntil(k.all_done, timeout=10000)
        assert numbers_on(kitchen) == ["F00", "F01", "F02"]
        assert backup_marked(kitchen) == [False] * 3  # its own tickets, unmarked
        assert all("printed_on" not in j.payload for j in k.jobs())
        # Then the backup comes up too: nothing more goes to it.
        with FakePrinter(backup_port) as backup:
            arun(k.accept(3))
            qtbot.waitUntil(k.all_done, timeout=10000)
            assert backup.tickets == []
            assert_each_printed_once(k, kitchen, backup)


def test_kitchen_printer_back_while_the_backup_prints_its_backlog(
    db: Database, arun: Any, qtbot: Any, kitchens: list[Kitchen]
) -> None:
    kitchen_port = free_port()
    with FakePrinter() as backup:
        k = Kitchen(db, kitchen_port, backup.port)
        kitchens.append(k)
        for n in range(12):
            arun(k.accept(n))
        k.worker.start()
        qtbot.waitUntil(lambda: len(backup.tickets) >= 2, timeout=10000)
        with FakePrinter(kitchen_port) as kitchen:  # back in the middle of the backup's run
            qtbot.waitUntil(k.all_done, timeout=15000)
            on_backup, on_kitchen = numbers_on(backup), numbers_on(kitchen)
            assert on_kitchen, "the kitchen printer took its lane back"
            assert_each_printed_once(k, kitchen, backup)
            # One lane, in order: the backup printed the first ones, the kitchen printer the rest.
            assert on_backup + on_kitchen == k.numbers
            assert all(backup_marked(backup)) and not any(backup_marked(kitchen))
            by_job = {j.payload.get("printed_on", j.target) for j in k.jobs()}
            assert by_job == {"pass", "kitchen"}
        qtbot.waitUntil(lambda: (k.last("kitchen") or Notice("", "")).text == "Kitchen printer ready")


def test_backup_keeps_printing_its_own_station_tickets_beside_the_kitchens(
    db: Database, arun: Any, qtbot: Any, kitchens: list[Kitchen]
) -> None:
    """The backup's own lane and the failed-over lane share one printer, one ticket at a time."""
    from posapp.store.stations import set_station

    db.call(lambda s: set_station(s, "coffee", "expo"))
    kitchen_port = free_port()
    with FakePrinter() as backup:
        k = Kitchen(db, kitchen_port, backup.port)
        kitchens.append(k)
        arun(k.printing.load_routes())
        k.worker.start()
        for n in range(4):
            arun(k.accept(n))
        order = replace(
            make_order(external_id="fo-coffee", items=(LineItem("coffee", 1, 300),)), display_id="F99"
        )
        k.numbers.append("F99")
        arun(k.orders.accept(arun(k.intake.ingest(order)).order_id, by="kitchen"))
        qtbot.waitUntil(k.all_done, timeout=10000)
        assert sorted(numbers_on(backup)) == sorted(k.numbers)
        own = [t for t in backup.tickets if "coffee" in decode(t).plain]
        assert len(own) == 1 and "BACKUP FROM" not in decode(own[0]).plain


def test_backup_must_name_another_printer_in_the_settings() -> None:
    text = """
[printers.kitchen]
uri = "tcp://127.0.0.1:9100"
backup = "bar"
"""
    with pytest.raises(ConfigError, match=r"\[printers.kitchen\] backup names no printer.*'bar'"):
        settings_from_document(tomllib.loads(text))
    ok = settings_from_document(
        tomllib.loads(text + '[printers.bar]\nuri = "tcp://127.0.0.1:9101"\nrole = "bar"\n')
    )
    kitchen = next(p for p in ok.printers if p.name == "kitchen")
    assert kitchen.backup == "bar" and kitchen.failover_after == 60.0
