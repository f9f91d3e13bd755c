"""The webhook listener's security promises over real loopback HTTP, one case per known hole.

A signed push is stored or quarantined and answered 2xx, never 5xx; an unsigned or forged one is refused
and changes nothing; text is bounded; a platform's retry of the same message counts once. Each case names
the hole it closes (the security issue, or what the listener fuzz tests found).
"""

from __future__ import annotations

import asyncio
import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from posapp.domain.order import Order, OrderStatus
from posapp.store import orders as repo
from tests.webhook.live import LiveListener
from tests.webhook.oracle import Counts
from tests.webhook.pushes import PLATFORMS, Push, RawJSON, with_fresh_id
from tests.webhook.signing import Wire

LONG = 10_000


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveListener]:
    rig = LiveListener(Path(tmp_path_factory.mktemp("security")) / "data").start()
    yield rig
    rig.stop()


def new_order(live: LiveListener, platform: str, *, json_body: bool = False) -> Push:
    """A fresh order push from the platform's simulator (Meituan: form fields, or a JSON body)."""
    return with_fresh_id(live.templates[platform][1 if json_body else 0])


def stored(live: LiveListener, platform: str, external_id: str) -> Order | None:
    def work(session: Any) -> Order | None:
        oid = repo.find_order_id(session, platform, external_id)
        return None if oid is None else repo.get_order(session, oid)

    return live.call(live.db.run(work))


def post(live: LiveListener, push: Push, wire: Wire | None = None) -> tuple[int, Counts]:
    before = live.counts()
    resp = live.post(push.platform, wire or live.signer.sign(push))
    return resp.status_code, live.counts() - before


def kept(delta: Counts) -> str:
    """How a signed push was kept: "stored", "quarantined", or "nothing" (the hole)."""
    if delta.quarantine and not delta.orders:
        return "quarantined"
    if delta.orders or delta.order_events or delta.pending_messages:
        return "stored" if not delta.quarantine else "both"
    return "nothing"


# -- every platform, end to end ---------------------------------------------------------------------------
@pytest.mark.parametrize("platform", PLATFORMS)
def test_a_signed_push_is_stored_and_the_same_push_with_one_byte_changed_is_refused(
    live: LiveListener, platform: str
) -> None:
    push = new_order(live, platform)
    status, delta = post(live, push)
    assert (status, delta.orders) == (200, 1)
    forged = with_fresh_id(push.__class__(**{**push.__dict__, "order": None}))
    wire = live.signer.sign(forged)
    if platform == "doordash":  # a token, not a body signature: change the token
        wire.headers["Authorization"] = wire.headers["Authorization"][:-1] + "x"
    else:
        at = wire.body.index(forged.external_id.encode()) + 2
        wire.body = wire.body[:at] + bytes([wire.body[at] ^ 0x01]) + wire.body[at + 1 :]
    status, delta = post(live, forged, wire)
    assert status == 401
    assert not delta


# -- Meituan: the signature bypass ------------------------------------------------------------------------
def test_an_unsigned_meituan_json_cancel_does_not_cancel_a_real_order(live: LiveListener) -> None:
    push = new_order(live, "meituan")
    assert post(live, push)[0] == 200
    bypass = {"order_id": int(push.external_id), "reason_code": 1101}
    resp = live.http.post(
        "/meituan", content=json.dumps(bypass), headers={"Content-Type": "application/json"}
    )
    assert resp.status_code == 401
    order = stored(live, "meituan", push.external_id)
    assert order is not None and order.status is OrderStatus.NEW


def test_a_signed_meituan_json_push_with_numbers_lists_and_objects_is_stored(live: LiveListener) -> None:
    push = new_order(live, "meituan", json_body=True)
    status, delta = post(live, push)
    assert (status, delta.orders) == (200, 1)


def test_a_correctly_signed_meituan_form_push_with_a_literal_percent_sequence_is_stored(
    live: LiveListener,
) -> None:
    """``100%41 fresh`` is sent encoded once (not a double-encoded field): the sig covers it as sent."""
    push = new_order(live, "meituan")
    push.payload["wm_poi_name"] = "100%41 fresh"
    push.payload["recipient_name"] = "李%E4%B8%AD"  # a double-encoded field holding a literal %xx
    status, delta = post(live, push)
    assert (status, delta.orders) == (200, 1)


