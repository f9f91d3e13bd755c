"""WeChat Pay callbacks through PaymentService.callback, with the notices the loopback simulator signs and encrypts:
a Native QR payment is settled by its callback before the cashier's wait asks, a duplicate changes nothing, an
altered or impostor-signed one is refused and acted on never."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import func, select

from posapp.domain.money import Money
from posapp.domain.order import Payment, Totals
from posapp.payments.gateway import Method, PayState
from posapp.payments.simulator import wechat as wechat_sim
from posapp.services.hub import Hub
from posapp.services.intake import IntakeService
from posapp.services.payments import GatewaySettings, PaymentService, PaymentView
from posapp.store.db import Database
from posapp.store.tables import EventRow
from tests.factories import make_order


@pytest.fixture
def sim(arun: Any) -> Iterator[wechat_sim.Sim]:
    started = arun(wechat_sim.start(confirm_after=0.3))
    yield started
    arun(started.stop())


@pytest.fixture
def service(sim: wechat_sim.Sim, db: Database, arun: Any) -> Iterator[PaymentService]:
    # The callback goes nowhere here (port 9, nothing listens): the test hands the signed notice to callback().
    options = {**sim.gateway_settings, "base_url": sim.base_url, "notify_url": "http://127.0.0.1:9/notify"}
    made = PaymentService(
        db,
        Hub(),
        gateways=[GatewaySettings("wechat", options)],
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


def test_a_signed_callback_settles_a_qr_payment_a_duplicate_changes_nothing_a_forged_one_is_refused(
    sim: wechat_sim.Sim, service: PaymentService, db: Database, arun: Any
) -> None:
    order = make_order(
        platform="manual", payment=Payment("unpaid", False), totals=Totals(subtotal=2800, total=2800)
    )
    arun(IntakeService(db, Hub()).ingest(order))
    key = f"manual:{order.external_id}"

    async def run() -> tuple[PaymentView, list[Any], PaymentView, list[str]]:
        taking = asyncio.ensure_future(service.take(key, "wechat", Method.SHOW_QR, Money(2800, "CNY")))
        while not sim.notices:  # the customer scans and pays after 0.3 s; WeChat Pay calls back
            await asyncio.sleep(0.05)
        headers, body = sim.notices[0]
        altered = body.replace(b"TRANSACTION.SUCCESS", b"TRANSACTION.SUCCESS ")
        assert altered != body
        sim.forge_answers = True
        impostor_headers, impostor_body = sim.notice(sim.orders[next(iter(sim.orders))])
        sim.forge_answers = False
        answers = [
            await service.callback("wechat", headers, altered),
            await service.callback("wechat", impostor_headers, impostor_body),
        ]
        [before] = await service.payments_for(key)
        answers += [
            await service.callback("wechat", headers, body),
            await service.callback("wechat", headers, body),  # WeChat sends it again
        ]
        [after] = await service.payments_for(key)
        asked = [endpoint for endpoint, _ in sim.calls]
        stopped = await service.cancel(after.request_id)  # the cashier closes the wait: it stays paid
        assert (await taking).state is stopped.state is PayState.PAID
        return before, answers, after, asked

    before, answers, after, asked = arun(run())
    assert before.state is PayState.PENDING  # the refused callbacks changed nothing
    assert [a.status for a in answers] == [401, 401, 200, 200]
    assert (
        after.state is PayState.PAID and after.transaction_id == sim.orders[after.request_id].transaction_id
    )
    assert asked == ["native"]  # settled by the callback, not by asking
    assert _payment_events(db) == 1  # the duplicate marked nothing twice
    assert sim.charges[after.request_id] == 1
