"""Hub benchmark: many stores, a steady push rate against two hub processes on one PostgreSQL.

    .venv/bin/python benchmarks/bench_hub.py [--stores 1000] [--rate 200] [--seconds 180] [--quick]

Two ``posapp hub`` processes on a fresh PostgreSQL database (dropped after); ``--stores`` stores, each with its
own-website account (HMAC-signed pushes, the store told by ``X-Posapp-Store``) and a counter linked to one of
the two processes over the relay feed (a WebSocket per store; the counter acknowledges a push as it receives it:
what is measured is the hub, not a counter's intake). A load generator posts signed orders to random stores at
``--rate`` a second for ``--seconds``, alternating between the processes, so most pushes reach their counter
through the other process (NOTIFY).

Printed: pushes/s sustained (acknowledged by the counters over the run, and the rate the generator reached),
p50/p99 push -> counter ack (from the start of the POST to the counter's ack), lost (answered 200 by the hub,
never reached the counter) and duplicated (reached a counter twice). The floor, in the same run: the hub's own
insert (INSERT ... ON CONFLICT DO NOTHING RETURNING, then pg_notify, one transaction each) in a loop of 8 threads
on the same PostgreSQL, with nothing else running: what the database alone allows.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import aiohttp  # noqa: E402
from sqlalchemy import Engine, text  # noqa: E402
from sqlalchemy.dialects import postgresql  # noqa: E402

from posapp.connectors.own import signed_headers  # noqa: E402
from posapp.hub import stores  # noqa: E402
from posapp.hub import tables as t  # noqa: E402
from posapp.hub.sealing import Sealer, new_key  # noqa: E402
from tests.hub_support import HubProcess, database, hub_env, open_hub_db  # noqa: E402


def percentile(values: list[float], q: float) -> float:
    """Inclusive method, as the other benchmarks (a p99 never above the maximum)."""
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def setup_stores(engine: Engine, sealer: Sealer, n: int) -> list[tuple[str, str, str]]:
    """``n`` stores with an own-site account each: (name, token, secret)."""
    now = datetime.now(UTC)
    made = []
    with engine.begin() as conn:
        for i in range(n):
            name = f"store-{i:04d}"
            issued = stores.add(conn, name, now)
            store = stores.by_name(conn, name)
            assert store is not None
            secret = f"secret-{i}-{uuid.uuid4().hex[:8]}"
            stores.set_platform(
                conn, store.id, "own", name, app_id="", secret_sealed=sealer.seal(secret), options={}
            )
            made.append((name, issued.token, secret))
    return made


class Counters:
    """One relay link per store, acknowledging each push on receipt and noting when."""

    def __init__(self) -> None:
        self.acked_at: dict[str, float] = {}  # order id -> first ack
        self.received = 0
        self.duplicates = 0
        self.links_up = 0

    async def run(self, session: aiohttp.ClientSession, url: str, token: str, stop: asyncio.Event) -> None:
        after = 0
        while not stop.is_set():
            try:
                async with session.ws_connect(
                    f"{url}/v1/relay",
                    params={"after": str(after)},
                    headers={"Authorization": f"Bearer {token}"},
                ) as ws:
                    self.links_up += 1
                    async for msg in ws:
                        data = json.loads(msg.data)
                        if data.get("type") != "push":
                            continue
                        import base64

                        order_id = json.loads(base64.b64decode(data["body"]))["external_id"]
                        self.received += 1
                        if order_id in self.acked_at:
                            self.duplicates += 1
                        else:
                            self.acked_at[order_id] = time.perf_counter()
                        await ws.send_str(json.dumps({"type": "ack", "id": data["id"]}))
                        after = max(after, data["id"])
            except (aiohttp.ClientError, OSError):
                await asyncio.sleep(0.2)


async def generate(
    urls: list[str], made: list[tuple[str, str, str]], rate: float, seconds: float
) -> tuple[dict[str, float], int, float]:
    """Signed own-site orders at ``rate`` a second; returns (order id -> start of its POST, failures, elapsed)."""
    sent: dict[str, float] = {}
    failures = 0
    limit = asyncio.Semaphore(200)
    base_order = {
        "platform": "own",
        "display_id": "1",
        "status": "new",
        "fulfillment": "pickup",
        "currency": "CNY",
        "items": [{"name": "宫保鸡丁", "quantity": 1, "unit_price": 3200, "modifiers": []}],
        "totals": {"subtotal": 3200, "total": 3200},
    }
    rng = random.Random(14)
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=400)) as session:

        async def push(n: int) -> None:
            nonlocal failures
            name, _token, secret = made[rng.randrange(len(made))]
            order_id = f"B{n:08d}"
            order = {**base_order, "external_id": order_id, "placed_at": datetime.now(UTC).isoformat()}
            body = json.dumps(order, ensure_ascii=False).encode()
            headers = {**signed_headers(secret, body), "X-Posapp-Store": name}
            async with limit:
                started = time.perf_counter()
                try:
                    async with session.post(
                        f"{urls[n % len(urls)]}/webhooks/own", data=body, headers=headers
                    ) as r:
                        await r.read()
                        ok = r.status == 200
                except (aiohttp.ClientError, OSError):
                    ok = False
            if ok:
                sent[order_id] = started
            else:
                failures += 1

        tasks = []
        begin = time.perf_counter()
        total = int(rate * seconds)
        for n in range(total):
            due = begin + n / rate
            delay = due - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(push(n)))
        await asyncio.gather(*tasks)
        return sent, failures, time.perf_counter() - begin


def floor(engine: Engine, store_ids: list[int], n: int, threads: int = 8) -> float:
    """The hub's insert and notify, one transaction each, ``threads`` at a time: inserts a second."""
    body = json.dumps({"external_id": "F", "platform": "own", "items": []}).encode() * 4
    counter = iter(range(n))
    lock = threading.Lock()

    def work() -> None:
        while True:
            with lock:
                i = next(counter, None)
            if i is None:
                return
            push = {
                "store_id": store_ids[i % len(store_ids)],
                "platform": "own",
                "message_key": f"floor-{i}",
                "received_at": datetime.now(UTC),
                "content_type": "application/json",
                "headers": "{}",
                "query": "{}",
                "body": body,
                "acked_at": datetime.now(UTC),
            }
            stmt = (
                postgresql.insert(t.pushes)
                .values(**push)
                .on_conflict_do_nothing(index_elements=["store_id", "platform", "message_key"])
                .returning(t.pushes.c.id)
            )
            with engine.begin() as conn:
                conn.execute(stmt).first()
                conn.execute(text("SELECT pg_notify('hub_bench_floor', :s)"), {"s": str(push["store_id"])})

    begin = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        for _ in range(threads):
            pool.submit(work)
    return n / (time.perf_counter() - begin)


