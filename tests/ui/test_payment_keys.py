"""Shop setup → Payments, the optional keys: WeChat Pay's API certificate (apiclient_cert.pem, which the 付款码
reverse presents) and Stripe's webhook signing secret. Each is pasted once, goes to the keyring and never to the
settings document, is never shown back, a wrong paste is said at Save with nothing stored, and what is stored is
what the gateway then uses: the reverse over loopback TLS presents the certificate, a signed webhook verifies."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QLineEdit

from posapp.config import Settings
from posapp.domain.money import Money
from posapp.engine import Engine, EngineOptions
from posapp.payments import stripe_terminal, wechat
from posapp.payments.gateway import Intent, Method, PayState
from posapp.payments.simulator import stripe as stripe_sim
from posapp.payments.simulator import wechat as wechat_sim
from posapp.ui.setup.payments_page import PaymentsPage
from posapp.vault import delete_secret, get_secret

WECHAT_KEYS = ("api_key", "apiv3_key", "private_key", "platform_public_key")


@pytest.fixture(autouse=True)
def no_payment_keys() -> Iterator[None]:
    """The test keyring lives as long as the session: start (and leave) without any payment key."""
    names = [f"payments.wechat.{k}" for k in (*WECHAT_KEYS, "merchant_cert")]
    names += ["payments.stripe.secret_key", "payments.stripe.webhook_secret"]

    def forget() -> None:
        for name in names:
            if get_secret(name) is not None:
                delete_secret(name)

    forget()
    yield
    forget()


@pytest.fixture
def engine(arun: Any, tmp_path: Path) -> Iterator[Engine]:
    eng = Engine(EngineOptions(data_dir=tmp_path / "shop", settings=Settings(listen_port=0, screens_port=0)))
    arun(eng.open())
    yield eng
    arun(eng.stop())


@pytest.fixture
def page(qtbot: Any, engine: Engine) -> PaymentsPage:
    made = PaymentsPage(engine.setup)
    qtbot.addWidget(made)
    made.show()
    made.load()
    qtbot.waitUntil(made.idle)
    return made


def save(qtbot: Any, page: PaymentsPage) -> str:
    page.message.setText("")
    page.save()
    qtbot.waitUntil(lambda: page.idle() and bool(page.message.text()), timeout=10000)
    return page.message.text()


def test_the_wechat_api_certificate_reaches_the_keyring_and_the_reverse_presents_it(
    qtbot: Any, arun: Any, engine: Engine, page: PaymentsPage, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sim = arun(wechat_sim.start(tls=True))
    try:
        page.pick("wechat")
        qtbot.waitUntil(page.idle)
        cert_box = page.boxes["merchant_cert"]
        assert cert_box.echoMode() is QLineEdit.EchoMode.Password
        assert cert_box.placeholderText() == "paste it once (optional)"
        for key in ("appid", "mch_id", "serial_no"):
            page.boxes[key].setText(str(sim.gateway_settings[key]))
        for key in WECHAT_KEYS:
            page.boxes[key].setText(sim.secrets[f"payments.wechat.{key}"])
        cert = sim.secrets["payments.wechat.merchant_cert"]
        body = cert.split("-----")[2].strip()[:40]  # some of the certificate's base64, to look for
        page.enabled.setChecked(True)
        cert_box.setText(body)  # only part of the file: said at Save, nothing stored
        assert "apiclient_cert.pem" in save(qtbot, page)
        assert all(get_secret(f"payments.wechat.{k}") is None for k in (*WECHAT_KEYS, "merchant_cert"))
        assert "payments" not in arun(engine.setup.document())

        cert_box.setText(cert)
        assert "Saved" in save(qtbot, page)
        assert get_secret("payments.wechat.merchant_cert") == cert.strip()
        doc = arun(engine.setup.document())
        assert "merchant_cert" not in doc["payments"]["wechat"] and body not in json.dumps(doc)
        qtbot.waitUntil(lambda: page.boxes["merchant_cert"].placeholderText() == "stored in the keyring")
        assert page.boxes["merchant_cert"].text() == ""

        # what the keyring holds is what the WeChat gateway presents on the reverse (mutual TLS over loopback)
        assert sim.tls is not None
        trusted = tmp_path / "simulator-ca.pem"
        trusted.write_text(sim.tls.ca_pem)  # the simulator's CA, public
        monkeypatch.setenv("SSL_CERT_FILE", str(trusted))
        options = {**doc["payments"]["wechat"], "reverse_after_s": 0.5}
        gateway = wechat.make(options, get_secret, base_url=sim.base_url)
        try:
            it = Intent(
                "wx-keys-1", "manual:1", Money(100, "CNY"), Method.SCAN_CODE, code=wechat_sim.NEVER_CONFIRMS
            )
            assert arun(gateway.pay(it)).state is PayState.PENDING
            assert arun(gateway.cancel("wx-keys-1")).state is PayState.CANCELLED
            assert sim.refused == [] and sim.orders["wx-keys-1"].trade_state == "REVOKED"
        finally:
            arun(gateway.aclose())
    finally:
        arun(sim.stop())


def test_the_stripe_webhook_secret_is_optional_kept_in_the_keyring_and_verifies_stripes_signature(
    qtbot: Any, arun: Any, engine: Engine, page: PaymentsPage
) -> None:
    sim = stripe_sim.Sim()  # not started: its keys and its signature are all this test needs
    page.pick("stripe")
    qtbot.waitUntil(page.idle)
    hook_box = page.boxes["webhook_secret"]
    assert hook_box.echoMode() is QLineEdit.EchoMode.Password
    page.boxes["readers"].setText("tmr_sim_pays")
    page.boxes["secret_key"].setText(sim.secret_key)
    page.enabled.setChecked(True)
    assert "Saved" in save(qtbot, page)  # no webhook secret: fine, the cashier's wait asks Stripe
    assert get_secret("payments.stripe.webhook_secret") is None

    page.boxes["webhook_secret"].setText("sk_test_pasted_in_the_wrong_box")
    assert "whsec_" in save(qtbot, page)
    assert get_secret("payments.stripe.webhook_secret") is None

    page.boxes["webhook_secret"].setText(f"  {sim.webhook_secret}\n")
    assert "Saved" in save(qtbot, page)
    assert get_secret("payments.stripe.webhook_secret") == sim.webhook_secret
    assert get_secret("payments.stripe.secret_key") == sim.secret_key  # the empty box kept the stored key
    doc = arun(engine.setup.document())
    assert sim.webhook_secret not in json.dumps(doc) and doc["payments"]["stripe"]["readers"] == [
        "tmr_sim_pays"
    ]
    qtbot.waitUntil(lambda: page.boxes["webhook_secret"].placeholderText() == "stored in the keyring")

    event = {
        "id": "evt_keys_1",
        "type": "payment_intent.succeeded",
        "data": {
            "object": {"id": "pi_keys_1", "status": "succeeded", "metadata": {"request_id": "P-keys-1"}}
        },
    }
    payload = json.dumps(event).encode()
    gateway = stripe_terminal.make(doc["payments"]["stripe"], get_secret, base_url="http://127.0.0.1:9")
    headers = {"Stripe-Signature": sim.sign(payload, int(time.time()))}
    request_id, outcome = gateway.verify_callback(headers, payload)
    assert (request_id, outcome.state, outcome.transaction_id) == ("P-keys-1", PayState.PAID, "pi_keys_1")
    arun(gateway.aclose())
