"""WeChat Pay played over loopback: API v2 付款码 (micropay, reverse) and API v3 (Native, query, close, refunds),
every request's signature checked, every answer and callback signed.

The simulator generates at start the merchant's RSA key pair (its private key handed over in ``Sim.secrets`` as the
shop would paste apiclient_key.pem), WeChat Pay's platform key pair (its public key in ``Sim.secrets``, its id in
``gateway_settings["platform_serial"]``), the API v2 key and the APIv3 key. A v2 request whose HMAC-SHA256 is
wrong is refused as WeChat refuses it (``<return_code>FAIL</return_code><return_msg>签名错误</return_msg>``); a v3
request whose Authorization does not verify gets ``401 {"code": "SIGN_ERROR"}``. v2 answers carry an HMAC-SHA256
``sign``; v3 answers and callbacks carry ``Wechatpay-Signature`` over ``timestamp\\nnonce\\nbody\\n``; a callback's
``resource`` is AEAD_AES_256_GCM under the APIv3 key. Orders are kept by ``out_trade_no``; ``Sim.charges`` counts
how many times money moved per order, ``Sim.calls`` every accepted request: a repeat never charges again.

Scenarios, chosen by the scanned payment code (``auth_code``); a Native QR order uses the ``"qr"`` entry:

==================  =================  ==================================================================
code                behaviour          what the customer / WeChat does
==================  =================  ==================================================================
134000000000000001  ``pay``            pays at once (SUCCESS) — also any other valid code (10–15 + 16 digits)
134000000000000002  ``confirm``        USERPAYING, confirms the password after ``confirm_after`` seconds
134000000000000003  ``never``          USERPAYING, never confirms (too slow: the cashier's wait reverses it)
134000000000000004  ``wrong_code``     AUTH_CODE_INVALID — also any code not shaped like a WeChat one
134000000000000005  ``insufficient``   NOTENOUGH (the balance does not cover it)
134000000000000006  ``expired``        AUTHCODEEXPIRE (the customer's code is stale)
134000000000000007  ``system_error``   the payment is made, the answer says SYSTEMERROR (query to learn it)
134000000000000008  ``network_cut``    the payment is made, then the connection drops before the answer
134000000000000009  ``forged``         pays at once, the answer is signed with a key that is not ours
134000000000000010  ``unsigned_fail``  pays at once, the answer is an unsigned return_code FAIL (an impostor)
134000000000000011  ``pay_error``      PAYERROR (the customer's bank refused)
``"qr"``            ``confirm``        the customer scans and pays after ``confirm_after`` seconds
==================  =================  ==================================================================

A behaviour may carry its own delay (``"confirm:0.5"``); ``duplicate_notify`` (QR) pays after the delay and sends
the callback twice. ``set_scenario(code, behaviour)`` changes one. ``Sim.forge_answers = True`` signs every v3
answer and callback with another key (an impostor); ``Sim.reverse_errors = n`` makes the next n reverses answer
SYSTEMERROR; ``Sim.refund_takes = s`` keeps a refund PROCESSING for s seconds (the same refund asked again then
says SUCCESS). ``start(tls=True)`` serves HTTPS with a CA made at start (``Sim.tls.ca_pem``), hands over the
merchant API certificate as ``payments.wechat.merchant_cert`` and refuses a reverse that does not present it.
Callbacks go to the ``notify_url`` of the Native order; ``Sim.notices`` keeps each one sent, as (headers, body),
delivered or not.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import hmac
import ipaddress
import json
import logging
import re
import secrets
import ssl
import tempfile
import time
import uuid
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import httpx
from aiohttp import web
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.x509.oid import NameOID

from posapp.payments.simulator import serve

log = logging.getLogger(__name__)

PAY_AT_ONCE = "134000000000000001"
CONFIRM_LATER = "134000000000000002"
NEVER_CONFIRMS = "134000000000000003"
WRONG_CODE = "134000000000000004"
INSUFFICIENT = "134000000000000005"
EXPIRED = "134000000000000006"
SYSTEM_ERROR = "134000000000000007"
NETWORK_CUT = "134000000000000008"
FORGED = "134000000000000009"
UNSIGNED_FAIL = "134000000000000010"
PAY_ERROR = "134000000000000011"
QR = "qr"

DEFAULT_SCENARIOS = {
    PAY_AT_ONCE: "pay",
    CONFIRM_LATER: "confirm",
    NEVER_CONFIRMS: "never",
    WRONG_CODE: "wrong_code",
    INSUFFICIENT: "insufficient",
    EXPIRED: "expired",
    SYSTEM_ERROR: "system_error",
    NETWORK_CUT: "network_cut",
    FORGED: "forged",
    UNSIGNED_FAIL: "unsigned_fail",
    PAY_ERROR: "pay_error",
    QR: "confirm",
}
BEHAVIOURS = (
    "pay",
    "confirm",
    "never",
    "wrong_code",
    "insufficient",
    "expired",
    "system_error",
    "network_cut",
    "forged",
    "unsigned_fail",
    "pay_error",
    "duplicate_notify",
)
AUTH_CODE = re.compile(r"^1[0-5]\d{16}$")  # WeChat: 18 digits starting 10–15
DECLINES = {
    "wrong_code": ("AUTH_CODE_INVALID", "请扫描微信支付授权码(以10/11/12/13/14/15为前缀的18位数字)"),
    "insufficient": ("NOTENOUGH", "用户余额不足"),
    "expired": ("AUTHCODEEXPIRE", "二维码已过期，请用户在微信上刷新后再试"),
    "pay_error": ("PAYERROR", "支付失败，银行卡已冻结"),
}
APPID = "wx8888888888888888"
MCHID = "1900000109"
BEIJING = timezone(timedelta(hours=8))


@dataclass
class Order:
    out_trade_no: str
    total: int
    trade_type: str  # MICROPAY / NATIVE
    behaviour: str
    description: str = ""
    notify_url: str = ""
    trade_state: str = "NOTPAY"
    transaction_id: str = ""
    code_url: str = ""
    success_time: str = ""
    refunds: dict[str, int] = field(default_factory=dict)  # out_refund_no -> fen

    @property
    def refunded(self) -> int:
        return sum(self.refunds.values())


class Sim:
    """The running WeChat Pay simulator (``start()`` makes one)."""

    def __init__(
        self, *, host: str = "127.0.0.1", port: int = 0, confirm_after: float = 2.0, tls: bool = False
    ) -> None:
        self.host, self.port = host, port
        self.tls = _Tls(host) if tls else None
        self.confirm_after = confirm_after
        self.merchant_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.platform_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.impostor_key: rsa.RSAPrivateKey | None = None
        self.merchant_serial = f"{secrets.randbits(159):040X}"  # 40 hex digits, as an X.509 serial allows
        self.platform_serial = "PUB_KEY_ID_" + secrets.token_hex(16).upper()
        self.api_key = secrets.token_hex(16)  # 32 characters, as WeChat's API v2 key
        self.apiv3_key = secrets.token_hex(16)
        self.forge_answers = False
        self.reverse_errors = 0  # how many reverses answer SYSTEMERROR before one goes through
        self.refund_takes = 0.0  # seconds a refund stays PROCESSING before it is SUCCESS (0: at once)
        self._refund_done: dict[str, float] = {}  # out_refund_no -> when it completes (loop time)
        self.scenarios = dict(DEFAULT_SCENARIOS)
        self.orders: dict[str, Order] = {}
        self.charges: Counter[str] = Counter()  # out_trade_no -> times money moved from the customer
        self.calls: list[
            tuple[str, str]
        ] = []  # (endpoint, out_trade_no) of every request that passed the checks
        self.refused: list[str] = []  # the error code of every request refused for its signature
        self.notices: list[tuple[dict[str, str], bytes]] = []
        self._runner: web.AppRunner | None = None
        self._client: httpx.AsyncClient | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    # -- the contract ------------------------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        return f"{'https' if self.tls else 'http'}://{self.host}:{self.port}"

    @property
    def gateway_settings(self) -> dict[str, Any]:
        return {
            "appid": APPID,
            "mch_id": MCHID,
            "serial_no": self.merchant_serial,
            "platform_serial": self.platform_serial,
            "notify_url": f"{self.base_url}/_sim/notify",  # a sink; point it at the app's listener to receive
            "device_ip": "127.0.0.1",
            "reverse_after_s": 0.5,  # WeChat's 15 s before a reverse, shortened for the loopback
            "sandbox": True,
        }

    @property
    def secrets(self) -> dict[str, str]:
        """The four keyring entries as the shop would paste them into Settings."""
        private = self.merchant_key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        public = self.platform_key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        return {
            "payments.wechat.api_key": self.api_key,
            "payments.wechat.apiv3_key": self.apiv3_key,
            "payments.wechat.private_key": private.decode("ascii"),
            "payments.wechat.platform_public_key": public.decode("ascii"),
            **({"payments.wechat.merchant_cert": self.tls.client_cert(self)} if self.tls else {}),
        }

    def set_scenario(self, code_or_reader: str, behaviour: str) -> None:
        kind = behaviour.split(":", 1)[0]
        if kind not in BEHAVIOURS:
            raise ValueError(
                f"unknown WeChat Pay behaviour {behaviour!r}; choose from {', '.join(BEHAVIOURS)}"
            )
        self.scenarios[code_or_reader] = behaviour

    async def start(self) -> Sim:
        app = web.Application()
        app.router.add_post("/pay/micropay", self._micropay)
        app.router.add_post("/secapi/pay/reverse", self._reverse)
        app.router.add_post("/v3/pay/transactions/native", self._native)
        app.router.add_get("/v3/pay/transactions/out-trade-no/{no}", self._query)
        app.router.add_post("/v3/pay/transactions/out-trade-no/{no}/close", self._close)
        app.router.add_post("/v3/refund/domestic/refunds", self._refund)
        app.router.add_post("/_sim/notify", self._sink)
        tls = self.tls.server_context() if self.tls else None
        self._runner, self.port = await serve(app, self.host, self.port, tls=tls)
        self._client = httpx.AsyncClient(timeout=5.0)
        log.info("wechat pay simulator listening on %s", self.base_url)
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

    # -- what a test may do as the customer ----------------------------------------------------------------------

    def customer_pays(self, out_trade_no: str) -> None:
        """The customer confirms now (scans the QR and pays, or enters the password)."""
        self._settle(self.orders[out_trade_no])

    # -- API v2: 付款码 --------------------------------------------------------------------------------------------

    async def _micropay(self, request: web.Request) -> web.StreamResponse:
        fields, refused = await self._v2_request(request)
        if refused is not None:
            return refused
        out, code = fields.get("out_trade_no", ""), fields.get("auth_code", "")
        self.calls.append(("micropay", out))
        if not out or not fields.get("total_fee", "").isdigit():
            return self._v2_fail("PARAM_ERROR", "参数错误")
        if out in self.orders:
            return self._v2_repeat(self.orders[out])
        behaviour = self.scenarios.get(code, "pay") if AUTH_CODE.match(code) else "wrong_code"
        kind = behaviour.split(":", 1)[0]
        if kind in DECLINES:
            return self._v2_fail(*DECLINES[kind])
        order = Order(out, int(fields["total_fee"]), "MICROPAY", behaviour, fields.get("body", ""))
        order.trade_state = "USERPAYING"
        self.orders[out] = order
        if kind in ("confirm", "never"):
            self._later(order)
            return self._v2_fail("USERPAYING", "需要用户输入支付密码")
        self._settle(order)
        if kind == "network_cut":  # the money moved; the answer never leaves
            assert request.transport is not None
            request.transport.close()
            return web.Response(status=200)
        if kind == "unsigned_fail":  # an impostor's unsigned "FAIL" in place of WeChat's answer
            return _v2_refusal("系统繁忙，请稍后再试")
        if kind == "system_error":
            return self._v2_fail("SYSTEMERROR", "系统超时，请立即调用被扫订单结果查询API，查询当前订单状态")
        ids = {"transaction_id": order.transaction_id, "out_trade_no": out, "total_fee": str(order.total)}
        answer = {"result_code": "SUCCESS", "trade_type": "MICROPAY", "fee_type": "CNY", **ids}
        return self._v2_answer(answer, forged=kind == "forged")

    async def _reverse(self, request: web.Request) -> web.StreamResponse:
        fields, refused = await self._v2_request(request)
        if refused is not None:
            return refused
        out = fields.get("out_trade_no", "")
        self.calls.append(("reverse", out))
        if self.tls is not None and not self.tls.merchant_presented(request, self):
            self.refused.append("CERT_ERROR")  # WeChat: the reverse needs the merchant API certificate
            return _v2_refusal("证书错误：撤销订单需要商户API证书")
        if self.reverse_errors > 0:
            self.reverse_errors -= 1
            return self._v2_fail("SYSTEMERROR", "系统错误")
        order = self.orders.get(out)
        if order is None:
            return self._v2_fail("ORDERNOTEXIST", "订单不存在")
        if order.trade_state == "SUCCESS":  # WeChat: a paid order that is reversed gives the money back
            order.refunds[f"reverse-{out}"] = order.total - order.refunded
            self._refund_done[f"reverse-{out}"] = time.monotonic()
        order.trade_state = "REVOKED"
        return self._v2_answer({"result_code": "SUCCESS", "recall": "N"})

    async def _v2_request(self, request: web.Request) -> tuple[dict[str, str], web.Response | None]:
        try:
            root = ET.fromstring(await request.read())
            fields = {child.tag: child.text or "" for child in root}
        except ET.ParseError:
            return {}, self._v2_refuse("XML_FORMAT_ERROR", "XML格式错误")
        if fields.get("appid") != APPID or fields.get("mch_id") != MCHID:
            return fields, self._v2_refuse("APPID_MCHID_NOT_MATCH", "appid和mch_id不匹配")
        expected = _hmac_sign(fields, self.api_key)
        if fields.get("sign_type") != "HMAC-SHA256" or not hmac.compare_digest(
            fields.get("sign", ""), expected
        ):
            return fields, self._v2_refuse("SIGNERROR", "签名错误")
        return fields, None

    def _v2_repeat(self, order: Order) -> web.Response:
        """The same out_trade_no again: WeChat never charges twice; it says where the order stands."""
        if order.trade_state == "SUCCESS":
            return self._v2_fail("ORDERPAID", "订单已支付")
        if order.trade_state == "REVOKED":
            return self._v2_fail("ORDERREVERSED", "订单已撤销")
        return self._v2_fail("USERPAYING", "需要用户输入支付密码")

    def _v2_refuse(self, code: str, message: str) -> web.Response:
        self.refused.append(code)
        return _v2_refusal(message)

    def _v2_fail(self, err_code: str, description: str) -> web.Response:
        return self._v2_answer({"result_code": "FAIL", "err_code": err_code, "err_code_des": description})

    def _v2_answer(self, fields: dict[str, str], *, forged: bool = False) -> web.Response:
        answer = {"return_code": "SUCCESS", "return_msg": "OK", "appid": APPID, "mch_id": MCHID, **fields}
        answer["nonce_str"] = secrets.token_hex(8)
        answer["sign"] = _hmac_sign(answer, secrets.token_hex(16) if forged else self.api_key)
        return web.Response(body=_xml(answer), content_type="text/xml")

    # -- API v3: Native, query, close, refund ----------------------------------------------------------------

    async def _native(self, request: web.Request) -> web.StreamResponse:
        body, refused = await self._v3_request(request)
        if refused is not None:
            return refused
        out = str(body.get("out_trade_no", ""))
        self.calls.append(("native", out))
        total = body.get("amount", {}).get("total") if isinstance(body.get("amount"), dict) else None
        if not out or not isinstance(total, int) or total <= 0 or body.get("mchid") != MCHID:
            return self._v3_answer(400, {"code": "PARAM_ERROR", "message": "参数错误"})
        if not str(body.get("notify_url", "")).startswith(("https://", "http://")):
            return self._v3_answer(400, {"code": "PARAM_ERROR", "message": "notify_url 必填且须为 URL"})
        order = self.orders.get(out)
        if order is not None:
            if order.trade_state == "SUCCESS":
                return self._v3_answer(400, {"code": "ORDERPAID", "message": "该订单已支付"})
            if order.trade_state == "CLOSED":
                return self._v3_answer(400, {"code": "ORDER_CLOSED", "message": "订单已关闭"})
            return self._v3_answer(200, {"code_url": order.code_url})  # the same order again: the same QR
        behaviour = self.scenarios.get(QR, "confirm")
        order = Order(out, total, "NATIVE", behaviour, str(body.get("description", "")))
        order.notify_url = str(body.get("notify_url", ""))
        order.code_url = f"weixin://wxpay/bizpayurl?pr={secrets.token_urlsafe(6)}"
        self.orders[out] = order
        if behaviour.split(":", 1)[0] != "never":
            self._later(order)
        return self._v3_answer(200, {"code_url": order.code_url})

    async def _query(self, request: web.Request) -> web.StreamResponse:
        _, refused = await self._v3_request(request)
        if refused is not None:
            return refused
        out = request.match_info["no"]
        self.calls.append(("query", out))
        if request.query.get("mchid") != MCHID:
            return self._v3_answer(400, {"code": "PARAM_ERROR", "message": "mchid 与订单不符"})
        order = self.orders.get(out)
        if order is None:
            return self._v3_answer(404, {"code": "ORDER_NOT_EXIST", "message": "订单不存在"})
        return self._v3_answer(200, self._transaction(order))

    async def _close(self, request: web.Request) -> web.StreamResponse:
        _, refused = await self._v3_request(request)
        if refused is not None:
            return refused
        out = request.match_info["no"]
        self.calls.append(("close", out))
        order = self.orders.get(out)
        if order is None:
            return self._v3_answer(404, {"code": "ORDER_NOT_EXIST", "message": "订单不存在"})
        if order.trade_state == "SUCCESS":
            return self._v3_answer(400, {"code": "ORDERPAID", "message": "订单已支付"})
        order.trade_state = "CLOSED"
        return self._v3_answer(204, None)

    async def _refund(self, request: web.Request) -> web.StreamResponse:
        body, refused = await self._v3_request(request)
        if refused is not None:
            return refused
        out, refund_no = str(body.get("out_trade_no", "")), str(body.get("out_refund_no", ""))
        self.calls.append(("refund", out))
        amount: dict[str, Any] = body["amount"] if isinstance(body.get("amount"), dict) else {}
        order = self.orders.get(out)
        if order is None:
            return self._v3_answer(404, {"code": "RESOURCE_NOT_EXISTS", "message": "订单不存在"})
        if refund_no in order.refunds:  # the same out_refund_no again: one refund
            return self._v3_answer(200, self._refund_answer(order, refund_no))
        refund, total = amount.get("refund"), amount.get("total")
        if not refund_no or not isinstance(refund, int) or refund <= 0 or total != order.total:
            return self._v3_answer(400, {"code": "PARAM_ERROR", "message": "退款金额或订单金额有误"})
        if order.trade_state not in ("SUCCESS", "REFUND"):
            return self._v3_answer(403, {"code": "INVALID_REQUEST", "message": "订单未支付"})
        if order.refunded + refund > order.total:
            return self._v3_answer(
                400, {"code": "INVALID_REQUEST", "message": "申请退款金额超过订单可退金额"}
            )
        order.refunds[refund_no] = refund
        self._refund_done[refund_no] = time.monotonic() + self.refund_takes
        order.trade_state = "REFUND"
        return self._v3_answer(200, self._refund_answer(order, refund_no))

    def _refund_answer(self, order: Order, refund_no: str) -> dict[str, Any]:
        return {
            "refund_id": "50" + hashlib.sha256(refund_no.encode()).hexdigest()[:26],
            "out_refund_no": refund_no,
            "transaction_id": order.transaction_id,
            "out_trade_no": order.out_trade_no,
            "channel": "ORIGINAL",
            "status": "SUCCESS" if time.monotonic() >= self._refund_done[refund_no] else "PROCESSING",
            "amount": {"total": order.total, "refund": order.refunds[refund_no], "currency": "CNY"},
        }

    async def _v3_request(self, request: web.Request) -> tuple[dict[str, Any], web.Response | None]:
        """WeChat's check of our Authorization: schema, mchid, serial, time, SHA256withRSA over the request."""
        raw = await request.read()
        auth = request.headers.get("Authorization", "")
        schema, _, params = auth.partition(" ")
        parts = dict(re.findall(r'(\w+)="([^"]*)"', params))
        fresh = parts.get("timestamp", "").isdigit() and abs(time.time() - int(parts["timestamp"])) <= 300
        message = (
            f"{request.method}\n{request.path_qs}\n{parts.get('timestamp')}\n{parts.get('nonce_str')}\n".encode()
            + raw
            + b"\n"
        )
        try:
            if schema != "WECHATPAY2-SHA256-RSA2048" or parts.get("mchid") != MCHID or not fresh:
                raise InvalidSignature
            if parts.get("serial_no") != self.merchant_serial:
                raise InvalidSignature
            self.merchant_key.public_key().verify(
                base64.b64decode(parts.get("signature", "")), message, padding.PKCS1v15(), hashes.SHA256()
            )
        except (InvalidSignature, ValueError):
            self.refused.append("SIGN_ERROR")
            return {}, self._v3_answer(401, {"code": "SIGN_ERROR", "message": "签名错误"})
        try:
            body = json.loads(raw) if raw else {}
        except ValueError:
            return {}, self._v3_answer(400, {"code": "PARAM_ERROR", "message": "请求体不是 JSON"})
        return (body if isinstance(body, dict) else {}), None

    def _v3_answer(self, status: int, payload: dict[str, Any] | None) -> web.Response:
        body = json.dumps(payload, ensure_ascii=False).encode() if payload is not None else b""
        headers = self.signed_headers(body)
        if status == 204:
            return web.Response(status=204, headers=headers)
        return web.Response(status=status, body=body, headers=headers, content_type="application/json")

    def signed_headers(self, body: bytes) -> dict[str, str]:
        """Wechatpay-* headers over ``body`` as WeChat Pay signs its answers and callbacks."""
        stamp, nonce = str(int(time.time())), secrets.token_hex(16)
        key = self._impostor() if self.forge_answers else self.platform_key
        signature = key.sign(
            f"{stamp}\n{nonce}\n".encode() + body + b"\n", padding.PKCS1v15(), hashes.SHA256()
        )
        return {
            "Wechatpay-Timestamp": stamp,
            "Wechatpay-Nonce": nonce,
            "Wechatpay-Signature": base64.b64encode(signature).decode(),
            "Wechatpay-Serial": self.platform_serial,
            "Wechatpay-Signature-Type": "WECHATPAY2-SHA256-RSA2048",
        }

    # -- the customer, the money, the callbacks ----------------------------------------------------------------

    def _transaction(self, order: Order) -> dict[str, Any]:
        tx: dict[str, Any] = {
            "appid": APPID,
            "mchid": MCHID,
            "out_trade_no": order.out_trade_no,
            "trade_type": order.trade_type,
            "trade_state": order.trade_state,
            "trade_state_desc": {"SUCCESS": "支付成功", "USERPAYING": "需要用户输入支付密码"}.get(
                order.trade_state, order.trade_state
            ),
            "amount": {"total": order.total, "currency": "CNY"},
        }
        if order.transaction_id:
            tx |= {
                "transaction_id": order.transaction_id,
                "success_time": order.success_time,
                "bank_type": "OTHERS",
            }
            tx["amount"] |= {"payer_total": order.total, "payer_currency": "CNY"}
        return tx

    def _later(self, order: Order) -> None:
        """The customer confirms after the behaviour's delay (``confirm[:seconds]``), or never."""
        kind, _, delay = order.behaviour.partition(":")
        if kind == "never":
            return
        seconds = float(delay) if delay else self.confirm_after
        task = asyncio.get_running_loop().create_task(self._confirm_later(order, seconds))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _confirm_later(self, order: Order, seconds: float) -> None:
        await asyncio.sleep(seconds)
        self._settle(order)

    def _settle(self, order: Order) -> None:
        """The money moves: once per order, whatever is asked again."""
        if order.trade_state not in ("USERPAYING", "NOTPAY"):
            return
        order.trade_state = "SUCCESS"
        order.transaction_id = "42" + datetime.now(BEIJING).strftime("%Y%m%d") + secrets.token_hex(9)[:18]
        order.success_time = datetime.now(BEIJING).isoformat(timespec="seconds")
        self.charges[order.out_trade_no] += 1
        if order.trade_type == "NATIVE" and order.notify_url:  # 付款码 has no callback: the cashier queries
            times = 2 if order.behaviour.startswith("duplicate_notify") else 1
            task = asyncio.get_running_loop().create_task(self._notify(order, times))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    def notice(self, order: Order) -> tuple[dict[str, str], bytes]:
        """The TRANSACTION.SUCCESS callback WeChat posts to notify_url: signed headers and JSON body."""
        nonce = secrets.token_urlsafe(9)[:12]
        plain = json.dumps(self._transaction(order), ensure_ascii=False).encode()
        ciphertext = AESGCM(self.apiv3_key.encode()).encrypt(nonce.encode(), plain, b"transaction")
        body = json.dumps(
            {
                "id": str(uuid.uuid4()),
                "create_time": datetime.now(BEIJING).isoformat(timespec="seconds"),
                "resource_type": "encrypt-resource",
                "event_type": "TRANSACTION.SUCCESS",
                "summary": "支付成功",
                "resource": {
                    "original_type": "transaction",
                    "algorithm": "AEAD_AES_256_GCM",
                    "ciphertext": base64.b64encode(ciphertext).decode(),
                    "associated_data": "transaction",
                    "nonce": nonce,
                },
            },
            ensure_ascii=False,
        ).encode()
        return {"Content-Type": "application/json", **self.signed_headers(body)}, body

    async def _notify(self, order: Order, times: int) -> None:
        headers, body = self.notice(order)
        for _ in range(times):  # a duplicate is the same notice sent again, as WeChat retries it
            self.notices.append((headers, body))
            assert self._client is not None
            try:
                await self._client.post(order.notify_url, content=body, headers=headers)
            except httpx.HTTPError as exc:
                log.info("wechat pay simulator: callback to %s not delivered (%s)", order.notify_url, exc)

    async def _sink(self, request: web.Request) -> web.Response:
        await request.read()
        return web.json_response({"code": "SUCCESS", "message": "成功"})

    def _impostor(self) -> rsa.RSAPrivateKey:
        if self.impostor_key is None:
            self.impostor_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        return self.impostor_key


