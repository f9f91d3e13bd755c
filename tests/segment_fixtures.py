"""Customers for the segment analysis, with a fixed clock; the expected figures are worked out by hand in
tests/unit/test_segments.py from the table below (days ago, total in fen).

  who                                     platform  orders (days ago)   each    segment
  王先生 138****5678                       meituan   5, 12, 20, 25       ¥80     high-value (4 orders, ¥320)
  李女士 138****5678 (looks alike)         meituan   3, 40               ¥40     regular
  张先生 relay 13800138000,1001            eleme     1                   ¥40     new
  张先生 relay 13800138000,1002            eleme     8, 15               ¥30     regular
  陈 13912345678 (full phone)              own       10, 45              ¥50  \\ one customer: regular,
  Chen 139 1234 5678 (full phone)          manual    2                   ¥50  /  3 orders, ¥150
  陈先生 139****5678                       meituan   50                  ¥50     new (never joined to 陈)
  赵女士 186****0001                       eleme     35, 50              ¥40     lapsing
  孙先生 150****2222                       meituan   61, 90              ¥60     lost
  not counted: 王先生's cancelled order (day 1), a name-only order (day 2)
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from posapp.domain.order import Customer, OrderStatus, Totals
from posapp.store import orders as repo
from posapp.store.db import Database
from tests.factories import make_order

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)

ROWS: list[tuple[str, str | None, str, tuple[int, ...], int]] = [
    ("meituan", "138****5678", "王先生", (5, 12, 20, 25), 8000),
    ("meituan", "138****5678", "李女士", (3, 40), 4000),
    ("eleme", "13800138000,1001", "张先生", (1,), 4000),
    ("eleme", "13800138000,1002", "张先生", (8, 15), 3000),
    ("own", "13912345678", "陈", (10, 45), 5000),
    ("manual", "139 1234 5678", "Chen", (2,), 5000),
    ("meituan", "139****5678", "陈先生", (50,), 5000),
    ("eleme", "186****0001", "赵女士", (35, 50), 4000),
    ("meituan", "150****2222", "孙先生", (61, 90), 6000),
]


def put(
    db: Database,
    platform: str,
    phone: str | None,
    name: str,
    days_ago: int,
    total: int,
    status: OrderStatus = OrderStatus.COMPLETED,
) -> int:
    order = make_order(
        platform=platform,
        placed_at=NOW - timedelta(days=days_ago),
        customer=Customer(name=name, phone_masked=phone),
        totals=Totals(subtotal=total, total=total),
        status=status,
    )
    return db.call(lambda s: repo.insert_order(s, order, now=order.placed_at, by="platform")[0])


def seed(db: Database) -> None:
    for platform, phone, name, days, total in ROWS:
        for d in days:
            put(db, platform, phone, name, d, total)
    put(db, "meituan", "138****5678", "王先生", 1, 9900, OrderStatus.CANCELLED)
    put(db, "meituan", None, "王先生", 2, 9900)
