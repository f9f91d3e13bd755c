"""Ele.me: real envelopes normalize and add up, signatures as the SDKs compute them, message types as events."""

from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path
from typing import Any

import pytest

from posapp.cli.commands import run as run_command
from posapp.connectors.eleme import ElemeConnector, cancel_type, sign_message, sign_request
from posapp.connectors.registry import parse_file
from posapp.domain.events import PlatformEvent, PlatformEventKind
from posapp.domain.order import Order
from posapp.errors import PayloadError, SignatureError
from tests.cn_fixtures import FIXTURES, assert_canonical, has_source_note, payload_files

SECRET = "test-secret"


def connector() -> ElemeConnector:
    c = ElemeConnector(base_url="http://127.0.0.1:1/eleme", app_id="whjJ8amGkn", secret=SECRET)
    c.push_app_id = "10086001"
    return c


@pytest.mark.parametrize("path", payload_files("eleme"), ids=lambda p: p.name)
def test_every_fixture_normalizes_and_reconciles(path: Path) -> None:
    assert has_source_note(path) or "samples" in str(path)
    orders = parse_file("eleme", path)
    assert orders
    for order in orders:
        assert_canonical(order)


def test_box_fee_group_is_packaging_not_an_item_and_activities_are_discounts() -> None:
    [order] = parse_file("eleme", FIXTURES / "eleme" / "push_type10_longmaixuan_boxfee.json")
    assert "餐盒" not in [i.name for i in order.items]
    t = order.totals
    assert (t.subtotal, t.packaging_fee, t.delivery_fee, t.discount, t.total) == (4600, 400, 250, 2080, 3170)
    assert (t.commission, t.payout) == (510, 2440)  # serviceFee and income
    assert order.display_id == "30"  # daySn
    assert order.placed_at.isoformat() == "2018-07-08T18:24:42+08:00"  # Beijing local time, made aware
    assert order.customer is not None and order.customer.phone_masked == "135****5670"


def test_a_downgraded_order_says_so_instead_of_inventing_amounts() -> None:
    [order] = parse_file("eleme", FIXTURES / "eleme" / "push_type10_downgraded_sandbox.json")
    assert order.notes is not None and order.notes.startswith("饿了么降级订单")
    assert order.notes.endswith("爱吃辣多点辣")
    # the spec already printed in the name is not repeated as a modifier
    assert [(i.name, i.modifiers) for i in order.items][0] == ("红烧肉[重辣]", ())


def _message(**extra: Any) -> dict[str, Any]:
    message = {
        "id": "3023315330813370439",
        "createdAt": "2018-05-16T12:59:59",
        "deliverFee": 8.0,
        "deliverTime": "2018-05-16T13:45:00",
        "book": True,
        "description": "不要辣",
        "groups": [
            {
                "name": "1号篮子",
                "type": "normal",
                "items": [
                    {
                        "id": 1,
                        "name": "宫保鸡丁",
                        "price": 37.0,
                        "quantity": 2,
                        "total": 74.0,
                        "newSpecs": [{"name": "规格", "value": "大份"}],
                        "attributes": [{"name": "辣度", "value": "微辣"}],
                    },
                ],
            },
            {
                "name": "其它费用",
                "type": "extra",
                "items": [{"id": -70000, "name": "餐盒", "price": 2.0, "quantity": 1, "total": 2.0}],
            },
        ],
        "phoneList": ["13020294464,986"],
        "daySn": 5,
        "totalPrice": 69.0,
        "packageFee": 2.0,
        "activityTotal": -14.0,
        "hongbao": -1.0,
        "serviceFee": -9.2,
        "income": 50.1,
    }
    message.update(extra)
    return message


def _envelope(kind: int, message: dict[str, Any], secret: str = SECRET, **override: Any) -> bytes:
    env: dict[str, Any] = {
        "requestId": "200014896206530847",
        "type": kind,
        "appId": 10086001,
        "message": json.dumps(message, ensure_ascii=False),
        "shopId": 161856062,
        "timestamp": int(time.time() * 1000),
        "userId": 363866787356715916,
    }
    env.update(override)
    env["signature"] = sign_message(env, secret)
    return json.dumps(env, ensure_ascii=False).encode()


