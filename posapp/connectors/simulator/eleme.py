"""Simulated Ele.me: signed message envelopes to the app, the OAuth token endpoint and the NOP ``/api/v1/``.

The signing here is written independently of ``posapp.connectors.eleme`` so the two check each other.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import time
import uuid
from datetime import datetime
from typing import Any

import httpx
from aiohttp import BasicAuth, web

from posapp.connectors.simulator import menus
from posapp.connectors.simulator.base import PlatformSim
from posapp.connectors.simulator.cn_menu import sinicize

SHOP_ID = 161856062


def _envelope_signature(envelope: dict[str, Any], secret: str) -> str:
    pairs = sorted((k, v) for k, v in envelope.items() if k != "signature")
    return hashlib.md5(("".join(f"{k}={v}" for k, v in pairs) + secret).encode()).hexdigest().upper()


def _request_signature(body: dict[str, Any], secret: str) -> str:
    merged = {**body.get("metas", {}), **body.get("params", {})}
    text = "".join(
        f"{k}={json.dumps(merged[k], ensure_ascii=False, separators=(',', ':'))}" for k in sorted(merged)
    )
    raw = f"{body.get('action', '')}{body.get('token', '')}{text}{secret}"
    return hashlib.md5(raw.encode()).hexdigest().upper()


def _yuan(fen: int) -> float:
    return fen / 100


def _local(iso: str | None) -> str | None:
    """Ele.me writes Beijing local time without an offset."""
    if not iso:
        return None
    from zoneinfo import ZoneInfo

    return datetime.fromisoformat(iso).astimezone(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m-%dT%H:%M:%S")


class ElemeSim(PlatformSim):
    name = "eleme"
    app_id = "10086001"
    secret = "elm-demo-secret-2c9d"

    def __init__(self, sim: Any) -> None:
        super().__init__(sim)
        self.known: set[str] = set()
        self.tokens: set[str] = set()
        self.undelivered: list[dict[str, Any]] = []  # served by eleme.message.getNonReachedOMessages
        self._ids = itertools.count(1)
        self.shop_id = "161856062"  # the one shop this app may read (eleme.shop.getShop)

    # -- the API the app calls -------------------------------------------------------------------
    def add_routes(self, app: web.Application) -> None:
        app.router.add_post(f"{self.prefix}/token", self._token)
        app.router.add_post(f"{self.prefix}/api/v1/", self._api)
        app.router.add_post(f"{self.prefix}/api/v1", self._api)

    async def _token(self, request: web.Request) -> web.Response:
        try:
            auth = BasicAuth.decode(request.headers.get("Authorization", ""))
        except ValueError:
            return web.json_response({"error": "unauthorized_client"}, status=401)
        form = await request.post()
        if (auth.login, auth.password) != (self.app_id, self.secret) or form.get(
            "grant_type"
        ) != "client_credentials":
            return web.json_response({"error": "invalid_client"}, status=401)
        token = uuid.uuid4().hex
        self.tokens.add(token)
        return web.json_response(
            {"access_token": token, "token_type": "Bearer", "expires_in": 86400, "refresh_token": ""}
        )

    async def _api(self, request: web.Request) -> web.Response:
        body = await request.json()
        rid = body.get("id")

        def error(code: str, message: str) -> web.Response:
            return web.json_response({"id": rid, "result": None, "error": {"code": code, "message": message}})

        if body.get("token") not in self.tokens:
            return error("UNAUTHORIZED", "token 无效")
        if body.get("metas", {}).get("app_key") != self.app_id or body.get("signature") != _request_signature(
            body, self.secret
        ):
            return error("INVALID_SIGNATURE", "签名错误")
        if self.fail_next > 0:
            self.fail_next -= 1
            return web.json_response({"message": "service unavailable"}, status=503)
        params = body.get("params") or {}
        if body.get("action") == "eleme.shop.getShop":
            if str(params.get("shopId")) != self.shop_id:
                return error("PERMISSION_DENIED_SHOP", "无权操作该店铺")
            return web.json_response(
                {"id": rid, "result": {"id": self.shop_id, "name": "老王面馆"}, "error": None}
            )
        if body.get("action") in (
            "eleme.product.category.getShopCategories",
            "eleme.product.item.queryItemByPage",
        ):
            query = params.get("queryPage")
            page: dict[str, Any] = query if isinstance(query, dict) else params
            if str(page.get("shopId")) != self.shop_id:
                return error("PERMISSION_DENIED_SHOP", "无权操作该店铺")
            if body["action"].endswith("getShopCategories"):
                return web.json_response({"id": rid, "result": menus.eleme_categories(), "error": None})
            offset, limit = int(page.get("offset") or 0), min(300, int(page.get("limit") or 300))
            return web.json_response({"id": rid, "result": menus.eleme_items(offset, limit), "error": None})
        if body.get("action") == "eleme.message.getNonReachedOMessages":
            messages, self.undelivered = self.undelivered, []
            return web.json_response({"id": rid, "result": messages, "error": None})
        order_id = params.get("orderId")
        if order_id is not None and str(order_id) not in self.known:
            return error("BIZ_ORDER_NOT_FOUND", "订单不存在")  # simulated business error: park, not retry
        self.record(request, {"action": body.get("action"), "params": params})
        return web.json_response({"id": rid, "result": None, "error": None})

    # -- pushes to the app -----------------------------------------------------------------------
    async def deliver(self, order: dict[str, Any]) -> None:
        sinicize(order)
        if not str(order["external_id"]).isdigit():
            order["external_id"] = f"30{int(time.time()) % 10**9:09d}{next(self._ids):06d}"
        order["fulfillment"] = "delivery"  # the open platform's pushes here are delivery orders
        self.known.add(order["external_id"])
        await self.post_message(10, self.order_message(order))

    def order_message(self, order: dict[str, Any]) -> dict[str, Any]:
        """The order (``message`` of a type-10 push) for a canonical order dict."""
        t = order["totals"]
        items = []
        for item in order["items"]:
            mods = item.get("modifiers") or []
            per_unit = item["unit_price"] + sum(m["unit_price"] * m["quantity"] for m in mods)
            items.append(
                {
                    "id": abs(hash(item["name"])) % 10**9,
                    "skuId": abs(hash(item.get("sku") or item["name"])) % 10**12,
                    "name": item["name"],
                    "categoryId": 1,
                    "price": _yuan(per_unit),
                    "quantity": item["quantity"],
                    "total": _yuan(per_unit * item["quantity"]),
                    "additions": [],
                    "newSpecs": [{"name": "规格", "value": m["name"]} for m in mods[:1]],
                    "attributes": [{"name": "口味", "value": m["name"]} for m in mods[1:]],
                    "extendCode": item.get("sku") or "",
                    "barCode": "",
                    "weight": 1.0,
                    "userPrice": 0.0,
                    "shopPrice": 0.0,
                }
            )
        groups: list[dict[str, Any]] = [{"name": "1号篮子", "type": "normal", "items": items}]
        if t["packaging_fee"]:
            box = _yuan(t["packaging_fee"])
            groups.append(
                {
                    "name": "其它费用",
                    "type": "extra",
                    "items": [
                        {
                            "id": -70000,
                            "skuId": -1,
                            "name": "餐盒",
                            "categoryId": 102,
                            "price": box,
                            "quantity": 1,
                            "total": box,
                            "additions": [],
                            "newSpecs": None,
                            "attributes": None,
                        }
                    ],
                }
            )
        customer = order.get("customer") or {}
        seed = int(order["external_id"]) % 10**8
        original = t["subtotal"] + t["delivery_fee"] + t["packaging_fee"]
        activities = []
        if t["discount"]:
            activities.append(
                {
                    "categoryId": 12,
                    "name": "在线支付立减优惠",
                    "amount": -_yuan(t["discount"]),
                    "elemePart": 0.0,
                    "restaurantPart": -_yuan(t["discount"]),
                    "familyPart": 0.0,
                    "id": 1247288489,
                }
            )
        return {
            "id": order["external_id"],
            "orderId": order["external_id"],
            "address": "上海市徐汇区宜山路700号B1栋12楼",
            "createdAt": _local(order["placed_at"]),
            "activeAt": _local(order["placed_at"]),
            "deliverFee": _yuan(t["delivery_fee"]),
            "deliverTime": _local(order.get("due_at")),
            "description": order.get("notes") or "",
            "groups": groups,
            "invoice": None,
            "book": bool(order.get("due_at")),
            "onlinePaid": True,
            "phoneList": [f"138{seed:08d},{seed % 1000:03d}"],  # privacy relay number with extension
            "shopId": SHOP_ID,
            "shopName": "老王面馆",
            "daySn": int(order["display_id"]),
            "status": "unprocessed",
            "refundStatus": "noRefund",
            "userId": 30391781,
            "totalPrice": _yuan(t["total"]),
            "originalPrice": _yuan(original),
            "consignee": customer.get("name") or "饿了么用户",
            "deliveryGeo": "121.42023300,31.17671300",
            "deliveryPoiAddress": "上海市徐汇区宜山路700号B1栋12楼",
            "invoiced": False,
            "income": _yuan(t.get("payout") or 0),
            "serviceRate": 0.18,
            "serviceFee": -_yuan(t.get("commission") or 0),
            "hongbao": 0.0,
            "packageFee": _yuan(t["packaging_fee"]),
            "activityTotal": -_yuan(t["discount"]),
            "shopPart": -_yuan(t["discount"]),
            "elemePart": 0.0,
            "downgraded": False,
            "vipDeliveryFeeDiscount": 0.0,
            "orderActivities": activities,
            "coldBoxFee": 0.0,
        }

    async def post_message(
        self,
        kind: int,
        message: dict[str, Any],
        *,
        secret: str | None = None,
        timestamp_ms: int | None = None,
        sign: bool = True,
    ) -> httpx.Response:
        """POST one signed message envelope (``message`` as a JSON string) to the app's ``/eleme`` webhook."""
        envelope: dict[str, Any] = {
            "requestId": str(200000000000000000 + next(self._ids)),
            "type": kind,
            "appId": int(self.app_id),
            "message": json.dumps(message, ensure_ascii=False, separators=(",", ":")),
            "shopId": int(self.shop_id),  # the envelope names the shop: a hub tells stores apart by it
            "timestamp": int(time.time() * 1000) if timestamp_ms is None else timestamp_ms,
            "userId": 363866787356715916,
        }
        envelope["signature"] = (
            _envelope_signature(envelope, self.secret if secret is None else secret) if sign else ""
        )
        try:
            resp = await self.post_webhook(
                "/eleme",
                content=json.dumps(envelope, ensure_ascii=False).encode(),
                headers={"Content-Type": "application/json; charset=utf-8"},
            )
        except (httpx.HTTPError, RuntimeError):
            self.undelivered.append(envelope)  # Ele.me keeps what it could not push
            raise
        if resp.status_code != 200:
            self.undelivered.append(envelope)
        return resp

    async def cancel(self, external_id: str, reason: str = "用户取消") -> None:
        now = int(time.time())
        await self.post_message(
            14, {"orderId": external_id, "state": "invalid", "shopId": SHOP_ID, "updateTime": now, "role": 1}
        )

    async def refund(
        self, external_id: str, money_yuan: str | None = None, reason: str = "商品质量问题"
    ) -> None:
        """订单消息 33 (商户同意退单) in the 取消单退单消息 shape (www.dianj.com.cn/News/Detail/21258, Ele.me's
        消息推送消息体结构定义): refundType "normal" returns the whole order; with ``money_yuan`` it is a
        partial refund (refundType "part", totalPrice the refunded yuan, goodsList what was refunded)."""
        message: dict[str, Any] = {
            "orderId": external_id,
            "refundStatus": "successful",
            "reason": reason,
            "shopId": SHOP_ID,
            "refundType": "normal",
            "goodsList": [],
            "updateTime": int(time.time()),
        }
        if money_yuan is not None:
            goods = [{"name": "米饭", "quantity": 1, "price": float(money_yuan)}]
            message |= {"refundType": "part", "totalPrice": float(money_yuan), "goodsList": goods}
        await self.post_message(33, message)

    async def remind(self, external_id: str) -> None:
        await self.post_message(
            45,
            {
                "orderId": external_id,
                "remindId": next(self._ids),
                "shopId": SHOP_ID,
                "userId": 30391781,
                "updateTime": int(time.time()),
            },
        )

    async def rider(self, external_id: str, state: str = "tobeFetched", name: str = "张师傅") -> None:
        await self.post_message(
            53,
            {
                "orderId": external_id,
                "state": state,
                "subState": "",
                "name": name,
                "phone": "13900001111,123",
                "shopId": SHOP_ID,
                "updateAt": int(time.time() * 1000),
            },
        )
