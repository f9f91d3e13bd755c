"""The Customers tab's "Customer data" at 1024x768 on a real database: find by name or phone (look-alike masked
numbers stay two customers), the customer's orders, Export to the file the manager picks, Erase with a reason,
a tick and the manager PIN; nothing of the customer stays on screen once the section locks."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from posapp.domain.roles import Role
from posapp.services.audit import AuditService
from posapp.services.auth import AuthService
from posapp.services.customers import CustomerService
from posapp.services.privacy import PrivacyService
from posapp.services.reports import ReportService
from posapp.store import orders as repo
from posapp.store.db import Database
from posapp.ui.manager.privacy_page import CustomerDataPage
from posapp.ui.manager.section import ManagerSection
from tests.report_fixtures import OPTIONS
from tests.segment_fixtures import NOW, seed
from tests.ui.test_manager import FAST, type_pin


@pytest.fixture
def section(db: Database, qtbot: Any, qloop: Any, arun: Any, tmp_path: Path) -> ManagerSection:
    seed(db)
    clock = lambda: NOW  # noqa: E731
    auth = AuthService(db, clock, params=FAST)
    arun(auth.create_user("alice", Role.MANAGER, "4829", by="setup"))
    section = ManagerSection(
        auth,
        ReportService(db, OPTIONS, clock=clock),
        AuditService(db),
        CustomerService(db, clock=clock),
        privacy=PrivacyService(db, auth, clock=clock),
        choose_export_file=lambda name: tmp_path / name,
        clock=clock,
    )
    qtbot.addWidget(section)
    section.resize(1024, 768)
    section.show()
    type_pin(qtbot, section, "4829")
    qtbot.waitUntil(lambda: section.user is not None, timeout=10000)
    section.view.setCurrentWidget(section.view.customers_page)
    inner = section.view.customers_page.inner
    inner.setCurrentIndex(inner.count() - 1)
    return section


def page_of(section: ManagerSection) -> CustomerDataPage:
    assert section.data_requests is not None
    return section.data_requests.page


def find(qtbot: Any, page: CustomerDataPage, query: str, rows: int) -> list[str]:
    before = page.matches
    page.query.setText(query)
    qtbot.mouseClick(page.search_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.matches is not before, timeout=5000)  # the answer to this search
    assert page.found.rowCount() == rows
    return [page.found.item(r, 0).text() for r in range(page.found.rowCount())]


def choose(qtbot: Any, page: CustomerDataPage, row: int, orders: int) -> None:
    rect = page.found.visualItemRect(page.found.item(row, 0))
    qtbot.mouseClick(page.found.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: page.history.rowCount() == orders, timeout=5000)


def test_a_phone_finds_both_look_alikes_and_a_tap_shows_one_customers_orders(
    section: ManagerSection, qtbot: Any
) -> None:
    page = page_of(section)
    assert page.isVisible()
    assert all(b.height() >= 48 for b in (page.search_button, page.export_button, page.erase_button))
    assert not page.export_button.isEnabled()  # nobody chosen yet
    names = find(qtbot, page, "13812345678", 2)
    assert sorted(names) == ["李女士", "王先生"]  # the same masked number: two people, never merged
    assert all(page.found.item(r, 1).text() == "138****5678 *" for r in range(2))  # * masked: see the note
    row = names.index("王先生")
    choose(qtbot, page, row, 5)  # four kept orders and the cancelled one
    assert page.export_button.isEnabled() and page.erase_button.isEnabled()
    assert "王先生" in page.who.text() and "5 orders" in page.who.text()
    # The counter's own channels join on a full phone: "Chen" at the counter is 陈 on the website.
    assert find(qtbot, page, "139 1234 5678", 2) and {"Chen", "陈先生"} == set(
        page.found.item(r, 0).text() for r in range(2)
    )


def test_export_saves_the_json_file_the_manager_picked(
    section: ManagerSection, qtbot: Any, tmp_path: Path
) -> None:
    page = page_of(section)
    names = find(qtbot, page, "李女士", 1)
    choose(qtbot, page, names.index("李女士"), 2)
    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Saved" in page.status.text(), timeout=5000)
    [path] = list(tmp_path.glob("customer-data-*.json"))
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["customer"]["names"] == ["李女士"] and len(doc["orders"]) == 2
    assert "王先生" not in path.read_text(encoding="utf-8")


def test_erase_asks_reason_tick_and_pin_then_blanks_the_customer(
    section: ManagerSection, qtbot: Any, db: Database
) -> None:
    page = page_of(section)
    names = find(qtbot, page, "李女士", 1)
    choose(qtbot, page, names.index("李女士"), 2)
    qtbot.mouseClick(page.erase_button, Qt.MouseButton.LeftButton)
    assert section.data_requests is not None
    dialog = section.data_requests.erase_dialog
    assert dialog is not None and dialog.isVisible()

    def enter(pin: str) -> None:
        for digit in pin:
            qtbot.mouseClick(dialog.pinpad.buttons[digit], Qt.MouseButton.LeftButton)
        qtbot.mouseClick(dialog.pinpad.buttons["OK"], Qt.MouseButton.LeftButton)

    enter("4829")
    assert "Say why" in dialog.pinpad.message.text()
    dialog.reason.setText("customer asked by phone")
    enter("4829")
    assert "Tick the box" in dialog.pinpad.message.text()
    dialog.confirm.setChecked(True)
    enter("1111")
    qtbot.waitUntil(lambda: "Wrong PIN" in dialog.pinpad.message.text(), timeout=5000)
    enter("4829")
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5000)
    assert "Erased: 2 orders" in page.status.text()
    assert page.found.rowCount() == 0 and not page.erase_button.isEnabled()
    assert find(qtbot, page, "李女士", 0) == []
    kept = db.call(lambda s: [repo.get_order(s, i) for i in range(1, 20)])  # the 19 seeded orders
    assert all(o.customer is None or o.customer.name != "李女士" for o in kept)


def test_locking_the_section_leaves_no_customer_on_screen(section: ManagerSection, qtbot: Any) -> None:
    page = page_of(section)
    find(qtbot, page, "王先生", 2)
    section.lock()
    assert page.found.rowCount() == 0 and page.query.text() == "" and page.history.rowCount() == 0
    assert isinstance(page.export_button, QPushButton) and not page.export_button.isEnabled()
