"""Uber Eats payment details fetched by the Reporting API over loopback: simulator -> listener -> import.

The simulator answers Request Report, sends the signed eats.report.success webhook to the listener and serves
the CSV of the orders it sent (one paid short, one order we never got); the engine's side imports it through
the file import's path. A failure webhook, a bad report and a report nobody waits for any more import nothing.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, update

from posapp.connectors import registry
from posapp.connectors.simulator import Simulator
from posapp.connectors.simulator.ubereats import UNKNOWN_ORDER
from posapp.connectors.ubereats import UberEatsConnector
from posapp.domain.payouts import Outcome
from posapp.errors import ConfigError, StatementError
from posapp.services.channels import ChannelService
from posapp.services.hub import Hub
from posapp.services.intake import IntakeService
from posapp.services.payout_fetch import PayoutFetch, key_of
from posapp.services.payouts import PayoutService
from posapp.services.planner import JobPlanner
from posapp.services.reports import ReportService
from posapp.store.db import Database
from posapp.store.settings import get_setting, put_state
from posapp.store.tables import AuditRow, OrderRow, PayoutImportRow, PayoutLineRow, SettingRow
from tests.report_fixtures import OPTIONS


@dataclass
class Rig:
    db: Database
    sim: Simulator
    plat: Any
    connector: UberEatsConnector
    channels: ChannelService
    fetch: PayoutFetch

    def imports(self) -> tuple[int, int]:
        return self.db.call(
            lambda s: (
                s.scalar(select(func.count()).select_from(PayoutImportRow)) or 0,
                s.scalar(select(func.count()).select_from(PayoutLineRow)) or 0,
            )
        )

    def days(self) -> tuple[date, date]:
        placed = sorted(date.fromisoformat(str(o["placed_at"])[:10]) for o in self.plat.orders.values())
        return placed[0], placed[-1]


@pytest.fixture
def rig(db: Database, arun: Any) -> Iterator[Rig]:
    sim = Simulator(platforms=("ubereats",), seed=11)
    arun(sim.start())
    plat = sim.platforms["ubereats"]
    connector = registry.make(
        "ubereats", base_url=sim.url_for("ubereats"), app_id=plat.app_id, secret=plat.secret
    )
    assert isinstance(connector, UberEatsConnector)
    connector.store_id = plat.store_id
    hub = Hub()
    channels = ChannelService(IntakeService(db, hub, JobPlanner()), hub, [connector])
    reports = ReportService(db, dataclasses.replace(OPTIONS, currency="USD"))
    fetch = PayoutFetch(PayoutService(db, reports), client=lambda: channels.client)
    fetch.poll_s = 0.02
    channels.report_sink = fetch.take_notice
    port = arun(channels.start_listener())
    sim.webhook_base = f"http://127.0.0.1:{port}"
    yield Rig(db, sim, plat, connector, channels, fetch)
    arun(channels.stop())
    arun(sim.stop())


def test_fetched_payment_details_are_matched_paid_short_and_unknown(rig: Rig, arun: Any) -> None:
    made = arun(rig.sim.emit("ubereats", 3))
    first, last = rig.days()
    request = arun(rig.fetch.request(rig.connector, first, last, by="alice", currency="USD"))
    result = arun(rig.fetch.wait(request, 10))
    [asked] = rig.plat.report_requests  # what Uber heard: the documented body of Request Report
    assert asked == {
        "report_type": "PAYMENT_DETAILS_REPORT",
        "store_uuids": [rig.plat.store_id],
        "start_date": first.isoformat(),
        "end_date": last.isoformat(),
    }
    # Hand-computed: Uber pays each order its total less its 30 % fee; the earliest is paid $1.50 short.
    expected = {m["external_id"]: m["totals"]["total"] - m["totals"]["commission"] for m in made}
    earliest = min(made, key=lambda m: str(rig.plat.orders[m["external_id"]]["placed_at"]))["external_id"]
    got = {line.external_id: (line.outcome, line.expected, line.paid) for line in result.reconciliation.lines}
    want = {
        ext: (
            Outcome.SHORT if ext == earliest else Outcome.PAID,
            amount,
            amount - (150 if ext == earliest else 0),
        )
        for ext, amount in expected.items()
    }
    want[UNKNOWN_ORDER] = (Outcome.UNKNOWN, 0, 947)
    assert got == want
    totals = {t.outcome: (t.count, t.expected, t.paid) for t in result.reconciliation.totals}
    short = expected[earliest]
    assert totals[Outcome.SHORT] == (1, short, short - 150)
    assert totals[Outcome.PAID][0] == 2
    assert result.imported is not None and result.imported.by == "alice"
    assert "PAYMENT_DETAILS_REPORT" in result.imported.source
    assert rig.imports() == (1, 4)
    actions = rig.db.call(lambda s: list(s.scalars(select(AuditRow.action).order_by(AuditRow.id))))
    assert actions[-2:] == ["payout_fetch", "payout_import"]
    state = rig.db.call(lambda s: get_setting(s, key_of(request.workflow_id)))
    assert state["state"] == "imported" and state["imports"] == [result.imported.id]
    assert "download" not in json.dumps(state)  # the pre-signed link is never kept
    # Uber resends the webhook (no 200 seen): acknowledged, imported once.
    payload, headers = rig.plat.last_sent
    assert arun(rig.plat.send_raw(payload)) == 200
    assert rig.imports() == (1, 4)


def test_a_failed_report_says_why_and_imports_nothing(rig: Rig, arun: Any) -> None:
    arun(rig.sim.emit("ubereats", 2))
    rig.plat.report_fails = "No data available for the requested date range"
    first, last = rig.days()
    request = arun(rig.fetch.request(rig.connector, first, last, by="alice", currency="USD"))
    with pytest.raises(StatementError) as err:
        arun(rig.fetch.wait(request, 10))
    assert str(err.value) == (
        "Uber Eats could not make the report: No data available for the requested date range"
    )
    assert rig.imports() == (0, 0)


def test_a_report_with_a_bad_line_is_refused_whole(rig: Rig, arun: Any, monkeypatch: Any) -> None:
    arun(rig.sim.emit("ubereats", 2))
    good = rig.plat.payment_details

    def broken(start: date, end: date) -> bytes:
        *lines, unknown = good(start, end).decode().splitlines()  # the last line: the unknown order
        return "\n".join([*lines, unknown.replace(",9.47,", ",nine,")]).encode()

    monkeypatch.setattr(rig.plat, "payment_details", broken)
    first, last = rig.days()
    request = arun(rig.fetch.request(rig.connector, first, last, by="alice", currency="USD"))
    with pytest.raises(StatementError) as err:
        arun(rig.fetch.wait(request, 10))
    assert str(err.value) == (
        "the Uber Eats report was not imported, nothing was kept: line 4: the payout amount is not a number: "
        "'nine'"
    )
    assert rig.imports() == (0, 0)


def test_the_same_report_fetched_twice_is_refused_the_second_time(rig: Rig, arun: Any) -> None:
    arun(rig.sim.emit("ubereats", 2))
    first, last = rig.days()
    arun(rig.fetch.wait(arun(rig.fetch.request(rig.connector, first, last, by="a", currency="USD")), 10))
    again = arun(rig.fetch.request(rig.connector, first, last, by="a", currency="USD"))
    with pytest.raises(StatementError, match="nothing was kept: this statement was imported already"):
        arun(rig.fetch.wait(again, 10))
    assert rig.imports() == (1, 3)


def test_a_report_that_comes_after_the_wait_is_not_imported(rig: Rig, arun: Any) -> None:
    arun(rig.sim.emit("ubereats", 1))
    rig.plat.report_takes = 0.6
    first, last = rig.days()
    request = arun(rig.fetch.request(rig.connector, first, last, by="a", currency="USD"))
    with pytest.raises(StatementError, match="sent no report in 0 seconds, nothing was imported"):
        arun(rig.fetch.wait(request, 0.2))
    arun(asyncio.sleep(1.0))  # the webhook arrives now, to a request given up
    assert rig.imports() == (0, 0)
    assert rig.db.call(lambda s: get_setting(s, key_of(request.workflow_id)))["state"] == "abandoned"


def test_a_forged_report_webhook_is_refused(rig: Rig, arun: Any) -> None:
    body = json.dumps(
        {
            "event_type": "eats.report.success",
            "job_id": "x",
            "report_metadata": {"sections": [{"download_url": "http://127.0.0.1:9/a.csv"}]},
        }
    ).encode()
    assert arun(rig.plat.send_raw(body, signature="0" * 64)) == 401
    assert rig.imports() == (0, 0)


def test_request_refusals_are_sentences(rig: Rig, arun: Any) -> None:
    with pytest.raises(StatementError, match="at most 30 days of payment details per report"):
        arun(rig.fetch.request(rig.connector, date(2026, 3, 1), date(2026, 4, 15), by="a", currency="USD"))
    rig.connector.store_id = "someone-elses-store"
    with pytest.raises(ConfigError, match="does not let this app read the store's reports"):
        arun(rig.fetch.request(rig.connector, date(2026, 3, 1), date(2026, 3, 2), by="a", currency="USD"))
    assert rig.plat.report_requests == []


def test_posapp_payouts_fetch_on_the_command_line(
    rig: Rig, arun: Any, data_dir: Path, tmp_path: Path
) -> None:
    """The CLI in its own thread and event loop asks Uber; the listener (this loop) imports the report."""
    from posapp.cli.payouts import payouts_command
    from posapp.vault import set_secret

    arun(rig.sim.emit("ubereats", 2))
    first, last = rig.days()
    set_secret("platform.ubereats.test", rig.plat.secret)
    config = tmp_path / "posapp.toml"
    config.write_text(
        f"""
