"""All day counts one dish once whatever platform spells it, and the queue says when it is filtered by one."""

from __future__ import annotations

import dataclasses
from typing import Any

from PySide6.QtCore import Qt

from posapp.domain.kitchen import MenuIndex, all_day_counts, dish_key
from posapp.domain.menu import Dish, PlatformIds
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


def soup_orders() -> list[Any]:
    """The same soup from three platforms, two of them under names that share no letters."""
    lines = [
        ("meituan", LineItem("酸辣汤", 2, 1200, sku="MT-SOUP")),
        ("ubereats", LineItem("Sour Soup (spicy)", 1, 595, sku="uber-77")),
        ("doordash", LineItem("Hot & Sour Soup", 1, 595)),  # no id the catalogue knows: by its name
        ("meituan", LineItem("Mapo Tofu", 1, 1800, sku="MT-TOFU")),
    ]
    return [
        dataclasses.replace(make_order(platform=p, items=(item,)), id=i)
        for i, (p, item) in enumerate(lines, 1)
    ]


SOUP = Dish(
    "Hot & Sour Soup",
    platforms={"meituan": PlatformIds("MT-SOUP"), "ubereats": PlatformIds("uber-item", "uber-77")},
)


def test_all_day_counts_one_dish_by_the_catalogues_ids_whatever_each_platform_calls_it() -> None:
    menu = MenuIndex.of([SOUP])
    totals = all_day_counts(soup_orders(), menu=menu)
    assert [(x.name, x.quantity, x.orders) for x in totals] == [
        ("Hot & Sour Soup", 4, 3),
        ("Mapo Tofu", 1, 1),
    ]
    without = all_day_counts(soup_orders())  # no catalogue: three different names
    assert len(without) == 4


def test_the_window_counts_and_filters_by_the_catalogue_once_it_is_given(qtbot: Any) -> None:
    model = QueueModel()
    window = MainWindow(model)
    qtbot.addWidget(window)
    window.show()
    model.reset_orders(soup_orders())
    window.toggle_all_day()
    assert len(window.all_day_rows()) == 4
    window.set_menu(MenuIndex.of([SOUP]))
    assert window.all_day_rows() == ["4 × Hot & Sour Soup", "1 × Mapo Tofu"]
    row = window.all_day.item(1)
    qtbot.mouseClick(
        window.all_day.viewport(), Qt.MouseButton.LeftButton, pos=window.all_day.visualItemRect(row).center()
    )
    assert sorted(o.id for o in window.visible_orders()) == [1, 2, 3]


def test_the_counter_reads_the_catalogue_when_all_day_opens(qtbot: Any, arun: Any, tmp_path: Any) -> None:
    from tests.integration.apps import demo_app

    app = demo_app(tmp_path / "data")
    arun(app.start())
    try:
        assert app.window is not None and app.engine.catalogue is not None
        for order in soup_orders():
            arun(app.on_engine(app.engine.intake.ingest(dataclasses.replace(order, id=None))))
        qtbot.waitUntil(lambda: app.window is not None and app.window.model.rowCount() == 4, timeout=5000)
        arun(app.on_engine(app.engine.catalogue.save(SOUP, by="manager")))  # mapped in Shop setup → Menu
        app.window.toggle_all_day()
        qtbot.waitUntil(
            lambda: app.window is not None and app.window.all_day_rows()[:1] == ["4 × Hot & Sour Soup"],
            timeout=5000,
        )
    finally:
        if app.window is not None:
            app.window.close()
        arun(app.stop())
