"""Alipay 当面付 (face-to-face payment) through Alipay's OpenAPI gateway, RSA2-signed both ways.

We scan the customer's payment code (``alipay.trade.pay``, scene ``bar_code``) or show a QR the customer scans
(``alipay.trade.precreate``); while Alipay answers 10003 / WAIT_BUYER_PAY the cashier's wait (payments/flow.py)
asks ``alipay.trade.query`` and, when time is up, ``alipay.trade.cancel`` (which closes an unpaid trade and
refunds one paid at the last moment). Refunds are ``alipay.trade.refund`` with our refund id as
``out_request_no``, so a retried refund is never paid out twice. Every request is signed with the shop's app
private key (SHA256withRSA over the sorted parameters) and every answer is checked against Alipay's public key
over the exact JSON text of its ``alipay_trade_xxx_response`` member; the async notify (form-encoded) is checked
over its sorted parameters without ``sign`` and ``sign_type``. An answer that does not verify raises
SignatureError and is never acted on. The payment code and the keys are never logged.

The public API pages as read (through the search tool):
- common parameters, alipay.trade.pay / bar_code, auth_code: https://w3cschool.cn/aliminiapp/aliminiapp-2wa52f4q.html
  and https://cnblogs.com/yly123/p/16019894.html
- alipay.trade.precreate and its qr_code answer: https://open.alitrip.com/docs/doc.htm?articleId=104629&docType=1&treeId=140
- alipay.trade.query / alipay.trade.cancel (query first, cancel only without a clear result):
  https://help.aliyun.com/document_detail/2978205.html , https://help.aliyun.com/document_detail/2978203.html ,
  cancel's answer (action close/refund, retry_flag): https://yq.aliyun.com/articles/710931
- poll then cancel right after the last query, never leave a trade waiting: https://blog.csdn.net/jingblog/article/details/81185281
- trade_status WAIT_BUYER_PAY / TRADE_SUCCESS / TRADE_CLOSED / TRADE_FINISHED: https://docs.antom.com/ac/gr/trade_status
- alipay.trade.refund, out_request_no, fund_change, ACQ.REASON_TRADE_REFUND_FEE_ERR:
  https://blog.csdn.net/weixin_38738277/article/details/81705187 , https://yq.aliyun.com/articles/707486
- RSA2 signing of the sorted request and checking of notifications (sign and sign_type left out):
  https://developer.aliyun.com/ask/285094 , https://blog.csdn.net/shiranyyds/article/details/140127594
- a request whose signature fails is answered 40002 isv.invalid-signature:
  https://5851388.com/s01rax2/pathhash=fd909e3b.html (Alipay's FAQ page, mirrored)
"""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import urllib.parse
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import httpx
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from posapp.domain.money import Money, to_minor
from posapp.errors import PayloadError
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

PRODUCTION_URL = "https://openapi.alipay.com/gateway.do"
SANDBOX_URL = "https://openapi-sandbox.dl.alipaydev.com/gateway.do"
PRIVATE_KEY = (
    "payments.alipay.private_key"  # the shop's app private key (RSA 2048, PEM or Alipay's bare base64)
)
PUBLIC_KEY = "payments.alipay.alipay_public_key"  # Alipay's public key (not the app public key)
BEIJING = timezone(timedelta(hours=8))  # Alipay reads ``timestamp`` as Beijing time

SUCCESS, IN_PROCESS, UNAVAILABLE, BUSINESS_FAILED = "10000", "10003", "20000", "40004"
PAID_STATUSES = ("TRADE_SUCCESS", "TRADE_FINISHED")
WAITING = "Waiting for the customer to confirm in Alipay…"

# 40004 sub codes that mean "nothing trustworthy happened yet": ask again, never show as declined.
RETRYABLE = frozenset({"ACQ.SYSTEM_ERROR", "aop.ACQ.SYSTEM_ERROR", "ACQ.AOP_SYSTEM_ERROR"})

