"""Who may see what of a customer (kitchen: first name; cashier: masked phone; manager: as given), and how a
customer's personal fields are found and blanked in stored payloads."""

from __future__ import annotations

import json

import pytest

from posapp.domain.order import Customer
from posapp.domain.privacy import (
    Needles,
    customer_for,
    first_name,
    mask_phone,
    mask_phones_in,
    order_for,
    phone_matches,
    scrub_text,
)
from posapp.domain.roles import Role
from tests.factories import make_order

GIVEN = Customer(name="John Smith", phone_masked="+1 415-555-0100", address="12 Elm St, Apt 4", order_count=3)


@pytest.mark.parametrize(
    ("phone", "cashier_sees"),
    [
        ("13812345678", "138****5678"),
        ("138 1234 5678", "138****5678"),
        ("138****5678", "138****5678"),  # masked by the platform already
        ("13800138000,1001", "138****8000,1001"),  # Ele.me relay: the extension alone reaches no one
        ("13812345678_1234", "138****5678_1234"),  # Meituan relay
        ("12345", "****45"),
        ("  ", None),
        (None, None),
    ],
)
def test_a_cashier_sees_a_masked_phone(phone: str | None, cashier_sees: str | None) -> None:
    assert mask_phone(phone) == cashier_sees


def test_each_role_sees_the_customer_as_allowed() -> None:
    assert customer_for(GIVEN, Role.MANAGER) == GIVEN
    cashier = customer_for(GIVEN, Role.CASHIER)
    assert cashier == Customer("John Smith", "141****0100", "12 Elm St, Apt 4", 3)
    assert customer_for(GIVEN, Role.KITCHEN) == Customer(name="John")
    assert customer_for(Customer(phone_masked="13812345678"), Role.KITCHEN) is None  # no name: nothing
    assert first_name("王先生") == "王先生" and first_name("  ") is None


def test_order_for_the_kitchen_drops_phone_address_raw_and_masks_a_number_in_the_notes() -> None:
    order = make_order(customer=GIVEN, notes="ring 13812345678 at the gate", raw={"phone": "13812345678"})
    kitchen = order_for(order, Role.KITCHEN)
    assert kitchen.customer == Customer(name="John")
    assert kitchen.notes == "ring 138****5678 at the gate" and kitchen.raw is None
    assert kitchen.totals == order.totals and kitchen.items == order.items
    assert order_for(order, Role.MANAGER) is order
    assert mask_phones_in("table 12, 2 people") == "table 12, 2 people"


def test_a_masked_phone_finds_the_full_number_in_free_text_but_not_another() -> None:
    needles = Needles.of(["138****5678", "王先生", "Chen"])
    assert needles.found_in("call 138 1234 5678")
    assert not needles.found_in("call 13912345678")
    assert needles.found_in("for Chen, no onion") and not needles.found_in("Kitchen printer")
    assert needles.blank("王先生 13812345678") == " "


def test_scrub_blanks_personal_keys_nested_json_and_mentions_and_keeps_the_rest() -> None:
    raw = {
        "order_id": "MT-1",
        "recipient_phone": "13812345678",
        "recipient_address": "漕溪北路88号",
        "caution": "王先生: 少辣",
        "eater": {"first_name": "John", "id": 7},
        "deliveryGeo": "121.4,31.2",
        "detail": json.dumps([{"food_name": "宫保鸡丁", "remark": "王先生的"}], ensure_ascii=False),
        "total": 66,
    }
    out = json.loads(scrub_text(json.dumps(raw, ensure_ascii=False), Needles.of(["王先生"])))
    assert out["recipient_phone"] == out["recipient_address"] == out["deliveryGeo"] == ""
    assert out["eater"] == {"first_name": "", "id": None}
    assert out["caution"] == ": 少辣" and out["order_id"] == "MT-1" and out["total"] == 66
    assert json.loads(out["detail"]) == [{"food_name": "宫保鸡丁", "remark": "的"}]
    form = "recipient_name=%E7%8E%8B&phone=13812345678&caution=x"  # not JSON: the mentions go
    assert "13812345678" not in scrub_text(form, Needles.of(["138****5678"]))


@pytest.mark.parametrize(
    ("query", "stored", "found"),
    [
        ("13812345678", "138****5678", True),  # fits the mask: a candidate, never a merge
        ("13912345678", "138****5678", False),
        ("5678", "138****5678", True),
        ("+86 139 1234 5678", "13912345678", True),
        ("13800138000", "13800138000,1001", True),
        ("1234", None, False),
    ],
)
def test_a_typed_phone_finds_stored_ones_it_fits(query: str, stored: str | None, found: bool) -> None:
    assert phone_matches(query, stored) is found
