"""WeChat Pay (微信支付) behind the Gateway: 付款码支付 (micropay: we scan the customer's code) and Native (the customer
scans our QR), with WeChat's query / reverse / close rules, partial and full refunds, and signed callbacks.

Wire formats, as WeChat Pay's public docs give them:

- 付款码支付 and its reverse are API v2 (XML, HMAC-SHA256 over the sorted non-empty ``key=value`` pairs followed by
  ``&key=<API v2 key>``, upper-case hex): https://pay.weixin.qq.com/doc/v2/merchant/4011937125 (POST /pay/micropay;
  SYSTEMERROR -> query after 5 s; USERPAYING -> query until paid or time is up; then reverse, and again if the
  reverse does not answer) and https://wechatpay.im/openapi/v2/secapi/pay/reverse (POST /secapi/pay/reverse,
  ``recall=Y`` asks for another call).
- Native order, query, close and refunds are API v3 (JSON; the request signed SHA256withRSA with the merchant's
  private key in ``Authorization: WECHATPAY2-SHA256-RSA2048 mchid=..,nonce_str=..,signature=..,timestamp=..,
  serial_no=..``; every answer and callback signed by WeChat Pay's platform key in ``Wechatpay-Signature`` over
  ``timestamp\\nnonce\\nbody\\n``; a 2xx answer without a signature is forged):
  https://pay.weixin.qq.com/doc/v3/merchant/4012525095 (POST /v3/pay/transactions/native -> code_url),
  https://pay.weixin.qq.com/doc/v3/merchant/4013070356 (GET /v3/pay/transactions/out-trade-no/{no}?mchid=; it
  answers for 付款码 orders too: USERPAYING, REVOKED and PAYERROR are the 付款码 trade states),
  https://pay.weixin.qq.com/docs/merchant/products/refund/apilist.html (POST /v3/refund/domestic/refunds),
  https://pay.weixin.qq.com/wiki/doc/api_external/en/wechatpay/wechatpay3_3.shtml (request, answer, callback
  signatures), https://pay.weixin.qq.com/docs/partner/products/notification/decryption.html (the callback's
  ``resource`` is AEAD_AES_256_GCM under the APIv3 key).

A Native payment's callback reaches the app's listener, which hands the exact headers and bytes to
``verify_callback`` and answers 200 or 204 with no body once the payment is stored (anything else makes WeChat send
it again, so the same callback may arrive twice and verifies the same each time).

The v2 reverse is sent with the merchant API certificate (mutual TLS: ``payments.wechat.merchant_cert``, the PEM of
apiclient_cert.pem); it is loaded through an in-memory file, so on a system without memfd (not Linux) it cannot be
used, and without it a reverse against WeChat itself fails and the payment stays UNKNOWN (never shown as paid)
until a query settles it. A reverse waits until 15 s after the charge, as the 付款码 page asks. The cashier's wait
(flow.settle: every 5 s up to 30 s) is the contract's; the 2025 page suggests every 10 s up to 45 s.

WeChat has also offered 付款码 in API v3 since 2024
(https://pay.weixin.qq.com/docs/merchant/apis/code-payment-v3/direct/code-pay.html and .../direct/reverse.html),
which needs neither the v2 key nor the certificate: the better next step once its answers are pinned down.
Keys and signatures themselves are in wechat_sign.py.

The customer's payment code goes into one micropay request and is never logged or kept.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import secrets
import ssl
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import httpx

from posapp.domain.money import Money
from posapp.errors import ConfigError
from posapp.payments import wechat_sign as sign
from posapp.payments.gateway import (
    Gateway,
    GatewayError,
    Intent,
    Method,
    Outcome,
    PayState,
    RefundOutcome,
    SignatureError,
)

log = logging.getLogger(__name__)

API_BASE = "https://api.mch.weixin.qq.com"
SECRETS = ("api_key", "apiv3_key", "private_key", "platform_public_key")  # under payments.wechat.
# payments.wechat.merchant_cert, optional: apiclient_cert.pem, for the v2 reverse (mutual TLS)
CERTIFICATE = "merchant_cert"
# required; notify_url, platform_serial, device_ip, reverse_after_s are optional
SETTINGS = ("appid", "mch_id", "serial_no")
REVERSE_TRIES = 3
REVERSE_AFTER_S = 15.0

WAITING = "Waiting for the customer to confirm in WeChat…"

# 付款码支付 err_code -> the cashier's sentence for a declined code (the money did not move).
DECLINED = {
    "AUTHCODEEXPIRE": "The payment code has expired: ask the customer to refresh it and scan again",
    "AUTH_CODE_INVALID": "That is not a WeChat Pay payment code: scan the code on the customer's Pay page",
    "AUTH_CODE_ERROR": "That is not a WeChat Pay payment code: scan the code on the customer's Pay page",
    "NOTENOUGH": "Insufficient balance: the customer can choose another card in WeChat, then scan again",
    "PAYERROR": "WeChat Pay declined the payment (the customer's bank refused it)",
    "TRADE_ERROR": "WeChat Pay declined the payment for this customer's account",
    "NOTSUPORTCARD": "The customer's card is not accepted here: ask them to choose another in WeChat",
    "BUYER_MISMATCH": "The code belongs to another WeChat account than the one that started paying",
}
UNSURE = frozenset({"SYSTEMERROR", "BANKERROR"})  # WeChat: query, never charge again
ASK_AGAIN = frozenset({"ORDERPAID", "OUT_TRADE_NO_USED", "ORDERCLOSED", "ORDERREVERSED"})  # the order exists

# API v3 trade_state -> (our state, the cashier's sentence)
TRADE_STATES = {
    "SUCCESS": (PayState.PAID, "Paid with WeChat Pay"),
    "REFUND": (PayState.PAID, "Paid with WeChat Pay (refunded in part or in full since)"),
    "USERPAYING": (PayState.PENDING, WAITING),
    "NOTPAY": (PayState.PENDING, "Not paid yet"),
    "CLOSED": (PayState.CANCELLED, "Cancelled: the payment was closed before the customer paid"),
    "REVOKED": (PayState.CANCELLED, "Cancelled: the payment was reversed, nothing was taken"),
    "PAYERROR": (PayState.FAILED, "WeChat Pay declined the payment"),
}
REFUND_STATES = {
    "SUCCESS": PayState.PAID,
    "PROCESSING": PayState.PENDING,
    "CLOSED": PayState.FAILED,
    "ABNORMAL": PayState.FAILED,
}


def make(
    settings: dict[str, Any], secret: Callable[[str], str | None], *, base_url: str | None = None
) -> WeChatGateway:
    """A WeChat Pay gateway from the non-secret ``settings`` (appid, mch_id, serial_no; optional notify_url,
    platform_serial, device_ip, reverse_after_s) and the keyring secrets ``payments.wechat.*`` (four required, the
    API certificate ``merchant_cert`` optional); ConfigError names what is missing, never a value."""
    missing = [f"setting {name}" for name in SETTINGS if not str(settings.get(name) or "").strip()]
    values = {name: secret(f"payments.wechat.{name}") for name in SECRETS}
    missing += [f"payments.wechat.{name}" for name, value in values.items() if not value]
    if missing:
        raise ConfigError(f"WeChat Pay is not set up: {', '.join(missing)} missing")
    keys = sign.Keys(
        api_key=str(values["api_key"]).strip(),
        apiv3_key=sign.apiv3_key(str(values["apiv3_key"])),
        private_key=sign.private_key(str(values["private_key"])),
        platform_key=sign.platform_key(str(values["platform_public_key"])),
    )
    cert = secret(f"payments.wechat.{CERTIFICATE}")
    tls = sign.client_tls(cert, keys.private_key) if cert else None
    if tls is None:
        log.info("wechat: no API certificate in the keyring: a 付款码 reverse goes without one")
    return WeChatGateway(settings, keys, base_url=base_url or settings.get("base_url") or API_BASE, tls=tls)


class WeChatGateway(Gateway):
    """WeChat Pay 付款码 (SCAN_CODE) and Native (SHOW_QR); our request_id is WeChat's out_trade_no."""

    name = "wechat"
    methods = frozenset({Method.SCAN_CODE, Method.SHOW_QR})

    def __init__(
        self,
        settings: dict[str, Any],
        keys: sign.Keys,
        *,
        base_url: str,
        timeout: float = 15.0,
        tls: ssl.SSLContext | None = None,
    ) -> None:
        self._appid = str(settings["appid"])
        self._mchid = str(settings["mch_id"])
        self._serial = str(settings["serial_no"])
        self._notify_url = str(settings.get("notify_url") or "")
        self._platform_serial = str(settings.get("platform_serial") or "")
        self._device_ip = str(settings.get("device_ip") or "127.0.0.1")
        self._keys = keys
        # one client for v2 and v3: with the API certificate when there is one (only the v2 reverse asks for it)
        self._http = httpx.AsyncClient(
            base_url=base_url,
            timeout=httpx.Timeout(timeout, connect=5.0),
            verify=tls if tls is not None else True,
        )
        self._method: dict[str, Method] = {}  # request_id -> how it was paid, for cancel (reverse or close)
        self._charged_at: dict[str, float] = {}  # request_id -> when the micropay was sent (monotonic)
        # WeChat: reverse no sooner than 15 s after the charge; the simulator's settings make it shorter
        self._reverse_after = float(settings.get("reverse_after_s", REVERSE_AFTER_S))

    async def aclose(self) -> None:
        await self._http.aclose()

    # -- the Gateway ------------------------------------------------------------------------------------------

    async def pay(self, intent: Intent) -> Outcome:
        if intent.amount.currency != "CNY":
            return Outcome(
                PayState.FAILED, message="WeChat Pay takes payments in CNY only", raw_code="CURRENCY"
            )
        self._method[intent.request_id] = intent.method
        if intent.method is Method.SCAN_CODE:
            self._charged_at.setdefault(intent.request_id, time.monotonic())
            return await self._micropay(intent)
        if intent.method is Method.SHOW_QR:
            return await self._native(intent)
        return Outcome(PayState.FAILED, message="WeChat Pay takes no card reader payments", raw_code="METHOD")

    async def query(self, request_id: str) -> Outcome:
        tx = await self._transaction(request_id)
        if tx is None:
            return Outcome(
                PayState.UNKNOWN,
                message="WeChat Pay has no record of this payment yet",
                raw_code="ORDER_NOT_EXIST",
            )
        return trade_outcome(tx)

    async def cancel(self, request_id: str) -> Outcome:
        """Reverse a 付款码 payment (which returns the money if it had moved) or close a Native one; a payment
        WeChat reports as already final is answered as it stands."""
        tx: dict[str, Any] | None = None
        try:
            tx = await self._transaction(request_id)
        except GatewayError as exc:  # WeChat's rule: a result that cannot be read is reversed
            log.warning("wechat: cancel %s: query first gave no answer (%s)", request_id, exc)
        if tx is not None:
            now = trade_outcome(tx)
            if now.state in (PayState.PAID, PayState.FAILED, PayState.CANCELLED):
                return now
        trade_type = str(tx.get("trade_type") or "") if tx else ""
        native = trade_type == "NATIVE" or (not trade_type and self._method.get(request_id) is Method.SHOW_QR)
        return await (self._close(request_id) if native else self._reverse(request_id))

    async def refund(self, request_id: str, refund_id: str, amount: Money, reason: str = "") -> RefundOutcome:
        if amount.currency != "CNY" or amount.amount <= 0:
            return RefundOutcome(
                PayState.FAILED, refund_id, message="A WeChat Pay refund is a positive CNY amount"
            )
        tx = await self._transaction(request_id)
        if tx is None:
            return RefundOutcome(
                PayState.FAILED, refund_id, message="WeChat Pay has no payment with this number"
            )
        body: dict[str, Any] = {
            "out_trade_no": request_id,
            "out_refund_no": refund_id,
            "amount": {"refund": amount.amount, "total": int(tx["amount"]["total"]), "currency": "CNY"},
        }
        if reason.strip():
            body["reason"] = _cut_bytes(reason.strip(), 80)  # WeChat's limit is 80 bytes
        status, answer = await self._v3("POST", "/v3/refund/domestic/refunds", body)
        if status >= 400:
            _unsure(status, answer, "refund")
            return RefundOutcome(
                PayState.FAILED, refund_id, message=f"WeChat Pay refused the refund: {_says(answer)}"
            )
        state = REFUND_STATES.get(str(answer.get("status")), PayState.UNKNOWN)
        message = {
            PayState.PAID: "Refunded through WeChat Pay",
            PayState.PENDING: "Refund accepted by WeChat Pay; it reaches the customer shortly",
        }.get(state, f"WeChat Pay answered the refund with {answer.get('status')!r}")
        return RefundOutcome(state, refund_id, str(answer.get("refund_id") or "") or None, message)

    def verify_callback(self, headers: dict[str, str], body: bytes) -> tuple[str, Outcome]:
        """A payment notification (TRANSACTION.SUCCESS): the signature over the exact bytes first, then the
        resource decrypted with the APIv3 key; SignatureError if either fails."""
        self._verify({k.lower(): v for k, v in headers.items()}, body, what="callback")
        try:
            notice = json.loads(body)
            tx = json.loads(sign.decrypt(self._keys.apiv3_key, notice["resource"]))
        except (ValueError, KeyError, TypeError) as exc:
            raise GatewayError(f"WeChat Pay callback is unreadable ({type(exc).__name__})") from None
        if not str(notice.get("event_type", "")).startswith("TRANSACTION."):
            raise GatewayError(
                f"WeChat Pay callback {notice.get('event_type')!r} is not a payment notification"
            )
        if str(tx.get("mchid")) != self._mchid:
            raise GatewayError("WeChat Pay callback is for another merchant")
        return str(tx["out_trade_no"]), trade_outcome(tx)

    # -- 付款码 (API v2) ---------------------------------------------------------------------------------------

    async def _micropay(self, intent: Intent) -> Outcome:
        code = "".join((intent.code or "").split())
        if not code:
            return Outcome(
                PayState.FAILED, message="Scan the customer's WeChat payment code first", raw_code="NO_CODE"
            )
        answer = await self._v2(
            "/pay/micropay",
            {
                "body": _cut_bytes(intent.subject or intent.order_key, 127),
                "out_trade_no": intent.request_id,
                "total_fee": str(intent.amount.amount),
                "fee_type": "CNY",
                "spbill_create_ip": self._device_ip,
                "auth_code": code,
            },
        )
        if answer.get("return_code") != "SUCCESS":
            # WeChat does not sign a refusal, so it is not believed alone: a signed query confirms no order exists
            tx = await self._transaction(intent.request_id)
            if tx is not None:
                return trade_outcome(tx)
            return Outcome(
                PayState.FAILED,
                message=f"WeChat Pay refused the request: {answer.get('return_msg') or 'no reason given'}",
                raw_code="return_code FAIL",
            )
        if answer.get("result_code") == "SUCCESS":
            return Outcome(
                PayState.PAID, answer.get("transaction_id"), "Paid with WeChat Pay", raw_code="SUCCESS"
            )
        err = answer.get("err_code", "")
        log.info("wechat: micropay %s answered %s", intent.request_id, err)
        if err == "USERPAYING":
            return Outcome(PayState.PENDING, message=WAITING, raw_code=err)
        if err in UNSURE:
            return Outcome(
                PayState.UNKNOWN, message="WeChat Pay did not confirm yet; asking again", raw_code=err
            )
        if err in ASK_AGAIN:  # this out_trade_no was sent before: where it stands is the query's answer
            return await self.query(intent.request_id)
        sentence = DECLINED.get(err) or f"WeChat Pay declined: {answer.get('err_code_des') or err}"
        return Outcome(PayState.FAILED, message=sentence, raw_code=err)

    async def _reverse(self, request_id: str) -> Outcome:
        """WeChat's reverse: not sooner than 15 s after the charge, and called again while it does not answer,
        answers SYSTEMERROR or asks for it (recall=Y)."""
        charged = self._charged_at.get(request_id)
        if charged is not None:
            await asyncio.sleep(max(0.0, charged + self._reverse_after - time.monotonic()))
        why = "no answer"
        for _ in range(REVERSE_TRIES):
            try:
                answer = await self._v2("/secapi/pay/reverse", {"out_trade_no": request_id})
            except SignatureError:
                raise
            except GatewayError as exc:
                why = str(exc)
                continue
            if answer.get("return_code") != "SUCCESS":
                why = answer.get("return_msg") or "refused"
                break
            if answer.get("result_code") == "SUCCESS":
                if answer.get("recall") != "Y":
                    return Outcome(
                        PayState.CANCELLED,
                        message="Cancelled: the payment was reversed, nothing was taken",
                        raw_code="REVERSED",
                    )
                why = "WeChat Pay asked for the reverse again"  # recall=Y
                continue
            err = answer.get("err_code", "")
            if err == "ORDERNOTEXIST":
                return Outcome(PayState.CANCELLED, message="Cancelled: nothing was charged", raw_code=err)
            if err == "REVERSE_EXPIRE":
                return await self.query(request_id)
            why = answer.get("err_code_des") or err
            if err not in UNSURE:
                break
        log.warning("wechat: reverse %s did not complete: %s", request_id, why)
        return Outcome(
            PayState.UNKNOWN, message=f"WeChat Pay did not reverse the payment: {why}", raw_code="REVERSE"
        )

    async def _v2(self, path: str, fields: dict[str, str]) -> dict[str, str]:
        """One signed v2 XML call; the answer's own signature verified whenever WeChat says SUCCESS."""
        sent = {"appid": self._appid, "mch_id": self._mchid, **fields}
        sent["nonce_str"] = secrets.token_hex(16)
        sent["sign_type"] = "HMAC-SHA256"
        sent["sign"] = sign.v2_sign(sent, self._keys.api_key)
        try:
            reply = await self._http.post(
                path, content=sign.to_xml(sent).encode(), headers={"Content-Type": "text/xml; charset=utf-8"}
            )
        except httpx.HTTPError as exc:
            raise GatewayError(f"WeChat Pay did not answer ({type(exc).__name__})") from None
        if reply.status_code >= 500:
            raise GatewayError(f"WeChat Pay answered HTTP {reply.status_code}")
        answer = sign.from_xml(reply.content)
        signed = hmac.compare_digest(answer.get("sign", ""), sign.v2_sign(answer, self._keys.api_key))
        if answer.get("return_code") == "SUCCESS" and not signed:
            raise SignatureError("WeChat Pay's answer does not carry a valid signature: refused")
        return answer

    # -- Native, query, close, refund (API v3) ----------------------------------------------------------------

    async def _native(self, intent: Intent) -> Outcome:
        if not self._notify_url.startswith(("https://", "http://")):  # WeChat: notify_url is required
            return Outcome(
                PayState.FAILED,
                message="A WeChat Pay QR needs the callback address (notify_url) set in Settings → Payments",
                raw_code="NO_NOTIFY_URL",
            )
        body = {
            "appid": self._appid,
            "mchid": self._mchid,
            "description": _cut_bytes(intent.subject or intent.order_key, 127),
            "out_trade_no": intent.request_id,
            "notify_url": self._notify_url,
            "amount": {"total": intent.amount.amount, "currency": "CNY"},
        }
        status, answer = await self._v3("POST", "/v3/pay/transactions/native", body)
        if status >= 400:
            _unsure(status, answer, "Native order")
            if answer.get("code") in ("ORDERPAID", "ORDER_PAID", "ORDER_CLOSED", "OUT_TRADE_NO_USED"):
                return await self.query(intent.request_id)
            return Outcome(
                PayState.FAILED, message=f"WeChat Pay refused: {_says(answer)}", raw_code=_code(answer)
            )
        return Outcome(PayState.PENDING, message=WAITING, qr_url=str(answer["code_url"]), raw_code="NOTPAY")

    async def _transaction(self, request_id: str) -> dict[str, Any] | None:
        """The v3 transaction for our out_trade_no (micropay or Native); None when WeChat has no such order."""
        path = f"/v3/pay/transactions/out-trade-no/{quote(request_id, safe='')}?mchid={quote(self._mchid)}"
        status, answer = await self._v3("GET", path)
        if status == 404 or answer.get("code") in ("ORDER_NOT_EXIST", "ORDERNOTEXIST"):
            return None
        if status >= 400:
            _unsure(status, answer, "query")
            raise GatewayError(f"WeChat Pay refused the query: {_says(answer)}")
        return answer

    async def _close(self, request_id: str) -> Outcome:
        path = f"/v3/pay/transactions/out-trade-no/{quote(request_id, safe='')}/close"
        status, answer = await self._v3("POST", path, {"mchid": self._mchid})
        if status == 204:
            return Outcome(
                PayState.CANCELLED,
                message="Cancelled: the QR code no longer takes payment",
                raw_code="CLOSED",
            )
        _unsure(status, answer, "close")
        return await self.query(request_id)  # paid meanwhile, or never created: the query says which

    async def _v3(
        self, method: str, path: str, body: dict[str, Any] | None = None
    ) -> tuple[int, dict[str, Any]]:
        """One signed v3 call: (HTTP status, JSON answer), the answer's signature verified before it is read."""
        content = (
            json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode() if body is not None else b""
        )
        headers = {"Accept": "application/json", "Authorization": self._authorization(method, path, content)}
        if body is not None:
            headers["Content-Type"] = "application/json"
        try:
            reply = await self._http.request(method, path, content=content, headers=headers)
        except httpx.HTTPError as exc:
            raise GatewayError(f"WeChat Pay did not answer ({type(exc).__name__})") from None
        if reply.status_code >= 500:
            raise GatewayError(f"WeChat Pay answered HTTP {reply.status_code}: asking again later")
        self._verify({k.lower(): v for k, v in reply.headers.items()}, reply.content, what="answer")
        try:
            answer = json.loads(reply.content) if reply.content else {}
        except ValueError:
            raise GatewayError("WeChat Pay's answer is not JSON") from None
        return reply.status_code, answer if isinstance(answer, dict) else {}

    def _authorization(self, method: str, path: str, content: bytes) -> str:
        assert self._keys.private_key is not None
        return sign.authorization(self._keys.private_key, self._mchid, self._serial, method, path, content)

    def _verify(self, headers: dict[str, str], body: bytes, *, what: str) -> None:
        assert self._keys.platform_key is not None
        sign.verify(self._keys.platform_key, self._platform_serial, headers, body, what=what)


