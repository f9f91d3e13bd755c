"""Simulated Meituan Waimai: signed form pushes to the app, and the ``/api/v1`` calls the app makes back.

The signing here is written independently of ``posapp.connectors.meituan`` so the two check each other.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import time
from collections.abc import Mapping
from datetime import datetime
from typing import Any
from urllib.parse import quote_plus, urlencode
from zoneinfo import ZoneInfo

import httpx
from aiohttp import web

from posapp.connectors.simulator import menus
from posapp.connectors.simulator.base import PlatformSim
from posapp.connectors.simulator.cn_menu import sinicize

API_PATHS = (
    "order/confirm",
    "order/cancel",
    "order/preparationMealComplete",
    "food/sku/sellStatus",
    "poi/open",
    "poi/close",
)
SHANGHAI = ZoneInfo("Asia/Shanghai")
# Fields Meituan URL-encodes a second time inside the form body (JSON and free text), as Java's
# URLEncoder does (a space becomes "+"; the form encoding then turns that "+" into "%2B").
_DOUBLE_ENCODED = {"detail", "extras", "poi_receive_detail", "recipient_name", "recipient_address", "caution"}


def _sig(url: str, params: Mapping[str, str], secret: str) -> str:
    base = url + "?" + "&".join(f"{k}={params[k]}" for k in sorted(params))
    return hashlib.md5((base + secret).encode()).hexdigest()


def _yuan(fen: int) -> float:
    return fen / 100


def _epoch(iso: str | None) -> int:
    return int(datetime.fromisoformat(iso).timestamp()) if iso else 0


class MeituanSim(PlatformSim):
    name = "meituan"
    app_id = "4917"
    secret = "mt-demo-secret-7f3a"

    def __init__(self, sim: Any) -> None:
        super().__init__(sim)
        self.known: set[str] = set()
        self._ids = itertools.count(1)
        self.poi_code = "demo-poi-1"
        self.kept: dict[int, dict[str, str]] = {}  # today's orders by day_seq, as the order queries see them

    # -- the API the app calls -------------------------------------------------------------------
    def add_routes(self, app: web.Application) -> None:
        for path in API_PATHS:
            app.router.add_route("*", f"{self.prefix}/api/v1/{path}", self._api)
        app.router.add_get(f"{self.prefix}/api/v1/poi/mget", self._poi_mget)
        app.router.add_get(f"{self.prefix}/api/v1/food/list", self._food_list)
        for path, handler in (
            ("order/getOrderDaySeq", self._day_seq),
            ("order/getOrderIdByDaySeq", self._id_by_day_seq),
            ("order/getOrderDetail", self._order_detail),
        ):
            app.router.add_get(f"{self.prefix}/api/v1/{path}", handler)

    async def _poi_mget(self, request: web.Request) -> web.Response:
        """批量获取门店详细信息: the stores of ``app_poi_codes`` this app is bound to (only ours: ``poi_code``)."""
        params = dict(request.query)
        given = params.pop("sig", "")
        url = f"{request.scheme}://{request.host}{request.path}"
        if params.get("app_id") != self.app_id or _sig(url, params, self.secret) != given:
            return _ng(703, "签名验证错误")
        if abs(time.time() - int(params.get("timestamp", "0") or 0)) > 600:
            return _ng(703, "timestamp 已过期")
        codes = params.get("app_poi_codes", "").split(",")
        shops = [{"app_poi_code": c, "name": "老王面馆"} for c in codes if c == self.poi_code]
        return web.json_response({"data": shops})

    async def _api(self, request: web.Request) -> web.Response:
        params = {k: v for k, v in request.query.items()}
        if request.method == "POST":
            form = await request.post()
            params.update({k: str(v) for k, v in form.items()})
        given = params.pop("sig", "")
        url = f"{request.scheme}://{request.host}{request.path}"
        if params.get("app_id") != self.app_id or _sig(url, params, self.secret) != given:
            return _ng(703, "签名验证错误")
        if abs(time.time() - int(params.get("timestamp", "0") or 0)) > 600:
            return _ng(703, "timestamp 已过期")
        if self.fail_next > 0:
            self.fail_next -= 1
            return web.json_response({"data": "ng", "error": {"code": 700, "msg": "系统繁忙"}}, status=503)
        order_id = params.get("order_id")
        if order_id is not None and order_id not in self.known:
            return _ng(808, "订单不存在")  # simulated business error: retrying cannot help
        api = request.path.split("/api/v1/", 1)[1]
        self.record(request, {"api": api, **params})
        self._track(api, order_id)
        return web.json_response({"data": "ok"})

    # -- the order queries (missed-order recovery) -------------------------------------------------
    def _track(self, api: str, order_id: str | None) -> None:
        """An accepted or cancelled order is no longer "submitted" when the queries are asked about it."""
        status = {"order/confirm": "4", "order/cancel": "9"}.get(api)
        for fields in self.kept.values():
            if status and fields["order_id"] == order_id:
                fields["status"] = status

    def _checked(self, request: web.Request) -> dict[str, str] | web.Response:
        """The query's parameters if its sig and timestamp are good, else Meituan's error answer."""
        params = dict(request.query)
        given = params.pop("sig", "")
        url = f"{request.scheme}://{request.host}{request.path}"
        if params.get("app_id") != self.app_id or _sig(url, params, self.secret) != given:
            return _ng(703, "签名验证错误")
        if abs(time.time() - int(params.get("timestamp", "0") or 0)) > 600:
            return _ng(703, "timestamp 已过期")
        if params.get("app_poi_code", self.poi_code) != self.poi_code:
            return _ng(803, "门店不存在")
        return params

    async def _food_list(self, request: web.Request) -> web.Response:
        """查询门店菜品列表 food/list: the store's foods, ``offset``/``limit`` (at most 200) a page."""
        params = self._checked(request)
        if isinstance(params, web.Response):
            return params
        if "app_poi_code" not in params:
            return _ng(701, "缺少参数 app_poi_code")
        if self.fail_next > 0:
            self.fail_next -= 1
            return web.json_response({"message": "service unavailable"}, status=503)
        offset, limit = int(params.get("offset", "0") or 0), min(200, int(params.get("limit", "200") or 200))
        foods = [{**f, "app_poi_code": self.poi_code} for f in menus.meituan_foods()]
        return web.json_response({"data": foods[offset : offset + limit]})

    async def _day_seq(self, request: web.Request) -> web.Response:
        """获取当日最新订单流水号 (open-shangou docDetail/146): today's newest day_seq."""
        params = self._checked(request)
        if isinstance(params, web.Response):
            return params
        return web.json_response({"data": {"day_seq": max(self.kept, default=0)}})

    async def _id_by_day_seq(self, request: web.Request) -> web.Response:
        """根据流水号获取订单ID (docDetail/149): ``date_time`` is today as yyyyMMdd in Beijing time."""
        params = self._checked(request)
        if isinstance(params, web.Response):
            return params
        today = datetime.now(SHANGHAI).strftime("%Y%m%d")
        fields = self.kept.get(int(params.get("day_seq", "0") or 0))
        if params.get("date_time") != today or fields is None:
            return _ng(808, "订单不存在")
        return web.json_response({"data": {"order_id": int(fields["order_id"])}})

    async def _order_detail(self, request: web.Request) -> web.Response:
        """获取订单详细信息 (docDetail/134): the order as JSON, its JSON fields as JSON (encoded once)."""
        params = self._checked(request)
        if isinstance(params, web.Response):
            return params
        found = [f for f in self.kept.values() if f["order_id"] == params.get("order_id")]
        if not found:
            return _ng(808, "订单不存在")
        data: dict[str, Any] = dict(found[0])
        for key in ("detail", "extras", "poi_receive_detail"):
            data[key] = json.loads(data[key])
        return web.json_response({"data": data})

    # -- pushes to the app -----------------------------------------------------------------------
    async def deliver(self, order: dict[str, Any]) -> None:
        sinicize(order)
        # Meituan order ids are numbers; the canonical dict takes the id the app will see.
        if not str(order["external_id"]).isdigit():
            order["external_id"] = f"{2898393}{int(time.time()) % 10**6:06d}{next(self._ids):04d}"
        if order["fulfillment"] == "dine_in":
            order["fulfillment"] = "pickup"  # Waimai knows delivery and 到店自取 only
        self.known.add(order["external_id"])
        fields = self.order_fields(order)
        self.kept[int(fields["day_seq"])] = fields  # what the order queries answer (missed-order recovery)
        await self.post_fields(fields)

    def order_fields(self, order: dict[str, Any]) -> dict[str, str]:
        """The 推送新订单 form fields for a canonical order dict."""
        t = order["totals"]
        detail = []
        for n, item in enumerate(order["items"]):
            mods = item.get("modifiers") or []
            per_unit = item["unit_price"] + sum(m["unit_price"] * m["quantity"] for m in mods)
            detail.append(
                {
                    "app_food_code": item.get("sku") or item["name"],
                    "food_name": item["name"],
                    "sku_id": item.get("sku") or "",
                    "quantity": item["quantity"],
                    "price": _yuan(per_unit),
                    "box_num": 1.0 if n == 0 and t["packaging_fee"] else 0.0,
                    "box_price": _yuan(t["packaging_fee"]) if n == 0 else 0.0,
                    "unit": "份",
                    "food_discount": 1,
                    "spec": mods[0]["name"] if mods else "",
                    "food_property": ",".join(m["name"] for m in mods[1:]),
                    "cart_id": 0,
                }
            )
        extras = []
        if t["discount"]:
            extras.append(
                {
                    "act_detail_id": 1001,
                    "reduce_fee": _yuan(t["discount"]),
                    "mt_charge": 0.0,
                    "poi_charge": _yuan(t["discount"]),
                    "remark": f"满减优惠{_yuan(t['discount'])}元",
                    "type": 2,
                }
            )
        receive = {
            "actOrderChargeByMt": [],
            "actOrderChargeByPoi": [
                {"comment": "活动款", "feeTypeDesc": "活动款", "feeTypeId": 10019, "moneyCent": t["discount"]}
            ],
            "foodShareFeeChargeByPoi": t.get("commission") or 0,
            "logisticsFee": t["delivery_fee"],
            "onlinePayment": t["total"],
            "wmPoiReceiveCent": t.get("payout") or 0,
        }
        customer = order.get("customer") or {}
        seed = int(order["external_id"]) % 10**8
        original = t["subtotal"] + t["delivery_fee"] + t["packaging_fee"]
        return {
            "order_id": order["external_id"],
            "wm_order_id_view": order["external_id"],
            "app_poi_code": self.poi_code,
            "wm_poi_name": "老王面馆",
            "wm_poi_address": "上海市徐汇区漕溪北路88号",
            "wm_poi_phone": "02164870000",
            "recipient_address": "上海市徐汇区宜山路700号B1栋12楼@#上海市徐汇区宜山路700号",
            "recipient_phone": f"138{seed:08d}_{seed % 10000:04d}",  # privacy relay number
            "recipient_name": customer.get("name") or "美团客人",
            "shipping_fee": str(_yuan(t["delivery_fee"])),
            "total": str(_yuan(t["total"])),
            "original_price": str(_yuan(original)),
            "caution": order.get("notes") or "",
            "shipper_phone": "",
            "status": "2",
            "city_id": "310100",
            "has_invoiced": "0",
            "invoice_title": "",
            "ctime": str(_epoch(order["placed_at"])),
            "utime": str(_epoch(order["placed_at"])),
            "delivery_time": str(_epoch(order.get("due_at"))),
            "is_third_shipping": "0",
            "pay_type": "2",
            "pick_type": "1" if order["fulfillment"] == "pickup" else "0",
            "latitude": "31.176713",
            "longitude": "121.420233",
            "day_seq": str(order["display_id"]),
            "detail": json.dumps(detail, ensure_ascii=False, separators=(",", ":")),
            "extras": json.dumps(extras, ensure_ascii=False, separators=(",", ":")),
            "poi_receive_detail": json.dumps(receive, ensure_ascii=False, separators=(",", ":")),
        }

    async def post_fields(
        self,
        fields: Mapping[str, str],
        *,
        secret: str | None = None,
        timestamp: int | None = None,
        sign: bool = True,
    ) -> httpx.Response:
        """POST signed form fields to the app's ``/meituan`` webhook, the way Meituan does."""
        if not self.sim.webhook_base:
            raise RuntimeError("the app's webhook listener is not known to the simulator")
        url = f"{self.sim.webhook_base}/meituan"
        params = {k: str(v) for k, v in fields.items()}
        params["app_id"] = self.app_id
        params["timestamp"] = str(int(time.time()) if timestamp is None else timestamp)
        if sign:
            params["sig"] = _sig(url, params, self.secret if secret is None else secret)
        body = urlencode([(k, quote_plus(v) if k in _DOUBLE_ENCODED else v) for k, v in params.items()])
        return await self.post_webhook(
            "/meituan", content=body.encode(), headers={"Content-Type": "application/x-www-form-urlencoded"}
        )

    async def cancel(self, external_id: str, reason: str = "用户取消") -> None:
        # 推送用户或客服取消订单: reason_code from the 附录 code list (any code: the app keeps the text).
        await self.post_fields(
            {"order_id": external_id, "reason_code": "1101", "reason": reason, "deal_op_type": "1"}
        )

    async def refund(self, external_id: str, money_yuan: str | None = None, reason: str = "少送了") -> None:
        """Meituan's refund pushes: 推送部分退款信息 (notify_type agree with the refunded dishes and
        ``money`` in yuan) for a partial refund, 推送全额退款信息 (notify_type agree, no dishes) for a whole one."""
        fields = {"order_id": external_id, "notify_type": "agree", "reason": reason}
        if money_yuan is not None:
            food = [{"app_food_code": "1", "food_name": "米饭", "count": 1, "refund_price": money_yuan}]
            fields |= {"money": money_yuan, "food": json.dumps(food, ensure_ascii=False)}
        await self.post_fields(fields)

    async def remind(self, external_id: str) -> None:
        await self.post_fields(
            {"order_id": external_id, "remind_id": str(next(self._ids)), "remind_time": str(int(time.time()))}
        )

    async def rider(self, external_id: str, status: int = 10, name: str = "李师傅") -> None:
        await self.post_fields(
            {
                "order_id": external_id,
                "wm_order_id_view": external_id,
                "logistics_status": str(status),
                "time": str(int(time.time())),
                "dispatcher_name": name,
                "dispatcher_mobile": "13900001111_5678",
            }
        )


def _ng(code: int, msg: str) -> web.Response:
    return web.json_response({"data": "ng", "error": {"code": code, "msg": msg}})
