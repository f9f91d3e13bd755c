"""Alipay 当面付 over loopback: the gateway against the simulator, RSA2 both ways, through the cashier's wait."""

from __future__ import annotations

import asyncio
import base64
import logging
import urllib.parse
from collections.abc import Iterator
from typing import Any

import pytest
from aiohttp import web
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from posapp.domain.money import Money
from posapp.payments import alipay
from posapp.payments.flow import settle
from posapp.payments.gateway import GatewayError, Intent, Method, Outcome, PayState, SignatureError
from posapp.payments.simulator import alipay as sim_alipay
from posapp.payments.simulator.alipay import Sim

FAST = {"poll_every": 0.1, "give_up_after": 3.0}


class Stack:
    def __init__(self, sim: Sim, gateway: alipay.AlipayGateway) -> None:
        self.sim, self.gateway = sim, gateway

    def methods(self, request_id: str) -> list[str]:
        return [m for m, out in self.sim.calls if out == request_id]


@pytest.fixture
def stack(arun: Any) -> Iterator[Stack]:
    sim = arun(sim_alipay.start(confirm_after=0.4))
    gateway = alipay.make(sim.gateway_settings, sim.secrets.get, base_url=sim.base_url)
    yield Stack(sim, gateway)
    arun(gateway.aclose())
    arun(sim.stop())


def intent(
    request_id: str, code: str | None, yuan_fen: int = 1250, method: Method = Method.SCAN_CODE
) -> Intent:
    return Intent(request_id, "manual:42", Money(yuan_fen, "CNY"), method, "Noodle House order 42", code=code)


def test_a_scanned_code_is_paid_at_once(stack: Stack, arun: Any) -> None:
    outcome = arun(stack.gateway.pay(intent("pay-1", sim_alipay.PAY_AT_ONCE)))
    assert outcome.state is PayState.PAID
    assert outcome.transaction_id == stack.sim.trades["pay-1"].trade_no
    assert stack.sim.trades["pay-1"].total == 1250  # 12.50 yuan reached Alipay as "12.50"
    assert stack.sim.charges["pay-1"] == 1 and stack.sim.refused == []
    assert stack.methods("pay-1") == ["alipay.trade.pay"]


@pytest.mark.parametrize(
    ("code", "sub_code", "words"),
    [
        (sim_alipay.WRONG_CODE, "ACQ.PAYMENT_AUTH_CODE_INVALID", "payment code is not valid"),
        (
            "6912345678901",
            "ACQ.PAYMENT_AUTH_CODE_INVALID",
            "payment code is not valid",
        ),  # a barcode off a can
        (sim_alipay.INSUFFICIENT, "ACQ.BUYER_BALANCE_NOT_ENOUGH", "balance is not enough"),
    ],
)
def test_a_declined_code_fails_with_a_sentence(
    stack: Stack, arun: Any, code: str, sub_code: str, words: str
) -> None:
    outcome = arun(settle(stack.gateway, intent("pay-2", code), **FAST))
    assert outcome.state is PayState.FAILED
    assert outcome.raw_code == sub_code and words in outcome.message
    assert stack.sim.charges["pay-2"] == 0
    assert stack.methods("pay-2") == ["alipay.trade.pay"]  # a decline is final: no query, no cancel


def test_the_customer_confirms_after_a_delay_and_settle_polls_to_paid(stack: Stack, arun: Any) -> None:
    seen: list[tuple[PayState, float]] = []
    outcome = arun(
        settle(
            stack.gateway,
            intent("pay-3", sim_alipay.CONFIRM_LATER),
            on_update=lambda o, left: seen.append((o.state, left)),
            **FAST,
        )
    )
    assert outcome.state is PayState.PAID and outcome.transaction_id
    assert seen[0][0] is PayState.PENDING and seen[-1][0] is PayState.PAID
    assert seen[0][1] > seen[-1][1] > 0  # the countdown ran down and time was left
    calls = stack.methods("pay-3")
    assert calls[0] == "alipay.trade.pay" and "alipay.trade.query" in calls
    assert "alipay.trade.cancel" not in calls
    assert stack.sim.charges["pay-3"] == 1


