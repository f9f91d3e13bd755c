"""Head-office upload over real loopback HTTP against the reference receiver: once, in order, visibly."""

from __future__ import annotations

import json
import os
import random
import socket
import sqlite3
from collections import defaultdict
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from posapp.domain.events import PlatformEvent, PlatformEventKind
from posapp.hq.receiver import Faults, Receiver
from posapp.services.clock import utc_now
from posapp.services.hub import Hub, Notice
from posapp.services.intake import IntakeService
from posapp.services.orders import OrderService
from posapp.services.planner import JobPlanner
from posapp.services.upload import TOKEN_REFUSED, UPLOAD_KIND, Uploader, describe_state
from posapp.store import jobs as jobstore
from posapp.store import orders as repo
from posapp.store.db import Database
from posapp.vault import set_secret
from tests.factories import make_order

TOKEN = "s3cret-upload-token"
N_BURST = int(os.environ.get("N_BURST", "1000"))
FAST = {"base_delay": 0.01, "max_delay": 0.2, "idle_poll": 0.05, "maintenance_interval": 0.05}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Counter:
    """The counter's side: services wired the way app.py wires them, plus the uploader."""

    def __init__(self, db: Database, endpoint: str, **options: Any) -> None:
        self.db = db
        self.hub = Hub()
        self.planner = JobPlanner()
        self.notices: list[Notice] = []
        self.hub.on_notice(lambda n: self.notices.append(n) if n.source == "upload" else None)
        clock = options.get("clock", utc_now)
        self.intake = IntakeService(db, self.hub, self.planner, clock=clock)
        self.orders = OrderService(db, self.hub, self.planner, clock=clock)
        opts: dict[str, Any] = {"token_source": lambda: TOKEN, "batch_size": 100, "timeout": 2.0, **FAST}
        opts.update(options)
        self.uploader = Uploader(db, self.hub, endpoint=endpoint, store_id="store-7", **opts)
        self.uploader.register(self.planner)
        self.hub.on_order(lambda _c: self.uploader.kick())

    def state(self) -> jobstore.QueueState:
        return self.db.call(lambda s: jobstore.queue_state(s, UPLOAD_KIND))

    def drained(self) -> bool:
        st = self.state()
        return st.pending == 0


@pytest.fixture
def receivers(tmp_path: Path, arun: Any) -> Iterator[Callable[..., Receiver]]:
    made: list[Receiver] = []

    def make(port: int = 0, **kwargs: Any) -> Receiver:
        receiver = Receiver(f"sqlite:///{tmp_path / 'hq.db'}", TOKEN, **kwargs)
        arun(receiver.start("127.0.0.1", port))
        made.append(receiver)
        return receiver

    yield make
    for receiver in made:
        arun(receiver.stop())
        receiver.close()


def hq_rows(tmp_path: Path) -> list[sqlite3.Row]:
    con = sqlite3.connect(tmp_path / "hq.db")
    con.row_factory = sqlite3.Row
    try:
        return con.execute("SELECT * FROM hq_changes ORDER BY id").fetchall()
    finally:
        con.close()


async def burst(counter: Counter, n: int, seed: int = 7) -> None:
    """``n`` new orders, and for some of them the kitchen's moves and the platform's events."""
    rng = random.Random(seed)
    for i in range(n):
        order = make_order(platform="demo", external_id=f"B-{seed}-{i}")
        order_id = (await counter.intake.ingest(order)).order_id
        roll = rng.random()
        if roll < 0.1:
            await counter.orders.accept(order_id, by="kitchen")
            await counter.orders.start(order_id, by="kitchen")
        elif roll < 0.15:
            await counter.intake.apply_event(
                PlatformEvent("demo", order.external_id, PlatformEventKind.RIDER, "rider assigned")
            )
            await counter.intake.apply_event(
                PlatformEvent("demo", order.external_id, PlatformEventKind.CANCELLED, "customer cancelled")
            )


