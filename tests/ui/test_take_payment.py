"""Taking payment at the counter: the Take payment dialog reads a USB scanner's burst (keystrokes ending in Enter),
shows the wait with its countdown, and ends Paid / Declined / Cancelled / Not confirmed — never paid unless the
gateway said paid. First the dialog against a scripted service, then the whole counter: the engine with the
Alipay simulator over loopback, a manual order, the scan, the receipt printed to a loopback printer."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QPushButton

from posapp.config import Settings
from posapp.domain.money import Money
from posapp.engine import Engine, EngineOptions
from posapp.payments.gateway import Method, PayState
from posapp.ui.payment import CrossThreadStop, PaymentDialog
from posapp.ui.setup.payments_page import PaymentsPage
from posapp.vault import get_secret

WECHAT_CODE = "134567890123456789"  # 18 digits, as a WeChat payment code


@dataclass(frozen=True)
class Info:
    name: str
    label: str
    methods: frozenset[Method]
    test_mode: bool = False
    configured: bool = True


@dataclass(frozen=True)
class View:
    request_id: str
    order_key: str
    gateway: str
    method: Method
    amount: Money
    state: PayState
    transaction_id: str | None = None
    message: str = ""
    qr_url: str | None = None
    seconds_left: float | None = None
    refunded: Money = Money(0, "CNY")


@dataclass
class Script:
    """A payment service that answers as told: ``final`` once ``release`` is set or the cashier cancels."""

    final: PayState = PayState.PAID
    message: str = ""
    qr_url: str | None = None
    calls: list[dict[str, Any]] = field(default_factory=list)
    release: asyncio.Event = field(default_factory=asyncio.Event)

    async def take(self, **kw: Any) -> View:
        self.calls.append(kw)
        view = View("P1", "manual:x", kw["gateway"], kw["method"], Money(3200, "CNY"), PayState.PENDING)
        kw["on_update"](replace(view, qr_url=self.qr_url, seconds_left=30.0))
        stop: asyncio.Event = kw["stop"]
        done = asyncio.ensure_future(self.release.wait())
        stopped = asyncio.ensure_future(stop.wait())
        await asyncio.wait({done, stopped}, return_when=asyncio.FIRST_COMPLETED)
        done.cancel()
        stopped.cancel()
        if stop.is_set():
            return replace(view, state=PayState.CANCELLED, message="Cancelled at the cashier's request")
        return replace(view, state=self.final, message=self.message, transaction_id="4200000001")


GATEWAYS = [
    Info("wechat", "WeChat Pay", frozenset({Method.SCAN_CODE, Method.SHOW_QR}), test_mode=True),
    Info("alipay", "Alipay", frozenset({Method.SCAN_CODE, Method.SHOW_QR})),
    Info("stripe", "Card", frozenset({Method.CARD_READER}), configured=False),
]


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


def dialog_for(qtbot: Any, script: Script, clock: Clock) -> PaymentDialog:
    dialog = PaymentDialog("Counter #M-001", Money(3200, "CNY"), GATEWAYS, script.take, clock=clock)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(dialog.isVisible)
    return dialog


def scan(qtbot: Any, dialog: PaymentDialog, code: str) -> None:
    """What a USB scanner does: the code's digits as fast keystrokes, then Enter."""
    qtbot.keyClicks(dialog, code)
    qtbot.keyClick(dialog, Qt.Key.Key_Return)


def tap(qtbot: Any, button: QPushButton | None) -> None:
    assert button is not None and button.isVisible()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_only_configured_gateways_are_offered_each_with_its_ways_to_pay(
    qtbot: Any, arun: Any, clock: Clock
) -> None:
    dialog = dialog_for(qtbot, Script(), clock)
    assert dialog.stage == "choose"
    assert set(dialog.method_buttons) == {
        ("wechat", Method.SCAN_CODE),
        ("wechat", Method.SHOW_QR),
        ("alipay", Method.SCAN_CODE),
        ("alipay", Method.SHOW_QR),
    }  # the card reader is not set up: not offered
    for button in dialog.findChildren(QPushButton):
        if button.isVisible():
            assert button.height() >= 48, button.text()