# What the cashier reads for Alipay's business failures (40004 sub_code); anything else quotes Alipay's sub_msg.
DECLINED = {
    "ACQ.PAYMENT_AUTH_CODE_INVALID": "The payment code is not valid: ask the customer to refresh it and scan again.",
    "ACQ.BUYER_BALANCE_NOT_ENOUGH": "The customer's Alipay balance is not enough: ask them to pick another way to pay in Alipay.",
    "ACQ.BUYER_BANKCARD_BALANCE_NOT_ENOUGH": "The customer's bank card has not enough money: ask them to pick another way to pay in Alipay.",
    "ACQ.ERROR_BALANCE_PAYMENT_DISABLE": "The customer's Alipay balance cannot be used: ask them to pick another way to pay.",
    "ACQ.BUYER_ENABLE_STATUS_FORBID": "Alipay does not let this customer pay right now.",
    "ACQ.PAYMENT_REQUEST_HAS_RISK": "Alipay refused this payment as risky: ask for another way to pay.",
    "ACQ.BUYER_PAYMENT_AMOUNT_DAY_LIMIT_ERROR": "The customer has reached Alipay's daily limit.",
    "ACQ.BUYER_PAYMENT_AMOUNT_MONTH_LIMIT_ERROR": "The customer has reached Alipay's monthly limit.",
    "ACQ.TOTAL_FEE_EXCEED": "The amount is above what Alipay allows for one payment.",
    "ACQ.TRADE_HAS_CLOSE": "This payment was already cancelled: start a new one.",
    "ACQ.CONTEXT_INCONSISTENT": "This payment id was already used for another amount: start a new payment.",
    "ACQ.REASON_TRADE_REFUND_FEE_ERR": "The refund is more than what is left of this payment.",
    "ACQ.TRADE_NOT_ALLOW_REFUND": "Alipay no longer allows refunds of this payment.",
    "ACQ.TRADE_STATUS_ERROR": "This payment is not paid, so there is nothing to refund.",
    "ACQ.SELLER_BALANCE_NOT_ENOUGH": "The shop's Alipay balance is too low for this refund.",
    "ACQ.TRADE_NOT_EXIST": "Alipay has no payment with this id.",
}


def make(
    settings: dict[str, Any], secret: Callable[[str], str | None], *, base_url: str | None = None
) -> AlipayGateway:
    """An Alipay gateway from the non-secret ``settings`` (app_id, sandbox, notify_url, timeout_s) and the two
    keys in the keyring; ``base_url`` points it at a simulator. GatewayError names what is missing."""
    app_id = str(settings.get("app_id") or "").strip()
    if not app_id:
        raise GatewayError("Alipay: the app id (APPID) is not set.")
    private_text, public_text = secret(PRIVATE_KEY), secret(PUBLIC_KEY)
    if not private_text:
        raise GatewayError(f"Alipay: the app private key is not in the keyring ({PRIVATE_KEY}).")
    if not public_text:
        raise GatewayError(f"Alipay: Alipay's public key is not in the keyring ({PUBLIC_KEY}).")
    if base_url:
        url = base_url if base_url.rstrip("/").endswith(".do") else base_url.rstrip("/") + "/gateway.do"
    else:
        url = SANDBOX_URL if settings.get("sandbox") else PRODUCTION_URL
    return AlipayGateway(
        app_id=app_id,
        private_key=load_private_key(private_text),
        alipay_key=load_public_key(public_text),
        url=url,
        notify_url=str(settings.get("notify_url") or "") or None,
        timeout=float(settings.get("timeout_s") or 15.0),
    )


def load_private_key(text: str) -> rsa.RSAPrivateKey:
    """The app private key as Alipay's key tool writes it (bare base64 PKCS#8 or PKCS#1) or as PEM."""
    try:
        if "-----BEGIN" in text:
            key = serialization.load_pem_private_key(text.encode("ascii"), password=None)
        else:
            key = serialization.load_der_private_key(base64.b64decode("".join(text.split())), password=None)
    except (ValueError, TypeError, UnicodeEncodeError) as exc:
        raise GatewayError("Alipay: the app private key in the keyring cannot be read.") from exc
    if not isinstance(key, rsa.RSAPrivateKey):
        raise GatewayError("Alipay: the app private key is not an RSA key (RSA2 needs one).")
    return key


