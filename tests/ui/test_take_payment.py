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

from posapp.app import PosApp
from posapp.config import PrinterSettings, Settings
from posapp.domain.money import Money
from posapp.engine import Engine, EngineOptions
from posapp.payments.gateway import Method, PayState
from posapp.payments.simulator import alipay as alipay_sim
from posapp.payments.simulator import stripe as stripe_sim
from posapp.payments.simulator import wechat as wechat_sim
from posapp.services.manual import ManualDraft, ManualLine
from posapp.ui.fit import SCREEN_ENV
from posapp.ui.i18n import install_language
from posapp.ui.payment import CrossThreadStop, GatewayRefundDialog, PaymentDialog
from posapp.ui.setup.payments_page import PaymentsPage
from posapp.vault import get_secret, set_secret
from tests.escpos_decoder import decode
from tests.integration.apps import demo_app
from tests.printer_server import FakePrinter
from tests.ui.test_fits_screen import assert_fits

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


# -- the whole counter: engine, Alipay simulator over loopback, a loopback receipt printer ------------------------


@dataclass(frozen=True)
class Sims:
    """One gateway's simulator module and the payment codes of its scenarios."""

    name: str
    module: Any
    label: str
    cancel_call: str  # what the simulator logs when the cashier's Cancel reaches it


SIMS = [
    Sims("alipay", alipay_sim, "Alipay", "alipay.trade.cancel"),
    Sims("wechat", wechat_sim, "WeChat Pay", "reverse"),
]


@pytest.fixture(params=SIMS, ids=lambda c: c.name)
def gw(request: pytest.FixtureRequest) -> Sims:
    return request.param  # type: ignore[no-any-return]


@pytest.fixture
def counter(qtbot: Any, arun: Any, data_dir: Path, gw: Sims) -> Iterator[tuple[PosApp, Any, FakePrinter]]:
    sim = arun(gw.module.start(confirm_after=0.5))
    for name, value in sim.secrets.items():
        set_secret(name, value)  # as Shop setup → Payments keeps them: in the (test's) keyring
    with FakePrinter() as printer:
        settings = Settings(
            listen_port=0,
            screens_port=0,
            printers=(PrinterSettings("counter", printer.uri, role="counter", timeout=0.5),),
            raw={
                "payments": {
                    "enabled": [gw.name],
                    gw.name: {**sim.gateway_settings, "base_url": sim.base_url},
                }
            },
        )
        app = demo_app(data_dir, language="en", settings=settings)
        arun(app.start())
        assert app.engine.payments is not None
        app.engine.payments.poll_every = 0.3  # the gateways' 5 s between queries, shortened for the test
        yield app, sim, printer
        assert app.window is not None
        app.window.close()
        arun(app.stop())
    arun(sim.stop())


def place_and_take_payment(qtbot: Any, app: PosApp, gateway: str) -> PaymentDialog:
    """A walk-in order of one Kung Pao Chicken (¥32.00) with "Take payment": placed unpaid, then the dialog."""
    form = app.open_manual_order()
    qtbot.waitUntil(lambda: form.take_payment.isVisible(), timeout=10000)  # a gateway is configured
    tap(qtbot, form.menu_buttons[0])
    tap(qtbot, form.take_payment)  # placed unpaid, then the payment dialog
    assert app.controller is not None
    controller = app.controller
    qtbot.waitUntil(lambda: controller.payment_dialog is not None, timeout=10000)
    dialog = controller.payment_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.amount_label.text() == "¥32.00" and dialog.test_badge.isHidden()
    tap(qtbot, dialog.findChild(QPushButton, f"pay-{gateway}-scan_code"))
    return dialog


def receipt_with(printer: FakePrinter, needle: str) -> str | None:
    for ticket in list(printer.tickets):
        text = decode(ticket).plain
        if needle in text:
            return text
    return None


