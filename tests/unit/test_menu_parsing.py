"""Menu answers as each platform sends them, and the malformed or hostile ones: one PayloadError naming what
does not fit, never a half-read dish or a float price."""

from __future__ import annotations

import json
from typing import Any

import pytest

from posapp.connectors.menus import MenuEntry, _fen, _meituan_food, _translated
from posapp.errors import PayloadError


def test_a_meituan_food_with_skus_as_json_text_reads_its_ids_and_yuan_price() -> None:
    food = {
        "app_food_code": "MT-1",
        "name": " 宫保鸡丁 ",
        "price": 32.5,
        "category_name": "热菜",
        "skus": json.dumps([{"sku_id": "MT-1-L", "price": "35.00"}]),
    }
    assert _meituan_food(food, "food 0") == MenuEntry("宫保鸡丁", "MT-1", "MT-1-L", "热菜", 3250)
    no_price = {**food, "price": ""}
    assert _meituan_food(no_price, "food 0").price == 3500  # the first sku's price then


@pytest.mark.parametrize(
    ("food", "says"),
    [
        ({"name": "x"}, "has no id"),
        ({"app_food_code": "A", "name": ""}, "has no name"),
        ({"app_food_code": "A", "name": "x", "skus": "[not json"}, "skus is not JSON"),
        ({"app_food_code": "A", "name": "x", "price": "abc"}, "is not a price"),
        ({"app_food_code": "A", "name": "x", "price": "-1"}, "not a plausible price"),
        ({"app_food_code": "A", "name": "x", "price": "NaN"}, "not a plausible price"),
        ({"app_food_code": True, "name": "x"}, "has no id"),
        ("just text", "is not an object"),
    ],
)
def test_a_malformed_meituan_food_is_one_sentence(food: Any, says: str) -> None:
    with pytest.raises(PayloadError, match=says):
        _meituan_food(food, "美团 food 3")


def test_prices_go_through_decimal_and_huge_names_are_cut() -> None:
    assert _fen("0.1", "p") == 10 and _fen(0.29, "p") == 29 and _fen(None, "p") is None
    with pytest.raises(PayloadError):
        _fen("1e9", "p")
    long = {"app_food_code": "A" * 500, "name": "面" * 1000}
    entry = _meituan_food(long, "food")
    assert len(entry.name) == 256 and len(entry.item_id) == 128


def test_uber_titles_take_the_first_translation_given() -> None:
    assert _translated({"translations": {"zh_cn": "宫保鸡丁", "en_us": "Kung Pao"}}) == "宫保鸡丁"
    assert _translated({"translations": {"en_us": "  "}}) == "" and _translated("Kung Pao") == ""
