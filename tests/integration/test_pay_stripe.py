"""Card payments on a Stripe Terminal reader over loopback: the simulated Stripe API, the real gateway and the
cashier's wait (payments/flow.py): paid, declined, slow, never tapped, network cut, refunds, webhooks."""

from __future__ import annotations

import asyncio
import json
import logging
import time
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from posapp.domain.money import Money
from posapp.payments import stripe_terminal
from posapp.payments.flow import settle
from posapp.payments.gateway import GatewayError, Intent, Method, Outcome, PayState, SignatureError
from posapp.payments.simulator import stripe as stripe_sim
from posapp.payments.stripe_terminal import StripeTerminalGateway, make


@pytest.fixture
def sim(arun: Any) -> Iterator[stripe_sim.Sim]:
    started = arun(stripe_sim.start())
    yield started
    arun(started.stop())


def gateway_for(sim: stripe_sim.Sim, **settings: Any) -> StripeTerminalGateway:
    return make({**sim.gateway_settings, **settings}, sim.secrets.get, base_url=sim.base_url)


@pytest.fixture
def gateway(sim: stripe_sim.Sim, arun: Any) -> Iterator[StripeTerminalGateway]:
    made = gateway_for(sim)
    yield made
    arun(made.aclose())


def intent(reader: str | None, amount: int = 1250, request_id: str | None = None) -> Intent:
    return Intent(
        request_id=request_id or f"pay-{uuid.uuid4().hex[:12]}",
        order_key="phone:42",
        amount=Money(amount, "USD"),
        method=Method.CARD_READER,
        subject="Noodle House order 42",
        reader_id=reader,
    )


def fast_settle(
    gateway: StripeTerminalGateway, it: Intent, updates: list[Outcome] | None = None, **kw: Any
) -> Any:
    kw.setdefault("poll_every", 0.05)
    kw.setdefault("give_up_after", 5.0)
    return settle(
        gateway, it, on_update=(lambda o, _left: updates.append(o)) if updates is not None else None, **kw
    )


def test_a_tap_pays_once_with_our_order_and_the_fee_stripe_charged(
    sim: stripe_sim.Sim, gateway: StripeTerminalGateway, arun: Any
) -> None:
    it = intent("tmr_sim_pays", 1250)
    outcome = arun(fast_settle(gateway, it))
    assert outcome.state is PayState.PAID
    [pi] = sim.intents_for(it.request_id)
    assert outcome.transaction_id == pi["id"]
    assert (pi["amount"], pi["currency"], pi["payment_method_types"]) == (1250, "usd", ["card_present"])
    assert pi["capture_method"] == "automatic" and pi["metadata"]["order_key"] == "phone:42"
    txn = sim.charges[pi["latest_charge"]]["balance_transaction"]
    assert outcome.fee == Money(txn["fee"], "USD") and txn["fee"] > 0


@pytest.mark.parametrize(
    ("reader", "message", "code"),
    [
        ("tmr_sim_declined", "Your card was declined.", "generic_decline"),
        ("tmr_sim_insufficient", "Your card has insufficient funds.", "insufficient_funds"),
    ],
)
def test_a_declined_card_fails_with_stripes_sentence(
    sim: stripe_sim.Sim, gateway: StripeTerminalGateway, arun: Any, reader: str, message: str, code: str
) -> None:
    it = intent(reader)
    outcome = arun(fast_settle(gateway, it))
    assert (outcome.state, outcome.message, outcome.raw_code) == (PayState.FAILED, message, code)
    [pi] = sim.intents_for(it.request_id)
    assert pi["status"] == "requires_payment_method" and pi["latest_charge"] is None  # nothing was charged


def test_a_slow_customer_is_waited_for_then_paid(
    sim: stripe_sim.Sim, gateway: StripeTerminalGateway, arun: Any
) -> None:
    sim.set_scenario("tmr_sim_slow", "slow:0.4")
    updates: list[Outcome] = []
    started = time.monotonic()
    outcome = arun(fast_settle(gateway, intent("tmr_sim_slow"), updates))
    assert outcome.state is PayState.PAID
    assert time.monotonic() - started >= 0.35  # Qt's coarse timers (qasync's loop) may fire up to 5 % early
    waiting = [u for u in updates if u.state is PayState.PENDING]
    assert waiting and "tap" in waiting[0].message  # the counter said it was waiting for the card


