"""Every window and dialog fits the screen it is on, with its main action and its way out in view.

The screen is simulated: ``POSAPP_SCREEN=WxH`` makes ``posapp.ui.fit`` take that as the screen's free area
(the offscreen platform's own screen is 800×600 and cannot change inside one test session). A window fits
when its frame lies inside that area, it is no smaller than its layout's minimum (nothing squeezed), and each
named button is shown whole: inside the window and not clipped by any scroll area or parent.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QPushButton,
    QWidget,
)

from posapp.app import AppOptions, PosApp
from posapp.config import Settings
from posapp.services.hub import Notice
from posapp.ui.fit import SCREEN_ENV, available_geometry
from posapp.ui.i18n import install_language
from posapp.ui.queue_model import QueueModel
from posapp.ui.screen.window import ScreenWindow

TARGETS = (QAbstractButton, QLineEdit, QComboBox, QAbstractSpinBox)  # what a finger must hit
SCREENS = [
    pytest.param((QSize(1024, 768), 1.0, "en"), id="1024x768-en"),
    pytest.param((QSize(1024, 768), 1.0, "zh_CN"), id="1024x768-zh"),
    pytest.param((QSize(1920, 1080), 1.5, "en"), id="1920x1080-text1.5"),
    pytest.param((QSize(3840, 2160), 2.0, "zh_CN"), id="3840x2160-text2.0-zh"),
]


def shown_whole(widget: QWidget) -> bool:
    """The widget is visible and no part of it is cut off by its window or any parent."""
    if not widget.isVisible():
        return False
    window = widget.window()
    rect = QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())
    parent = widget.parentWidget()
    while parent is not None and parent is not window:
        if not QRect(parent.mapTo(window, QPoint(0, 0)), parent.size()).contains(rect):
            return False
        parent = parent.parentWidget()
    return window.rect().contains(rect)


def assert_fits(qtbot: Any, window: QWidget, *buttons: QWidget | None) -> None:
    qtbot.waitUntil(window.isVisible)
    qtbot.wait(30)  # layouts settle
    area = available_geometry(window)
    name = type(window).__name__
    assert area.contains(window.frameGeometry()), f"{name} {window.frameGeometry()} is outside {area}"
    hint = window.minimumSizeHint()
    assert hint.width() <= window.width() and hint.height() <= window.height(), (
        f"{name} needs {hint} but has {window.size()}"
    )
    for button in buttons:
        assert button is not None
        label = button.text() if isinstance(button, QPushButton) else button.objectName()
        assert shown_whole(button), f"{name}: {label!r} is not fully on screen"
    cut = [b.text() for b in window.findChildren(QPushButton) if b.isVisible() and not label_fits(b)]
    assert cut == [], f"{name}: button labels cut short"
    small = [
        f"{type(w).__name__} {w.objectName() or getattr(w, 'text', lambda: '')()!r} {w.width()}×{w.height()}"
        for w in window.findChildren(QWidget)
        if isinstance(w, TARGETS) and w.isVisible() and min(w.width(), w.height()) < 48
    ]
    assert small == [], f"{name}: touch targets under 48 px"


def label_fits(button: QPushButton) -> bool:
    """Not squeezed below the width its label and its style's padding need."""
    metrics = button.fontMetrics()
    widest = max((metrics.horizontalAdvance(line) for line in button.text().split("\n")), default=0)
    return widest <= button.contentsRect().width() - 8 and button.width() >= button.sizeHint().width() - 2


@pytest.fixture(params=SCREENS)
def screen(request: Any, monkeypatch: pytest.MonkeyPatch) -> tuple[QSize, float, str]:
    size, scale, language = request.param
    monkeypatch.setenv(SCREEN_ENV, f"{size.width()}x{size.height()}")
    return size, scale, language


@pytest.fixture
def app(qtbot: Any, arun: Any, data_dir: Path, screen: tuple[QSize, float, str]) -> Iterator[PosApp]:
    _size, scale, language = screen
    posapp = PosApp(
        AppOptions(
            data_dir=data_dir,
            demo=True,
            sim_rate_per_minute=0,
            sim_prefill=8,
            language=language,
            settings=Settings(font_scale=scale),
        )
    )
    arun(posapp.start())
    yield posapp
    assert posapp.window is not None
    posapp.window.close()
    arun(posapp.stop())
    install_language("en")  # the next test (in this process) reads English again


