"""Pushes as each platform builds them, from the simulators' order generators, with fresh order ids.

A :class:`Push` is a JSON-like payload before it is serialised; :class:`RawJSON` carries JSON text that
``json.dumps`` cannot write (a 5,000-digit number, 100,000 nested brackets, NaN spelled as JSON allows).
"""

from __future__ import annotations

import copy
import itertools
import json
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from posapp.connectors import registry
from posapp.connectors.simulator import Simulator
from posapp.connectors.simulator.cn_menu import sinicize
from posapp.connectors.simulator.eleme import SHOP_ID

PLATFORMS = ("meituan", "eleme", "ubereats", "doordash", "own")
PATHS = {name: str(registry.connector_class(name).webhook_path) for name in PLATFORMS}
# Fields a platform signs as its own system parameters: a signed variant keeps them valid.
SYSTEM_FIELDS = {"meituan": {"app_id", "timestamp", "sig"}, "eleme": {"appId", "timestamp", "signature"}}


# -- raw JSON -------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class RawJSON:
    """JSON text that ``json.dumps`` cannot produce: a 5,000-digit number, 100,000 nested brackets, NaN."""

    text: str


_TOKEN = f"@@raw-{uuid.uuid4().hex}-"


def dumps(value: Any, *, ascii_only: bool | None = None, compact: bool = True) -> str:
    """JSON text of ``value`` with every :class:`RawJSON` spliced in verbatim (non-ASCII kept as it is,
    unless ``ascii_only`` or, by default, the value holds a lone surrogate)."""
    raws: list[str] = []

    def swap(v: Any) -> Any:
        if isinstance(v, RawJSON):
            raws.append(v.text)
            return f"{_TOKEN}{len(raws) - 1}@@"
        if isinstance(v, dict):
            return {k: swap(x) for k, x in v.items()}
        if isinstance(v, list):
            return [swap(x) for x in v]
        return v

    out = json.dumps(
        swap(value),
        # By default a lone surrogate is written as \\ud800, so the text encodes as UTF-8.
        ensure_ascii=has_surrogate(value) if ascii_only is None else ascii_only,
        separators=(",", ":") if compact else None,
    )
    for n, raw in enumerate(raws):
        out = out.replace(f'"{_TOKEN}{n}@@"', raw, 1)
    return out


def has_surrogate(value: Any) -> bool:
    if isinstance(value, str):
        return any("\ud800" <= c <= "\udfff" for c in value)
    if isinstance(value, dict):
        return any(has_surrogate(k) or has_surrogate(v) for k, v in value.items())
    if isinstance(value, list):
        return any(has_surrogate(v) for v in value)
    return False


def has_raw(value: Any) -> bool:
    if isinstance(value, RawJSON):
        return True
    if isinstance(value, dict):
        return any(has_raw(v) for v in value.values())
    if isinstance(value, list):
        return any(has_raw(v) for v in value)
    return False


def form_text(value: Any) -> str:
    """A value as a form field carries it: text (a form has no other type)."""
    if isinstance(value, str):
        return value
    if isinstance(value, RawJSON):
        return value.text
    return dumps(value)


def no_surrogates(value: str) -> str:
    """Form bodies are UTF-8 bytes: a lone surrogate cannot be sent there, only inside JSON as ``\\ud800``."""
    return "".join("\ufffd" if "\ud800" <= c <= "\udfff" else c for c in value)


# -- pushes ----------------------------------------------------------------------------------------------
@dataclass
class Push:
    """One push as a platform builds it, before it is serialised and signed.

    ``payload`` is a JSON-like dict (Meituan form pushes keep their JSON fields as structures until sent).
    ``kind`` is "order" or "event"; an event needs its order stored first (``order``).
    """

    platform: str
    kind: str
    payload: dict[str, Any]
    form: bool = False  # Meituan: form fields (else a JSON body)
    eleme_type: int = 0
    fetched: dict[str, Any] | None = None  # Uber Eats: the Get Order Details body the notification names
    order: Push | None = None
    external_id: str = ""

    def ids(self) -> set[str]:
        """Every order id the (maybe mutated) push names, as the connectors read ids: scalar text."""
        p = self.payload
        if self.platform == "meituan":
            values = [p.get("order_id"), p.get("wm_order_id_view")]
        elif self.platform == "eleme":
            msg = p.get("message") if isinstance(p.get("message"), dict) else {}
            values = [msg.get("id"), msg.get("orderId")]
        elif self.platform == "ubereats":
            meta = p.get("meta") if isinstance(p.get("meta"), dict) else {}
            values = [meta.get("resource_id")]
            if self.fetched is not None:
                values.append(self.fetched.get("id"))
        elif self.platform == "doordash":
            order = p.get("order") if isinstance(p.get("order"), dict) else {}
            values = [order.get("id"), p.get("order_id")]
        else:
            values = [p.get("external_id")]
        out = set()
        for v in values:
            if isinstance(v, RawJSON):
                v = v.text
            if v is None or isinstance(v, (dict, list, bool)):
                continue
            s = str(v).strip()
            if s:
                out.add(s)
        return out


