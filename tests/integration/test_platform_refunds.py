"""Platform refunds pushed by the simulator over loopback become money on the order (partial and whole)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from posapp.domain.order import OrderStatus
from posapp.store.tables import PlatformRefundRow
from tests.integration.test_cn_platforms import Stack, stack  # noqa: F401 (the fixture)


def refunds(st: Stack, order_id: int) -> list[tuple[int, bool]]:
    return st.db.call(
        lambda s: [
            (r.amount, r.full)
            for r in s.scalars(select(PlatformRefundRow).where(PlatformRefundRow.order_id == order_id))
        ]
    )


def test_meituan_partial_then_whole_refund_are_kept_as_money(stack: Stack, arun: Any) -> None:  # noqa: F811
    made = arun(stack.sim.emit("meituan"))[0]
    oid = stack.order_id("meituan", made["external_id"])
    assert oid is not None
    total = stack.order("meituan", made["external_id"]).totals.total
    arun(stack.orders.accept(oid))
    arun(stack.plat("meituan").refund(made["external_id"], "3.5"))
    assert refunds(stack, oid) == [(350, False)]
    assert stack.order("meituan", made["external_id"]).status is OrderStatus.ACCEPTED  # a part refund
    history = arun(stack.orders.history(oid))
    assert history[-1].kind == "refunded" and history[-1].reason == "¥3.50 少送了"
    arun(stack.plat("meituan").refund(made["external_id"]))  # then the rest of it, and the order ends
    assert refunds(stack, oid) == [(350, False), (total - 350, True)]
    assert stack.order("meituan", made["external_id"]).status is OrderStatus.CANCELLED


def test_an_eleme_agreed_return_refunds_the_whole_order(stack: Stack, arun: Any) -> None:  # noqa: F811
    made = arun(stack.sim.emit("eleme"))[0]
    oid = stack.order_id("eleme", made["external_id"])
    assert oid is not None
    total = stack.order("eleme", made["external_id"]).totals.total
    arun(stack.plat("eleme").refund(made["external_id"]))
    assert refunds(stack, oid) == [(total, True)]
    assert stack.order("eleme", made["external_id"]).status is OrderStatus.CANCELLED
