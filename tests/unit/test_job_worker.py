"""JobWorker claims: a kick that cannot find work asks the database nothing; no job is ever missed."""

from __future__ import annotations

import asyncio
import random
import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import event

from posapp.services.hub import Hub
from posapp.services.intake import IntakeService
from posapp.services.planner import JobPlanner
from posapp.services.printing import PrintService
from posapp.services.worker import JobWorker, Outcome
from posapp.store import jobs as jobstore
from posapp.store.db import Database, open_database
from posapp.store.jobs import Job
from tests.factories import make_order

KIND = "test"
NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


class JobsStatements:
    """Every SQL statement that reads or writes the jobs table, as the driver receives it."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.seen: list[str] = []

    def __call__(self, _conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if re.search(r"\bjobs\b", statement):
            self.seen.append(statement)

    def __enter__(self) -> JobsStatements:
        event.listen(self.db.engine, "before_cursor_execute", self)
        return self

    def __exit__(self, *_exc: object) -> None:
        event.remove(self.db.engine, "before_cursor_execute", self)


class Recorder:
    """A handler that remembers what it was given and fails the first ``failures`` calls."""

    def __init__(self, failures: int = 0) -> None:
        self.failures = failures
        self.handled: list[int] = []

    async def __call__(self, jobs: list[Job]) -> Outcome:
        if self.failures:
            self.failures -= 1
            return Outcome(retry={j.id: "far side down" for j in jobs})
        self.handled.extend(j.id for j in jobs)
        return Outcome(done=[j.id for j in jobs])


class FakeClock:
    """The worker's clock, moved on by the test."""

    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now


class Longest(random.Random):
    """Backoff without jitter: the whole delay, so a test knows when the retry falls due."""

    def uniform(self, a: float, b: float) -> float:
        return b


@pytest.fixture
def workers(arun: Any) -> Iterator[list[JobWorker]]:
    started: list[JobWorker] = []
    yield started
    for worker in started:
        arun(worker.stop())


def started(workers: list[JobWorker], worker: JobWorker, arun: Any, qtbot: Any) -> JobWorker:
    """Start ``worker`` and wait until its first pass (recovery, state, first claim) is over."""
    worker.start()
    workers.append(worker)
    qtbot.waitUntil(lambda: worker.passes >= 1)
    kick_and_settle(worker, arun, qtbot)  # the second pass begins only when the first has ended
    return worker


def enqueue(db: Database, lane: str = "a") -> int:
    return db.call(lambda s: jobstore.enqueue(s, KIND, "far side", {}, now=datetime.now(UTC), lane=lane))


def kick_and_settle(worker: JobWorker, arun: Any, qtbot: Any) -> None:
    """Kick, and wait for a pass it causes to finish: what that pass would claim, it has claimed.

    Kicked until a new pass begins: a kick that lands while a pass ends may be spent on that pass.
    """
    passes = worker.passes

    def kicked() -> bool:
        worker.kick()
        return worker.passes > passes

    qtbot.waitUntil(kicked)
    arun(asyncio.sleep(0.05))


def test_orders_that_queue_no_print_job_do_not_make_the_print_worker_query_the_jobs_table(
    db: Database, arun: Any, qtbot: Any, workers: list[JobWorker]
) -> None:
    hub, planner = Hub(), JobPlanner()
    printing = PrintService(db, hub, [])  # no printers: no order ever queues a ticket
    printing.register(planner)
    intake = IntakeService(db, hub, planner)
    worker = started(workers, printing.make_worker(idle_poll=60.0), arun, qtbot)
    hub.on_order(lambda _change: worker.kick())
    with JobsStatements(db) as statements:
        for _ in range(50):
            arun(intake.ingest(make_order()))
        kick_and_settle(worker, arun, qtbot)
    assert statements.seen == []  # 51 kicks, not one claim (the old worker claimed on each)


def test_a_job_added_while_idle_is_claimed_at_the_kick_not_at_the_next_poll(
    db: Database, arun: Any, qtbot: Any, workers: list[JobWorker]
) -> None:
    handler = Recorder()
    worker = started(workers, JobWorker(db, Hub(), KIND, handler, idle_poll=60.0), arun, qtbot)
    job_id = enqueue(db)
    worker.kick()
    qtbot.waitUntil(lambda: handler.handled == [job_id], timeout=2000)


