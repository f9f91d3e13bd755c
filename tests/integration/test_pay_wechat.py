"""WeChat Pay over loopback: the gateway against the simulator (v2 HMAC and v3 RSA both ways, AES-GCM callbacks),
through the cashier's wait."""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import time
from collections.abc import Iterator
from typing import Any

import pytest
from aiohttp import web

from posapp.domain.money import Money
from posapp.errors import ConfigError
from posapp.payments import wechat
from posapp.payments.flow import settle
from posapp.payments.gateway import GatewayError, Intent, Method, Outcome, PayState, SignatureError
from posapp.payments.simulator import wechat as sim_wechat
from posapp.payments.simulator.wechat import Sim

FAST = {"poll_every": 0.1, "give_up_after": 3.0}


class Stack:
    def __init__(self, sim: Sim, gateway: wechat.WeChatGateway) -> None:
        self.sim, self.gateway = sim, gateway

    def calls(self, request_id: str) -> list[str]:
        return [endpoint for endpoint, out in self.sim.calls if out == request_id]


@pytest.fixture
def stack(arun: Any) -> Iterator[Stack]:
    sim = arun(sim_wechat.start(confirm_after=0.4))
    gateway = wechat.make(sim.gateway_settings, sim.secrets.get, base_url=sim.base_url)
    yield Stack(sim, gateway)
    arun(gateway.aclose())
    arun(sim.stop())


def intent(request_id: str, code: str | None, fen: int = 1250, method: Method = Method.SCAN_CODE) -> Intent:
    return Intent(request_id, "manual:42", Money(fen, "CNY"), method, "Noodle House order 42", code=code)


def test_a_scanned_code_is_paid_at_once(stack: Stack, arun: Any) -> None:
    outcome = arun(stack.gateway.pay(intent("wx-1", sim_wechat.PAY_AT_ONCE)))
    assert outcome.state is PayState.PAID
    assert outcome.transaction_id == stack.sim.orders["wx-1"].transaction_id != ""
    assert stack.sim.orders["wx-1"].total == 1250
    assert stack.sim.charges["wx-1"] == 1 and stack.sim.refused == []
    assert stack.calls("wx-1") == ["micropay"]


@pytest.mark.parametrize(
    ("code", "err_code", "words"),
    [
        (sim_wechat.EXPIRED, "AUTHCODEEXPIRE", "code has expired"),
        (sim_wechat.INSUFFICIENT, "NOTENOUGH", "Insufficient balance"),
        (sim_wechat.WRONG_CODE, "AUTH_CODE_INVALID", "not a WeChat Pay payment code"),
        (sim_wechat.PAY_ERROR, "PAYERROR", "bank refused"),
        ("6912345678901", "AUTH_CODE_INVALID", "not a WeChat Pay payment code"),  # a barcode off a can
    ],
)
def test_a_declined_code_fails_with_a_sentence(
    stack: Stack, arun: Any, code: str, err_code: str, words: str
) -> None:
    outcome = arun(settle(stack.gateway, intent("wx-2", code), **FAST))
    assert outcome.state is PayState.FAILED
    assert outcome.raw_code == err_code and words in outcome.message
    assert stack.sim.charges["wx-2"] == 0
    assert stack.calls("wx-2") == ["micropay"]  # a decline is final: no query, no reverse


def test_userpaying_then_paid_on_a_query(stack: Stack, arun: Any) -> None:
    seen: list[Outcome] = []
    outcome = arun(
        settle(
            stack.gateway,
            intent("wx-3", sim_wechat.CONFIRM_LATER),
            on_update=lambda o, _: seen.append(o),
            **FAST,
        )
    )
    assert seen[0].state is PayState.PENDING and seen[0].raw_code == "USERPAYING"
    assert (
        outcome.state is PayState.PAID and outcome.transaction_id == stack.sim.orders["wx-3"].transaction_id
    )
    assert stack.sim.charges["wx-3"] == 1
    calls = stack.calls("wx-3")
    assert calls[0] == "micropay" and set(calls[1:]) == {"query"} and "reverse" not in calls


