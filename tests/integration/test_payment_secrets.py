"""No payment code, card number or gateway key at rest: a full payment and refund through each gateway's loopback
simulator, with the log file written as ``posapp -v`` writes it, then the SQLite files and the logs are searched
for the customer's payment code, the test card number and the gateway's keys; and no table has a column for them."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import inspect

from posapp import logs
from posapp.domain.money import Money
from posapp.domain.order import Payment, Totals
from posapp.payments.gateway import Method, PayState
from posapp.payments.simulator import alipay as alipay_sim
from posapp.payments.simulator import stripe as stripe_sim
from posapp.payments.simulator import wechat as wechat_sim
from posapp.services.hub import Hub
from posapp.services.intake import IntakeService
from posapp.services.payments import GatewaySettings, PaymentService
from posapp.store.db import Database
from tests.factories import make_order

# (gateway, simulator, currency, method, what the customer hands over: a payment code, or the card on the reader)
RUNS = [
    ("alipay", alipay_sim, "CNY", Method.SCAN_CODE, "281234567890123456"),
    ("wechat", wechat_sim, "CNY", Method.SCAN_CODE, "134987654321098765"),
    ("stripe", stripe_sim, "USD", Method.CARD_READER, "4242424242424242"),  # the simulated reader's test card
]
FORBIDDEN_COLUMN = re.compile(r"code|card|pan|cvv|cvc|track|auth|pin|expir", re.IGNORECASE)
GATEWAY_RESULT = (
    "raw_code"  # the gateway's own result code ("NOTENOUGH", "card_declined"): the grep covers it
)


@pytest.fixture
def debug_log_file(data_dir: Path) -> Iterator[Path]:
    """The log file as ``posapp -v`` writes it, removed from the root logger afterwards."""
    root = logging.getLogger()
    level = root.level
    noisy = {name: logging.getLogger(name).level for name in logs.NOISY}
    root.setLevel(logging.DEBUG)
    for name in logs.NOISY:
        logging.getLogger(name).setLevel(logging.WARNING)
    path = logs.add_file(data_dir)
    assert path is not None
    yield path
    for handler in [h for h in root.handlers if getattr(h, "baseFilename", None) == str(path)]:
        root.removeHandler(handler)
        handler.close()
    root.setLevel(level)
    for name, old in noisy.items():
        logging.getLogger(name).setLevel(old)


def _at_rest(data_dir: Path) -> dict[str, bytes]:
    """Every file the run left in the data folder: the database, its WAL, the logs."""
    return {str(p.relative_to(data_dir)): p.read_bytes() for p in data_dir.rglob("*") if p.is_file()}


def _key_material(secrets: dict[str, str]) -> list[str]:
    """A long piece of each secret (the body of a PEM, not its header line)."""
    pieces = []
    for value in secrets.values():
        body = "".join(line for line in value.splitlines() if not line.startswith("-----"))
        pieces.append(body[len(body) // 2 : len(body) // 2 + 24] if len(body) > 48 else body)
    return pieces


@pytest.mark.parametrize(
    ("gateway", "simulator", "currency", "method", "secret_input"), RUNS, ids=[r[0] for r in RUNS]
)
def test_a_payment_and_refund_leave_no_payment_code_card_number_or_key_on_disk(
    gateway: str,
    simulator: Any,
    currency: str,
    method: Method,
    secret_input: str,
    db: Database,
    data_dir: Path,
    debug_log_file: Path,
    arun: Any,
) -> None:
    sim = arun(simulator.start())
    service = PaymentService(
        db,
        Hub(),
        gateways=[GatewaySettings(gateway, {**sim.gateway_settings, "base_url": sim.base_url})],
        secret=sim.secrets.get,
        poll_every=0.2,
        give_up_after=5.0,
    )
    try:
        order = make_order(
            platform="manual",
            payment=Payment("unpaid", False),
            currency=currency,
            totals=Totals(subtotal=3300, total=3300),
        )
        arun(IntakeService(db, Hub()).ingest(order))
        key = f"manual:{order.external_id}"
        if method is Method.CARD_READER:
            code, reader = None, None  # the first reader of the settings
        else:
            code, reader = secret_input, None
        paid = arun(service.take(key, gateway, method, Money(3300, currency), code, reader_id=reader))
        assert paid.state is PayState.PAID
        arun(service.refund(paid.request_id, Money(1000, currency), user="Li", reason="cold"))
        arun(service.refund(paid.request_id, Money(2300, currency), user="Li", reason="all of it"))
        arun(service.recover())
        assert arun(service.view(paid.request_id)).refunded == Money(3300, currency)
    finally:
        arun(service.stop())
        arun(sim.stop())
    for handler in logging.getLogger().handlers:
        handler.flush()

    files = _at_rest(data_dir)
    assert any(name.endswith(".db") for name in files) and debug_log_file.read_text("utf-8")
    assert paid.request_id.encode() in b"".join(files.values())  # the search does look where the payment is
    for needle in [secret_input, *_key_material(sim.secrets)]:
        for name, data in files.items():
            assert needle.encode() not in data, f"{needle[:6]}… found in {name}"
    for table in ("payments", "payment_refunds"):
        columns = [c["name"] for c in inspect(db.engine).get_columns(table)]
        assert columns and not [c for c in columns if FORBIDDEN_COLUMN.search(c) and c != GATEWAY_RESULT]
