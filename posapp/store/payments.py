"""Payments taken through a gateway and the refunds through it: rows written before each gateway call, answers
recorded after it, never a payment code or card data."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from posapp.domain.order import Order
from posapp.domain.payouts import ExpectedPayout, StatementLine
from posapp.errors import NotFoundError
from posapp.store.tables import OrderRow, PaymentRefundRow, PaymentRow

log = logging.getLogger(__name__)

SENDING = "sending"  # written and committed, the gateway not answered yet: a crash here is resolved by query
FINAL_STATES = frozenset({"paid", "failed", "cancelled"})


@dataclass(frozen=True, slots=True)
class PaymentRecord:
    """One payments row as plain values (no ORM object leaves the store)."""

    id: int
    request_id: str
    order_id: int
    order_key: str
    gateway: str
    method: str
    amount: int
    currency: str
    state: str
    transaction_id: str | None
    message: str
    raw_code: str
    qr_url: str | None
    reader_id: str | None
    fee: int | None
    refunded: int
    attempts: int
    created_at: datetime
    updated_at: datetime
    paid_at: datetime | None

    @property
    def final(self) -> bool:
        return self.state in FINAL_STATES


@dataclass(frozen=True, slots=True)
class RefundRecord:
    id: int
    refund_id: str
    payment_id: int
    request_id: str
    gateway: str
    amount: int
    currency: str
    state: str
    transaction_id: str | None
    message: str
    by: str
    reason: str
    attempts: int
    created_at: datetime
    updated_at: datetime


def _record(row: PaymentRow) -> PaymentRecord:
    return PaymentRecord(
        row.id,
        row.request_id,
        row.order_id,
        row.order_key,
        row.gateway,
        row.method,
        row.amount,
        row.currency,
        row.state,
        row.transaction_id,
        row.message,
        row.raw_code,
        row.qr_url,
        row.reader_id,
        row.fee,
        row.refunded,
        row.attempts,
        row.created_at,
        row.updated_at,
        row.paid_at,
    )


def _refund(row: PaymentRefundRow, payment: PaymentRow) -> RefundRecord:
    return RefundRecord(
        row.id,
        row.refund_id,
        row.payment_id,
        payment.request_id,
        payment.gateway,
        row.amount,
        row.currency,
        row.state,
        row.transaction_id,
        row.message,
        row.by,
        row.reason,
        row.attempts,
        row.created_at,
        row.updated_at,
    )


def add(
    session: Session,
    *,
    request_id: str,
    order_id: int,
    order_key: str,
    gateway: str,
    method: str,
    amount: int,
    currency: str,
    reader_id: str | None,
    now: datetime,
) -> PaymentRecord:
    """The row of a payment about to be sent (state ``sending``): commit it before calling the gateway."""
    row = PaymentRow(
        request_id=request_id,
        order_id=order_id,
        order_key=order_key,
        gateway=gateway,
        method=method,
        amount=amount,
        currency=currency,
        state=SENDING,
        message="",
        raw_code="",
        reader_id=reader_id,
        refunded=0,
        attempts=0,
        created_at=now,
        updated_at=now,
    )
    session.add(row)
    session.flush()
    return _record(row)


def _row(session: Session, request_id: str) -> PaymentRow:
    row = session.scalars(select(PaymentRow).where(PaymentRow.request_id == request_id)).one_or_none()
    if row is None:
        raise NotFoundError(f"No payment {request_id!r}.")
    return row


def get(session: Session, request_id: str) -> PaymentRecord:
    return _record(_row(session, request_id))


def record(
    session: Session,
    request_id: str,
    *,
    state: str,
    now: datetime,
    transaction_id: str | None = None,
    message: str = "",
    raw_code: str = "",
    qr_url: str | None = None,
    fee: int | None = None,
) -> tuple[PaymentRecord, bool]:
    """One gateway answer about the payment; returns it and whether it just became paid.

    Paid stays paid (a late answer cannot turn it into cancelled); failed or cancelled change only to paid,
    when the gateway later says the money moved. An answer without a transaction id, QR or fee keeps the ones
    an earlier answer gave."""
    row = _row(session, request_id)
    row.attempts += 1
    row.updated_at = now
    if row.state == "paid" or (row.state in FINAL_STATES and state != "paid"):
        return _record(row), False
    if row.state in FINAL_STATES:  # the gateway says the money moved after all: that is the truth
        log.warning("payment %s: %s earlier, the gateway now says paid", request_id, row.state)
    became_paid = state == "paid"
    row.state = state
    row.message = message[:500]
    row.raw_code = raw_code[:64]
    row.transaction_id = transaction_id or row.transaction_id
    row.qr_url = qr_url or row.qr_url
    row.fee = fee if fee is not None else row.fee
    if became_paid:
        row.paid_at = now
    return _record(row), became_paid


def for_order(session: Session, order_id: int) -> list[PaymentRecord]:
    stmt = select(PaymentRow).where(PaymentRow.order_id == order_id).order_by(PaymentRow.id)
    return [_record(r) for r in session.scalars(stmt)]


def unresolved(session: Session) -> list[PaymentRecord]:
    """Payments no trustworthy answer has finished: sending, pending, unknown (oldest first)."""
    stmt = select(PaymentRow).where(PaymentRow.state.not_in(FINAL_STATES)).order_by(PaymentRow.id)
    return [_record(r) for r in session.scalars(stmt)]


def paid_for_order(session: Session, order_id: int) -> PaymentRecord | None:
    """The order's gateway payment that is paid or may still become paid (none: it may be charged)."""
    for p in for_order(session, order_id):
        if p.state not in ("failed", "cancelled") and not (p.state == "paid" and p.refunded >= p.amount):
            return p
    return None


