"""PaymentService against each gateway's loopback simulator (Alipay, WeChat Pay, Stripe Terminal): paid marks the
order paid and prints on the receipt, declined leaves it unpaid, a network cut mid-payment is resolved by query
and charged once, refunds partial and full through the gateway that took the payment."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from posapp.domain.money import Money
from posapp.domain.order import Payment, Totals
from posapp.payments.gateway import Method, PayState
from posapp.payments.simulator import alipay as alipay_sim
from posapp.payments.simulator import stripe as stripe_sim
from posapp.payments.simulator import wechat as wechat_sim
from posapp.services.hub import Hub
from posapp.services.intake import IntakeService
from posapp.services.payments import GatewaySettings, PaymentService
from posapp.store import orders as repo
from posapp.store import payments as paystore
from posapp.store.db import Database
from tests.factories import make_order


@dataclass(frozen=True)
class Case:
    name: str
    start: Callable[[], Awaitable[Any]]
    currency: str
    method: Method
    pays: str  # the payment code or reader that pays at once
    declined: str
    cut: str  # money moves, then the connection drops before the answer
    declined_words: str

    def code_and_reader(self, which: str) -> tuple[str | None, str | None]:
        return (None, which) if self.method is Method.CARD_READER else (which, None)

    def charges(self, sim: Any, request_id: str) -> int:
        if self.name == "stripe":
            ids = {p["id"] for p in sim.intents_for(request_id)}
            return len([c for c in sim.charges.values() if c["payment_intent"] in ids])
        return int(sim.charges[request_id])


CASES = [
    Case(
        "alipay",
        alipay_sim.start,
        "CNY",
        Method.SCAN_CODE,
        alipay_sim.PAY_AT_ONCE,
        alipay_sim.INSUFFICIENT,
        alipay_sim.NETWORK_CUT,
        "balance",
    ),
    Case(
        "wechat",
        wechat_sim.start,
        "CNY",
        Method.SCAN_CODE,
        wechat_sim.PAY_AT_ONCE,
        wechat_sim.INSUFFICIENT,
        wechat_sim.NETWORK_CUT,
        "",
    ),
    Case(
        "stripe",
        stripe_sim.start,
        "USD",
        Method.CARD_READER,
        "tmr_sim_pays",
        "tmr_sim_insufficient",
        "tmr_sim_cut",
        "",
    ),
]


@pytest.fixture(params=CASES, ids=lambda c: c.name)
def case(request: pytest.FixtureRequest) -> Case:
    return request.param  # type: ignore[no-any-return]


@pytest.fixture
def sim(case: Case, arun: Any) -> Iterator[Any]:
    started = arun(case.start())
    yield started
    arun(started.stop())


@pytest.fixture
def hub() -> Hub:
    return Hub()


@pytest.fixture
def service(case: Case, sim: Any, db: Database, hub: Hub, arun: Any) -> Iterator[PaymentService]:
    settings = GatewaySettings(case.name, {**sim.gateway_settings, "base_url": sim.base_url})
    made = PaymentService(
        db, hub, gateways=[settings], secret=sim.secrets.get, poll_every=0.2, give_up_after=3.0
    )
    yield made
    arun(made.stop())


def _order(db: Database, hub: Hub, arun: Any, currency: str, total: int = 6800) -> str:
    order = make_order(
        platform="manual",
        payment=Payment("unpaid", False),
        currency=currency,
        totals=Totals(subtotal=total, total=total),
    )
    arun(IntakeService(db, hub).ingest(order))
    return f"manual:{order.external_id}"


def _paid_order(db: Database, key: str) -> Any:
    platform, _, ext = key.partition(":")
    return db.call(
        lambda s: paystore.with_gateway(s, repo.get_order(s, repo.find_order_id(s, platform, ext) or 0))
    )


def test_a_payment_is_taken_marks_the_order_paid_and_carries_the_transaction_id(
    case: Case, sim: Any, service: PaymentService, db: Database, hub: Hub, arun: Any
) -> None:
    key = _order(db, hub, arun, case.currency)
    code, reader = case.code_and_reader(case.pays)
    view = arun(service.take(key, case.name, case.method, Money(6800, case.currency), code, reader_id=reader))
    assert view.state is PayState.PAID and view.transaction_id
    order = _paid_order(db, key)
    assert order.payment.paid and order.payment.gateway == case.name
    assert order.payment.transaction_id == view.transaction_id
    assert case.charges(sim, view.request_id) == 1
    if case.name == "stripe":  # Stripe reports its fee on the balance transaction
        assert view.fee is not None and view.fee.amount > 0


def test_a_declined_payment_leaves_the_order_unpaid(
    case: Case, sim: Any, service: PaymentService, db: Database, hub: Hub, arun: Any
) -> None:
    key = _order(db, hub, arun, case.currency)
    code, reader = case.code_and_reader(case.declined)
    view = arun(service.take(key, case.name, case.method, Money(6800, case.currency), code, reader_id=reader))
    assert view.state is PayState.FAILED and view.message
    assert _paid_order(db, key).payment == Payment("unpaid", False)
    assert case.charges(sim, view.request_id) == 0


def test_a_network_cut_mid_payment_is_resolved_by_query_and_charged_once(
    case: Case, sim: Any, service: PaymentService, db: Database, hub: Hub, arun: Any
) -> None:
    key = _order(db, hub, arun, case.currency)
    code, reader = case.code_and_reader(case.cut)
    view = arun(service.take(key, case.name, case.method, Money(6800, case.currency), code, reader_id=reader))
    # The cashier's wait queries after the cut: the money moved, so it is paid, and nobody charged again.
    assert view.state is PayState.PAID
    assert arun(service.recover()) == 0
    assert case.charges(sim, view.request_id) == 1
    assert _paid_order(db, key).payment.paid


def test_refunds_partial_then_full_go_back_through_the_gateway(
    case: Case, sim: Any, service: PaymentService, db: Database, hub: Hub, arun: Any
) -> None:
    key = _order(db, hub, arun, case.currency)
    code, reader = case.code_and_reader(case.pays)
    paid = arun(service.take(key, case.name, case.method, Money(6800, case.currency), code, reader_id=reader))
    part = arun(service.refund(paid.request_id, Money(1800, case.currency), user="Li", reason="cold soup"))
    if (
        part.refunded.amount == 0
    ):  # WeChat answers PROCESSING: the recovery asks again with the same refund id
        arun(service.recover())
    assert arun(service.view(paid.request_id)).refunded == Money(1800, case.currency)
    arun(service.refund(paid.request_id, Money(5000, case.currency), user="Wang", reason="order lost"))
    arun(service.recover())
    after = arun(service.view(paid.request_id))
    assert after.refunded == Money(6800, case.currency) and after.state is PayState.PAID