def test_the_other_simulators_words_work_here_too(
    sim: stripe_sim.Sim, gateway: StripeTerminalGateway, arun: Any
) -> None:
    sim.set_scenario("tmr_counter_2", "confirm:0.1")
    sim.set_scenario(stripe_sim.PAY_AT_ONCE, "wrong_code")
    assert sim.readers["tmr_counter_2"].behaviour == "slow:0.1"
    assert arun(fast_settle(gateway, intent("tmr_counter_2"))).state is PayState.PAID
    assert arun(fast_settle(gateway, intent(stripe_sim.PAY_AT_ONCE))).state is PayState.FAILED
    with pytest.raises(ValueError, match="unknown Stripe reader behaviour"):
        sim.set_scenario("tmr_counter_2", "explode")


def test_a_customer_who_never_taps_is_cancelled_on_the_reader_and_at_stripe(
    sim: stripe_sim.Sim, gateway: StripeTerminalGateway, arun: Any
) -> None:
    it = intent("tmr_sim_never")
    outcome = arun(fast_settle(gateway, it, give_up_after=0.5))
    assert outcome.state is PayState.CANCELLED
    [pi] = sim.intents_for(it.request_id)
    assert pi["status"] == "canceled"
    reader = sim.readers["tmr_sim_never"]
    assert reader.cancelled_actions == 1 and reader.action is None  # the amount left the reader's screen


def test_the_cashiers_cancel_stops_the_reader_at_once(
    sim: stripe_sim.Sim, gateway: StripeTerminalGateway, arun: Any
) -> None:
    stop = asyncio.Event()
    it = intent("tmr_sim_never")

    async def cashier_cancels() -> Outcome:
        asyncio.get_running_loop().call_later(0.2, stop.set)
        return await fast_settle(gateway, it, stop=stop, give_up_after=30.0)

    started = time.monotonic()
    assert arun(cashier_cancels()).state is PayState.CANCELLED
    assert time.monotonic() - started < 5.0
    assert sim.readers["tmr_sim_never"].cancelled_actions == 1


def test_a_network_cut_after_the_charge_is_resolved_by_query_and_charged_once(
    sim: stripe_sim.Sim, gateway: StripeTerminalGateway, arun: Any
) -> None:
    it = intent("tmr_sim_cut")
    with pytest.raises(GatewayError, match="did not answer"):
        arun(gateway.pay(it))  # the card went through; the answer never came
    assert arun(gateway.query(it.request_id)).state is PayState.PAID
    # A restarted app knows only the request id: it finds the same payment, and paying again charges nothing new.
    restarted = gateway_for(sim)
    try:
        assert arun(restarted.query(it.request_id)).state is PayState.PAID
        again = arun(restarted.pay(it))
        assert again.state is PayState.PAID
    finally:
        arun(restarted.aclose())
    assert len(sim.intents_for(it.request_id)) == 1
    assert len([c for c in sim.charges.values() if c["payment_intent"] == again.transaction_id]) == 1


def test_a_restart_finds_the_payment_even_before_stripes_search_index_has_it(
    sim: stripe_sim.Sim, gateway: StripeTerminalGateway, arun: Any
) -> None:
    sim.search_lag_s = 60.0  # the search API trails writes; the list of recent PaymentIntents does not
    it = intent("tmr_sim_cut")
    with pytest.raises(GatewayError):
        arun(gateway.pay(it))
    restarted = gateway_for(sim)
    try:
        outcome = arun(restarted.query(it.request_id))
    finally:
        arun(restarted.aclose())
    assert outcome.state is PayState.PAID
    assert ("GET", "/v1/payment_intents/search") in sim.calls and ("GET", "/v1/payment_intents") in sim.calls