def assert_exactly_once_in_order(counter: Counter, tmp_path: Path) -> int:
    """Every upload row reached head office once; per order, head office stored them in the counter's order."""
    local = counter.db.call(lambda s: jobstore.jobs_for(s, UPLOAD_KIND))
    assert local and all(j.state == jobstore.DONE for j in local)
    rows = hq_rows(tmp_path)
    assert sorted(r["key"] for r in rows) == sorted(j.payload["key"] for j in local)
    by_order: dict[str, list[sqlite3.Row]] = defaultdict(list)
    for r in rows:
        by_order[r["external_id"]].append(r)
    local_by_order: dict[str, list[str]] = defaultdict(list)
    for j in local:
        local_by_order[j.payload["order"]["external_id"]].append(j.payload["key"])
    for ext, stored in by_order.items():
        assert [r["key"] for r in stored] == local_by_order[ext], f"order {ext} out of order"
        seqs = [r["sequence"] for r in stored]
        assert seqs == sorted(seqs)
    return len(rows)


def test_burst_while_head_office_is_down_arrives_once_and_in_order_when_it_is_back(
    db: Database, tmp_path: Path, arun: Any, qtbot: Any, receivers: Callable[..., Receiver]
) -> None:
    port = free_port()
    counter = Counter(db, f"http://127.0.0.1:{port}/v1/batches")
    counter.uploader.start()
    try:
        arun(burst(counter, N_BURST), timeout=60)
        qtbot.waitUntil(lambda: counter.uploader.worker.failing_since is not None, timeout=5000)
        waiting = counter.notices[-1]
        text, level = describe_state(waiting.data, UTC)
        assert level == "warning"
        assert "changes waiting — offline since" in text and "Head office unreachable" in text
        receivers(port)
        qtbot.waitUntil(counter.drained, timeout=30000)
        assert assert_exactly_once_in_order(counter, tmp_path) > N_BURST
        qtbot.waitUntil(lambda: describe_state(counter.notices[-1].data, UTC)[0] == "✓ All synced")
    finally:
        arun(counter.uploader.stop())


def test_flaky_head_office_with_failures_and_timeouts_still_gets_each_change_once_in_order(
    db: Database, tmp_path: Path, arun: Any, qtbot: Any, receivers: Callable[..., Receiver]
) -> None:
    faults = Faults(fail_rate=0.3, timeout_rate=0.2, hang=1.0, rng=random.Random(3))
    receiver = receivers(faults=faults)
    counter = Counter(db, receiver.url, timeout=0.3, batch_size=50)
    counter.uploader.start()
    try:
        arun(burst(counter, N_BURST, seed=11), timeout=60)  # sent while the burst is still coming in
        qtbot.waitUntil(counter.drained, timeout=45000)
        count = assert_exactly_once_in_order(counter, tmp_path)
        assert count > N_BURST
        assert receiver.hangs > 0
        resent = [r for r in hq_rows(tmp_path) if r["receipts"] > 1]
        assert resent, "a timed-out batch was stored and sent again: stored once, counted twice"
    finally:
        arun(counter.uploader.stop())