def test_a_customer_too_slow_is_reversed_and_cancelled(stack: Stack, arun: Any) -> None:
    outcome = arun(
        settle(stack.gateway, intent("wx-4", sim_wechat.NEVER_CONFIRMS), poll_every=0.1, give_up_after=0.6)
    )
    assert outcome.state is PayState.CANCELLED and outcome.raw_code == "REVERSED"
    assert stack.sim.orders["wx-4"].trade_state == "REVOKED"
    assert stack.sim.charges["wx-4"] == 0
    assert stack.calls("wx-4")[-1] == "reverse" and stack.calls("wx-4").count("micropay") == 1
    stack.sim.customer_pays("wx-4")  # too late: a reversed order takes no money
    assert stack.sim.charges["wx-4"] == 0


def test_the_cashier_cancels_a_waiting_payment(stack: Stack, arun: Any) -> None:
    stop = asyncio.Event()

    async def cashier() -> Outcome:
        task = asyncio.ensure_future(
            settle(stack.gateway, intent("wx-5", sim_wechat.NEVER_CONFIRMS), stop=stop)
        )
        await asyncio.sleep(0.3)
        stop.set()
        return await task

    started = time.monotonic()
    outcome = arun(cashier())
    assert outcome.state is PayState.CANCELLED, outcome
    assert stack.calls("wx-5") == ["micropay", "query", "reverse"]  # cancel asks first, then reverses
    reverse_after = stack.sim.gateway_settings["reverse_after_s"]
    # WeChat: no reverse right after the charge (less 20 ms: the Qt loop's timers may fire a millisecond early)
    assert time.monotonic() - started >= reverse_after - 0.02


def test_a_reverse_that_fails_is_called_again(stack: Stack, arun: Any) -> None:
    stack.sim.reverse_errors = 2
    outcome = arun(stack.gateway.pay(intent("wx-5b", sim_wechat.NEVER_CONFIRMS)))
    assert outcome.state is PayState.PENDING
    outcome = arun(stack.gateway.cancel("wx-5b"))
    assert outcome.state is PayState.CANCELLED and stack.calls("wx-5b").count("reverse") == 3
    stack.sim.reverse_errors = 3
    arun(stack.gateway.pay(intent("wx-5c", sim_wechat.NEVER_CONFIRMS)))
    outcome = arun(stack.gateway.cancel("wx-5c"))
    assert outcome.state is PayState.UNKNOWN and "系统错误" in outcome.message  # shown as unknown, never paid


def test_a_code_paid_just_before_the_cancel_is_paid_not_reversed(stack: Stack, arun: Any) -> None:
    arun(stack.gateway.pay(intent("wx-5d", sim_wechat.NEVER_CONFIRMS)))
    stack.sim.customer_pays("wx-5d")
    outcome = arun(stack.gateway.cancel("wx-5d"))
    assert outcome.state is PayState.PAID and "reverse" not in stack.calls("wx-5d")
    assert stack.sim.orders["wx-5d"].refunded == 0


@pytest.mark.parametrize("code", [sim_wechat.SYSTEM_ERROR, sim_wechat.NETWORK_CUT])
def test_an_unsure_answer_is_resolved_by_query_and_charged_once(stack: Stack, arun: Any, code: str) -> None:
    seen: list[Outcome] = []
    outcome = arun(settle(stack.gateway, intent("wx-6", code), on_update=lambda o, _: seen.append(o), **FAST))
    assert seen[0].state is PayState.UNKNOWN  # never shown as paid before WeChat says so
    assert (
        outcome.state is PayState.PAID and outcome.transaction_id == stack.sim.orders["wx-6"].transaction_id
    )
    assert stack.sim.charges["wx-6"] == 1
    assert stack.calls("wx-6").count("micropay") == 1  # asked again by query, never charged again


