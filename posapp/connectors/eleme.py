"""Ele.me (饿了么开放平台): signed JSON message envelopes in, signed NOP JSON-RPC calls out.

Docs: open.shop.ele.me (订单消息推送, 签名算法); formats as the public SDKs implement them:
xiangzhanyou/eleme-openapi-php-sdk (demo/push/util.php, src/ElemeOpenApi/Protocol/RpcClient.php),
lwnmengjing/eleme-openapi-go-sdk (apiUtil.go) and dllen/eleme-openapi-java-sdk (entity/order/OOrder.java).
"""

from __future__ import annotations

import hashlib
import json
import time
import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from posapp.connectors import cn_payload as p
from posapp.connectors.base import (
    CheckFailed,
    CheckProblem,
    Connector,
    Message,
    PushAction,
    WebhookReply,
    payload_errors,
    same_digest,
)
from posapp.domain.events import PlatformEvent, PlatformEventKind
from posapp.domain.order import (
    Customer,
    Fulfillment,
    LineItem,
    Modifier,
    Order,
    OrderStatus,
    Payment,
    Totals,
)
from posapp.errors import PayloadError, PlatformUnavailable, PushRejected, SignatureError
from posapp.lazy import httpx  # imported on first use: posapp/lazy.py

PRODUCTION_URL = "https://open-api.shop.ele.me"  # sandbox: https://open-api-sandbox.shop.ele.me

NEW_ORDER = 10
# 订单消息类型 (open.shop.ele.me, 消息推送 > 订单消息): what each envelope ``type`` means for the queue.
_EVENTS: dict[int, tuple[PlatformEventKind, str]] = {
    14: (PlatformEventKind.CANCELLED, "订单被取消"),
    15: (PlatformEventKind.CANCELLED, "订单置为无效"),
    17: (PlatformEventKind.CANCELLED, "订单强制无效"),
    18: (PlatformEventKind.COMPLETED, "订单完结"),
    20: (PlatformEventKind.REFUND_REQUESTED, "顾客申请取消订单"),
    23: (PlatformEventKind.CANCELLED, "商户同意取消单"),
    25: (PlatformEventKind.CANCELLED, "客服仲裁: 取消单有效"),
    30: (PlatformEventKind.REFUND_REQUESTED, "顾客申请退单"),
    33: (PlatformEventKind.CANCELLED, "商户同意退单"),
    35: (PlatformEventKind.CANCELLED, "客服仲裁: 退单有效"),
    45: (PlatformEventKind.REMINDER, "顾客催单"),
}
# 退单 agreed (33) or upheld by customer service (35): the customer is refunded. The 取消单退单消息 body carries
# orderId, refundStatus, reason, shopId, goodsList, refundType (ORefundType 退单类型) and totalPrice (退款金额,
# yuan), per Ele.me's 消息推送消息体结构定义 (open.shop.ele.me/openapi/documents/callback) as republished at
# www.dianj.com.cn/News/Detail/21258; Ele.me's partial refunds (部分退: 金额退 / 加料退 / 商品退) are described
# at dianj.com.cn/News/Detail/21298. Neither page as found shows ORefundType's values: posapp takes
# refundType "normal" (or none) as a return of the whole order and any other refundType as a partial refund
# of totalPrice, which is what the SDKs' enum names suggest but no public page here confirms.
_REFUNDS = frozenset({33, 35})
_WHOLE_REFUND_TYPES = frozenset({"", "normal"})
_RIDER_TYPES = range(51, 77)  # 运单状态消息 51..76
_RIDER_STATES = {
    "tobeAssignedMerchant": "待商家分配",
    "tobeAssignedCourier": "待分配骑手",
    "tobeFetched": "骑手已接单待取餐",
    "delivering": "配送中",
    "completed": "已送达",
    "cancelled": "配送取消",
    "exception": "配送异常",
    "arrived": "骑手已到店",
    "selfDelivery": "商家自配送",
}
# OOrderStatus in dllen/eleme-openapi-java-sdk enumeration/order.
_STATUS = {
    "pending": OrderStatus.NEW,
    "unprocessed": OrderStatus.NEW,
    "refunding": OrderStatus.ACCEPTED,
    "valid": OrderStatus.ACCEPTED,
    "settled": OrderStatus.COMPLETED,
    "invalid": OrderStatus.CANCELLED,
}
# OInvalidateType: the reasons eleme.order.cancelOrderLite accepts.
CANCEL_TYPES = (
    "others",
    "fakeOrder",
    "contactUserFailed",
    "foodSoldOut",
    "restaurantClosed",
    "distanceTooFar",
    "restaurantTooBusy",
    "forceRejectOrder",
    "deliveryFault",
    "notSatisfiedDeliveryRequirement",
)
_REASON_WORDS = (
    ("售", "foodSoldOut"),
    ("sold", "foodSoldOut"),
    ("打烊", "restaurantClosed"),
    ("closed", "restaurantClosed"),
    ("忙", "restaurantTooBusy"),
    ("busy", "restaurantTooBusy"),
    ("范围", "distanceTooFar"),
    ("远", "distanceTooFar"),
    ("联系不上", "contactUserFailed"),
)
_RETRY_CODES = {"SERVER_ERROR", "EXCEED_LIMIT", "UNAUTHORIZED", "INVALID_TIMESTAMP"}


