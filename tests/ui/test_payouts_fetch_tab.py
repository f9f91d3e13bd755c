"""The Payouts tab's *Fetch from Uber Eats*: shown only for Uber Eats, it asks the simulator's Reporting API
over loopback, the signed report webhook is imported by the listener, and the tab shows the outcomes; a
failed report is one sentence on the tab and imports nothing."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import func, select

from posapp.connectors import registry
from posapp.connectors.simulator import Simulator
from posapp.domain.payouts import Outcome
from posapp.services.audit import AuditService
from posapp.services.auth import AuthService
from posapp.services.channels import ChannelService
from posapp.services.customers import CustomerService
from posapp.services.hub import Hub
from posapp.services.intake import IntakeService
from posapp.services.payout_fetch import PayoutFetch
from posapp.services.payouts import PayoutService
from posapp.services.planner import JobPlanner
from posapp.services.reports import ReportService
from posapp.store.db import Database
from posapp.store.tables import PayoutImportRow
from posapp.ui.i18n import install_language
from posapp.ui.manager.section import ManagerSection
from tests.report_fixtures import OPTIONS
from tests.ui.test_manager import FAST, Clock, type_pin
from tests.ui.test_untranslated import english_words

USD = dataclasses.replace(OPTIONS, currency="USD")


@dataclasses.dataclass
class Tab:
    section: ManagerSection
    sim: Simulator
    plat: Any

    def days(self) -> tuple[date, date]:
        placed = sorted(date.fromisoformat(str(o["placed_at"])[:10]) for o in self.plat.orders.values())
        return placed[0], placed[-1]


@pytest.fixture
def tab(db: Database, qtbot: Any, arun: Any) -> Iterator[Tab]:
    from posapp.domain.roles import Role

    clock = Clock()
    clock.now = datetime.now(UTC)
    arun(AuthService(db, clock, params=FAST).create_user("alice", Role.MANAGER, "4829", by="setup"))
    sim = Simulator(platforms=("ubereats",), seed=5)
    arun(sim.start())
    plat = sim.platforms["ubereats"]
    connector = registry.make(
        "ubereats", base_url=sim.url_for("ubereats"), app_id=plat.app_id, secret=plat.secret
    )
    connector.store_id = plat.store_id  # type: ignore[attr-defined]
    hub = Hub()
    channels = ChannelService(IntakeService(db, hub, JobPlanner()), hub, [connector])
    reports = ReportService(db, USD, clock=clock)
    payouts = PayoutService(db, reports)
    fetch = PayoutFetch(payouts, client=lambda: channels.client)
    fetch.poll_s = 0.02
    fetch.connectors = lambda: channels.connectors
    channels.report_sink = fetch.take_notice
    sim.webhook_base = f"http://127.0.0.1:{arun(channels.start_listener())}"
    section = ManagerSection(
        AuthService(db, clock, params=FAST),
        reports,
        AuditService(db),
        CustomerService(db, clock=clock),
        clock=clock,
        payouts=payouts,
        payout_fetch=fetch,
    )
    qtbot.addWidget(section)
    section.resize(1024, 768)
    section.show()
    type_pin(qtbot, section, "4829")
    qtbot.waitUntil(lambda: not section.is_locked, timeout=5000)
    assert section.payouts_page is not None
    section.view.setCurrentWidget(section.payouts_page)
    yield Tab(section, sim, plat)
    section.close()
    arun(channels.stop())
    arun(sim.stop())


def fetch_days(qtbot: Any, tab: Tab) -> None:
    page = tab.section.payouts_page
    assert page is not None
    qtbot.mouseClick(page.platform_buttons["meituan"], Qt.MouseButton.LeftButton)
    assert not page.fetch_button.isVisible()  # Meituan's statement comes as a file
    qtbot.mouseClick(page.platform_buttons["ubereats"], Qt.MouseButton.LeftButton)
    assert page.fetch_button.isVisible() and page.fetch_button.height() >= 48
    page.show_days(*tab.days())
    qtbot.mouseClick(page.fetch_button, Qt.MouseButton.LeftButton)


def test_fetch_from_uber_eats_shows_the_matched_report(db: Database, qtbot: Any, arun: Any, tab: Tab) -> None:
    made = arun(tab.sim.emit("ubereats", 3))
    page = tab.section.payouts_page
    assert page is not None
    fetch_days(qtbot, tab)
    qtbot.waitUntil(lambda: page.table.rowCount() > 0, timeout=10000)
    fee = {m["external_id"]: m["totals"]["total"] - m["totals"]["commission"] for m in made}
    earliest = min(made, key=lambda m: str(tab.plat.orders[m["external_id"]]["placed_at"]))["external_id"]
    paid = sum(v for k, v in fee.items() if k != earliest)
    assert page.figures[Outcome.SHORT].value.text() == "1 · -$1.50"
    assert page.figures[Outcome.UNKNOWN].value.text() == "1 · $9.47"
    assert page.figures[Outcome.PAID].value.text() == f"2 · ${paid // 100}.{paid % 100:02d}"
    assert "PAYMENT_DETAILS_REPORT" in page.status.text()
    assert page.fetch_button.isEnabled()
    entries = arun(AuditService(db).entries(limit=10))
    assert [e.by for e in entries if e.action == "payout_fetch"] == ["manager:alice"]


def test_a_failed_report_is_said_on_the_tab_and_nothing_is_imported(
    db: Database, qtbot: Any, arun: Any, tab: Tab
) -> None:
    arun(tab.sim.emit("ubereats", 1))
    tab.plat.report_fails = "No data available for the requested date range"
    page = tab.section.payouts_page
    assert page is not None
    fetch_days(qtbot, tab)
    qtbot.waitUntil(lambda: "Nothing was imported" in page.status.text(), timeout=10000)
    assert page.status.text() == (
        "Nothing was imported from Uber Eats: Uber Eats could not make the report: "
        "No data available for the requested date range"
    )
    assert page.table.rowCount() == 0
    assert db.call(lambda s: s.scalar(select(func.count()).select_from(PayoutImportRow))) == 0


def test_a_refused_report_is_said_in_chinese_on_the_tab(
    db: Database, qtbot: Any, arun: Any, tab: Tab, monkeypatch: Any
) -> None:
    arun(tab.sim.emit("ubereats", 1))
    good = tab.plat.payment_details

    def broken(start: date, end: date) -> bytes:  # the last line (the unknown order) pays "nine"
        *lines, unknown = good(start, end).decode().splitlines()
        return "\n".join([*lines, unknown.replace(",9.47,", ",nine,")]).encode()

    monkeypatch.setattr(tab.plat, "payment_details", broken)
    assert install_language("zh_CN") == "zh_CN"
    try:
        page = tab.section.payouts_page
        assert page is not None
        fetch_days(qtbot, tab)
        qtbot.waitUntil(lambda: "未从" in page.status.text(), timeout=10000)
        assert page.status.text() == (
            "未从 Uber Eats 导入任何内容:Uber Eats 报表未导入,未保存任何内容:第 3 行:结算金额不是数字:'nine'"
        )
        assert english_words(page.status.text()) == []
    finally:
        install_language("en")
    assert db.call(lambda s: s.scalar(select(func.count()).select_from(PayoutImportRow))) == 0