def test_a_repeated_micropay_never_charges_twice(stack: Stack, arun: Any) -> None:
    first = arun(stack.gateway.pay(intent("wx-7", sim_wechat.PAY_AT_ONCE)))
    again = arun(stack.gateway.pay(intent("wx-7", sim_wechat.PAY_AT_ONCE)))  # a crashed job sent it again
    assert first.state is again.state is PayState.PAID
    assert again.transaction_id == first.transaction_id
    assert stack.sim.charges["wx-7"] == 1


def test_native_qr_is_paid_and_the_callback_says_so(stack: Stack, arun: Any) -> None:
    heard: list[tuple[str, Outcome]] = []

    async def listener(request: web.Request) -> web.Response:
        heard.append(stack.gateway.verify_callback(dict(request.headers), await request.read()))
        return web.Response(status=204)

    async def run() -> Outcome:
        app = web.Application()
        app.router.add_post("/wechat/notify", listener)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        settings = stack.sim.gateway_settings | {"notify_url": f"http://127.0.0.1:{port}/wechat/notify"}
        gateway = wechat.make(settings, stack.sim.secrets.get, base_url=stack.sim.base_url)
        try:
            first = await gateway.pay(intent("wx-8", None, 3300, Method.SHOW_QR))
            for _ in range(100):
                if heard:
                    break
                await asyncio.sleep(0.05)
            return first
        finally:
            await gateway.aclose()
            await runner.cleanup()

    stack.sim.set_scenario(sim_wechat.QR, "confirm:0.2")
    first = arun(run())
    assert first.state is PayState.PENDING and first.qr_url == stack.sim.orders["wx-8"].code_url
    assert first.qr_url.startswith("weixin://wxpay/bizpayurl?pr=")
    assert heard == [
        (
            "wx-8",
            Outcome(
                PayState.PAID,
                stack.sim.orders["wx-8"].transaction_id,
                heard[0][1].message,
                raw_code="SUCCESS",
            ),
        )
    ]
    assert stack.sim.charges["wx-8"] == 1


def test_native_qr_is_paid_and_the_query_says_so(stack: Stack, arun: Any) -> None:
    seen: list[Outcome] = []
    outcome = arun(
        settle(
            stack.gateway,
            intent("wx-9", None, 880, Method.SHOW_QR),
            on_update=lambda o, _: seen.append(o),
            **FAST,
        )
    )
    assert seen[0].state is PayState.PENDING and seen[0].qr_url
    assert all(o.qr_url == seen[0].qr_url for o in seen[:-1])  # the QR stays on screen while waiting
    assert outcome.state is PayState.PAID and stack.sim.charges["wx-9"] == 1
    assert "close" not in stack.calls("wx-9")


def test_a_qr_paid_just_before_the_cancel_is_paid_not_closed(stack: Stack, arun: Any) -> None:
    stack.sim.set_scenario(sim_wechat.QR, "never")
    arun(stack.gateway.pay(intent("wx-9b", None, 880, Method.SHOW_QR)))
    stack.sim.customer_pays("wx-9b")
    outcome = arun(stack.gateway.cancel("wx-9b"))
    assert outcome.state is PayState.PAID and "close" not in stack.calls("wx-9b")


def test_a_qr_without_a_callback_address_is_refused_with_a_sentence(stack: Stack, arun: Any) -> None:
    settings = stack.sim.gateway_settings | {"notify_url": ""}
    gateway = wechat.make(settings, stack.sim.secrets.get, base_url=stack.sim.base_url)
    outcome = arun(gateway.pay(intent("wx-9c", None, 880, Method.SHOW_QR)))
    arun(gateway.aclose())
    assert outcome.state is PayState.FAILED and "notify_url" in outcome.message
    assert stack.calls("wx-9c") == []


