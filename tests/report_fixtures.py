"""A fixed business day of orders, driven through the real lifecycle, with hand-computed report figures.

Store: Asia/Shanghai (UTC+8), business day cut-off 04:00, late threshold 20 minutes.
Business day 2026-03-10 runs 2026-03-10 04:00 -> 2026-03-11 04:00 local.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from posapp.domain.lifecycle import Action
from posapp.domain.order import LineItem, Modifier, Payment, Totals
from posapp.services.reports import ReportOptions
from posapp.store import orders as repo
from posapp.store.db import Database
from posapp.store.tables import AuditRow
from tests.factories import make_order

TZ = ZoneInfo("Asia/Shanghai")
DAY = date(2026, 3, 10)
OPTIONS = ReportOptions(tz=TZ, cutoff=time(4, 0), late_prep_minutes=20, currency="CNY")


def local(day: int, hour: int, minute: int = 0, month: int = 3) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=TZ)


def put(
    db: Database,
    *,
    platform: str,
    placed: datetime,
    total: int,
    steps: Sequence[tuple[Action, int]] = (),
    reason: str | None = None,
    items: tuple[LineItem, ...] = (LineItem("米饭", 1, 200),),
    currency: str = "CNY",
    payment: str = "online",
    commission: int | None = None,
    payout: int | None = None,
    discount: int = 0,
    delivery_fee: int = 0,
    packaging_fee: int = 0,
    tip: int = 0,
    tax: int = 0,
    due: datetime | None = None,
    by: str = "kitchen",
) -> int:
    """Store one order placed at ``placed`` and apply ``steps`` (action, minutes after placing)."""
    order = make_order(
        platform=platform,
        placed_at=placed,
        due_at=due,
        items=items,
        currency=currency,
        payment=Payment(payment, True),
        totals=Totals(
            subtotal=total - delivery_fee - packaging_fee - tip - tax + discount,
            total=total,
            discount=discount,
            delivery_fee=delivery_fee,
            packaging_fee=packaging_fee,
            tip=tip,
            tax=tax,
            commission=commission,
            payout=payout,
        ),
    )

    def work(session) -> int:  # type: ignore[no-untyped-def]
        order_id, _ = repo.insert_order(session, order, now=placed, by="platform")
        for action, minutes in steps:
            needs_reason = action in (Action.CANCEL, Action.REJECT)
            repo.apply_action(
                session,
                order_id,
                action,
                now=placed + timedelta(minutes=minutes),
                by=by,
                reason=reason if needs_reason else None,
            )
        return order_id

    return db.call(work)


DONE = (Action.ACCEPT, Action.START, Action.READY, Action.COMPLETE)


def flow(ready_after: int, accept_after: int = 0) -> list[tuple[Action, int]]:
    return [
        (Action.ACCEPT, accept_after),
        (Action.START, accept_after),
        (Action.READY, accept_after + ready_after),
        (Action.COMPLETE, accept_after + ready_after + 1),
    ]


def build_day(db: Database) -> dict[str, int]:
    """The fixed day; returns the ids of orders the tests refer to."""
    ids = {}
    ids["mt1"] = put(
        db,
        platform="meituan",
        placed=local(10, 12),
        total=5000,
        delivery_fee=500,
        commission=900,
        steps=[(Action.ACCEPT, 1), (Action.START, 1), (Action.READY, 11), (Action.COMPLETE, 12)],
        items=(LineItem("宫保鸡丁", 2, 2000, modifiers=(Modifier("大份", 1, 500),)),),
    )
    # 01:30 on the 11th is still business day the 10th (cut-off 04:00): the day crosses midnight.
    ids["mt2"] = put(
        db,
        platform="meituan",
        placed=local(11, 1, 30),
        total=3000,
        tip=200,
        commission=600,
        payout=2300,
        steps=flow(20, accept_after=1),
        items=(LineItem("宫保鸡丁", 1, 2000), LineItem("Iced Lemon Tea", 3, 395)),
    )
    ids["el1"] = put(
        db,
        platform="eleme",
        placed=local(10, 18),
        total=4000,
        discount=500,
        packaging_fee=100,
        steps=flow(30),  # 30 minutes: beyond the 20-minute threshold -> late
        items=(LineItem("麻婆豆腐", 1, 1800),),
    )
    ids["el2"] = put(
        db,
        platform="eleme",
        placed=local(10, 19),
        total=2500,
        steps=[(Action.ACCEPT, 1), (Action.CANCEL, 5)],
        reason="customer cancelled",
        items=(LineItem("宫保鸡丁", 5, 2000),),
    )
    ids["mt3"] = put(
        db,
        platform="meituan",
        placed=local(10, 20),
        total=1800,
        steps=[(Action.REJECT, 2)],
        reason="sold out",
    )
    ids["cash"] = put(
        db,
        platform="manual",
        placed=local(10, 13),
        total=1500,
        payment="cash",
        due=local(10, 13, 4),  # ready at 13:05: after due -> late
        steps=flow(5),
        items=(LineItem("米饭", 2, 200),),
        by="cashier",
    )
    ids["card"] = put(
        db,
        platform="manual",
        placed=local(10, 13, 30),
        total=2200,
        payment="card",
        steps=flow(15),
        items=(LineItem("米饭", 1, 200), LineItem("麻婆豆腐", 1, 1800)),
        by="cashier",
    )
    # Neighbours that must NOT count: 04:30 on the 11th (next business day), 03:59 on the 10th (previous).
    ids["next"] = put(db, platform="meituan", placed=local(11, 4, 30), total=9999, steps=flow(10))
    ids["prev"] = put(db, platform="meituan", placed=local(10, 3, 59), total=8888, steps=flow(10))
    # Same weekday last week, for the comparison.
    ids["lastweek"] = put(db, platform="meituan", placed=local(3, 12), total=4000, steps=flow(10))
    refund(db, ids["mt1"], 1000, "cold food", at=local(10, 21))
    refund(db, ids["next"], 500, "not in this day", at=local(11, 5))
    return ids


def refund(db: Database, order_id: int, amount: int, reason: str, *, at: datetime) -> None:
    """What ReportService.mark_refund stores, written directly (sync) for fixtures."""

    def work(session) -> None:  # type: ignore[no-untyped-def]
        repo.add_event(session, order_id, "refund", now=at, by="manager", reason=reason)
        session.add(
            AuditRow(
                at=at,
                by="manager",
                action="refund",
                order_id=order_id,
                detail=json.dumps({"amount": amount, "currency": "CNY", "reason": reason}),
            )
        )

    db.call(work)
