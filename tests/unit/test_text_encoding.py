"""Text fields read as each platform encodes them: Meituan's second URL-encoding decodes "+" as a space,
and the JSON platforms keep "+", "%" and "%20" exactly as the customer typed them."""

from __future__ import annotations

import json
import time
from urllib.parse import quote_plus, urlencode

from posapp.connectors.doordash import DoorDashConnector
from posapp.connectors.eleme import ElemeConnector
from posapp.connectors.meituan import DOUBLE_ENCODED, MeituanConnector, sign
from posapp.connectors.own import OwnConnector
from posapp.connectors.registry import parse_file
from posapp.connectors.ubereats import UberEatsConnector
from posapp.domain.order import Order
from tests.cn_fixtures import FIXTURES

SECRET = "test-secret"


def only_order(messages: list[object]) -> Order:
    [order] = [m for m in messages if isinstance(m, Order)]
    return order


def test_meituan_doubly_encoded_text_decodes_plus_as_a_space() -> None:
    [order] = parse_file("meituan", FIXTURES / "meituan" / "push_order_spaces.form.txt")
    assert order.customer.name == "Li Lei (先生)"
    assert order.customer.address == "Room 1203, Tower B, 700 Yishan Rd 宜山路700号"
    assert order.notes == "No chili + extra rice; ring 2x, 100% sure"
    assert [i.name for i in order.items] == ["Kung Pao 鸡丁 (large)", "C++ Combo + Cola"]
    assert [m.name for m in order.items[0].modifiers] == ["大 份", "微辣", "no peanuts"]
    assert order.items[1].sku == "c+1"


def test_meituan_signature_over_text_with_spaces_verifies() -> None:
    """Meituan signs the text as typed; the wire carries it encoded twice, spaces as "+"."""
    connector = MeituanConnector(app_id="4917", secret=SECRET)
    url = "http://127.0.0.1:8080/meituan"
    fields = {
        "order_id": "27061900338318742",
        "recipient_name": "Han Meimei",
        "caution": "two forks + one spoon",
        "app_id": "4917",
        "timestamp": str(int(time.time())),
    }
    fields["sig"] = sign(url, fields, SECRET)
    body = urlencode([(k, quote_plus(v) if k in DOUBLE_ENCODED else v) for k, v in fields.items()])
    connector.verify(headers={"Host": "127.0.0.1:8080"}, body=body.encode(), query={})


def test_meituan_json_answer_keeps_a_literal_plus() -> None:
    """An API answer is JSON, encoded once: a "+" in it is a plus, not a space."""
    answer = {
        "data": {
            "order_id": 27061900338318743,
            "recipient_name": "Ann+Bo",
            "caution": "1+1 free",
            "ctime": 1733300000,
            "total": 10,
            "detail": [{"food_name": "C++ Combo", "quantity": 1, "price": 10}],
        }
    }
    order = only_order(MeituanConnector().parse(json.dumps(answer).encode()))
    assert (order.customer.name, order.notes, order.items[0].name) == ("Ann+Bo", "1+1 free", "C++ Combo")


def test_eleme_text_inside_the_json_message_is_kept_as_typed() -> None:
    body = (FIXTURES / "eleme" / "push_type10_plus_text.json").read_bytes()
    order = only_order(ElemeConnector().parse(body))
    assert order.customer.name == "Li Lei+Han Meimei"
    assert order.customer.address == "Room 3 + 4, 100% Jing'an %20 Rd"
    assert order.notes == "no chili + extra rice"


def test_ubereats_text_is_kept_as_typed() -> None:
    body = (FIXTURES / "ubereats" / "order_details_v2_plus_text.json").read_bytes()
    order = only_order(UberEatsConnector(base_url="http://127.0.0.1:1").parse(body))
    assert order.customer.name is not None and order.customer.name.startswith("Ann+Bo")
    assert order.notes is not None and "Extra sauce + napkins, 100%20sure" in order.notes


def test_doordash_text_is_kept_as_typed() -> None:
    body = (FIXTURES / "doordash" / "webhook_order_create_plus_text.json").read_bytes()
    order = only_order(DoorDashConnector(base_url="http://127.0.0.1:1").parse(body))
    assert order.customer.name is not None and order.customer.name.startswith("Ann+Bo")
    assert order.notes is not None and "Gate code 12+34 %20 ok" in order.notes


def test_own_site_text_is_kept_as_typed() -> None:
    body = (FIXTURES / "own" / "order_pickup_plus_text.json").read_bytes()
    order = only_order(OwnConnector(base_url="http://127.0.0.1:1").parse(body))
    assert order.customer.name == "Ann+Bo"
    assert order.notes == "Allergy: peanuts + sesame, 100%20sure"