# -- orders --------------------------------------------------------------------------------------------
def find_order(session: Session, platform: str, external_id: str) -> OrderRow | None:
    stmt = select(OrderRow).where(OrderRow.platform == platform, OrderRow.external_id == external_id)
    return session.scalars(stmt).one_or_none()


def mark_order_paid(session: Session, order_id: int, method: str, *, now: datetime) -> None:
    """The order is paid with ``method`` (what cash-up and the reports read): a change on the screens' feed."""
    row = session.get(OrderRow, order_id)
    if row is None:
        raise NotFoundError(f"order {order_id} does not exist")
    row.payment_method = method
    row.paid = True
    row.updated_at = now


# -- refunds -------------------------------------------------------------------------------------------
def reserved_for_refunds(session: Session, payment_id: int) -> int:
    """What refunds of this payment hold: confirmed, or asked and not refused (so two at once cannot
    together exceed what was paid)."""
    stmt = select(func.coalesce(func.sum(PaymentRefundRow.amount), 0)).where(
        PaymentRefundRow.payment_id == payment_id, PaymentRefundRow.state != "failed"
    )
    return int(session.scalar(stmt) or 0)


def add_refund(
    session: Session,
    payment: PaymentRecord,
    *,
    refund_id: str,
    amount: int,
    by: str,
    reason: str,
    now: datetime,
) -> RefundRecord:
    row = PaymentRefundRow(
        refund_id=refund_id,
        payment_id=payment.id,
        amount=amount,
        currency=payment.currency,
        state=SENDING,
        message="",
        by=by,
        reason=reason,
        attempts=0,
        created_at=now,
        updated_at=now,
    )
    session.add(row)
    session.flush()
    return _refund(row, _row(session, payment.request_id))


def record_refund(
    session: Session,
    refund_id: str,
    *,
    state: str,
    now: datetime,
    transaction_id: str | None = None,
    message: str = "",
) -> tuple[RefundRecord, bool]:
    """The gateway's answer about a refund; returns it and whether it just completed (the money went back,
    added to the payment's ``refunded``)."""
    row = session.scalars(
        select(PaymentRefundRow).where(PaymentRefundRow.refund_id == refund_id)
    ).one_or_none()
    if row is None:
        raise NotFoundError(f"No refund {refund_id!r}.")
    payment = session.get(PaymentRow, row.payment_id)
    assert payment is not None
    if row.state in ("paid", "failed"):
        return _refund(row, payment), False
    row.attempts += 1
    row.updated_at = now
    row.state = state
    row.message = message[:500]
    row.transaction_id = transaction_id or row.transaction_id
    done = state == "paid"
    if done:
        payment.refunded += row.amount
        payment.updated_at = now
    return _refund(row, payment), done


def refunds_for(session: Session, payment_ids: Iterable[int]) -> list[RefundRecord]:
    ids = list(payment_ids)
    if not ids:
        return []
    stmt = (
        select(PaymentRefundRow, PaymentRow)
        .join(PaymentRow, PaymentRefundRow.payment_id == PaymentRow.id)
        .where(PaymentRefundRow.payment_id.in_(ids))
        .order_by(PaymentRefundRow.id)
    )
    return [_refund(r, p) for r, p in session.execute(stmt)]


def unresolved_refunds(session: Session) -> list[RefundRecord]:
    stmt = (
        select(PaymentRefundRow, PaymentRow)
        .join(PaymentRow, PaymentRefundRow.payment_id == PaymentRow.id)
        .where(PaymentRefundRow.state.not_in(("paid", "failed")))
        .order_by(PaymentRefundRow.id)
    )
    return [_refund(r, p) for r, p in session.execute(stmt)]


# -- reports -------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class GatewayTotal:
    """Paid payments of a period for one (gateway, method, currency): count, amount, fees, refunded."""

    gateway: str
    method: str
    currency: str
    count: int
    amount: int
    fees: int
    fees_reported: int  # how many of them carried a fee
    refunded: int


def gateway_totals(session: Session, start: datetime, end: datetime) -> list[GatewayTotal]:
    """Payments paid in [start, end) by gateway and method; refunds counted by when they were confirmed
    are in ``gateway_refunds``."""
    p = PaymentRow
    stmt = (
        select(
            p.gateway,
            p.method,
            p.currency,
            func.count(p.id),
            func.coalesce(func.sum(p.amount), 0),
            func.coalesce(func.sum(p.fee), 0),
            func.count(p.fee),
            func.coalesce(func.sum(p.refunded), 0),
        )
        .where(p.state == "paid", p.paid_at >= start, p.paid_at < end)
        .group_by(p.gateway, p.method, p.currency)
        .order_by(p.gateway, p.method, p.currency)
    )
    return [
        GatewayTotal(str(g), str(m), str(c), int(n), int(a), int(f or 0), int(nf), int(r))
        for g, m, c, n, a, f, nf, r in session.execute(stmt)
    ]


