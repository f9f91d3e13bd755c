"""Throw N mutated webhook pushes at the real listener, every platform, and count what it did with them.

Run: ``python benchmarks/fuzz_listener.py [--count 10000] [--seed 1]``. The listener, connectors, intake and
platform simulators run on their own loop thread with a temp SQLite data dir (``tests.webhook.live``); each
push comes from a simulator's order generator, is mutated (huge numbers, lone surrogates, long strings,
deep nesting, odd dates, values of any JSON type), then signed with its platform's rule or forged, posted
over loopback and judged by the rows it left. Prints answers by status, stored / quarantined / refused,
the broken promises (targets: no 5xx, no traceback logged, no signed push refused or neither stored nor
quarantined, no unsigned push accepted), RSS before and after, and the time beside a floor measured in the
same run: as many posts to a trivial aiohttp handler on the same loop. Exit status 1 if a target is missed.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from aiohttp import web

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.webhook.live import LiveListener, post_and_judge  # noqa: E402
from tests.webhook.mutation import Chooser  # noqa: E402
from tests.webhook.pushes import PLATFORMS  # noqa: E402
from tests.webhook.signing import forgeries  # noqa: E402

TARGETS = (
    "5xx",
    "traceback logged",
    "signed push refused",
    "signed push neither stored nor quarantined",
    "unsigned push changed the database",
    "unsigned push accepted",
)


def rss_mib() -> float:
    """Resident set size from /proc/self/status (VmRSS, kB)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def floor_seconds(live: LiveListener, count: int, body: bytes) -> float:
    """``count`` posts of ``body`` to a handler that reads it and answers 200, on the listener's own loop."""

    async def trivial(request: web.Request) -> web.Response:
        await request.read()
        return web.Response(text="ok")

    async def start() -> tuple[web.AppRunner, int]:
        app = web.Application(client_max_size=2 * 1024 * 1024)
        app.router.add_post("/floor", trivial)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        return runner, site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    runner, port = live.call(start())
    url = f"http://127.0.0.1:{port}/floor"
    t0 = time.perf_counter()
    for _ in range(count):
        live.http.post(url, content=body)
    elapsed = time.perf_counter() - t0
    live.call(runner.cleanup())
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000, help="mutated pushes to send (default 10,000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--show", type=int, default=3, help="examples to print of each broken promise")
    args = parser.parse_args()

    rng = random.Random(args.seed)
    ch = Chooser(rng.randint)
    with tempfile.TemporaryDirectory(prefix="posapp-fuzz-") as tmp:
        live = LiveListener(Path(tmp) / "data").start()
        try:
            rss_before = rss_mib()
            statuses: Counter[int] = Counter()
            kept: Counter[str] = Counter()
            problems: Counter[str] = Counter()
            examples: dict[str, list[str]] = {}
            t0 = time.perf_counter()
            for i in range(args.count):
                platform = PLATFORMS[i % len(PLATFORMS)]
                template = rng.choice(live.templates[platform])
                forged = forgeries(platform)
                how = rng.choice(("signed",) * len(forged) + forged)
                v = post_and_judge(live, template, ch, how)
                statuses[v.status] += 1
                kept[_kept(v.status, v.delta.quarantine, v.delta.stored)] += 1
                if v.problem:
                    key = (
                        "unsigned push accepted"
                        if v.problem.startswith("unsigned push answered")
                        else v.problem
                    )
                    problems[key] += 1
                    examples.setdefault(f"{key} ({platform})", []).append(v.detail)
            elapsed = time.perf_counter() - t0
            posted, in_posts = live.posted, live.post_seconds
            held_tasks = len(live.channels._tasks)
            rss_after = rss_mib()
            floor = floor_seconds(live, posted, b'{"order": "' + b"x" * 1000 + b'"}')
            tracebacks, first = live.tally.count, live.tally.first
        finally:
            live.stop()

    print(
        f"{args.count} mutated pushes over {', '.join(PLATFORMS)} (+{posted - args.count} base orders for events)"
    )
    print("answers by status:", dict(sorted(statuses.items())))
    print("kept:", dict(kept))
    print(
        f"elapsed {elapsed:.1f} s in all; in posts {in_posts:.1f} s, {1000 * in_posts / posted:.2f} ms a post"
    )
    print("  (the rest: building, mutating and signing pushes, counting rows before and after each post)")
    print(f"floor: {posted} posts to a trivial aiohttp handler on the same loop, {floor:.1f} s", end="")
    print(
        f" ({1000 * floor / posted:.2f} ms a post); the listener's posts take {in_posts / floor:.1f}x the floor"
    )
    print(f"RSS before {rss_before:.1f} MiB, after {rss_after:.1f} MiB (+{rss_after - rss_before:.1f})")
    print(f"tasks still held by ChannelService after the run: {held_tasks}")
    print(f"log records with a traceback or at ERROR: {tracebacks}")
    for line in first:
        print("   ", line[:300])
    missed = False
    for target in TARGETS:
        n = tracebacks if target == "traceback logged" else problems[target]
        missed |= n > 0
        print(f"{target}: {n} (target 0)")
    for key, details in sorted(examples.items()):
        for detail in details[: args.show]:
            print(f"  e.g. {key}: {detail[:600]}")
    print("MISSED A TARGET" if missed else "ALL TARGETS MET")
    return 1 if missed else 0


def _kept(status: int, quarantined: int, stored: int) -> str:
    if status in (401, 403):
        return "refused"
    if quarantined:
        return "quarantined"
    if stored:
        return "stored"
    return f"answered {status}, nothing kept"


if __name__ == "__main__":
    sys.exit(main())
