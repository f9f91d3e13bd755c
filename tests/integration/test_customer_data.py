"""A customer's data on request, end to end on a real SQLite file: orders taken through intake (with their raw
platform payloads and head-office upload rows), a quarantined payload, a CRM note; found by phone or name,
exported as JSON, erased with a manager PIN; the retention purge through the same erase path."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from posapp.domain.order import Customer, Fulfillment, Totals
from posapp.domain.privacy import PersonalOrder
from posapp.domain.roles import Role, User
from posapp.errors import NotAllowed, NotFoundError, PinRejected
from posapp.services.auth import AuthService
from posapp.services.customers import CustomerService
from posapp.services.hub import Hub
from posapp.services.intake import IntakeService
from posapp.services.planner import JobPlanner
from posapp.services.privacy import ERASED_ACTION, PrivacyService, customer_key
from posapp.services.reports import ReportService
from posapp.services.upload import UPLOAD_KIND, Uploader
from posapp.store import audit as audit_store
from posapp.store import jobs as jobstore
from posapp.store import orders as repo
from posapp.store import privacy as store
from posapp.store.db import Database
from tests.factories import make_order
from tests.report_fixtures import OPTIONS
from tests.unit.test_auth import FAST

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
WANG_PHONE = "13812345678"  # the full number in Meituan's payload; the order keeps 138****5678
LI_PHONE = "13899995678"  # another person whose masked number looks the same
WANG_ADDRESS = "上海市徐汇区漕溪北路88号3楼"


def meituan_raw(name: str, phone: str, address: str, order_id: str) -> dict[str, Any]:
    """The fields a Meituan order push carries about the customer (connectors/meituan.py parse)."""
    return {
        "order_id": order_id,
        "recipient_name": name,
        "recipient_phone": phone,
        "recipient_address": f"{address}@#上海市徐汇区",
        "caution": f"到了打电话 {phone}",
        "detail": json.dumps([{"food_name": "宫保鸡丁", "quantity": 2, "price": 32}], ensure_ascii=False),
        "wm_poi_name": "老王面馆",
    }


class Shop:
    def __init__(self, db: Database, arun: Any) -> None:
        self.db = db
        self.arun = arun
        hub, planner = Hub(), JobPlanner()
        self.uploader = Uploader(db, hub, endpoint="http://unused", store_id="s1", token_source=lambda: None)
        self.uploader.register(planner)
        self.intake = IntakeService(db, hub, planner, clock=lambda: NOW)
        self.auth = AuthService(db, lambda: NOW, params=FAST)
        arun(self.auth.create_user("alice", Role.MANAGER, "4829", by="setup"))
        arun(self.auth.create_user("bob", Role.CASHIER, "5172", by="setup"))
        self.manager = User(1, "alice", Role.MANAGER)
        self.privacy = PrivacyService(db, self.auth, clock=lambda: NOW)
        self.customers = CustomerService(db, clock=lambda: NOW)

    def take(self, name: str, phone: str, days_ago: int, total: int, *, external_id: str) -> int:
        masked = f"{phone[:3]}****{phone[-4:]}"
        order = make_order(
            platform="meituan",
            external_id=external_id,
            placed_at=NOW - timedelta(days=days_ago),
            fulfillment=Fulfillment.DELIVERY,
            customer=Customer(
                name=name, phone_masked=masked, address=WANG_ADDRESS if "王" in name else "北京路1号"
            ),
            totals=Totals(subtotal=total, total=total),
            notes=f"到了打电话 {phone}",
            raw=meituan_raw(name, phone, WANG_ADDRESS if "王" in name else "北京路1号", external_id),
        )
        result = self.arun(self.intake.ingest(order))
        return int(result.order_id)

    def uploads(self, order_id: int) -> list[jobstore.Job]:
        return self.db.call(lambda s: jobstore.jobs_for(s, UPLOAD_KIND, order_id=order_id))


@pytest.fixture
def shop(db: Database, arun: Any) -> Shop:
    s = Shop(db, arun)
    s.wang_old = s.take("王先生", WANG_PHONE, 20, 8000, external_id="MT-1")
    s.wang_new = s.take("王先生", WANG_PHONE, 2, 6600, external_id="MT-2")
    s.li = s.take("李女士", LI_PHONE, 3, 4000, external_id="MT-3")
    # The older order's upload went to head office; the newer one's has not been sent yet.
    sent = [j.id for j in s.uploads(s.wang_old)]
    db.call(lambda x: jobstore.mark_done(x, sent, now=NOW))
    wang_body = json.dumps(meituan_raw("王先生", WANG_PHONE, WANG_ADDRESS, "MT-9"), ensure_ascii=False)
    li_body = json.dumps(meituan_raw("李女士", LI_PHONE, "北京路1号", "MT-8"), ensure_ascii=False)
    s.wang_quarantine = db.call(lambda x: repo.quarantine(x, "meituan", wang_body, "no items", now=NOW))
    s.li_quarantine = db.call(lambda x: repo.quarantine(x, "meituan", li_body, "no items", now=NOW))
    s.wang_key = customer_key(PersonalOrder(0, "meituan", "", "", NOW, "王先生", "138****5678", None, 0, ""))
    s.li_key = customer_key(PersonalOrder(0, "meituan", "", "", NOW, "李女士", "138****5678", None, 0, ""))
    arun(s.customers.set_note(s.wang_key or "", "常客 不要香菜", by=s.manager))
    return s


def test_a_phone_finds_look_alike_masked_numbers_as_two_customers_and_a_name_finds_one(shop: Shop) -> None:
    found = shop.arun(shop.privacy.find(WANG_PHONE, by=shop.manager))
    assert sorted((m.name, m.orders, m.masked) for m in found) == [("李女士", 1, True), ("王先生", 2, True)]
    by_name = shop.arun(shop.privacy.find("王先", by=shop.manager))
    assert [(m.key, m.orders, m.platforms) for m in by_name] == [(shop.wang_key, 2, ("meituan",))]
    assert shop.arun(shop.privacy.find("5678", by=shop.manager))  # the last digits find them too
    assert len(shop.arun(shop.privacy.find("王", by=shop.manager))) == 1  # a surname alone
    with pytest.raises(NotAllowed):
        shop.arun(shop.privacy.find("w", by=shop.manager))
    with pytest.raises(NotAllowed):
        shop.arun(shop.privacy.find("王先生", by=User(2, "bob", Role.CASHIER)))


def test_export_holds_orders_raw_payloads_unsent_uploads_quarantine_notes_and_audit(shop: Shop) -> None:
    doc = shop.arun(shop.privacy.export(shop.wang_key or "", by=shop.manager))
    assert doc["customer"]["names"] == ["王先生"] and doc["customer"]["phones"] == ["138****5678"]
    orders = {o["id"]: o for o in doc["orders"]}
    assert set(orders) == {shop.wang_old, shop.wang_new}
    assert orders[shop.wang_new]["raw_payload"]["recipient_phone"] == WANG_PHONE
    assert orders[shop.wang_new]["totals"]["total"] == 6600
    assert orders[shop.wang_new]["history"][0]["to"] == "new"
    # Upload rows not sent yet: the newer order's only (the older one's went to head office).
    unsent = doc["uploads_not_sent"]
    assert unsent and {u["payload"]["order_id"] for u in unsent} == {shop.wang_new}
    assert unsent[0]["payload"]["order"]["customer"]["name"] == "王先生"
    assert [q["id"] for q in doc["quarantine"]] == [shop.wang_quarantine]
    assert doc["crm_notes"][0]["note"] == "常客 不要香菜"
    assert any(a["action"] == "customer_note" for a in doc["audit"])
    text = json.dumps(doc, ensure_ascii=False)
    assert "李女士" not in text and LI_PHONE not in text  # the look-alike is another person
    exported = shop.db.call(lambda s: audit_store.entries(s, action="customer_exported"))
    assert [e.by for e in exported] == ["manager:alice"] and "王先生" not in (exported[0].detail or "")


def test_export_writes_the_file_the_manager_picked(shop: Shop, tmp_path: Any) -> None:
    path = shop.arun(shop.privacy.export_to(shop.wang_key or "", tmp_path / "wang.json", by=shop.manager))
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["format"] == "posapp-customer-data" and len(doc["orders"]) == 2


def test_erase_needs_a_manager_pin_and_a_reason_and_changes_nothing_without(shop: Shop) -> None:
    key = shop.wang_key or ""
    with pytest.raises(PinRejected):
        shop.arun(shop.privacy.erase(key, reason="customer asked", pin="0000"))
    with pytest.raises(PinRejected):
        shop.arun(shop.privacy.erase(key, reason="customer asked", pin="5172"))  # a cashier's PIN
    with pytest.raises(NotAllowed):
        shop.arun(shop.privacy.erase(key, reason="  ", pin="4829"))
    order = shop.db.call(lambda s: repo.get_order(s, shop.wang_new))
    assert order.customer is not None and order.customer.name == "王先生"


def test_erase_blanks_every_copy_keeps_the_money_and_audits_who_and_why(shop: Shop) -> None:
    reports = ReportService(shop.db, OPTIONS, clock=lambda: NOW)
    day = (NOW - timedelta(days=2)).date()
    before = reports.z_report_now(day - timedelta(days=30), day)
    uploads_before = len(shop.uploads(shop.wang_old)) + len(shop.uploads(shop.wang_new))
    result = shop.arun(shop.privacy.erase(shop.wang_key or "", reason="王先生 asked by phone", pin="4829"))
    assert (result.orders, result.quarantine, result.notes) == (2, 1, 1)
    assert result.uploads == uploads_before
    # Head office gets each erased order again, blanked, so its copy loses the customer too.
    told = [shop.uploads(i)[-1] for i in (shop.wang_old, shop.wang_new)]
    assert [j.payload["change"]["event"] for j in told] == ["personal_erased"] * 2
    assert all(j.state == "pending" and j.payload["order"]["customer"] is None for j in told)
    secrets = ("王先生", WANG_PHONE, "138****5678", "漕溪北路")
    for order_id in (shop.wang_old, shop.wang_new):
        order = shop.db.call(lambda s, i=order_id: repo.get_order(s, i))
        assert order.customer is None and order.notes is None
        assert order.totals.total in (8000, 6600)
        raw = shop.db.call(lambda s, i=order_id: store.raw_payloads(s, [i]))[order_id] or ""
        assert not any(x in raw for x in secrets), raw
        assert json.loads(raw)["wm_poi_name"] == "老王面馆"  # what is not personal stays
        for job in shop.uploads(order_id):
            text = json.dumps(job.payload, ensure_ascii=False)
            assert not any(x in text for x in secrets), text
            assert job.payload["order"]["totals"]["total"] == order.totals.total
    quarantined = {q.id: q.body for q in shop.db.call(store.quarantine_entries)}
    assert not any(x in quarantined[shop.wang_quarantine] for x in secrets)
    assert "李女士" in quarantined[shop.li_quarantine] and LI_PHONE in quarantined[shop.li_quarantine]
    li = shop.db.call(lambda s: repo.get_order(s, shop.li))
    assert li.customer is not None and li.customer.name == "李女士"
    after = reports.z_report_now(day - timedelta(days=30), day)
    assert (after.orders, after.gross) == (before.orders, before.gross)
    entries = shop.db.call(lambda s: audit_store.entries(s))
    erased = [e for e in entries if e.action == ERASED_ACTION]
    assert len(erased) == 1 and erased[0].by == "manager:alice"
    assert "asked by phone" in (erased[0].detail or "") and "王先生" not in (erased[0].detail or "")
    assert not any("138****5678|王先生" in (e.detail or "") for e in entries)  # the note's audit row
    assert shop.arun(shop.privacy.find("王先生", by=shop.manager)) == []
    with pytest.raises(NotFoundError):
        shop.arun(shop.privacy.export(shop.wang_key or "", by=shop.manager))


def test_the_retention_purge_goes_through_the_erase_path(shop: Shop) -> None:
    """Orders past retention lose their personal fields as an erasure blanks them (columns, notes, the upload
    rows' copies of the order; the raw payload dropped whole), with an audit row by "retention"."""
    purge = CustomerService(shop.db, retention_days=10, clock=lambda: NOW)
    assert shop.arun(purge.purge()) == 1  # the 20-day-old order only
    old = shop.db.call(lambda s: repo.get_order(s, shop.wang_old))
    assert old.customer is None and old.totals.total == 8000
    assert shop.db.call(lambda s: store.raw_payloads(s, [shop.wang_old])) == {shop.wang_old: None}
    assert old.notes is None
    assert all("王先生" not in json.dumps(j.payload, ensure_ascii=False) for j in shop.uploads(shop.wang_old))
    newer = shop.db.call(lambda s: repo.get_order(s, shop.wang_new))
    assert newer.customer is not None and newer.customer.name == "王先生"  # within retention: kept
    purged = shop.db.call(lambda s: audit_store.entries(s, action="purge_personal"))
    orders_row = [e for e in purged if "orders" in (e.detail or "")]
    assert (
        len(orders_row) == 1
        and orders_row[0].by == "retention"
        and "1 orders" in (orders_row[0].detail or "")
    )
    assert shop.arun(purge.purge()) == 0


def test_the_command_line_finds_exports_and_erases_with_a_manager_pin(
    shop: Shop, data_dir: Any, tmp_path: Any, capsys: Any, monkeypatch: Any
) -> None:
    import io

    from posapp.cli import main

    def run(*argv: str, pin: str = "4829") -> int:
        monkeypatch.setattr("sys.stdin", io.StringIO(pin + "\n"))
        return main(["customers", *argv, "--data-dir", str(data_dir), "--pin-stdin"])

    assert run("find", "王先生", pin="5172") == 2  # a cashier's PIN
    assert "Wrong PIN" in capsys.readouterr().err
    assert run("find", WANG_PHONE) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 and all("masked" in line for line in lines)  # 王先生 and the look-alike
    key = next(line.split("\t")[0] for line in lines if "王先生" in line)
    out = tmp_path / "wang.json"
    assert run("export", key, "--out", str(out)) == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert {o["raw_payload"]["recipient_phone"] for o in doc["orders"]} == {WANG_PHONE}
    assert run("erase", key, "--reason", "asked at the counter") == 2  # a script must say --yes
    assert run("erase", key, "--reason", "asked at the counter", "--yes") == 0
    assert "erased: 2 orders" in capsys.readouterr().out
    order = shop.db.call(lambda s: repo.get_order(s, shop.wang_new))
    assert order.customer is None and order.totals.total == 6600


def test_the_purge_goes_in_batches_and_finishes(shop: Shop, monkeypatch: Any) -> None:
    """A purge of many orders is several short transactions (the counter goes on between them)."""
    import posapp.services.privacy as privacy

    monkeypatch.setattr(privacy, "PURGE_BATCH", 2)
    purge = CustomerService(shop.db, retention_days=1, clock=lambda: NOW)
    assert shop.arun(purge.purge()) == 3  # every order of the fixture is older than a day
    rows = shop.db.call(lambda s: audit_store.entries(s, action="purge_personal"))
    batches = [e.detail or "" for e in rows if " orders, " in (e.detail or "")]
    assert sorted(d.split(" — ")[1].split(" orders")[0] for d in batches) == ["1", "2"]
    for order_id in (shop.wang_old, shop.wang_new, shop.li):
        assert shop.db.call(lambda s, i=order_id: repo.get_order(s, i)).customer is None