def test_a_customer_too_slow_is_cancelled_and_the_code_cannot_be_charged_later(
    stack: Stack, arun: Any
) -> None:
    outcome = arun(
        settle(stack.gateway, intent("pay-4", sim_alipay.NEVER_CONFIRMS), poll_every=0.1, give_up_after=0.5)
    )
    assert outcome.state is PayState.CANCELLED
    assert "not charged" in outcome.message
    assert stack.methods("pay-4")[-1] == "alipay.trade.cancel"
    assert stack.sim.trades["pay-4"].status == "TRADE_CLOSED"
    again = arun(stack.gateway.pay(intent("pay-4", sim_alipay.PAY_AT_ONCE)))
    assert again.state is PayState.FAILED and again.raw_code == "ACQ.TRADE_HAS_CLOSE"
    assert stack.sim.charges["pay-4"] == 0


def test_the_cashier_cancels_while_the_customer_is_still_deciding(stack: Stack, arun: Any) -> None:
    stop = asyncio.Event()

    def cancel_on_first_pending(outcome: Outcome, left: float) -> None:
        if outcome.state is PayState.PENDING:
            stop.set()

    outcome = arun(
        settle(
            stack.gateway,
            intent("pay-5", sim_alipay.NEVER_CONFIRMS),
            on_update=cancel_on_first_pending,
            stop=stop,
            **FAST,
        )
    )
    assert outcome.state is PayState.CANCELLED
    assert stack.methods("pay-5") == ["alipay.trade.pay", "alipay.trade.cancel"]


def test_a_qr_is_shown_then_scanned_and_paid(stack: Stack, arun: Any) -> None:
    seen: list[Outcome] = []
    outcome = arun(
        settle(
            stack.gateway,
            intent("pay-6", None, method=Method.SHOW_QR),
            on_update=lambda o, _: seen.append(o),
            **FAST,
        )
    )
    assert seen[0].state is PayState.PENDING and seen[0].qr_url == "https://qr.alipay.com/simpay-6"
    assert all(
        o.qr_url == seen[0].qr_url for o in seen if o.state is PayState.PENDING
    )  # the QR stays on screen
    assert outcome.state is PayState.PAID
    assert stack.methods("pay-6")[0] == "alipay.trade.precreate"


def test_a_network_cut_mid_payment_is_resolved_by_query_and_never_charged_twice(
    stack: Stack, arun: Any
) -> None:
    cut = intent("pay-7", sim_alipay.NETWORK_CUT)
    outcome = arun(settle(stack.gateway, cut, **FAST))
    assert outcome.state is PayState.PAID and outcome.transaction_id == stack.sim.trades["pay-7"].trade_no
    assert stack.methods("pay-7")[:2] == ["alipay.trade.pay", "alipay.trade.query"]
    # A restart that sends the same payment again (same request id) learns it is paid, and charges nothing more.
    again = arun(stack.gateway.pay(cut))
    assert again.state is PayState.PAID and again.transaction_id == outcome.transaction_id
    assert stack.sim.charges["pay-7"] == 1


def test_a_partial_then_a_full_refund_and_no_more_than_was_paid(stack: Stack, arun: Any) -> None:
    assert arun(stack.gateway.pay(intent("pay-8", sim_alipay.PAY_AT_ONCE))).state is PayState.PAID
    part = arun(stack.gateway.refund("pay-8", "ref-1", Money(300, "CNY"), "少了一碗汤"))
    assert part.state is PayState.PAID and part.refund_id == "ref-1"
    repeat = arun(stack.gateway.refund("pay-8", "ref-1", Money(300, "CNY"), "少了一碗汤"))
    assert repeat.state is PayState.PAID  # the same refund id again: answered, not paid out twice
    assert stack.sim.trades["pay-8"].refunded == 300
    too_much = arun(stack.gateway.refund("pay-8", "ref-2", Money(1000, "CNY")))  # only 9.50 is left
    assert too_much.state is PayState.FAILED and "more than what is left" in too_much.message
    rest = arun(stack.gateway.refund("pay-8", "ref-3", Money(950, "CNY")))
    assert rest.state is PayState.PAID
    assert stack.sim.trades["pay-8"].refunded == 1250
    assert (
        arun(stack.gateway.query("pay-8")).state is PayState.CANCELLED
    )  # Alipay closes a fully refunded trade


def test_an_answer_signed_by_another_key_is_refused_and_never_shown_as_paid(stack: Stack, arun: Any) -> None:
    stack.sim.forge_answers = True
    with pytest.raises(SignatureError):
        arun(stack.gateway.pay(intent("pay-9", sim_alipay.PAY_AT_ONCE)))
    outcome = arun(
        settle(stack.gateway, intent("pay-10", sim_alipay.PAY_AT_ONCE), poll_every=0.1, give_up_after=0.3)
    )
    assert outcome.state is PayState.UNKNOWN  # paid at Alipay, but no answer we can trust said so