def _v2_refusal(message: str) -> web.Response:
    return web.Response(body=_xml({"return_code": "FAIL", "return_msg": message}), content_type="text/xml")


class _Tls:
    """HTTPS for the simulator (``start(tls=True)``): a CA made at start, the server's certificate for ``host``,
    and the merchant API certificate (apiclient_cert.pem) over the merchant's key, which the reverse asks for."""

    def __init__(self, host: str) -> None:
        self.host = host
        self.ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.ca_name = x509.Name([_cn("posapp simulator CA")])
        self.ca = self._cert(self.ca_name, self.ca_key.public_key(), ca=True)
        self.server_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self._client: x509.Certificate | None = None

    @property
    def ca_pem(self) -> str:
        """The CA to trust for the simulator's HTTPS (``SSL_CERT_FILE`` in a test)."""
        return self.ca.public_bytes(serialization.Encoding.PEM).decode("ascii")

    def client_cert(self, sim: Sim) -> str:
        if self._client is None:
            subject = x509.Name([_cn(f"{MCHID} merchant API certificate")])
            self._client = self._cert(
                subject, sim.merchant_key.public_key(), serial=int(sim.merchant_serial, 16)
            )
        return self._client.public_bytes(serialization.Encoding.PEM).decode("ascii")

    def merchant_presented(self, request: web.Request, sim: Sim) -> bool:
        transport = request.transport
        peer = transport.get_extra_info("ssl_object") if transport is not None else None
        der = peer.getpeercert(binary_form=True) if peer is not None else None
        return (
            der is not None
            and x509.load_der_x509_certificate(der).public_key() == sim.merchant_key.public_key()
        )

    def server_context(self) -> ssl.SSLContext:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.verify_mode = (
            ssl.CERT_OPTIONAL
        )  # v3 calls come without a certificate; the reverse checks for one
        context.load_verify_locations(cadata=self.ca_pem)
        server = self._cert(
            x509.Name([_cn(self.host)]),
            self.server_key.public_key(),
            names=[x509.IPAddress(ipaddress.ip_address(self.host))],
        )
        with (
            tempfile.TemporaryDirectory() as folder
        ):  # the simulator's own throwaway server key, not a shop's
            path = Path(folder) / "server.pem"
            key = self.server_key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
            path.write_bytes(server.public_bytes(serialization.Encoding.PEM) + key)
            context.load_cert_chain(path)
        return context

    def _cert(
        self,
        subject: x509.Name,
        public_key: rsa.RSAPublicKey,
        *,
        ca: bool = False,
        serial: int | None = None,
        names: list[x509.GeneralName] | None = None,
    ) -> x509.Certificate:
        now = datetime.now(BEIJING)
        builder = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(self.ca_name)
            .public_key(public_key)
            .serial_number(serial or x509.random_serial_number())
            .not_valid_before(now - timedelta(days=1))
            .not_valid_after(now + timedelta(days=30))
            .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        )
        if names:
            builder = builder.add_extension(x509.SubjectAlternativeName(names), critical=False)
        return builder.sign(self.ca_key, hashes.SHA256())