def test_a_manual_order_is_paid_by_a_scanned_code_and_its_receipt_shows_method_and_transaction(
    qtbot: Any, arun: Any, counter: tuple[PosApp, Any, FakePrinter], gw: Sims
) -> None:
    app, sim, printer = counter
    sim.set_scenario(gw.module.CONFIRM_LATER, "confirm:0.8")  # asks for the password: pending, then paid
    dialog = place_and_take_payment(qtbot, app, gw.name)
    scan(qtbot, dialog, gw.module.CONFIRM_LATER)
    qtbot.waitUntil(lambda: dialog.countdown.text().endswith(" s"), timeout=10000)
    assert dialog.stage == "wait" and "Waiting for the customer to confirm" in dialog.wait_prompt.text()
    qtbot.waitUntil(lambda: dialog.stage == "result", timeout=15000)
    assert dialog.state_label.text() == "Paid"
    trade_no = dialog.final.transaction_id
    assert trade_no and trade_no in dialog.result_detail.text() and gw.label in dialog.result_detail.text()
    assert sim.charges[dialog.final.request_id] == 1
    qtbot.waitUntil(lambda: receipt_with(printer, trade_no) is not None, timeout=15000)
    receipt = receipt_with(printer, trade_no)
    assert receipt is not None
    assert gw.label in receipt and f"Txn 交易号: {trade_no}" in receipt and "paid 已付" in receipt


def test_a_declined_code_leaves_the_order_unpaid_and_prints_nothing(
    qtbot: Any, arun: Any, counter: tuple[PosApp, Any, FakePrinter], gw: Sims
) -> None:
    app, sim, printer = counter
    dialog = place_and_take_payment(qtbot, app, gw.name)
    scan(qtbot, dialog, gw.module.INSUFFICIENT)
    qtbot.waitUntil(lambda: dialog.stage == "result", timeout=15000)
    assert dialog.state_label.text() == "Declined"
    assert dialog.final.message and dialog.final.message in dialog.result_detail.text()
    assert not dialog.findChild(QPushButton, "payPrint").isVisible()
    views = arun(app.payments.payments_for(dialog.final.order_key))
    assert [v.state for v in views] == [PayState.FAILED]
    assert not any(b"Txn" in t for t in printer.tickets)


def test_cancel_while_the_customer_confirms_cancels_at_the_gateway(
    qtbot: Any, arun: Any, counter: tuple[PosApp, Any, FakePrinter], gw: Sims
) -> None:
    app, sim, _printer = counter
    dialog = place_and_take_payment(qtbot, app, gw.name)
    scan(qtbot, dialog, gw.module.NEVER_CONFIRMS)
    qtbot.waitUntil(lambda: dialog.countdown.text().endswith(" s"), timeout=10000)
    assert dialog.stage == "wait"
    tap(qtbot, dialog.cancel_button)
    qtbot.waitUntil(lambda: dialog.stage == "result", timeout=15000)
    assert dialog.state_label.text() == "Cancelled"
    request_id = dialog.final.request_id
    assert (gw.cancel_call, request_id) in sim.calls and sim.charges[request_id] == 0
    tap(qtbot, dialog.close_button)
    assert not dialog.isVisible()


