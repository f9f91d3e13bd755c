"""What must happen to one posted push, judged from its answer and the rows it left behind."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from tests.webhook.pushes import SYSTEM_FIELDS, Push, RawJSON
from tests.webhook.signing import Wire

COUNTED = ("orders", "order_events", "pending_messages", "quarantine")


@dataclass(frozen=True)
class Counts:
    orders: int
    order_events: int
    pending_messages: int
    quarantine: int

    @property
    def stored(self) -> int:
        return self.orders + self.order_events + self.pending_messages

    def __sub__(self, other: Counts) -> Counts:
        return Counts(*(getattr(self, f) - getattr(other, f) for f in COUNTED))

    def __bool__(self) -> bool:
        return any(getattr(self, f) for f in COUNTED)


_MEITUAN_KIND_KEYS = (
    "detail",
    "total",
    "logistics_status",
    "refund_status",
    "notify_type",
    "remind_id",
    "remindId",
    "remind_time",
    "reason_code",
    "deal_op_type",
    "status",
)
_ELEME_ORDER_TYPES = {10, 14, 15, 17, 18, 20, 23, 25, 30, 33, 35, 45, *range(51, 77)}


def discriminator(push: Push) -> Any:
    """What says which message a push is (its event type, or for Meituan the fields it carries)."""
    p = push.payload
    if push.platform == "meituan":
        return frozenset(k for k in _MEITUAN_KIND_KEYS if k in p)
    if push.platform == "eleme":
        return repr(p.get("type"))
    if push.platform == "ubereats":
        return repr(p.get("event_type"))
    if push.platform == "doordash":
        return repr(p.get("event", {}).get("type") if isinstance(p.get("event"), dict) else p.get("event"))
    return repr(p.get("event"))


def may_carry_nothing(push: Push) -> bool:
    """Signed pushes the platform documents as carrying nothing for the order queue (acknowledged, not kept):
    Meituan store-level pushes (no order id field at all) and refund/status notices; Ele.me shop messages."""
    p = push.payload
    if push.platform == "meituan":
        if {"data", "order", "orderId", "wmOrderIdView", "daySeq"} & set(p):
            return True  # another Meituan shape (an API answer, 聚宝盆 camelCase): not judged here
        if not {"order_id", "wm_order_id_view"} & set(p):
            return "app_poi_code" in p or "poi_status" in p  # 门店状态, 授权 ...: no order field at all
        kinds = discriminator(push)
        event_keys = {"detail", "total", "logistics_status", "remind_id", "remindId", "remind_time"}
        event_keys |= {"reason_code", "deal_op_type"}
        return not (kinds & event_keys) and bool(kinds & {"refund_status", "notify_type", "status"})
    if push.platform == "eleme":
        kind = p.get("type")
        try:
            number = int(str(kind.text if isinstance(kind, RawJSON) else kind).strip())
        except ValueError:
            return False
        return number not in _ELEME_ORDER_TYPES
    return False


def decodable(body: bytes) -> bool:
    """Whether a JSON body can be read at all (100,000 nested brackets cannot): its signature inside it neither."""
    if body.lstrip()[:1] not in (b"{", b"["):
        return True
    try:
        json.loads(body, parse_int=str, parse_float=str, parse_constant=str)
    except RecursionError:
        return False
    except ValueError:
        return True  # malformed, not too deep: still judged
    return True


@dataclass
class Verdict:
    """One post judged: ``problem`` is None or names which promise the listener broke."""

    platform: str
    signed: bool
    status: int
    delta: Counts
    problem: str | None = None
    detail: str = ""


def judge(
    push: Push,
    original: Push,
    wire: Wire,
    *,
    signed: bool,
    status: int,
    delta: Counts,
    known_before: set[str],
    tracebacks: int,
) -> Verdict:
    v = Verdict(push.platform, signed, status, delta)
    if status >= 500:
        v.problem = "5xx"
    elif tracebacks:
        v.problem = "traceback logged"
    elif signed:
        if status in (401, 403) and (push.platform not in SYSTEM_FIELDS or decodable(wire.body)):
            v.problem = "signed push refused"
        elif 400 <= status < 500 and status not in (401, 403):
            v.problem = f"signed push answered {status}"
        elif status < 300 and not delta:
            same_id = push.external_id if discriminator(push) == discriminator(original) else None
            duplicate = known_before - {same_id}
            if not duplicate and not may_carry_nothing(push):
                v.problem = "signed push neither stored nor quarantined"
    elif delta:
        v.problem = "unsigned push changed the database"
    elif status not in (401, 403):
        v.problem = f"unsigned push answered {status}"
    return v
