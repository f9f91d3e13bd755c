"""A card is drawn once and then painted from its picture: after one order changes, a repaint draws that one
card again and only repaints the others' timers; the timer still moves on every card."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from typing import Any

from PySide6.QtWidgets import QApplication

from posapp.domain.order import OrderStatus
from posapp.services.hub import ChangeKind, OrderChange
from posapp.ui.main_window import MainWindow
from posapp.ui.queue_model import QueueModel
from tests.factories import make_order


def test_a_repaint_after_one_change_draws_only_that_card_and_every_timer(qtbot: Any) -> None:
    now = [datetime(2026, 12, 4, 12, 0, tzinfo=UTC)]
    model = QueueModel()
    window = MainWindow(model, clock=lambda: now[0])
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    placed = now[0] - timedelta(minutes=3)
    model.reset_orders(
        [dataclasses.replace(make_order(platform="meituan", placed_at=placed), id=i) for i in range(1, 7)]
    )
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: window.view.isVisible() and model.rowCount() == 6)
    QApplication.processEvents()
    delegate = window.delegate
    window.view.viewport().repaint()  # every visible card drawn once (if the exposure has not already)
    painted: list[int] = []
    drawn: list[int] = []
    timers: list[str] = []
    paint, card, rect = delegate.paint, delegate._paint_card, delegate._timer_rect
    delegate.paint = lambda p, o, index: (painted.append(1), paint(p, o, index))[1]  # type: ignore[method-assign]
    delegate._paint_card = lambda p, r, order, *a: (drawn.append(order.id), card(p, r, order, *a))[1]  # type: ignore[method-assign]
    delegate._timer_rect = lambda r, text: (timers.append(text), rect(r, text))[1]  # type: ignore[method-assign]

    changed = dataclasses.replace(model.order_at(0), status=OrderStatus.ACCEPTED)
    model.apply_change(OrderChange(ChangeKind.STATUS, changed, previous_status="new"))
    now[0] += timedelta(seconds=5)
    window.view.viewport().repaint()
    assert len(painted) >= 3, "several cards on screen"
    assert drawn == [changed.id]  # the others come from their pictures
    assert len(timers) == len(painted) and set(timers) == {"3:05"}  # every visible timer moved on