def load_public_key(text: str) -> rsa.RSAPublicKey:
    """Alipay's public key as the open platform shows it (bare base64) or as PEM."""
    try:
        if "-----BEGIN" in text:
            key = serialization.load_pem_public_key(text.encode("ascii"))
        else:
            key = serialization.load_der_public_key(base64.b64decode("".join(text.split())))
    except (ValueError, TypeError, UnicodeEncodeError) as exc:
        raise GatewayError("Alipay: Alipay's public key in the keyring cannot be read.") from exc
    if not isinstance(key, rsa.RSAPublicKey):
        raise GatewayError("Alipay: Alipay's public key is not an RSA key.")
    return key


def sign_content(params: dict[str, str]) -> str:
    """The text Alipay signs: ``k=v`` pairs sorted by key, joined by ``&``, without ``sign``/``sign_type`` on
    notifications (callers drop them) and without empty values."""
    return "&".join(f"{k}={v}" for k, v in sorted(params.items()) if k != "sign" and v != "")


def rsa2_sign(key: rsa.RSAPrivateKey, text: str) -> str:
    return base64.b64encode(key.sign(text.encode("utf-8"), padding.PKCS1v15(), hashes.SHA256())).decode(
        "ascii"
    )


def rsa2_verify(key: rsa.RSAPublicKey, text: str, signature: str) -> bool:
    try:
        key.verify(
            base64.b64decode(signature, validate=True),
            text.encode("utf-8"),
            padding.PKCS1v15(),
            hashes.SHA256(),
        )
    except (InvalidSignature, ValueError):
        return False
    return True


def yuan(amount: Money) -> str:
    """Alipay's amount: yuan with two decimals ("12.50")."""
    return f"{amount.decimal():.2f}"


def response_member(text: str, member: str) -> tuple[str, str | None]:
    """The exact JSON text of ``member`` inside Alipay's answer and the answer's ``sign`` (None if unsigned):
    Alipay signs the member's bytes as sent, so it is cut out of the text, never re-serialised."""
    key = f'"{member}"'
    at = text.find(key)
    if at < 0:
        key, at = '"error_response"', text.find('"error_response"')
    if at < 0:
        raise GatewayError("Alipay's answer has no response member.")
    start = text.find(":", at + len(key)) + 1
    while start < len(text) and text[start] in " \t\r\n":
        start += 1
    try:
        _, end = json.JSONDecoder().raw_decode(text, start)
        whole = json.loads(text)
    except ValueError as exc:
        raise GatewayError("Alipay's answer is not JSON.") from exc
    sign = whole.get("sign") if isinstance(whole, dict) else None
    return text[start:end], sign if isinstance(sign, str) and sign else None


