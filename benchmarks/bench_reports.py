"""Benchmark: a year of order history in a temp SQLite file, then the day and year-range Z-reports.

    .venv/bin/python benchmarks/bench_reports.py [--orders-per-day 1000] [--keep DIR]

Targets (issue 7): one business day < 100 ms, the whole year < 2 s. The year-range report adds up the
per-business-day summaries the app writes at each day close; the benchmark replays those day closes over
the generated year (timed separately), and also times the one-off case of a year with no summaries yet.

Encryption at rest: every order names a customer (phone and name from a pool of repeat customers). The
year is generated unencrypted, copied, and the copy opened as the app opens it, which seals it (the one-time
pass of a database from before encryption, timed). The figures above run on the sealed copy; at the end the
end-of-day report, the customer segments and the repeat customers of the year run on both, in the same run
(the unencrypted store is ``open_database(sealed=False)``, for benchmarks only), with the cost between them.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from time import perf_counter
from typing import Any
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from posapp.services.customers import CustomerService  # noqa: E402
from posapp.services.reports import ReportOptions, ReportService  # noqa: E402
from posapp.store import report_queries as rq  # noqa: E402
from posapp.store.db import DB_FILENAME, open_database  # noqa: E402
from posapp.store.sealing import ephemeral_keys  # noqa: E402

TZ = ZoneInfo("Asia/Shanghai")
PLATFORMS = ("meituan", "eleme", "doordash", "ubereats", "manual")
MENU = [(f"菜品{i:03d}", 800 + 37 * i % 4000) for i in range(120)]
FMT = "%Y-%m-%d %H:%M:%S.%f"  # SQLAlchemy's storage format for DateTime on SQLite


def ts(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).strftime(FMT)


def generate(db_dir: Path, first: date, days: int, per_day: int, seed: int = 7) -> tuple[int, int, int]:
    """Fill the database with ``days`` x ``per_day`` orders, their items and status events."""
    rng = random.Random(seed)
    database = open_database(db_dir, sealed=False)  # sealed afterwards, on a copy (see main)
    raw = database.engine.raw_connection()
    cur = raw.cursor()
    cur.execute("PRAGMA synchronous=OFF")
    # Bulk load: drop the secondary indexes, insert, then build each index once (much faster than updating
    # six B-trees row by row). The same CREATE INDEX statements the migrations wrote are replayed.
    indexes = cur.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
        "AND tbl_name IN ('orders', 'order_items', 'order_events')"
    ).fetchall()
    for name, _sql in indexes:
        cur.execute(f'DROP INDEX "{name}"')
    order_id = item_id = event_id = 0
    order_cols = (
        "id, platform, external_id, display_id, status, status_reason, fulfillment, placed_at, due_at, currency, "
        "customer_name, customer_phone, subtotal, discount, delivery_fee, packaging_fee, service_fee, tip, tax, "
        "total, commission, payout, payment_method, paid, reminders, created_at, updated_at, accepted_at, "
        "ready_at, closed_at"
    )
    order_sql = f"INSERT INTO orders ({order_cols}) VALUES ({','.join('?' * 30)})"
    item_sql = (
        "INSERT INTO order_items (id, order_id, position, name, quantity, unit_price) VALUES (?,?,?,?,?,?)"
    )
    event_sql = "INSERT INTO order_events (id, order_id, at, kind, by, from_status, to_status, reason) VALUES (?,?,?,?,?,?,?,?)"
    start_local = datetime.combine(first, datetime.min.time(), tzinfo=TZ)
    for day in range(days):
        orders, items, events = [], [], []
        day_start = (start_local + timedelta(days=day)).timestamp() + 10 * 3600  # 10:00 local
        for _ in range(per_day):
            order_id += 1
            placed = day_start + rng.random() * 16 * 3600  # 10:00 -> 02:00 next morning
            platform = PLATFORMS[rng.randrange(5)]
            roll = rng.random()
            status, reason = "completed", None
            if roll < 0.03:
                status, reason = "cancelled", rng.choice(("customer cancelled", "rider unavailable"))
            elif roll < 0.05:
                status, reason = "rejected", rng.choice(("sold out", "too busy"))
            lines = []
            for pos in range(rng.choice((2, 3, 4, 5, 6, 6))):
                name, price = MENU[rng.randrange(len(MENU))]
                qty = 1 + (rng.random() < 0.2)
                item_id += 1
                items.append((item_id, order_id, pos, name, qty, price))
                lines.append(qty * price)
            subtotal = sum(lines)
            fee = 300 if platform != "manual" else 0
            discount = rng.choice((0, 0, 200, 500))
            total = subtotal + fee - discount
            commission = None if platform == "manual" else total * 18 // 100
            accepted = placed + 30 + rng.random() * 120
            prep = 300 + int(rng.random() * 1800)
            ready = accepted + prep
            ev = [("new", None, placed)]
            accepted_at = ready_at = None
            if status == "rejected":
                ev.append(("rejected", "new", placed + 60))
                closed = placed + 60
            else:
                accepted_at = ts(accepted)
                ev += [("accepted", "new", accepted), ("preparing", "accepted", accepted)]
                if status == "cancelled":
                    closed = accepted + 200
                    ev.append(("cancelled", "preparing", closed))
                else:
                    ready_at = ts(ready)
                    closed = ready + 600
                    ev += [("ready", "preparing", ready), ("completed", "ready", closed)]
            for to, frm, at in ev:
                event_id += 1
                events.append(
                    (
                        event_id,
                        order_id,
                        ts(at),
                        "status",
                        "kitchen",
                        frm,
                        to,
                        reason if to == status else None,
                    )
                )
            payment = rng.choice(("cash", "card")) if platform == "manual" else "online"
            orders.append(
                (
                    order_id, platform, f"X{order_id}", str(order_id % 10000), status, reason, "delivery",
                    ts(placed), ts(placed + 2700), "CNY", *customer(rng), subtotal, discount, fee, 0, 0, 0, 0,
                    total, commission, None, payment, 1, 0, ts(placed), ts(closed), accepted_at, ready_at, ts(closed),
                )
            )  # fmt: skip
        cur.executemany(order_sql, orders)
        cur.executemany(item_sql, items)
        cur.executemany(event_sql, events)
    raw.commit()
    for _name, sql in indexes:
        cur.execute(sql)
    raw.commit()
    cur.execute("ANALYZE")
    raw.commit()
    raw.close()
    database.close()
    return order_id, item_id, event_id


CUSTOMERS = 20_000  # a pool of repeat customers; a few order often, most a few times a year
SURNAMES = "王李张刘陈杨黄赵吴周"


def customer(rng: random.Random) -> tuple[str, str]:
    """(name, phone) as a platform gives them: a masked phone and a surname with a title."""
    who = int(rng.paretovariate(1.2)) * 7919 % CUSTOMERS
    return f"{SURNAMES[who % 10]}{'先生' if who % 3 else '女士'}", f"1{30 + who % 60}****{who:04d}"[:11]


def seal_copy(plain: Path, sealed: Path) -> tuple[Any, float]:
    """Copy the unencrypted database and open the copy as the app does: its first start seals it."""
    sealed.mkdir(parents=True, exist_ok=True)
    shutil.copy2(plain / DB_FILENAME, sealed / DB_FILENAME)
    t0 = perf_counter()
    db = open_database(sealed, keys=ephemeral_keys())
    return db, perf_counter() - t0


def compare(plain_db: Any, sealed_db: Any, day: date) -> None:
    """The same figures on the unencrypted and the sealed database, one after the other."""
    now = datetime.now(UTC)

    def figures(db: Any) -> list[tuple[str, Any, int]]:
        reports = ReportService(db, ReportOptions(tz=TZ))
        customers = CustomerService(db, clock=lambda: now)
        return [
            ("end-of-day report", lambda: reports.z_report_now(day), 20),
            ("customer segments, a year", customers.segments_now, 3),
            ("repeat customers, a year", lambda: asyncio.run(customers.repeat_customers()), 3),
        ]

    print("encryption at rest (best ms of runs alternating unencrypted and sealed; cost):")
    for (label, plain_fn, runs), (_label, sealed_fn, _runs) in zip(
        figures(plain_db), figures(sealed_db), strict=True
    ):
        plain = sealed = float("inf")
        for _ in range(runs):  # alternately: a busy machine's noise falls on both alike
            plain = min(plain, timed(plain_fn, 1)[0])
            sealed = min(sealed, timed(sealed_fn, 1)[0])
        print(f"  {label:<28} {plain:8.1f} / {sealed:8.1f} ms   cost {(sealed - plain) / plain * 100:+.1f} %")


def timed(fn, runs: int) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    samples = []
    for _ in range(runs):
        t0 = perf_counter()
        fn()
        samples.append((perf_counter() - t0) * 1000)
    return min(samples), statistics.median(samples)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--orders-per-day", type=int, default=1000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--keep", type=Path, help="build the database in this folder and keep it")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="posapp-bench-"))
    first = date(2025, 1, 1)
    last = first + timedelta(days=args.days - 1)
    t0 = time.perf_counter()
    n_orders, n_items, n_events = generate(folder, first, args.days, args.orders_per_day)
    print(
        f"generated {n_orders:,} orders, {n_items:,} items, {n_events:,} events in {time.perf_counter() - t0:.1f} s"
    )
    db, took = seal_copy(folder, folder / "sealed")
    print(
        f"first start on it with encryption: {n_orders:,} orders' personal fields sealed in {took:.1f} s (once)"
    )
    now = [datetime.now(UTC)]
    service = ReportService(db, ReportOptions(tz=TZ), clock=lambda: now[0])

    # 1. The end-of-day report of one business day: always computed live from the orders.
    day = first + timedelta(days=args.days // 2)
    report = service.z_report_now(day)
    print(f"day {day}: {report.orders} orders, gross {report.gross}, prep median {report.prep.median_s}s")
    best, median = timed(lambda: service.z_report_now(day), 20)
    print(f"end-of-day report: best {best:.1f} ms, median {median:.1f} ms (target < 100 ms)")

    # 2. Day close, as the running app does it a minute after every cut-off: the day that just closed is
    #    summarised into report_days. Replayed here for every day of the generated year, in order.
    db.call(rq.clear_cache)
    per_day = []
    for k in range(args.days):
        closing = service.period(first + timedelta(days=k))
        now[0] = closing.end + timedelta(minutes=1)
        t0 = perf_counter()
        asyncio.run(service.close_days(days_back=1))
        per_day.append((perf_counter() - t0) * 1000)
    print(
        f"day close, {args.days} days replayed: median {statistics.median(per_day):.1f} ms, "
        f"max {max(per_day):.1f} ms per day (once a day, in the background)"
    )
    slowest = first + timedelta(days=per_day.index(max(per_day)))
    print(f"(slowest day close: {slowest})")
    for label in ("first", "next"):  # the first re-check reads each day's orders changed after its close
        now[0] = service.period(last).end + timedelta(hours=1 if label == "first" else 2)
        t0 = perf_counter()
        asyncio.run(service.close_days())
        elapsed = (perf_counter() - t0) * 1000
        print(f"{label} hourly re-check of the last 400 days' summaries: {elapsed:.0f} ms in 58 DB calls")

    # 3. The year-range report: adds up the day summaries (plus refunds, read live).
    year = service.z_report_now(first, last)
    print(
        f"year {first}..{last}: {year.orders} orders, gross {year.gross}, top item {year.top_items[0].name}"
    )
    best_y, median_y = timed(lambda: service.z_report_now(first, last), 5)
    print(f"year-range report: best {best_y:.0f} ms, median {median_y:.0f} ms (target < 2000 ms)")

    # 4. A closed day changes later (a platform cancels an old order): only that day is summed up again.
    changed_at = (now[0] + timedelta(minutes=5)).strftime(FMT)
    db.engine.dispose()
    raw = db.engine.raw_connection()
    raw.cursor().execute(
        "UPDATE orders SET status = 'cancelled', updated_at = ? WHERE id = ?", (changed_at, n_orders // 3)
    )
    raw.commit()
    raw.close()
    now[0] += timedelta(minutes=10)
    t0 = perf_counter()
    after = service.z_report_now(first, last)
    print(
        f"year-range report after one old order changed: {(perf_counter() - t0) * 1000:.0f} ms "
        f"({year.cancelled} -> {after.cancelled} cancelled)"
    )

    # 5. No summaries at all: a year of history appearing at once (restored from a backup, or the first
    #    start after an upgrade). The app summarises it in the background at start-up, newest week first;
    #    a range report asked for meanwhile sums the missing weeks first and shows its progress.
    db.call(rq.clear_cache)
    t0 = perf_counter()
    asyncio.run(service.z_report(first, last))
    print(f"year-range report with no summaries kept yet (one-off): {(perf_counter() - t0) * 1000:.0f} ms")
    plain_db = open_database(folder, sealed=False)
    compare(plain_db, db, day)
    plain_db.close()
    db.close()
    ok = median < 100 and median_y < 2000
    print("PASS" if ok else "SLOW")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
