"""The bump bar is a keyboard: its keys drive the queue and never type into a text field by accident."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from posapp.app import PosApp
from posapp.domain.order import OrderStatus
from posapp.store import orders as repo
from tests.factories import make_order
from tests.integration.apps import demo_app


@pytest.fixture
def app(qtbot: Any, arun: Any, data_dir: Path) -> Iterator[PosApp]:
    posapp = demo_app(data_dir, language="en")
    arun(posapp.start())
    assert posapp.window is not None
    posapp.window.activateWindow()
    qtbot.waitUntil(posapp.window.isActiveWindow)
    yield posapp
    posapp.window.close()
    arun(posapp.stop())


def add(arun: Any, app: PosApp, minutes_ago: int, **kwargs: Any) -> int:
    placed = datetime.now(UTC) - timedelta(minutes=minutes_ago)
    return arun(app.intake.ingest(make_order(platform="demo", placed_at=placed, **kwargs))).order_id


def status_of(app: PosApp, order_id: int) -> OrderStatus:
    assert app.db is not None
    return app.db.call(lambda s: repo.get_order(s, order_id)).status


def press(qtbot: Any, *keys: Qt.Key) -> None:
    """Keys as a bump bar sends them: to whatever has the keyboard focus."""
    for key in keys:
        target = QApplication.focusWidget()
        assert target is not None
        qtbot.keyClick(target, key)


def test_focus_starts_on_the_queue_and_digit_enter_bumps_that_card(
    qtbot: Any, arun: Any, app: PosApp
) -> None:
    window = app.window
    assert window is not None
    first = add(arun, app, 3)
    second = add(arun, app, 2)
    qtbot.waitUntil(lambda: window.model.rowCount() == 2)
    assert QApplication.focusWidget() is not window.search
    press(qtbot, Qt.Key.Key_2, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: status_of(app, second) is OrderStatus.ACCEPTED)
    assert status_of(app, first) is OrderStatus.NEW
    assert window.search.text() == ""
    assert len(window.visible_orders()) == 2  # nothing was filtered by the keys


def test_a_tapped_search_takes_the_keys_and_enter_gives_them_back(qtbot: Any, arun: Any, app: PosApp) -> None:
    window = app.window
    assert window is not None
    first = add(arun, app, 3)
    second = add(arun, app, 2)
    qtbot.waitUntil(lambda: window.model.rowCount() == 2)
    qtbot.mouseClick(window.search, Qt.MouseButton.LeftButton)
    assert QApplication.focusWidget() is window.search
    press(qtbot, Qt.Key.Key_1, Qt.Key.Key_Return)
    assert window.search.text() == "1"  # typed where the cook tapped
    qtbot.wait(200)
    assert status_of(app, first) is OrderStatus.NEW and status_of(app, second) is OrderStatus.NEW  # no bump
    assert QApplication.focusWidget() is window.view  # Enter ended the typing
    window.search.clear()
    press(qtbot, Qt.Key.Key_1, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: status_of(app, first) is OrderStatus.ACCEPTED)


def test_search_gives_the_keys_back_after_a_while_without_typing(qtbot: Any, app: PosApp) -> None:
    window = app.window
    assert window is not None
    window._search_idle.setInterval(50)
    qtbot.mouseClick(window.search, Qt.MouseButton.LeftButton)
    press(qtbot, Qt.Key.Key_7)
    qtbot.waitUntil(lambda: QApplication.focusWidget() not in (window.search, None))


def test_accept_all_says_how_many_it_accepts_and_accepts_exactly_those(
    qtbot: Any, arun: Any, app: PosApp
) -> None:
    window = app.window
    assert window is not None
    ids = [add(arun, app, 5 - i, external_id=f"AA-{i}") for i in range(4)]
    qtbot.waitUntil(lambda: window.model.rowCount() == 4)
    assert window.accept_all.text() == "Accept all (4)"
    number = window.model.order_at(window.model.row_of(ids[2])).display_id
    window.search.setText(number)  # a filter: only one card shows
    shown = [o.id for o in window.visible_orders()]
    assert window.accept_all.text() == f"Accept {len(shown)} shown"
    qtbot.mouseClick(window.accept_all, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: all(status_of(app, i) is OrderStatus.ACCEPTED for i in shown))
    qtbot.wait(200)
    assert [i for i in ids if status_of(app, i) is OrderStatus.NEW] == [i for i in ids if i not in shown]
