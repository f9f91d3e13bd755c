"""Choosing the card reader at the counter: the payment service lists the readers set up for Stripe with their
state as the simulated Stripe account tells it over loopback (one offline, one busy, one Stripe does not know),
and the Take payment dialog's card step lets the cashier tap one of several (never an offline or busy one),
starts at once on the only ready reader, and shows the reader while the customer taps."""

from __future__ import annotations

import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from posapp.app import PosApp
from posapp.config import PrinterSettings, Settings
from posapp.domain.money import Money
from posapp.payments.gateway import Intent, Method, PayState
from posapp.payments.simulator import stripe as stripe_sim
from posapp.services.hub import Hub
from posapp.services.payments import GatewaySettings, PaymentRefused, PaymentService, ReaderView
from posapp.store.db import Database
from posapp.ui.fit import SCREEN_ENV
from posapp.ui.i18n import install_language
from posapp.ui.payment import PaymentDialog
from posapp.vault import set_secret
from tests.escpos_decoder import decode
from tests.integration.apps import demo_app
from tests.printer_server import FakePrinter
from tests.ui.test_fits_screen import assert_fits

CONFIGURED = [stripe_sim.PAY_AT_ONCE, stripe_sim.OFFLINE, stripe_sim.NEVER_CONFIRMS, "tmr_not_on_account"]


@pytest.fixture
def sim(arun: Any) -> Iterator[stripe_sim.Sim]:
    started = arun(stripe_sim.start())
    yield started
    arun(started.stop())


@pytest.fixture
def service(sim: stripe_sim.Sim, db: Database, arun: Any) -> Iterator[PaymentService]:
    options = {"readers": CONFIGURED, "sandbox": True, "base_url": sim.base_url}
    made = PaymentService(db, Hub(), gateways=[GatewaySettings("stripe", options)], secret=sim.secrets.get)
    yield made
    arun(made.stop())


def test_the_readers_are_listed_in_the_set_up_order_with_their_state(
    sim: stripe_sim.Sim, service: PaymentService, arun: Any
) -> None:
    # another counter's payment holds the "never" reader: busy until it is cancelled
    it = Intent(
        f"other-{uuid.uuid4().hex[:8]}",
        "phone:1",
        Money(900, "USD"),
        Method.CARD_READER,
        reader_id=stripe_sim.NEVER_CONFIRMS,
    )
    gateway = service.gateway("stripe")
    assert arun(gateway.pay(it)).state is PayState.PENDING
    readers = arun(service.readers("stripe"))
    assert [r.id for r in readers] == CONFIGURED
    assert [r.state for r in readers] == ["online", "offline", "busy", "offline"]
    assert [r.usable for r in readers] == [True, False, False, False]
    assert readers[0].label == sim.readers[stripe_sim.PAY_AT_ONCE].label
    assert "busy" in readers[2].message and "no card reader tmr_not_on_account" in readers[3].message
    assert ("GET", "/v1/terminal/readers") in sim.calls
    arun(gateway.cancel(it.request_id))
    assert arun(service.readers("stripe"))[2].state == "online"  # free again


def test_a_gateway_that_cannot_be_asked_leaves_each_reader_unknown_but_usable(
    sim: stripe_sim.Sim, db: Database, arun: Any
) -> None:
    options = {"readers": CONFIGURED[:2], "base_url": sim.base_url}
    wrong = {"payments.stripe.secret_key": "sk_test_wrong"}.get
    made = PaymentService(db, Hub(), gateways=[GatewaySettings("stripe", options)], secret=wrong)
    try:
        readers = arun(made.readers("stripe"))
        assert [(r.id, r.state, r.usable) for r in readers] == [
            (CONFIGURED[0], "unknown", True),
            (CONFIGURED[1], "unknown", True),
        ]
        assert "401" in readers[0].message
        with pytest.raises(PaymentRefused, match="alipay payment gateway is not set up"):
            arun(made.readers("alipay"))
    finally:
        arun(made.stop())


