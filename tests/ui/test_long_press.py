"""Every cut text ("…") can be read whole: a finger resting on it shows it, and lifting that finger taps nothing."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QToolTip

from posapp.domain.order import LineItem
from posapp.ui.main_window import MainWindow
from posapp.ui.queue_model import QueueModel
from posapp.ui.widgets import ElidedLabel, LongPress
from tests.factories import make_order

# The offscreen platform cannot raise a tooltip's window above others; it still shows it.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support raise")

LONG_DISH = "Braised pork belly with preserved mustard greens, steamed in a clay pot with chestnuts"


def rest_finger(qtbot: Any, widget: Any, at: QPoint) -> None:
    QTest.mousePress(widget, Qt.MouseButton.LeftButton, pos=at)
    qtbot.wait(LongPress.DELAY_MS + 200)


def test_a_long_press_on_a_cut_label_shows_its_whole_text(qtbot: Any) -> None:
    label = ElidedLabel()
    qtbot.addWidget(label)
    label.setText(LONG_DISH)
    label.resize(160, 40)
    label.show()
    qtbot.waitExposed(label)
    assert label.is_elided()
    rest_finger(qtbot, label, label.rect().center())
    qtbot.waitUntil(lambda: QToolTip.isVisible() and QToolTip.text() == LONG_DISH)
    QTest.mouseRelease(label, Qt.MouseButton.LeftButton, pos=label.rect().center())
    QToolTip.hideText()


def test_a_long_press_on_a_cut_card_line_shows_it_whole_and_opens_no_detail(qtbot: Any) -> None:
    window = MainWindow(QueueModel())
    qtbot.addWidget(window)
    window.resize(1024, 768)
    window.show()
    qtbot.waitExposed(window)
    order = dataclasses.replace(make_order(items=(LineItem(LONG_DISH, 1, 4800),)), id=7)
    window.model.upsert(order)
    qtbot.waitUntil(lambda: window.proxy.rowCount() == 1)
    opened: list[int] = []
    window.detailRequested.connect(opened.append)
    viewport = window.view.viewport()
    index = window.proxy_index(7)
    rect = window.view.visualRect(index)
    delegate = window.delegate
    line = next(
        QPoint(rect.left() + 40, y)
        for y in range(rect.top(), rect.bottom())
        if delegate.full_text_at(rect, order, QPoint(rect.left() + 40, y)) == f"1 × {LONG_DISH}"
    )
    rest_finger(qtbot, viewport, line)
    qtbot.waitUntil(lambda: QToolTip.isVisible() and LONG_DISH in QToolTip.text())
    QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=line)
    qtbot.wait(300)
    assert opened == []  # the finger read the line; it did not tap the card
    QToolTip.hideText()
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=line)
    qtbot.waitUntil(lambda: opened == [7])  # a tap still opens it


def test_a_card_line_that_fits_has_nothing_more_to_show(qtbot: Any) -> None:
    window = MainWindow(QueueModel())
    qtbot.addWidget(window)
    order = dataclasses.replace(make_order(items=(LineItem("Tea", 1, 300),)), id=8)
    rect = QRect(0, 0, 340, 400)  # one card
    texts = {
        window.delegate.full_text_at(rect, order, QPoint(40, y)) for y in range(rect.top(), rect.bottom())
    }
    assert "1 × Tea" not in texts
    assert any(text.startswith("#") for text in texts)  # the header always reads in full


def test_a_long_press_on_a_cut_station_mark_on_the_expo_reads_the_station_whole(qtbot: Any) -> None:
    from posapp.domain.order import OrderStatus
    from posapp.ui.screen.cards import EXPO
    from posapp.ui.screen.window import ScreenWindow

    window = ScreenWindow(QueueModel(), station=EXPO)
    qtbot.addWidget(window)
    window.resize(1024, 768)
    window.show()
    qtbot.waitExposed(window)
    order = dataclasses.replace(make_order(), id=5, status=OrderStatus.PREPARING)
    long_station = "cold appetisers, salads and the dessert counter by the window"
    window.cards.marks[5] = {"grill": True, long_station: False}
    window.model.upsert(order)
    qtbot.waitUntil(lambda: window.proxy.rowCount() == 1)
    rect = window.view.visualRect(window.proxy_index(5))
    cards = window.cards
    chips = cards._chips(rect.adjusted(6, 6, -6, -6), order)
    (short, _, _), (cut, _, _) = chips
    assert cards.full_text_at(rect, order, short.center()) == ""  # "✓ GRILL" fits
    assert cards.full_text_at(rect, order, cut.center()) == f"○ {long_station.upper()}"
    rest_finger(qtbot, window.view.viewport(), cut.center())
    qtbot.waitUntil(lambda: QToolTip.isVisible() and long_station.upper() in QToolTip.text())
    QTest.mouseRelease(window.view.viewport(), Qt.MouseButton.LeftButton, pos=cut.center())
    QToolTip.hideText()
