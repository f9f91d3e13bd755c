"""CRM-lite: repeat customers across platforms by masked phone and name; personal fields purged on time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from posapp.domain.order import Customer
from posapp.domain.roles import Role, User
from posapp.reports.customers import customer_key
from posapp.services.customers import CustomerService
from posapp.services.reports import ReportService
from posapp.store import orders as repo
from posapp.store.db import Database
from posapp.store.tables import OrderRow
from tests.factories import make_order
from tests.report_fixtures import OPTIONS

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
MANAGER = User(1, "alice", Role.MANAGER)


def put(
    db: Database, platform: str, phone: str | None, name: str | None, *, days_ago: int, total: int = 3000
) -> int:
    order = make_order(
        platform=platform,
        placed_at=NOW - timedelta(days=days_ago),
        customer=Customer(name=name, phone_masked=phone, address="上海市徐汇区某路1号"),
        raw={"recipient_phone": phone, "recipient_name": name, "address": "上海市徐汇区某路1号"},
    )
    return db.call(lambda s: repo.insert_order(s, order, now=order.placed_at, by="platform")[0])


def test_repeat_customer_is_recognised_across_platforms(db: Database, arun: Any) -> None:
    put(db, "meituan", "138****5678", "王先生", days_ago=10)
    put(db, "meituan", "138****5678", "王先生", days_ago=3)
    put(db, "eleme", "138 **** 5678", "王先生", days_ago=1)
    put(db, "eleme", "139****0000", "李女士", days_ago=2)  # one order: not a repeat customer
    put(db, "meituan", None, "王先生", days_ago=2)  # a name alone identifies nobody
    service = CustomerService(db, clock=lambda: NOW)
    arun(service.set_note(customer_key("138****5678", "王先生") or "", "不要香菜", by=MANAGER))
    customers = arun(service.repeat_customers())
    assert len(customers) == 1
    c = customers[0]
    assert (c.name, c.phone, c.platforms, c.orders, c.note) == (
        "王先生",
        "138 **** 5678",
        ("eleme", "meituan"),
        3,
        "不要香菜",
    )
    assert c.last_order_at == NOW - timedelta(days=1)
    assert c.spent == 3 * make_order().totals.total


def test_customer_key_ignores_spacing_and_country_code() -> None:
    assert customer_key("+86 138****5678", "王先生") == customer_key("138-****-5678", " 王先生 ")
    assert customer_key(None, "王先生") is None


def test_personal_fields_are_purged_after_retention_and_figures_stay(db: Database, arun: Any) -> None:
    old = put(db, "meituan", "138****5678", "王先生", days_ago=120)
    also_old = put(db, "meituan", "138****5678", "王先生", days_ago=100)
    recent = put(db, "eleme", "139****0000", "李女士", days_ago=5)
    service = CustomerService(db, retention_days=90, clock=lambda: NOW)
    key = customer_key("138****5678", "王先生") or ""
    arun(service.set_note(key, "常客", by=MANAGER))
    day = (NOW - timedelta(days=120)).date()
    reports = ReportService(db, OPTIONS)
    before = reports.z_report_now(day - timedelta(days=1), day + timedelta(days=1))
    assert arun(service.purge()) == 2
    for order_id in (old, also_old):
        order = db.call(lambda s, i=order_id: repo.get_order(s, i))
        assert order.customer is None
        assert db.call(lambda s, i=order_id: s.get(OrderRow, i).raw) is None
    kept = db.call(lambda s: repo.get_order(s, recent))
    assert kept.customer is not None and kept.customer.phone_masked == "139****0000"
    after = reports.z_report_now(day - timedelta(days=1), day + timedelta(days=1))
    assert (after.orders, after.gross) == (before.orders, before.gross)
    assert all(c.key != key for c in arun(service.repeat_customers(min_orders=1)))
    assert arun(service.purge()) == 0  # nothing left to purge