def test_a_scanned_code_starts_the_payment_and_paid_shows_method_and_transaction(
    qtbot: Any, arun: Any, clock: Clock
) -> None:
    script = Script()
    dialog = dialog_for(qtbot, script, clock)
    tap(qtbot, dialog.findChild(QPushButton, "pay-wechat-scan_code"))
    assert dialog.stage == "scan" and "Scan the customer's payment code" in dialog.scan_prompt.text()
    scan(qtbot, dialog, WECHAT_CODE)
    qtbot.waitUntil(lambda: dialog.stage == "wait" and dialog.countdown.text() == "30 s")
    assert script.calls[0]["code"] == WECHAT_CODE and script.calls[0]["method"] is Method.SCAN_CODE
    assert "Waiting for the customer to confirm" in dialog.wait_prompt.text()
    assert dialog.cancel_button.isVisible() and not dialog.close_button.isVisible()
    clock.now += 7.2  # the countdown runs between the service's updates
    qtbot.waitUntil(lambda: dialog.countdown.text() == "23 s")
    dialog.reject()  # Escape / Close while the customer confirms: the payment is not walked away from
    assert dialog.isVisible() and dialog.stage == "wait"
    script.release.set()
    qtbot.waitUntil(lambda: dialog.stage == "result")
    assert dialog.state_label.text() == "Paid"
    assert "WeChat Pay" in dialog.result_detail.text() and "4200000001" in dialog.result_detail.text()
    assert dialog.findChild(QPushButton, "payPrint").isVisible()


def test_stray_keys_before_the_burst_and_a_non_code_are_not_sent(qtbot: Any, arun: Any, clock: Clock) -> None:
    script = Script()
    dialog = dialog_for(qtbot, script, clock)
    tap(qtbot, dialog.findChild(QPushButton, "pay-alipay-scan_code"))
    qtbot.keyClicks(dialog, "77")  # someone leaning on the keyboard
    clock.now += 5  # ... then the scan, a burst of its own
    scan(qtbot, dialog, "abc-not-a-code")
    assert script.calls == [] and dialog.scan_error.isVisible() and dialog.stage == "scan"
    clock.now += 5
    qtbot.keyClicks(dialog, "9")
    clock.now += 5
    scan(qtbot, dialog, "285000000000000001")
    qtbot.waitUntil(lambda: bool(script.calls))
    assert script.calls[0]["code"] == "285000000000000001"  # not "9285…": the stray key was dropped
    script.release.set()
    qtbot.waitUntil(lambda: dialog.stage == "result")


def test_declined_shows_the_gateways_sentence_and_offers_another_try(
    qtbot: Any, arun: Any, clock: Clock
) -> None:
    script = Script(final=PayState.FAILED, message="Insufficient balance")
    dialog = dialog_for(qtbot, script, clock)
    tap(qtbot, dialog.findChild(QPushButton, "pay-wechat-scan_code"))
    scan(qtbot, dialog, WECHAT_CODE)
    script.release.set()
    qtbot.waitUntil(lambda: dialog.stage == "result")
    assert dialog.state_label.text() == "Declined" and "Insufficient balance" in dialog.result_detail.text()
    assert not dialog.findChild(QPushButton, "payPrint").isVisible()
    tap(qtbot, dialog.findChild(QPushButton, "payRetry"))
    assert dialog.stage == "choose"


def test_an_unknown_result_is_never_shown_as_paid(qtbot: Any, arun: Any, clock: Clock) -> None:
    script = Script(final=PayState.UNKNOWN, message="connection reset")
    dialog = dialog_for(qtbot, script, clock)
    tap(qtbot, dialog.findChild(QPushButton, "pay-alipay-scan_code"))
    scan(qtbot, dialog, "285000000000000001")
    script.release.set()
    qtbot.waitUntil(lambda: dialog.stage == "result")
    assert dialog.state_label.text() == "Not confirmed"
    assert "Do not hand over the order" in dialog.result_detail.text()
    assert (
        "Paid" not in dialog.state_label.text() and not dialog.findChild(QPushButton, "payRetry").isVisible()
    )