def test_the_list_is_paged_through_when_the_payment_is_not_on_the_first_page(
    sim: stripe_sim.Sim, gateway: StripeTerminalGateway, arun: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    sim.search_lag_s = 60.0
    it = intent("tmr_sim_cut")
    with pytest.raises(GatewayError):
        arun(gateway.pay(it))
    for _ in range(7):  # later payments push ours off the first page (newest first)
        arun(gateway.pay(intent("tmr_sim_offline")))
    monkeypatch.setattr(stripe_terminal, "LIST_PAGE", 3)
    restarted = gateway_for(sim)
    try:
        assert arun(restarted.query(it.request_id)).state is PayState.PAID
    finally:
        arun(restarted.aclose())
    assert sim.calls.count(("GET", "/v1/payment_intents")) == 3


def test_the_first_configured_reader_takes_a_payment_that_names_none(
    sim: stripe_sim.Sim, gateway: StripeTerminalGateway, arun: Any
) -> None:
    it = intent(None)
    assert arun(fast_settle(gateway, it)).state is PayState.PAID
    assert sim.intents_for(it.request_id)[0]["metadata"]["reader_id"] == "tmr_sim_pays"
    lost = make({}, sim.secrets.get, base_url=sim.base_url)
    try:
        with pytest.raises(GatewayError, match="No card reader"):
            arun(lost.pay(intent(None)))
    finally:
        arun(lost.aclose())


def test_settle_through_a_network_cut_ends_paid(
    sim: stripe_sim.Sim, gateway: StripeTerminalGateway, arun: Any
) -> None:
    it = intent("tmr_sim_cut")
    outcome = arun(fast_settle(gateway, it))
    assert outcome.state is PayState.PAID and len(sim.charges) == 1


def test_a_cancel_that_comes_after_the_tap_answers_paid(
    sim: stripe_sim.Sim, gateway: StripeTerminalGateway, arun: Any
) -> None:
    sim.set_scenario("tmr_sim_slow", "slow:0.1")
    it = intent("tmr_sim_slow")
    assert arun(gateway.pay(it)).state is PayState.PENDING
    arun(asyncio.sleep(0.3))  # the customer tapped just before the cashier's cancel
    outcome = arun(gateway.cancel(it.request_id))
    assert outcome.state is PayState.PAID
    assert sim.intents_for(it.request_id)[0]["status"] == "succeeded"
    assert sim.readers["tmr_sim_slow"].cancelled_actions == 0


def test_a_stripe_500_on_create_is_unknown_then_no_payment_and_a_retry_gets_the_same_500(
    sim: stripe_sim.Sim, gateway: StripeTerminalGateway, arun: Any
) -> None:
    sim.fail_next("/v1/payment_intents")
    it = intent("tmr_sim_pays")
    updates: list[Outcome] = []
    outcome = arun(fast_settle(gateway, it, updates))
    assert updates[0].state is PayState.UNKNOWN and "500" in updates[0].message  # never shown as paid
    assert outcome.state is PayState.CANCELLED and outcome.raw_code == "not_found"
    with pytest.raises(GatewayError, match="500"):  # Stripe replays a saved 500 for the same key
        arun(gateway.pay(it))
    assert sim.intents == {} and sim.charges == {}


def test_a_stripe_500_on_process_leaves_the_amount_off_the_reader_and_is_cancelled(
    sim: stripe_sim.Sim, gateway: StripeTerminalGateway, arun: Any
) -> None:
    sim.fail_next("/process_payment_intent")
    it = intent("tmr_sim_pays")
    updates: list[Outcome] = []
    outcome = arun(fast_settle(gateway, it, updates, give_up_after=0.4))
    assert "not showing this payment" in updates[1].message
    assert outcome.state is PayState.CANCELLED and sim.charges == {}
    assert sim.intents_for(it.request_id)[0]["status"] == "canceled"


def test_a_reader_that_drops_offline_mid_payment_is_said_so_and_the_payment_cancelled(
    sim: stripe_sim.Sim, gateway: StripeTerminalGateway, arun: Any
) -> None:
    it = intent("tmr_sim_never")
    assert arun(gateway.pay(it)).state is PayState.PENDING
    sim.set_scenario("tmr_sim_never", "offline")
    waiting = arun(gateway.query(it.request_id))
    assert waiting.state is PayState.PENDING and "offline" in waiting.message
    assert arun(gateway.cancel(it.request_id)).state is PayState.CANCELLED
    assert sim.intents_for(it.request_id)[0]["status"] == "canceled"


def test_no_key_reaches_the_log(
    sim: stripe_sim.Sim, gateway: StripeTerminalGateway, arun: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    it = intent("tmr_sim_cut")
    arun(fast_settle(gateway, it))
    arun(gateway.refund(it.request_id, "ref-1", Money(100, "USD")))
    arun(fast_settle(gateway, intent("tmr_sim_never"), give_up_after=0.2))
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "did not answer" in text  # the cut was logged...
    assert sim.secret_key not in text and sim.webhook_secret not in text  # ...and no key with it


def test_the_same_request_id_twice_creates_one_payment_intent_and_one_reader_action(
    sim: stripe_sim.Sim, gateway: StripeTerminalGateway, arun: Any
) -> None:
    it = intent("tmr_sim_never")
    first = arun(gateway.pay(it))
    restarted = gateway_for(sim)  # the second try comes from a restarted app with nothing in memory
    try:
        second = arun(restarted.pay(it))
    finally:
        arun(restarted.aclose())
    assert first.state is second.state is PayState.PENDING
    assert first.transaction_id == second.transaction_id
    assert len(sim.intents_for(it.request_id)) == 1
    assert sum(1 for call in sim.calls if call[1].endswith("/process_payment_intent")) == 1
    # The same request id for another amount is a bug of ours: Stripe refuses it instead of charging.
    with pytest.raises(GatewayError, match="idempotent"):
        arun(gateway.pay(intent("tmr_sim_never", 999, request_id=it.request_id)))


def test_a_card_presented_with_stripes_test_helper_decides_the_payment(
    sim: stripe_sim.Sim, gateway: StripeTerminalGateway, arun: Any
) -> None:
    it = intent("tmr_sim_never")
    assert arun(gateway.pay(it)).state is PayState.PENDING

    async def present() -> httpx.Response:  # what Stripe's test helper does on its simulated reader
        async with httpx.AsyncClient(base_url=sim.base_url) as client:
            return await client.post(
                "/v1/test_helpers/terminal/readers/tmr_sim_never/present_payment_method",
                data={"type": "card_present", "card_present[number]": "4000000000000002"},
                headers={"Authorization": f"Bearer {sim.secret_key}"},
            )

    response = arun(present())
    assert response.status_code == 200 and response.json()["action"]["status"] == "failed"
    outcome = arun(gateway.query(it.request_id))
    assert (outcome.state, outcome.message) == (PayState.FAILED, "Your card was declined.")


def test_refund_part_then_the_rest_then_nothing_more(
    sim: stripe_sim.Sim, gateway: StripeTerminalGateway, arun: Any
) -> None:
    it = intent("tmr_sim_pays", 1000)
    assert arun(fast_settle(gateway, it)).state is PayState.PAID
    part = arun(gateway.refund(it.request_id, "ref-1", Money(300, "USD"), "cold noodles"))
    assert part.state is PayState.PAID and part.transaction_id in sim.refunds
    assert arun(gateway.refund(it.request_id, "ref-1", Money(300, "USD"), "cold noodles")) == part  # retried
    rest = arun(gateway.refund(it.request_id, "ref-2", Money(700, "USD")))
    assert rest.state is PayState.PAID
    [pi] = sim.intents_for(it.request_id)
    assert sim.charges[pi["latest_charge"]]["amount_refunded"] == 1000 and len(sim.refunds) == 2
    more = arun(gateway.refund(it.request_id, "ref-3", Money(1, "USD")))
    assert more.state is PayState.FAILED and "already been refunded" in more.message


def test_a_refund_larger_than_what_is_left_is_refused(
    sim: stripe_sim.Sim, gateway: StripeTerminalGateway, arun: Any
) -> None:
    it = intent("tmr_sim_pays", 1000)
    arun(fast_settle(gateway, it))
    refused = arun(gateway.refund(it.request_id, "ref-big", Money(1001, "USD")))
    assert refused.state is PayState.FAILED and "greater than unrefunded" in refused.message
    assert sim.refunds == {}


def test_webhooks_verify_and_forged_ones_are_refused(
    sim: stripe_sim.Sim, gateway: StripeTerminalGateway, arun: Any
) -> None:
    it = intent("tmr_sim_pays")
    arun(fast_settle(gateway, it))
    [paid] = [d for d in sim.deliveries if d.type == "payment_intent.succeeded"]
    request_id, outcome = gateway.verify_callback(paid.headers, paid.body)
    assert (request_id, outcome.state) == (it.request_id, PayState.PAID)

    forged = paid.body.replace(b'"amount": 1250', b'"amount": 1')
    with pytest.raises(SignatureError, match="does not match"):
        gateway.verify_callback(paid.headers, forged)
    stale = {"Stripe-Signature": sim.sign(paid.body, timestamp=int(time.time()) - 301)}
    with pytest.raises(SignatureError, match="300 s"):
        gateway.verify_callback(stale, paid.body)
    other_key = {"Stripe-Signature": sim.sign(paid.body, secret="whsec_someone_else")}
    with pytest.raises(SignatureError):
        gateway.verify_callback(other_key, paid.body)
    with pytest.raises(SignatureError, match="no Stripe-Signature"):
        gateway.verify_callback({}, paid.body)


def test_a_duplicate_webhook_verifies_twice_to_the_same_result(
    sim: stripe_sim.Sim, gateway: StripeTerminalGateway, arun: Any
) -> None:
    it = intent("tmr_sim_duplicate")
    arun(fast_settle(gateway, it))
    twice = [d for d in sim.deliveries if d.type == "payment_intent.succeeded"]
    assert len(twice) == 2 and twice[0].event_id == twice[1].event_id
    first, second = (gateway.verify_callback(d.headers, d.body) for d in twice)
    assert first == second and first[1].state is PayState.PAID and first[0] == it.request_id


def test_a_decline_webhook_names_the_request_and_the_reason(
    sim: stripe_sim.Sim, gateway: StripeTerminalGateway, arun: Any
) -> None:
    it = intent("tmr_sim_insufficient")
    arun(fast_settle(gateway, it))
    for delivery in sim.deliveries:  # the PaymentIntent event and the reader's action event say the same
        request_id, outcome = gateway.verify_callback(delivery.headers, delivery.body)
        assert (request_id, outcome.state) == (it.request_id, PayState.FAILED)
        assert outcome.message == "Your card has insufficient funds."


def test_an_offline_reader_fails_at_once_with_a_sentence_and_leaves_nothing_open(
    sim: stripe_sim.Sim, gateway: StripeTerminalGateway, arun: Any
) -> None:
    it = intent("tmr_sim_offline")
    outcome = arun(fast_settle(gateway, it))
    assert (
        outcome.state is PayState.FAILED
        and "offline" in outcome.message
        and "tmr_sim_offline" in outcome.message
    )
    [pi] = sim.intents_for(it.request_id)
    assert pi["status"] == "canceled"


def test_the_counter_sees_each_readers_state(
    sim: stripe_sim.Sim, gateway: StripeTerminalGateway, arun: Any
) -> None:
    it = intent("tmr_sim_never")
    pending = arun(gateway.pay(it))
    readers = {r.id: r for r in arun(gateway.readers())}
    assert (readers["tmr_sim_offline"].status, readers["tmr_sim_pays"].status) == ("offline", "online")
    busy = readers["tmr_sim_never"]
    assert (busy.action, busy.payment_intent) == ("in_progress", pending.transaction_id)
    arun(gateway.cancel(it.request_id))
    assert {r.id: r.action for r in arun(gateway.readers())}["tmr_sim_never"] is None


def test_a_wrong_secret_key_is_a_gateway_error_not_a_decline(sim: stripe_sim.Sim, arun: Any) -> None:
    wrong = make(
        sim.gateway_settings, {"payments.stripe.secret_key": "sk_test_wrong"}.get, base_url=sim.base_url
    )
    try:
        with pytest.raises(GatewayError, match="401"):
            arun(wrong.pay(intent("tmr_sim_pays")))
    finally:
        arun(wrong.aclose())
    assert sim.intents == {}


def test_query_of_a_request_stripe_never_saw_is_no_payment(gateway: StripeTerminalGateway, arun: Any) -> None:
    outcome = arun(gateway.query("pay-never-sent"))
    assert outcome.state is PayState.CANCELLED and outcome.raw_code == "not_found"


def test_the_events_are_stripe_events(sim: stripe_sim.Sim, gateway: StripeTerminalGateway, arun: Any) -> None:
    arun(fast_settle(gateway, intent("tmr_sim_pays")))
    kinds = [json.loads(d.body)["type"] for d in sim.deliveries]
    assert kinds == ["payment_intent.succeeded", "terminal.reader.action_succeeded"]


def test_webhooks_are_posted_to_the_apps_listener_and_verify_there(arun: Any) -> None:
    from aiohttp import web

    received: list[tuple[dict[str, str], bytes]] = []

    async def listener(request: web.Request) -> web.Response:
        received.append((dict(request.headers), await request.read()))
        return web.Response(text="ok")

    async def serve() -> tuple[web.AppRunner, str]:
        app = web.Application()
        app.router.add_post("/hooks/stripe", listener)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return runner, f"http://127.0.0.1:{port}/hooks/stripe"

    runner, url = arun(serve())
    sim = arun(stripe_sim.start(webhook_url=url))
    gateway = gateway_for(sim)
    try:
        it = intent("tmr_sim_duplicate")
        assert arun(fast_settle(gateway, it)).state is PayState.PAID

        async def all_delivered() -> None:
            while len(received) < len(sim.deliveries):
                await asyncio.sleep(0.02)

        arun(all_delivered())
        results = {gateway.verify_callback(headers, body) for headers, body in received}
        assert len(received) == 4  # two events, each delivered twice
        assert {(rid, o.state) for rid, o in results} == {
            (it.request_id, PayState.PAID),
            (it.request_id, PayState.PENDING),
        }
    finally:
        arun(gateway.aclose())
        arun(sim.stop())
        arun(runner.cleanup())
