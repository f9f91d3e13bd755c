"""A NEW card counts down to its platform's auto-cancel, drawn on every paint over the card's cached picture;
the accept alarm sounds as the cancel nears and escalates in its last 90 seconds."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from typing import Any

from PySide6.QtWidgets import QApplication

from posapp.domain.autocancel import DOCUMENTED, windows
from posapp.domain.order import OrderStatus
from posapp.ui.alerts import AlertController
from posapp.ui.main_window import MainWindow
from posapp.ui.queue_model import QueueModel
from tests.factories import make_order

NOON = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)


def test_defaults_come_from_the_docs_and_settings_override_or_add() -> None:
    assert DOCUMENTED["ubereats"].minutes == 11.5
    got = windows({"meituan": 5, "ubereats": None, "doordash": 0})
    assert got == {"ubereats": timedelta(minutes=11.5), "meituan": timedelta(minutes=5)}


def test_the_countdown_is_drawn_per_paint_over_the_cached_picture(qtbot: Any) -> None:
    now = [NOON]
    model = QueueModel()
    window = MainWindow(model, clock=lambda: now[0])
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    delegate = window.delegate
    delegate.set_auto_cancel(windows({}))
    uber = dataclasses.replace(make_order(platform="ubereats", placed_at=NOON - timedelta(minutes=4)), id=1)
    meituan = dataclasses.replace(make_order(platform="meituan", placed_at=NOON - timedelta(minutes=4)), id=2)
    model.reset_orders([uber, meituan])
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: model.rowCount() == 2)
    assert delegate.countdown(uber) is not None and delegate.countdown(uber)[0] == "Auto-cancel in 7:30"
    assert delegate.countdown(meituan) is None  # no documented window, none configured: no line at all
    assert delegate._lines(uber)[0][2] == "cancel" and all(
        k != "cancel" for _, _, k in delegate._lines(meituan)
    )

    window.view.viewport().repaint()
    QApplication.processEvents()
    picture = delegate._pictures[1][2]
    index = model.index(0)
    rect = window.view.visualRect(index)
    line = delegate._countdown_rect(rect)

    def shot() -> Any:
        return window.view.viewport().grab(line).toImage()

    before = shot()
    drawn: list[int] = []
    card = delegate._paint_card
    delegate._paint_card = lambda p, r, order, *a: (drawn.append(order.id), card(p, r, order, *a))[1]  # type: ignore[method-assign]
    now[0] += timedelta(minutes=5)  # 2:30 left: red (the card was already past the accept alarm)
    window.view.viewport().repaint()
    after = shot()
    assert drawn == [] and delegate._pictures[1][2] is picture  # the picture was reused ...
    assert before != after  # ... and the countdown moved on and changed colour
    text, colour = delegate.countdown(uber)  # type: ignore[misc]
    assert text == "Auto-cancel in 2:30" and colour.name() == window.palette_.late.lower()
    now[0] += timedelta(minutes=3)
    assert delegate.countdown(uber)[0] == "Past the platform's auto-cancel time"  # type: ignore[index]
    accepted = dataclasses.replace(uber, status=OrderStatus.ACCEPTED)
    assert delegate.countdown(accepted) is None and all(
        k != "cancel" for _, _, k in delegate._lines(accepted)
    )


def test_the_alarm_sounds_near_the_cancel_and_escalates(qtbot: Any) -> None:
    now = [NOON]
    model = QueueModel()
    alerts = AlertController(model, clock=lambda: now[0], accept_alarm=timedelta(minutes=30))
    alerts.auto_cancel = windows({"meituan": 5})
    said: list[tuple[str, bool]] = []
    alerts.alarmText.connect(lambda text, escalated: said.append((text, escalated)))
    order = dataclasses.replace(make_order(platform="meituan", placed_at=NOON - timedelta(minutes=1)), id=7)
    model.reset_orders([order])
    alerts.refresh()
    assert not alerts.alarming  # 4 minutes left: the chime only
    now[0] += timedelta(minutes=1, seconds=30)  # 2:30 left
    alerts.refresh()
    assert alerts.alarming and said[-1] == (
        f"Accept now — Meituan #{order.display_id} is auto-cancelled in 2:30",
        False,
    )
    now[0] += timedelta(seconds=75)  # 1:15 left
    alerts.refresh()
    assert said[-1][1] is True and "1:15" in said[-1][0]
    model.reset_orders([dataclasses.replace(order, status=OrderStatus.ACCEPTED)])
    alerts.refresh()
    assert not alerts.alarming