def test_the_qr_is_drawn_and_cancel_while_waiting_asks_the_gateway(
    qtbot: Any, arun: Any, clock: Clock
) -> None:
    script = Script(qr_url="https://qr.alipay.com/bax01234")
    dialog = dialog_for(qtbot, script, clock)
    tap(qtbot, dialog.findChild(QPushButton, "pay-alipay-show_qr"))
    qtbot.waitUntil(lambda: dialog.qr.text == "https://qr.alipay.com/bax01234")
    assert dialog.qr.isVisible() and dialog.qr.matrix and "scan this code" in dialog.wait_prompt.text()
    assert script.calls[0]["code"] is None
    tap(qtbot, dialog.cancel_button)
    qtbot.waitUntil(lambda: dialog.stage == "result")
    assert dialog.state_label.text() == "Cancelled"
    assert "No money was taken" in dialog.result_detail.text()


def test_cancel_reaches_a_payment_waiting_on_another_threads_loop(qtbot: Any, arun: Any) -> None:
    """The service waits on the engine's loop; the cashier's Cancel is set on the GUI's."""
    import threading

    stop = CrossThreadStop()
    other = asyncio.new_event_loop()
    seen: list[float] = []

    def engine() -> None:
        async def wait() -> None:
            started = other.time()
            await asyncio.wait_for(stop.wait(), 5)
            seen.append(other.time() - started)

        other.run_until_complete(wait())

    thread = threading.Thread(target=engine)
    thread.start()
    qtbot.waitUntil(lambda: stop._waiter_loop is not None)
    stop.set()
    thread.join(5)
    other.close()
    assert seen and seen[0] < 1.0


# -- Shop setup → Payments -------------------------------------------------------------------------------------


@pytest.fixture
def engine(arun: Any, tmp_path: Path) -> Iterator[Engine]:
    eng = Engine(EngineOptions(data_dir=tmp_path / "shop", settings=Settings(listen_port=0, screens_port=0)))
    arun(eng.open())
    arun(eng.serve())
    yield eng
    arun(eng.stop())


def test_gateway_keys_are_pasted_once_kept_in_the_keyring_and_never_shown_again(
    qtbot: Any, arun: Any, engine: Engine
) -> None:
    page = PaymentsPage(engine.setup)
    qtbot.addWidget(page)
    page.show()
    page.load()
    qtbot.waitUntil(page.idle)
    tap(qtbot, page.picks["alipay"])
    qtbot.waitUntil(page.idle)
    private = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----"
    page.boxes["app_id"].setText("2021000000000001")
    page.boxes["private_key"].setText(private)
    page.enabled.setChecked(True)
    page.sandbox.setChecked(True)
    page.save()  # Alipay's public key is missing: refused, nothing stored
    qtbot.waitUntil(lambda: page.idle() and bool(page.message.text()))
    assert "Alipay public key" in page.message.text()
    assert get_secret("payments.alipay.private_key") is None
    assert "payments" not in arun(engine.setup.document())

    page.boxes["alipay_public_key"].setText("MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA")
    page.save()
    qtbot.waitUntil(lambda: page.idle() and "Saved" in page.message.text())
    doc = arun(engine.setup.document())
    assert doc["payments"]["enabled"] == ["alipay"]
    assert doc["payments"]["alipay"] == {"app_id": "2021000000000001", "sandbox": True}
    assert get_secret("payments.alipay.private_key") == private
    assert "MIIEvQ" not in json.dumps(doc) and "MIIBIj" not in json.dumps(doc)
    qtbot.waitUntil(lambda: "stored in the keyring" in page.boxes["private_key"].placeholderText())
    assert page.boxes["private_key"].text() == "" and page.boxes["app_id"].text() == "2021000000000001"
    assert page.boxes["private_key"].echoMode() is QLineEdit.EchoMode.Password

    page.sandbox.setChecked(False)
    page.save()  # the keys' boxes are empty: the stored keys stay
    qtbot.waitUntil(lambda: page.idle() and "Saved" in page.message.text())
    assert arun(engine.setup.document())["payments"]["alipay"]["sandbox"] is False
    assert get_secret("payments.alipay.private_key") == private