def test_a_job_waiting_for_its_retry_goes_when_due_and_kicks_meanwhile_query_nothing(
    db: Database, arun: Any, qtbot: Any, workers: list[JobWorker]
) -> None:
    clock = FakeClock()
    handler = Recorder(failures=1)
    worker = JobWorker(
        db, Hub(), KIND, handler, clock=clock, idle_poll=60.0, base_delay=30, max_delay=30, rng=Longest()
    )
    started(workers, worker, arun, qtbot)
    job_id = db.call(lambda s: jobstore.enqueue(s, KIND, "far side", {}, now=clock()))
    worker.kick()
    qtbot.waitUntil(lambda: db.call(lambda s: jobstore.get_job(s, job_id)).last_error is not None)
    kick_and_settle(worker, arun, qtbot)  # the pass after the failure has looked and learned
    with JobsStatements(db) as statements:
        for _ in range(10):
            kick_and_settle(worker, arun, qtbot)
        assert statements.seen == []
    clock.now += timedelta(seconds=30)
    worker.kick()
    qtbot.waitUntil(lambda: handler.handled == [job_id], timeout=2000)


def test_a_job_behind_a_waiting_lane_head_does_not_wake_the_worker_early(db: Database) -> None:
    def setup(session: Any) -> datetime | None:
        head = jobstore.enqueue(session, KIND, "t", {}, now=NOW, lane="a")
        jobstore.mark_failed(session, [head], "down", retry_at=NOW + timedelta(minutes=5))
        jobstore.enqueue(session, KIND, "t", {}, now=NOW, lane="a")  # due now, but it waits for its head
        other = jobstore.enqueue(session, KIND, "t", {}, now=NOW, lane="b")
        jobstore.mark_failed(session, [other], "down", retry_at=NOW + timedelta(minutes=9))
        return jobstore.next_head_due_at(session, KIND)

    assert db.call(setup) == NOW + timedelta(minutes=5)
    assert db.call(lambda s: jobstore.next_head_due_at(s, "other kind")) is None


def test_a_job_written_by_another_process_is_found_by_the_idle_poll(
    db: Database, data_dir: Any, arun: Any, qtbot: Any, workers: list[JobWorker]
) -> None:
    handler = Recorder()
    started(workers, JobWorker(db, Hub(), KIND, handler, idle_poll=0.3), arun, qtbot)
    other = open_database(data_dir)  # its commits move its own counts, not this worker's
    try:
        job_id = enqueue(other)
    finally:
        other.close()
    qtbot.waitUntil(lambda: handler.handled == [job_id], timeout=3000)


def test_a_rolled_back_enqueue_costs_at_most_one_look(
    db: Database, arun: Any, qtbot: Any, workers: list[JobWorker]
) -> None:
    handler = Recorder()
    worker = started(workers, JobWorker(db, Hub(), KIND, handler, idle_poll=60.0), arun, qtbot)

    def enqueue_then_fail(session: Any) -> None:
        jobstore.enqueue(session, KIND, "far side", {}, now=datetime.now(UTC))
        raise RuntimeError("the order could not be stored")

    with pytest.raises(RuntimeError):
        db.call(enqueue_then_fail)
    with JobsStatements(db) as statements:
        for _ in range(3):
            kick_and_settle(worker, arun, qtbot)
    assert statements.seen == []
    assert handler.handled == []


def test_a_settling_worker_claims_only_after_its_settle_time(tmp_path: Any) -> None:
    """The engine's workers wait ``settle`` after a kick, so the tap that caused it reaches its screen first.

    On a plain asyncio loop on a thread of its own, as the engine's thread runs them: Qt's coarse timers under qasync may fire a
    little early (CI read 0.1996 s of a 0.2 s sleep there), which says nothing about the worker."""
    import asyncio

    from posapp.services.hub import Hub
    from posapp.services.worker import JobWorker
    from posapp.store import jobs as jobstore
    from posapp.store.db import open_database

    db = open_database(tmp_path)
    handled: list[float] = []

    async def handler(jobs: list[Any]) -> None:
        handled.append(asyncio.get_running_loop().time())

    worker = JobWorker(db, Hub(), "settle-test", handler, idle_poll=5.0, settle=0.2)

    async def scenario() -> float:
        worker.start()
        await asyncio.sleep(0.1)  # idle, waiting for a kick
        from datetime import UTC, datetime

        # The clock starts before the enqueue: its commit may already wake the worker, so a reading
        # taken after it could start later than the settle did (CI saw 0.197 s that way).
        kicked = asyncio.get_running_loop().time()
        await db.run(lambda s: jobstore.enqueue(s, "settle-test", "t", {}, now=datetime.now(UTC)))
        worker.kick()
        while not handled:
            await asyncio.sleep(0.01)
        await worker.stop()
        return handled[0] - kicked

    try:
        # A thread of its own: the suite's qasync fixtures may leave their loop marked running on this one.
        with ThreadPoolExecutor(max_workers=1) as pool:
            waited = pool.submit(asyncio.run, scenario()).result(30)
    finally:
        db.close()
    assert 0.2 <= waited < 2.0
