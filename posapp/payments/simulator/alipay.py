"""Alipay's OpenAPI gateway (当面付) played over loopback: signed requests checked, signed answers, async notify.

The simulator holds an "Alipay" RSA key pair generated at start and knows the merchant's public key (a pair it
also generates and hands over in ``Sim.secrets``). A request whose RSA2 signature or app id is wrong is refused
the way Alipay refuses it (an unsigned ``40002 isv.invalid-signature`` / ``isv.invalid-app-id`` answer); every
other answer is signed over the exact JSON text of its ``alipay_trade_xxx_response`` member. It plays
alipay.trade.pay, .precreate, .query, .cancel, .refund and .fastpay.refund.query, keeps each trade by
``out_trade_no`` and counts the charges per trade (``Sim.charges``): a repeat of a payment never charges again.

Scenarios, chosen by the scanned payment code (``auth_code``); a QR payment (precreate) uses the ``"qr"`` entry:

======================  ==================  =============================================================
code                    behaviour           what the customer / Alipay does
======================  ==================  =============================================================
281000000000000001      ``pay``             pays at once (10000) — also any other valid code (25–30, 16–24 digits)
281000000000000002      ``confirm``         10003, confirms with the password after ``confirm_after`` seconds
281000000000000003      ``never``           10003, never confirms (too slow: the cashier's wait cancels)
281000000000000004      ``wrong_code``      40004 ACQ.PAYMENT_AUTH_CODE_INVALID — also any code not shaped like one
281000000000000005      ``insufficient``    40004 ACQ.BUYER_BALANCE_NOT_ENOUGH
281000000000000006      ``network_cut``     the payment is made, then the connection drops before the answer
281000000000000007      ``duplicate_notify`` pays at once and sends the async notify twice (same notify_id)
``"qr"``                ``confirm``         by default the customer scans and confirms after ``confirm_after`` s
======================  ==================  =============================================================

``set_scenario(code, behaviour)`` changes one; a behaviour may carry its own delay: ``"confirm:0.5"``.
``Sim.forge_answers = True`` signs every answer with another key (an impostor); ``Sim.unsigned_answers = True``
leaves the ``sign`` out (a man in the middle who cannot sign). The async notify goes to the
``notify_url`` the request carried (form-encoded, RSA2 over the sorted parameters without sign/sign_type);
``Sim.notices`` keeps each body sent, delivered or not.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import re
import urllib.parse
import uuid
from collections import Counter
from collections.abc import Coroutine
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

import httpx
from aiohttp import web
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from posapp.payments.alipay import BEIJING, PRIVATE_KEY, PUBLIC_KEY, rsa2_sign, rsa2_verify, sign_content
from posapp.payments.simulator import serve

log = logging.getLogger(__name__)

PAY_AT_ONCE = "281000000000000001"
CONFIRM_LATER = "281000000000000002"
NEVER_CONFIRMS = "281000000000000003"
WRONG_CODE = "281000000000000004"
INSUFFICIENT = "281000000000000005"
NETWORK_CUT = "281000000000000006"
DUPLICATE_NOTIFY = "281000000000000007"
QR = "qr"

DEFAULT_SCENARIOS = {
    PAY_AT_ONCE: "pay",
    CONFIRM_LATER: "confirm",
    NEVER_CONFIRMS: "never",
    WRONG_CODE: "wrong_code",
    INSUFFICIENT: "insufficient",
    NETWORK_CUT: "network_cut",
    DUPLICATE_NOTIFY: "duplicate_notify",
    QR: "confirm",
}
BEHAVIOURS = ("pay", "confirm", "never", "wrong_code", "insufficient", "network_cut", "duplicate_notify")
AUTH_CODE = re.compile(r"^(2[5-9]|30)\d{14,22}$")  # Alipay: 25–30 then digits, 16–24 in all
APP_ID = "2021000000000001"
FEE_RATE = Decimal("0.006")  # 当面付's usual 0.6 %, reported as charge_amount


def _now() -> str:
    return datetime.now(BEIJING).strftime("%Y-%m-%d %H:%M:%S")


def _yuan(fen: int) -> str:
    return f"{Decimal(fen) / 100:.2f}"


@dataclass
class Trade:
    out_trade_no: str
    trade_no: str
    total: int  # fen
    subject: str
    behaviour: str
    notify_url: str | None
    status: str = "WAIT_BUYER_PAY"
    paid_at: str = ""
    refunds: dict[str, int] = field(default_factory=dict)  # out_request_no -> fen

    @property
    def refunded(self) -> int:
        return sum(self.refunds.values())


class Sim:
    """The running Alipay simulator (``start()`` makes one)."""

    def __init__(self, *, host: str = "127.0.0.1", port: int = 0, confirm_after: float = 2.0) -> None:
        self.host, self.port = host, port
        self.confirm_after = confirm_after
        self.app_id = APP_ID
        self.alipay_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.merchant_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.impostor_key: rsa.RSAPrivateKey | None = None
        self.forge_answers = False
        self.unsigned_answers = False
        self.scenarios = dict(DEFAULT_SCENARIOS)
        self.trades: dict[str, Trade] = {}
        self.charges: Counter[str] = Counter()  # out_trade_no -> times money moved from the customer
        self.calls: list[
            tuple[str, str]
        ] = []  # (method, out_trade_no) of every request that passed the checks
        self.refused: list[str] = []  # sub_code of every request refused at the gateway
        self.notices: list[bytes] = []
        self._runner: web.AppRunner | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._client: httpx.AsyncClient | None = None
        self._seq = 0

    # -- the contract ------------------------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def gateway_url(self) -> str:
        return f"{self.base_url}/gateway.do"

    @property
    def gateway_settings(self) -> dict[str, Any]:
        return {"app_id": self.app_id, "sandbox": True}

    @property
    def secrets(self) -> dict[str, str]:
        """The merchant's private key and Alipay's public key, as the shop would paste them into Settings."""
        private = self.merchant_key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        public = self.alipay_key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        return {PRIVATE_KEY: private.decode("ascii"), PUBLIC_KEY: public.decode("ascii")}

    def set_scenario(self, code_or_reader: str, behaviour: str) -> None:
        kind = behaviour.split(":", 1)[0]
        if kind not in BEHAVIOURS:
            raise ValueError(f"unknown Alipay behaviour {behaviour!r}; choose from {', '.join(BEHAVIOURS)}")
        self.scenarios[code_or_reader] = behaviour

    async def start(self) -> Sim:
        app = web.Application()
        app.router.add_post("/gateway.do", self._gateway)
        self._runner, self.port = await serve(app, self.host, self.port)
        self._client = httpx.AsyncClient(timeout=5.0)
        log.info("alipay simulator listening on %s", self.base_url)
        return self

    async def stop(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        for task in list(self._tasks):
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if self._client is not None:
            await self._client.aclose()
            self._client = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    # -- the gateway --------------------------------------------------------------------------------------------

    async def _gateway(self, request: web.Request) -> web.StreamResponse:
        params = dict(request.query) | {k: str(v) for k, v in (await request.post()).items()}
        method = params.get("method", "")
        member = method.replace(".", "_") + "_response" if method else "error_response"
        signature, sign_type = params.pop("sign", ""), params.get("sign_type", "")
        if params.get("app_id") != self.app_id:
            return self._refuse(member, "isv.invalid-app-id", "无效的AppID参数")
        if sign_type != "RSA2" or not rsa2_verify(
            self.merchant_key.public_key(), sign_content(params), signature
        ):
            return self._refuse(
                member, "isv.invalid-signature", "验签出错，建议检查签名字符串或签名私钥与应用公钥是否匹配"
            )
        try:
            biz = json.loads(params.get("biz_content", ""))
            assert isinstance(biz, dict)
        except (ValueError, AssertionError):
            return self._refuse(member, "isv.invalid-biz-content", "biz_content 不是 JSON 对象")
        handler = {
            "alipay.trade.pay": self._pay,
            "alipay.trade.precreate": self._precreate,
            "alipay.trade.query": self._query,
            "alipay.trade.cancel": self._cancel,
            "alipay.trade.refund": self._refund,
            "alipay.trade.fastpay.refund.query": self._refund_query,
        }.get(method)
        if handler is None:
            return self._refuse(member, "isv.invalid-method", "不存在的方法名")
        self.calls.append((method, str(biz.get("out_trade_no", ""))))
        answer = handler(biz, params)
        if answer is None:  # network cut: the payment was made, the answer never leaves
            assert request.transport is not None
            request.transport.close()
            return web.Response(status=200)
        return self._answer(member, answer)

    def _pay(self, biz: dict[str, Any], params: dict[str, str]) -> dict[str, Any] | None:
        out, code = str(biz.get("out_trade_no", "")), str(biz.get("auth_code", ""))
        total = self._fen(biz.get("total_amount"))
        if not out or total is None or biz.get("scene") != "bar_code":
            return self._failed("ACQ.INVALID_PARAMETER", "参数无效", code="40004")
        if out in self.trades:
            return self._repeat(self.trades[out], total)
        behaviour = self.scenarios.get(code, "pay") if AUTH_CODE.match(code) else "wrong_code"
        kind = behaviour.split(":", 1)[0]
        if kind == "wrong_code":
            return self._failed(
                "ACQ.PAYMENT_AUTH_CODE_INVALID", "支付失败，获取顾客账户信息失败，请顾客刷新付款码后重新收款"
            )
        if kind == "insufficient":
            return self._failed("ACQ.BUYER_BALANCE_NOT_ENOUGH", "买家余额不足")
        trade = self._new_trade(out, total, biz, behaviour, params.get("notify_url"))
        if kind in ("pay", "duplicate_notify", "network_cut"):
            self._settle(trade)
            if kind == "network_cut":
                return None
            return self._trade_answer(trade, msg="Success")
        self._wait(trade)
        return {
            "code": "10003",
            "msg": "订单创建成功支付处理中",
            **self._ids(trade),
            "total_amount": _yuan(total),
        }

    def _precreate(self, biz: dict[str, Any], params: dict[str, str]) -> dict[str, Any]:
        out = str(biz.get("out_trade_no", ""))
        total = self._fen(biz.get("total_amount"))
        if not out or total is None:
            return self._failed("ACQ.INVALID_PARAMETER", "参数无效", code="40004")
        if out in self.trades:
            trade = self.trades[out]
            if trade.total != total:
                return self._failed("ACQ.CONTEXT_INCONSISTENT", "交易信息被篡改")
        else:
            trade = self._new_trade(
                out, total, biz, self.scenarios.get(QR, "confirm"), params.get("notify_url")
            )
            self._wait(trade)
        return {
            "code": "10000",
            "msg": "Success",
            "out_trade_no": out,
            "qr_code": f"https://qr.alipay.com/sim{out}",
        }

    def _query(self, biz: dict[str, Any], params: dict[str, str]) -> dict[str, Any]:
        trade = self.trades.get(str(biz.get("out_trade_no", "")))
        if trade is None:
            return self._failed("ACQ.TRADE_NOT_EXIST", "交易不存在")
        return self._trade_answer(trade, msg="Success")

    def _cancel(self, biz: dict[str, Any], params: dict[str, str]) -> dict[str, Any]:
        out = str(biz.get("out_trade_no", ""))
        trade = self.trades.get(out)
        if trade is None:
            # Cancelling what never arrived leaves a closed trade: a late pay with this id is then refused.
            trade = self._new_trade(out, 0, biz, "never", None)
            trade.status = "TRADE_CLOSED"
            return {
                "code": "10000",
                "msg": "Success",
                **self._ids(trade),
                "retry_flag": "N",
                "action": "close",
            }
        action = ""
        if trade.status == "WAIT_BUYER_PAY":
            action = "close"
        elif trade.status == "TRADE_SUCCESS":
            if trade.refunds:
                return self._failed("ACQ.REASON_TRADE_STATUS_INVALID", "交易状态不合法")
            trade.refunds["cancel"] = trade.total - trade.refunded
            action = "refund"
        trade.status = "TRADE_CLOSED"
        return {
            "code": "10000",
            "msg": "Success",
            **self._ids(trade),
            "retry_flag": "N",
            "action": action or "close",
        }

    def _refund(self, biz: dict[str, Any], params: dict[str, str]) -> dict[str, Any]:
        trade = self.trades.get(str(biz.get("out_trade_no", "")))
        amount = self._fen(biz.get("refund_amount"))
        request_no = str(biz.get("out_request_no") or "")
        if trade is None:
            return self._failed("ACQ.TRADE_NOT_EXIST", "交易不存在")
        if amount is None or amount <= 0:
            return self._failed("ACQ.INVALID_PARAMETER", "退款金额无效", code="40004")
        if not request_no and amount != trade.total:
            return self._failed("ACQ.REFUND_AMT_NOT_EQUAL_TOTAL", "撤销或退款金额与订单金额不一致")
        request_no = request_no or trade.out_trade_no
        if request_no in trade.refunds:
            if trade.refunds[request_no] != amount:
                return self._failed("ACQ.CONTEXT_INCONSISTENT", "交易信息被篡改")
            return self._refund_answer(trade, fund_change="N")
        if trade.status not in ("TRADE_SUCCESS", "TRADE_FINISHED"):
            return self._failed("ACQ.TRADE_STATUS_ERROR", "交易状态不合法")
        if trade.refunded + amount > trade.total:
            return self._failed("ACQ.REASON_TRADE_REFUND_FEE_ERR", "退款金额无效")
        trade.refunds[request_no] = amount
        if trade.refunded == trade.total:
            trade.status = "TRADE_CLOSED"
        self._spawn(
            self._notify(trade, 1, refund_no=request_no)
        )  # Alipay tells the trade's notify_url of refunds too
        return self._refund_answer(trade, fund_change="Y")

    def _refund_query(self, biz: dict[str, Any], params: dict[str, str]) -> dict[str, Any]:
        trade = self.trades.get(str(biz.get("out_trade_no", "")))
        request_no = str(biz.get("out_request_no") or "")
        if trade is None or request_no not in trade.refunds:
            return {"code": "10000", "msg": "Success"}  # Alipay: an empty answer means no such refund (yet)
        return {
            "code": "10000",
            "msg": "Success",
            **self._ids(trade),
            "out_request_no": request_no,
            "total_amount": _yuan(trade.total),
            "refund_amount": _yuan(trade.refunds[request_no]),
            "refund_status": "REFUND_SUCCESS",
        }

    # -- trades -------------------------------------------------------------------------------------------------

    def _new_trade(
        self, out: str, total: int, biz: dict[str, Any], behaviour: str, notify_url: str | None
    ) -> Trade:
        self._seq += 1
        trade_no = f"{datetime.now(BEIJING):%Y%m%d}2200{self._seq:014d}"
        trade = Trade(out, trade_no, total, str(biz.get("subject", "")), behaviour, notify_url or None)
        self.trades[out] = trade
        return trade

    def _repeat(self, trade: Trade, total: int) -> dict[str, Any]:
        """trade.pay again with an out_trade_no Alipay already has: the trade's state, never a second charge."""
        if trade.total != total:
            return self._failed("ACQ.CONTEXT_INCONSISTENT", "交易信息被篡改")
        if trade.status in ("TRADE_SUCCESS", "TRADE_FINISHED"):
            return self._failed("ACQ.TRADE_HAS_SUCCESS", "交易已被支付")
        if trade.status == "TRADE_CLOSED":
            return self._failed("ACQ.TRADE_HAS_CLOSE", "交易已经关闭")
        return {
            "code": "10003",
            "msg": "订单创建成功支付处理中",
            **self._ids(trade),
            "total_amount": _yuan(trade.total),
        }

    def _wait(self, trade: Trade) -> None:
        """The customer confirms later (``confirm[:seconds]``), or never."""
        kind, _, delay = trade.behaviour.partition(":")
        if kind == "never":
            return
        seconds = float(delay) if delay else self.confirm_after
        task = asyncio.get_running_loop().create_task(self._confirm_later(trade, seconds))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _confirm_later(self, trade: Trade, seconds: float) -> None:
        await asyncio.sleep(seconds)
        if trade.status == "WAIT_BUYER_PAY":
            self._settle(trade)

    def _settle(self, trade: Trade) -> None:
        """The money moves: once per trade, whatever is asked again."""
        if trade.status != "WAIT_BUYER_PAY":
            return
        trade.status, trade.paid_at = "TRADE_SUCCESS", _now()
        self.charges[trade.out_trade_no] += 1
        times = 2 if trade.behaviour.startswith("duplicate_notify") else 1
        self._spawn(self._notify(trade, times))

    def _spawn(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.get_running_loop().create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def notice_body(
        self, trade: Trade, notify_id: str | None = None, *, refund_no: str | None = None
    ) -> bytes:
        """The signed trade_status_sync form Alipay posts to notify_url; after a refund it also carries the
        refunded total (``refund_fee``), ``gmt_refund`` and the refund's ``out_biz_no``."""
        params = {
            "notify_time": _now(),
            "notify_type": "trade_status_sync",
            "notify_id": notify_id or uuid.uuid4().hex,
            "app_id": self.app_id,
            "auth_app_id": self.app_id,
            "charset": "utf-8",
            "version": "1.0",
            "trade_no": trade.trade_no,
            "out_trade_no": trade.out_trade_no,
            "trade_status": trade.status,
            "total_amount": _yuan(trade.total),
            "receipt_amount": _yuan(trade.total),
            "buyer_pay_amount": _yuan(trade.total),
            "gmt_payment": trade.paid_at,
            "subject": trade.subject,
        }
        if refund_no is not None:
            params |= {"refund_fee": _yuan(trade.refunded), "gmt_refund": _now(), "out_biz_no": refund_no}
        params["sign"] = rsa2_sign(self._signing_key(), sign_content(params))
        params["sign_type"] = "RSA2"
        return urllib.parse.urlencode(params).encode("utf-8")

    async def _notify(self, trade: Trade, times: int, *, refund_no: str | None = None) -> None:
        body = self.notice_body(
            trade, refund_no=refund_no
        )  # one notify_id: a repeat is the same notification again
        for _ in range(times):
            self.notices.append(body)
            if trade.notify_url is None or self._client is None:
                continue
            try:
                await self._client.post(
                    trade.notify_url,
                    content=body,
                    headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"},
                )
            except httpx.HTTPError as exc:
                log.info("alipay simulator: notify for %s not delivered (%s)", trade.out_trade_no, exc)

    # -- answers ------------------------------------------------------------------------------------------------

    def _ids(self, trade: Trade) -> dict[str, str]:
        return {"trade_no": trade.trade_no, "out_trade_no": trade.out_trade_no}

    def _trade_answer(self, trade: Trade, *, msg: str) -> dict[str, Any]:
        answer: dict[str, Any] = {
            "code": "10000",
            "msg": msg,
            **self._ids(trade),
            "buyer_logon_id": "159****5620",
            "trade_status": trade.status,
            "total_amount": _yuan(trade.total),
        }
        if trade.status in ("TRADE_SUCCESS", "TRADE_FINISHED"):
            fee = (Decimal(trade.total) * FEE_RATE).quantize(Decimal(1))
            answer |= {"gmt_payment": trade.paid_at, "charge_amount": _yuan(int(fee))}
        return answer

    def _refund_answer(self, trade: Trade, *, fund_change: str) -> dict[str, Any]:
        return {
            "code": "10000",
            "msg": "Success",
            **self._ids(trade),
            "fund_change": fund_change,
            "refund_fee": _yuan(trade.refunded),
            "gmt_refund_pay": _now(),
        }

    @staticmethod
    def _failed(sub_code: str, sub_msg: str, *, code: str = "40004") -> dict[str, Any]:
        return {"code": code, "msg": "Business Failed", "sub_code": sub_code, "sub_msg": sub_msg}

    @staticmethod
    def _fen(value: object) -> int | None:
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            return None
        if not number.is_finite() or number != number.quantize(Decimal("0.01")):
            return None
        return int(number * 100)

    def _signing_key(self) -> rsa.RSAPrivateKey:
        if not self.forge_answers:
            return self.alipay_key
        if self.impostor_key is None:
            self.impostor_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        return self.impostor_key

    def _answer(self, member: str, answer: dict[str, Any]) -> web.Response:
        content = json.dumps(answer, ensure_ascii=False, separators=(",", ":"))
        if self.unsigned_answers:
            return web.Response(
                text=f'{{"{member}":{content}}}', content_type="application/json", charset="utf-8"
            )
        signature = rsa2_sign(self._signing_key(), content)
        body = f'{{"{member}":{content},"sign":"{signature}"}}'
        return web.Response(text=body, content_type="application/json", charset="utf-8")

    def _refuse(self, member: str, sub_code: str, sub_msg: str) -> web.Response:
        """Alipay's gateway-level refusal: 40002, unsigned."""
        self.refused.append(sub_code)
        answer = {"code": "40002", "msg": "Invalid Arguments", "sub_code": sub_code, "sub_msg": sub_msg}
        body = json.dumps({member: answer}, ensure_ascii=False, separators=(",", ":"))
        return web.Response(text=body, content_type="application/json", charset="utf-8")


async def start(host: str = "127.0.0.1", port: int = 0, **scenario: Any) -> Sim:
    """A running Alipay simulator on ``host:port`` (0: any free port). ``confirm_after=`` is how long the
    ``confirm`` customer takes (2 s), ``forge_answers=True`` signs answers with an impostor's key, and any other
    keyword is a code (or ``qr``) with its behaviour: ``start(qr="never")``, ``start(**{"28...": "confirm:5"})``."""
    sim = Sim(host=host, port=port, confirm_after=float(scenario.pop("confirm_after", 2.0)))
    sim.forge_answers = bool(scenario.pop("forge_answers", False))
    for code, behaviour in scenario.items():
        sim.set_scenario(code, str(behaviour))
    return await sim.start()


__all__ = ["Sim", "Trade", "start"]