[store]
currency = "USD"
timezone = "Asia/Shanghai"

[platforms.ubereats]
enabled = true
base_url = "{rig.sim.url_for("ubereats")}"
app_id = "{rig.plat.app_id}"
secret_ref = "platform.ubereats.test"
store_id = "{rig.plat.store_id}"
""",
        encoding="utf-8",
    )
    argv = ["fetch", "ubereats", "--from", first.isoformat(), "--to", last.isoformat(), "--wait", "10"]
    argv += ["--data-dir", str(data_dir), "--config", str(config)]
    assert arun(asyncio.to_thread(payouts_command, argv)) == 0
    assert rig.imports() == (1, 3)
    refused = ["fetch", "meituan", "--from", "2026-03-01", "--to", "2026-03-02", "--data-dir", str(data_dir)]
    assert arun(asyncio.to_thread(payouts_command, refused)) == 1


def test_the_demo_engine_fetches_and_imports_the_report_from_its_simulator(tmp_path: Path) -> None:
    """The real engine (--demo, Uber Eats simulated): its listener takes the signed report webhook."""
    from posapp.engine.engine import Engine, EngineOptions
    from tests.hub_support import eventually, run_async

    async def scenario() -> None:
        options = EngineOptions(
            data_dir=tmp_path, demo=True, sim_platforms=("ubereats",), sim_prefill=3, sim_rate_per_minute=0
        )
        engine = Engine(options)
        await engine.open()
        try:
            await engine.serve()
            assert engine.demo is not None and engine.demo.simulator is not None and engine.db is not None
            plat = engine.demo.simulator.platforms["ubereats"]
            db = engine.db

            async def all_in() -> bool:
                n = db.call(lambda s: s.scalar(select(func.count()).select_from(OrderRow)))
                return len(plat.orders) == 3 and n == 3

            assert await eventually(all_in, timeout=30)
            placed = sorted(date.fromisoformat(str(o["placed_at"])[:10]) for o in plat.orders.values())
            assert engine.payout_fetch is not None
            result = await engine.payout_fetch.fetch(
                "ubereats", placed[0], placed[-1], by="manager:alice", currency="USD", timeout=20
            )
            outcomes = sorted(line.outcome for line in result.reconciliation.lines)
            assert outcomes == sorted([Outcome.PAID, Outcome.PAID, Outcome.SHORT, Outcome.UNKNOWN])
            with pytest.raises(
                ConfigError, match="^DoorDash statements cannot be fetched by API: import the file$"
            ):
                await engine.payout_fetch.fetch("doordash", placed[0], placed[-1], by="a", currency="USD")
        finally:
            await engine.stop()

    run_async(scenario(), timeout=90)


def age(db: Database, key: str, days: int) -> None:
    """The row as if last changed ``days`` ago (a request closed, or asked for, then)."""

    def work(s: Any) -> None:
        when = datetime.now(UTC) - timedelta(days=days)
        s.execute(update(SettingRow).where(SettingRow.key == key).values(updated_at=when))

    db.call(work)


def put_request(db: Database, workflow: str, state: str, days: int) -> None:
    now = datetime.now(UTC)
    db.call(lambda s: put_state(s, key_of(workflow), {"platform": "ubereats", "state": state}, now=now))
    age(db, key_of(workflow), days)


def fetch_keys(db: Database) -> list[str]:
    return db.call(
        lambda s: sorted(s.scalars(select(SettingRow.key).where(SettingRow.key.like("payouts.f%"))))
    )


def test_requests_closed_over_60_days_ago_are_dropped_and_their_statement_stays(rig: Rig, arun: Any) -> None:
    arun(rig.sim.emit("ubereats", 2))
    first, last = rig.days()
    done = arun(rig.fetch.request(rig.connector, first, last, by="a", currency="USD"))
    arun(rig.fetch.wait(done, 10))
    age(rig.db, key_of(done.workflow_id), 61)  # imported 61 days ago
    put_request(rig.db, "failed-61", "failed", 61)
    put_request(rig.db, "abandoned-61", "abandoned", 61)
    put_request(rig.db, "open-61", "requested", 61)  # its wait ended long ago: no report is taken for it
    put_request(rig.db, "failed-59", "failed", 59)
    put_request(rig.db, "open-now", "requested", 0)
    rig.db.call(lambda s: put_state(s, "payouts.fetched", {"x": 1}, now=datetime.now(UTC)))  # not a request
    age(rig.db, "payouts.fetched", 400)
    assert arun(rig.fetch.prune()) == 4
    assert fetch_keys(rig.db) == sorted([key_of("failed-59"), key_of("open-now"), "payouts.fetched"])
    assert rig.imports() == (1, 3)  # the statement fetched is kept
    assert arun(rig.fetch.prune()) == 0


def test_the_engines_day_close_drops_old_fetch_requests(tmp_path: Path) -> None:
    """The engine's upkeep (the day-close loop, at start-up and once a business day) prunes them."""
    from posapp.config import Settings
    from posapp.engine.engine import Engine, EngineOptions
    from posapp.store.db import open_database
    from tests.hub_support import eventually, run_async

    data = tmp_path / "counter"
    db = open_database(data)
    try:
        put_request(db, "old", "imported", 61)
        put_request(db, "recent", "imported", 1)
    finally:
        db.close()

    async def scenario() -> None:
        engine = Engine(EngineOptions(data_dir=data, settings=Settings(screens_port=0), listen=False))
        await engine.open()
        try:
            assert engine.db is not None
            live = engine.db

            async def pruned() -> bool:
                return await asyncio.to_thread(fetch_keys, live) == [key_of("recent")]

            assert await eventually(pruned, timeout=20)
        finally:
            await engine.stop()

    run_async(scenario(), timeout=60)
