"""The Payouts tab offers the payment gateways' settlement files beside the platforms' statements: the manager taps
Alipay, WeChat Pay or Stripe, picks the file by touch, and its lines are matched to the payments the counter took
(the fixtures and the hand-worked outcomes of tests/unit/test_gateway_settlement.py)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton

from posapp.domain.payouts import Outcome
from posapp.services.audit import AuditService
from posapp.store.db import Database
from posapp.ui.fit import SCREEN_ENV
from posapp.ui.i18n import install_language
from posapp.ui.manager.payouts import outcome_word
from posapp.ui.manager.section import ManagerSection
from tests.ui.test_fits_screen import assert_fits
from tests.ui.test_manager import Clock
from tests.ui.test_payouts_tab import manager, open_payouts  # noqa: F401 (the manager fixture)
from tests.unit import test_gateway_settlement as settlement

# gateway, its button, the file as downloaded, and the outcomes worked by hand (test_gateway_settlement's docstring)
CASES = [
    (
        "alipay",
        "Alipay",
        "20880000000000000156_20260310.csv",
        settlement.ALIPAY.encode("gb18030"),
        {
            ("P-A1", Outcome.PAID),
            ("P-A1", Outcome.REFUND),
            ("P-A2", Outcome.SHORT),
            ("P-A3", Outcome.MISSING),
            ("P-ZZ", Outcome.UNKNOWN),
        },
    ),
    (
        "wechat",
        "WeChat Pay",
        "All_20260310.csv",
        settlement.WECHAT.encode(),
        {("P-W1", Outcome.PAID), ("P-W1", Outcome.REFUND)},
    ),
    (
        "stripe",
        "Stripe (cards)",
        "itemized.csv",
        settlement.STRIPE.encode(),
        {("P-S1", Outcome.PAID), ("P-S2", Outcome.PAID), ("P-S2", Outcome.REFUND)},
    ),
]


@pytest.fixture
def clock() -> Clock:
    clock = Clock()
    clock.now = settlement.NOW
    return clock


@pytest.fixture
def payments(db: Database) -> None:
    settlement._seed(db)  # the payments the counter took on 2026-03-10, some refunded


def import_from(qtbot: Any, section: ManagerSection, gateway: str, name: str) -> None:
    page = section.payouts_page
    assert page is not None
    button = page.platform_buttons[gateway]
    assert button.isVisible() and button.height() >= 48
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert page.platform == gateway
    qtbot.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: section.statement_picker is not None and section.statement_picker.isVisible())
    picker = section.statement_picker
    assert picker is not None
    names = [picker.list.item(i).text().split()[0] for i in range(picker.list.count())]
    item = picker.list.item(names.index(name))
    qtbot.mouseClick(
        picker.list.viewport(), Qt.MouseButton.LeftButton, pos=picker.list.visualItemRect(item).center()
    )


@pytest.mark.parametrize(("gateway", "label", "name", "data", "outcomes"), CASES, ids=[c[0] for c in CASES])
def test_a_gateways_settlement_file_is_imported_and_matched_to_our_payments(
    db: Database,
    clock: Clock,
    qtbot: Any,
    qloop: Any,
    arun: Any,
    manager: None,  # noqa: F811
    payments: None,
    tmp_path: Path,
    gateway: str,
    label: str,
    name: str,
    data: bytes,
    outcomes: set[tuple[str, Outcome]],
) -> None:
    (tmp_path / name).write_bytes(data)
    section = open_payouts(db, clock, qtbot, tmp_path)
    page = section.payouts_page
    assert page is not None
    assert page.platform_buttons[gateway].text() == label
    import_from(qtbot, section, gateway, name)
    qtbot.waitUntil(lambda: page.table.rowCount() > 0, timeout=10000)
    assert name in page.status.text()
    rows = [[page.table.item(r, c).text() for c in range(7)] for r in range(page.table.rowCount())]
    lines = [r for r in rows if r[0] != "Total"]
    assert {r[1] for r in lines} == {label}
    words = {outcome_word(o): o for o in Outcome}
    shown = {(re.sub(r"^#\S+ · ", "", r[2]), words[r[0]]) for r in lines}
    assert shown == outcomes
    [imported] = [e for e in arun(AuditService(db).entries(limit=20)) if e.action == "payout_import"]
    assert f'"platform": "{gateway}"' in (imported.detail or "")


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_the_gateways_beside_the_platforms_fit_a_1024_by_768_screen(
    db: Database,
    clock: Clock,
    qtbot: Any,
    qloop: Any,
    manager: None,  # noqa: F811
    tmp_path: Path,
    language: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(SCREEN_ENV, "1024x768")
    install_language(language)
    try:
        section = open_payouts(db, clock, qtbot, tmp_path)
        page = section.payouts_page
        assert page is not None
        assert_fits(qtbot, section, *page.platform_buttons.values(), page.import_button)
        if language == "zh_CN":
            shown = [page.platform_buttons[g].text() for g in ("alipay", "wechat", "stripe")]
            assert shown == ["支付宝", "微信支付", "Stripe(银行卡)"]
            words = [
                w.text() for w in page.findChildren(QLabel) + page.findChildren(QPushButton) if w.isVisible()
            ]
            assert not [w for w in words if "payment gateway" in w]
    finally:
        install_language("en")