def test_rejected_change_is_parked_with_its_reason_and_shown(
    db: Database, tmp_path: Path, arun: Any, qtbot: Any, receivers: Callable[..., Receiver]
) -> None:
    receiver = receivers(reject=lambda row: "unknown platform" if row["order"]["platform"] == "bad" else None)
    counter = Counter(db, receiver.url)
    counter.uploader.start()
    try:
        bad = arun(counter.intake.ingest(make_order(platform="bad", external_id="X-1"))).order_id
        good = arun(counter.intake.ingest(make_order(platform="demo", external_id="G-1"))).order_id
        qtbot.waitUntil(counter.drained, timeout=5000)
        parked = db.call(lambda s: jobstore.jobs_for(s, UPLOAD_KIND, order_id=bad))
        assert [j.state for j in parked] == [jobstore.PARKED]
        assert parked[0].last_error == "Head office rejected this change: unknown platform"
        done = db.call(lambda s: jobstore.jobs_for(s, UPLOAD_KIND, order_id=good))
        assert [j.state for j in done] == [jobstore.DONE]
        qtbot.waitUntil(
            lambda: (counter.notices[-1].data["parked"], counter.notices[-1].data["pending"]) == (1, 0)
        )
        text, level = describe_state(counter.notices[-1].data, UTC)
        assert (text, level) == (
            "1 refused by head office · Head office rejected this change: unknown platform",
            "warning",
        )
        assert counter.state().last_error == "Head office rejected this change: unknown platform"
    finally:
        arun(counter.uploader.stop())


def test_refused_token_halts_with_the_manager_message_and_a_new_token_resumes(
    db: Database, tmp_path: Path, arun: Any, qtbot: Any, receivers: Callable[..., Receiver]
) -> None:
    from posapp.vault import get_secret

    receiver = receivers()
    set_secret("hq-test-token", "wrong-token")
    counter = Counter(db, receiver.url, token_source=lambda: get_secret("hq-test-token"))
    counter.uploader.start()
    try:
        arun(counter.intake.ingest(make_order(external_id="T-1")))
        qtbot.waitUntil(lambda: counter.uploader.worker.halted is not None, timeout=5000)
        assert counter.uploader.worker.halted == TOKEN_REFUSED
        qtbot.waitUntil(lambda: counter.notices[-1].data.get("halted"))
        notice = counter.notices[-1]
        assert notice.level == "error" and notice.text == TOKEN_REFUSED
        assert describe_state(notice.data, UTC) == (f"✖ {TOKEN_REFUSED}", "error")
        assert hq_rows(tmp_path) == [] and counter.state().pending == 1
        set_secret("hq-test-token", TOKEN)  # the manager fixes it; the uploader notices by itself
        qtbot.waitUntil(counter.drained, timeout=5000)
        assert len(hq_rows(tmp_path)) == 1
    finally:
        arun(counter.uploader.stop())


def test_sync_off_sends_nothing_and_turning_it_on_sends_the_backlog(
    db: Database, tmp_path: Path, arun: Any, qtbot: Any, receivers: Callable[..., Receiver]
) -> None:
    receiver = receivers()
    counter = Counter(db, receiver.url, enabled=False)
    counter.uploader.start()
    try:
        for i in range(5):
            arun(counter.intake.ingest(make_order(external_id=f"OFF-{i}")))
        passes = counter.uploader.worker.passes
        qtbot.waitUntil(lambda: counter.uploader.worker.passes >= passes + 5, timeout=5000)
        assert receiver.requests == 0 and counter.state().pending == 5
        assert describe_state(counter.notices[-1].data, UTC) == ("Sync off", "info")
        arun(counter.uploader.set_enabled(True))
        qtbot.waitUntil(counter.drained, timeout=5000)
        assert len(hq_rows(tmp_path)) == 5
    finally:
        arun(counter.uploader.stop())


def test_uploaded_rows_are_pruned_after_the_retention_and_orders_stay(
    db: Database, tmp_path: Path, arun: Any, qtbot: Any, receivers: Callable[..., Receiver]
) -> None:
    receiver = receivers()
    later = [datetime.now(UTC)]
    counter = Counter(db, receiver.url, retention=timedelta(days=7), clock=lambda: later[0])
    counter.uploader.start()
    try:
        order_id = arun(counter.intake.ingest(make_order(external_id="P-1"))).order_id
        qtbot.waitUntil(counter.drained, timeout=5000)
        assert arun(counter.uploader.prune_once()) == 0  # uploaded just now: kept
        later[0] = later[0] + timedelta(days=8)
        assert arun(counter.uploader.prune_once()) == 1
        assert db.call(lambda s: jobstore.jobs_for(s, UPLOAD_KIND)) == []
        assert db.call(lambda s: repo.get_order(s, order_id)).external_id == "P-1"
    finally:
        arun(counter.uploader.stop())


