"""The gateways' settlement files matched to our payments, in the payouts' reconciliation: Alipay's 业务明细 with its
"#" lines, WeChat Pay's 交易账单 with backquoted cells, a REVOKED line and its summary, and a Stripe itemized
report that names payments only by PaymentIntent id. Business day 2026-03-10 (Asia/Shanghai, cut-off 04:00).

By hand:
  alipay P-A1 42.00, refunded 12.00:  paid 42.00 (PAID) and -12.00 (REFUND)
  alipay P-A2 26.00:                  paid 25.00 (SHORT, -1.00)
  alipay P-A3 30.00:                  not on the file (MISSING)
  alipay P-ZZ on the file, 9.00:      not one of our payments (UNKNOWN)
  wechat P-W1 31.00, refunded 5.00:   paid 31.00 (PAID, WeChat's fee apart), -5.00 (REFUND); P-W2 REVOKED: no line
  stripe P-S1 18.00 fee 0.54:         net 17.46 expected, 17.46 paid (PAID)
  stripe P-S2 25.00 fee 0.73, -5.00:  net 24.27 expected and paid (PAID), -5.00 (REFUND)
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy.orm import Session

from posapp.domain.payouts import Outcome
from posapp.reports.statements import parse_statement
from posapp.services.payouts import PayoutService
from posapp.services.reports import ReportService
from posapp.store import payments as store
from posapp.store.db import Database
from tests.report_fixtures import OPTIONS, local, put

NOW = datetime(2026, 3, 12, 2, 0, tzinfo=UTC)

ALIPAY = """#支付宝业务明细查询
#账号：[20880000000000000156]
#起始日期：[2026年03月10日 00:00:00]   终止日期：[2026年03月11日 00:00:00]
#-----------------------------------------业务明细列表----------------------------------------
支付宝交易号,商户订单号,业务类型,商品名称,创建时间,完成时间,门店编号,门店名称,操作员,终端号,对方账户,订单金额（元）,商家实收（元）,支付宝红包（元）,集分宝（元）,支付宝优惠（元）,商家优惠（元）,券核销金额（元）,券名称,商家红包消费金额（元）,卡消费金额（元）,退款批次号/请求号,服务费（元）,分润（元）,备注
2026031022001400001\t,P-A1\t,交易,面,2026-03-10 12:00:01,2026-03-10 12:00:03,,,,,b***@x.com,42.00,42.00,0.00,0.00,0.00,0.00,0.00,,0.00,0.00,,-0.25,0.00,
2026031022001400001\t,P-A1\t,退款,面,2026-03-10 18:00:00,2026-03-10 18:00:01,,,,,b***@x.com,-12.00,-12.00,0.00,0.00,0.00,0.00,0.00,,0.00,0.00,R1,0.07,0.00,
2026031022001400002\t,P-A2\t,交易,饭,2026-03-10 13:00:01,2026-03-10 13:00:02,,,,,c***@x.com,26.00,25.00,0.00,0.00,0.00,0.00,0.00,,0.00,0.00,,-0.15,0.00,
2026031022001400009\t,P-ZZ\t,交易,茶,2026-03-10 15:00:01,2026-03-10 15:00:02,,,,,d***@x.com,9.00,9.00,0.00,0.00,0.00,0.00,0.00,,0.00,0.00,,-0.05,0.00,
#-----------------------------------------业务明细列表结束------------------------------------
#交易合计：3笔，商家实收共：76.00元
#退款合计：1笔，商家实收共：-12.00元
#导出时间：[2026年03月11日 09:14:13]
"""

WECHAT_HEADER = (
    "交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,"
    "货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,"
    "商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注"
)


def _wechat_row(at: str, out_trade_no: str, status: str, settle: str, refund: str, fee: str) -> str:
    cells = [
        at,
        "wx8888888888888888",
        "1900000109",
        "0",
        "",
        "4200000001",
        out_trade_no,
        "oUpF8uM",
        "MICROPAY",
    ]
    cells += [
        status,
        "OTHERS",
        "CNY",
        settle,
        "0.00",
        "0",
        "0",
        refund,
        "0.00",
        "",
        "",
        "面",
        "",
        fee,
        "0.60%",
    ]
    cells += [settle, refund, ""]
    return ",".join("`" + c for c in cells)


WECHAT = "\n".join(
    [
        WECHAT_HEADER,
        _wechat_row("2026-03-10 19:30:02", "P-W1", "SUCCESS", "31.00", "0.00", "0.19"),
        _wechat_row("2026-03-10 20:10:00", "P-W1", "REFUND", "0.00", "5.00", "-0.03"),
        _wechat_row("2026-03-10 20:30:00", "P-W2", "REVOKED", "15.00", "0.00", "0.00"),
        "总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额",
        "`2,`31.00,`5.00,`0.00,`0.16,`31.00,`5.00",
    ]
)

STRIPE = """balance_transaction_id,created_utc,currency,gross,fee,net,reporting_category,payment_intent_id,description
txn_1,2026-03-10 12:00:05,usd,18.00,0.54,17.46,charge,pi_1,
txn_2,2026-03-10 13:00:00,usd,25.00,0.73,24.27,charge,pi_2,
txn_3,2026-03-10 14:00:00,usd,-5.00,0.00,-5.00,refund,pi_2,
"""

PAYMENTS = [
    # request id, gateway, currency, amount, fee, transaction id, paid at, refunded
    ("P-A1", "alipay", "CNY", 4200, None, "2026031022001400001", local(10, 12), 1200),
    ("P-A2", "alipay", "CNY", 2600, None, "2026031022001400002", local(10, 13), 0),
    ("P-A3", "alipay", "CNY", 3000, None, "2026031022001400003", local(10, 14), 0),
    ("P-W1", "wechat", "CNY", 3100, None, "4200000001", local(10, 19, 30), 500),
    ("P-S1", "stripe", "USD", 1800, 54, "pi_1", local(10, 20), 0),
    ("P-S2", "stripe", "USD", 2500, 73, "pi_2", local(10, 21), 500),
]


def _seed(db: Database) -> None:
    for row in PAYMENTS:
        order_id = put(db, platform="manual", placed=row[6], total=row[3], currency=row[2], payment="unpaid")
        db.call(lambda s, row=row, order_id=order_id: _payment(s, row, order_id))


def _payment(session: Session, row: tuple[Any, ...], order_id: int) -> None:
    rid, gateway, currency, amount, fee, txn, at, refunded = row
    record = store.add(
        session,
        request_id=rid,
        order_id=order_id,
        order_key=f"manual:{order_id}",
        gateway=gateway,
        method="scan_code",
        amount=amount,
        currency=currency,
        reader_id=None,
        now=at,
    )
    store.record(session, rid, state="paid", now=at, transaction_id=txn, fee=fee)
    if refunded:
        store.add_refund(session, record, refund_id=f"R-{rid}", amount=refunded, by="Li", reason="x", now=at)
        store.record_refund(session, f"R-{rid}", state="paid", now=at)


@pytest.fixture
def payouts(db: Database) -> PayoutService:
    _seed(db)
    return PayoutService(db, ReportService(db, OPTIONS, clock=lambda: NOW))


def _outcomes(result: Any) -> dict[tuple[str, Outcome], tuple[int, int]]:
    return {(x.external_id, x.outcome): (x.expected, x.paid) for x in result.reconciliation.lines}


def test_alipays_trade_bill_is_matched_to_our_payments(payouts: PayoutService, arun: Any) -> None:
    data = ALIPAY.encode("gb18030")  # as Alipay's download gives it
    result = arun(
        payouts.import_bytes("alipay", "20880000000000000156_20260310.csv", data, by="Wang", currency="CNY")
    )
    assert _outcomes(result) == {
        ("P-A1", Outcome.PAID): (4200, 4200),
        ("P-A1", Outcome.REFUND): (-1200, -1200),
        ("P-A2", Outcome.SHORT): (2600, 2500),
        ("P-A3", Outcome.MISSING): (3000, 0),
        ("P-ZZ", Outcome.UNKNOWN): (0, 900),
    }
    a1 = next(x for x in result.reconciliation.lines if x.external_id == "P-A1")
    assert a1.order_id is not None and a1.display_id  # the order the payment was for


def test_wechats_bill_with_backquotes_a_revoked_line_and_its_summary(
    payouts: PayoutService, arun: Any
) -> None:
    result = arun(
        payouts.import_bytes("wechat", "All_20260310.csv", WECHAT.encode(), by="Wang", currency="CNY")
    )
    assert _outcomes(result) == {("P-W1", Outcome.PAID): (3100, 3100), ("P-W1", Outcome.REFUND): (-500, -500)}
    lines = parse_statement("wechat", "x.csv", WECHAT.encode(), currency="CNY").lines
    assert [(x.external_id, x.net, x.fees) for x in lines] == [("P-W1", 3100, 19), ("P-W1", -500, 3)]


def test_stripes_report_names_payments_by_payment_intent_and_pays_net_of_fees(
    payouts: PayoutService, arun: Any
) -> None:
    result = arun(payouts.import_bytes("stripe", "itemized.csv", STRIPE.encode(), by="Wang", currency="USD"))
    assert _outcomes(result) == {
        ("P-S1", Outcome.PAID): (1746, 1746),
        ("P-S2", Outcome.PAID): (2427, 2427),
        ("P-S2", Outcome.REFUND): (-500, -500),
    }
