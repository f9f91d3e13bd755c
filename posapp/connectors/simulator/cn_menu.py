"""Makes a generated order read like one from a Chinese platform: Chinese dish, option and customer names."""

from __future__ import annotations

from typing import Any

_DISHES = {
    "Kung Pao Chicken": "宫保鸡丁",
    "Beef Chow Fun": "干炒牛河",
    "Pork Dumplings (8)": "猪肉水饺(8个)",
    "Veggie Spring Rolls": "素春卷",
    "Hot & Sour Soup": "酸辣汤",
    "Iced Lemon Tea": "冻柠檬茶",
    "Mapo Tofu": "麻婆豆腐",
}
_OPTIONS = {
    "No onions": "不要葱",
    "Extra spicy": "特辣",
    "Add egg": "加蛋",
    "Large": "大份",
    "no MSG": "不要味精",
}
_NOTES = {"Allergy: peanuts": "花生过敏!", "Ring the bell please": "到了请打电话"}
_NAMES = {"Alex": "赵先生", "Maria": "刘女士", "Sam": "孙先生", "Jordan": "周小姐"}


def sinicize(order: dict[str, Any]) -> None:
    """Rename English dishes, options, notes and names in place; prices and totals stay as they are."""
    for item in order["items"]:
        item["name"] = _DISHES.get(item["name"], item["name"])
        item["note"] = _OPTIONS.get(item.get("note") or "", item.get("note"))
        for mod in item.get("modifiers") or []:
            mod["name"] = _OPTIONS.get(mod["name"], mod["name"])
    order["notes"] = _NOTES.get(order.get("notes") or "", order.get("notes"))
    customer = order.get("customer") or {}
    if customer.get("name") in _NAMES:
        customer["name"] = _NAMES[customer["name"]]