def test_every_change_writes_one_upload_row_with_the_change_and_the_whole_order(
    db: Database, arun: Any
) -> None:
    counter = Counter(db, "http://127.0.0.1:9/unused")
    counter.intake.auto_accept.add("auto")
    manual = arun(counter.intake.ingest(make_order(platform="demo", external_id="C-1"))).order_id
    arun(counter.orders.accept(manual, by="kitchen"))
    arun(counter.intake.apply_event(PlatformEvent("demo", "C-1", PlatformEventKind.REMINDER)))
    arun(counter.intake.apply_event(PlatformEvent("demo", "C-1", PlatformEventKind.RIDER, "arrived")))
    arun(counter.intake.apply_event(PlatformEvent("demo", "C-1", PlatformEventKind.REFUND_REQUESTED, "cold")))
    arun(counter.intake.apply_event(PlatformEvent("demo", "C-1", PlatformEventKind.CANCELLED, "no rider")))
    auto = arun(counter.intake.ingest(make_order(platform="auto", external_id="A-1"))).order_id

    rows = db.call(lambda s: jobstore.jobs_for(s, UPLOAD_KIND, order_id=manual))
    changes = [
        (j.payload["change"]["event"], j.payload["change"]["from"], j.payload["change"]["to"]) for j in rows
    ]
    assert changes == [
        ("created", None, "new"),
        ("status", "new", "accepted"),
        ("reminder", None, None),
        ("rider", None, None),
        ("refund_requested", None, None),
        ("status", "accepted", "cancelled"),
    ]
    assert [j.payload["order"]["status"] for j in rows][-1] == "cancelled"
    assert rows[-1].payload["change"]["by"] == "demo" and rows[-1].payload["change"]["action"] == "cancel"
    assert rows[1].payload["change"]["by"] == "kitchen"
    assert len({j.payload["key"] for j in rows}) == len(rows)
    assert {j.lane for j in rows} == {f"hq:{manual}"}
    auto_rows = db.call(lambda s: jobstore.jobs_for(s, UPLOAD_KIND, order_id=auto))
    assert [(j.payload["change"]["event"], j.payload["change"]["by"]) for j in auto_rows] == [
        ("created", "auto"),
        ("status", "auto-accept"),
    ]
    json.dumps([j.payload for j in rows])  # canonical JSON only


def test_a_refused_transition_writes_no_upload_row(db: Database, arun: Any) -> None:
    from posapp.errors import TransitionError

    counter = Counter(db, "http://127.0.0.1:9/unused")
    order_id = arun(counter.intake.ingest(make_order(external_id="R-1"))).order_id
    with pytest.raises(TransitionError):
        arun(counter.orders.ready(order_id))
    assert len(db.call(lambda s: jobstore.jobs_for(s, UPLOAD_KIND, order_id=order_id))) == 1


def test_a_failed_row_of_one_order_holds_back_only_that_order(db: Database, arun: Any) -> None:
    counter = Counter(db, "http://127.0.0.1:9/unused")
    first = arun(counter.intake.ingest(make_order(external_id="L-1"))).order_id
    second = arun(counter.intake.ingest(make_order(external_id="L-2"))).order_id
    arun(counter.orders.accept(first))
    now = datetime.now(UTC)
    head = db.call(lambda s: jobstore.jobs_for(s, UPLOAD_KIND, order_id=first))[0]
    db.call(lambda s: jobstore.mark_failed(s, [head.id], "HTTP 503", retry_at=now + timedelta(minutes=1)))
    batch = db.call(lambda s: jobstore.due_batch(s, UPLOAD_KIND, now=now, limit=10))
    assert [j.order_id for j in batch] == [second]
