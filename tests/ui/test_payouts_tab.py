"""The Payouts tab on a real database: behind the manager PIN, a statement picked from a folder by touch,
its lines grouped by outcome with totals, a malformed one refused with its line, CSV export."""

from __future__ import annotations

import re
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QLabel, QPushButton
from sqlalchemy import func, select

from posapp.domain.events import PlatformEvent, PlatformEventKind
from posapp.domain.payouts import Outcome
from posapp.services.audit import AuditService
from posapp.services.hub import Hub
from posapp.services.intake import IntakeService
from posapp.services.payouts import PayoutService
from posapp.services.reports import ReportService
from posapp.store.db import Database
from posapp.store.tables import PayoutLineRow
from posapp.ui.i18n import install_language
from posapp.ui.manager.audit_text import action_text, detail_text
from posapp.ui.manager.section import ManagerSection
from posapp.ui.theme import platform_label
from tests.report_fixtures import OPTIONS
from tests.ui.test_manager import Clock, make_section, type_pin
from tests.unit.test_payouts import FIXTURES, put

STATEMENT = FIXTURES / "meituan" / "statements" / "statement_2026-03-10.csv"


@pytest.fixture
def clock() -> Clock:
    clock = Clock()
    clock.now = datetime(2026, 3, 11, 2, 0, tzinfo=UTC)  # 10:00 local on business day 2026-03-11
    return clock


@pytest.fixture
def manager(db: Database, clock: Clock, arun: Any) -> None:
    from posapp.domain.roles import Role
    from posapp.services.auth import AuthService
    from tests.ui.test_manager import FAST

    arun(AuthService(db, clock, params=FAST).create_user("alice", Role.MANAGER, "4829", by="setup"))


@pytest.fixture
def orders(db: Database, arun: Any, clock: Clock) -> None:
    for ext, total, commission in (
        ("27000100001001", 5000, 900),
        ("27000100001002", 3000, 540),
        ("27000100001003", 2000, 360),
        ("27000100001004", 4000, 720),
    ):
        put(db, "meituan", ext, total, commission)
    event = PlatformEvent("meituan", "27000100001004", PlatformEventKind.REFUNDED, "少送了", amount=1000)
    arun(IntakeService(db, Hub(), clock=clock).apply_event(event))


def open_payouts(db: Database, clock: Clock, qtbot: Any, folder: Path, **kw: Any) -> ManagerSection:
    reports = ReportService(db, OPTIONS, clock=clock)
    section = make_section(
        db, clock, qtbot, payouts=PayoutService(db, reports), statement_folder=folder, **kw
    )
    type_pin(qtbot, section, "4829")
    qtbot.waitUntil(lambda: not section.is_locked, timeout=5000)
    assert section.payouts_page is not None
    section.view.setCurrentWidget(section.payouts_page)
    return section


def pick(qtbot: Any, section: ManagerSection, name: str) -> None:
    page = section.payouts_page
    assert page is not None
    qtbot.mouseClick(page.platform_buttons["meituan"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: section.statement_picker is not None and section.statement_picker.isVisible())
    picker = section.statement_picker
    assert picker is not None
    names = [picker.list.item(i).text().split()[0] for i in range(picker.list.count())]
    row = names.index(name)
    item = picker.list.item(row)
    assert picker.list.visualItemRect(item).height() >= 48  # a finger-sized row
    qtbot.mouseClick(
        picker.list.viewport(), Qt.MouseButton.LeftButton, pos=picker.list.visualItemRect(item).center()
    )


def test_an_imported_statement_is_shown_by_outcome_with_totals_and_exported(
    db: Database, clock: Clock, qtbot: Any, qloop: Any, arun: Any, manager: None, orders: None, tmp_path: Path
) -> None:
    folder = tmp_path / "Downloads"
    folder.mkdir()
    shutil.copy(STATEMENT, folder / "美团账单.csv")
    out = tmp_path / "out"
    out.mkdir()
    section = open_payouts(db, clock, qtbot, folder, choose_folder=lambda: out)
    page = section.payouts_page
    assert page is not None
    pick(qtbot, section, "美团账单.csv")
    qtbot.waitUntil(lambda: page.table.rowCount() > 0, timeout=10000)
    assert page.figures[Outcome.SHORT].value.text() == "1 · -¥1.60"
    assert page.figures[Outcome.MISSING].value.text() == "1 · -¥16.40"
    assert page.figures[Outcome.UNKNOWN].value.text() == "1 · ¥18.00"
    assert page.figures[Outcome.PAID].value.text() == "2 · ¥73.80"
    rows = [[page.table.item(r, c).text() for c in range(7)] for r in range(page.table.rowCount())]
    assert rows[0][:2] == ["Short-paid", platform_label("meituan")]
    assert rows[0][2].endswith("27000100001002") and rows[0][3:7] == ["¥24.60", "¥23.00", "-¥1.60", "4"]
    assert rows[1][0] == "Total" and rows[1][3:6] == ["¥24.60", "¥23.00", "-¥1.60"]
    assert [r[0] for r in rows].count("Total") == 6  # one per outcome
    assert "美团账单.csv" in page.status.text()
    [imported] = [e for e in arun(AuditService(db).entries(limit=20)) if e.action == "payout_import"]
    assert imported.by == "manager:alice"
    assert (action_text(imported.action), detail_text(imported)) == (
        "Imported a platform statement",
        f"{platform_label('meituan')}: 美团账单.csv, 6 lines",
    )
    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: any(out.iterdir()), timeout=5000)
    [written] = list(out.iterdir())
    assert "short,meituan," in written.read_text(encoding="utf-8")


