"""Meituan Waimai (美团外卖开放平台): form-encoded signed pushes in, signed ``/api/v1/...`` calls out.

Docs: developer.waimai.meituan.com (外卖开放平台) and open-shangou.meituan.com; field meanings as the public
Go SDK easynet-cn/go-meituan documents them (app/*.go for pushes, order/*.go for the order API).
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections.abc import Mapping
from datetime import datetime
from typing import Any
from urllib.parse import unquote_plus

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

PRODUCTION_URL = "https://waimaiopen.meituan.com"

# go-meituan app/app_recieve_order_request.go: 1 submitted, 2 pushed to store, 4 confirmed, 8 done, 9 cancelled.
_STATUS = {
    1: OrderStatus.NEW,
    2: OrderStatus.NEW,
    4: OrderStatus.ACCEPTED,
    8: OrderStatus.COMPLETED,
    9: OrderStatus.CANCELLED,
}
# go-meituan app/app_order_logistics_status_request.go: 美配 delivery states.
_LOGISTICS = {
    0: "配送单发往配送",
    5: "配送侧压单",
    10: "骑手已接单",
    15: "骑手已到店",
    20: "骑手已取货",
    40: "骑手已送达",
    100: "配送单已取消",
}
# Fields Meituan URL-encodes a second time inside a form push, so the sig covers their decoded text
# (JSON blobs and free text, as seen in 553325521/dcxt MTWaiMai.java push logs and go-meituan's decoders).
DOUBLE_ENCODED = frozenset(
    {
        "detail",
        "extras",
        "poi_receive_detail",
        "poi_receive_detail_yuan",
        "recipient_name",
        "recipient_address",
        "recipient_address_detail",
        "caution",
        "reason",
        "dispatcher_name",
        "food",
    }
)
# A push holding any of these is about one order, never a store-level push to acknowledge and drop.
_ORDER_FIELDS = (
    "order_id",
    "wm_order_id_view",
    "detail",
    "total",
    "reason_code",
    "remind_id",
    "logistics_status",
)
# 聚宝盆 (餐饮开放平台) pushes the same order in camelCase inside an ``order`` field.
_CAMEL_ALIASES = {"order_id_view": "wm_order_id_view", "e_poi_id": "app_poi_code"}


def sign(url: str, params: Mapping[str, Any], secret: str) -> str:
    """Meituan ``sig``: md5(url without query + '?' + sorted k=v joined by '&' + secret), lower-case hex."""
    joined = "&".join(f"{k}={'' if params[k] is None else params[k]}" for k in sorted(params))
    # surrogatepass: a lone surrogate in a pushed value still yields a digest, so the push is judged by its
    # sig (and a signed one quarantined later), never answered with an encoding crash.
    return hashlib.md5(f"{url}?{joined}{secret}".encode("utf-8", "surrogatepass")).hexdigest()


def _body_fields(body: bytes) -> dict[str, str]:
    """Every field of a push body as the text Meituan signs: form values as sent, and for a JSON object
    every top-level value, whatever its type (strings as they are, anything else as compact JSON)."""
    try:
        decoded = p.decode_body(body)
    except PayloadError as exc:
        raise SignatureError(f"unreadable body: {exc}") from exc
    if not isinstance(decoded, dict):
        raise SignatureError("the push is neither form fields nor a JSON object")
    return {str(k): str.__str__(v) if isinstance(v, str) else p.json_text(v) for k, v in decoded.items()}


def _encodings(params: dict[str, str]) -> list[dict[str, str]]:
    """The field sets a genuine push may have been signed over: as received, and with the fields Meituan
    URL-encodes a second time decoded once. Never every field: ``order_id=%32...`` would then verify as the
    signed ``2...`` while the parser reads ``%32...``, and a captured push would replay as a second order.
    Each of these fields is read through a decoding reader (``url_text``, ``json_field``), so what verifies
    is what is read."""
    # Meituan encodes them as Java's URLEncoder does: a space becomes "+", so "+" is decoded as a space.
    decoded = {k: unquote_plus(v) if k in DOUBLE_ENCODED else v for k, v in params.items()}
    return [params] if decoded == params else [params, decoded]


class MeituanConnector(Connector):
    """One store (``app_poi_code``) on Meituan Waimai; ``poi_code`` is used for menu and store calls."""

    name = "meituan"
    display_name = "美团外卖"
    webhook_path = "/meituan"
    max_age_seconds = 3600  # a push whose ``timestamp`` is further off than this is refused as stale

    def __init__(self, *, base_url: str = PRODUCTION_URL, app_id: str = "", secret: str = "") -> None:
        super().__init__(base_url=base_url or PRODUCTION_URL, app_id=app_id, secret=secret)
        self.poi_code = ""
        self.callback_url = ""  # the URL registered with Meituan, when a proxy rewrites Host
        self.clock = time.time

    # -- inbound ---------------------------------------------------------------------------------
    def verify(self, *, headers: Mapping[str, str], body: bytes, query: Mapping[str, str]) -> None:
        params = dict(query)
        if body.strip():
            params.update(_body_fields(body))
        if not params:
            return  # Meituan's URL check posts nothing at all; an empty body stores nothing, the reply is "ok"
        given = params.pop("sig", "").lower()
        if not given:
            raise SignatureError("no sig")
        if not self.secret:
            raise SignatureError("no Meituan secret configured")
        if self.app_id and params.get("app_id", "") != self.app_id:
            raise SignatureError("push for another app_id")
        stamp = params.get("timestamp", "")
        if not (stamp.isascii() and stamp.isdigit()) or len(stamp) > 13:
            raise SignatureError("no timestamp")
        if abs(self.clock() - int(stamp)) > self.max_age_seconds:
            raise SignatureError("stale timestamp")
        # Meituan signs the URL it was given; behind a proxy that is not the Host we see.
        host = headers.get("X-Forwarded-Host") or headers.get("Host") or ""
        urls = [self.callback_url] if self.callback_url else []
        urls += [f"{scheme}://{host}{self.webhook_path}" for scheme in ("https", "http")]
        for url in urls:
            for variant in _encodings(params):
                if same_digest(given, sign(url, variant, self.secret)):
                    return
        raise SignatureError("sig does not match")

    def parse(self, body: bytes, *, content_type: str | None = None) -> list[Message]:
        with payload_errors("Meituan payload"):
            data = p.decode_body(body)
            form = body.lstrip()[:1] not in (b"{", b"[", b"\xef")  # JSON (a BOM too) or form fields
            return self._parse(_second_decoding(data) if form else data)

    def _parse(self, data: Any) -> list[Message]:
        if isinstance(data, list):
            return [m for entry in data for m in self._parse(entry)]
        if not isinstance(data, dict):
            raise PayloadError("a Meituan push is form fields or a JSON object")
        if not data:
            return []  # the URL check
        if "data" in data and isinstance(data["data"], (list, dict)):
            return self._parse(data["data"])  # an order/getOrderDetail or getneworders answer
        if "order" in data and ("developerId" in data or "ePoiId" in data):
            return self._parse(_snake(p.obj(data.get("order"), "order")))  # 聚宝盆 push
        if any(k in data for k in ("orderId", "wmOrderIdView", "daySeq")):
            data = _snake(data)
        order_id = p.text(p.first(data, "order_id", "wm_order_id_view"))
        if order_id is not None and not (order_id.isascii() and order_id.isdigit()):
            order_id = (
                None  # Meituan order ids are longs (go-meituan: OrderId int64): anything else is unusable
            )
        if order_id is None:
            if any(k in data for k in _ORDER_FIELDS):
                raise PayloadError("Meituan push is about an order but its order_id is empty or unusable")
            if "app_poi_code" in data or "poi_status" in data:
                return []  # store-level pushes (门店状态, 隐私号降级, 授权): nothing for the order queue
            raise PayloadError("Meituan push has no order_id")
        if "detail" in data or "total" in data:
            return self._order_messages(data, order_id)
        return self._event_messages(data, order_id)

    def _event_messages(self, d: dict[str, Any], order_id: str) -> list[Message]:
        at = p.epoch(p.first(d, "time", "utime", "remind_time", "timestamp"), "time")

        def event(kind: PlatformEventKind, detail: str | None) -> list[Message]:
            return [PlatformEvent(self.name, order_id, kind, detail, at)]

        if "logistics_status" in d:  # 推送美配订单配送状态
            state = p.integer(d["logistics_status"], "logistics_status")
            label = _LOGISTICS.get(state or 0, f"配送状态 {state}")
            rider = p.url_text(d.get("dispatcher_name"))
            return event(PlatformEventKind.RIDER, f"{label} {rider}" if rider else label)

        def refunded(money: int | None, detail: str) -> PlatformEvent:
            return PlatformEvent(self.name, order_id, PlatformEventKind.REFUNDED, detail, at, amount=money)

        if "refund_status" in d:  # 推送退款状态: 3 whole refund done, 13 part refund done
            state = p.integer(d["refund_status"], "refund_status")
            if state == 3:  # the money goes back first, then the order is cancelled
                return [refunded(None, "全额退款成功"), *event(PlatformEventKind.CANCELLED, "全额退款成功")]
            if state == 13 and p.text(d.get("money")) is not None:
                return [refunded(p.yuan(d["money"], "money") or None, "部分退款成功")]
            return []
        if "notify_type" in d:  # 推送订单退款消息 (apply / agree / reject / cancelRefund ...)
            kind = p.text(d["notify_type"]) or ""
            reason = p.url_text(d.get("reason"))
            if kind in ("apply", "part"):
                return event(PlatformEventKind.REFUND_REQUESTED, reason or "顾客申请退款")
            if kind == "agree" and "food" not in d:
                return [
                    refunded(None, reason or "退款成功"),
                    *event(PlatformEventKind.CANCELLED, reason or "退款成功"),
                ]
            if kind == "agree":  # 部分退款 agreed: ``money`` is the refunded amount in yuan
                money = p.yuan(d.get("money"), "money") if p.text(d.get("money")) is not None else 0
                return [refunded(money or None, reason or "部分退款成功")] if money else []
            return []
        if "remind_id" in d or "remindId" in d or "remind_time" in d:  # 推送催单消息
            return event(PlatformEventKind.REMINDER, p.url_text(d.get("reason")) or "顾客催单")
        if "reason_code" in d or "deal_op_type" in d:  # 推送用户或客服取消订单
            return event(PlatformEventKind.CANCELLED, p.url_text(d.get("reason")) or "订单已取消")
        if "status" in d:  # 推送已完成订单 / 订单状态 without the order body
            status = _STATUS.get(p.integer(d["status"], "status") or 0)
            if status is OrderStatus.COMPLETED:
                return event(PlatformEventKind.COMPLETED, "美团: 订单已完成")
            if status is OrderStatus.CANCELLED:
                return event(PlatformEventKind.CANCELLED, p.url_text(d.get("reason")) or "订单已取消")
            return []
        raise PayloadError("unrecognised Meituan push: no order, cancellation, refund or delivery fields")

    def _order_messages(self, d: dict[str, Any], order_id: str) -> list[Message]:
        order = self._order(d, order_id)
        messages: list[Message] = [order]
        # 推送已完成订单 / a cancelled order body: store it and tell an order we already hold.
        if order.status is OrderStatus.COMPLETED:
            messages.append(
                PlatformEvent(self.name, order_id, PlatformEventKind.COMPLETED, "美团: 订单已完成")
            )
        elif order.status is OrderStatus.CANCELLED:
            messages.append(
                PlatformEvent(self.name, order_id, PlatformEventKind.CANCELLED, "美团: 订单已取消")
            )
        return messages

    def _order(self, d: dict[str, Any], order_id: str) -> Order:
        items: list[LineItem] = []
        packaging = 0
        for n, food in enumerate(p.objects(d.get("detail"), "detail"), 1):
            where = f"detail[{n}]"
            name = p.url_text(food.get("food_name"))
            if name is None:
                raise PayloadError(f"{where} has no food_name")
            # ``price`` is discounted unless field 18 is subscribed (go-meituan order/..._detail_detail_item.go);
            # the extras carry that discount, so the item's original price keeps the order reconciling.
            unit = p.yuan(p.first(food, "original_price", "price"), f"{where}.price")
            mods = []
            spec = p.url_text(food.get("spec"))
            if spec and spec not in ("份", p.text(food.get("unit"))):
                mods.append(Modifier(spec))
            for prop in re.split(r"[,，]", p.url_text(food.get("food_property")) or ""):
                if prop.strip():
                    mods.append(Modifier(prop.strip()))
            items.append(
                LineItem(
                    name=name,
                    quantity=p.quantity(food.get("quantity"), f"{where}.quantity"),
                    unit_price=unit,
                    sku=p.text(p.first(food, "app_food_code", "sku_id")),
                    modifiers=tuple(mods),
                )
            )
            # box_num is already the boxes for the whole line (单件数量 x 售卖数量, same go-meituan file).
            packaging += p.product_fen(food.get("box_num"), food.get("box_price"), f"{where}.box")
        if not items:
            raise PayloadError(f"Meituan order {order_id} has no detail items")
        bag = p.fen(d.get("package_bag_money"), "package_bag_money")  # 打包袋 in fen (go-meituan, field 29)
        packaging += (
            bag if bag is not None else p.yuan(d.get("package_bag_money_yuan"), "package_bag_money_yuan")
        )
        discount = sum(
            p.yuan(x.get("reduce_fee"), "extras.reduce_fee") for x in p.objects(d.get("extras"), "extras")
        )
        commission, payout = _receive_detail(d)
        subtotal = sum(i.line_total() for i in items)
        delivery = p.yuan(d.get("shipping_fee"), "shipping_fee")
        total = p.yuan(d.get("total"), "total", default=subtotal + packaging + delivery - discount)
        placed = p.epoch(p.first(d, "ctime", "order_send_time", "utime"), "ctime")
        if placed is None:
            raise PayloadError(f"Meituan order {order_id} has no ctime")
        caution = p.url_text(d.get("caution"))
        pick_type = p.integer(d.get("pick_type"), "pick_type", 0)
        pickup = pick_type == 1 or (caution is not None and "到店自取" in caution)
        pay_type = p.integer(d.get("pay_type"), "pay_type", 2)
        status = _STATUS.get(p.integer(d.get("status"), "status", 2) or 2, OrderStatus.NEW)
        day_seq = p.integer(p.first(d, "day_seq"), "day_seq", 0)
        view_id = p.text(p.first(d, "wm_order_id_view", "order_id")) or order_id
        address = p.url_text(d.get("recipient_address"))
        return Order(
            platform=self.name,
            external_id=order_id,
            # day_seq is only pushed with field 15 subscribed (go-meituan app_recieve_order_request.go).
            display_id=str(day_seq) if day_seq else view_id[-4:],
            fulfillment=Fulfillment.PICKUP if pickup else Fulfillment.DELIVERY,
            placed_at=placed,
            # delivery_time is 0 for "as soon as possible", else the promised time (预订单).
            due_at=p.epoch(d.get("delivery_time"), "delivery_time"),
            currency=p.CURRENCY,
            items=tuple(items),
            totals=Totals(
                subtotal=subtotal,
                total=total,
                discount=discount,
                delivery_fee=delivery,
                packaging_fee=packaging,
                commission=commission,
                payout=payout,
            ),
            status=status,
            customer=Customer(
                name=p.url_text(d.get("recipient_name")),
                phone_masked=p.mask_phone(d.get("recipient_phone")),
                # Field 13 appends "@#reverse-geocoded text" (go-meituan app_recieve_order_request.go).
                address=address.split("@#")[0] if address else None,
            ),
            payment=Payment("cash", False) if pay_type == 1 else Payment("online", True),
            notes=caution,
            raw=d,
        )

    # -- replies ---------------------------------------------------------------------------------
    def reply_ok(self) -> WebhookReply:
        return WebhookReply(200, b'{"data":"ok"}')

    def reply_error(self, status: int, reason: str) -> WebhookReply:
        body = {"data": "ng", "error": {"code": 703 if status in (401, 403) else 700, "msg": reason}}
        return WebhookReply(status, json.dumps(body, ensure_ascii=False).encode())

    # -- outbound --------------------------------------------------------------------------------
    async def push(self, client: httpx.AsyncClient, action: PushAction, payload: Mapping[str, Any]) -> None:
        order_id = str(payload.get("external_id") or "")
        poi = str(payload.get("app_poi_code") or self.poi_code)
        method = "GET"
        params: dict[str, Any]
        if action is PushAction.ACCEPT:
            path, params = "order/confirm", {"order_id": order_id}
        elif action in (PushAction.REJECT, PushAction.CANCEL):
            path = "order/cancel"
            params = {"order_id": order_id, "reason": payload.get("reason") or "商家取消"}
            if payload.get("reason_code"):  # optional; codes from the 附录 "取消订单原因code列表"
                params["reason_code"] = str(payload["reason_code"])
        elif action is PushAction.READY:
            path, params = "order/preparationMealComplete", {"order_id": order_id}  # 出餐上报
        elif action in (PushAction.SOLD_OUT, PushAction.IN_STOCK):
            method, path = "POST", "food/sku/sellStatus"
            code = str(payload.get("sku") or "")
            params = {
                "app_poi_code": poi,
                "food_data": json.dumps(
                    [{"app_food_code": code, "skus": [{"sku_id": str(payload.get("sku_id") or code)}]}],
                    ensure_ascii=False,
                    separators=(",", ":"),
                ),
                "sell_status": "1" if action is PushAction.SOLD_OUT else "0",  # 1 off sale, 0 on sale
            }
        elif action is PushAction.PAUSE:
            path, params = "poi/close", {"app_poi_code": poi}
        elif action is PushAction.RESUME:
            path, params = "poi/open", {"app_poi_code": poi}
        else:
            raise NotImplementedError(f"Meituan has no call for {action}")
        await self._call(client, method, path, params, action)

    async def check(self, client: httpx.AsyncClient) -> str:
        # 批量获取门店详细信息 GET /api/v1/poi/mget?app_poi_codes=... (go-meituan poi/poi_mget_request.go, doc
        # open-shangou.meituan.com/home/docDetail/9): signed like every call, so a wrong secret answers error 703
        # and a store id the app is not bound to is simply missing from ``data``.
        if not self.poi_code:
            raise CheckFailed(CheckProblem.WRONG_SHOP, "no poi_code")
        url = f"{self.base_url}/api/v1/poi/mget"
        resp = await client.get(url, params=self.signed(url, {"app_poi_codes": self.poi_code}), timeout=10.0)
        resp.raise_for_status()
        answer = resp.json()
        error = answer.get("error") if isinstance(answer, dict) else None
        if isinstance(error, dict) and error:
            msg = str(error.get("msg", ""))
            if "timestamp" in msg:
                raise CheckFailed(CheckProblem.CLOCK_SKEW, msg)
            problem = CheckProblem.WRONG_SECRET if str(error.get("code")) == "703" else CheckProblem.REFUSED
            raise CheckFailed(problem, f"{error.get('code')} {msg}")
        shops = answer.get("data") if isinstance(answer, dict) else None
        ours = [s for s in shops or [] if isinstance(s, dict) and str(s.get("app_poi_code")) == self.poi_code]
        if not ours:
            raise CheckFailed(CheckProblem.WRONG_SHOP, self.poi_code)
        return str(ours[0].get("name") or self.poi_code)

    def signed(self, url: str, params: Mapping[str, Any]) -> dict[str, str]:
        """``params`` plus the system parameters ``timestamp``, ``app_id`` and ``sig``."""
        out = {k: str(v) for k, v in params.items()}
        out["timestamp"] = str(int(self.clock()))
        out["app_id"] = self.app_id
        out["sig"] = sign(url, out, self.secret)
        return out

    async def _call(
        self, client: httpx.AsyncClient, method: str, path: str, params: dict[str, Any], action: PushAction
    ) -> None:
        url = f"{self.base_url}/api/v1/{path}"
        query = self.signed(url, params)
        if method == "GET":
            resp = await client.get(url, params=query, timeout=10.0)
        else:
            resp = await client.post(url, data=query, timeout=10.0)
        resp.raise_for_status()
        try:
            answer = resp.json()
        except ValueError as exc:
            raise PlatformUnavailable(
                f"美团 answered {action.value} with something that is not JSON"
            ) from exc
        if isinstance(answer, dict) and str(answer.get("data", "")).lower() == "ok":
            return
        error = answer.get("error") if isinstance(answer, dict) else None
        error = error if isinstance(error, dict) else {}
        raise PushRejected(
            f"美团 refused {action.value}: {error.get('code', '?')} {error.get('msg', answer)}"
        )

    # -- busy mode and prep times (issue 15) ---------------------------------------------------------
    # The open platform's order and store calls (go-meituan order/*.go, poi/*.go; open-shangou docDetail/216
    # 出餐上报, /219 获取备货时长, /33 门店营业时间) report a meal done or read a prep time; none sets one.
    busy_note = (
        "美团's open API has no call to set a prep time or busy state (only 出餐上报 and reading 备货时长)"
    )
    accepted_delay_note = "美团's open API cannot move an order's ready time"

    # -- missed orders (issue 15) ------------------------------------------------------------------
    recover_depth = 30  # today's newest day_seq numbers looked at; 3 signed calls each at most
    _OPEN = frozenset({1, 2, 4})  # submitted, pushed to the store, confirmed: still to cook (_STATUS)

    async def recover(self, client: httpx.AsyncClient) -> list[bytes] | None:
        """Today's orders still open on Meituan, newest first, as order/getOrderDetail answers.

        Meituan has no "orders not yet delivered to you" list for a waimai app; what it documents is the day's
        sequence: 获取当日最新订单流水号 ``order/getOrderDaySeq`` (open-shangou docDetail/146), 根据流水号获取订单ID
        ``order/getOrderIdByDaySeq`` with ``date_time`` yyyyMMdd (docDetail/149) and 获取订单详细信息
        ``order/getOrderDetail`` (docDetail/134), all signed GETs (go-meituan meituan/order.go and its request
        types). Finished (8) and cancelled (9) orders are skipped: only what the kitchen still has to cook."""
        if not self.poi_code:
            return []
        latest = _first_row(await self._data(client, "order/getOrderDaySeq", {"app_poi_code": self.poi_code}))
        newest = p.integer(latest.get("day_seq"), "day_seq", 0) or 0
        day = datetime.fromtimestamp(self.clock(), p.SHANGHAI).strftime("%Y%m%d")
        bodies: list[bytes] = []
        for seq in range(newest, max(0, newest - self.recover_depth), -1):
            try:  # one number Meituan cannot resolve (a gap, another app's order) does not stop the others
                found = _first_row(
                    await self._data(
                        client,
                        "order/getOrderIdByDaySeq",
                        {"app_poi_code": self.poi_code, "date_time": day, "day_seq": seq},
                    )
                )
                order_id = p.text(found.get("order_id"))
                if order_id is None:
                    continue
                detail = _first_row(await self._data(client, "order/getOrderDetail", {"order_id": order_id}))
            except PushRejected:
                continue
            if p.integer(detail.get("status"), "status", 0) in self._OPEN:
                bodies.append(json.dumps({"data": detail}, ensure_ascii=False).encode())
        return bodies

    async def _data(self, client: httpx.AsyncClient, path: str, params: dict[str, Any]) -> Any:
        """One signed GET of a query API; its ``data``, or ``PushRejected`` / ``PlatformUnavailable``."""
        url = f"{self.base_url}/api/v1/{path}"
        resp = await client.get(url, params=self.signed(url, params), timeout=10.0)
        resp.raise_for_status()
        try:
            answer = resp.json()
        except ValueError as exc:
            raise PlatformUnavailable(f"美团 answered {path} with something that is not JSON") from exc
        error = answer.get("error") if isinstance(answer, dict) else None
        if isinstance(error, dict) and error:
            raise PushRejected(f"美团 refused {path}: {error.get('code', '?')} {error.get('msg', '')}")
        return answer.get("data") if isinstance(answer, dict) else None


def _first_row(data: Any) -> dict[str, Any]:
    """A query's ``data``: one object, or (as go-meituan types some answers) a list holding it."""
    if isinstance(data, list):
        data = data[0] if data else {}
    return data if isinstance(data, dict) else {}


