"""The cashier's wait, the same for every gateway: pay, then while the customer confirms ask ``query`` every few
seconds, and when the gateway's time is up cancel (Alipay trade.cancel, WeChat reverse, Stripe cancel_action).

An UNKNOWN answer (network cut, gateway error) is asked again like PENDING; if it is still unknown after the
cancel, the payment stays UNKNOWN and is shown as such, and the engine's recovery asks again later. Nothing here
stores anything: the services wrap each step in a durable record (services/payments.py).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable

from posapp.payments.gateway import (
    FINAL,
    GIVE_UP_AFTER_S,
    POLL_EVERY_S,
    Gateway,
    GatewayError,
    Intent,
    Outcome,
    PayState,
)

log = logging.getLogger(__name__)

Update = Callable[[Outcome, float], None]  # (latest outcome, seconds left before we cancel)


async def settle(
    gateway: Gateway,
    intent: Intent,
    *,
    poll_every: float = POLL_EVERY_S,
    give_up_after: float = GIVE_UP_AFTER_S,
    on_update: Update | None = None,
    stop: asyncio.Event | None = None,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> Outcome:
    """Take ``intent`` to a final state if the gateway lets us within ``give_up_after`` seconds.

    ``stop`` set by the cashier's Cancel cancels at once. Returns PAID, FAILED, CANCELLED, or UNKNOWN when neither
    the queries nor the cancel got a trustworthy answer.
    """
    started = clock()

    def left() -> float:
        return max(0.0, give_up_after - (clock() - started))

    def tell(outcome: Outcome) -> None:
        if on_update is not None:
            on_update(outcome, left())

    try:
        outcome = await gateway.pay(intent)
    except GatewayError as exc:
        log.warning(
            "%s: pay %s: no trustworthy answer (%s); asking again", gateway.name, intent.request_id, exc
        )
        outcome = Outcome(PayState.UNKNOWN, message=str(exc))
    tell(outcome)
    while outcome.state not in FINAL and left() > 0 and not (stop is not None and stop.is_set()):
        await _wait(min(poll_every, left()), stop, sleep)
        if stop is not None and stop.is_set():
            break
        try:
            outcome = _keep_qr(await gateway.query(intent.request_id), outcome)
        except GatewayError as exc:
            outcome = Outcome(PayState.UNKNOWN, outcome.transaction_id, str(exc), qr_url=outcome.qr_url)
        tell(outcome)
    if outcome.state in FINAL:
        return outcome
    try:
        final = await gateway.cancel(intent.request_id)
    except GatewayError as exc:
        log.warning("%s: cancel %s: no trustworthy answer (%s)", gateway.name, intent.request_id, exc)
        final = Outcome(PayState.UNKNOWN, outcome.transaction_id, str(exc))
    tell(final)
    return final


def _keep_qr(new: Outcome, old: Outcome) -> Outcome:
    """A query answer carries no QR; the screen keeps showing the one the pay call gave."""
    if new.qr_url is None and old.qr_url is not None and new.state is PayState.PENDING:
        return Outcome(new.state, new.transaction_id, new.message, old.qr_url, new.fee, new.raw_code)
    return new


async def _wait(
    seconds: float, stop: asyncio.Event | None, sleep: Callable[[float], Awaitable[None]]
) -> None:
    if stop is None:
        await sleep(seconds)
        return
    try:
        await asyncio.wait_for(stop.wait(), timeout=seconds)
    except TimeoutError:
        pass