def test_native_qr_not_scanned_is_closed(stack: Stack, arun: Any) -> None:
    stack.sim.set_scenario(sim_wechat.QR, "never")
    outcome = arun(
        settle(stack.gateway, intent("wx-10", None, 880, Method.SHOW_QR), poll_every=0.1, give_up_after=0.4)
    )
    assert outcome.state is PayState.CANCELLED and stack.sim.orders["wx-10"].trade_state == "CLOSED"
    assert stack.calls("wx-10")[-1] == "close" and "reverse" not in stack.calls("wx-10")


def test_refund_partial_then_full_then_no_more(stack: Stack, arun: Any) -> None:
    paid = arun(stack.gateway.pay(intent("wx-11", sim_wechat.PAY_AT_ONCE, 2000)))
    assert paid.state is PayState.PAID
    part = arun(stack.gateway.refund("wx-11", "wx-11-r1", Money(500, "CNY"), "少送了一碗汤"))
    assert part.state is PayState.PAID and part.refund_id == "wx-11-r1" and part.transaction_id
    again = arun(stack.gateway.refund("wx-11", "wx-11-r1", Money(500, "CNY")))  # the same refund sent twice
    assert again.state is PayState.PAID and again.transaction_id == part.transaction_id
    assert stack.sim.orders["wx-11"].refunded == 500
    rest = arun(stack.gateway.refund("wx-11", "wx-11-r2", Money(1500, "CNY"), "整单退"))
    assert rest.state is PayState.PAID and stack.sim.orders["wx-11"].refunded == 2000
    more = arun(stack.gateway.refund("wx-11", "wx-11-r3", Money(1, "CNY")))
    assert more.state is PayState.FAILED and "超过" in more.message
    assert stack.sim.orders["wx-11"].refunded == 2000
    after = arun(stack.gateway.query("wx-11"))
    assert (
        after.state is PayState.PAID and after.raw_code == "REFUND"
    )  # paid, then refunded: still money received


def test_a_refund_still_processing_is_asked_again_with_the_same_refund_number(
    stack: Stack, arun: Any
) -> None:
    arun(stack.gateway.pay(intent("wx-11b", sim_wechat.PAY_AT_ONCE, 2000)))
    stack.sim.refund_takes = 0.3
    first = arun(stack.gateway.refund("wx-11b", "wx-11b-r1", Money(2000, "CNY")))
    assert first.state is PayState.PENDING and "shortly" in first.message
    arun(asyncio.sleep(0.35))
    later = arun(stack.gateway.refund("wx-11b", "wx-11b-r1", Money(2000, "CNY")))
    assert later.state is PayState.PAID and later.transaction_id == first.transaction_id
    assert stack.sim.orders["wx-11b"].refunded == 2000  # asked twice, refunded once


def test_a_forged_answer_signature_is_refused(stack: Stack, arun: Any) -> None:
    with pytest.raises(SignatureError):
        arun(stack.gateway.pay(intent("wx-12", sim_wechat.FORGED)))  # v2: HMAC under another key
    stack.sim.forge_answers = True
    with pytest.raises(SignatureError):
        arun(stack.gateway.query("wx-12"))  # v3: RSA by an impostor
    outcome = arun(
        settle(stack.gateway, intent("wx-13", None, 100, Method.SHOW_QR), poll_every=0.1, give_up_after=0.3)
    )
    assert outcome.state is PayState.UNKNOWN  # never believed, never shown as paid


def test_an_unsigned_refusal_is_not_believed_alone(stack: Stack, arun: Any) -> None:
    outcome = arun(stack.gateway.pay(intent("wx-13b", sim_wechat.UNSIGNED_FAIL)))
    assert outcome.state is PayState.PAID  # the money had moved: the signed query says so
    assert stack.calls("wx-13b") == ["micropay", "query"] and stack.sim.charges["wx-13b"] == 1


