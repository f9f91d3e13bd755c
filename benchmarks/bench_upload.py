"""Drain a 10,000-row upload backlog to the reference receiver while the window stays responsive.

Run: ``python benchmarks/bench_upload.py [--rows 10000] [--batch-size 100]`` (offscreen Qt, no display).
Prints the drain rate (rows/s) and the largest gap of a 16 ms QTimer on the qasync loop (the GUI
thread): a gap over 50 ms is a frame the kitchen would see stutter. The receiver runs in its own
process (``posapp hq-receiver``), as head office would.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import _data_key  # noqa: F401, E402  (the data key in a test keyring: benchmarks/_data_key.py)

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from posapp.domain.order import OrderStatus  # noqa: E402
from posapp.services.hub import Hub  # noqa: E402
from posapp.services.planner import ChangeFacts  # noqa: E402
from posapp.services.upload import UPLOAD_KIND, Uploader  # noqa: E402
from posapp.store import jobs as jobstore  # noqa: E402
from posapp.store import orders as repo  # noqa: E402
from posapp.store.db import Database, open_database  # noqa: E402
from posapp.ui.bridge import QtBridge  # noqa: E402
from posapp.ui.main_window import MainWindow  # noqa: E402
from posapp.ui.queue_model import QueueModel  # noqa: E402
from tests.factories import make_order  # noqa: E402

TOKEN = "bench-token"
STEPS = [
    ("created", None, "new", None),
    ("status", "new", "accepted", "accept"),
    ("status", "accepted", "preparing", "start"),
    ("status", "preparing", "ready", "ready"),
    ("status", "ready", "completed", "complete"),
]


def build_backlog(db: Database, uploader: Uploader, rows: int) -> None:
    """``rows`` upload rows from the real planner hook: whole orders through their lifecycle."""
    orders = (rows + len(STEPS) - 1) // len(STEPS)
    made = 0

    def work(session: object) -> None:
        nonlocal made
        now = datetime.now(UTC)
        for i in range(orders):
            order_id, _ = repo.insert_order(
                session, make_order(external_id=f"BENCH-{i}"), now=now, by="bench"
            )  # type: ignore[arg-type]
            order = repo.get_order(session, order_id)  # type: ignore[arg-type]
            for event, frm, to, action in STEPS:
                if made >= rows:
                    return
                shown = order if to is None else _with_status(order, to)
                facts = ChangeFacts(event, now, "kitchen", frm, to, action=action)
                for kind, target, lane, payload in uploader.plan_upload(shown, facts):
                    jobstore.enqueue(session, kind, target, payload, now=now, lane=lane, order_id=order_id)  # type: ignore[arg-type]
                    made += 1

    db.call(work)  # type: ignore[arg-type]


def _with_status(order: object, status: str) -> object:
    import dataclasses

    return dataclasses.replace(order, status=OrderStatus(status))  # type: ignore[type-var]


def start_receiver(tmp: Path) -> tuple[subprocess.Popen[str], str]:
    env = dict(os.environ, POSAPP_HQ_TOKEN=TOKEN, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen(
        [sys.executable, "-m", "posapp", "hq-receiver", "--port", "0", "--db", f"sqlite:///{tmp / 'hq.db'}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    return proc, line.split("listening on ")[1].strip()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--batch-size", type=int, default=100)
    args = parser.parse_args()

    import qasync

    app = QApplication.instance() or QApplication(sys.argv[:1])
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    tmp = Path(tempfile.mkdtemp(prefix="bench-upload-"))
    db = open_database(tmp / "counter")
    hub = Hub()
    receiver, url = start_receiver(tmp)
    uploader = Uploader(
        db, hub, endpoint=url, store_id="bench", token_source=lambda: TOKEN, batch_size=args.batch_size
    )
    t0 = time.perf_counter()
    build_backlog(db, uploader, args.rows)
    print(f"backlog of {args.rows} rows built in {time.perf_counter() - t0:.1f} s")

    window = MainWindow(QueueModel())
    bridge = QtBridge(hub)
    bridge.notice.connect(window.on_notice)
    window.resize(1280, 800)
    window.show()

    gaps: list[float] = []
    last = [time.perf_counter()]

    stamps: list[float] = []

    def tick() -> None:
        now = time.perf_counter()
        gaps.append((now - last[0]) * 1000)
        stamps.append(now)
        last[0] = now

    timer = QTimer()
    timer.setInterval(16)
    timer.timeout.connect(tick)

    started = [0.0]
    import gc

    gc_pauses: list[tuple[int, float]] = []
    gc_start = [0.0]

    def on_gc(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            gc_start[0] = time.perf_counter()
        else:
            gc_pauses.append((info["generation"], (time.perf_counter() - gc_start[0]) * 1000))

    gc.callbacks.append(on_gc)
    gc.freeze()  # as PosApp.start does once the window is up

    async def drain() -> float:
        timer.start()
        last[0] = time.perf_counter()
        start = time.perf_counter()
        uploader.start()
        while True:
            state = await db.run(lambda s: jobstore.queue_state(s, UPLOAD_KIND))
            if state.pending == 0:
                break
            await asyncio.sleep(0.05)
        elapsed = time.perf_counter() - start
        started[0] = start
        for _ in range(100):  # the last notice reaches the strip a moment after the last commit
            label = window._strip.get("upload")
            if label is not None and label.text() == "✓ All synced":
                break
            await asyncio.sleep(0.02)
        timer.stop()
        await uploader.stop()
        return elapsed

    try:
        with loop:
            elapsed = loop.run_until_complete(drain())
    finally:
        receiver.terminate()
        receiver.wait(timeout=10)
        db.close()
    gaps = gaps[1:] or [0.0]
    print(
        f"drained {args.rows} rows in {elapsed:.2f} s: {args.rows / elapsed:.0f} rows/s (batch {args.batch_size})"
    )
    print(
        f"16 ms timer on the GUI loop: max gap {max(gaps):.1f} ms, "
        f"p99 {statistics.quantiles(gaps, n=100)[98]:.1f} ms, median {statistics.median(gaps):.1f} ms "
        f"over {len(gaps)} ticks"
    )
    slow = [(round(t - started[0], 2), round(g)) for t, g in zip(stamps[1:], gaps, strict=False) if g > 33]
    print(f"ticks over 33 ms (s after start, ms): {slow}")
    print(f"gc pauses over 10 ms (generation, ms): {[(g, round(ms)) for g, ms in gc_pauses if ms > 10]}")
    print("status strip:", window._strip["upload"].text() if "upload" in window._strip else "-")
    ok = max(gaps) <= 50
    print("RESPONSIVE" if ok else "STUTTER: a frame took longer than 50 ms")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