def test_specs_attributes_red_packet_and_booking_map_every_part() -> None:
    [order] = connector().parse(_envelope(10, _message()))
    assert isinstance(order, Order)
    assert [m.name for m in order.items[0].modifiers] == ["大份", "微辣"]
    assert order.totals.discount == 1500  # activities 14 + 红包 1
    assert order.totals.reconciliation_gap() == 0
    assert order.due_at is not None and order.due_at.isoformat() == "2018-05-16T13:45:00+08:00"
    assert order.customer is not None and order.customer.phone_masked == "13020294464,986"


def test_signed_envelope_is_accepted() -> None:
    connector().verify(headers={}, body=_envelope(10, _message()), query={})


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (_envelope(10, _message(), secret="other"), "does not match"),
        (_envelope(10, _message(), timestamp=1488774535366), "stale"),
        (_envelope(10, _message(), appId=1), "another appId"),
        (b'{"type":10,"message":"{}"}', "no signature"),
        (b"not json", "not a signed"),
    ],
)
def test_forged_stale_or_foreign_envelopes_are_refused(body: bytes, reason: str) -> None:
    with pytest.raises(SignatureError, match=reason):
        connector().verify(headers={}, body=body, query={})


def test_the_published_sdk_signature_recipe_is_what_we_compute() -> None:
    # demo/push/util.php: ksort, "key=value" concatenated, secret appended, md5, upper-case.
    env = {"b": 2, "a": "x", "signature": "ignored"}

    assert sign_message(env, "s") == hashlib.md5(b"a=xb=2s").hexdigest().upper()
    # RpcClient.php: action + token + ksort(metas+params) "k=json(v)" + secret.
    expected = (
        hashlib.md5(b'eleme.order.confirmOrderLiteTOKapp_key="k"orderId="1"timestamp=5S').hexdigest().upper()
    )
    assert (
        sign_request(
            "eleme.order.confirmOrderLite", "TOK", {"app_key": "k", "timestamp": 5}, {"orderId": "1"}, "S"
        )
        == expected
    )


@pytest.mark.parametrize(
    ("kind", "message", "expected"),
    [
        (14, {"orderId": "7", "state": "invalid"}, PlatformEventKind.CANCELLED),
        (18, {"orderId": "7", "state": "settled"}, PlatformEventKind.COMPLETED),
        (20, {"orderId": "7", "reason": "不想要了"}, PlatformEventKind.REFUND_REQUESTED),
        (30, {"orderId": "7"}, PlatformEventKind.REFUND_REQUESTED),
        (45, {"orderId": "7", "remindId": 1}, PlatformEventKind.REMINDER),
        (53, {"orderId": "7", "state": "tobeFetched", "name": "张师傅"}, PlatformEventKind.RIDER),
        (55, {"orderId": "7", "state": "completed"}, PlatformEventKind.RIDER),
    ],
)
def test_message_types_become_platform_events(
    kind: int, message: dict[str, Any], expected: PlatformEventKind
) -> None:
    [event] = connector().parse(_envelope(kind, message))
    assert isinstance(event, PlatformEvent)
    assert (event.platform, event.external_id, event.kind) == ("eleme", "7", expected)
    assert event.detail


@pytest.mark.parametrize("kind", [33, 35])
def test_an_agreed_return_is_a_whole_refund_then_a_cancellation(kind: int) -> None:
    refund, cancel = connector().parse(_envelope(kind, {"orderId": "7"}))
    assert isinstance(refund, PlatformEvent) and isinstance(cancel, PlatformEvent)
    assert (refund.kind, refund.amount) == (PlatformEventKind.REFUNDED, None)  # None: all of it
    assert cancel.kind == PlatformEventKind.CANCELLED


# 取消单退单消息 as Ele.me's 消息推送消息体结构定义 lists it (www.dianj.com.cn/News/Detail/21258): orderId,
# refundStatus, reason, shopId, goodsList, refundType, totalPrice (退款金额, yuan), updateTime.
def _return(refund_type: str, total_price: Any = None, **extra: Any) -> dict[str, Any]:
    message = {
        "orderId": "7",
        "refundStatus": "successful",
        "reason": "少送了米饭",
        "shopId": 161856062,
        "goodsList": [{"name": "米饭", "quantity": 1, "price": 2.5}],
        "refundType": refund_type,
        "updateTime": 1482161481,
    }
    if total_price is not None:
        message["totalPrice"] = total_price
    return message | extra


