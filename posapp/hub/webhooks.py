"""Platform webhooks for every store: which store a push is for, its signature, and what is kept of it.

One path per platform (the connector's own ``webhook_path``, so a platform's URL at the hub differs from a
counter's only by host). The store is told by the platform's own store key; the push is verified by that
store's connector with that store's secret — the connectors' code, never a copy of it — and stored raw
before the platform is answered, in the platform's own reply format.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping
from typing import Any

from posapp.connectors import cn_payload, registry
from posapp.connectors.base import Connector
from posapp.errors import PayloadError
from posapp.hub.sealing import Sealer
from posapp.hub.stores import PlatformKey

log = logging.getLogger(__name__)

PLATFORMS = ("meituan", "eleme", "ubereats", "doordash", "own")
MAX_BODY = 2 * 1024 * 1024  # as the counter's listener: a real order push is a few kB
OWN_STORE_HEADER = "X-Posapp-Store"
# Never stored with a push: credentials (DoorDash sends its webhook token as Authorization) and hop-by-hop.
_DROPPED_HEADERS = frozenset(
    {
        "authorization",
        "proxy-authorization",
        "cookie",
        "connection",
        "keep-alive",
        "transfer-encoding",
        "content-length",
        "upgrade",
        "te",
        "host",
    }
)


def _json_object(body: bytes) -> dict[str, Any] | None:
    try:
        data = cn_payload.decode_body(body)
    except PayloadError:
        return None
    return data if isinstance(data, dict) else None


def _text(value: Any) -> str | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (str, int)):
        out = str(value).strip()
        return out if out and len(out) <= 128 else None
    return None


def meituan_key(headers: Mapping[str, str], body: bytes, query: Mapping[str, str]) -> str | None:
    # Meituan Waimai's order pushes name the store as app_poi_code (go-meituan app/app_recieve_order_request.go
    # `AppPoiCode ... url:"app_poi_code"`); 聚宝盆 pushes call it ePoiId. The 推送用户或客服取消订单 push is
    # documented with order_id, reason_code, reason and deal_op_type only (go-meituan
    # app/app_canceled_order_request.go, after open-shangou.meituan.com/home/docDetail/201), so it is routed by
    # its order (hub_order_routes); an app_poi_code sent beside them is used when present.
    fields = {**query, **(_json_object(body) or {})}
    order = fields.get("order")
    if isinstance(order, dict):
        fields = {**order, **fields}
    return _text(fields.get("app_poi_code")) or _text(fields.get("ePoiId"))


def eleme_key(headers: Mapping[str, str], body: bytes, query: Mapping[str, str]) -> str | None:
    # The push envelope carries the shop: {"requestId", "type", "appId", "message", "shopId", "timestamp",
    # "signature", "userId"} (饿了么开放平台消息推送 example, http://dianj.com.cn/News/Detail/21265).
    data = _json_object(body) or {}
    return _text(data.get("shopId"))


def ubereats_key(headers: Mapping[str, str], body: bytes, query: Mapping[str, str]) -> str | None:
    # Webhook body: {"event_id", "event_time", "event_type", "meta": {"resource_id", "status", "user_id"},
    # "resource_href"}, meta.user_id being the store's UUID
    # (https://developer.uber.com/docs/eats/references/api/webhooks.orders-notification).
    data = _json_object(body) or {}
    meta = data.get("meta")
    meta = meta if isinstance(meta, dict) else {}
    return _text(meta.get("user_id")) or _text(meta.get("store_id")) or _text(data.get("store_id"))


def doordash_key(headers: Mapping[str, str], body: bytes, query: Mapping[str, str]) -> str | None:
    # DoorDash's own docs name the store as {"store": {"merchant_supplied_id", "provider_type"}}: in the order
    # (Sample order, developer.doordash.com/en-US/docs/marketplace/reference/sample_order), inside the Orders
    # webhook envelope {"event": {"type": "OrderCreate"}, "order": {...}} (Create a Webhook Subscription guide),
    # and at the top of the cancellation and auto-release notifications (how_to/order_cancellation_webhook,
    # reference/sample_auto_order_release_event). A top-level store_id is only in a third-party schema
    # (api-evangelist/doordash), read last.
    data = _json_object(body) or {}
    order = data.get("order")
    order = order if isinstance(order, dict) else data
    store = order.get("store")
    store = store if isinstance(store, dict) else {}
    return (
        _text(store.get("merchant_supplied_id"))
        or _text(store.get("id"))
        or _text(order.get("store_id"))
        or _text(data.get("store_id"))
    )


def own_key(headers: Mapping[str, str], body: bytes, query: Mapping[str, str]) -> str | None:
    # Our own website names the store in a header the hub defines (the body is the canonical order).
    return _text(headers.get(OWN_STORE_HEADER))


STORE_KEYS: dict[str, Callable[[Mapping[str, str], bytes, Mapping[str, str]], str | None]] = {
    "meituan": meituan_key,
    "eleme": eleme_key,
    "ubereats": ubereats_key,
    "doordash": doordash_key,
    "own": own_key,
}


def meituan_order(headers: Mapping[str, str], body: bytes, query: Mapping[str, str]) -> str | None:
    fields = {**query, **(_json_object(body) or {})}
    return _text(fields.get("order_id")) or _text(fields.get("wm_order_id_view"))


def eleme_order(headers: Mapping[str, str], body: bytes, query: Mapping[str, str]) -> str | None:
    message = (_json_object(body) or {}).get("message")
    inner = _json_object(message.encode("utf-8", "surrogatepass")) if isinstance(message, str) else None
    return _text((inner or {}).get("orderId")) or _text((inner or {}).get("id"))


def ubereats_order(headers: Mapping[str, str], body: bytes, query: Mapping[str, str]) -> str | None:
    meta = (_json_object(body) or {}).get("meta")
    return _text(meta.get("resource_id")) if isinstance(meta, dict) else None


def doordash_order(headers: Mapping[str, str], body: bytes, query: Mapping[str, str]) -> str | None:
    data = _json_object(body) or {}
    order = data.get("order")
    if isinstance(order, dict):
        return _text(order.get("id"))
    # A bare order has its id; a cancellation or release names it external_order_id (DoorDash's id) and
    # client_order_id (what the POS confirmed) (developer.doordash.com/en-US/docs/marketplace/how_to/
    # order_cancellation_webhook).
    return (
        _text(data.get("id"))
        or _text(data.get("external_order_id"))
        or _text(data.get("client_order_id"))
        or _text(data.get("order_id"))
    )


def own_order(headers: Mapping[str, str], body: bytes, query: Mapping[str, str]) -> str | None:
    return _text((_json_object(body) or {}).get("external_id"))


# The order a push is about, to learn which store holds it (and route a later push that names no store).
ORDER_IDS: dict[str, Callable[[Mapping[str, str], bytes, Mapping[str, str]], str | None]] = {
    "meituan": meituan_order,
    "eleme": eleme_order,
    "ubereats": ubereats_order,
    "doordash": doordash_order,
    "own": own_order,
}


# Uber Eats' report webhooks (services/payout_fetch.py). Uber's event structure for them is event_type,
# event_id, job_id, report_type and report_metadata (developer.uber.com/docs/eats/references/api/
# webhooks.eats-report-success): no store, as one report may cover up to 50 stores. A report webhook that names
# no store is kept for each store whose Uber Eats secret proves its signature (HubServer._report_webhook).
REPORT_EVENTS = ("eats.report.success", "eats.report.failure")
MAX_REPORT_BODY = 64 * 1024  # a notice with at most 20 links, never the report itself


def is_report(platform: str, body: bytes) -> bool:
    """Whether the push is an Uber Eats report webhook (read before any store is known)."""
    return platform == "ubereats" and (_json_object(body) or {}).get("event_type") in REPORT_EVENTS


def url_check(platform: str, body: bytes, query: Mapping[str, str]) -> bool:
    """Meituan and Ele.me post an empty body when a webhook URL is registered; it is answered ``ok``."""
    return platform in ("meituan", "eleme") and not body.strip() and not query


def kept_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """The headers stored with a push for the counter (message keys, content type), never credentials."""
    return {k: v for k, v in headers.items() if k.lower() not in _DROPPED_HEADERS}


def make_connector(key: PlatformKey, sealer: Sealer) -> Connector:
    """The store's connector for one platform, with its secret opened, as a counter would configure it."""
    connector = registry.make(key.platform, app_id=key.app_id, secret=sealer.open(key.secret_sealed))
    for name, value in key.options.items():  # e.g. Meituan callback_url, Ele.me push_app_id
        if name != "secret" and isinstance(getattr(connector, name, None), str):
            setattr(connector, name, str(value))
    return connector


def encode_query(query: Mapping[str, str]) -> str:
    return json.dumps(dict(query), ensure_ascii=False, sort_keys=True)