def test_the_simulator_refuses_our_bad_signatures(stack: Stack, arun: Any) -> None:
    wrong = dict(stack.sim.secrets)
    wrong["payments.wechat.api_key"] = "0" * 32
    other = wechat.make(stack.sim.gateway_settings, wrong.get, base_url=stack.sim.base_url)
    outcome = arun(other.pay(intent("wx-14", sim_wechat.PAY_AT_ONCE)))
    assert outcome.state is PayState.FAILED and "签名错误" in outcome.message
    assert stack.calls("wx-14") == ["query"]  # the unsigned refusal was checked by a signed query first
    arun(other.aclose())
    wrong_serial = stack.sim.gateway_settings | {"serial_no": "0" * 40}
    other = wechat.make(wrong_serial, stack.sim.secrets.get, base_url=stack.sim.base_url)
    with pytest.raises(GatewayError, match="signature"):
        arun(other.query("wx-14"))
    arun(other.aclose())
    assert stack.sim.refused == ["SIGNERROR", "SIGN_ERROR"] and stack.sim.charges["wx-14"] == 0


def genuine_callback(stack: Stack, arun: Any) -> tuple[dict[str, str], bytes]:
    stack.sim.set_scenario(sim_wechat.QR, "never")
    arun(stack.gateway.pay(intent("wx-15", None, 4200, Method.SHOW_QR)))
    stack.sim.customer_pays("wx-15")
    return stack.sim.notice(stack.sim.orders["wx-15"])


def test_a_forged_callback_is_refused(stack: Stack, arun: Any) -> None:
    headers, body = genuine_callback(stack, arun)
    tampered = body.replace(b"TRANSACTION.SUCCESS", b"TRANSACTION.SUCCESS ")
    with pytest.raises(SignatureError):
        stack.gateway.verify_callback(headers, tampered)
    with pytest.raises(SignatureError):
        stack.gateway.verify_callback({k: v for k, v in headers.items() if k != "Wechatpay-Signature"}, body)
    stack.sim.forge_answers = True
    forged_headers, forged_body = stack.sim.notice(stack.sim.orders["wx-15"])  # signed by an impostor
    with pytest.raises(SignatureError):
        stack.gateway.verify_callback(forged_headers, forged_body)
    notice = json.loads(body)  # a resource encrypted under another APIv3 key, the outer signature redone
    notice["resource"]["ciphertext"] = base64.b64encode(b"\0" * 64).decode()
    stack.sim.forge_answers = False
    rebuilt = json.dumps(notice).encode()
    with pytest.raises(SignatureError, match="decrypt"):
        stack.gateway.verify_callback(stack.sim.signed_headers(rebuilt), rebuilt)


def test_a_duplicate_genuine_callback_verifies_twice_the_same(stack: Stack, arun: Any) -> None:
    headers, body = genuine_callback(stack, arun)
    first = stack.gateway.verify_callback(headers, body)
    second = stack.gateway.verify_callback({k.lower(): v for k, v in headers.items()}, body)
    assert first == second
    assert first[0] == "wx-15" and first[1].state is PayState.PAID
    assert first[1].transaction_id == stack.sim.orders["wx-15"].transaction_id


def test_the_simulator_sends_a_duplicate_callback(stack: Stack, arun: Any) -> None:
    stack.sim.set_scenario(sim_wechat.QR, "duplicate_notify:0.1")

    async def run() -> None:
        await stack.gateway.pay(intent("wx-16", None, 100, Method.SHOW_QR))
        for _ in range(60):
            if len(stack.sim.notices) >= 2:
                return
            await asyncio.sleep(0.05)

    arun(run())
    (h1, b1), (h2, b2) = stack.sim.notices
    assert (
        b1 == b2
        and [stack.gateway.verify_callback(h, b) for h, b in ((h1, b1), (h2, b2))]
        == [stack.gateway.verify_callback(h1, b1)] * 2
    )
    assert stack.sim.charges["wx-16"] == 1