def _meituan_fresh(push: Push, ext: str) -> None:
    push.payload["order_id"] = ext if push.form else int(ext)
    if "wm_order_id_view" in push.payload:
        push.payload["wm_order_id_view"] = push.payload["order_id"]


def _eleme_fresh(push: Push, ext: str) -> None:
    msg = push.payload["message"]
    for key in ("id", "orderId"):
        if key in msg:
            msg[key] = ext


def _uber_fresh(push: Push, ext: str) -> None:
    push.payload["meta"]["resource_id"] = ext
    push.payload["resource_href"] = push.payload["resource_href"].rsplit("/", 1)[0] + "/" + ext
    if push.fetched is not None:
        push.fetched["id"] = ext
        push.fetched["display_id"] = ext[-5:].upper()


def _doordash_fresh(push: Push, ext: str) -> None:
    push.payload["order"]["id"] = ext
    if "delivery_short_code" in push.payload["order"]:
        push.payload["order"]["delivery_short_code"] = ext[:6].upper()


def _own_fresh(push: Push, ext: str) -> None:
    push.payload["external_id"] = ext
    if "display_id" in push.payload:
        push.payload["display_id"] = f"W{ext[-4:]}"


_FRESH: dict[str, Callable[[Push, str], None]] = {
    "meituan": _meituan_fresh,
    "eleme": _eleme_fresh,
    "ubereats": _uber_fresh,
    "doordash": _doordash_fresh,
    "own": _own_fresh,
}
_IDS = itertools.count(1)


def fresh_id(platform: str) -> str:
    """A new external id in the platform's own style (Meituan and Ele.me ids are digits)."""
    n = next(_IDS) + int(time.time() * 1000) % 10**9 * 1000
    if platform == "meituan":
        return f"27{n:015d}"
    if platform == "eleme":
        return f"30{n:016d}"
    if platform in ("ubereats", "doordash"):
        return str(uuid.UUID(int=n + (7 << 100)))
    return f"WEB-{n}"


def _fresh_message_id(push: Push, n: int) -> None:
    """A new id for the message itself, where the platform gives one (a platform's retry repeats it)."""
    p = push.payload
    if push.platform == "meituan" and "remind_id" in p:
        p["remind_id"] = str(n) if push.form else n
    elif push.platform == "eleme":
        p["requestId"] = str(200000000000000000 + n)
        if "remindId" in p["message"]:
            p["message"]["remindId"] = n
    elif push.platform == "ubereats":
        p["event_id"] = str(uuid.UUID(int=n + (9 << 100)))


def with_fresh_id(template: Push, ext: str | None = None) -> Push:
    """A deep copy of ``template`` naming a new order (events: their order gets the same new id)."""
    push = copy.deepcopy(template)
    ext = ext or fresh_id(push.platform)
    push.external_id = ext
    _FRESH[push.platform](push, ext)
    _fresh_message_id(push, next(_IDS))
    if push.order is not None:
        push.order = with_fresh_id(push.order, ext)
    return push


