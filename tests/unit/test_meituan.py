"""Meituan: real pushes normalize and add up, the sig is checked as Meituan computes it, follow-ups become events."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import pytest

from posapp.cli.commands import run as run_command
from posapp.connectors import cn_payload
from posapp.connectors.meituan import MeituanConnector, sign
from posapp.connectors.registry import parse_file
from posapp.domain.events import PlatformEvent, PlatformEventKind
from posapp.domain.order import Fulfillment, Order
from posapp.errors import PayloadError, SignatureError
from tests.cn_fixtures import FIXTURES, assert_canonical, has_source_note, payload_files

SECRET = "test-secret"


def connector() -> MeituanConnector:
    return MeituanConnector(base_url="http://127.0.0.1:1/meituan", app_id="4917", secret=SECRET)


@pytest.mark.parametrize("path", payload_files("meituan"), ids=lambda p: p.name)
def test_every_fixture_normalizes_and_reconciles(path: Path) -> None:
    assert has_source_note(path) or "samples" in str(path)
    orders = parse_file("meituan", path)
    assert orders
    for order in orders:
        assert_canonical(order)


def test_form_push_with_double_encoded_json_fields_is_read() -> None:
    [order] = parse_file("meituan", FIXTURES / "meituan" / "push_order_mt05.form.txt")
    assert order.external_id == "28983933105028871"
    assert order.display_id == "1"  # day_seq
    assert [(i.name, i.quantity, i.unit_price) for i in order.items] == [("MT-05", 1, 1)]
    assert order.customer is not None
    assert order.customer.name == "陆(先生)"
    assert order.customer.address == "色金拉"  # the user's text before "@#", not the reverse geocode
    assert order.customer.phone_masked == "178****8840"  # a personal number is masked
    assert (order.totals.delivery_fee, order.totals.total) == (1, 2)
    assert (order.totals.commission, order.totals.payout) == (0, 2)  # poi_receive_detail, in fen
    assert order.placed_at.isoformat() == "2019-03-29T00:52:06+08:00"


def test_old_order_list_answer_with_a_full_reduction_adds_up() -> None:
    [order] = parse_file("meituan", FIXTURES / "meituan" / "getneworders_lihua.json")
    t = order.totals
    assert (t.subtotal, t.delivery_fee, t.discount, t.total) == (2600, 600, 800, 2400)
    assert order.display_id == "9387"  # no day_seq subscribed: the tail of wm_order_id_view


def _order_fields(**extra: Any) -> dict[str, str]:
    detail = [
        {
            "app_food_code": "KP1",
            "food_name": "宫保鸡丁",
            "quantity": 2,
            "price": 32.0,
            "box_num": 2.0,
            "box_price": 0.5,
            "spec": "大份",
            "food_property": "微辣,少盐",
            "unit": "份",
        },
        {
            "app_food_code": "TEA",
            "food_name": "珍珠奶茶",
            "quantity": 1,
            "price": 15,
            "box_num": 0,
            "box_price": 0,
        },
    ]
    fields = {
        "order_id": "27061900338318741",
        "wm_order_id_view": "27061900338318741",
        "app_poi_code": "demo-poi-1",
        "ctime": "1700000000",
        "delivery_time": "1700003600",
        "day_seq": "12",
        "detail": json.dumps(detail, ensure_ascii=False),
        "extras": json.dumps([{"reduce_fee": 10.0, "mt_charge": 2, "poi_charge": 8, "type": 2}]),
        "shipping_fee": "5",
        "package_bag_money": "100",
        "total": "76.0",
        "original_price": "86.0",
        "recipient_phone": "13812345678_1234",
        "recipient_name": "王先生",
        "caution": "不要香菜 收餐人隐私号 13812345678_1234，手机号 138****5678",
        "pick_type": "0",
        "status": "2",
    }
    fields.update(extra)
    return fields


def test_order_with_specs_box_fees_bag_and_schedule_maps_every_part() -> None:
    [order] = connector().parse(urlencode(_order_fields()).encode())
    assert isinstance(order, Order)
    first = order.items[0]
    assert [m.name for m in first.modifiers] == ["大份", "微辣", "少盐"]
    assert order.totals.packaging_fee == 100 + 100  # box_num 2 x 0.5 yuan + 打包袋 100 fen
    assert order.totals.reconciliation_gap() == 0
    assert order.due_at is not None and order.due_at.isoformat() == "2023-11-15T07:13:20+08:00"
    assert order.customer is not None and order.customer.phone_masked == "13812345678_1234"  # relay kept
    assert order.notes is not None and order.notes.startswith("不要香菜")


def test_pickup_is_read_from_pick_type_and_from_the_caution_text() -> None:
    [by_type] = connector().parse(urlencode(_order_fields(pick_type="1")).encode())
    [by_note] = connector().parse(urlencode(_order_fields(caution="到店自取")).encode())
    assert isinstance(by_type, Order) and isinstance(by_note, Order)
    assert by_type.fulfillment is by_note.fulfillment is Fulfillment.PICKUP


def test_camel_case_jubaopen_push_is_read_too() -> None:
    order = {
        "orderId": 1,
        "orderIdView": 1,
        "daySeq": "3",
        "ctime": 1700000000,
        "detail": json.dumps(
            [{"food_name": "狗不理", "quantity": 6, "price": 1, "box_num": 2, "box_price": 1}],
            ensure_ascii=False,
        ),
        "extras": "[]",
        "shippingFee": 0,
        "total": 8,
        "caution": "哈哈",
    }
    body = urlencode({"developerId": "100120", "ePoiId": "erp-poi", "sign": "x", "order": json.dumps(order)})
    [parsed] = connector().parse(body.encode())
    assert isinstance(parsed, Order)
    assert (parsed.display_id, parsed.totals.total, parsed.totals.packaging_fee) == ("3", 800, 200)


@pytest.mark.parametrize(
    ("fields", "kind"),
    [
        (
            {"order_id": "5", "reason_code": "1101", "reason": "用户取消", "deal_op_type": "1"},
            PlatformEventKind.CANCELLED,
        ),
        ({"order_id": "5", "notify_type": "apply", "reason": "少送了"}, PlatformEventKind.REFUND_REQUESTED),
        ({"order_id": "5", "remind_id": "77", "remind_time": "1700000000"}, PlatformEventKind.REMINDER),
        ({"order_id": "5", "logistics_status": "20", "dispatcher_name": "李师傅"}, PlatformEventKind.RIDER),
        ({"order_id": "5", "status": "8"}, PlatformEventKind.COMPLETED),
    ],
)
def test_follow_up_pushes_become_platform_events(fields: dict[str, str], kind: PlatformEventKind) -> None:
    [event] = connector().parse(urlencode(fields).encode())
    assert isinstance(event, PlatformEvent)
    assert (event.platform, event.external_id, event.kind) == ("meituan", "5", kind)
    assert event.detail


def test_an_agreed_whole_refund_is_money_back_then_a_cancellation() -> None:
    for fields in ({"notify_type": "agree", "reason": "同意"}, {"refund_status": "3"}):
        refund, cancel = connector().parse(urlencode({"order_id": "5", **fields}).encode())
        assert isinstance(refund, PlatformEvent) and isinstance(cancel, PlatformEvent)
        assert (refund.kind, refund.amount) == (PlatformEventKind.REFUNDED, None)  # None: all of it
        assert cancel.kind == PlatformEventKind.CANCELLED


def test_a_partial_refund_carries_its_amount_in_fen() -> None:
    # 推送部分退款信息: notify_type agree with the refunded dishes (food) and money in yuan.
    fields = {"order_id": "5", "notify_type": "agree", "food": "[]", "money": "12.5", "reason": "少送了"}
    [refund] = connector().parse(urlencode(fields).encode())
    assert isinstance(refund, PlatformEvent)
    assert (refund.kind, refund.amount, refund.detail) == (PlatformEventKind.REFUNDED, 1250, "少送了")
    done = {"order_id": "5", "refund_status": "13", "money": "3"}
    [refund] = connector().parse(urlencode(done).encode())
    assert isinstance(refund, PlatformEvent) and refund.amount == 300
    assert connector().parse(urlencode({"order_id": "5", "refund_status": "13"}).encode()) == []


def test_refusal_withdrawn_refund_changes_nothing() -> None:
    assert connector().parse(urlencode({"order_id": "5", "notify_type": "cancelRefund"}).encode()) == []


def test_store_level_pushes_are_acknowledged_without_touching_orders() -> None:
    assert connector().parse(urlencode({"app_poi_code": "demo-poi-1", "poi_status": "121"}).encode()) == []


def _signed_body(url: str, secret: str = SECRET, **override: str) -> bytes:
    params = {
        "order_id": "5",
        "reason": "用户取消",
        "reason_code": "1101",
        "app_id": "4917",
        "timestamp": str(int(time.time())),
    }
    params.update(override)
    params["sig"] = sign(url, params, secret)
    return urlencode(params).encode()


def test_sig_over_the_callback_url_is_accepted() -> None:
    body = _signed_body("http://pos.example:8787/meituan")
    connector().verify(headers={"Host": "pos.example:8787"}, body=body, query={})


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (_signed_body("http://pos.example:8787/meituan", secret="other"), "sig does not match"),
        (_signed_body("http://pos.example:8787/meituan", timestamp="1500000000"), "stale"),
        (_signed_body("http://pos.example:8787/meituan", app_id="999"), "another app_id"),
        (_signed_body("http://elsewhere/meituan"), "sig does not match"),
        (urlencode({"order_id": "5", "timestamp": str(int(time.time()))}).encode(), "no sig"),
    ],
)
def test_forged_stale_or_foreign_pushes_are_refused(body: bytes, reason: str) -> None:
    with pytest.raises(SignatureError, match=reason):
        connector().verify(headers={"Host": "pos.example:8787"}, body=body, query={})


def test_the_empty_url_check_is_answered_ok_and_stores_nothing() -> None:
    c = connector()
    c.verify(headers={}, body=b"", query={})
    assert c.parse(b"") == []
    assert c.reply_ok().body == b'{"data":"ok"}'
    assert json.loads(c.reply_error(401, "invalid signature").body)["data"] == "ng"


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"order_id=1&detail=%5B%7Bbroken&total=1", "detail is not valid JSON"),
        (b"order_id=1&detail=[]&total=1&ctime=1700000000", "no detail items"),
        (b'order_id=1&detail=[{"food_name":"x","quantity":0,"price":1}]&total=1', "quantity"),
        (b'order_id=1&detail=[{"food_name":"x","quantity":1,"price":"abc"}]', "price is not a number"),
        (b"foo=bar", "no order_id"),
        (b"\xff\xfe", "not UTF-8"),
    ],
)
def test_unusable_pushes_raise_a_payload_error_with_the_reason(body: bytes, reason: str) -> None:
    with pytest.raises(PayloadError, match=reason):
        connector().parse(body)


@pytest.mark.parametrize(
    ("raw", "masked"),
    [
        ("13812345678", "138****5678"),
        ("13812345678_1234", "13812345678_1234"),
        ("138****5678", "138****5678"),
        ("", None),
        ("null", None),
        ("12", None),
    ],
)
def test_phones_are_relay_or_masked_never_personal(raw: str, masked: str | None) -> None:
    assert cn_payload.mask_phone(raw) == masked


def test_cli_prints_canonical_json_and_exits_2_with_one_line_on_bad_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        run_command(
            "normalize", ["--platform", "meituan", str(FIXTURES / "meituan" / "push_order_mt05.form.txt")]
        )
        == 0
    )
    out = json.loads(capsys.readouterr().out)
    assert out["external_id"] == "28983933105028871" and "raw" not in out
    bare = tmp_path / "order.json"  # the order object alone, as order/getOrderDetail returns it
    bare.write_text(
        json.dumps(json.loads((FIXTURES / "meituan" / "getneworders_lihua.json").read_text())["data"][0])
    )
    assert run_command("normalize", ["--platform", "meituan", str(bare)]) == 0
    assert json.loads(capsys.readouterr().out)["totals"]["total"] == 2400
    bad = tmp_path / "bad.txt"
    bad.write_text("order_id=1&detail=nope")
    assert run_command("normalize", ["--platform", "meituan", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "detail is not valid JSON" in err


URL = "http://pos.example:8787/meituan"


def _json_push(secret: str | None = SECRET, **fields: Any) -> bytes:
    """A JSON push whose sig (when ``secret``) covers every top-level value as its compact JSON text."""
    body: dict[str, Any] = {"app_id": "4917", "timestamp": str(int(time.time())), **fields}
    if secret is not None:
        as_text = {
            k: v if isinstance(v, str) else json.dumps(v, ensure_ascii=False, separators=(",", ":"))
            for k, v in body.items()
        }
        body["sig"] = sign(URL, as_text, secret)
    return json.dumps(body).encode()


def test_json_push_of_numbers_without_sig_is_refused() -> None:
    # The bypass: only string values were signed, so a body of numbers had "nothing to sign" and passed.
    with pytest.raises(SignatureError, match="no sig"):
        connector().verify(
            headers={"Host": "pos.example:8787"},
            body=json.dumps({"order_id": 27061900338318741, "reason_code": 1101}).encode(),
            query={},
        )


def test_json_push_signed_over_every_value_type_is_accepted() -> None:
    body = _json_push(order_id=5, reason_code=1101, flags=[1, {"a": None}], paid=True, note="用户取消")
    connector().verify(headers={"Host": "pos.example:8787"}, body=body, query={})


@pytest.mark.parametrize(
    "change",
    [
        {"reason_code": 1102},  # a signed number changed
        {"flags": [1, {"a": 0}]},  # a value inside a signed list changed
        {"paid": False},
        {"extra": 1},  # a field added without re-signing, of every JSON type
        {"extra": 1.5},
        {"extra": None},
        {"extra": True},
        {"extra": [1]},
        {"extra": {"k": "v"}},
        {"extra": "v"},
    ],
)
def test_json_push_with_any_unsigned_change_is_refused(change: dict[str, Any]) -> None:
    body = json.loads(_json_push(order_id=5, reason_code=1101, flags=[1, {"a": None}], paid=True))
    body.update(change)
    with pytest.raises(SignatureError, match="sig does not match"):
        connector().verify(headers={"Host": "pos.example:8787"}, body=json.dumps(body).encode(), query={})


def test_json_push_with_a_huge_integer_is_judged_by_its_sig_not_a_crash() -> None:
    digits = "9" * 5000  # past Python's 4,300-digit limit for parsing an int
    stamp = str(int(time.time()))
    sig = sign(URL, {"app_id": "4917", "timestamp": stamp, "order_id": digits}, SECRET)
    body = f'{{"app_id":"4917","timestamp":"{stamp}","order_id":{digits},"sig":"{sig}"}}'.encode()
    connector().verify(headers={"Host": "pos.example:8787"}, body=body, query={})
    forged = body.replace(sig.encode(), b"0" * 32)
    with pytest.raises(SignatureError):
        connector().verify(headers={"Host": "pos.example:8787"}, body=forged, query={})


def test_form_push_with_a_percent_sequence_in_a_singly_encoded_field_verifies() -> None:
    # detail is double-encoded as Meituan sends it; the shop name is sent once and holds "%41" literally.
    params = {
        "order_id": "5",
        "poi_name": "100%41 fresh",
        "detail": json.dumps([{"food_name": "饭", "quantity": 1, "price": 1}], ensure_ascii=False),
        "app_id": "4917",
        "timestamp": str(int(time.time())),
    }
    params["sig"] = sign(URL, params, SECRET)
    sent = {k: quote(v, safe="") if k == "detail" else v for k, v in params.items()}
    connector().verify(headers={"Host": "pos.example:8787"}, body=urlencode(sent).encode(), query={})


@pytest.mark.parametrize("sig", ["ｆ" * 32, "\udcff" * 4, "é"])
def test_a_sig_of_any_text_is_refused_not_a_crash(sig: str) -> None:
    body = urlencode({"order_id": "5", "app_id": "4917", "timestamp": str(int(time.time()))}) + "&sig="
    with pytest.raises(SignatureError):
        connector().verify(
            headers={"Host": "pos.example:8787"},
            body=(body + quote(sig, errors="surrogatepass")).encode(),
            query={},
        )
