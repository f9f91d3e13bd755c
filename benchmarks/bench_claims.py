"""Jobs-table queries under webhook load: N new orders ingested while the job workers listen for kicks.

Run: python benchmarks/bench_claims.py [--orders 200] [--rounds 3]
Each round ingests the orders twice into fresh databases, in turn: once with the print and push workers
running and kicked on every order change as the engine wires them (engine.py), once with no worker (the
floor: what intake alone costs). New orders queue no print or push job, so every worker query is overhead.
Printed per mode: wall time of the ingest, SQL statements on the jobs table and the database-thread time
they took, and all statements. Uses only APIs older than the change it measures, so it runs on both sides.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import _data_key  # noqa: F401, E402  (the data key in a test keyring: benchmarks/_data_key.py)
from sqlalchemy import event

from posapp.connectors.simulator.generator import OrderGenerator
from posapp.domain.order import order_from_canonical
from posapp.services.hub import Hub
from posapp.services.intake import IntakeService
from posapp.services.planner import JobPlanner
from posapp.services.printing import PrintService
from posapp.services.worker import JobWorker, Outcome
from posapp.store.db import Database, open_database
from posapp.store.jobs import Job

JOBS = re.compile(r"\bjobs\b")


@dataclass
class Figures:
    wall: float = 0.0
    jobs_statements: int = 0
    jobs_seconds: float = 0.0
    statements: int = 0


class Statements:
    """Counts statements and times those on the jobs table, as the driver runs them."""

    def __init__(self, db: Database, figures: Figures) -> None:
        self.figures = figures
        self._started: dict[int, float] = {}
        event.listen(db.engine, "before_cursor_execute", self.before)
        event.listen(db.engine, "after_cursor_execute", self.after)

    def before(self, _conn: Any, cursor: Any, statement: str, *_args: Any) -> None:
        self.figures.statements += 1
        if JOBS.search(statement):
            self._started[id(cursor)] = time.perf_counter()

    def after(self, _conn: Any, cursor: Any, _statement: str, *_args: Any) -> None:
        started = self._started.pop(id(cursor), None)
        if started is not None:
            self.figures.jobs_statements += 1
            self.figures.jobs_seconds += time.perf_counter() - started


async def done(jobs: list[Job]) -> Outcome:
    return Outcome(done=[j.id for j in jobs])


def workers(db: Database, hub: Hub, planner: JobPlanner) -> list[JobWorker]:
    """The print worker (no printer configured here) and a platform-push worker, kicked as engine.py does."""
    printing = PrintService(db, hub, [])
    printing.register(planner)
    print_worker = printing.make_worker()
    pusher = JobWorker(db, hub, "push", done, name="platform push", batch_size=20)
    for worker in (print_worker, pusher):
        hub.on_order(lambda _change, w=worker: w.kick())
    return [print_worker, pusher]


async def ingest(orders: int, with_workers: bool) -> Figures:
    figures = Figures()
    with tempfile.TemporaryDirectory() as tmp:
        db = open_database(Path(tmp))
        hub, planner = Hub(), JobPlanner()
        running = workers(db, hub, planner) if with_workers else []
        intake = IntakeService(db, hub, planner)
        gen = OrderGenerator(seed=11)
        batch = [order_from_canonical(gen.make()) for _ in range(orders)]
        for worker in running:
            worker.start()
        await asyncio.sleep(0.2)  # the workers' start-up claims are not part of the load
        Statements(db, figures)
        t0 = time.perf_counter()
        for order in batch:
            await intake.ingest(order)
        await asyncio.sleep(0)  # the last kick's pass
        figures.wall = time.perf_counter() - t0
        for worker in running:
            await worker.stop()
        db.close()
    return figures


def show(label: str, runs: list[Figures]) -> None:
    def med(values: list[float]) -> float:
        return statistics.median(values)

    print(
        f"{label:>13}: wall {med([r.wall for r in runs]) * 1000:7.1f} ms  "
        f"jobs statements {med([r.jobs_statements for r in runs]):6.0f}  "
        f"jobs time {med([r.jobs_seconds for r in runs]) * 1000:6.1f} ms  "
        f"all statements {med([r.statements for r in runs]):6.0f}   "
        f"(each round: wall {[round(r.wall * 1000) for r in runs]} ms, "
        f"jobs {[r.jobs_statements for r in runs]})"
    )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    loaded: list[Figures] = []
    floor: list[Figures] = []
    for _ in range(args.rounds):
        loaded.append(await ingest(args.orders, with_workers=True))
        floor.append(await ingest(args.orders, with_workers=False))
    print(f"{args.orders} new orders ingested, median of {args.rounds} rounds")
    show("with workers", loaded)
    show("floor", floor)


if __name__ == "__main__":
    asyncio.run(main())
