"""The engine's listener serves the gateways' notifications: a [payments.alipay] notify_url pointing at it, the
Alipay simulator posts its signed notify there when the customer confirms a QR payment, and the payment is paid
before the cashier's wait asks Alipay anything; a notify with a wrong signature is answered 401."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from posapp import vault
from posapp.config import settings_from_document
from posapp.domain.money import Money
from posapp.domain.order import Payment, Totals
from posapp.engine.engine import Engine, EngineOptions
from posapp.payments.gateway import Method, PayState
from posapp.payments.simulator import alipay as alipay_sim
from posapp.store.tables import PaymentRow
from tests.factories import make_order
from tests.integration.test_engine_headless import free_port


@pytest.fixture
def sim(arun: Any) -> Iterator[alipay_sim.Sim]:
    started = arun(alipay_sim.start(confirm_after=0.3))
    for name, value in started.secrets.items():
        vault.set_secret(name, value)
    yield started
    arun(started.stop())
    for name in started.secrets:
        vault.delete_secret(name)


@pytest.fixture
def engine(sim: alipay_sim.Sim, arun: Any, tmp_path: Path) -> Iterator[Engine]:
    port = free_port()
    doc = {
        "listener": {"host": "127.0.0.1", "port": port},
        "screens": {"host": "127.0.0.1", "port": 0},
        "payments": {
            "enabled": ["alipay"],
            "alipay": {
                **sim.gateway_settings,
                "base_url": sim.base_url,
                "notify_url": f"http://127.0.0.1:{port}/payments/alipay/notify",
            },
        },
    }
    eng = Engine(
        EngineOptions(data_dir=tmp_path / "shop", settings=settings_from_document(doc), settings_pinned=True)
    )
    arun(eng.open())
    arun(eng.serve())
    yield eng
    arun(eng.stop())


def test_alipays_notify_reaches_the_engine_and_settles_the_qr_payment(
    engine: Engine, sim: alipay_sim.Sim, arun: Any
) -> None:
    assert engine.payments is not None and engine.channels is not None and engine.db is not None
    db, payments = engine.db, engine.payments
    order = make_order(
        platform="manual", payment=Payment("unpaid", False), totals=Totals(subtotal=2800, total=2800)
    )
    arun(engine.intake.ingest(order))
    key = f"manual:{order.external_id}"

    async def run() -> tuple[str, list[str], int, Any]:
        taking = asyncio.ensure_future(payments.take(key, "alipay", Method.SHOW_QR, Money(2800, "CNY")))
        for _ in range(100):  # the customer confirms after 0.3 s; the cashier's wait asks at 5 s
            await asyncio.sleep(0.05)
            state = await db.run(lambda s: s.scalar(select(PaymentRow.state)))
            if state == "paid":
                break
        asked = [m for m, _ in sim.calls]
        url = f"http://127.0.0.1:{engine.channels.listen_port}/payments/alipay/notify"
        async with httpx.AsyncClient() as client:
            forged = await client.post(url, content=sim.notices[0].replace(b"28.00", b"0.01"))
        [view] = await payments.payments_for(key)
        await payments.cancel(view.request_id)
        await taking
        return str(state), asked, forged.status_code, view

    state, asked, forged, view = arun(run())
    assert state == "paid" and view.state is PayState.PAID
    assert asked == ["alipay.trade.precreate"]
    assert forged == 401
