"""Gateway notifications through PaymentService.callback, with the bodies the loopback simulators sign: Alipay's
notify marks a QR payment paid before the cashier's wait asks, a repeat changes nothing, an altered or unsigned
one is refused and acted on never."""

from __future__ import annotations

import asyncio
import urllib.parse
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import func, select

from posapp.domain.money import Money
from posapp.domain.order import Payment, Totals
from posapp.payments.gateway import Method, PayState
from posapp.payments.simulator import alipay as alipay_sim
from posapp.services.hub import Hub
from posapp.services.intake import IntakeService
from posapp.services.payments import GatewaySettings, PaymentService, PaymentView
from posapp.store.db import Database
from posapp.store.tables import EventRow
from tests.factories import make_order

FORM = {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}


@pytest.fixture
def sim(arun: Any) -> Iterator[alipay_sim.Sim]:
    started = arun(alipay_sim.start(confirm_after=0.3))
    yield started
    arun(started.stop())


@pytest.fixture
def service(sim: alipay_sim.Sim, db: Database, arun: Any) -> Iterator[PaymentService]:
    # The notify goes nowhere here (port 9, nothing listens): the test hands the signed body to callback().
    options = {**sim.gateway_settings, "base_url": sim.base_url, "notify_url": "http://127.0.0.1:9/notify"}
    made = PaymentService(
        db,
        Hub(),
        gateways=[GatewaySettings("alipay", options)],
        secret=sim.secrets.get,
        poll_every=20,
        give_up_after=30,
    )
    yield made
    arun(made.stop())


def _payment_events(db: Database) -> int:
    return int(
        db.call(
            lambda s: s.scalar(select(func.count()).select_from(EventRow).where(EventRow.kind == "payment"))
        )
    )


def test_a_signed_notify_settles_a_qr_payment_a_repeat_changes_nothing_a_forged_one_is_refused(
    sim: alipay_sim.Sim, service: PaymentService, db: Database, arun: Any
) -> None:
    order = make_order(
        platform="manual", payment=Payment("unpaid", False), totals=Totals(subtotal=2800, total=2800)
    )
    arun(IntakeService(db, Hub()).ingest(order))
    key = f"manual:{order.external_id}"

    async def run() -> tuple[PaymentView, list[Any], PaymentView, list[str]]:
        taking = asyncio.ensure_future(service.take(key, "alipay", Method.SHOW_QR, Money(2800, "CNY")))
        while not sim.notices:  # the customer scans and confirms after 0.3 s; Alipay notifies
            await asyncio.sleep(0.05)
        body = sim.notices[0]
        forged = body.replace(b"total_amount=28.00", b"total_amount=0.01")
        unsigned = urllib.parse.urlencode(
            [(k, v) for k, v in urllib.parse.parse_qsl(body.decode()) if k not in ("sign", "sign_type")]
        ).encode()
        answers = [
            await service.callback("alipay", FORM, forged),
            await service.callback("alipay", FORM, unsigned),
        ]
        [before] = await service.payments_for(key)
        answers += [
            await service.callback("alipay", FORM, body),
            await service.callback("alipay", FORM, body),
        ]
        [after] = await service.payments_for(key)
        asked = [m for m, _ in sim.calls]
        stopped = await service.cancel(after.request_id)  # the cashier closes the wait: it stays paid
        assert (await taking).state is stopped.state is PayState.PAID
        return before, answers, after, asked

    before, answers, after, asked = arun(run())
    assert before.state is PayState.PENDING  # the refused notices changed nothing
    assert [(a.status, a.body) for a in answers] == [
        (401, b"signature refused"),
        (401, b"signature refused"),
        (200, b"success"),
        (200, b"success"),
    ]
    assert after.state is PayState.PAID and after.transaction_id
    assert asked == ["alipay.trade.precreate"]  # settled by the notify, not by asking
    assert _payment_events(db) == 1  # the repeat marked nothing twice
