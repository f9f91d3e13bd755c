"""PaymentService over a real SQLite file with a scripted gateway: the row before the call, each answer
committed, the order marked paid, unknown never shown as paid, recovery by query, refunds within what was paid.

The gateways' own HTTP is tested over loopback against their simulators (tests/integration/test_payments_*).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select

from posapp.domain.money import Money
from posapp.domain.order import Payment
from posapp.errors import RefundRefused
from posapp.payments import registry
from posapp.payments.gateway import (
    Gateway,
    GatewayError,
    Intent,
    Method,
    Outcome,
    PayState,
    RefundOutcome,
)
from posapp.services.hub import Hub, OrderChange
from posapp.services.intake import IntakeService
from posapp.services.payments import GatewaySettings, PaymentRefused, PaymentService, PaymentView
from posapp.store import orders as repo
from posapp.store.db import Database
from posapp.store.tables import AuditRow, PaymentRow
from tests.factories import make_order


class ScriptedGateway(Gateway):
    """Answers pay/query/cancel from a script; records every call and what the row said at that moment."""

    name = "scripted"
    methods = frozenset({Method.SCAN_CODE, Method.SHOW_QR})

    def __init__(self, db: Database) -> None:
        self.db = db
        self.pay_answers: list[Outcome | Exception] = []
        self.query_answers: list[Outcome | Exception] = []
        self.cancel_answer: Outcome = Outcome(PayState.CANCELLED, message="cancelled")
        self.refund_answer: RefundOutcome | None = None
        self.calls: list[tuple[str, str]] = []
        self.row_state_at_pay: str | None = None
        self.refunds: list[tuple[str, str, int]] = []
        self.during_pay: Callable[[], Any] | None = None  # awaited inside pay, as if it took a while

    def _next(self, answers: list[Outcome | Exception]) -> Outcome:
        answer = answers.pop(0) if len(answers) > 1 else answers[0]
        if isinstance(answer, Exception):
            raise answer
        return answer

    async def pay(self, intent: Intent) -> Outcome:
        self.calls.append(("pay", intent.request_id))
        # What a crash right now would leave behind: the row must already be committed.
        self.row_state_at_pay = self.db.call(
            lambda s: s.scalar(select(PaymentRow.state).where(PaymentRow.request_id == intent.request_id))
        )
        if self.during_pay is not None:
            await self.during_pay()
        return self._next(self.pay_answers)

    async def query(self, request_id: str) -> Outcome:
        self.calls.append(("query", request_id))
        return self._next(self.query_answers)

    async def cancel(self, request_id: str) -> Outcome:
        self.calls.append(("cancel", request_id))
        return self.cancel_answer

    async def refund(self, request_id: str, refund_id: str, amount: Money, reason: str = "") -> RefundOutcome:
        self.calls.append(("refund", request_id))
        self.refunds.append((request_id, refund_id, amount.amount))
        if self.refund_answer is not None:
            return self.refund_answer
        return RefundOutcome(PayState.PAID, refund_id, f"RF-{len(self.refunds)}", "refunded")


@pytest.fixture
def hub() -> Hub:
    return Hub()


@pytest.fixture
def gateway(db: Database, monkeypatch: pytest.MonkeyPatch) -> ScriptedGateway:
    gw = ScriptedGateway(db)

    def make(
        settings: dict[str, Any], secret: Callable[[str], str | None], *, base_url: str | None = None
    ) -> Gateway:
        return gw

    monkeypatch.setitem(
        registry.GATEWAYS,
        "scripted",
        registry.GatewayKind("scripted", "Scripted", "tests.unit.test_payment_service", gw.methods, ()),
    )
    monkeypatch.setattr(registry, "factory", lambda name: make)
    return gw


@pytest.fixture
def service(db: Database, hub: Hub, gateway: ScriptedGateway) -> PaymentService:
    return PaymentService(
        db, hub, gateways=[GatewaySettings("scripted", {"sandbox": True})], poll_every=0.01, give_up_after=0.3
    )


def _order(db: Database, hub: Hub, arun: Any, total: int = 5000) -> str:
    from posapp.domain.order import Totals

    order = make_order(
        platform="manual",
        external_id=f"M-{total}",
        payment=Payment("unpaid", False),
        totals=Totals(subtotal=total, total=total),
    )
    arun(IntakeService(db, hub).ingest(order))
    return f"manual:{order.external_id}"


def _stored(db: Database, request_id: str) -> PaymentRow:
    return db.call(lambda s: s.scalars(select(PaymentRow).where(PaymentRow.request_id == request_id)).one())


def _order_row(db: Database, key: str) -> Any:
    platform, _, ext = key.partition(":")
    return db.call(lambda s: repo.get_order(s, repo.find_order_id(s, platform, ext) or 0))


def test_a_paid_payment_is_committed_before_the_call_and_marks_the_order_paid(
    db: Database, hub: Hub, service: PaymentService, gateway: ScriptedGateway, arun: Any
) -> None:
    key = _order(db, hub, arun)
    changes: list[OrderChange] = []
    hub.on_order(changes.append)
    gateway.pay_answers = [Outcome(PayState.PAID, "T-1001", "paid", fee=Money(30, "CNY"))]
    seen: list[PaymentView] = []
    view = arun(
        service.take(
            key, "scripted", Method.SCAN_CODE, Money(5000, "CNY"), "286012345678901234", on_update=seen.append
        )
    )
    assert gateway.row_state_at_pay == "sending"
    assert view.state is PayState.PAID and view.transaction_id == "T-1001"
    assert view.fee == Money(30, "CNY")
    assert [v.state for v in seen] == [PayState.PAID]
    row = _stored(db, view.request_id)
    assert (row.state, row.amount, row.attempts, row.paid_at is not None) == ("paid", 5000, 1, True)
    order = _order_row(db, key)
    assert order.payment == Payment("scripted", True)
    assert [c.detail for c in changes] == ["payment"]


def test_a_payment_waiting_for_the_customer_is_asked_until_paid(
    db: Database, hub: Hub, service: PaymentService, gateway: ScriptedGateway, arun: Any
) -> None:
    key = _order(db, hub, arun)
    waiting = Outcome(PayState.PENDING, message="Waiting for the customer…")
    gateway.pay_answers = [waiting]
    gateway.query_answers = [waiting, Outcome(PayState.PAID, "T-2")]
    seen: list[PaymentView] = []
    view = arun(
        service.take(key, "scripted", Method.SCAN_CODE, Money(5000, "CNY"), "28", on_update=seen.append)
    )
    assert view.state is PayState.PAID
    assert [v.state for v in seen] == [PayState.PENDING, PayState.PENDING, PayState.PAID]
    assert seen[0].seconds_left is not None and 0 < seen[0].seconds_left <= 0.3
    assert [c for c, _ in gateway.calls] == ["pay", "query", "query"]


def test_a_declined_payment_leaves_the_order_unpaid_and_another_may_be_taken(
    db: Database, hub: Hub, service: PaymentService, gateway: ScriptedGateway, arun: Any
) -> None:
    key = _order(db, hub, arun)
    gateway.pay_answers = [Outcome(PayState.FAILED, message="Insufficient balance", raw_code="NOTENOUGH")]
    view = arun(service.take(key, "scripted", Method.SCAN_CODE, Money(5000, "CNY"), "28"))
    assert (view.state, view.message) == (PayState.FAILED, "Insufficient balance")
    assert _order_row(db, key).payment == Payment("unpaid", False)
    gateway.pay_answers = [Outcome(PayState.PAID, "T-3")]
    assert (
        arun(service.take(key, "scripted", Method.SCAN_CODE, Money(5000, "CNY"), "29")).state is PayState.PAID
    )


def test_an_unknown_answer_stays_unknown_never_paid_and_blocks_a_second_charge(
    db: Database, hub: Hub, service: PaymentService, gateway: ScriptedGateway, arun: Any
) -> None:
    key = _order(db, hub, arun)
    gateway.pay_answers = [GatewayError("connection reset")]
    gateway.query_answers = [GatewayError("connection reset")]
    gateway.cancel_answer = Outcome(PayState.UNKNOWN, message="no answer")
    view = arun(service.take(key, "scripted", Method.SCAN_CODE, Money(5000, "CNY"), "28"))
    assert view.state is PayState.UNKNOWN
    assert _order_row(db, key).payment == Payment("unpaid", False)
    with pytest.raises(PaymentRefused, match="under way"):
        arun(service.take(key, "scripted", Method.SCAN_CODE, Money(5000, "CNY"), "28"))
    # The network is back: the recovery asks with the same request id, never pays again.
    gateway.query_answers = [Outcome(PayState.PAID, "T-4")]
    assert arun(service.recover()) == 0
    assert arun(service.view(view.request_id)).state is PayState.PAID
    assert _order_row(db, key).payment == Payment("scripted", True)
    assert [c for c, _ in gateway.calls].count("pay") == 1


def test_recovery_cancels_a_payment_still_pending_after_the_gateways_time(
    db: Database, hub: Hub, service: PaymentService, gateway: ScriptedGateway, arun: Any
) -> None:
    key = _order(db, hub, arun)
    gateway.pay_answers = [GatewayError("timeout")]
    gateway.query_answers = [GatewayError("timeout")]
    gateway.cancel_answer = Outcome(PayState.UNKNOWN, message="no answer")
    view = arun(service.take(key, "scripted", Method.SCAN_CODE, Money(5000, "CNY"), "28"))
    gateway.query_answers = [Outcome(PayState.PENDING)]
    gateway.cancel_answer = Outcome(PayState.CANCELLED, message="closed")
    gateway.calls.clear()
    arun(service.recover())
    assert [c for c, _ in gateway.calls] == ["query", "cancel"]
    assert arun(service.view(view.request_id)).state is PayState.CANCELLED


def test_the_cashier_cancels_a_payment_in_progress(
    db: Database, hub: Hub, db_service_slow: PaymentService, gateway: ScriptedGateway, arun: Any
) -> None:
    service = db_service_slow
    key = _order(db, hub, arun)
    gateway.pay_answers = [Outcome(PayState.PENDING, qr_url="https://qr.example/abc")]
    gateway.query_answers = [Outcome(PayState.PENDING)]
    seen: list[PaymentView] = []

    async def take_then_cancel() -> tuple[PaymentView, PaymentView]:
        task = asyncio.ensure_future(
            service.take(key, "scripted", Method.SHOW_QR, Money(5000, "CNY"), on_update=seen.append)
        )
        while not seen:
            await asyncio.sleep(0.01)
        cancelled = await service.cancel(seen[0].request_id)
        return await task, cancelled

    taken, cancelled = arun(take_then_cancel())
    assert seen[0].qr_url == "https://qr.example/abc"
    assert taken.state is cancelled.state is PayState.CANCELLED
    assert ("cancel", taken.request_id) in gateway.calls


@pytest.fixture
def db_service_slow(db: Database, hub: Hub, gateway: ScriptedGateway) -> PaymentService:
    return PaymentService(
        db, hub, gateways=[GatewaySettings("scripted", {})], poll_every=0.05, give_up_after=30
    )


def test_refunds_go_through_the_gateway_never_beyond_what_was_paid_and_are_audited(
    db: Database, hub: Hub, service: PaymentService, gateway: ScriptedGateway, arun: Any
) -> None:
    key = _order(db, hub, arun)
    gateway.pay_answers = [Outcome(PayState.PAID, "T-5")]
    paid = arun(service.take(key, "scripted", Method.SCAN_CODE, Money(5000, "CNY"), "28"))
    after = arun(
        service.refund(paid.request_id, Money(1200, "CNY"), user="Li (cashier)", reason="cold noodles")
    )
    assert after.refunded == Money(1200, "CNY") and after.state is PayState.PAID
    with pytest.raises(RefundRefused, match="at most what is left"):
        arun(service.refund(paid.request_id, Money(3801, "CNY"), user="Li", reason="again"))
    with pytest.raises(RefundRefused, match="why"):
        arun(service.refund(paid.request_id, Money(100, "CNY"), user="Li", reason="  "))
    full = arun(
        service.refund(paid.request_id, Money(3800, "CNY"), user="Wang (manager)", reason="order lost")
    )
    assert full.refunded == Money(5000, "CNY")
    assert [(r, a) for r, _, a in gateway.refunds] == [(paid.request_id, 1200), (paid.request_id, 3800)]
    assert len({refund_id for _, refund_id, _ in gateway.refunds}) == 2
    audits = db.call(
        lambda s: [(a.action, a.by, a.detail) for a in s.scalars(select(AuditRow).order_by(AuditRow.id))]
    )
    refunds = [(by, json.loads(d)) for action, by, d in audits if action == "refund"]
    assert [(by, d["amount"], d["reason"], d["gateway"]) for by, d in refunds] == [
        ("Li (cashier)", 1200, "cold noodles", "scripted"),
        ("Wang (manager)", 3800, "order lost", "scripted"),
    ]


def test_a_refund_the_gateway_did_not_answer_is_sent_again_with_the_same_id(
    db: Database, hub: Hub, service: PaymentService, gateway: ScriptedGateway, arun: Any
) -> None:
    key = _order(db, hub, arun)
    gateway.pay_answers = [Outcome(PayState.PAID, "T-6")]
    paid = arun(service.take(key, "scripted", Method.SCAN_CODE, Money(5000, "CNY"), "28"))
    gateway.refund_answer = RefundOutcome(PayState.UNKNOWN, "", message="timeout")
    after = arun(service.refund(paid.request_id, Money(5000, "CNY"), user="Li", reason="wrong order"))
    assert after.refunded == Money(0, "CNY")
    with pytest.raises(RefundRefused):  # the unanswered refund holds the money: no second refund on top
        arun(service.refund(paid.request_id, Money(1, "CNY"), user="Li", reason="again"))
    gateway.refund_answer = None
    arun(service.recover())
    assert arun(service.view(paid.request_id)).refunded == Money(5000, "CNY")
    assert gateway.refunds[0][1] == gateway.refunds[1][1]  # the same refund id: the gateway refunds once


def test_refusals_before_anything_is_sent(
    db: Database, hub: Hub, service: PaymentService, gateway: ScriptedGateway, arun: Any
) -> None:
    key = _order(db, hub, arun)
    for args, words in (
        (("manual:nope", "scripted", Method.SCAN_CODE, Money(5000, "CNY"), "28"), "No order"),
        ((key, "scripted", Method.SCAN_CODE, Money(5000, "CNY"), "  "), "Scan the customer"),
        ((key, "scripted", Method.CARD_READER, Money(5000, "CNY"), None), "reader"),
        ((key, "scripted", Method.SCAN_CODE, Money(5001, "CNY"), "28"), "at most"),
        ((key, "scripted", Method.SCAN_CODE, Money(5000, "USD"), "28"), "CNY"),
        ((key, "alipay", Method.SCAN_CODE, Money(5000, "CNY"), "28"), "not set up"),
    ):
        with pytest.raises(PaymentRefused, match=words):
            arun(service.take(*args))
    assert gateway.calls == []
    assert db.call(lambda s: s.scalars(select(PaymentRow)).all()) == []


def test_gateways_lists_each_enabled_gateway_with_its_test_mode(service: PaymentService) -> None:
    [info] = service.gateways()
    assert (info.name, info.test_mode, info.configured) == ("scripted", True, True)
    assert Method.SHOW_QR in info.methods


def test_a_paid_orders_receipt_prints_the_method_gateway_and_transaction_id(
    db: Database, hub: Hub, service: PaymentService, gateway: ScriptedGateway, arun: Any
) -> None:
    from posapp.printing.escpos import render
    from posapp.printing.layouts import TicketContext, receipt
    from posapp.printing.profiles import get_profile
    from posapp.store import payments as paystore
    from tests.escpos_decoder import decode

    key = _order(db, hub, arun)
    gateway.pay_answers = [Outcome(PayState.PAID, "2026120422001456781234567890")]
    arun(service.take(key, "scripted", Method.SCAN_CODE, Money(5000, "CNY"), "28"))
    order = db.call(lambda s: paystore.with_gateway(s, _order_row(db, key)))
    ticket = decode(render(receipt(order, TicketContext(store_name="老王小馆")), get_profile("generic-80")))
    assert ticket.stray_high_bytes == []
    payment = ticket.find("Payment 支付").text.split()
    assert payment[2] == "scripted" and payment[-2:] == ["paid", "已付"]
    assert ticket.find("Via 渠道").text.rstrip().endswith("scripted")
    assert ticket.find("Txn 交易号").text.strip() == "Txn 交易号: 2026120422001456781234567890"
    # An order a gateway did not take prints no gateway lines.
    unpaid = make_order(platform="manual", payment=Payment("cash", True))
    plain = decode(render(receipt(unpaid, TicketContext()), get_profile("generic-80"))).plain
    assert "Via" not in plain and "Txn" not in plain


def test_the_recovery_leaves_alone_a_payment_being_sent_right_now(
    db: Database, hub: Hub, service: PaymentService, gateway: ScriptedGateway, arun: Any
) -> None:
    key = _order(db, hub, arun)
    gateway.pay_answers = [Outcome(PayState.PAID, "T-7")]
    gateway.query_answers = [Outcome(PayState.FAILED, message="trade not found")]
    gateway.during_pay = service.recover  # the periodic pass runs while the gateway has not answered
    view = arun(service.take(key, "scripted", Method.SCAN_CODE, Money(5000, "CNY"), "28"))
    assert view.state is PayState.PAID
    assert [c for c, _ in gateway.calls] == ["pay"]


def test_a_payment_recorded_as_failed_that_the_gateway_later_finds_paid_becomes_paid(
    db: Database, hub: Hub, service: PaymentService, gateway: ScriptedGateway, arun: Any
) -> None:
    from posapp.store import payments as paystore

    key = _order(db, hub, arun)
    gateway.pay_answers = [Outcome(PayState.FAILED, message="system busy")]
    view = arun(service.take(key, "scripted", Method.SCAN_CODE, Money(5000, "CNY"), "28"))
    later = db.call(
        lambda s: paystore.record(s, view.request_id, state="paid", now=view.updated_at, transaction_id="T-8")
    )
    assert later[0].state == "paid" and later[1]
    again = db.call(lambda s: paystore.record(s, view.request_id, state="cancelled", now=view.updated_at))
    assert again[0].state == "paid" and not again[1]  # paid stays paid


def test_the_uploader_hears_the_payment_and_the_refund_as_money_events(
    db: Database, hub: Hub, gateway: ScriptedGateway, arun: Any
) -> None:
    from posapp.services.planner import ChangeFacts, JobPlanner

    heard: list[ChangeFacts] = []
    planner = JobPlanner()
    planner.add_change_hook(lambda order, facts: heard.append(facts) or [])
    service = PaymentService(db, hub, planner, gateways=[GatewaySettings("scripted", {})], poll_every=0.01)
    key = _order(db, hub, arun)
    changes: list[OrderChange] = []
    hub.on_order(changes.append)
    gateway.pay_answers = [Outcome(PayState.PAID, "T-9")]
    paid = arun(service.take(key, "scripted", Method.SCAN_CODE, Money(5000, "CNY"), "28"))
    arun(service.refund(paid.request_id, Money(700, "CNY"), user="Li", reason="no egg"))
    assert [(f.event, f.by) for f in heard] == [("payment", "scripted"), ("refund", "Li")]
    assert [(c.detail, c.by) for c in changes] == [
        ("payment", "scripted"),
        ("refund", "Li"),
    ]  # screens refresh
    assert heard[1].reason is not None and "no egg" in heard[1].reason
