"""The simulated platforms' menus, as each one's menu API lists them (the catalogue import's other side).

Written from the platforms' docs independently of ``posapp.connectors.menus``: Meituan's food/list (yuan
prices, ``skus`` as a JSON text), Ele.me's queryItemByPage and getShopCategories, Uber Eats' v2 Get Menu.
"""

from __future__ import annotations

import json
from typing import Any

from posapp.connectors.simulator.generator import DISHES_EN, DISHES_ZH

CN_CATEGORIES = {
    "wok": "热菜",
    "dim sum": "点心",
    "noodles": "面食",
    "rice": "米饭",
    "soup": "汤",
    "drinks": "饮品",
    "cold": "凉菜",
}


def sku_of(name: str) -> str:
    """The id the simulator's orders give a dish (generator.make_order's ``sku``)."""
    return f"SKU-{abs(hash(name)) % 10000:04d}"


def meituan_foods() -> list[dict[str, Any]]:
    """food/list's ``data``: one food per dish, price in yuan, ``skus`` as Meituan sends it (JSON text)."""
    return [
        {
            "app_poi_code": "",
            "app_food_code": sku_of(name),
            "name": name,
            "price": price / 100,
            "category_name": CN_CATEGORIES.get(category, category),
            "skus": json.dumps([{"sku_id": sku_of(name), "price": str(price / 100), "stock": "*"}]),
            "is_sold_out": 0,
        }
        for name, category, price in DISHES_ZH
    ]


def eleme_categories() -> list[dict[str, Any]]:
    return [{"id": 1000 + i, "name": zh} for i, zh in enumerate(CN_CATEGORIES.values())]


def eleme_items(offset: int, limit: int) -> list[dict[str, Any]]:
    """queryItemByPage's result: items with their specs (price in yuan), one page."""
    ids = {zh: c["id"] for zh, c in zip(CN_CATEGORIES.values(), eleme_categories(), strict=True)}
    items = [
        {
            "id": 200000 + i,
            "name": name,
            "categoryId": ids.get(CN_CATEGORIES.get(category, ""), 0),
            "specs": [{"specId": 300000 + i, "name": "", "price": price / 100, "stock": 9999, "onShelf": 1}],
        }
        for i, (name, category, price) in enumerate(DISHES_ZH)
    ]
    return items[offset : offset + limit]


def uber_menu() -> dict[str, Any]:
    """Get Menu's body: menus, categories naming their items, items with price_info in cents."""
    categories: dict[str, list[str]] = {}
    items = []
    for name, category, price in DISHES_EN:
        item_id = sku_of(name)
        categories.setdefault(category, []).append(item_id)
        items.append(
            {
                "id": item_id,
                "title": {"translations": {"en_us": name}},
                "price_info": {"price": price},
                "external_data": f"pos:{item_id}",
            }
        )
    return {
        "menus": [
            {
                "id": "all-day",
                "title": {"translations": {"en_us": "All day"}},
                "category_ids": list(categories),
            }
        ],
        "categories": [
            {
                "id": category,
                "title": {"translations": {"en_us": category.title()}},
                "entities": [{"id": i, "type": "ITEM"} for i in ids],
            }
            for category, ids in categories.items()
        ],
        "items": items,
        "modifier_groups": [],
    }
