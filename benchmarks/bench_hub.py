"""Hub benchmark: many stores, a steady push rate against two hub processes on one PostgreSQL.

    .venv/bin/python benchmarks/bench_hub.py [--stores 1000] [--rate 200] [--seconds 180] [--quick]
        [--profile DIR] [--db-order priority|arrival]

Two ``posapp hub`` processes on a fresh PostgreSQL database (dropped after); ``--stores`` stores, each with its
own-website account (HMAC-signed pushes, the store told by ``X-Posapp-Store``) and a counter linked to one of
the two processes over the relay feed (a WebSocket per store; the counter acknowledges a push as it receives it:
what is measured is the hub, not a counter's intake). The counters run in a process of their own, apart from the
load generator, which posts signed orders to random stores at ``--rate`` a second for ``--seconds``,
alternating between the processes, so most pushes reach their counter through the other process (NOTIFY).
Times in both processes are ``time.monotonic()`` (CLOCK_MONOTONIC on Linux: one clock for the machine).

Printed: pushes/s sustained (acknowledged by the counters over the run, and the rate the generator reached),
p50/p99 push -> counter ack (from the start of the POST to the counter's ack), split into the POST (start to
the hub's 200, which comes after the commit) and the relay (the 200 to the counter's receipt), the p99 of a
store's first push (the hub reads and opens its platform entry) against the others, the p99 per 10 s of the
run, lost (answered 200 by the hub, never reached the counter) and duplicated (reached a counter twice). The
floor, in the same run: the hub's own insert (INSERT ... ON CONFLICT DO NOTHING RETURNING, then pg_notify, one
transaction each) in a loop of 8 threads on the same PostgreSQL, with nothing else running: what the database
alone allows. ``--profile DIR`` samples the first hub process and the counters with py-spy (``pip install
py-spy``) during the pushes and prints the functions most often on CPU.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import subprocess
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
                            self.acked_at[order_id] = time.monotonic()
                        await ws.send_str(json.dumps({"type": "ack", "id": data["id"]}))
                        after = max(after, data["id"])
            except (aiohttp.ClientError, OSError):
                await asyncio.sleep(0.2)


async def generate(
    urls: list[str], made: list[tuple[str, str, str]], rate: float, seconds: float
) -> tuple[dict[str, tuple[float, float, str]], int, float]:
    """Signed own-site orders at ``rate`` a second; returns (order id -> (start of its POST, its 200, store),
    failures, elapsed)."""
    sent: dict[str, tuple[float, float, str]] = {}
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
                started = time.monotonic()
                try:
                    async with session.post(
                        f"{urls[n % len(urls)]}/webhooks/own", data=body, headers=headers
                    ) as r:
                        await r.read()
                        ok = r.status == 200
                except (aiohttp.ClientError, OSError):
                    ok = False
            if ok:
                sent[order_id] = (started, time.monotonic(), name)
            else:
                failures += 1

        tasks = []
        begin = time.monotonic()
        total = int(rate * seconds)
        for n in range(total):
            due = begin + n / rate
            delay = due - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(push(n)))
        await asyncio.gather(*tasks)
        return sent, failures, time.monotonic() - begin


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


async def counters_process(spec: Path, out: Path) -> None:
    """The counters' process: link every store, say "linked", then wait for "expect N" on stdin and write
    each order's first ack time to ``out`` once N arrived (or 30 s passed)."""
    links_spec = json.loads(spec.read_text())
    counters = Counters()
    stop = asyncio.Event()
    async with aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(limit=0), timeout=aiohttp.ClientTimeout(total=None)
    ) as session:
        links = [asyncio.create_task(counters.run(session, url, token, stop)) for url, token in links_spec]
        while counters.links_up < len(links):
            await asyncio.sleep(0.1)
        print("linked", flush=True)
        line = await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
        expected = int(line.split()[1])
        deadline = time.monotonic() + 30
        while len(counters.acked_at) < expected and time.monotonic() < deadline:
            await asyncio.sleep(0.2)
        stop.set()
        for task in links:
            task.cancel()
        await asyncio.gather(*links, return_exceptions=True)
    out.write_text(json.dumps({"acked_at": counters.acked_at, "duplicates": counters.duplicates}))