def trade_outcome(tx: dict[str, Any]) -> Outcome:
    """A v3 transaction (query answer or decrypted callback) as an Outcome."""
    trade_state = str(tx.get("trade_state") or "")
    state, sentence = TRADE_STATES.get(trade_state, (PayState.UNKNOWN, f"WeChat Pay says {trade_state!r}"))
    if state is PayState.FAILED and tx.get("trade_state_desc"):
        sentence = f"WeChat Pay declined the payment: {tx['trade_state_desc']}"
    return Outcome(state, tx.get("transaction_id") or None, sentence, raw_code=trade_state)


def _unsure(status: int, answer: dict[str, Any], what: str) -> None:
    """WeChat's own errors (SYSTEM_ERROR, FREQUENCY_LIMITED...) leave the result unknown: GatewayError."""
    if status == 429 or _code(answer) in ("SYSTEM_ERROR", "SYSTEMERROR", "FREQUENCY_LIMITED", "BANKERROR"):
        raise GatewayError(f"WeChat Pay could not do the {what} now ({_code(answer)})")
    if status == 401:
        raise GatewayError(
            f"WeChat Pay refused our signature on the {what}: check the merchant key and serial number"
        )


def _code(answer: dict[str, Any]) -> str:
    return str(answer.get("code") or "")


def _says(answer: dict[str, Any]) -> str:
    return str(answer.get("message") or answer.get("code") or "no reason given")


def _cut_bytes(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` UTF-8 bytes without splitting a character."""
    return text.encode()[:limit].decode(errors="ignore")