# -- the dialog ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Info:
    name: str
    label: str
    methods: frozenset[Method]
    test_mode: bool = True
    configured: bool = True


@dataclass(frozen=True)
class Cancelled:
    gateway: str
    method: Method
    amount: Money
    state: PayState = PayState.CANCELLED
    message: str = ""
    transaction_id: str | None = None


CARD = [Info("stripe", "Card", frozenset({Method.CARD_READER}))]


def card_dialog(qtbot: Any, readers: list[ReaderView], calls: list[dict[str, Any]]) -> PaymentDialog:
    async def take(**kw: Any) -> Any:
        calls.append(kw)
        await kw["stop"].wait()
        return Cancelled(kw["gateway"], kw["method"], Money(1250, "USD"))

    async def list_readers(gateway: str) -> list[ReaderView]:
        assert gateway == "stripe"
        return readers

    dialog = PaymentDialog("Counter #M-001", Money(1250, "USD"), CARD, take, readers=list_readers)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_the_only_ready_reader_takes_the_amount_at_once_and_is_shown_while_waiting(
    qtbot: Any, arun: Any
) -> None:
    calls: list[dict[str, Any]] = []
    dialog = card_dialog(qtbot, [ReaderView("tmr_1", "Front counter", True)], calls)
    qtbot.waitUntil(lambda: bool(calls))
    assert calls[0]["reader_id"] == "tmr_1" and dialog.stage == "wait"
    assert "Front counter (Ready)" in dialog.wait_detail.text()
    dialog.cancel()
    qtbot.waitUntil(lambda: dialog.stage == "result")


def test_one_offline_reader_is_shown_offline_and_cannot_be_tapped(qtbot: Any, arun: Any) -> None:
    calls: list[dict[str, Any]] = []
    dialog = card_dialog(qtbot, [ReaderView("tmr_1", "Front counter", False)], calls)
    qtbot.waitUntil(lambda: "tmr_1" in dialog.reader_buttons)
    button = dialog.reader_buttons["tmr_1"]
    assert dialog.stage == "reader" and "Offline" in button.text() and not button.isEnabled()
    assert "power and network" in dialog.reader_hint.text() and dialog.readers_again.isVisible()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert calls == [] and dialog.stage == "reader"


# -- the whole counter: the Stripe simulator over loopback ------------------------------------------------------


@pytest.fixture
def counter(
    qtbot: Any, arun: Any, data_dir: Path, sim: stripe_sim.Sim
) -> Iterator[tuple[PosApp, FakePrinter]]:
    for name, value in sim.secrets.items():
        set_secret(name, value)
    readers = [stripe_sim.OFFLINE, stripe_sim.PAY_AT_ONCE, stripe_sim.CONFIRM_LATER]
    with FakePrinter() as printer:
        settings = Settings(
            listen_port=0,
            screens_port=0,
            printers=(PrinterSettings("counter", printer.uri, role="counter", timeout=0.5),),
            raw={
                "payments": {
                    "enabled": ["stripe"],
                    "stripe": {"readers": readers, "sandbox": True, "base_url": sim.base_url},
                }
            },
        )
        app = demo_app(data_dir, language="en", settings=settings)
        arun(app.start())
        assert app.engine.payments is not None
        app.engine.payments.poll_every = 0.3
        yield app, printer
        assert app.window is not None
        app.window.close()
        arun(app.stop())