def test_the_detail_view_takes_payment_for_an_unpaid_counter_order_and_refunds_through_the_gateway(
    qtbot: Any, arun: Any, counter: tuple[PosApp, Any, FakePrinter], gw: Sims
) -> None:
    app, sim, _printer = counter
    assert app.controller is not None
    controller = app.controller
    draft = ManualDraft((ManualLine("宫保鸡丁 Kung Pao Chicken", 2, 3200),), payment="unpaid")
    order_id = arun(app.shared(app.engine.manual).create(draft, by="counter")).order_id
    arun(controller.open_detail(order_id))
    detail = controller.detail
    assert detail is not None
    qtbot.waitUntil(detail.isVisible)
    tap(qtbot, detail.findChild(QPushButton, "take-payment"))
    qtbot.waitUntil(lambda: controller.payment_dialog is not None, timeout=10000)
    dialog = controller.payment_dialog
    assert dialog is not None and dialog.amount_label.text() == "¥64.00"
    tap(qtbot, dialog.findChild(QPushButton, f"pay-{gw.name}-scan_code"))
    scan(qtbot, dialog, gw.module.PAY_AT_ONCE)
    qtbot.waitUntil(lambda: dialog.stage == "result", timeout=15000)
    assert dialog.state_label.text() == "Paid"
    request_id = dialog.final.request_id
    tap(qtbot, dialog.close_button)

    # the detail underneath now offers the refund through the gateway, no second Take payment
    def refund_button() -> QPushButton | None:
        shown = [b for b in detail.findChildren(QPushButton, f"gateway-refund-{request_id}") if b.isVisible()]
        return shown[0] if shown else None

    qtbot.waitUntil(lambda: refund_button() is not None, timeout=10000)
    assert detail.take_payment.isHidden()
    tap(qtbot, refund_button())
    refund = controller.dialog
    assert isinstance(refund, GatewayRefundDialog) and refund.amount.maximum() == 64.0
    refund.amount.setValue(20.0)
    refund.reason.setText("one dish cold")
    for digit in "1234":  # the demo manager
        tap(qtbot, refund.pinpad.buttons[digit])
    tap(qtbot, refund.pinpad.buttons["OK"])
    qtbot.waitUntil(lambda: f"refunded through {gw.label}" in detail.result_label.text(), timeout=15000)
    assert "¥20.00" in detail.result_label.text() and not refund.isVisible()
    (view,) = arun(app.payments.payments_for(dialog.final.order_key))
    assert view.refunded == Money(2000, "CNY") and view.state is PayState.PAID
    # the rest, in full (once the detail shows the refund): then nothing is left to refund and the button goes
    qtbot.waitUntil(lambda: [p.refunded.amount for p in detail.payments] == [2000], timeout=10000)
    qtbot.waitUntil(lambda: refund_button() is not None, timeout=10000)
    tap(qtbot, refund_button())
    rest = controller.dialog
    assert isinstance(rest, GatewayRefundDialog) and rest.amount.maximum() == 44.0
    rest.reason.setText("order cancelled")
    for digit in "1234":
        tap(qtbot, rest.pinpad.buttons[digit])
    tap(qtbot, rest.pinpad.buttons["OK"])
    qtbot.waitUntil(lambda: "¥64.00 of ¥64.00" in detail.result_label.text(), timeout=15000)
    qtbot.waitUntil(lambda: refund_button() is None, timeout=10000)


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_every_stage_of_the_dialog_fits_a_1024_by_768_screen(
    qtbot: Any, arun: Any, clock: Clock, language: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(SCREEN_ENV, "1024x768")
    install_language(language)
    try:
        gateways = [*GATEWAYS[:2], replace(GATEWAYS[2], configured=True)]
        script = Script(final=PayState.FAILED, message="Insufficient balance")
        dialog = PaymentDialog("Counter #M-001", Money(3200, "CNY"), gateways, script.take, clock=clock)
        qtbot.addWidget(dialog)
        dialog.show()
        assert_fits(qtbot, dialog, *dialog.method_buttons.values(), dialog.close_button)
        tap(qtbot, dialog.findChild(QPushButton, "pay-wechat-scan_code"))
        assert_fits(qtbot, dialog, dialog.back_button, dialog.close_button)
        scan(qtbot, dialog, WECHAT_CODE)
        qtbot.waitUntil(lambda: dialog.countdown.text() != "")
        assert_fits(qtbot, dialog, dialog.cancel_button)
        script.release.set()
        qtbot.waitUntil(lambda: dialog.stage == "result")
        assert_fits(qtbot, dialog, dialog.retry_button, dialog.close_button)
    finally:
        install_language("en")


@pytest.mark.parametrize("gw", [Sims("stripe", stripe_sim, "Stripe", "cancel_action")], ids=["stripe"])
def test_a_card_reader_payment_on_the_chosen_reader_and_its_receipt_shows_the_payment_intent(
    qtbot: Any, arun: Any, counter: tuple[PosApp, Any, FakePrinter], gw: Sims
) -> None:
    app, _sim, printer = counter
    form = app.open_manual_order()
    qtbot.waitUntil(lambda: form.take_payment.isVisible(), timeout=10000)
    tap(qtbot, form.menu_buttons[0])
    tap(qtbot, form.take_payment)
    assert app.controller is not None
    controller = app.controller
    qtbot.waitUntil(lambda: controller.payment_dialog is not None, timeout=10000)
    dialog = controller.payment_dialog
    assert dialog is not None
    # one way to pay (the card reader): straight to the card step; the simulator registers several readers, so
    # the cashier taps one (tests/ui/test_card_readers.py has the readers' states)
    qtbot.waitUntil(lambda: stripe_sim.PAY_AT_ONCE in dialog.reader_buttons, timeout=10000)
    assert dialog.test_badge.isVisible()  # the simulator's settings say sandbox
    tap(qtbot, dialog.reader_buttons[stripe_sim.PAY_AT_ONCE])
    qtbot.waitUntil(lambda: dialog.stage == "result", timeout=15000)
    assert dialog.state_label.text() == "Paid" and dialog.final.transaction_id.startswith("pi_")
    pid = dialog.final.transaction_id
    qtbot.waitUntil(lambda: receipt_with(printer, pid) is not None, timeout=15000)
    receipt = receipt_with(printer, pid)
    assert receipt is not None and "Stripe" in receipt and "card" in receipt


@pytest.mark.parametrize("gw", [SIMS[0]], ids=["alipay"])
def test_the_manual_order_form_with_take_payment_fits_a_1024_by_768_screen(
    qtbot: Any, counter: tuple[PosApp, Any, FakePrinter], gw: Sims, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(SCREEN_ENV, "1024x768")
    app, _sim, _printer = counter
    form = app.open_manual_order()
    qtbot.waitUntil(lambda: form.take_payment.isVisible(), timeout=10000)
    tap(qtbot, form.menu_buttons[0])
    assert_fits(qtbot, form, form.take_payment, form.place_button, form.cancel_button)
    seen: list[str] = []
    form.submitted.connect(lambda draft: seen.append(draft.payment))
    tap(qtbot, form.take_payment)
    assert seen == ["unpaid"] and not form.pays_after_placing()  # the draft said unpaid; the flag is spent


def test_a_network_cut_mid_payment_is_never_shown_paid_until_the_gateway_says_so(
    qtbot: Any, arun: Any, counter: tuple[PosApp, Any, FakePrinter], gw: Sims
) -> None:
    """The money moves, then the connection drops before the answer: the dialog waits (no answer is not paid),
    the next query finds the payment, and only then does it say Paid — charged once."""
    app, sim, _printer = counter
    dialog = place_and_take_payment(qtbot, app, gw.name)
    updates: list[PayState] = []
    dialog._relay.update.connect(lambda view: updates.append(view.state))
    scan(qtbot, dialog, gw.module.NETWORK_CUT)
    qtbot.waitUntil(lambda: dialog.stage == "result", timeout=20000)
    assert updates and updates[0] is not PayState.PAID  # the first answer was no answer
    assert dialog.state_label.text() == "Paid"
    assert sim.charges[dialog.final.request_id] == 1


@pytest.mark.parametrize("gw", [SIMS[0]], ids=["alipay"])
def test_a_gateway_gone_silent_ends_not_confirmed_never_paid(
    qtbot: Any, arun: Any, counter: tuple[PosApp, Any, FakePrinter], gw: Sims
) -> None:
    """The customer has not confirmed and the gateway stops answering (its server gone): the cashier's Cancel gets
    no answer either, so the payment is not confirmed — shown as such, the order not marked paid."""
    app, sim, printer = counter
    dialog = place_and_take_payment(qtbot, app, gw.name)
    scan(qtbot, dialog, gw.module.NEVER_CONFIRMS)
    qtbot.waitUntil(lambda: dialog.countdown.text().endswith(" s"), timeout=10000)
    arun(sim.stop())
    tap(qtbot, dialog.cancel_button)
    qtbot.waitUntil(lambda: dialog.stage == "result", timeout=20000)
    assert dialog.state_label.text() == "Not confirmed"
    assert "Do not hand over the order" in dialog.result_detail.text()
    assert dialog.final.state is PayState.UNKNOWN
    assert not dialog.findChild(QPushButton, "payPrint").isVisible()
    assert not any(b"Txn" in t for t in printer.tickets)
