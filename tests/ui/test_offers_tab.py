"""Customers → Offers at 1024x768 on a real database: a manager writes an offer, saves it (audited), sees it in
the list and edits it; a wrong number or no segment is refused with the sentence; targets 48 px and up."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton

from posapp.domain.offers import OfferKind
from posapp.domain.roles import Role
from posapp.services.audit import AuditService
from posapp.services.auth import AuthService
from posapp.services.customers import CustomerService, Segment
from posapp.services.offers import OfferService
from posapp.services.reports import ReportService
from posapp.store import audit
from posapp.store.db import Database
from posapp.ui.manager.section import ManagerSection
from tests.report_fixtures import OPTIONS
from tests.ui.test_manager import FAST, type_pin

NOW = datetime(2026, 12, 4, 6, tzinfo=UTC)


@pytest.fixture
def section(db: Database, qtbot: Any, qloop: Any, arun: Any, tmp_path: Path) -> ManagerSection:
    clock = lambda: NOW  # noqa: E731
    arun(AuthService(db, clock, params=FAST).create_user("alice", Role.MANAGER, "4829", by="setup"))
    section = ManagerSection(
        AuthService(db, clock, params=FAST),
        ReportService(db, OPTIONS, clock=clock),
        AuditService(db),
        CustomerService(db, clock=clock),
        offers=OfferService(db, clock=clock),
        clock=clock,
        choose_folder=lambda: tmp_path,
    )
    qtbot.addWidget(section)
    section.resize(1024, 768)
    section.show()
    type_pin(qtbot, section, "4829")
    qtbot.waitUntil(lambda: section.user is not None, timeout=10000)
    assert section.offer_requests is not None
    page = section.offer_requests.page
    section.view.setCurrentWidget(section.view.customers_page)
    section.view.customers_page.inner.setCurrentWidget(page)
    qtbot.waitUntil(lambda: page.message.text() != "", timeout=10000)  # "No offer yet…"
    return section


def test_a_manager_writes_saves_and_edits_an_offer(section: ManagerSection, qtbot: Any, db: Database) -> None:
    assert section.offer_requests is not None
    page = section.offer_requests.page
    assert page.isVisible()
    rules = page.findChild(QLabel, "offerRules")
    assert rules is not None and "Never on Meituan, Ele.me, Uber Eats or DoorDash orders" in rules.text()
    qtbot.keyClicks(page.text, "10 % off your next pickup")
    page.value.setText("10")
    page.min_spend.setText("50")
    page.days.setText("14")
    assert page.segment_buttons[Segment.NEW].isChecked()  # a new offer starts as new customers'
    qtbot.mouseClick(page.segment_buttons[Segment.LAPSING], Qt.MouseButton.LeftButton)
    for button in page.findChildren(QPushButton):
        if button.isVisible():
            assert button.height() >= 48, button.text()
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.list.count() == 1, timeout=10000)
    assert page.list.item(0).text() == (
        "10 % off your next pickup\n10 % off · min. ¥50.00 · 14 days · New customer, Lapsing · on"
    )
    assert page.message.text() == "Saved. The next receipts of the chosen customers carry it."
    (saved,) = page.offers
    assert (saved.kind, saved.value, saved.min_spend, saved.valid_days) == (OfferKind.PERCENT, 10, 5000, 14)
    assert saved.segments == {"new", "lapsing"}
    # Edit it: ¥5 off instead, switched off.
    qtbot.mouseClick(page.kind_buttons[OfferKind.FIXED], Qt.MouseButton.LeftButton)
    page.value.setText("5.00")
    qtbot.mouseClick(page.active, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.offers and page.offers[0].kind is OfferKind.FIXED, timeout=10000)
    assert page.list.count() == 1 and page.offers[0].value == 500 and not page.offers[0].active
    entries = db.call(lambda s: audit.entries(s, action="offer_saved"))
    assert [e.by for e in entries] == ["manager:alice", "manager:alice"]


def test_a_wrong_number_or_no_segment_is_refused_with_the_reason(section: ManagerSection, qtbot: Any) -> None:
    assert section.offer_requests is not None
    page = section.offer_requests.page
    qtbot.keyClicks(page.text, "Free tea")
    page.value.setText("ten")
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert page.message.text() == "Type the numbers as numbers, such as 10, 5.00 or 30."
    page.value.setText("10")
    qtbot.mouseClick(page.segment_buttons[Segment.NEW], Qt.MouseButton.LeftButton)  # now no segment is chosen
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: page.message.text() == "Choose at least one segment to receive the offer.", timeout=10000
    )
    assert page.list.count() == 0


def test_the_z_report_screen_lists_each_offer_with_its_figures(
    db: Database, qtbot: Any, arun: Any, tmp_path: Path
) -> None:
    from datetime import date

    from posapp.domain.offers import format_code
    from posapp.ui.manager.view import ReportPage
    from tests.offer_fixtures import DUMPLINGS, MANAGER, NOODLES, Shop, draft, offer

    shop = Shop(db, tmp_path)
    arun(shop.offers.save(offer({"new"}), by=MANAGER))
    first = arun(shop.manual.create(draft(DUMPLINGS))).order_id
    issued = shop.issue(first)
    assert issued is not None
    arun(shop.manual.create(draft(DUMPLINGS, NOODLES, code=format_code(issued.code))))  # ¥80.00 -> ¥8.00 off
    reports = ReportService(db, OPTIONS)
    report = arun(reports.z_report(reports.today()))
    page = ReportPage(date.today())
    qtbot.addWidget(page)
    page.resize(1024, 768)
    page.show()
    page.show_report(report)
    assert page.offers.isVisible()
    row = [page.offers.item(0, c).text() for c in range(page.offers.columnCount())]
    assert row == ["10 % off your next pickup", "1", "1", "100.0 %", "-¥8.00"]
    arun(shop.worker.stop())