def test_a_malformed_statement_is_refused_on_screen_with_its_line_and_nothing_stored(
    db: Database, clock: Clock, qtbot: Any, qloop: Any, manager: None, orders: None, tmp_path: Path
) -> None:
    bad = STATEMENT.read_text(encoding="utf-8").replace("32.80", "三十二")
    (tmp_path / "bad.csv").write_text(bad, encoding="utf-8")
    section = open_payouts(db, clock, qtbot, tmp_path)
    page = section.payouts_page
    assert page is not None
    pick(qtbot, section, "bad.csv")
    qtbot.waitUntil(lambda: "not imported" in page.status.text(), timeout=10000)
    assert "line 6" in page.status.text() and "is not a number: '三十二'" in page.status.text()
    assert page.table.rowCount() == 0
    assert db.call(lambda s: s.scalar(select(func.count()).select_from(PayoutLineRow))) == 0


def test_the_range_report_shows_the_platforms_money(
    db: Database, clock: Clock, qtbot: Any, qloop: Any, manager: None, orders: None, tmp_path: Path
) -> None:
    shutil.copy(STATEMENT, tmp_path / "bill.csv")
    section = open_payouts(db, clock, qtbot, tmp_path)
    page = section.payouts_page
    assert page is not None
    pick(qtbot, section, "bill.csv")
    qtbot.waitUntil(lambda: page.table.rowCount() > 0, timeout=10000)
    report_page = section.view.report_page
    section.view.setCurrentWidget(report_page)
    report_page.day.setDate(QDate(2026, 3, 10))
    report_page.range.setChecked(True)
    report_page.to.setDate(QDate(2026, 3, 11))
    qtbot.mouseClick(report_page.show_button, Qt.MouseButton.LeftButton)
    table = report_page.payouts

    def ranged() -> bool:
        r = report_page.report
        return r is not None and (r.period.first.day, r.period.last.day) == (10, 11)

    qtbot.waitUntil(ranged, timeout=10000)
    assert table.isVisible()
    rows = [[table.item(r, c).text() for c in range(5)] for r in range(table.rowCount())]
    assert rows[0] == [f"Refunded by {platform_label('meituan')}", "1", "", "-¥10.00", ""]
    assert ["Short-paid", "1", "¥24.60", "¥23.00", "-¥1.60"] in rows
    assert ["Missing from the statement", "1", "¥16.40", "¥0.00", "-¥16.40"] in rows


def test_the_payouts_tab_in_chinese_shows_no_english(
    db: Database, clock: Clock, qtbot: Any, qloop: Any, manager: None, orders: None, tmp_path: Path
) -> None:
    shutil.copy(STATEMENT, tmp_path / "bill.csv")
    install_language("zh_CN")
    try:
        section = open_payouts(db, clock, qtbot, tmp_path)
        page = section.payouts_page
        assert page is not None
        assert section.view.tabText(section.view.indexOf(page)) == "平台结算"
        pick(qtbot, section, "bill.csv")
        qtbot.waitUntil(lambda: page.table.rowCount() > 0, timeout=10000)
        words = [w.text() for w in page.findChildren(QLabel) + page.findChildren(QPushButton)]
        words += [page.table.horizontalHeaderItem(c).text() for c in range(page.table.columnCount())]
        words += [page.table.item(r, 0).text() for r in range(page.table.rowCount())]
        names = (
            "Uber Eats",
            "DoorDash",
            "Stripe",
            "CSV",
            "bill.csv",
        )  # names and codes, the same in every language
        english = [w for w in words if re.search(r"[A-Za-z]{3,}", re.sub("|".join(names), "", w))]
        assert english == []
        assert "少结" in words and "合计" in words
    finally:
        install_language("en")