def test_a_replayed_meituan_push_with_its_order_id_percent_escaped_is_not_a_second_order(
    live: LiveListener,
) -> None:
    push = new_order(live, "meituan")
    params = live.signer.meituan_params(push)
    sig = live.signer.meituan_signature(push, params)
    assert post(live, push, live.signer.meituan_wire(push, params, sig=sig))[0] == 200
    ext = push.external_id
    escaped = {**params, "order_id": f"%{ord(ext[0]):02X}{ext[1:]}"}
    status, delta = post(live, push, live.signer.meituan_wire(push, escaped, sig=sig))
    assert delta.orders == 0, f"answered {status}: the replay was stored as a second order"


@pytest.mark.parametrize(
    ("json_body", "order_id"),
    [
        (False, ""),
        (False, "null"),
        (False, " "),
        (True, None),
        (True, []),
        (True, {}),
        (True, True),
        (True, ""),
    ],
)
def test_a_signed_meituan_push_with_an_unusable_order_id_and_a_store_code_is_quarantined(
    live: LiveListener, json_body: bool, order_id: Any
) -> None:
    push = new_order(live, "meituan", json_body=json_body)
    push.payload["order_id"] = order_id
    push.payload.pop("wm_order_id_view")
    status, delta = post(live, push)
    assert (status, kept(delta)) == (200, "quarantined")


@pytest.mark.parametrize("where", ["top level", "nested"])
def test_a_meituan_json_body_with_a_5000_digit_number_is_refused_unsigned_and_quarantined_signed(
    live: LiveListener, where: str
) -> None:
    push = new_order(live, "meituan", json_body=True)
    huge = RawJSON("9" * 5000)
    if where == "top level":
        push.payload["day_seq"] = huge
    else:
        push.payload["detail"][0]["quantity"] = huge
    status, delta = post(live, push, live.signer.forge(push, "unsigned"))
    assert (status, delta) == (401, Counts(0, 0, 0, 0))
    status, delta = post(live, push)
    assert (status, kept(delta)) == (200, "quarantined")


# -- signed but unusable: quarantined (or stored, cleaned), never a 500 -------------------------------------
def _own_with(live: LiveListener, change: Any) -> Push:
    push = new_order(live, "own")
    change(push.payload)
    return push


HOSTILE_OWN = {
    "order_count 2**63": lambda p: p["customer"].update(order_count=2**63),
    "order_count 2**64": lambda p: p["customer"].update(order_count=2**64),
    "quantity 2**63": lambda p: p["items"][0].update(quantity=2**63),
    "placed_at year 1 +14:00": lambda p: p.update(placed_at="0001-01-01T00:00:00+14:00"),
    "due_at year 9999 -14:00": lambda p: p.update(due_at="9999-12-31T23:59:59-14:00"),
    "lone surrogate in notes": lambda p: p.update(notes="\ud800"),
    "lone surrogate in an item name": lambda p: p["items"][0].update(name="a\udfffb"),
    "lone surrogate in the external id": lambda p: p.update(external_id="WEB-\ud800"),
    "null external id": lambda p: p.update(external_id=None),
    "list as external id": lambda p: p.update(external_id=[1]),
    "null item name": lambda p: p["items"][0].update(name=None),
}


@pytest.mark.parametrize("case", sorted(HOSTILE_OWN))
def test_a_signed_own_order_with_hostile_values_is_quarantined_or_stored_clean(
    live: LiveListener, case: str
) -> None:
    push = _own_with(live, HOSTILE_OWN[case])
    status, delta = post(live, push)
    assert status == 200
    assert kept(delta) in ("stored", "quarantined")
    if delta.orders:
        assert isinstance(push.payload["external_id"], str), "an order stored without a text id"
        order = stored(live, "own", push.payload["external_id"])
        assert order is not None, "stored under another id than the one pushed (None? '[1]'?)"
        names = [order.customer.name if order.customer else None, order.notes, *(i.name for i in order.items)]
        assert all(n is None or ("\ud800" not in n and "\udfff" not in n and n != "None") for n in names)


def test_own_orders_without_an_id_are_not_merged_into_one(live: LiveListener) -> None:
    """``str(None)`` made every id-less order the order "None": the second one vanished as a duplicate."""
    for _ in range(2):
        push = _own_with(live, lambda p: p.update(external_id=None))
        status, delta = post(live, push)
        assert (status, kept(delta)) == (200, "quarantined")


HOSTILE_TEXT = ["\ud800", "x\udc80y", "0001-01-01T00:00:00+14:00"]