def _cn(name: str) -> x509.NameAttribute:
    return x509.NameAttribute(NameOID.COMMON_NAME, name)


def _hmac_sign(fields: dict[str, str], key: str) -> str:
    """WeChat API v2 HMAC-SHA256 (its own copy, so a mistake in the gateway's is not mirrored here)."""
    pairs = [f"{k}={fields[k]}" for k in sorted(fields) if k != "sign" and fields[k]]
    text = "&".join(pairs) + "&key=" + key
    return hmac.new(key.encode(), text.encode("utf-8"), hashlib.sha256).hexdigest().upper()


def _xml(fields: dict[str, str]) -> bytes:
    root = ET.Element("xml")
    for name, value in fields.items():
        ET.SubElement(root, name).text = value
    return ET.tostring(root, encoding="utf-8", xml_declaration=False)


async def start(host: str = "127.0.0.1", port: int = 0, **scenario: Any) -> Sim:
    """A started WeChat Pay simulator; ``confirm_after=`` sets the default delay, any other keyword is a code (or
    ``qr``) and its behaviour: ``start(qr="never")``."""
    sim = Sim(
        host=host,
        port=port,
        confirm_after=float(scenario.pop("confirm_after", 2.0)),
        tls=bool(scenario.pop("tls", False)),
    )
    for code, behaviour in scenario.items():
        sim.set_scenario(code, str(behaviour))
    return await sim.start()
