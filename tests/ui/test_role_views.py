"""Who may see what at the counter: an own-website order with a whole phone and an address, as the cashier's
queue card and detail view show it (masked phone), as a manager signed in to the manager section sees it (as
given), and as a kitchen's queue shows it (first name only, no phone, no address)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from posapp.app import PosApp
from posapp.domain.order import Customer, Fulfillment
from posapp.domain.roles import Role
from posapp.ui.dialogs import OrderDetailDialog
from posapp.ui.main_window import MainWindow
from posapp.ui.queue_model import QueueModel
from tests.factories import make_order
from tests.integration.apps import demo_app

PHONE = "13812345678"
ADDRESS = "上海市徐汇区漕溪北路88号"


@pytest.fixture
def app(qtbot: Any, arun: Any, data_dir: Path) -> Iterator[PosApp]:
    posapp = demo_app(data_dir, language="en")
    arun(posapp.start())
    yield posapp
    if posapp._manager is not None:
        posapp._manager.close()
    assert posapp.window is not None
    posapp.window.close()
    arun(posapp.stop())


def own_order() -> Any:
    return make_order(
        platform="own",
        fulfillment=Fulfillment.DELIVERY,
        customer=Customer(name="John Smith", phone_masked=PHONE, address=ADDRESS),
        notes=f"call {PHONE} at the gate",
    )


def card_text(window: MainWindow, order: Any) -> str:
    """What the queue card paints (the delegate's body lines)."""
    return "\n".join(text for text, _font, _kind in window.delegate._lines(order))


def detail_text(qtbot: Any, arun: Any, app: PosApp, order_id: int) -> str:
    assert app.controller is not None
    arun(app.controller.open_detail(order_id))
    dialog = app.controller.dialog
    assert isinstance(dialog, OrderDetailDialog)
    qtbot.waitUntil(dialog.isVisible)
    text = "\n".join(w.text() for w in dialog.findChildren(QLabel))
    dialog.close()
    return text


def test_the_cashier_sees_a_masked_phone_and_a_signed_in_manager_what_was_given(
    qtbot: Any, arun: Any, app: PosApp
) -> None:
    assert app.window is not None
    order_id = arun(app.intake.ingest(own_order())).order_id
    qtbot.waitUntil(lambda: app.window is not None and app.window.model.row_of(order_id) >= 0)
    model = app.window.model
    card = card_text(app.window, model.order_at(model.row_of(order_id)))
    assert "John Smith" in card and PHONE not in card and "138****5678" in card  # the note's number
    cashier = detail_text(qtbot, arun, app, order_id)
    assert "138****5678" in cashier and PHONE not in cashier and ADDRESS in cashier

    section = app.manager
    assert section is not None
    section.open()
    for digit in "1234":  # the demo manager's PIN
        qtbot.mouseClick(section.pinpad.buttons[digit], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(section.pinpad.buttons["OK"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: section.user is not None, timeout=10000)
    manager = detail_text(qtbot, arun, app, order_id)
    assert PHONE in manager and ADDRESS in manager
    section.lock()
    assert PHONE not in detail_text(qtbot, arun, app, order_id)  # locked: the cashier's view again
    assert app.controller is not None
    app.controller.viewer = Role.KITCHEN  # a counter PC in the kitchen
    kitchen = detail_text(qtbot, arun, app, order_id)
    assert "John" in kitchen and "Smith" not in kitchen and ADDRESS not in kitchen
    assert PHONE not in kitchen and "138****5678" in kitchen  # only the note's number, masked
    assert "Phone" not in kitchen and "Address" not in kitchen  # no empty rows for what is not shown


def test_a_kitchen_queue_shows_the_first_name_only(qtbot: Any) -> None:
    model = QueueModel(sight=Role.KITCHEN)
    window = MainWindow(model)
    qtbot.addWidget(window)
    model.reset_orders([own_order()])
    order = model.order_at(0)
    text = card_text(window, order)
    assert "John" in text and "Smith" not in text and PHONE not in text and ADDRESS not in text
    assert "138****5678" in text  # the note keeps its meaning, not the number
    assert order.customer is not None and (order.customer.phone_masked, order.customer.address) == (
        None,
        None,
    )