def test_a_request_signed_with_the_wrong_key_is_refused_by_alipay(stack: Stack, arun: Any) -> None:
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = stranger.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode("ascii")
    secrets = stack.sim.secrets | {alipay.PRIVATE_KEY: pem}
    wrong = alipay.make(stack.sim.gateway_settings, secrets.get, base_url=stack.sim.base_url)
    try:
        with pytest.raises(GatewayError, match="isv.invalid-signature") as caught:
            arun(wrong.pay(intent("pay-11", sim_alipay.PAY_AT_ONCE)))
        assert not isinstance(caught.value, SignatureError)  # Alipay refused us; its refusal is not a forgery
    finally:
        arun(wrong.aclose())
    assert stack.sim.refused == ["isv.invalid-signature"] and stack.sim.charges["pay-11"] == 0


@pytest.fixture
def listener(arun: Any) -> Iterator[tuple[str, list[bytes]]]:
    """A loopback notify_url that keeps every body Alipay posts and answers "success" as Alipay expects."""
    bodies: list[bytes] = []

    async def receive(request: web.Request) -> web.Response:
        bodies.append(await request.read())
        return web.Response(text="success")

    app = web.Application()
    app.router.add_post("/alipay/notify", receive)
    runner = web.AppRunner(app, access_log=None)
    arun(runner.setup())
    site = web.TCPSite(runner, "127.0.0.1", 0)
    arun(site.start())
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    yield f"http://127.0.0.1:{port}/alipay/notify", bodies
    arun(runner.cleanup())


def test_a_duplicate_callback_verifies_twice_to_the_same_answer_and_a_forged_one_is_refused(
    stack: Stack, arun: Any, qtbot: Any, listener: tuple[str, list[bytes]]
) -> None:
    url, bodies = listener
    settings = stack.sim.gateway_settings | {"notify_url": url}
    gateway = alipay.make(settings, stack.sim.secrets.get, base_url=stack.sim.base_url)
    try:
        paid = arun(gateway.pay(intent("pay-12", sim_alipay.DUPLICATE_NOTIFY)))
    finally:
        arun(gateway.aclose())
    qtbot.waitUntil(lambda: len(bodies) == 2, timeout=5000)
    first = gateway.verify_callback({}, bodies[0])
    second = gateway.verify_callback({}, bodies[1])
    assert first == second
    assert first[0] == "pay-12" and first[1].state is PayState.PAID
    assert first[1].transaction_id == paid.transaction_id

    fields = dict(urllib.parse.parse_qsl(bodies[0].decode()))
    tampered = urllib.parse.urlencode(fields | {"total_amount": "0.01"}).encode()
    with pytest.raises(SignatureError):
        gateway.verify_callback({}, tampered)
    stack.sim.forge_answers = True  # the same notification, signed by an impostor
    with pytest.raises(SignatureError):
        gateway.verify_callback({}, stack.sim.notice_body(stack.sim.trades["pay-12"]))
    unsigned = urllib.parse.urlencode({k: v for k, v in fields.items() if k != "sign"}).encode()
    with pytest.raises(SignatureError):
        gateway.verify_callback({}, unsigned)


def test_keys_pasted_as_alipays_key_tool_writes_them_work(stack: Stack, arun: Any) -> None:
    """The open platform shows bare base64 without PEM lines; both forms are read."""

    def bare(pem: str) -> str:
        return "".join(line for line in pem.splitlines() if not line.startswith("-----"))

    secrets = {name: bare(value) for name, value in stack.sim.secrets.items()}
    gateway = alipay.make(stack.sim.gateway_settings, secrets.get, base_url=stack.sim.base_url)
    try:
        assert arun(gateway.pay(intent("pay-13", sim_alipay.PAY_AT_ONCE))).state is PayState.PAID
    finally:
        arun(gateway.aclose())
    base64.b64decode(secrets[alipay.PUBLIC_KEY], validate=True)  # it really was bare base64
    with pytest.raises(GatewayError, match=alipay.PUBLIC_KEY):
        alipay.make(stack.sim.gateway_settings, {alipay.PRIVATE_KEY: secrets[alipay.PRIVATE_KEY]}.get)


