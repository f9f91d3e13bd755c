"""The counter's order form takes an offer code: Apply shows what it takes off and the new total, Place order
uses it once; a used code is refused in the form's error line and the draft stays (pytest-qt, 1024x768)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from posapp.domain.money import Money
from posapp.domain.offers import format_code
from posapp.services.manual import DEFAULT_QUICK_MENU
from posapp.store import orders as repo
from posapp.store.db import Database
from posapp.ui.manual_order import ManualOrderDialog
from tests.offer_fixtures import DUMPLINGS, MANAGER, Shop, draft, offer


@pytest.fixture
def shop(db: Database, tmp_path: Path, arun: Any) -> Iterator[Shop]:
    s = Shop(db, tmp_path)
    yield s
    arun(s.worker.stop())


def form(shop: Shop, qtbot: Any) -> ManualOrderDialog:
    dialog = ManualOrderDialog(
        DEFAULT_QUICK_MENU, "CNY", lambda d: shop.manual.create(d), check_code=shop.manual.check_code
    )
    qtbot.addWidget(dialog)
    dialog.resize(1024, 768)
    dialog.show()
    return dialog


def a_code(shop: Shop, arun: Any) -> str:
    arun(shop.offers.save(offer({"new"}), by=MANAGER))
    first = arun(shop.manual.create(draft(DUMPLINGS))).order_id
    issued = shop.issue(first)
    assert issued is not None
    return format_code(issued.code)


def test_apply_shows_the_discount_and_place_stores_it_once(shop: Shop, arun: Any, qtbot: Any) -> None:
    code = a_code(shop, arun)
    dialog = form(shop, qtbot)
    noodles = next(e for e in DEFAULT_QUICK_MENU if e.sku == "BN1")  # ¥36.00
    dialog.add_item(noodles)
    dialog.add_item(noodles)  # ¥72.00
    qtbot.keyClicks(dialog.code, code.lower())
    assert dialog.apply_button.height() >= 48
    qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.code_result.text() == f"−{Money(720, 'CNY')}")
    assert dialog.total_label.text() == f"Total {Money(6480, 'CNY')}"
    dialog.add_item(noodles)  # ¥108.00: the code is asked again, 10 % is now ¥10.80
    qtbot.waitUntil(lambda: dialog.code_result.text() == f"−{Money(1080, 'CNY')}")
    with qtbot.waitSignal(dialog.accepted, timeout=5000):
        qtbot.mouseClick(dialog.place_button, Qt.MouseButton.LeftButton)
    last = shop.db.call(lambda s: repo.get_order(s, 2))
    assert (last.totals.subtotal, last.totals.discount, last.totals.total) == (10800, 1080, 9720)

    again = form(shop, qtbot)
    again.add_item(noodles)
    qtbot.keyClicks(again.code, code)
    qtbot.mouseClick(again.place_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: again.error.isVisible())
    assert again.error.text() == f"Code {code} has been used already, on order #M-002."
    assert again.isVisible() and len(again.lines) == 1  # nothing lost: the cashier removes the code
    again.code.clear()
    with qtbot.waitSignal(again.accepted, timeout=5000):
        qtbot.mouseClick(again.place_button, Qt.MouseButton.LeftButton)


def test_a_mistyped_code_is_refused_at_apply_with_the_reason(shop: Shop, arun: Any, qtbot: Any) -> None:
    code = a_code(shop, arun)
    dialog = form(shop, qtbot)
    dialog.add_item(DEFAULT_QUICK_MENU[0])
    typo = code[:-1] + ("2" if code[-1] != "2" else "3")
    qtbot.keyClicks(dialog.code, typo)
    qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.error.isVisible())
    assert dialog.error.text() == "This code is not valid: check it for a typo."
    assert dialog.code_result.text() == "" and dialog.total_label.text() == f"Total {Money(3200, 'CNY')}"
