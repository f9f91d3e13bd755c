"""The manager's Cash tab on a real database: the count pad (− / + per note, 48 px+ targets, fits 1024x768),
expected cash and the live variance, Save count into the Z-report screen, paid out with a reason and a PIN."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from posapp.domain.roles import Role
from posapp.services.audit import AuditService
from posapp.services.auth import AuthService, ScryptParams
from posapp.services.cash import CashOptions, CashService
from posapp.services.hub import Hub
from posapp.services.intake import IntakeService
from posapp.services.manual import ManualDraft, ManualLine, ManualOrderService
from posapp.services.reports import ReportService
from posapp.store.db import Database
from posapp.ui.manager.section import ManagerSection
from tests.report_fixtures import OPTIONS

FAST = ScryptParams(n=2**10)
NOW = datetime(2026, 3, 11, 7, 0, tzinfo=UTC)  # 15:00 Shanghai, business day 2026-03-11


def clock() -> datetime:
    return NOW


@pytest.fixture
def section(db: Database, qtbot: Any, arun: Any) -> ManagerSection:
    auth = AuthService(db, clock, params=FAST)
    arun(auth.create_user("alice", Role.MANAGER, "4829", by="setup"))
    arun(auth.create_user("amy", Role.CASHIER, "1357", by="setup"))
    manual = ManualOrderService(
        IntakeService(db, Hub(), clock=clock), currency="CNY", tz=OPTIONS.tz, clock=clock
    )
    for price in (3200, 2600):  # two cash sales: ¥58.00
        arun(manual.create(ManualDraft((ManualLine("宫保鸡丁", 1, price),), payment="cash")))
    reports = ReportService(db, dataclasses.replace(OPTIONS, opening_float=20000), clock=clock)
    cash = CashService(auth, reports.period, reports.today, CashOptions("CNY", 20000), clock=clock)
    s = ManagerSection(auth, reports, AuditService(db), cash=cash, clock=clock)
    qtbot.addWidget(s)
    s.resize(1024, 768)
    s.show()
    for digit in "4829":
        qtbot.mouseClick(s.pinpad.buttons[digit], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(s.pinpad.buttons["OK"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: s.cash_page is not None and s.cash_page.cash is not None, timeout=10000)
    return s


def press(_qtbot: Any, section: ManagerSection, denomination: int, times: int = 1) -> None:
    assert section.cash_page is not None
    row = section.cash_page.spins[denomination].parentWidget()
    plus = row.findChild(QPushButton, "stepUp")
    for _ in range(times):
        plus.click()  # the pad scrolls kinetically: QScroller holds a synthetic press, a finger's tap clicks


def test_the_pad_counts_by_denomination_and_shows_the_variance_as_it_goes(
    section: ManagerSection, qtbot: Any
) -> None:
    page = section.cash_page
    assert page is not None
    section.view.setCurrentWidget(page)
    assert list(page.spins) == [10000, 5000, 2000, 1000, 500, 100, 50, 10]  # CNY notes and coins
    assert page.values["expected"].text() == "¥258.00"  # float 200.00 + cash orders 58.00
    press(qtbot, section, 10000, 2)
    press(qtbot, section, 5000)
    press(qtbot, section, 500)
    assert page.values["counted"].text() == "¥255.00"
    assert page.values["variance"].text() == "-¥3.00 short"
    press(qtbot, section, 100, 3)
    assert page.values["variance"].text() == "exact"
    for button in page.findChildren(QPushButton):
        if button.isVisible():
            assert button.height() >= 48, button.text()
    assert section.width() <= 1024 and page.save_button.isVisible()


def test_save_count_goes_into_the_z_report_screen_with_who_counted(
    section: ManagerSection, qtbot: Any, arun: Any
) -> None:
    page = section.cash_page
    assert page is not None and section.cash is not None
    press(qtbot, section, 10000, 2)
    press(qtbot, section, 5000)
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.values["by"].text() == "manager:alice", timeout=5000)
    saved = arun(section.cash.summary())
    assert (saved.counted, saved.variance) == (25000, -800)
    report_page = section.view.report_page
    report_page.requested.emit(NOW.date(), None)
    qtbot.waitUntil(lambda: "Counted ¥250.00" in report_page.cash_box.line.text(), timeout=5000)
    assert "-¥8.00 short" in report_page.cash_box.line.text()
    assert "manager:alice" in report_page.cash_box.detail.text()


def test_paid_out_asks_for_a_reason_and_a_pin_and_lowers_expected_cash(
    section: ManagerSection, qtbot: Any
) -> None:
    page = section.cash_page
    assert page is not None
    dialog = section.open_cash_entry("paid_out")
    assert dialog is not None
    dialog.amount.setValue(45.5)
    dialog.reason.setText("蔬菜 vegetables")
    for digit in "1357":
        qtbot.mouseClick(dialog.pinpad.buttons[digit], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.pinpad.buttons["OK"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.values["paid_out"].text() == "-¥45.50", timeout=5000)
    assert page.values["expected"].text() == "¥212.50" and not dialog.isVisible()
    refused = section.open_cash_entry("paid_in")
    assert refused is not None
    refused.amount.setValue(10)
    for digit in "1357":  # no reason: refused with the sentence, nothing recorded
        qtbot.mouseClick(refused.pinpad.buttons[digit], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(refused.pinpad.buttons["OK"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "reason" in refused.pinpad.message.text(), timeout=5000)
    assert page.values["paid_in"].text() == "¥0.00"
    refused.reject()


def test_the_cash_tab_its_dialogs_and_the_report_box_in_chinese_show_no_english(
    section: ManagerSection, qtbot: Any
) -> None:
    from posapp.ui.i18n import install_language
    from posapp.ui.manager.cash_page import CashEntryDialog, CashPage, CashReportBox
    from tests.ui.test_untranslated import english_words, visible_texts

    assert install_language("zh_CN") == "zh_CN"
    try:
        assert section.cash is not None and section.cash_page is not None
        page = CashPage()
        box = CashReportBox()
        dialogs = [CashEntryDialog(kind, "CNY") for kind in ("paid_in", "paid_out", "float", "open_drawer")]
        for widget in (page, box, *dialogs):
            qtbot.addWidget(widget)
        page.set_denominations("CNY", section.cash.denominations())
        page.show_cash(section.cash_page.cash)  # type: ignore[arg-type]
        box.show_cash(section.cash_page.cash)
        page.show()
        box.show()
        shown = visible_texts(page) + visible_texts(box)
        for dialog in dialogs:
            dialog.show()
            shown += visible_texts(dialog)
        assert "钱箱应有" in shown and "打开钱箱…" in shown
        assert [text for text in shown if english_words(text)] == []
    finally:
        install_language("en")


def test_the_audit_log_says_the_count_and_the_paid_out_in_words(section: ManagerSection, arun: Any) -> None:
    from posapp.domain.cash import Movement
    from posapp.store import audit
    from posapp.ui.manager.audit_text import action_text, detail_text

    assert section.cash is not None and section.user is not None
    arun(section.cash.record(Movement.PAID_OUT, 4550, "taxi", "1357"))
    arun(section.cash.count({10000: 2, 1000: 1}, section.user))
    rows = {e.action: e for e in section.cash.db.call(lambda s: audit.entries(s))}
    assert action_text("cash_count") == "Counted the drawer"
    assert detail_text(rows["cash_count"]) == "Counted ¥210.00 · expected ¥212.50 · -¥2.50 short"
    assert (action_text("cash_paid_out"), detail_text(rows["cash_paid_out"])) == (
        "Paid cash out of the drawer",
        "¥45.50 — taxi",
    )
