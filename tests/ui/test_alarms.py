"""The accept alarm escalates until every overdue order is accepted; it never times out by itself."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from typing import Any

from PySide6.QtGui import QColor

from posapp.domain.order import Order, OrderStatus
from posapp.services.clock import Clock
from posapp.ui.alerts import AlertController
from posapp.ui.controller import QueueController
from posapp.ui.main_window import MainWindow
from posapp.ui.queue_model import QueueModel
from posapp.ui.theme import DARK
from tests.factories import make_order


class SimulatedClock:
    """The store's clock (posapp.services.clock.Clock) that a test moves by hand."""

    def __init__(self) -> None:
        self.now = datetime(2026, 3, 6, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def counter(qtbot: Any, clock: Clock) -> tuple[QueueModel, MainWindow, AlertController]:
    model = QueueModel()
    window = MainWindow(model, clock=clock)
    qtbot.addWidget(window)
    alerts = AlertController(model, clock=clock, accept_alarm=timedelta(minutes=3))
    alerts._timer.stop()  # the test is the clock: it calls refresh() itself
    QueueController(window, orders=None, kitchen=None, alerts=alerts, platforms=[])  # type: ignore[arg-type]
    window.show()
    return model, window, alerts


def run_for(clock: SimulatedClock, window: MainWindow, alerts: AlertController, minutes: int) -> None:
    for _ in range(minutes * 2):  # every 30 simulated seconds, as the window's and the alerts' ticks would
        clock.advance(seconds=30)
        alerts.refresh()
        window._on_tick()


def test_the_accept_alarm_still_shows_after_ten_minutes_and_escalates(qtbot: Any) -> None:
    clock = SimulatedClock()
    model, window, alerts = counter(qtbot, clock)
    order = dataclasses.replace(make_order(platform="meituan", placed_at=clock.now), id=7, display_id="1")
    model.reset_orders([order])
    alerts.refresh()
    assert not window.alarm_banner.isVisible()
    run_for(clock, window, alerts, 3)
    assert window.alarm_banner.isVisible()
    assert "Meituan #1" in window.alarm_banner.text()
    assert window.alarm_banner.property("escalated") is False
    window.show_message("Sent to the printer", "info")  # another message comes and goes meanwhile
    run_for(clock, window, alerts, 10)
    assert not window.banner.isVisible()
    assert window.alarm_banner.isVisible()
    assert "waiting 13 min" in window.alarm_banner.text()
    assert window.alarm_banner.property("escalated") is True
    model.upsert(dataclasses.replace(order, status=OrderStatus.ACCEPTED))
    alerts.refresh()
    assert not window.alarm_banner.isVisible()


def test_an_overdue_new_card_turns_red_with_the_alarm(qtbot: Any) -> None:
    clock = SimulatedClock()
    _model, window, _alerts = counter(qtbot, clock)
    order: Order = dataclasses.replace(make_order(placed_at=clock.now), id=8)
    assert window.delegate._timer(order)[1] == QColor(DARK.ok)
    clock.advance(minutes=2)
    assert window.delegate._timer(order)[1] == QColor(DARK.warn)
    clock.advance(minutes=1)
    assert window.delegate._timer(order)[1] == QColor(DARK.late)  # 3 min: the alarm's threshold, not 20
