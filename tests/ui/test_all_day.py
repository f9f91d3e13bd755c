"""All day counts one dish once whatever platform spells it, and the queue says when it is filtered by one."""

from __future__ import annotations

import dataclasses
from typing import Any

from PySide6.QtCore import Qt

from posapp.domain.kitchen import all_day_counts, dish_key
from posapp.domain.order import LineItem
from posapp.ui.main_window import MainWindow
from posapp.ui.queue_model import QueueModel
from tests.factories import make_order


def test_one_dish_however_it_is_spelled() -> None:
    assert dish_key("Hot & Sour Soup") == dish_key(" hot and sour  SOUP") == dish_key("Hot&Sour Soup")
    assert dish_key("猪肉水饺（8个）") == dish_key("猪肉水饺(8个)")  # full-width brackets
    assert dish_key("宫保鸡丁") != dish_key("Hot & Sour Soup")
    aliases = {dish_key("酸辣汤"): dish_key("Hot & Sour Soup")}  # the menu catalogue's mapping
    totals = all_day_counts(
        [
            make_order(platform="meituan", items=(LineItem("酸辣汤", 2, 1200),)),
            make_order(platform="ubereats", items=(LineItem("Hot & Sour Soup", 1, 595),)),
            make_order(platform="doordash", items=(LineItem("hot and sour soup", 1, 595),)),
        ],
        aliases,
    )
    assert [(x.quantity, x.orders) for x in totals] == [(4, 3)]


def orders(*names: str) -> list[Any]:
    return [
        dataclasses.replace(make_order(platform=p, items=(LineItem(n, 1, 100),)), id=i)
        for i, (p, n) in enumerate(zip(("ubereats", "doordash", "meituan", "own"), names, strict=False), 1)
    ]


def test_all_day_merges_platforms_and_the_filter_shows_and_survives_a_rebuild(qtbot: Any) -> None:
    model = QueueModel()
    window = MainWindow(model)
    qtbot.addWidget(window)
    window.show()
    model.reset_orders(orders("Hot & Sour Soup", "Hot&Sour soup", "Mapo Tofu"))
    window.toggle_all_day()
    assert window.all_day_rows() == ["2 × Hot & Sour Soup", "1 × Mapo Tofu"]
    row = window.all_day.item(1)
    qtbot.mouseClick(
        window.all_day.viewport(), Qt.MouseButton.LeftButton, pos=window.all_day.visualItemRect(row).center()
    )
    assert sorted(o.id for o in window.visible_orders()) == [1, 2]  # both platforms' soup
    assert window.dish_filter.isVisible() and "Hot && Sour Soup" in window.dish_filter.text()
    assert window.accept_all.text() == "Accept 2 shown"
    model.upsert(dataclasses.replace(make_order(items=(LineItem("Mapo Tofu", 1, 100),)), id=9))  # a new order
    assert window.all_day_rows() == ["2 × Hot & Sour Soup", "2 × Mapo Tofu"]
    assert window.all_day.item(1).isSelected()  # still marked after the list was rebuilt
    qtbot.mouseClick(window.dish_filter, Qt.MouseButton.LeftButton)
    assert len(window.visible_orders()) == 4 and not window.dish_filter.isVisible()
