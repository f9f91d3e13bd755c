"""End to end: simulator over loopback -> connector -> SQLite -> the real window -> a tap -> restart."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QObject, Qt
from sqlalchemy import text

from posapp.app import PosApp
from posapp.domain.lifecycle import Action
from posapp.domain.order import OrderStatus
from posapp.store import orders as repo
from posapp.ui.main_window import MainWindow
from tests.integration.apps import demo_app


def start_app(arun: Any, data_dir: Path, prefill: int = 0) -> PosApp:
    app = demo_app(data_dir, prefill=prefill)
    arun(app.start())
    return app


def stop_app(arun: Any, app: PosApp) -> None:
    assert app.window is not None
    app.window.close()
    arun(app.stop())


def click_action(qtbot: Any, window: MainWindow, order_id: int, action: Action) -> None:
    target = window.button_rect(order_id, action)
    qtbot.mouseClick(window.view.viewport(), Qt.MouseButton.LeftButton, pos=target.center())


def test_simulated_order_appears_in_the_window(qtbot: Any, arun: Any, data_dir: Path) -> None:
    app = start_app(arun, data_dir)
    try:
        assert app.window is not None and app.simulator is not None
        made = arun(app.simulator.emit("demo"))[0]
        qtbot.waitUntil(lambda: app.window.model.rowCount() == 1, timeout=10000)
        shown = app.window.model.order_at(0)
        assert shown.external_id == made["external_id"]
        assert [i.name for i in shown.items] == [i["name"] for i in made["items"]]
        assert app.window.counts.text().startswith("NEW 1")
    finally:
        stop_app(arun, app)


def test_tap_accept_stores_accepted_with_event_and_survives_restart(
    qtbot: Any, arun: Any, data_dir: Path
) -> None:
    app = start_app(arun, data_dir, prefill=3)
    try:
        window = app.window
        assert window is not None
        qtbot.waitUntil(lambda: window.model.rowCount() == 3, timeout=10000)
        order = window.model.order_at(1)
        assert order.id is not None
        click_action(qtbot, window, order.id, Action.ACCEPT)
        qtbot.waitUntil(
            lambda: window.model.order_at(window.model.row_of(order.id)).status is OrderStatus.ACCEPTED
        )
        assert app.db is not None
        events = app.db.call(lambda s: repo.events_for(s, order.id))
        assert [(e.from_status, e.to_status, e.by) for e in events][-1] == ("new", "accepted", "kitchen")
        # The platform hears about it through the durable push queue.
        assert app.simulator is not None
        qtbot.waitUntil(lambda: len(app.simulator.pushes_for("demo", order.external_id)) == 1, timeout=10000)
        assert app.simulator.pushes_for("demo", order.external_id)[0].body["action"] == "accept"
    finally:
        stop_app(arun, app)

    again = start_app(arun, data_dir)
    try:
        assert again.window is not None
        row = again.window.model.row_of(order.id)
        assert row >= 0
        assert again.window.model.order_at(row).status is OrderStatus.ACCEPTED
        assert again.db is not None
        with again.db.engine.connect() as conn:
            assert (
                conn.execute(text("SELECT status FROM orders WHERE id = :i"), {"i": order.id}).scalar()
                == "accepted"
            )
    finally:
        stop_app(arun, again)


def test_refused_tap_shows_a_message_and_changes_nothing(qtbot: Any, arun: Any, data_dir: Path) -> None:
    app = start_app(arun, data_dir, prefill=1)
    try:
        window = app.window
        assert window is not None
        qtbot.waitUntil(lambda: window.model.rowCount() == 1, timeout=10000)
        order = window.model.order_at(0)
        window.intent.emit(order.id, "ready")  # a stale button: the lifecycle refuses
        qtbot.waitUntil(window.banner.isVisible)
        assert "cannot ready an order that is new" in window.banner.text()
        assert window.model.order_at(0).status is OrderStatus.NEW
    finally:
        stop_app(arun, app)


class PaintCounter(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False


def test_window_keeps_repainting_while_200_orders_flood_in(qtbot: Any, arun: Any, data_dir: Path) -> None:
    app = start_app(arun, data_dir)
    try:
        window = app.window
        assert window is not None and app.simulator is not None
        counter = PaintCounter()
        window.view.viewport().installEventFilter(counter)
        arun(app.simulator.emit("demo", n=200))
        paints_during_flood: list[int] = []

        def progressed() -> bool:
            rows = window.model.rowCount()
            if 0 < rows < 200:
                paints_during_flood.append(counter.count)
            return rows == 200

        qtbot.waitUntil(progressed, timeout=60000)
        # Frames were painted while orders were still arriving: the GUI thread never waited for the flood.
        assert len(set(paints_during_flood)) >= 3
        assert app.db is not None
        assert app.db.call(repo.order_count) == 200
    finally:
        stop_app(arun, app)


@pytest.fixture(autouse=True)
def _no_leftover_loop_tasks() -> Any:
    yield
    assert asyncio.get_event_loop() is not None