def _sign_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return "" if value is None else str(value)


def sign_message(envelope: Mapping[str, Any], secret: str) -> str:
    """Push signature: upper(md5(sorted ``key=value`` pairs, concatenated without separator, + secret))."""
    joined = "".join(f"{k}={_sign_value(envelope[k])}" for k in sorted(envelope) if k != "signature")
    # surrogatepass: a lone surrogate still yields a digest (the push is judged by its signature, not a crash).
    return hashlib.md5(f"{joined}{secret}".encode("utf-8", "surrogatepass")).hexdigest().upper()


def sign_request(
    action: str, token: str, metas: Mapping[str, Any], params: Mapping[str, Any], secret: str
) -> str:
    """API signature: upper(md5(action + token + sorted ``k=json(v)`` of metas and params + secret))."""
    merged = {**metas, **params}
    joined = "".join(
        f"{k}={json.dumps(merged[k], ensure_ascii=False, separators=(',', ':'))}" for k in sorted(merged)
    )
    return hashlib.md5(f"{action}{token}{joined}{secret}".encode()).hexdigest().upper()


class ElemeConnector(Connector):
    """One Ele.me app (``app_key`` = app_id); a token from the OAuth client-credentials grant signs calls."""

    name = "eleme"
    display_name = "饿了么"
    webhook_path = "/eleme"
    max_age_seconds = 3600

    def __init__(self, *, base_url: str = PRODUCTION_URL, app_id: str = "", secret: str = "") -> None:
        super().__init__(base_url=base_url or PRODUCTION_URL, app_id=app_id, secret=secret)
        self.shop_id = ""
        # The numeric appId in push envelopes differs from the app_key used for API calls (CallBack.java
        # in dllen/eleme-openapi-java-sdk configures "whjJ8amGkn" while pushes carry appId 65929831).
        self.push_app_id = ""
        self.poll_every = 60.0  # seconds between asks for messages the push could not deliver
        self.clock = time.time
        self._last_poll = float("-inf")
        self._token: str | None = None
        self._token_expires = 0.0

    # -- inbound ---------------------------------------------------------------------------------
    def verify(self, *, headers: Mapping[str, str], body: bytes, query: Mapping[str, str]) -> None:
        if not body.strip():
            return  # the URL check on registration posts an empty body and wants {"message":"ok"}
        try:
            envelope = p.loads(body.decode("utf-8"), "Ele.me message")
        except (UnicodeDecodeError, PayloadError) as exc:
            raise SignatureError("not a signed Ele.me message") from exc
        if not isinstance(envelope, dict):
            raise SignatureError("not a signed Ele.me message")
        given = str(envelope.get("signature") or "").upper()
        if not given:
            raise SignatureError("no signature")
        if not self.secret:
            raise SignatureError("no Ele.me secret configured")
        if self.push_app_id and str(envelope.get("appId", "")) != self.push_app_id:
            raise SignatureError("message for another appId")
        stamp = envelope.get("timestamp")
        digits = str(stamp) if isinstance(stamp, (int, str)) and not isinstance(stamp, bool) else ""
        if not (digits.isascii() and digits.isdigit()) or len(digits) > 13:
            raise SignatureError("no timestamp")
        seconds = int(digits) / 1000 if int(digits) > 10**11 else int(digits)  # milliseconds
        if abs(self.clock() - seconds) > self.max_age_seconds:
            raise SignatureError("stale timestamp")
        if not same_digest(given, sign_message(envelope, self.secret)):
            raise SignatureError("signature does not match")

    def message_key(self, *, headers: Mapping[str, str], body: bytes, query: Mapping[str, str]) -> str:
        # Every push envelope carries Ele.me's own message id, requestId (push guide), kept on a resend even if
        # the timestamp and signature are new; the type and message are part of the key too, so two different
        # messages that happen to share a requestId are both applied.
        try:
            envelope = p.loads(body.decode("utf-8"), "Ele.me message")
        except (UnicodeDecodeError, PayloadError):
            envelope = None
        request_id = p.text(envelope.get("requestId")) if isinstance(envelope, dict) else None
        if request_id is None or not isinstance(envelope, dict):
            return super().message_key(headers=headers, body=body, query=query)
        content = p.json_text([envelope.get("type"), envelope.get("message")])
        digest = hashlib.sha256(content.encode("utf-8", "surrogatepass")).hexdigest()
        return f"requestId:{request_id}:{digest}"

    def parse(self, body: bytes, *, content_type: str | None = None) -> list[Message]:
        with payload_errors("Ele.me payload"):
            return self._parse(p.decode_body(body))

    def _parse(self, data: Any) -> list[Message]:
        if isinstance(data, list):
            return [m for entry in data for m in self._parse(entry)]
        if not isinstance(data, dict):
            raise PayloadError("an Ele.me push is a JSON object")
        if not data:
            return []  # the URL check
        if "message" in data and "type" in data:
            return self._envelope(data)
        if "result" in data:  # an eleme.order.getOrder / mgetOrders answer
            result = data["result"]
            return self._parse(
                list(result.values()) if isinstance(result, dict) and "groups" not in result else result
            )
        if "groups" in data or "orderId" in data:
            return [self._order(data)]
        raise PayloadError("not an Ele.me message envelope or order")

    def _envelope(self, env: dict[str, Any]) -> list[Message]:
        kind = p.integer(env.get("type"), "type")
        if kind is None:
            raise PayloadError("Ele.me message without a message type")
        message = p.obj(env.get("message"), "message")  # the order is a JSON string inside the envelope
        if kind == NEW_ORDER:
            return [self._order(message)]
        if kind not in _EVENTS and kind not in _RIDER_TYPES:
            # 12 accepted (our own echo), 21/22/31/32 withdrawn or refused requests, 46 reply sent, and the
            # shop, product and authorisation messages: nothing for the order queue.
            return []
        order_id = p.text(p.first(message, "orderId", "id"))
        if order_id is None:
            raise PayloadError(f"Ele.me message of type {kind} names no order")
        at = p.epoch(env.get("timestamp"), "timestamp")
        if kind in _EVENTS:
            event_kind, label = _EVENTS[kind]
            reason = p.text(p.first(message, "reason", "remark", "content"))
            detail = f"{label}: {reason}" if reason else label
            cancel = PlatformEvent(self.name, order_id, event_kind, detail, at)
            if kind in _REFUNDS:
                return self._refunded(message, order_id, reason, at, cancel)
            return [cancel]
        state = p.text(message.get("state")) or ""  # a rider (运单) message
        label = _RIDER_STATES.get(state, state or f"运单状态 {kind}")
        rider = p.text(message.get("name"))
        detail = f"{label} {rider}" if rider else label
        return [PlatformEvent(self.name, order_id, PlatformEventKind.RIDER, detail, at)]

    def _refunded(
        self,
        message: dict[str, Any],
        order_id: str,
        reason: str | None,
        at: datetime | None,
        cancel: PlatformEvent,
    ) -> list[Message]:
        """A 退单 agreed: a partial refund (refundType other than normal) is money back of ``totalPrice``
        and the order goes on; a whole one is the rest of the order's money back, then the cancellation."""
        refund_type = p.text(message.get("refundType")) or ""
        if refund_type in _WHOLE_REFUND_TYPES:
            return [PlatformEvent(self.name, order_id, PlatformEventKind.REFUNDED, cancel.detail, at), cancel]
        amount = p.yuan(message.get("totalPrice"), "totalPrice", default=-1)
        if amount <= 0:
            raise PayloadError(
                f"Ele.me partial refund (refundType {refund_type}) of order {order_id} has no totalPrice"
            )
        detail = f"部分退款: {reason}" if reason else "部分退款"
        return [PlatformEvent(self.name, order_id, PlatformEventKind.REFUNDED, detail, at, amount=amount)]

    def _order(self, m: dict[str, Any]) -> Order:
        order_id = p.text(p.first(m, "id", "orderId"))
        if order_id is None:
            raise PayloadError("Ele.me order has no id")
        items: list[LineItem] = []
        extra_fees = 0
        for g, group in enumerate(p.objects(m.get("groups"), "groups"), 1):
            extra = p.text(group.get("type")) == "extra"
            for n, food in enumerate(p.objects(group.get("items"), f"groups[{g}].items"), 1):
                where = f"groups[{g}].items[{n}]"
                if extra:  # "其它费用": 餐盒 (categoryId 102) and other fees, already in packageFee
                    extra_fees += p.yuan(p.first(food, "total", "price"), f"{where}.total")
                    continue
                name = p.text(food.get("name"))
                if name is None:
                    raise PayloadError(f"{where} has no name")
                mods = []
                for spec in p.objects(food.get("newSpecs"), f"{where}.newSpecs") + p.objects(
                    food.get("attributes"), f"{where}.attributes"
                ):
                    value = p.text(spec.get("value"))
                    # Older orders print the spec inside the name ("红烧肉[重辣]"); do not repeat it.
                    if value and value not in name:
                        mods.append(Modifier(value))
                sku = p.text(p.first(food, "extendCode", "skuId", "id"))
                items.append(
                    LineItem(
                        name=name,
                        quantity=p.quantity(food.get("quantity"), f"{where}.quantity"),
                        unit_price=p.yuan(food.get("price"), f"{where}.price"),
                        sku=None if sku in ("-1", "0") else sku,
                        modifiers=tuple(mods),
                    )
                )
        if not items:
            raise PayloadError(f"Ele.me order {order_id} has no items")
        packaging = (
            p.yuan(m.get("packageFee"), "packageFee", default=extra_fees) if "packageFee" in m else extra_fees
        )
        packaging += p.yuan(m.get("coldBoxFee"), "coldBoxFee")
        # activityTotal and hongbao are negative yuan (OOrder.java; every public type-10 sample adds up so):
        # all activities plus the red packet the customer used.
        discount = -p.yuan(m.get("activityTotal"), "activityTotal") - p.yuan(m.get("hongbao"), "hongbao")
        subtotal = sum(i.line_total() for i in items)
        delivery = p.yuan(m.get("deliverFee"), "deliverFee")
        total = p.yuan(m.get("totalPrice"), "totalPrice", default=subtotal + packaging + delivery - discount)
        placed = p.local_time(p.first(m, "activeAt", "createdAt"), "createdAt")
        if placed is None:
            raise PayloadError(f"Ele.me order {order_id} has no createdAt")
        service_fee = m.get("serviceFee")
        income = m.get("income")
        notes = p.text(m.get("description"))
        if m.get("downgraded") is True:
            # OOrder.downgraded (降级标识, dllen/eleme-openapi-java-sdk): a partial order, amounts may be 0.
            notes = "饿了么降级订单: 金额与明细以平台为准" + (f"; {notes}" if notes else "")
        phones = m.get("phoneList") if isinstance(m.get("phoneList"), list) else [m.get("phoneList")]
        status = _STATUS.get(p.text(m.get("status")) or "unprocessed", OrderStatus.NEW)
        book = m.get("book") is True or p.text(m.get("book")) == "true"
        day_sn = p.integer(m.get("daySn"), "daySn", 0)
        return Order(
            platform=self.name,
            external_id=order_id,
            display_id=str(day_sn) if day_sn else order_id[-4:],
            fulfillment=Fulfillment.DELIVERY,
            placed_at=placed,
            # deliverTime is the promised time of a 预订单 (book=true); null for "as soon as possible".
            due_at=p.local_time(m.get("deliverTime"), "deliverTime") if book else None,
            currency=p.CURRENCY,
            items=tuple(items),
            totals=Totals(
                subtotal=subtotal,
                total=total,
                discount=discount,
                delivery_fee=delivery,
                packaging_fee=packaging,
                commission=None if p.text(service_fee) is None else abs(p.yuan(service_fee, "serviceFee")),
                payout=None if p.text(income) is None else p.yuan(income, "income"),
            ),
            status=status,
            customer=Customer(
                name=p.text(m.get("consignee")),
                phone_masked=p.mask_phone(phones[0] if phones else None),
                address=p.text(p.first(m, "address", "deliveryPoiAddress")),
            ),
            payment=Payment("online", True)
            if m.get("onlinePaid", True) is not False
            else Payment("cash", False),
            notes=notes,
            raw=m,
        )

    # -- replies ---------------------------------------------------------------------------------
    def reply_ok(self) -> WebhookReply:
        return WebhookReply(200, b'{"message":"ok"}')

    def reply_error(self, status: int, reason: str) -> WebhookReply:
        return WebhookReply(status, json.dumps({"message": reason}, ensure_ascii=False).encode())

    # -- outbound --------------------------------------------------------------------------------
    async def push(self, client: httpx.AsyncClient, action: PushAction, payload: Mapping[str, Any]) -> None:
        order_id = str(payload.get("external_id") or "")
        if action is PushAction.ACCEPT:
            await self.call(client, "eleme.order.confirmOrderLite", {"orderId": order_id})
        elif action in (PushAction.REJECT, PushAction.CANCEL):
            reason = str(payload.get("reason") or "")
            await self.call(
                client,
                "eleme.order.cancelOrderLite",
                {
                    "orderId": order_id,
                    "type": cancel_type(payload.get("reason_code"), reason),
                    "remark": reason,
                },
            )
        elif action is PushAction.READY:
            await self.call(client, "eleme.order.setOrderPrepared", {"orderId": order_id})  # 出餐
        elif action in (PushAction.SOLD_OUT, PushAction.IN_STOCK):
            spec = {
                "itemId": _int_or_str(payload.get("sku")),
                "specId": _int_or_str(payload.get("spec_id") or 0),
            }
            verb = "batchClearStock" if action is PushAction.SOLD_OUT else "batchFillStock"
            await self.call(client, f"eleme.product.item.{verb}", {"specIds": [spec]})
        elif action in (PushAction.PAUSE, PushAction.RESUME):
            shop = _int_or_str(payload.get("shop_id") or self.shop_id)
            is_open = 0 if action is PushAction.PAUSE else 1
            await self.call(
                client, "eleme.shop.updateShop", {"shopId": shop, "properties": {"isOpen": is_open}}
            )
        else:
            raise NotImplementedError(f"Ele.me has no call for {action}")

    async def poll(self, client: httpx.AsyncClient) -> list[bytes]:
        """Messages Ele.me could not push to us (listener down), via eleme.message.getNonReachedOMessages.

        They are envelopes as pushed; they came over our own signed API call, so no push signature applies.
        """
        app_id = self.push_app_id or (self.app_id if self.app_id.isdigit() else "")
        if not app_id or self.clock() - self._last_poll < self.poll_every:
            return []
        self._last_poll = self.clock()
        result = await self.call(client, "eleme.message.getNonReachedOMessages", {"appId": int(app_id)})
        messages = result if isinstance(result, list) else []
        return [json.dumps(m, ensure_ascii=False).encode() for m in messages if isinstance(m, dict)]

    async def check(self, client: httpx.AsyncClient) -> str:
        # A token by the client-credentials grant, then 查询店铺信息 eleme.shop.getShop(shopId) (the NOP action as
        # lwnmengjing/eleme-openapi-go-sdk shop.go calls it): both signed, neither changes anything.
        self._token = None
        try:
            await self.token(client)
        except httpx.HTTPStatusError as exc:
            if exc.response.status_code in (400, 401, 403):
                raise CheckFailed(
                    CheckProblem.WRONG_SECRET, f"token: HTTP {exc.response.status_code}"
                ) from exc
            raise
        if not self.shop_id:
            raise CheckFailed(CheckProblem.WRONG_SHOP, "no shop_id")
        try:
            shop = await self.call(client, "eleme.shop.getShop", {"shopId": _int_or_str(self.shop_id)})
        except (PushRejected, PlatformUnavailable) as exc:
            text = str(exc)
            if "SIGNATURE" in text or "UNAUTHORIZED" in text:
                raise CheckFailed(CheckProblem.WRONG_SECRET, text) from exc
            if "SHOP" in text or "PERMISSION" in text or "NOT_FOUND" in text:
                raise CheckFailed(CheckProblem.WRONG_SHOP, text) from exc
            raise CheckFailed(CheckProblem.REFUSED, text) from exc
        return str(shop.get("name") if isinstance(shop, dict) and shop.get("name") else self.shop_id)

    async def token(self, client: httpx.AsyncClient) -> str:
        """An access token from the client-credentials grant (``POST /token``), cached until it expires."""
        if self._token is not None and self.clock() < self._token_expires:
            return self._token
        resp = await client.post(
            f"{self.base_url}/token",
            data={"grant_type": "client_credentials"},
            auth=(self.app_id, self.secret),
            timeout=10.0,
        )
        resp.raise_for_status()
        try:
            data = resp.json()
            token = str(data["access_token"])
            expires = float(data.get("expires_in") or 3600)
        except (ValueError, KeyError, TypeError) as exc:
            raise PlatformUnavailable("饿了么 token answer could not be read") from exc
        self._token, self._token_expires = token, self.clock() + max(60.0, expires - 60.0)
        return token

    async def call(self, client: httpx.AsyncClient, action: str, params: dict[str, Any]) -> Any:
        """One NOP 1.0.0 JSON-RPC call to ``/api/v1/``; returns ``result`` or raises by ``error.code``."""
        token = await self.token(client)
        metas = {"app_key": self.app_id, "timestamp": int(self.clock())}
        body = {
            "nop": "1.0.0",
            "id": uuid.uuid4().hex,
            "action": action,
            "token": token,
            "metas": metas,
            "params": params,
            "signature": sign_request(action, token, metas, params, self.secret),
        }
        resp = await client.post(f"{self.base_url}/api/v1/", json=body, timeout=10.0)
        resp.raise_for_status()
        try:
            answer = resp.json()
        except ValueError as exc:
            raise PlatformUnavailable(f"饿了么 answered {action} with something that is not JSON") from exc
        error = answer.get("error") if isinstance(answer, dict) else {"code": "?", "message": answer}
        if not error:
            return answer.get("result")
        code = str(error.get("code", "?")) if isinstance(error, dict) else "?"
        message = error.get("message", "") if isinstance(error, dict) else str(error)
        if code == "UNAUTHORIZED":
            self._token = None  # fetch a new token on the retry
        if code in _RETRY_CODES:
            raise PlatformUnavailable(f"饿了么 {action}: {code} {message}")
        raise PushRejected(f"饿了么 refused {action}: {code} {message}")

    # -- busy mode and prep times (issue 15) ---------------------------------------------------------
    # The public SDKs' order and shop calls (eleme-openapi-go-sdk, eleme-openapi-java-sdk) confirm, cancel,
    # mark prepared (setOrderPrepared) and open/close a shop; none sets a prep time or a busy state.
    busy_note = "饿了么's open API has no call to set a prep time or busy state (only 出餐 and open/close)"
    accepted_delay_note = "饿了么's open API cannot move an order's ready time"

    # -- missed orders (issue 15) ------------------------------------------------------------------
    async def recover(self, client: httpx.AsyncClient) -> list[bytes] | None:
        """At start-up or when the link is back: the messages Ele.me could not push, at once (``poll`` asks
        the same eleme.message.getNonReachedOMessages, but only every ``poll_every`` seconds)."""
        self._last_poll = float("-inf")
        return await self.poll(client)


# posapp's reason codes (domain/reasons.py) as OInvalidateType.
_GENERIC_TYPES = {
    "sold_out": "foodSoldOut",
    "too_busy": "restaurantTooBusy",
    "closing": "restaurantClosed",
    "out_of_range": "distanceTooFar",
    "customer_request": "others",
    "other": "others",
}


def cancel_type(code: Any, reason: str) -> str:
    """The OInvalidateType for a reject: an explicit valid code, else one guessed from the reason text."""
    if isinstance(code, str) and code in CANCEL_TYPES:
        return code
    if isinstance(code, str) and code in _GENERIC_TYPES:
        return _GENERIC_TYPES[code]
    lowered = reason.lower()
    for word, kind in _REASON_WORDS:
        if word in lowered:
            return kind
    return "others"


def _int_or_str(value: Any) -> int | str:
    text = str(value or "")
    return int(text) if text.isdigit() else text