def start_counters(tmp: Path, links: list[tuple[str, str]]) -> tuple[subprocess.Popen[str], Path]:
    spec, out = tmp / "links.json", tmp / "acked.json"
    spec.write_text(json.dumps(links))
    proc = subprocess.Popen(
        [sys.executable, __file__, "--counters", str(spec), str(out)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if line.strip() != "linked":
        raise RuntimeError(f"the counters' process did not link: {line!r}")
    return proc, out


def profile(pid: int, seconds: float, out: Path) -> subprocess.Popen[bytes] | None:
    """py-spy sampling ``pid`` (non-blocking: the process is not paused) into a collapsed-stacks file."""
    spy = Path(sys.executable).with_name("py-spy")
    if not spy.exists():
        print("--profile: py-spy is not installed in this venv (pip install py-spy)", file=sys.stderr)
        return None
    return subprocess.Popen(
        [
            str(spy),
            "record",
            "--pid",
            str(pid),
            "--duration",
            str(int(seconds)),
            "--rate",
            "50",
            "--nonblocking",
            "--format",
            "raw",
            "--output",
            str(out),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def top_frames(raw: Path, n: int = 12) -> list[tuple[float, str]]:
    """The functions most often at the top of the sampled stacks (share of samples), from py-spy's raw output."""
    leaf: dict[str, int] = {}
    total = 0
    for line in raw.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        frame = stack.split(";")[-1]
        leaf[frame] = leaf.get(frame, 0) + int(count)
        total += int(count)
    ranked = sorted(leaf.items(), key=lambda kv: -kv[1])[:n]
    return [(100.0 * c / max(total, 1), f) for f, c in ranked]


def report(
    sent: dict[str, tuple[float, float, str]],
    acked: dict[str, float],
    failures: int,
    elapsed: float,
    rate: float,
) -> None:
    done = {o: v for o, v in sent.items() if o in acked}
    total = [(acked[o] - s) * 1000 for o, (s, _a, _n) in done.items()]
    post = [(a - s) * 1000 for s, a, _n in done.values()]
    relay = [(acked[o] - a) * 1000 for o, (_s, a, _n) in done.items()]
    first_of_store: set[str] = set()
    seen: set[str] = set()
    for o, (_s, _a, store) in sorted(sent.items(), key=lambda kv: kv[1][0]):
        if store not in seen:
            seen.add(store)
            first_of_store.add(o)
    firsts = [(acked[o] - sent[o][0]) * 1000 for o in done if o in first_of_store]
    others = [(acked[o] - sent[o][0]) * 1000 for o in done if o not in first_of_store]
    print(
        f"pushes: {len(sent)} answered 200, {failures} not, over {elapsed:.1f} s "
        f"(generator reached {len(sent) / elapsed:.0f}/s of {rate}/s)"
    )
    span = max(acked.values(), default=1.0) - min((s for s, _a, _n in sent.values()), default=0.0)
    print(f"sustained: {len(done) / span:.0f} pushes/s acknowledged by the counters")
    for label, values in (
        ("push -> counter ack", total),
        ("  POST (to the hub's 200)", post),
        ("  relay (200 -> counter)", relay),
        ("  a store's first push", firsts),
        ("  its later pushes", others),
    ):
        print(
            f"{label}: n {len(values)}, p50 {percentile(values, 50):.0f} ms, p99 {percentile(values, 99):.0f} ms, "
            f"max {max(values, default=float('nan')):.0f} ms"
        )
    begin = min((s for s, _a, _n in sent.values()), default=0.0)
    buckets: dict[int, list[float]] = {}
    for o, (s, _a, _n) in done.items():
        buckets.setdefault(int((s - begin) // 10), []).append((acked[o] - s) * 1000)
    print(
        "p99 per 10 s: " + ", ".join(f"{k * 10}s {percentile(v, 99):.0f}" for k, v in sorted(buckets.items()))
    )
    print(f"lost: {len(set(sent) - set(acked))}")


def print_waits(lines: list[str], order: str) -> None:
    """The hubs' own figures: how long each kind of database work waited for a thread, per 10 s window."""
    print(f"inside the hubs (--db-order {order}), wait for a database thread per 10 s window and process:")
    for line in lines:
        at = line.split(" ", 2)[1][:8]
        waits = json.loads(line.split("db queue waits ", 1)[1])
        print(
            f"  {at} "
            + "; ".join(
                f"{kind} n {w['n']} p50 {w['p50_ms']} p99 {w['p99_ms']} max {w['max_ms']} ms"
                for kind, w in sorted(waits.items())
            )
        )


async def bench(args: argparse.Namespace) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="bench-hub-"))
    key = new_key()
    with database("postgresql", tmp) as url:
        engine = open_hub_db(url)
        setup_begin = time.monotonic()
        made = await asyncio.to_thread(setup_stores, engine, Sealer(key), args.stores)
        env = hub_env(tmp, key)
        extra = ["--rate", "1000", "--burst", "1000", "--heartbeat", "5", "--db-order", args.db_order]
        hubs = [HubProcess(url, env, *extra) for _ in range(2)]
        urls = [h.url for h in hubs]
        spies: list[tuple[str, subprocess.Popen[bytes] | None, Path]] = []
        try:
            links = [(urls[i % 2], token) for i, (_n, token, _s) in enumerate(made)]
            counters, out = await asyncio.to_thread(start_counters, tmp, links)
            print(
                f"{len(made)} stores linked in {time.monotonic() - setup_begin:.1f} s (counters in process "
                f"{counters.pid}); pushing {args.rate}/s for {args.seconds:.0f} s to 2 hub processes",
                flush=True,
            )
            if args.profile:
                args.profile.mkdir(parents=True, exist_ok=True)
                for label, pid in (("hub", hubs[0].proc.pid), ("counters", counters.pid)):
                    raw = args.profile / f"{label}.txt"
                    spies.append((label, profile(pid, max(1.0, args.seconds - 2), raw), raw))
            sent, failures, elapsed = await generate(urls, made, args.rate, args.seconds)
            assert counters.stdin is not None
            counters.stdin.write(f"expect {len(sent)}\n")
            counters.stdin.flush()
            await asyncio.to_thread(counters.wait, 60)
            result = json.loads(out.read_text())
            for _label, spy, _raw in spies:
                if spy is not None:
                    await asyncio.to_thread(spy.wait, 30)
        finally:
            for hub in hubs:
                hub.stop()
        waits = [line for hub in hubs for line in hub.log if "db queue waits " in line]
        store_ids = await asyncio.to_thread(
            lambda: [r[0] for r in engine.connect().execute(text("SELECT id FROM hub_stores")).all()]
        )
        floor_rate = await asyncio.to_thread(floor, engine, store_ids, max(2000, len(sent)))
        engine.dispose()
    report(sent, result["acked_at"], failures, elapsed, args.rate)
    print(f"duplicated: {result['duplicates']}")
    print(f"floor (the hub's insert + notify alone, 8 threads, same PostgreSQL): {floor_rate:.0f} inserts/s")
    print_waits(waits, args.db_order)
    for label, spy, raw in spies:
        if spy is not None and raw.exists():
            print(f"py-spy, {label}: most often on CPU")
            for share, frame in top_frames(raw):
                print(f"  {share:5.1f} %  {frame}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--stores", type=int, default=1000)
    parser.add_argument("--rate", type=float, default=100.0, help="pushes a second")
    parser.add_argument("--seconds", type=float, default=180.0)
    parser.add_argument("--quick", action="store_true", help="100 stores, 100/s for 10 s")
    parser.add_argument("--profile", type=Path, help="sample a hub process and the counters with py-spy here")
    parser.add_argument(
        "--db-order",
        choices=["priority", "arrival"],
        default="priority",
        help="the hubs' database queue: pushes before link bookkeeping, or arrival order (to compare)",
    )
    parser.add_argument("--counters", nargs=2, type=Path, help=argparse.SUPPRESS)  # the counters' own process
    args = parser.parse_args()
    if args.counters:
        asyncio.run(counters_process(*args.counters))
        return
    if args.quick:
        args.stores, args.rate, args.seconds = 100, 100.0, 10.0
    os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")
    asyncio.run(bench(args))


if __name__ == "__main__":
    main()