@pytest.mark.parametrize("kind", [33, 35])
@pytest.mark.parametrize(("price", "fen"), [(2.5, 250), ("12.30", 1230), (0.01, 1)])
def test_a_partial_return_is_money_back_and_the_order_goes_on(kind: int, price: Any, fen: int) -> None:
    [refund] = connector().parse(_envelope(kind, _return("part", price)))
    assert isinstance(refund, PlatformEvent)
    assert (refund.kind, refund.external_id, refund.amount) == (PlatformEventKind.REFUNDED, "7", fen)
    assert refund.detail == "部分退款: 少送了米饭"


def test_a_normal_return_with_its_total_price_is_still_the_whole_order() -> None:
    refund, cancel = connector().parse(_envelope(33, _return("normal", 36.5)))
    assert isinstance(refund, PlatformEvent) and isinstance(cancel, PlatformEvent)
    assert (refund.kind, refund.amount, cancel.kind) == (
        PlatformEventKind.REFUNDED,
        None,  # the rest of the order, whatever was refunded before
        PlatformEventKind.CANCELLED,
    )


@pytest.mark.parametrize(
    ("price", "reason"),
    [(None, "has no totalPrice"), (0, "has no totalPrice"), ("二元", "totalPrice is not a number")],
)
def test_a_partial_return_without_a_usable_amount_is_refused(price: Any, reason: str) -> None:
    with pytest.raises(PayloadError, match=reason):
        connector().parse(_envelope(33, _return("part", price)))


@pytest.mark.parametrize("kind", [12, 21, 22, 31, 32, 46, 100, 9999])
def test_echoes_withdrawals_and_unknown_types_change_nothing(kind: int) -> None:
    assert connector().parse(_envelope(kind, {"orderId": "7"})) == []


def test_the_empty_url_check_is_answered_ok() -> None:
    c = connector()
    c.verify(headers={}, body=b"", query={})
    assert c.parse(b"") == []
    assert c.reply_ok().body == b'{"message":"ok"}'


@pytest.mark.parametrize(
    ("message", "reason"),
    [
        ({"id": "1", "groups": "nope"}, "groups is not valid JSON"),
        ({"id": "1", "groups": []}, "has no items"),
        ({"id": "1", "groups": [{"items": [{"name": "x", "quantity": -1, "price": 1}]}]}, "quantity"),
        (
            {
                "id": "1",
                "createdAt": "yesterday",
                "groups": [{"items": [{"name": "x", "quantity": 1, "price": 1}]}],
            },
            "not a time",
        ),
        ({"groups": [{"items": []}]}, "no id"),
    ],
)
def test_unusable_orders_raise_a_payload_error_with_the_reason(message: dict[str, Any], reason: str) -> None:
    with pytest.raises(PayloadError, match=reason):
        connector().parse(_envelope(10, message))


@pytest.mark.parametrize(
    ("code", "reason", "expected"),
    [
        ("restaurantClosed", "", "restaurantClosed"),
        (None, "商品已经售完", "foodSoldOut"),
        (None, "kitchen too busy", "restaurantTooBusy"),
        ("bogus", "whatever", "others"),
    ],
)
def test_reject_reasons_map_to_the_cancel_types_ele_me_accepts(code: Any, reason: str, expected: str) -> None:
    assert cancel_type(code, reason) == expected


def test_cli_reads_the_envelope_or_the_bare_order(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    envelope = FIXTURES / "eleme" / "push_type10_kuaixingbao.json"
    bare = tmp_path / "order.json"
    bare.write_text(json.loads(envelope.read_text())["message"], encoding="utf-8")
    for path in (envelope, bare):
        assert run_command("normalize", ["--platform", "eleme", str(path)]) == 0
        out = json.loads(capsys.readouterr().out)
        assert (out["external_id"], out["display_id"], out["totals"]["total"]) == (
            "3023315330813370439",
            "5",
            3790,
        )
    assert run_command("normalize", ["--platform", "eleme", str(tmp_path / "missing.json")]) == 2
    assert capsys.readouterr().err.count("\n") == 1
