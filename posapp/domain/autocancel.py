"""How long each platform waits for an accept before it cancels the order itself (auto-cancel windows).

Defaults come only from a platform's own public docs; where the docs give no number the platform has no
default countdown, and ``[platforms.<name>] auto_cancel_minutes`` in the settings gives it one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from posapp.domain.order import Order, OrderStatus


@dataclass(frozen=True, slots=True)
class CancelWindow:
    minutes: float
    source: str  # the doc the number comes from


DOCUMENTED: dict[str, CancelWindow] = {
    # "after acknowledging receipt of the webhook with a 200 response you must explicitly POST
    # /accept_pos_order or POST /deny_pos_order within 11.5 minutes. Otherwise the order will time out and
    # auto-cancel." (developer.uber.com/docs/eats/references/api/webhooks.orders-notification)
    "ubereats": CancelWindow(
        11.5, "developer.uber.com/docs/eats/references/api/webhooks.orders-notification"
    ),
}
# Searched and not found in their public API docs or SDKs (so no default, say so): Meituan's 外卖开放平台
# (order/confirm docs give no timeout), Ele.me's open API (confirmOrderLite), DoorDash's Marketplace API
# (Confirm Order answers 400 "order has expired" without saying when).
NOT_DOCUMENTED = ("meituan", "eleme", "doordash")

ALARM_LEFT = timedelta(minutes=3)  # the accept alarm sounds when a platform cancels within this
ESCALATE_LEFT = timedelta(seconds=90)  # and grows bigger and faster within this


def windows(configured: Mapping[str, float | None]) -> dict[str, timedelta]:
    """The documented windows, overridden or added by the settings (minutes; 0 or None keeps the default)."""
    out = {name: timedelta(minutes=w.minutes) for name, w in DOCUMENTED.items()}
    for name, minutes in configured.items():
        if minutes:
            out[name] = timedelta(minutes=minutes)
    return out


def time_left(order: Order, now: datetime, by_platform: Mapping[str, timedelta]) -> timedelta | None:
    """Until the platform cancels this order unless it is accepted; None when it is not waiting for an accept
    or its platform has no known window. Negative once the window has passed."""
    if order.status is not OrderStatus.NEW:
        return None
    window = by_platform.get(order.platform)
    if window is None:
        return None
    return order.placed_at + window - now