def _second_decoding(data: dict[str, str] | Any) -> Any:
    """A form push's doubly encoded fields decoded once more, as Java's URLEncoder encoded them (``+`` is a
    space): done here for every such field, because an ASCII value ("Room+3") carries no ``%`` to tell.
    A JSON body (an API answer) is never URL-encoded a second time, so it is not passed here."""
    if not isinstance(data, dict):
        return data
    return {k: p.unquote_form(v) if k in DOUBLE_ENCODED and _encoded(v) else v for k, v in data.items()}


def _encoded(value: Any) -> bool:
    """Whether a doubly encoded field still holds its second encoding: JSON that already reads as JSON
    (``[{...`` rather than ``%5B%7B...``) came through encoded once only, and is read as it is."""
    return isinstance(value, str) and value.lstrip()[:1] not in ("{", "[")


def _receive_detail(d: Mapping[str, Any]) -> tuple[int | None, int | None]:
    """Commission and payout from 商家应收款详情: ``poi_receive_detail`` in fen or ``..._yuan`` in yuan."""
    detail = p.obj(d.get("poi_receive_detail"), "poi_receive_detail")
    if detail:
        return (
            p.fen(detail.get("foodShareFeeChargeByPoi"), "foodShareFeeChargeByPoi"),
            p.fen(detail.get("wmPoiReceiveCent"), "wmPoiReceiveCent"),
        )
    detail = p.obj(d.get("poi_receive_detail_yuan"), "poi_receive_detail_yuan")
    if detail:
        commission = detail.get("foodShareFeeChargeByPoi")
        payout = detail.get("wmPoiReceiveCent")
        return (
            None if p.text(commission) is None else p.yuan(commission, "foodShareFeeChargeByPoi"),
            None if p.text(payout) is None else p.yuan(payout, "wmPoiReceiveCent"),
        )
    return None, None


def _snake(data: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in data.items():
        snake = re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", str(key)).lower()
        out[_CAMEL_ALIASES.get(snake, snake)] = value
    return out
