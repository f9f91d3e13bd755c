"""The manager section on a real database: PIN pad lock-out, the Z-report screen, inactivity lock, print/export."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from posapp.domain.roles import Role
from posapp.services.audit import AuditService
from posapp.services.auth import AuthService, ScryptParams
from posapp.services.customers import CustomerService
from posapp.services.reports import ReportService
from posapp.store.db import Database
from posapp.ui.manager.section import ManagerSection
from tests.report_fixtures import OPTIONS, build_day

FAST = ScryptParams(n=2**10)


class Clock:
    def __init__(self) -> None:
        # 15:00 on business day 2026-03-11 (Shanghai): the picker opens on that day.
        self.now = datetime(2026, 3, 11, 7, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


def make_section(db: Database, clock: Clock, qtbot: Any, **kwargs: Any) -> ManagerSection:
    section = ManagerSection(
        AuthService(db, clock, params=FAST),
        ReportService(db, OPTIONS, clock=clock),
        AuditService(db),
        CustomerService(db, clock=clock),
        clock=clock,
        **kwargs,
    )
    qtbot.addWidget(section)
    section.resize(1280, 900)
    section.show()
    return section


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def manager(db: Database, clock: Clock, arun: Any) -> None:
    arun(AuthService(db, clock, params=FAST).create_user("alice", Role.MANAGER, "4829", by="setup"))


def type_pin(qtbot: Any, section: ManagerSection, pin: str) -> None:
    for digit in pin:
        qtbot.mouseClick(section.pinpad.buttons[digit], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(section.pinpad.buttons["OK"], Qt.MouseButton.LeftButton)


def test_pin_pad_masks_digits_and_locks_out_after_wrong_pins(
    db: Database, clock: Clock, qtbot: Any, qloop: Any, manager: None
) -> None:
    section = make_section(db, clock, qtbot)
    pad = section.pinpad
    for digit in "12":
        qtbot.mouseClick(pad.buttons[digit], Qt.MouseButton.LeftButton)
    assert pad.dots.text() == "● ● ○ ○"
    assert pad.buttons["1"].minimumHeight() >= 64
    qtbot.mouseClick(pad.buttons["back"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(pad.buttons["back"], Qt.MouseButton.LeftButton)
    for _attempt in range(4):
        type_pin(qtbot, section, "0000")
        qtbot.waitUntil(lambda: pad.message.text() == "Wrong PIN.", timeout=5000)
        pad.message.setText("")
    type_pin(qtbot, section, "0000")
    qtbot.waitUntil(lambda: "Try again in 30 s" in pad.message.text(), timeout=5000)
    assert not pad.buttons["4"].isEnabled()
    type_pin(qtbot, section, "4829")  # ignored while locked
    assert section.is_locked and pad.entered == 0
    clock.now += timedelta(seconds=12)
    qtbot.waitUntil(lambda: "Try again in 18 s" in pad.message.text(), timeout=5000)
    clock.now += timedelta(seconds=19)
    qtbot.waitUntil(lambda: pad.buttons["4"].isEnabled(), timeout=5000)
    type_pin(qtbot, section, "4829")
    qtbot.waitUntil(lambda: not section.is_locked, timeout=5000)


def test_report_screen_shows_the_days_figures_from_the_database(
    db: Database, clock: Clock, qtbot: Any, qloop: Any, manager: None
) -> None:
    build_day(db)
    clock.now = datetime(2026, 3, 10, 7, 0, tzinfo=UTC)  # 15:00 local on business day 2026-03-10
    section = make_section(db, clock, qtbot)
    type_pin(qtbot, section, "4829")
    page = section.view.report_page
    qtbot.waitUntil(lambda: page.report is not None, timeout=10000)
    assert page.figures["orders"].value.text() == "5"
    assert page.figures["gross"].value.text() == "¥157.00"
    assert page.figures["prep"].value.text() == "15:00 / 30:00"
    assert page.platforms.rowCount() == 3
    assert page.items.item(0, 0).text() == "宫保鸡丁"
    assert sum(section.view.report_page.chart.series_orders) == 5
    audit_table = section.view.audit_page.table
    qtbot.waitUntil(lambda: audit_table.rowCount() > 0, timeout=5000)


def test_manager_section_locks_itself_after_inactivity(
    db: Database, clock: Clock, qtbot: Any, qloop: Any, manager: None
) -> None:
    section = make_section(db, clock, qtbot, lock_after_ms=300)
    with qtbot.waitSignals([section.unlocked, section.locked], order="strict", timeout=10000):
        type_pin(qtbot, section, "4829")
    assert section.is_locked and section.stack.currentIndex() == 0 and section.user is None


def test_print_and_export_buttons(
    db: Database, clock: Clock, qtbot: Any, qloop: Any, manager: None, tmp_path: Path
) -> None:
    build_day(db)
    clock.now = datetime(2026, 3, 10, 7, 0, tzinfo=UTC)
    printed: list[list[str]] = []
    section = make_section(db, clock, qtbot, print_z=printed.append, choose_folder=lambda: tmp_path)
    type_pin(qtbot, section, "4829")
    page = section.view.report_page
    qtbot.waitUntil(lambda: page.report is not None, timeout=10000)
    qtbot.mouseClick(page.print_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(printed), timeout=5000)
    assert any("Z-REPORT" in line for line in printed[0])
    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Saved 10 CSV files" in page.status.text(), timeout=5000)  # with the cash-up
    assert (tmp_path / "z-2026-03-10-CNY_items.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_first_run_asks_for_a_new_manager_pin_twice(
    db: Database, clock: Clock, qtbot: Any, arun: Any
) -> None:
    section = make_section(db, clock, qtbot)
    section.open()
    qtbot.waitUntil(lambda: "Set a new manager PIN" in section.pinpad.title.text(), timeout=5000)
    type_pin(qtbot, section, "2580")
    qtbot.waitUntil(lambda: "again" in section.pinpad.title.text(), timeout=5000)
    type_pin(qtbot, section, "2581")
    qtbot.waitUntil(lambda: "differ" in section.pinpad.message.text(), timeout=5000)
    type_pin(qtbot, section, "2580")
    qtbot.waitUntil(lambda: "again" in section.pinpad.title.text(), timeout=5000)
    type_pin(qtbot, section, "2580")
    qtbot.waitUntil(lambda: not section.is_locked, timeout=10000)
    assert section.user is not None and section.user.role is Role.MANAGER


def test_mixed_currency_day_offers_a_currency_choice(
    db: Database, clock: Clock, qtbot: Any, qloop: Any, manager: None
) -> None:
    from tests.report_fixtures import flow, local, put

    build_day(db)
    put(db, platform="ubereats", placed=local(10, 15), total=1250, currency="USD", steps=flow(10))
    clock.now = datetime(2026, 3, 10, 7, 0, tzinfo=UTC)
    section = make_section(db, clock, qtbot)
    type_pin(qtbot, section, "4829")
    page = section.view.report_page
    qtbot.waitUntil(lambda: page.report is not None, timeout=10000)
    assert page.currency.isVisible() and page.chosen_currency == "CNY"
    assert page.figures["gross"].value.text() == "¥157.00"
    page.currency.setCurrentIndex(page.currency.findData("USD"))
    qtbot.waitUntil(lambda: page.figures["gross"].value.text() == "$12.50", timeout=10000)


def test_range_report_tells_its_progress_while_days_are_summed_up(
    db: Database, clock: Clock, qtbot: Any, qloop: Any, manager: None, monkeypatch: Any
) -> None:
    from datetime import date

    from PySide6.QtCore import QDate

    build_day(db)
    clock.now = datetime(2026, 3, 12, 7, 0, tzinfo=UTC)
    section = make_section(db, clock, qtbot)
    type_pin(qtbot, section, "4829")
    page = section.view.report_page
    qtbot.waitUntil(lambda: page.report is not None, timeout=10000)
    shown: list[str] = []
    original = page.show_message
    monkeypatch.setattr(page, "show_message", lambda text: (shown.append(text), original(text)))
    page.day.setDate(QDate(2026, 2, 20))
    page.range.setChecked(True)
    page.to.setDate(QDate(2026, 3, 11))
    qtbot.mouseClick(page.show_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.report is not None and page.report.period.days == 20, timeout=10000)
    # (Setting the dates asks for reports of the periods in between too; only the 20-day one counts.)
    assert [text for text in shown if "of 20 days" in text] == [
        "Adding up… 7 of 20 days",
        "Adding up… 14 of 20 days",
        "Adding up… 20 of 20 days",
    ]
    assert page.report.period.first == date(2026, 2, 20)
    assert page.figures["orders"].value.text() == "8"  # the fixture's five orders on 03-10, three on 03-03
