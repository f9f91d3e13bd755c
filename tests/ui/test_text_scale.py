"""The text size setting (up to 2.0 on a 4K counter) scales the text, and every box it is painted in grows with
it: nothing is cut. (tests/ui/test_fits_screen.py opens every window at 3840×2160 with text size 2.0.)"""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from PySide6.QtCore import QRect
from PySide6.QtGui import QFontMetrics

from posapp.ui.card_delegate import CardDelegate
from posapp.ui.main_window import MainWindow
from posapp.ui.queue_model import QueueModel
from tests.factories import make_order


def pixels(widget: Any) -> int:
    return int(widget.fontInfo().pixelSize())


def test_the_text_size_setting_scales_the_counters_text(qtbot: Any) -> None:
    sizes = {}
    for scale in (1.0, 2.0):
        window = MainWindow(QueueModel(), scale=scale)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        d = window.delegate
        sizes[scale] = [pixels(window.accept_all), pixels(window.search), pixels(window.pause_button)]
        sizes[scale] += [d.f_item.pixelSize(), d.f_number.pixelSize(), d.f_button.pixelSize(), d.card_width]
    for small, large in zip(sizes[1.0], sizes[2.0], strict=True):
        assert abs(large - 2 * small) <= 2, sizes


@pytest.mark.parametrize("scale", [1.0, 1.5, 2.0])
def test_a_card_holds_its_number_badges_timer_and_buttons_at_every_text_size(
    qtbot: Any, scale: float
) -> None:
    d = CardDelegate(scale=scale)
    order = dataclasses.replace(make_order(), id=1)
    card = QRect(0, 0, d.card_width, d.sizeHint(None, _Index(order)).height())  # type: ignore[arg-type]
    number, badge, timer, button = (
        QFontMetrics(f).height() for f in (d.f_number, d.f_badge, d.f_timer, d.f_button)
    )
    assert number <= d.HEADER  # the display number
    assert 2 * badge <= d.HEADER - 16  # platform over state, one line each, neither overlapping
    assert d._timer_rect(card, "88:88").height() >= timer
    for rect, _action in d.button_rects(card, order):
        assert rect.height() >= button + 8
        assert rect.bottom() <= card.bottom()


class _Index:
    """Just enough of a model index for sizeHint: the order under OrderRole."""

    def __init__(self, order: Any) -> None:
        self.order = order

    def data(self, _role: int) -> Any:
        return self.order