def test_neither_the_payment_code_nor_a_key_reaches_the_log(
    stack: Stack, arun: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    arun(settle(stack.gateway, intent("pay-14", sim_alipay.CONFIRM_LATER), **FAST))
    arun(stack.gateway.refund("pay-14", "ref-14", Money(100, "CNY")))
    text = caplog.text + repr(stack.gateway)
    assert "pay-14" in text  # the log does say which payment
    assert sim_alipay.CONFIRM_LATER not in text
    for value in stack.sim.secrets.values():
        middle = value.splitlines()[3]  # a line of the key's base64 body
        assert middle not in text


def test_a_qr_nobody_scans_is_cancelled_when_time_is_up(arun: Any) -> None:
    sim = arun(sim_alipay.start(qr="never"))
    gateway = alipay.make(sim.gateway_settings, sim.secrets.get, base_url=sim.base_url)
    try:
        outcome = arun(
            settle(gateway, intent("pay-15", None, method=Method.SHOW_QR), poll_every=0.1, give_up_after=0.4)
        )
    finally:
        arun(gateway.aclose())
        arun(sim.stop())
    assert outcome.state is PayState.CANCELLED
    assert [m for m, _ in sim.calls][0] == "alipay.trade.precreate" and sim.calls[-1][
        0
    ] == "alipay.trade.cancel"
    assert sim.charges["pay-15"] == 0


def test_an_unsigned_success_is_refused(stack: Stack, arun: Any) -> None:
    stack.sim.unsigned_answers = True
    with pytest.raises(SignatureError, match="not signed"):
        arun(stack.gateway.pay(intent("pay-16", sim_alipay.PAY_AT_ONCE)))
    with pytest.raises(SignatureError):
        arun(stack.gateway.query("pay-16"))


def test_a_customer_who_pays_just_as_the_cashier_cancels_gets_the_money_back(stack: Stack, arun: Any) -> None:
    stack.sim.set_scenario(sim_alipay.CONFIRM_LATER, "confirm:0.05")
    assert arun(stack.gateway.pay(intent("pay-17", sim_alipay.CONFIRM_LATER))).state is PayState.PENDING
    arun(asyncio.sleep(0.3))  # the customer confirms in between the last query and the cancel
    outcome = arun(stack.gateway.cancel("pay-17"))
    assert outcome.state is PayState.CANCELLED and "gave the money back" in outcome.message
    trade = stack.sim.trades["pay-17"]
    assert stack.sim.charges["pay-17"] == 1 and trade.refunded == trade.total


def test_alipay_unreachable_is_unknown_never_paid_nor_declined(arun: Any) -> None:
    sim = arun(sim_alipay.start())
    gateway = alipay.make(sim.gateway_settings, sim.secrets.get, base_url=sim.base_url)
    arun(sim.stop())  # the line is down: nothing listens on the port any more
    try:
        outcome = arun(
            settle(gateway, intent("pay-18", sim_alipay.PAY_AT_ONCE), poll_every=0.1, give_up_after=0.3)
        )
    finally:
        arun(gateway.aclose())
    assert outcome.state is PayState.UNKNOWN and "did not answer" in outcome.message


def test_a_refunds_notice_keeps_the_payment_paid(
    stack: Stack, arun: Any, qtbot: Any, listener: tuple[str, list[bytes]]
) -> None:
    """Alipay notifies the trade's notify_url of refunds too (TRADE_CLOSED once all is refunded): that notice
    must not read as a cancelled payment."""
    url, bodies = listener
    gateway = alipay.make(
        stack.sim.gateway_settings | {"notify_url": url}, stack.sim.secrets.get, base_url=stack.sim.base_url
    )
    try:
        paid = arun(gateway.pay(intent("pay-19", sim_alipay.PAY_AT_ONCE)))
        arun(gateway.refund("pay-19", "ref-19", Money(1250, "CNY")))
    finally:
        arun(gateway.aclose())
    qtbot.waitUntil(lambda: len(bodies) == 2, timeout=5000)
    payment, refund = (gateway.verify_callback({}, body) for body in bodies)
    assert payment == ("pay-19", payment[1]) and payment[1].state is PayState.PAID
    assert dict(urllib.parse.parse_qsl(bodies[1].decode()))["trade_status"] == "TRADE_CLOSED"
    assert refund[0] == "pay-19" and refund[1].state is PayState.PAID
    assert refund[1].transaction_id == paid.transaction_id and "¥12.50 refunded" in refund[1].message