def take_payment_for_a_dish(qtbot: Any, app: PosApp) -> PaymentDialog:
    """At the counter: a manual order of the first dish, then Take payment; the dialog the controller opens."""
    form = app.open_manual_order()
    qtbot.waitUntil(lambda: form.take_payment.isVisible(), timeout=10000)
    qtbot.mouseClick(form.menu_buttons[0], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(form.take_payment, Qt.MouseButton.LeftButton)
    assert app.controller is not None
    controller = app.controller
    qtbot.waitUntil(lambda: controller.payment_dialog is not None, timeout=10000)
    dialog = controller.payment_dialog
    assert dialog is not None
    return dialog


def test_the_cashier_picks_a_reader_of_several_the_offline_one_cannot_be_picked(
    qtbot: Any, arun: Any, sim: stripe_sim.Sim, counter: tuple[PosApp, FakePrinter]
) -> None:
    app, printer = counter
    dialog = take_payment_for_a_dish(qtbot, app)
    # the card is the only way to pay: straight to the card step, which asks Stripe for the readers
    qtbot.waitUntil(lambda: len(dialog.reader_buttons) == 3, timeout=10000)
    assert dialog.stage == "reader" and "Which card reader?" in dialog.reader_prompt.text()
    offline = dialog.reader_buttons[stripe_sim.OFFLINE]
    ready = dialog.reader_buttons[stripe_sim.PAY_AT_ONCE]
    assert not offline.isEnabled() and "Offline" in offline.text()
    assert ready.isEnabled() and "Ready" in ready.text()
    assert sim.readers[stripe_sim.PAY_AT_ONCE].label in ready.text()
    # A button added to a shown dialog's layout is shown by a queued event: wait for it, then measure.
    qtbot.waitUntil(lambda: all(b.isVisible() for b in dialog.reader_buttons.values()), timeout=5000)
    for button in dialog.reader_buttons.values():
        assert button.height() >= 48 and button.isVisible()
    qtbot.mouseClick(offline, Qt.MouseButton.LeftButton)  # nothing goes to an offline reader
    assert dialog.stage == "reader" and not any(p == "POST" for p, _ in sim.calls)
    qtbot.mouseClick(ready, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.stage == "result", timeout=15000)
    assert dialog.state_label.text() == "Paid"
    pid = dialog.final.transaction_id
    assert sim.intents[pid]["metadata"]["reader_id"] == stripe_sim.PAY_AT_ONCE
    actions = [path for method, path in sim.calls if path.endswith("/process_payment_intent")]
    assert actions == [f"/v1/terminal/readers/{stripe_sim.PAY_AT_ONCE}/process_payment_intent"]
    qtbot.waitUntil(lambda: any(pid in decode(t).plain for t in list(printer.tickets)), timeout=15000)


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_the_card_step_with_four_readers_fits_a_1024_by_768_screen(
    qtbot: Any, arun: Any, language: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(SCREEN_ENV, "1024x768")
    install_language(language)
    try:
        readers = [
            ReaderView("tmr_1", "Front counter", True),
            ReaderView("tmr_2", "Drive-through window", True, busy=True),
            ReaderView("tmr_3", "Bar", False),
            ReaderView("tmr_4", "Terrace", True),
        ]
        dialog = card_dialog(qtbot, readers, [])
        qtbot.waitUntil(lambda: len(dialog.reader_buttons) == 4)
        states = [b.isEnabled() for b in dialog.reader_buttons.values()]
        assert states == [True, False, False, True]
        buttons = [*dialog.reader_buttons.values(), dialog.readers_again, dialog.close_button]
        assert_fits(qtbot, dialog, *buttons)
        if language == "zh_CN":
            assert "离线" in dialog.reader_buttons["tmr_3"].text()
    finally:
        install_language("en")


def test_without_qtmultimedia_the_payment_still_opens_without_a_camera(
    qtbot: Any,
    arun: Any,
    sim: stripe_sim.Sim,
    counter: tuple[PosApp, FakePrinter],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A machine whose QtMultimedia cannot load (the bundle leaves the sound server's libpulse to the system):
    taking payment still works, by the card reader or the USB scanner, with no camera button."""
    monkeypatch.setitem(sys.modules, "posapp.ui.camera_scan", None)  # importing it raises ImportError
    app, _printer = counter
    dialog = take_payment_for_a_dish(qtbot, app)
    assert dialog.camera is None and not dialog.camera_button.isVisible()
    qtbot.waitUntil(lambda: len(dialog.reader_buttons) == 3, timeout=10000)
    assert dialog.reader_buttons[stripe_sim.PAY_AT_ONCE].isEnabled()
    dialog.reject()
