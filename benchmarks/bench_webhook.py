"""Webhook benchmark: signed push -> committed -> answered, from the real desktop app, beside a bare floor.

The app runs as it ships (offscreen window with 500 open orders painted, engine on its own thread), and a
sender thread posts signed own-website orders at a steady rate, then a burst all at once. The floor is a bare
aiohttp server on its own thread that does json.loads + one INSERT + COMMIT on SQLite with the same pragmas
(WAL, synchronous=FULL) on a single database thread, measured the same way in the same run.

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_webhook.py [--count 400] [--rate 20]
     [--burst 200] [--one-loop]   (--one-loop: the engine on the GUI's loop, as before issue 12)
Targets (issue 12): p99 <= 3x the floor's p99; a burst answered within 3x the floor's time.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import _data_key  # noqa: F401, E402  (the data key in a test keyring: benchmarks/_data_key.py)

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import httpx  # noqa: E402
import qasync  # noqa: E402
from aiohttp import web  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from posapp.app import AppOptions, PosApp  # noqa: E402
from posapp.connectors.own import signed_headers  # noqa: E402
from posapp.connectors.simulator.generator import OrderGenerator  # noqa: E402
from posapp.domain.order import order_from_canonical  # noqa: E402
from posapp.engine.thread import share_the_gil_finely  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
ORDER = json.loads((ROOT / "tests" / "fixtures" / "own" / "order_pickup.json").read_text("utf-8"))


def bodies(prefix: str, count: int) -> list[bytes]:
    return [
        json.dumps({**ORDER, "external_id": f"{prefix}-{n}", "display_id": f"W{n}"}).encode()
        for n in range(count)
    ]


def steady(url: str, secret: str, payloads: list[bytes], rate: float) -> list[float]:
    """Post one payload every 1/rate s; the answer time of each, in ms."""
    out: list[float] = []
    with httpx.Client(timeout=30) as client:
        start = time.perf_counter()
        for n, body in enumerate(payloads):
            wait = start + n / rate - time.perf_counter()
            if wait > 0:
                time.sleep(wait)
            t0 = time.perf_counter()
            resp = client.post(url, content=body, headers=signed_headers(secret, body))
            out.append((time.perf_counter() - t0) * 1000)
            assert resp.status_code == 200, resp.text
    return out


def burst(url: str, secret: str, payloads: list[bytes]) -> float:
    """All payloads at once (one connection each); seconds until the last answer."""

    async def go() -> float:
        async with httpx.AsyncClient(
            timeout=60, limits=httpx.Limits(max_connections=len(payloads))
        ) as client:
            t0 = time.perf_counter()
            answers = await asyncio.gather(
                *(client.post(url, content=b, headers=signed_headers(secret, b)) for b in payloads)
            )
            assert all(a.status_code == 200 for a in answers)
            return time.perf_counter() - t0

    return asyncio.run(go())


def p(values: list[float], q: float) -> float:
    return (
        statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1] if len(values) > 1 else values[0]
    )


# -- the floor --------------------------------------------------------------------------------------
def floor_server(path: Path) -> tuple[int, Callable[[], None]]:
    ready = threading.Event()
    box: dict[str, Any] = {}

    def main() -> None:
        loop = asyncio.new_event_loop()
        db = ThreadPoolExecutor(max_workers=1)
        conn = db.submit(lambda: _floor_db(path)).result()

        def insert(body: bytes) -> None:
            data = json.loads(body)
            conn.execute("INSERT INTO orders (external_id, body) VALUES (?, ?)", (data["external_id"], body))
            conn.commit()

        async def handle(request: web.Request) -> web.Response:
            body = await request.read()
            await loop.run_in_executor(db, insert, body)
            return web.Response(text='{"ok":true}', content_type="application/json")

        async def start() -> None:
            app = web.Application()
            app.router.add_post("/webhooks/own", handle)
            runner = web.AppRunner(app, access_log=None)
            await runner.setup()
            site = web.TCPSite(runner, "127.0.0.1", 0)
            await site.start()
            box["port"] = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
            box["runner"] = runner

        loop.run_until_complete(start())
        box["loop"] = loop
        ready.set()
        loop.run_forever()

    thread = threading.Thread(target=main, daemon=True)
    thread.start()
    ready.wait(10)

    def stop() -> None:
        box["loop"].call_soon_threadsafe(box["loop"].stop)
        thread.join(5)

    return int(box["port"]), stop


def _floor_db(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, check_same_thread=False)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA busy_timeout=5000")
    conn.execute("CREATE TABLE orders (id INTEGER PRIMARY KEY, external_id TEXT UNIQUE, body BLOB)")
    return conn


# -- the app ----------------------------------------------------------------------------------------
async def measure_app(args: argparse.Namespace, tmp: Path) -> dict[str, Any]:
    app = PosApp(
        AppOptions(
            data_dir=tmp / "app",
            demo=True,
            sim_rate_per_minute=0,
            sim_prefill=0,
            sim_platforms=("own",),
            language="en",
            engine_thread=not args.one_loop,
        )
    )
    await app.start()
    assert app.window is not None and app.engine.channels is not None and app.engine.demo is not None
    app.window.resize(1366, 900)
    gen = OrderGenerator(seed=7)
    for _ in range(500):
        await app.intake.ingest(order_from_canonical(gen.make()))
    secret = app.engine.demo.simulator.platforms["own"].secret  # type: ignore[union-attr]
    url = f"http://127.0.0.1:{app.engine.channels.listen_port}/webhooks/own"
    loop = asyncio.get_running_loop()
    latencies = await loop.run_in_executor(None, steady, url, secret, bodies("S", args.count), args.rate)
    took = await loop.run_in_executor(None, burst, url, secret, bodies("B", args.burst))
    rows = app.window.model.rowCount()
    app.window.close()
    await app.stop()
    return {"latencies": latencies, "burst": took, "rows": rows}


def measure_floor(args: argparse.Namespace, tmp: Path) -> dict[str, Any]:
    port, stop = floor_server(tmp / "floor.db")
    url = f"http://127.0.0.1:{port}/webhooks/own"
    try:
        latencies = steady(url, "", bodies("S", args.count), args.rate)
        took = burst(url, "", bodies("B", args.burst))
    finally:
        stop()
    return {"latencies": latencies, "burst": took}


def main() -> int:
    share_the_gil_finely()  # as the app and the engine start (posapp/engine/thread.py)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=400)
    parser.add_argument("--rate", type=float, default=20.0)
    parser.add_argument("--burst", type=int, default=200)
    parser.add_argument(
        "--one-loop", action="store_true", help="the engine on the GUI's loop (the old wiring)"
    )
    args = parser.parse_args()
    qapp = QApplication.instance() or QApplication(sys.argv[:1])
    qapp.setQuitOnLastWindowClosed(False)  # type: ignore[attr-defined]
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        floor = measure_floor(args, tmp)
        loop = qasync.QEventLoop(qapp)
        asyncio.set_event_loop(loop)
        with loop:
            got = loop.run_until_complete(measure_app(args, tmp))
    wiring = "engine on the GUI's loop" if args.one_loop else "engine on its own thread"
    fl, ap = floor["latencies"], got["latencies"]
    print(
        f"webhook -> committed -> answered, {args.count} signed orders at {args.rate:g}/s ({wiring}, 500+ cards):"
    )
    print(f"  app   p50 {p(ap, 50):6.1f} ms  p99 {p(ap, 99):6.1f} ms  max {max(ap):6.1f} ms")
    print(
        f"  floor p50 {p(fl, 50):6.1f} ms  p99 {p(fl, 99):6.1f} ms  max {max(fl):6.1f} ms  (bare aiohttp + sqlite, same pragmas)"
    )
    print(f"  p99 ratio {p(ap, 99) / p(fl, 99):.1f}x (target <= 3x)")
    print(
        f"burst of {args.burst} at once: app {got['burst']:.2f} s, floor {floor['burst']:.2f} s, "
        f"ratio {got['burst'] / floor['burst']:.1f}x (target <= 3x)"
    )
    print(f"cards in the window at the end: {got['rows']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
