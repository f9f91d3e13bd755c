"""The cashier's wait (payments/flow.settle) against a scripted gateway on a fake clock: when it polls, when it
cancels, and that an answer nobody can trust ends UNKNOWN, never PAID."""

from __future__ import annotations

import asyncio
from typing import Any

from posapp.domain.money import Money
from posapp.payments.flow import settle
from posapp.payments.gateway import Gateway, GatewayError, Intent, Method, Outcome, PayState, RefundOutcome

PENDING = Outcome(PayState.PENDING, "T1", "waiting")
PAID = Outcome(PayState.PAID, "T1", "paid")
CANCELLED = Outcome(PayState.CANCELLED, "T1", "cancelled")
INTENT = Intent("req-1", "manual:1", Money(500, "CNY"), Method.SCAN_CODE, code="281000000000000001")


class Clock:
    def __init__(self) -> None:
        self.now = 100.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


class Scripted(Gateway):
    """Answers pay/query/cancel from lists; an Exception in a list is raised instead."""

    name = "scripted"
    methods = frozenset({Method.SCAN_CODE})

    def __init__(
        self, pay: Outcome | Exception, queries: list[Outcome | Exception], cancel: Outcome | Exception
    ):
        self._pay, self._queries, self._cancel = pay, iter(queries), cancel
        self.calls: list[str] = []

    @staticmethod
    def _give(answer: Outcome | Exception) -> Outcome:
        if isinstance(answer, Exception):
            raise answer
        return answer

    async def pay(self, intent: Intent) -> Outcome:
        self.calls.append("pay")
        return self._give(self._pay)

    async def query(self, request_id: str) -> Outcome:
        self.calls.append("query")
        return self._give(next(self._queries, PENDING))

    async def cancel(self, request_id: str) -> Outcome:
        self.calls.append("cancel")
        return self._give(self._cancel)

    async def refund(self, request_id: str, refund_id: str, amount: Money, reason: str = "") -> RefundOutcome:
        raise AssertionError("settle never refunds")


def test_a_pending_payment_is_asked_every_poll_until_paid_and_not_cancelled(arun: Any) -> None:
    clock = Clock()
    gateway = Scripted(PENDING, [PENDING, PENDING, PAID], CANCELLED)
    updates: list[tuple[PayState, float]] = []
    outcome = arun(
        settle(
            gateway,
            INTENT,
            poll_every=5,
            give_up_after=30,
            sleep=clock.sleep,
            clock=clock,
            on_update=lambda o, left: updates.append((o.state, left)),
        )
    )
    assert outcome is PAID
    assert gateway.calls == ["pay", "query", "query", "query"]
    assert clock.sleeps == [5, 5, 5]
    assert updates == [
        (PayState.PENDING, 30),
        (PayState.PENDING, 25),
        (PayState.PENDING, 20),
        (PayState.PAID, 15),
    ]


def test_when_the_gateways_time_is_up_the_payment_is_cancelled(arun: Any) -> None:
    clock = Clock()
    gateway = Scripted(PENDING, [], CANCELLED)
    outcome = arun(settle(gateway, INTENT, poll_every=5, give_up_after=12, sleep=clock.sleep, clock=clock))
    assert outcome is CANCELLED
    assert gateway.calls == ["pay", "query", "query", "query", "cancel"]
    assert clock.sleeps == [5, 5, 2]  # the last wait is only what is left, then cancel at once


def test_no_answer_to_pay_is_asked_again_by_query_and_then_paid(arun: Any) -> None:
    clock = Clock()
    gateway = Scripted(GatewayError("connection reset"), [GatewayError("timeout"), PAID], CANCELLED)
    updates: list[PayState] = []
    outcome = arun(
        settle(
            gateway,
            INTENT,
            poll_every=5,
            give_up_after=30,
            sleep=clock.sleep,
            clock=clock,
            on_update=lambda o, _: updates.append(o.state),
        )
    )
    assert outcome is PAID
    assert updates == [PayState.UNKNOWN, PayState.UNKNOWN, PayState.PAID]
    assert gateway.calls == ["pay", "query", "query"]  # never a second pay


def test_nothing_trustworthy_even_from_cancel_ends_unknown_never_paid(arun: Any) -> None:
    clock = Clock()
    gateway = Scripted(GatewayError("reset"), [GatewayError("reset")] * 10, GatewayError("reset"))
    outcome = arun(settle(gateway, INTENT, poll_every=5, give_up_after=10, sleep=clock.sleep, clock=clock))
    assert outcome.state is PayState.UNKNOWN
    assert gateway.calls[-1] == "cancel"


def test_a_decline_is_final_at_once(arun: Any) -> None:
    clock = Clock()
    declined = Outcome(PayState.FAILED, None, "Insufficient balance")
    gateway = Scripted(declined, [], CANCELLED)
    assert arun(settle(gateway, INTENT, sleep=clock.sleep, clock=clock)) is declined
    assert gateway.calls == ["pay"] and clock.sleeps == []


def test_the_cashiers_cancel_stops_the_wait_at_once(arun: Any) -> None:
    async def scenario() -> tuple[Outcome, float, list[str]]:
        gateway = Scripted(PENDING, [], CANCELLED)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        loop.call_later(0.05, stop.set)
        started = loop.time()
        outcome = await settle(gateway, INTENT, poll_every=5, give_up_after=30, stop=stop)
        return outcome, loop.time() - started, gateway.calls

    outcome, took, calls = arun(scenario())
    assert outcome is CANCELLED
    assert calls == ["pay", "cancel"]
    assert took < 1.0  # not the 5 s poll nor the 30 s wait
