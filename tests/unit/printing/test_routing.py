"""Routing: which station printer gets which items of an order."""

from __future__ import annotations

from posapp.config import PrinterSettings
from posapp.domain.lifecycle import Action
from posapp.domain.order import LineItem
from posapp.services.hub import Hub
from posapp.services.printing import PRINT_KIND, PrintService
from posapp.store.db import Database
from posapp.store.stations import MenuRoute
from tests.factories import make_order

ITEMS = (
    LineItem("宫保鸡丁", 1, 3200, sku="KP1"),
    LineItem("Mango Smoothie", 1, 1800, sku="DRK-9"),
    LineItem("珍珠奶茶", 1, 1500),
    LineItem("Cola", 1, 500, category="Drinks"),
    LineItem("冰淇淋", 1, 900, category="甜品"),
)


def service(db: Database, *printers: PrinterSettings) -> PrintService:
    svc = PrintService(db, Hub(), printers, routes={"drinks": "bar", "甜品": "dessert"})
    svc.router.load_menu(
        [
            MenuRoute("Mango Smoothie (large)", "DRK-9", "Drinks", "bar"),
            MenuRoute("珍珠奶茶", None, "饮品", "bar"),
        ]
    )
    return svc


def test_items_go_to_the_station_of_their_sku_name_or_category(db: Database) -> None:
    svc = service(
        db,
        PrinterSettings("hot", "file:/dev/null", role="kitchen"),
        PrinterSettings("bar", "file:/dev/null", role="bar"),
        PrinterSettings("sweets", "file:/dev/null", role="dessert"),
        PrinterSettings("counter", "file:/dev/null", role="counter"),
    )
    assert svc.route(make_order(items=ITEMS)) == {"hot": [0], "bar": [1, 2, 3], "sweets": [4]}


def test_a_station_without_a_printer_falls_back_to_the_kitchen_printer(db: Database) -> None:
    svc = service(db, PrinterSettings("hot", "file:/dev/null", role="kitchen"))
    assert svc.route(make_order(items=ITEMS)) == {"hot": [0, 1, 2, 3, 4]}


def test_two_printers_with_one_role_both_print_and_the_counter_prints_no_kitchen_ticket(db: Database) -> None:
    svc = service(
        db,
        PrinterSettings("line1", "file:/dev/null", role="kitchen"),
        PrinterSettings("line2", "file:/dev/null", role="kitchen"),
        PrinterSettings("counter", "file:/dev/null", role="counter"),
    )
    order = make_order(items=ITEMS[:1])
    specs = svc.plan(order, Action.ACCEPT, "kitchen", None)
    assert [(kind, target, lane) for kind, target, lane, _ in specs] == [
        (PRINT_KIND, "line1", "line1"),
        (PRINT_KIND, "line2", "line2"),
    ]
    assert specs[0][3] == {
        "doc": "kitchen",
        "station": "kitchen",
        "items": [0],
        "reprint": False,
        "reason": None,
        "by": "kitchen",
    }
    assert svc.plan(order, Action.START, "kitchen", None) == []
    assert svc.plan(order, None, "meituan", None) == []


def test_no_printers_no_print_jobs(db: Database) -> None:
    assert service(db).plan(make_order(), Action.ACCEPT, "kitchen", None) == []