def test_the_queue_window_fits_with_every_store_wide_button(qtbot: Any, app: PosApp) -> None:
    window = app.window
    assert window is not None
    qtbot.waitUntil(lambda: window.model.rowCount() >= 8, timeout=10000)
    window.on_notice(Notice("store", "", data={"paused": True}))  # the longest status strip
    window.on_notice(Notice("quarantine", "", data={"count": 3}))
    qtbot.wait(50)
    assert_fits(
        qtbot,
        window,
        window.accept_all,
        window.all_day_button,
        window.recall_button,
        window.sold_out_button,
        window.new_order_button,
        window.manager_button,
        window.pause_button,
        window.settings_button,
        window.search,
    )
    window.toggle_all_day()
    window.search.setText("王")  # its clear button shows
    qtbot.wait(30)
    assert_fits(qtbot, window, window.accept_all, window.settings_button, window.all_day)


def test_kiosk_fills_the_screen_it_is_on(qtbot: Any, app: PosApp, screen: tuple[QSize, float, str]) -> None:
    window = app.window
    assert window is not None
    window.showFullScreen()
    qtbot.waitUntil(lambda: window.size() == screen[0])
    window.showNormal()


def test_order_detail_refund_and_reason_dialogs_fit(qtbot: Any, arun: Any, app: PosApp) -> None:
    window, controller = app.window, app.controller
    assert window is not None and controller is not None
    qtbot.waitUntil(lambda: window.model.rowCount() >= 8, timeout=10000)
    order = max(window.model.orders(), key=lambda o: len(o.items))
    assert order.id is not None
    arun(controller.open_detail(order.id))
    detail = controller.dialog
    assert_fits(
        qtbot,
        detail,
        detail.close_button,
        detail.findChild(QPushButton, "action-accept"),
        detail.findChild(QPushButton, "refund"),
        detail.findChild(QPushButton, "print-receipt"),
    )
    detail.findChild(QPushButton, "refund").click()
    refund = controller.dialog
    assert refund is not detail
    assert_fits(qtbot, refund, refund.close_button, refund.pinpad.buttons["OK"], refund.amount)
    field = refund.amount.lineEdit()  # the amount itself is readable, not squeezed to nothing
    assert field.width() >= field.fontMetrics().horizontalAdvance(field.text())
    refund.close()
    detail.close()
    controller.ask_reason(order.id, "reject")
    reason = controller.dialog
    assert_fits(qtbot, reason, reason.close_button, *reason.findChildren(QPushButton))
    reason.close()


def test_settings_printers_recall_and_sold_out_fit(qtbot: Any, arun: Any, app: PosApp) -> None:
    window, controller = app.window, app.controller
    assert window is not None and controller is not None
    controller.open_settings()
    settings = controller.dialog
    assert_fits(
        qtbot,
        settings,
        settings.close_button,
        settings.findChild(QPushButton, "apply"),
        settings.findChild(QPushButton, "printers"),
    )
    settings.close()
    printers = app.open_printers()
    assert_fits(qtbot, printers, printers.close_button, printers.test_button, printers.table)
    printers.close()
    arun(controller.open_recall())
    recall = controller.dialog
    assert_fits(qtbot, recall, recall.close_button)
    recall.close()
    arun(controller.open_sold_out())
    sold_out = controller.dialog
    assert_fits(qtbot, sold_out, sold_out.close_button)
    sold_out.close()


def test_manual_order_fits_with_its_total_and_place_order(qtbot: Any, app: PosApp) -> None:
    dialog = app.open_manual_order()
    for button in dialog.menu_buttons[:3]:
        button.click()
    assert_fits(
        qtbot,
        dialog,
        dialog.place_button,
        dialog.cancel_button,
        dialog.total_label,
        dialog.name,
        dialog.phone,
        dialog.notes,
        *dialog.pay_buttons.values(),
    )
    dialog.close()


def test_manager_fits_locked_and_unlocked_with_lock_and_print(qtbot: Any, app: PosApp) -> None:
    section = app.manager
    assert section is not None
    section.open()
    assert_fits(qtbot, section, section.pinpad.buttons["OK"], section.pinpad.buttons["0"])
    for digit in "1234":
        qtbot.mouseClick(section.pinpad.buttons[digit], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(section.pinpad.buttons["OK"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not section.is_locked, timeout=10000)
    page = section.view.report_page
    qtbot.waitUntil(lambda: page.report is not None, timeout=10000)
    assert_fits(qtbot, section, section.lock_button, page.print_button, page.export_button, page.day)
    for index in range(section.view.count()):
        section.view.setCurrentIndex(index)
        assert_fits(qtbot, section, section.lock_button)
    section.lock()
    section.close()


def test_a_kitchen_screen_window_fits(qtbot: Any, screen: tuple[QSize, float, str]) -> None:
    window = ScreenWindow(QueueModel(), station=None, name="counter-2", scale=screen[1])
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    assert_fits(qtbot, window, window.accept_all)
