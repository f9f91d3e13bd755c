"""The counter's Busy button: one tap for +N minutes, each platform's answer on screen, the status strip while
on, back to normal; "Needs 10 more min" in an order's detail; the recovery line in the strip."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtWidgets import QLabel

from posapp.connectors import registry
from posapp.domain.order import Order
from posapp.services.busy import BusyService
from posapp.services.hub import Hub, Notice
from posapp.services.intake import IntakeService
from posapp.services.planner import JobPlanner
from posapp.store import audit
from posapp.store import orders as repo
from posapp.store.db import Database
from posapp.ui.busy import BusyControl
from posapp.ui.dialogs import OrderDetailDialog
from posapp.ui.main_window import MainWindow
from posapp.ui.queue_model import QueueModel
from tests.factories import make_order


@pytest.fixture
def rig(qtbot: Any, qloop: Any, db: Database) -> tuple[MainWindow, BusyControl, BusyService]:
    window = MainWindow(QueueModel())
    qtbot.addWidget(window)
    hub = Hub()
    connectors = {
        n: registry.make(n, base_url="http://127.0.0.1:9") for n in ("meituan", "ubereats", "doordash")
    }
    busy = BusyService(db, hub, lambda: connectors)
    control = BusyControl(window, busy, qloop.create_task, user=lambda: "anna")
    hub.on_notice(control.on_notice)
    return window, control, busy


def test_one_tap_busy_shows_each_platform_and_the_strip_then_back_to_normal(
    rig: Any, qtbot: Any, db: Database
) -> None:
    window, control, busy = rig
    qtbot.mouseClick(control.button, pytest.importorskip("PySide6.QtCore").Qt.MouseButton.LeftButton)
    dialog = control.dialog
    assert dialog is not None
    answers = dialog.answers.text()
    assert "✔ Uber Eats" in answers and "✔ DoorDash" in answers and "✖ Meituan" in answers
    dialog.minutes.button(20).click()
    dialog.durations.button(1).click()  # for 1 hour
    dialog.start_button.click()
    qtbot.waitUntil(lambda: busy.state.on, timeout=5000)
    assert busy.state.extra_minutes == 20 and busy.state.until is not None
    strip = window.status_text("busy")
    assert strip.startswith("Busy +20 min until ") and "sent to Uber Eats, DoorDash" in strip
    assert control.button.text() == "Busy +20 min"
    assert dialog.normal_button.isEnabled()
    dialog.normal_button.click()
    qtbot.waitUntil(lambda: not busy.state.on, timeout=5000)
    assert window.status_text("busy") == "" and control.button.text() == "Busy"
    actions = [(e.action, e.by) for e in db.call(lambda s: audit.entries(s, limit=5))]
    assert ("busy_on", "anna") in actions and ("busy_off", "anna") in actions
    busy.stop()


def stored(db: Database, arun: Any, platform: str) -> Order:
    oid = arun(IntakeService(db, Hub(), JobPlanner()).ingest(make_order(platform=platform))).order_id
    return db.call(lambda s: repo.get_order(s, oid))


def test_needs_ten_more_minutes_answers_in_the_order_detail(
    rig: Any, qtbot: Any, db: Database, arun: Any
) -> None:
    window, control, busy = rig
    uber = stored(db, arun, "ubereats")
    dialog = OrderDetailDialog(uber, [], window.tz, window)
    qtbot.addWidget(dialog)
    control.add_to_detail(dialog)
    button = dialog.findChild(type(control.button), "orderDelay")
    assert button is not None and button.minimumHeight() >= 48  # a finger-sized target
    button.click()
    said = dialog.findChild(QLabel, "detailResult")
    qtbot.waitUntil(lambda: said.text() != "", timeout=5000)
    assert "✔ Uber Eats" in said.text() and busy.order_extra == {uber.id: 10}
    meituan = stored(db, arun, "meituan")
    other = OrderDetailDialog(meituan, [], window.tz, window)
    qtbot.addWidget(other)
    control.add_to_detail(other)
    other.findChild(type(control.button), "orderDelay").click()
    other_said = other.findChild(QLabel, "detailResult")
    qtbot.waitUntil(lambda: other_said.text() != "", timeout=5000)
    assert "✖ Meituan" in other_said.text() and meituan.id not in busy.order_extra


def test_recovered_orders_show_in_the_strip(qtbot: Any) -> None:
    window = MainWindow(QueueModel())
    qtbot.addWidget(window)
    window.on_notice(Notice("recovery:meituan", "", "info", {"platform": "meituan", "count": 3}))
    assert window.status_text("recovery:meituan") == "Recovered 3 orders from Meituan"
    window.on_notice(
        Notice("recovery:ubereats", "x", "warning", {"platform": "ubereats", "count": None, "error": "503"})
    )
    assert window.status_text("recovery:ubereats") == "Could not ask Uber Eats for missed orders"