class AlipayGateway(Gateway):
    """Alipay 当面付 over the OpenAPI gateway (``make`` builds one from settings and the keyring)."""

    name = "alipay"
    methods = frozenset({Method.SCAN_CODE, Method.SHOW_QR})

    def __init__(
        self,
        *,
        app_id: str,
        private_key: rsa.RSAPrivateKey,
        alipay_key: rsa.RSAPublicKey,
        url: str = PRODUCTION_URL,
        notify_url: str | None = None,
        timeout: float = 15.0,
        cancel_retries: int = 3,
        retry_pause: float = 1.0,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.app_id = app_id
        self.url = url
        self.notify_url = notify_url
        self._key = private_key
        self._alipay_key = alipay_key
        self._cancel_retries = cancel_retries
        self._retry_pause = retry_pause
        self._sleep = sleep
        self._shown_qr: set[str] = set()  # request ids paid by QR: Alipay knows them only once scanned
        self._client = httpx.AsyncClient(timeout=httpx.Timeout(timeout, connect=5.0))

    def __repr__(self) -> str:  # never the keys
        return f"AlipayGateway(app_id={self.app_id!r}, url={self.url!r})"

    async def aclose(self) -> None:
        await self._client.aclose()

    # -- the calls -----------------------------------------------------------------------------------------------

    async def pay(self, intent: Intent) -> Outcome:
        if intent.amount.currency != "CNY":
            return Outcome(
                PayState.FAILED, message="Alipay 当面付 takes yuan (CNY) only.", raw_code="currency"
            )
        biz: dict[str, Any] = {
            "out_trade_no": intent.request_id,
            "total_amount": yuan(intent.amount),
            "subject": intent.subject or intent.order_key,
        }
        if intent.method is Method.SCAN_CODE:
            code = "".join((intent.code or "").split())
            if not code:
                return Outcome(PayState.FAILED, message="No payment code was scanned.", raw_code="no_code")
            biz |= {"scene": "bar_code", "auth_code": code, "product_code": "FACE_TO_FACE_PAYMENT"}
            return await self._paid_or_not(
                intent.request_id, await self._call("alipay.trade.pay", biz, notify=True)
            )
        if intent.method is Method.SHOW_QR:
            self._shown_qr.add(intent.request_id)
            answer = await self._call("alipay.trade.precreate", biz, notify=True)
            if answer.get("code") == SUCCESS and answer.get("qr_code"):
                msg = "Waiting for the customer to scan the QR code with Alipay…"
                return Outcome(PayState.PENDING, message=msg, qr_url=str(answer["qr_code"]), raw_code=SUCCESS)
            return await self._paid_or_not(intent.request_id, answer)
        return Outcome(PayState.FAILED, message="Alipay takes no card payments.", raw_code="method")

    async def query(self, request_id: str) -> Outcome:
        answer = await self._call("alipay.trade.query", {"out_trade_no": request_id})
        code, sub = answer.get("code"), str(answer.get("sub_code") or "")
        if code == SUCCESS:
            return self._by_status(answer)
        if code == BUSINESS_FAILED and sub == "ACQ.TRADE_NOT_EXIST":
            # A precreated QR becomes a trade only when the customer scans it; a code payment that is not
            # there may still be on its way: neither is a decline.
            if request_id in self._shown_qr:
                return Outcome(
                    PayState.PENDING, message="Waiting for the customer to scan the QR code…", raw_code=sub
                )
            return Outcome(
                PayState.UNKNOWN, message="Alipay has no record of this payment yet.", raw_code=sub
            )
        return self._not_final(answer)

    async def cancel(self, request_id: str) -> Outcome:
        for attempt in range(self._cancel_retries):
            if attempt:
                await self._sleep(self._retry_pause)
            answer = await self._call("alipay.trade.cancel", {"out_trade_no": request_id})
            code = answer.get("code")
            if code == SUCCESS and answer.get("retry_flag") != "Y":
                action = answer.get("action")
                trade_no = _text(answer.get("trade_no"))
                if action == "refund":
                    msg = "Cancelled: the customer had just paid, and Alipay gave the money back."
                    return Outcome(PayState.CANCELLED, trade_no, msg, raw_code="refund")
                if action == "close" or not action:
                    msg = "Cancelled: the customer was not charged."
                    return Outcome(PayState.CANCELLED, trade_no, msg, raw_code=str(action or "close"))
                return await self.query(request_id)  # an action we do not know: ask where it stands
            elif code == BUSINESS_FAILED:
                # Alipay would not cancel (already paid and past the day, frozen, ...): say where it stands.
                log.info(
                    "alipay: cancel %s refused (%s); asking where it stands",
                    request_id,
                    answer.get("sub_code"),
                )
                return await self.query(request_id)
            elif code != SUCCESS:
                return self._not_final(answer)
        return Outcome(
            PayState.UNKNOWN, message="Alipay asked to try the cancel again later.", raw_code="retry"
        )

    async def refund(self, request_id: str, refund_id: str, amount: Money, reason: str = "") -> RefundOutcome:
        biz = {"out_trade_no": request_id, "refund_amount": yuan(amount), "out_request_no": refund_id}
        if reason:
            biz["refund_reason"] = reason[:256]
        answer = await self._call("alipay.trade.refund", biz)
        code, sub = answer.get("code"), str(answer.get("sub_code") or "")
        if code == SUCCESS:
            if answer.get("fund_change") == "Y":
                return RefundOutcome(PayState.PAID, refund_id, None, f"Refunded {amount} through Alipay.")
            # fund_change N: a repeat of a refund already made, or one still being made; the refund query says.
            return await self.refund_query(request_id, refund_id, amount)
        if code == BUSINESS_FAILED and sub not in RETRYABLE:
            return RefundOutcome(PayState.FAILED, refund_id, None, _declined(answer))
        return RefundOutcome(PayState.UNKNOWN, refund_id, None, _unsure(answer))

    async def refund_query(self, request_id: str, refund_id: str, amount: Money) -> RefundOutcome:
        """Whether the refund ``refund_id`` of ``request_id`` went through (alipay.trade.fastpay.refund.query)."""
        answer = await self._call(
            "alipay.trade.fastpay.refund.query", {"out_trade_no": request_id, "out_request_no": refund_id}
        )
        if answer.get("code") == SUCCESS and answer.get("refund_amount"):
            status = answer.get("refund_status")
            if status in (None, "", "REFUND_SUCCESS"):
                return RefundOutcome(PayState.PAID, refund_id, None, f"Refunded {amount} through Alipay.")
            return RefundOutcome(PayState.PENDING, refund_id, None, "Alipay is still making this refund.")
        return RefundOutcome(PayState.UNKNOWN, refund_id, None, "Alipay has no record of this refund yet.")

    def verify_callback(self, headers: dict[str, str], body: bytes) -> tuple[str, Outcome]:
        """Alipay's async notify (``trade_status_sync``, form-encoded): (out_trade_no, outcome) when it is signed
        by Alipay for our app; SignatureError otherwise."""
        try:
            pairs = urllib.parse.parse_qsl(body.decode("utf-8"), keep_blank_values=True, strict_parsing=True)
        except (UnicodeDecodeError, ValueError) as exc:
            raise SignatureError("Alipay notification: the body is not a form.") from exc
        params = dict(pairs)
        if len(params) != len(pairs):
            raise SignatureError("Alipay notification: a parameter appears twice.")
        signature, sign_type = params.pop("sign", ""), params.pop("sign_type", "")
        if sign_type != "RSA2" or not signature:
            raise SignatureError("Alipay notification: not RSA2-signed.")
        if not rsa2_verify(self._alipay_key, sign_content(params), signature):
            raise SignatureError("Alipay notification: the signature does not verify.")
        if params.get("app_id") != self.app_id:
            raise SignatureError("Alipay notification: it is for another app.")
        request_id = params.get("out_trade_no", "")
        if not request_id:
            raise GatewayError("Alipay notification: no out_trade_no.")
        refunded = params.get("refund_fee", "")
        if params.get("gmt_refund") or refunded not in ("", "0", "0.00"):
            # A refund's notice (TRADE_CLOSED once refunded in full): the payment itself was paid; the refunds
            # are ours and tracked by refund id, so this never turns a paid payment into a cancelled one.
            msg = f"Alipay reports ¥{refunded or '?'} refunded of this payment."
            return request_id, Outcome(PayState.PAID, _text(params.get("trade_no")), msg, raw_code="refund")
        return request_id, self._by_status(params)

    # -- mapping -------------------------------------------------------------------------------------------------

    async def _paid_or_not(self, request_id: str, answer: dict[str, Any]) -> Outcome:
        """trade.pay's (or a failed precreate's) answer as an Outcome."""
        code, sub = answer.get("code"), str(answer.get("sub_code") or "")
        trade_no = _text(answer.get("trade_no"))
        if code == SUCCESS:
            return Outcome(PayState.PAID, trade_no, "Paid with Alipay.", fee=_fee(answer), raw_code=SUCCESS)
        if code == IN_PROCESS:
            return Outcome(PayState.PENDING, trade_no, WAITING, raw_code=IN_PROCESS)
        if code == BUSINESS_FAILED and sub == "ACQ.TRADE_HAS_SUCCESS":
            return await self.query(
                request_id
            )  # our retry of a payment that went through: never charged twice
        if code == BUSINESS_FAILED and sub not in RETRYABLE:
            return Outcome(PayState.FAILED, trade_no, _declined(answer), raw_code=sub or BUSINESS_FAILED)
        return self._not_final(answer)

    def _by_status(self, answer: dict[str, Any]) -> Outcome:
        status = str(answer.get("trade_status") or "")
        trade_no = _text(answer.get("trade_no"))
        if status in PAID_STATUSES:
            return Outcome(PayState.PAID, trade_no, "Paid with Alipay.", fee=_fee(answer), raw_code=status)
        if status == "WAIT_BUYER_PAY":
            return Outcome(PayState.PENDING, trade_no, WAITING, raw_code=status)
        if status == "TRADE_CLOSED":
            msg = "Alipay closed this payment (cancelled, timed out or refunded in full)."
            return Outcome(PayState.CANCELLED, trade_no, msg, raw_code=status)
        return Outcome(
            PayState.UNKNOWN, trade_no, f"Alipay gave an unknown trade status {status!r}.", raw_code=status
        )

    @staticmethod
    def _not_final(answer: dict[str, Any]) -> Outcome:
        code = str(answer.get("code") or "")
        return Outcome(PayState.UNKNOWN, _text(answer.get("trade_no")), _unsure(answer), raw_code=code)

    # -- the wire ------------------------------------------------------------------------------------------------

    async def _call(self, method: str, biz: dict[str, Any], *, notify: bool = False) -> dict[str, Any]:
        """One signed request to the gateway; the verified response member as a dict. GatewayError when nothing
        trustworthy came back, SignatureError when the answer's signature fails."""
        params = {
            "app_id": self.app_id,
            "method": method,
            "format": "JSON",
            "charset": "utf-8",
            "sign_type": "RSA2",
            "timestamp": datetime.now(BEIJING).strftime("%Y-%m-%d %H:%M:%S"),
            "version": "1.0",
            "biz_content": json.dumps(biz, ensure_ascii=False, separators=(",", ":")),
        }
        if notify and self.notify_url:
            params["notify_url"] = self.notify_url
        params["sign"] = rsa2_sign(self._key, sign_content(params))
        # As Alipay's SDKs do: the common parameters in the query string, biz_content in the form body.
        query = {k: v for k, v in params.items() if k != "biz_content"}
        out_trade_no = biz.get("out_trade_no", "")
        try:
            response = await self._client.post(
                self.url, params=query, data={"biz_content": params["biz_content"]}
            )
        except httpx.HTTPError as exc:
            log.warning("alipay: %s %s: no answer (%s)", method, out_trade_no, type(exc).__name__)
            raise GatewayError(f"Alipay did not answer ({type(exc).__name__}).") from exc
        if response.status_code != 200:
            raise GatewayError(f"Alipay answered HTTP {response.status_code}.")
        member = method.replace(".", "_") + "_response"
        content, signature = response_member(response.text, member)
        try:
            answer = json.loads(content)
        except ValueError as exc:
            raise GatewayError("Alipay's answer is not JSON.") from exc
        if not isinstance(answer, dict):
            raise GatewayError("Alipay's answer is not an object.")
        if signature is None:
            # Alipay leaves gateway-level refusals (bad signature, bad app id) unsigned; nothing happened, but an
            # unsigned answer is never believed about money.
            if answer.get("code") == SUCCESS:
                raise SignatureError(f"Alipay's answer to {method} is not signed.")
            raise GatewayError(f"Alipay refused the call ({_codes(answer)}).")
        if not rsa2_verify(self._alipay_key, content, signature):
            log.warning("alipay: %s %s: the answer's signature does not verify", method, out_trade_no)
            raise SignatureError(f"Alipay's answer to {method} has a signature that does not verify.")
        log.info(
            "alipay: %s %s -> %s %s", method, out_trade_no, answer.get("code"), answer.get("sub_code") or ""
        )
        return answer


def _text(value: object) -> str | None:
    return str(value) if value not in (None, "") else None


def _fee(answer: dict[str, Any]) -> Money | None:
    """``charge_amount`` (the fee Alipay charges the shop), where Alipay sends it."""
    raw = answer.get("charge_amount")
    if raw in (None, ""):
        return None
    try:
        return Money(to_minor(Decimal(str(raw)), "CNY"), "CNY")
    except (PayloadError, ArithmeticError):
        return None


def _declined(answer: dict[str, Any]) -> str:
    sub = str(answer.get("sub_code") or "")
    if sub in DECLINED:
        return DECLINED[sub]
    detail = answer.get("sub_msg") or answer.get("msg") or sub
    return f"Alipay declined: {detail}."


def _codes(answer: dict[str, Any]) -> str:
    """``40002 isv.invalid-signature: 验签出错`` for the log and the cashier's detail line."""
    code, sub = answer.get("code") or "?", answer.get("sub_code") or ""
    detail = answer.get("sub_msg") or answer.get("msg") or ""
    return f"{code}{' ' + str(sub) if sub else ''}{': ' + str(detail) if detail else ''}"


def _unsure(answer: dict[str, Any]) -> str:
    return f"Alipay could not say yet ({_codes(answer)}); asking again."
