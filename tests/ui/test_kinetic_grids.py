"""The manual order's dishes and the sold-out toggles scroll by drag; a drag taps nothing, a tap still does."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QScrollArea, QScroller

from posapp.services.manual import MenuEntry
from posapp.ui.dialogs import SoldOutDialog
from posapp.ui.manual_order import ManualOrderDialog

DISHES = [f"Dish {i}" for i in range(40)]


def drag(qtbot: Any, area: QScrollArea, button: QAbstractButton, distance: int) -> None:
    """A finger put down on ``button`` and pulled up by ``distance`` px, the way a cook flicks a list."""
    start = button.rect().center()
    QTest.mousePress(button, Qt.MouseButton.LeftButton, pos=start)
    for step in range(1, 11):
        QTest.mouseMove(button, start - QPoint(0, step * distance // 10))
        qtbot.wait(10)
    QTest.mouseRelease(button, Qt.MouseButton.LeftButton, pos=start - QPoint(0, distance))
    qtbot.waitUntil(
        lambda: QScroller.scroller(area.viewport()).state() == QScroller.State.Inactive, timeout=5000
    )


def test_a_drag_through_the_dishes_scrolls_them_and_adds_nothing(qtbot: Any) -> None:
    dialog = ManualOrderDialog([MenuEntry(name, 300, None) for name in DISHES], "CNY")
    qtbot.addWidget(dialog)
    dialog.resize(1024, 768)
    dialog.show()
    qtbot.waitExposed(dialog)
    bar = dialog.menu_scroll.verticalScrollBar()
    assert bar.maximum() > 200  # more dishes than fit
    drag(qtbot, dialog.menu_scroll, dialog.menu_buttons[6], 240)
    assert bar.value() > 100
    assert dialog.lines == []
    visible = next(b for b in dialog.menu_buttons if b.visibleRegion().boundingRect().height() == b.height())
    qtbot.mouseClick(visible, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(dialog.lines) == 1)  # a tap still adds the dish


def test_a_drag_through_the_sold_out_toggles_scrolls_them_and_marks_nothing(qtbot: Any) -> None:
    dialog = SoldOutDialog([(name, None, True) for name in DISHES])
    qtbot.addWidget(dialog)
    dialog.resize(1024, 768)
    dialog.show()
    qtbot.waitExposed(dialog)
    changed: list[tuple[str, bool]] = []
    dialog.availabilityChanged.connect(lambda name, available: changed.append((name, available)))
    area = dialog.toggles_scroll
    bar = area.verticalScrollBar()
    assert bar.maximum() > 200
    drag(qtbot, area, dialog.toggles["Dish 9"], 240)
    assert bar.value() > 100
    assert dialog.armed is None and not any(b.isChecked() for b in dialog.toggles.values()) and changed == []
    visible = next(
        b for b in dialog.toggles.values() if b.visibleRegion().boundingRect().height() == b.height()
    )
    qtbot.mouseClick(visible, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.armed is not None)  # a tap still arms the toggle