@dataclass(frozen=True, slots=True)
class GatewayRefundTotal:
    gateway: str
    currency: str
    count: int
    amount: int


def gateway_refunds(session: Session, start: datetime, end: datetime) -> list[GatewayRefundTotal]:
    """Refunds the gateways confirmed in [start, end), by gateway."""
    r, p = PaymentRefundRow, PaymentRow
    stmt = (
        select(p.gateway, r.currency, func.count(r.id), func.coalesce(func.sum(r.amount), 0))
        .join(p, r.payment_id == p.id)
        .where(r.state == "paid", r.updated_at >= start, r.updated_at < end)
        .group_by(p.gateway, r.currency)
        .order_by(p.gateway, r.currency)
    )
    return [GatewayRefundTotal(*row) for row in session.execute(stmt)]


def with_gateway(session: Session, order: Order) -> Order:
    """``order`` with the gateway and transaction id of its paid gateway payment on ``order.payment`` (what
    the receipt prints); unchanged when a gateway took no payment for it."""
    if order.id is None or order.payment is None or not order.payment.paid:
        return order
    stmt = (
        select(PaymentRow.gateway, PaymentRow.transaction_id)
        .where(PaymentRow.order_id == order.id, PaymentRow.state == "paid")
        .order_by(PaymentRow.id.desc())
        .limit(1)
    )
    found = session.execute(stmt).first()
    if found is None:
        return order
    gateway, transaction_id = found
    return replace(order, payment=replace(order.payment, gateway=gateway, transaction_id=transaction_id))


# -- settlement ------------------------------------------------------------------------------------------
NET_OF_FEES = frozenset(
    {"stripe"}
)  # whose statement pays the amount less its fee (Alipay, WeChat: fee apart)


def _expected_payout(p: PaymentRow, display_id: str) -> ExpectedPayout:
    fee = (p.fee or 0) if p.gateway in NET_OF_FEES else 0
    return ExpectedPayout(
        order_id=p.order_id,
        platform=p.gateway,
        external_id=p.request_id,
        display_id=display_id,
        currency=p.currency,
        total=p.amount,
        expected=p.amount - fee if p.state == "paid" else 0,
        refunded=p.refunded,
    )


def expected_settlements(
    session: Session, start: datetime, end: datetime, gateways: Iterable[str]
) -> list[ExpectedPayout]:
    """Our payments through ``gateways`` paid in [start, end), as the settlement should pay them: keyed by
    our request id (the statements' 商户订单号 / out_trade_no / metadata)."""
    stmt = (
        select(PaymentRow, OrderRow.display_id)
        .join(OrderRow, PaymentRow.order_id == OrderRow.id)
        .where(
            PaymentRow.gateway.in_(list(gateways)),
            PaymentRow.state == "paid",
            PaymentRow.paid_at >= start,
            PaymentRow.paid_at < end,
        )
        .order_by(PaymentRow.paid_at, PaymentRow.id)
    )
    return [_expected_payout(p, display) for p, display in session.execute(stmt)]


def known_payments(
    session: Session, keys: Iterable[tuple[str, str]]
) -> dict[tuple[str, str], ExpectedPayout]:
    """The payments a statement names by (gateway, our request id or the gateway's transaction id), whenever
    taken, keyed by (gateway, request id)."""
    ids = sorted({ext for _, ext in keys})
    out: dict[tuple[str, str], ExpectedPayout] = {}
    for i in range(0, len(ids), 400):
        chunk = ids[i : i + 400]
        stmt = (
            select(PaymentRow, OrderRow.display_id)
            .join(OrderRow, PaymentRow.order_id == OrderRow.id)
            .where(PaymentRow.request_id.in_(chunk) | PaymentRow.transaction_id.in_(chunk))
        )
        for p, display in session.execute(stmt):
            out[(p.gateway, p.request_id)] = _expected_payout(p, display)
    return out


def by_request_id(session: Session, lines: list[StatementLine]) -> list[StatementLine]:
    """Statement lines that name a payment by the gateway's transaction id (a Stripe report without the
    request_id metadata column) renamed to our request id, so each payment is matched once."""
    ids = sorted({x.external_id for x in lines if x.external_id})
    rename: dict[tuple[str, str], str] = {}
    for i in range(0, len(ids), 400):
        chunk = ids[i : i + 400]
        stmt = select(PaymentRow.gateway, PaymentRow.transaction_id, PaymentRow.request_id).where(
            PaymentRow.transaction_id.in_(chunk)
        )
        for gateway, txn, rid in session.execute(stmt):
            if txn is not None:
                rename[(gateway, txn)] = rid
    return [
        replace(x, external_id=rename[(x.platform, x.external_id)])
        if (x.platform, x.external_id) in rename
        else x
        for x in lines
    ]