@pytest.mark.parametrize("value", HOSTILE_TEXT, ids=["lone high", "lone low", "year 1 +14:00"])
@pytest.mark.parametrize("platform", ["meituan", "eleme", "ubereats", "doordash"])
def test_a_signed_push_with_a_hostile_text_or_time_is_answered_2xx_and_kept(
    live: LiveListener, platform: str, value: str
) -> None:
    push = new_order(live, platform, json_body=platform == "meituan")
    if platform == "meituan":
        push.payload["caution"] = value
        push.payload["detail"][0]["food_name"] = value
    elif platform == "eleme":
        push.payload["message"].update(description=value, createdAt=value, activeAt=value)
    elif platform == "ubereats":
        assert push.fetched is not None
        push.fetched["cart"]["special_instructions"] = value
        push.fetched["placed_at"] = value
    else:
        push.payload["order"].update(order_special_instructions=value, estimated_pickup_time=value)
    status, delta = post(live, push)
    assert status == 200
    assert kept(delta) in ("stored", "quarantined")


# -- text bounds ------------------------------------------------------------------------------------------
def _long_texts(platform: str, push: Push) -> None:
    text = "长" * LONG
    if platform == "own":
        p = push.payload
        p.update(display_id="9" * LONG, notes=text)
        p["customer"].update(name=text, address=text, phone_masked=text)
        p["items"][0].update(name=text, note=text, sku=text, category=text)
    elif platform == "meituan":
        p = push.payload
        p.update(day_seq="9" * 30, caution=text, recipient_name=text, recipient_address=text)
        p["detail"][0].update(food_name=text, spec=text, food_property=text)
    elif platform == "eleme":
        m = push.payload["message"]
        m.update(description=text, consignee=text, address=text)
        m["groups"][0]["items"][0]["name"] = text
    elif platform == "ubereats":
        assert push.fetched is not None
        f = push.fetched
        f.update(display_id="9" * LONG)
        f["cart"]["special_instructions"] = text
        f["cart"]["items"][0]["title"] = text
        f["eater"]["first_name"] = text
    else:
        o = push.payload["order"]
        o.update(order_special_instructions=text, delivery_short_code="9" * LONG)
        o["categories"][0]["items"][0]["name"] = text
        o["consumer"]["first_name"] = text


@pytest.mark.parametrize("platform", PLATFORMS)
def test_every_text_field_of_a_stored_order_is_bounded(live: LiveListener, platform: str) -> None:
    push = new_order(live, platform)
    _long_texts(platform, push)
    status, delta = post(live, push)
    assert status == 200 and kept(delta) in ("stored", "quarantined")
    order = stored(live, platform, push.external_id)
    if order is None:
        return  # quarantined whole: also fine
    assert len(order.display_id) <= 64, f"display_id of {len(order.display_id)} characters"
    texts = [order.notes, order.status_reason, order.rider_status]
    if order.customer:
        texts += [order.customer.name, order.customer.address, order.customer.phone_masked]
    for item in order.items:
        texts += [item.name, item.note, item.sku, item.category, *(m.name for m in item.modifiers)]
    too_long = [len(t) for t in texts if t is not None and len(t) > 1000]
    assert too_long == [], f"text fields of {too_long} characters reached the store"


# -- the same message twice counts once -------------------------------------------------------------------
def is_reminder(push: Push) -> bool:
    p = push.payload
    return "remind_id" in p or p.get("type") == 45 or p.get("event") == "order.reminder"


@pytest.mark.parametrize(
    ("platform", "form"), [("meituan", True), ("meituan", False), ("eleme", False), ("own", False)]
)
def test_the_same_signed_rush_reminder_twice_counts_once(
    live: LiveListener, platform: str, form: bool
) -> None:
    [template] = [t for t in live.templates[platform] if is_reminder(t) and t.form == form]
    push = with_fresh_id(template)
    assert push.order is not None
    assert post(live, push.order)[0] == 200
    wire = live.signer.sign(push)
    for _ in range(2):  # the platform retries with the very same signed bytes
        assert post(live, push, copy.deepcopy(wire))[0] == 200
    order = stored(live, platform, push.external_id)
    assert order is not None and order.reminders == 1


@pytest.mark.parametrize("template", [1, 2], ids=["cancel", "reminder"])
def test_two_different_eleme_messages_sharing_a_request_id_are_both_applied(
    live: LiveListener, template: int
) -> None:
    """Only a retry (the same signed bytes) may be dropped: a cancel for order B is not a copy of one for A
    because both carry the same requestId (found by the benchmark with requestIds mutated to "false", "NaN")."""
    first, second = (with_fresh_id(live.templates["eleme"][template]) for _ in range(2))
    for push in (first, second):
        push.payload["requestId"] = first.payload["requestId"]
        assert post(live, push.order)[0] == 200  # type: ignore[arg-type]
        assert post(live, push)[0] == 200
    for push in (first, second):
        order = stored(live, "eleme", push.external_id)
        assert order is not None
        applied = order.status is OrderStatus.CANCELLED if template == 1 else order.reminders == 1
        assert applied, (
            f"the message for order {push.external_id} was dropped: {order.status}, {order.reminders}"
        )