# -- templates from the simulators ------------------------------------------------------------------------
def _meituan_templates(sim: Simulator) -> list[Push]:
    plat = sim.platforms["meituan"]
    order = sim.make_order("meituan")
    sinicize(order)
    order["external_id"] = "27000000000000001"
    if order["fulfillment"] == "dine_in":
        order["fulfillment"] = "pickup"
    fields: dict[str, Any] = dict(plat.order_fields(order))
    for key in ("detail", "extras", "poi_receive_detail"):
        fields[key] = json.loads(fields[key])  # mutated as structures, sent as JSON text
    form_order = Push("meituan", "order", fields, form=True)
    # The same order as a JSON body with real JSON types (numbers, lists, objects).
    typed = copy.deepcopy(fields)
    for key in ("order_id", "wm_order_id_view", "ctime", "utime", "status", "pay_type", "day_seq", "city_id"):
        typed[key] = int(typed[key])
    for key in ("latitude", "longitude"):
        typed[key] = float(typed[key])
    typed["delivery_time"] = int(typed["delivery_time"])
    json_order = Push("meituan", "order", typed)
    now = str(int(time.time()))
    events = [
        {"order_id": "0", "reason_code": "1101", "reason": "用户取消", "deal_op_type": "1"},
        {"order_id": "0", "remind_id": "7", "remind_time": now},
        {
            "order_id": "0",
            "wm_order_id_view": "0",
            "logistics_status": "10",
            "time": now,
            "dispatcher_name": "李师傅",
            "dispatcher_mobile": "13900001111_5678",
        },
    ]
    out = [form_order, json_order]
    for ev in events:
        out.append(Push("meituan", "event", dict(ev), form=True, order=form_order))
        typed_ev = {k: (int(v) if v.isdigit() else v) for k, v in ev.items()}
        out.append(Push("meituan", "event", typed_ev, order=json_order))
    return out


def _eleme_templates(sim: Simulator) -> list[Push]:
    plat = sim.platforms["eleme"]
    order = sim.make_order("eleme")
    sinicize(order)
    order["external_id"] = "3000000000000000001"
    order["fulfillment"] = "delivery"
    message = plat.order_message(order)
    new = Push("eleme", "order", _eleme_envelope(10, message), eleme_type=10)
    now = int(time.time())
    events = [
        (14, {"orderId": "0", "state": "invalid", "shopId": SHOP_ID, "updateTime": now, "role": 1}),
        (45, {"orderId": "0", "remindId": 3, "shopId": SHOP_ID, "userId": 30391781, "updateTime": now}),
        (53, {"orderId": "0", "state": "tobeFetched", "subState": "", "name": "张师傅", "phone": "1,2"}),
    ]
    return [new] + [Push("eleme", "event", _eleme_envelope(t, m), eleme_type=t, order=new) for t, m in events]


def _eleme_envelope(kind: int, message: dict[str, Any]) -> dict[str, Any]:
    return {
        "requestId": "200000000000000001",
        "type": kind,
        "appId": 0,  # set when signed
        "message": message,  # sent as a JSON string
        "shopId": SHOP_ID,
        "timestamp": 0,  # set when signed
        "userId": 363866787356715916,
    }


def _uber_templates(sim: Simulator) -> list[Push]:
    plat = sim.platforms["ubereats"]
    fetched = plat.to_uber(sim.make_order("ubereats"))
    note = json.loads(plat._event("orders.notification", fetched["id"], status="pos"))
    new = Push("ubereats", "order", note, fetched=fetched)
    cancel = json.loads(plat._event("orders.cancel", fetched["id"], status="cancelled", reason="eater"))
    return [new, Push("ubereats", "event", cancel, order=new)]


def _doordash_templates(sim: Simulator) -> list[Push]:
    plat = sim.platforms["doordash"]
    order = sim.make_order("doordash")
    body = plat.to_doordash(order)
    new = Push(
        "doordash",
        "order",
        {"event": {"type": "OrderCreate", "status": "NEW", "created_at": order["placed_at"]}, "order": body},
    )
    cancel = {"event": {"type": "OrderCancel", "cancel_reason": "CONSUMER_CANCELLED"}, "order": {"id": "0"}}
    return [new, Push("doordash", "event", cancel, order=new)]


def _own_templates(sim: Simulator) -> list[Push]:
    order = sim.make_order("own")
    order["external_id"] = "WEB-0"
    new = Push("own", "order", order)
    events = [
        {"event": "order.cancelled", "external_id": "WEB-0", "reason": "customer cancelled on the website"},
        {"event": "order.reminder", "external_id": "WEB-0", "reason": "where is my food"},
    ]
    return [new] + [Push("own", "event", ev, order=new) for ev in events]


TEMPLATES = {
    "meituan": _meituan_templates,
    "eleme": _eleme_templates,
    "ubereats": _uber_templates,
    "doordash": _doordash_templates,
    "own": _own_templates,
}