def test_the_payment_code_and_keys_never_reach_the_log(
    stack: Stack, arun: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    arun(settle(stack.gateway, intent("wx-17", sim_wechat.SYSTEM_ERROR), **FAST))
    arun(settle(stack.gateway, intent("wx-18", sim_wechat.NEVER_CONFIRMS), poll_every=0.1, give_up_after=0.3))
    text = caplog.text + repr(stack.gateway.__dict__)
    assert "wx-17" in caplog.text  # the log did record the payments
    for secret in [sim_wechat.SYSTEM_ERROR, sim_wechat.NEVER_CONFIRMS, *stack.sim.secrets.values()]:
        assert secret not in text


def test_missing_setup_is_named_without_values() -> None:
    with pytest.raises(ConfigError) as caught:
        wechat.make({"appid": "wx1"}, {"payments.wechat.api_key": "k" * 32}.get)
    words = str(caught.value)
    assert "mch_id" in words and "payments.wechat.private_key" in words and "k" * 32 not in words


def test_only_cny_is_taken(stack: Stack, arun: Any) -> None:
    outcome = arun(
        stack.gateway.pay(Intent("wx-19", "manual:1", Money(100, "USD"), Method.SCAN_CODE, code="1"))
    )
    assert outcome.state is PayState.FAILED and stack.calls("wx-19") == []


def test_the_reverse_presents_the_merchant_api_certificate(
    arun: Any, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    sim = arun(sim_wechat.start(tls=True))
    assert sim.tls is not None and sim.base_url.startswith("https://")
    trusted = tmp_path / "simulator-ca.pem"
    trusted.write_text(sim.tls.ca_pem)  # the simulator's CA, public; the shop's keys never reach a file
    monkeypatch.setenv("SSL_CERT_FILE", str(trusted))
    with_cert = wechat.make(sim.gateway_settings, sim.secrets.get, base_url=sim.base_url)
    without = dict(sim.secrets)
    del without["payments.wechat.merchant_cert"]
    no_cert = wechat.make(sim.gateway_settings, without.get, base_url=sim.base_url)
    try:
        for request_id, gateway in (("wx-20", with_cert), ("wx-21", no_cert)):
            assert arun(gateway.pay(intent(request_id, sim_wechat.NEVER_CONFIRMS))).state is PayState.PENDING
        assert arun(with_cert.cancel("wx-20")).state is PayState.CANCELLED
        refused = arun(no_cert.cancel("wx-21"))
        assert refused.state is PayState.UNKNOWN and "证书" in refused.message
        assert (
            sim.orders["wx-20"].trade_state == "REVOKED" and sim.orders["wx-21"].trade_state == "USERPAYING"
        )
        assert sim.refused == ["CERT_ERROR"]
    finally:
        arun(with_cert.aclose())
        arun(no_cert.aclose())
        arun(sim.stop())


def test_an_api_certificate_of_another_key_is_named(stack: Stack) -> None:
    secrets = dict(stack.sim.secrets)
    other = sim_wechat.Sim(tls=True)
    secrets["payments.wechat.merchant_cert"] = other.secrets["payments.wechat.merchant_cert"]
    with pytest.raises(ConfigError, match="does not belong"):
        wechat.make(stack.sim.gateway_settings, secrets.get, base_url=stack.sim.base_url)


def test_without_memfd_the_certificate_is_left_out_with_a_warning(
    stack: Stack, arun: Any, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    secrets = dict(stack.sim.secrets)
    secrets["payments.wechat.merchant_cert"] = sim_wechat.Sim(tls=True).tls.client_cert(stack.sim)  # type: ignore[union-attr]
    monkeypatch.delattr("os.memfd_create")  # as on Windows or macOS: the key is never put in a file instead
    gateway = wechat.make(stack.sim.gateway_settings, secrets.get, base_url=stack.sim.base_url)
    assert "Linux only" in caplog.text
    assert arun(gateway.pay(intent("wx-22", sim_wechat.PAY_AT_ONCE))).state is PayState.PAID
    arun(gateway.aclose())