# -- what the fuzz tests found ----------------------------------------------------------------------------
@pytest.mark.parametrize("platform", ["meituan", "eleme", "ubereats", "doordash", "own"])
def test_a_non_ascii_signature_is_refused_not_a_500(live: LiveListener, platform: str) -> None:
    push = new_order(live, platform)
    status, delta = post(live, push, live.signer.forge(push, "non-ascii signature"))
    assert (status, delta) == (401, Counts(0, 0, 0, 0))


@pytest.mark.parametrize("platform", ["meituan", "eleme", "own", "doordash"])
def test_a_timestamp_of_unicode_digits_is_refused_not_a_500(live: LiveListener, platform: str) -> None:
    """``"²".isdigit()`` is true and ``int("²")`` raises: a pre-auth 500 on Meituan and Ele.me."""
    push = new_order(live, platform)
    status, delta = post(live, push, live.signer.forge(push, "unicode digits"))
    assert (status, delta) == (401, Counts(0, 0, 0, 0))


@pytest.mark.parametrize("kind", ["null", "", "ten"])
def test_a_signed_eleme_order_whose_type_is_unreadable_is_quarantined(live: LiveListener, kind: str) -> None:
    push = new_order(live, "eleme")
    push.payload["type"] = kind
    status, delta = post(live, push)
    assert (status, kept(delta)) == (200, "quarantined")


@pytest.mark.parametrize("message", [{}, {"orderId": None}, {"orderId": []}, {"orderId": ""}])
def test_a_signed_eleme_cancel_without_a_usable_order_id_is_quarantined(
    live: LiveListener, message: dict[str, Any]
) -> None:
    push = with_fresh_id(live.templates["eleme"][1])  # type 14: the order was cancelled
    push.payload["message"] = message
    status, delta = post(live, push)
    assert (status, kept(delta)) == (200, "quarantined")


@pytest.mark.parametrize("event_type", [[], {}, ["orders.notification"], 1])
def test_a_signed_uber_push_whose_event_type_is_not_text_is_quarantined_without_a_traceback(
    live: LiveListener, event_type: Any
) -> None:
    push = new_order(live, "ubereats")
    push.payload["event_type"] = event_type
    traces = live.tally.count
    status, delta = post(live, push)
    assert (status, kept(delta)) == (200, "quarantined")
    assert live.tally.count == traces, live.tally.first


def test_a_signed_uber_notification_naming_a_10000_character_id_is_kept_not_retried_forever(
    live: LiveListener,
) -> None:
    """The id goes into the Get Order Details URL; a 5xx answer makes Uber resend the notice for ever."""
    push = new_order(live, "ubereats")
    push.payload["meta"]["resource_id"] = "x" * LONG
    status, delta = post(live, push)
    assert (status, kept(delta)) == (200, "quarantined")


@pytest.mark.parametrize("resource_id", ["\ud800", "a\udc80", "\x00"])
def test_a_signed_uber_notification_naming_an_unencodable_id_is_quarantined_without_a_traceback(
    live: LiveListener, resource_id: str
) -> None:
    """``quote("\ud800")`` raises UnicodeEncodeError while building the Get Order Details URL."""
    push = new_order(live, "ubereats")
    push.payload["meta"]["resource_id"] = resource_id
    traces = live.tally.count
    status, delta = post(live, push)
    assert (status, kept(delta)) == (200, "quarantined")
    assert live.tally.count == traces, live.tally.first


def test_quarantine_notices_do_not_pile_up_in_the_channel_service(live: LiveListener) -> None:
    """Each quarantined payload started a notice task that ChannelService kept until it stopped."""
    for _ in range(20):
        push = _own_with(live, lambda p: p.update(items="not a list"))
        assert kept(post(live, push)[1]) == "quarantined"
    held = live.call(_held_tasks(live))
    assert held < 10, f"{held} finished notice tasks still held"


async def _held_tasks(live: LiveListener) -> int:
    await asyncio.sleep(0.05)  # let the notices run
    return len(live.channels._tasks)


def test_the_empty_url_check_stores_nothing(live: LiveListener) -> None:
    for platform in ("meituan", "eleme"):
        before = live.counts()
        resp = live.http.post(f"/{platform}", content=b"")
        assert resp.status_code == 200
        assert live.counts() == before
