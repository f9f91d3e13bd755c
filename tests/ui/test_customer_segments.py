"""The Customers tab's segments at 1024x768 on a real database: the rules on screen, the counts per scope, a
tap on a segment, a customer's history across platforms, Export CSV; touch targets 48 px and up."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from posapp.domain.roles import Role
from posapp.services.audit import AuditService
from posapp.services.auth import AuthService
from posapp.services.customers import CustomerService
from posapp.services.reports import ReportService
from posapp.store.db import Database
from posapp.ui.manager.section import ManagerSection
from tests.report_fixtures import OPTIONS
from tests.segment_fixtures import NOW, seed
from tests.ui.test_manager import FAST, type_pin


@pytest.fixture
def section(db: Database, qtbot: Any, qloop: Any, arun: Any, tmp_path: Path) -> ManagerSection:
    seed(db)
    clock = lambda: NOW  # noqa: E731
    arun(AuthService(db, clock, params=FAST).create_user("alice", Role.MANAGER, "4829", by="setup"))
    section = ManagerSection(
        AuthService(db, clock, params=FAST),
        ReportService(db, OPTIONS, clock=clock),
        AuditService(db),
        CustomerService(db, clock=clock),
        clock=clock,
        choose_folder=lambda: tmp_path,
    )
    qtbot.addWidget(section)
    section.resize(1024, 768)
    section.show()
    type_pin(qtbot, section, "4829")
    page = section.view.customers_page.segments
    qtbot.waitUntil(lambda: page.report is not None, timeout=10000)
    section.view.setCurrentWidget(section.view.customers_page)
    return section


def rows(page: Any) -> list[tuple[str, str]]:
    table = page.customers_table
    return [(table.item(r, 0).text(), table.item(r, 1).text()) for r in range(table.rowCount())]


def test_segments_show_their_rules_and_counts(section: ManagerSection, qtbot: Any) -> None:
    page = section.view.customers_page.segments
    assert page.isVisible()
    lapsing = next(b for s, b in page.boxes.items() if s.value == "lapsing")
    assert lapsing.rule.text() == "lapsing: 2+ orders, last order 31–60 days ago"
    assert lapsing.rule.isVisible()
    counts = {s.value: int(b.count.text()) for s, b in page.boxes.items()}
    assert counts == {"new": 2, "regular": 3, "high-value": 1, "lapsing": 1, "lost": 1}
    assert rows(page)[:2] == [("High-value", "王先生"), ("Regular", "Chen")]
    assert "8 customers · 75% came back · 2.1 orders each · ¥52.94 per order" in page.status.text()
    # the look-alike masked phones are two rows, the regular on two channels is one
    names = [n for _s, n in rows(page)]
    assert names.count("王先生") == 1 and names.count("李女士") == 1 and names.count("张先生") == 2
    assert page.customers_table.item(1, 3).text() == "Counter, Own site"


def test_a_platform_button_and_a_segment_box_narrow_the_list(section: ManagerSection, qtbot: Any) -> None:
    page = section.view.customers_page.segments
    qtbot.mouseClick(page.scope_buttons["meituan"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.customers_table.rowCount() == 4, timeout=10000)
    assert {s.value: int(b.count.text()) for s, b in page.boxes.items()} == {
        "new": 1,
        "regular": 1,
        "high-value": 1,
        "lapsing": 0,
        "lost": 1,
    }
    regular = next(s for s in page.boxes if s.value == "regular")
    box = page.boxes[regular]
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=box.rect().center())
    assert rows(page) == [("Regular", "李女士")]
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=box.rect().center())
    assert len(rows(page)) == 4


def test_a_tapped_customer_shows_their_orders_on_both_channels(section: ManagerSection, qtbot: Any) -> None:
    page = section.view.customers_page.segments
    table = page.customers_table
    cell = table.visualItemRect(table.item(1, 1))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=cell.center())
    qtbot.waitUntil(
        lambda: section.history_dialog is not None and section.history_dialog.isVisible(), timeout=10000
    )
    dialog = section.history_dialog
    assert dialog is not None
    got = [
        (dialog.table.item(r, 1).text(), dialog.table.item(r, 4).text())
        for r in range(dialog.table.rowCount())
    ]
    assert got == [("Counter", "139 1234 5678"), ("Own site", "13912345678"), ("Own site", "13912345678")]
    assert dialog.heading.text() == "Chen · Regular · 3 orders"
    dialog.reject()


def test_export_writes_the_customers_csv(section: ManagerSection, qtbot: Any, tmp_path: Path) -> None:
    page = section.view.customers_page.segments
    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    path = tmp_path / "customer-segments-2026-06-01.csv"
    qtbot.waitUntil(path.exists, timeout=10000)
    qtbot.waitUntil(lambda: "Saved" in page.status.text(), timeout=10000)
    with path.open(encoding="utf-8-sig", newline="") as f:
        assert [r["segment"] for r in csv.DictReader(f)] == [
            "high-value", "regular", "regular", "regular", "lapsing", "new", "new", "lost",
        ]  # fmt: skip


def test_by_platform_table_and_touch_targets(section: ManagerSection, qtbot: Any) -> None:
    customers = section.view.customers_page
    customers.inner.setCurrentWidget(customers.segments.by_platform)
    table = customers.segments.figures
    figures = {
        table.item(r, 0).text(): [table.item(r, c).text() for c in range(1, 10)]
        for r in range(table.rowCount())
    }
    assert figures["All platforms"] == ["8", "75%", "2.1", "¥52.94", "2", "3", "1", "1", "1"]
    assert figures["Own site"] == ["1", "100%", "2.0", "¥50.00", "0", "1", "0", "0", "0"]
    assert figures["Counter"] == ["1", "0%", "1.0", "¥50.00", "1", "0", "0", "0", "0"]
    assert customers.segments.identity_note.isVisible()
    customers.inner.setCurrentWidget(customers.segments)
    qtbot.wait(50)
    buttons = [b for b in customers.findChildren(QPushButton) if b.isVisible()]
    assert len(buttons) >= 7
    assert all(b.height() >= 48 for b in buttons), [
        (b.text(), b.height()) for b in buttons if b.height() < 48
    ]
    bar = customers.inner.tabBar()
    assert all(bar.tabRect(i).height() >= 48 for i in range(bar.count()))
    assert customers.segments.customers_table.verticalHeader().defaultSectionSize() >= 48
    assert section.width() <= 1024 and section.height() <= 768
