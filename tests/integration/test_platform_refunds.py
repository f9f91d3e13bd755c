"""Platform refunds pushed by the simulator over loopback become money on the order (partial and whole),
in the Z-report's platform money and in a statement's reconciliation."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from posapp.domain.order import OrderStatus
from posapp.domain.payouts import Outcome
from posapp.services.payouts import PayoutService
from posapp.services.reports import ReportService
from posapp.store.tables import PlatformRefundRow
from tests.integration.test_cn_platforms import Stack, stack  # noqa: F401 (the fixture)
from tests.report_fixtures import OPTIONS


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


def _yuan(fen: int) -> str:
    return f"{fen / 100:.2f}"


def test_eleme_partial_then_whole_refund_reach_the_z_report_and_the_reconciliation(
    stack: Stack,  # noqa: F811
    arun: Any,
) -> None:
    kept, ended = arun(stack.sim.emit("eleme", 2))
    a, b = (stack.order_id("eleme", o["external_id"]) for o in (kept, ended))
    assert a is not None and b is not None
    order_a, order_b = (stack.order("eleme", o["external_id"]) for o in (kept, ended))
    arun(stack.orders.accept(a))
    arun(stack.orders.accept(b))
    sim = stack.plat("eleme")
    arun(sim.refund(kept["external_id"], "3.50", "少送了米饭"))  # 部分退: the order goes on
    arun(sim.refund(ended["external_id"], "2.00"))  # 部分退, then the whole of the rest
    arun(sim.refund(ended["external_id"]))
    assert refunds(stack, a) == [(350, False)]
    assert refunds(stack, b) == [(200, False), (order_b.totals.total - 200, True)]
    assert stack.order("eleme", kept["external_id"]).status is OrderStatus.ACCEPTED
    assert stack.order("eleme", ended["external_id"]).status is OrderStatus.CANCELLED
    history = arun(stack.orders.history(a))
    assert history[-1].kind == "refunded" and history[-1].reason == "¥3.50 部分退款: 少送了米饭"

    # The Z-report of the business day: Ele.me refunded two orders, 3.50 + all of B (hand-computed).
    day = (datetime.now(OPTIONS.tz) - timedelta(hours=OPTIONS.cutoff.hour)).date()
    reports = ReportService(stack.db, OPTIONS)
    report = arun(reports.z_report(day - timedelta(days=1), day))
    assert report.payouts is not None
    assert [(r.platform, r.count, r.amount) for r in report.payouts.refunds] == [
        ("eleme", 2, 350 + order_b.totals.total)
    ]

    # Ele.me's bill lists A paid in full and its 3.50 refund as a line of its own; B, cancelled, is not on it.
    payout_a = order_a.totals.payout
    assert payout_a is not None and order_a.totals.commission is not None
    bill = (
        "账单日期,订单编号,类型,订单金额,服务费,结算金额\n"
        f"{day},{kept['external_id']},订单,{_yuan(order_a.totals.total)},"
        f"{_yuan(order_a.totals.commission)},{_yuan(payout_a)}\n"
        f"{day},{kept['external_id']},部分退单退款,-3.50,0.00,-3.50\n"
    )
    payouts = PayoutService(stack.db, reports)
    result = arun(payouts.import_bytes("eleme", "bill.csv", bill.encode("gb18030"), by="a", currency="CNY"))
    lines = {(r.outcome, r.order_id): (r.expected, r.paid) for r in result.reconciliation.lines}
    assert lines == {
        (Outcome.PAID, a): (payout_a, payout_a),
        (Outcome.REFUND, a): (-350, -350),
    }
    # Without the refund line, the bill's payout of A less 3.50 is what was expected: paid, not short.
    folded = (
        "账单日期,订单编号,类型,订单金额,服务费,结算金额\n"
        f"{day},{kept['external_id']},订单,{_yuan(order_a.totals.total)},"
        f"{_yuan(order_a.totals.commission)},{_yuan(payout_a - 350)}\n"
    )
    again = arun(payouts.import_bytes("eleme", "b2.csv", folded.encode("gb18030"), by="a", currency="CNY"))
    assert [(r.outcome, r.expected, r.paid) for r in again.reconciliation.lines] == [
        (Outcome.PAID, payout_a - 350, payout_a - 350)
    ]


def test_an_eleme_partial_return_without_an_amount_is_quarantined(stack: Stack, arun: Any) -> None:  # noqa: F811
    made = arun(stack.sim.emit("eleme"))[0]
    oid = stack.order_id("eleme", made["external_id"])
    assert oid is not None
    message = {"orderId": made["external_id"], "refundStatus": "successful", "refundType": "part"}
    reply = arun(stack.plat("eleme").post_message(33, message))
    assert reply.status_code == 200  # answered, so Ele.me stops resending; kept whole with its reason
    assert any("has no totalPrice" in r for r in stack.quarantine_reasons())
    assert refunds(stack, oid) == []
    assert stack.order("eleme", made["external_id"]).status is not OrderStatus.CANCELLED