async def bench(args: argparse.Namespace) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="bench-hub-"))
    key = new_key()
    with database("postgresql", tmp) as url:
        engine = open_hub_db(url)
        setup_begin = time.perf_counter()
        made = await asyncio.to_thread(setup_stores, engine, Sealer(key), args.stores)
        env = hub_env(tmp, key)
        extra = ["--rate", "1000", "--burst", "1000", "--heartbeat", "5"]
        hubs = [HubProcess(url, env, *extra) for _ in range(2)]
        urls = [h.url for h in hubs]
        counters = Counters()
        stop = asyncio.Event()
        try:
            async with aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=0), timeout=aiohttp.ClientTimeout(total=None)
            ) as session:
                links = [
                    asyncio.create_task(counters.run(session, urls[i % 2], token, stop))
                    for i, (_n, token, _s) in enumerate(made)
                ]
                while counters.links_up < len(made):
                    await asyncio.sleep(0.1)
                print(
                    f"{len(made)} stores linked in {time.perf_counter() - setup_begin:.1f} s; pushing {args.rate}/s "
                    f"for {args.seconds:.0f} s to 2 hub processes",
                    flush=True,
                )
                sent, failures, elapsed = await generate(urls, made, args.rate, args.seconds)
                deadline = time.perf_counter() + 30
                while time.perf_counter() < deadline and not set(sent) <= set(counters.acked_at):
                    await asyncio.sleep(0.2)
                last_ack = max(counters.acked_at.values(), default=time.perf_counter())
                first = min(sent.values(), default=last_ack)
                stop.set()
                for task in links:
                    task.cancel()
                await asyncio.gather(*links, return_exceptions=True)
        finally:
            for hub in hubs:
                hub.stop()
        latencies = [(counters.acked_at[o] - s) * 1000 for o, s in sent.items() if o in counters.acked_at]
        lost = len(set(sent) - set(counters.acked_at))
        store_ids = await asyncio.to_thread(
            lambda: [r[0] for r in engine.connect().execute(text("SELECT id FROM hub_stores")).all()]
        )
        floor_rate = await asyncio.to_thread(floor, engine, store_ids, max(2000, len(sent)))
        engine.dispose()
    print(
        f"pushes: {len(sent)} answered 200, {failures} not, over {elapsed:.1f} s "
        f"(generator reached {len(sent) / elapsed:.0f}/s of {args.rate}/s)"
    )
    print(f"sustained: {len(latencies) / (last_ack - first):.0f} pushes/s acknowledged by the counters")
    print(
        f"push -> counter ack: p50 {percentile(latencies, 50):.0f} ms, p99 {percentile(latencies, 99):.0f} ms, "
        f"max {max(latencies, default=float('nan')):.0f} ms"
    )
    print(f"lost: {lost}   duplicated: {counters.duplicates}")
    print(f"floor (the hub's insert + notify alone, 8 threads, same PostgreSQL): {floor_rate:.0f} inserts/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--stores", type=int, default=1000)
    parser.add_argument("--rate", type=float, default=100.0, help="pushes a second")
    parser.add_argument("--seconds", type=float, default=180.0)
    parser.add_argument("--quick", action="store_true", help="100 stores, 100/s for 10 s")
    args = parser.parse_args()
    if args.quick:
        args.stores, args.rate, args.seconds = 100, 100.0, 10.0
    os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")
    asyncio.run(bench(args))


if __name__ == "__main__":
    main()
