"""What an action did shows where the person is looking; store-wide actions ask, show their state, undo."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from posapp.app import PosApp
from posapp.domain.lifecycle import Action
from posapp.domain.order import LineItem, OrderStatus
from posapp.ui.dialogs import ConfirmDialog, OrderDetailDialog, ReasonDialog, SoldOutDialog
from posapp.ui.refund import RefundDialog
from tests.factories import make_order
from tests.integration.apps import demo_app


@pytest.fixture
def app(qtbot: Any, arun: Any, data_dir: Path) -> Iterator[PosApp]:
    posapp = demo_app(data_dir, language="en")
    arun(posapp.start())
    yield posapp
    assert posapp.window is not None
    posapp.window.close()
    arun(posapp.stop())


def add(arun: Any, app: PosApp, **kwargs: Any) -> int:
    return arun(app.intake.ingest(make_order(platform="demo", **kwargs))).order_id


def open_detail(qtbot: Any, arun: Any, app: PosApp, order_id: int) -> OrderDetailDialog:
    assert app.controller is not None
    arun(app.controller.open_detail(order_id))
    dialog = app.controller.dialog
    assert isinstance(dialog, OrderDetailDialog)
    qtbot.waitUntil(dialog.isVisible)
    return dialog


def tap(qtbot: Any, button: QPushButton | None) -> None:
    assert button is not None
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_print_feedback_shows_in_the_detail_dialog_not_behind_it(qtbot: Any, arun: Any, app: PosApp) -> None:
    order_id = add(arun, app)
    detail = open_detail(qtbot, arun, app, order_id)
    tap(qtbot, detail.findChild(QPushButton, "print-receipt"))
    qtbot.waitUntil(
        lambda: detail.result_label.isVisible() and "Sent to the printer" in detail.result_label.text()
    )
    assert app.window is not None and app.window.banner.isHidden()


def test_a_refund_answers_in_the_detail_dialog_which_refreshes(qtbot: Any, arun: Any, app: PosApp) -> None:
    order_id = add(arun, app)
    arun(app.orders.accept(order_id))
    detail = open_detail(qtbot, arun, app, order_id)
    history_before = detail.fields_scroll.widget().layout().rowCount()
    tap(qtbot, detail.findChild(QPushButton, "refund"))
    refund = app.controller.dialog
    assert isinstance(refund, RefundDialog)
    for digit in "1234":  # the demo manager
        tap(qtbot, refund.pinpad.buttons[digit])
    tap(qtbot, refund.pinpad.buttons["OK"])
    qtbot.waitUntil(lambda: "recorded" in detail.result_label.text(), timeout=10000)
    assert not refund.isVisible() and detail.isVisible()
    qtbot.waitUntil(
        lambda: detail.fields_scroll.widget().layout().rowCount() > history_before
    )  # the refund's row
    assert app.window is not None and app.window.banner.isHidden()


def test_the_detail_dialog_follows_the_order(qtbot: Any, arun: Any, app: PosApp) -> None:
    order_id = add(arun, app)
    detail = open_detail(qtbot, arun, app, order_id)
    assert detail.findChild(QPushButton, "action-accept") is not None
    arun(app.orders.accept(order_id))  # from another screen, or the bump bar
    qtbot.waitUntil(lambda: detail.order.status is OrderStatus.ACCEPTED)
    qtbot.waitUntil(lambda: detail.findChild(QPushButton, "action-start") is not None)
    assert "Accepted" in detail.heading.text() and "Demo #" in detail.heading.text()


def test_the_reject_dialog_names_the_order(qtbot: Any, arun: Any, app: PosApp) -> None:
    window, controller = app.window, app.controller
    assert window is not None and controller is not None
    order_id = add(arun, app)
    qtbot.waitUntil(lambda: window.model.row_of(order_id) >= 0)
    number = window.model.order_at(window.model.row_of(order_id)).display_id
    qtbot.mouseClick(
        window.view.viewport(),
        Qt.MouseButton.LeftButton,
        pos=window.button_rect(order_id, Action.REJECT).center(),
    )
    dialog = controller.dialog
    assert isinstance(dialog, ReasonDialog)
    assert dialog.heading.text() == f"Why reject Demo #{number}?"


def test_pause_asks_shows_its_state_and_can_be_undone(qtbot: Any, arun: Any, app: PosApp) -> None:
    window, controller = app.window, app.controller
    assert window is not None and controller is not None and app.simulator is not None
    tap(qtbot, window.pause_button)
    dialog = controller.dialog
    assert isinstance(dialog, ConfirmDialog)
    assert not window.paused and not window.pause_button.isChecked()  # nothing happened yet
    tap(qtbot, dialog.close_button)  # Cancel
    qtbot.wait(200)
    assert not any(p.body.get("action") == "pause" for p in app.simulator.pushes)
    qtbot.wait(600)  # past the tap guard
    tap(qtbot, window.pause_button)
    tap(qtbot, controller.dialog.confirm_button)
    qtbot.waitUntil(lambda: window.paused and window.paused_banner.isVisible())
    assert window.pause_button.text() == "Paused — tap to resume"
    qtbot.waitUntil(lambda: "Store paused" in window.undo_bar.text())
    qtbot.wait(600)
    tap(qtbot, window.undo_bar)
    qtbot.waitUntil(
        lambda: any(p.body.get("action") == "resume" for p in app.simulator.pushes), timeout=10000
    )
    qtbot.waitUntil(lambda: not window.paused, timeout=10000)
    assert window.pause_button.text() == "Pause"


def test_sold_out_takes_a_second_tap_shows_on_the_queue_and_undoes(
    qtbot: Any, arun: Any, app: PosApp
) -> None:
    window, controller = app.window, app.controller
    assert window is not None and controller is not None
    add(arun, app, items=(LineItem("Hot & Sour Soup", 1, 1200, sku="HS1"),))
    tap(qtbot, window.sold_out_button)
    qtbot.waitUntil(lambda: isinstance(controller.dialog, SoldOutDialog))
    dialog = controller.dialog
    button = dialog.toggles["Hot & Sour Soup"]
    assert button.text().startswith("Hot && Sour Soup")  # "&" shown, not taken as a shortcut marker
    tap(qtbot, button)
    assert "Tap again" in button.text() and not button.isChecked()
    qtbot.wait(100)
    assert window.sold_out == []  # one tap changed nothing
    tap(qtbot, button)
    qtbot.waitUntil(lambda: window.sold_out == ["Hot & Sour Soup"], timeout=10000)
    assert window.sold_out_button.text() == "Sold out (1)"
    assert "Hot & Sour Soup" in window.status_text("soldout")
    assert "Hot && Sour Soup sold out" in window.undo_bar.text()
    qtbot.wait(600)
    tap(qtbot, window.undo_bar)
    qtbot.waitUntil(lambda: window.sold_out == [], timeout=10000)
    assert not button.isChecked()
