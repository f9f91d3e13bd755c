"""Touch on the queue: a double tap is one action, a drag scrolls and opens nothing, alerts float over the
cards instead of pushing them from under the finger."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from posapp.app import PosApp
from posapp.domain.lifecycle import Action
from posapp.domain.order import OrderStatus
from posapp.store import orders as repo
from posapp.ui.widgets import TapGuard
from tests.factories import make_order
from tests.integration.apps import demo_app


@pytest.fixture
def app(qtbot: Any, arun: Any, data_dir: Path) -> Iterator[PosApp]:
    posapp = demo_app(data_dir, language="en")
    arun(posapp.start())
    assert posapp.window is not None
    posapp.window.resize(1024, 768)
    yield posapp
    posapp.window.close()
    arun(posapp.stop())


def add(arun: Any, app: PosApp, minutes_ago: float = 1) -> int:
    placed = datetime.now(UTC) - timedelta(minutes=minutes_ago)
    return arun(app.intake.ingest(make_order(platform="demo", placed_at=placed))).order_id


def status_of(app: PosApp, order_id: int) -> OrderStatus:
    assert app.db is not None
    return app.db.call(lambda s: repo.get_order(s, order_id)).status


def test_a_double_tap_on_accept_accepts_and_does_not_start(qtbot: Any, arun: Any, app: PosApp) -> None:
    window = app.window
    assert window is not None
    moment = [0.0]  # the guard's clock: frozen at the first tap until the test moves it
    window.tap_guard = TapGuard(now=lambda: moment[0])
    order_id = add(arun, app)
    qtbot.waitUntil(lambda: window.model.row_of(order_id) >= 0)
    accept = window.button_rect(order_id, Action.ACCEPT).center()
    viewport = window.view.viewport()
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=accept)
    qtbot.waitUntil(lambda: shown(window, order_id) == [Action.START])  # the tap's answer: Start appears
    assert window.button_rect(order_id, Action.START).contains(accept)  # right under the finger
    moment[0] += 0.2  # the second tap of the double tap, 0.2 s after the first
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=accept)
    qtbot.wait(300)
    assert status_of(app, order_id) is OrderStatus.ACCEPTED
    moment[0] += 1.0  # a deliberate tap, a second later, still works
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=accept)
    qtbot.waitUntil(lambda: status_of(app, order_id) is OrderStatus.PREPARING)


def shown(window: Any, order_id: int) -> list[Action]:
    order = window.proxy_index(order_id).data(Qt.ItemDataRole.UserRole + 1)
    return [a for _, a in window.delegate.button_rects(window.card_rect(order_id), order)]


def test_a_drag_scrolls_the_queue_and_opens_no_card(qtbot: Any, arun: Any, app: PosApp) -> None:
    window, controller = app.window, app.controller
    assert window is not None and controller is not None
    for i in range(16):
        add(arun, app, minutes_ago=20 - i)
    qtbot.waitUntil(lambda: window.model.rowCount() == 16)
    viewport = window.view.viewport()
    bar = window.view.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 300)
    tapped: list[int] = []
    window.detailRequested.connect(tapped.append)
    start = QPoint(viewport.width() // 4, viewport.height() - 60)  # on a card body, not on its buttons
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, pos=start)
    for step in range(1, 21):
        QTest.mouseMove(viewport, start - QPoint(0, step * 20))
        qtbot.wait(10)
    QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=start - QPoint(0, 400))
    qtbot.waitUntil(lambda: bar.value() > 100)
    qtbot.wait(400)
    assert tapped == [] and controller.dialog is None


def test_a_tap_on_a_card_still_opens_its_detail(qtbot: Any, arun: Any, app: PosApp) -> None:
    window = app.window
    assert window is not None
    order_id = add(arun, app)
    qtbot.waitUntil(lambda: window.model.row_of(order_id) >= 0)
    with qtbot.waitSignal(window.detailRequested, timeout=3000) as opened:
        qtbot.mouseClick(
            window.view.viewport(),
            Qt.MouseButton.LeftButton,
            pos=window.card_rect(order_id).topLeft() + QPoint(40, 110),
        )
    assert opened.args == [order_id]


def test_banners_and_the_undo_bar_float_over_the_cards(qtbot: Any, arun: Any, app: PosApp) -> None:
    window = app.window
    assert window is not None
    order_id = add(arun, app)
    qtbot.waitUntil(lambda: window.model.row_of(order_id) >= 0)
    before = window.view.mapTo(window, QPoint(0, 0))
    window.show_message("Kitchen printer offline", "error")
    window.offer_undo(order_id, "Demo #1 → Cooking")
    window.set_alarm("Accept now — the platform will cancel: Demo #1 (waiting 3 min)")
    qtbot.waitUntil(lambda: window.banner.isVisible() and window.undo_bar.isVisible())
    qtbot.wait(50)
    assert window.view.mapTo(window, QPoint(0, 0)) == before  # the queue did not move
    assert window.alarm_banner.isVisible()


def test_a_drag_through_the_recall_list_recalls_nothing(qtbot: Any) -> None:
    import dataclasses
    from datetime import UTC as utc

    from PySide6.QtWidgets import QScroller

    from posapp.ui.dialogs import RecallDialog

    orders = [dataclasses.replace(make_order(), id=i) for i in range(1, 13)]
    dialog = RecallDialog(orders, utc)
    qtbot.addWidget(dialog)
    dialog.show()
    chosen: list[int] = []
    dialog.recallChosen.connect(chosen.append)
    viewport = dialog.list.viewport()
    start = dialog.list.visualItemRect(dialog.list.item(3)).center()
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, pos=start)
    for step in range(1, 5):  # a short swipe: the row moves with the finger and is under it at the end
        QTest.mouseMove(viewport, start - QPoint(0, step * 10))
        qtbot.wait(10)
    QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=start - QPoint(0, 40))
    qtbot.wait(300)
    assert chosen == []
    qtbot.waitUntil(lambda: QScroller.scroller(viewport).state() == QScroller.State.Inactive)
    item = dialog.list.item(5)
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=dialog.list.visualItemRect(item).center())
    qtbot.waitUntil(lambda: chosen == [6])  # a tap still recalls


def test_a_swipe_that_ends_on_a_card_opens_nothing_when_there_is_nothing_to_scroll(
    qtbot: Any, arun: Any, app: PosApp
) -> None:
    window = app.window
    assert window is not None
    order_id = add(arun, app)
    qtbot.waitUntil(lambda: window.model.row_of(order_id) >= 0)
    tapped: list[int] = []
    window.detailRequested.connect(tapped.append)
    viewport = window.view.viewport()
    card = window.card_rect(order_id)
    start = card.topLeft() + QPoint(30, 110)
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, pos=start)
    for step in range(1, 6):
        QTest.mouseMove(viewport, start + QPoint(step * 12, 0))  # sideways: the queue only scrolls up/down
        qtbot.wait(10)
    QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=start + QPoint(60, 0))
    qtbot.wait(300)
    assert card.contains(start + QPoint(60, 0)) and tapped == []
