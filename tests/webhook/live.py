"""A live webhook listener: every platform's connector and simulator, one SQLite file, one engine thread.

The listener, intake and the simulators run on their own asyncio loop in a thread (as the engine runs beside
the GUI), so a test or a benchmark drives it with plain blocking HTTP over loopback and reads row counts
between requests.
"""

from __future__ import annotations

import asyncio
import json
import logging
import threading
import time
from collections.abc import Callable, Coroutine, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import httpx
from aiohttp.http_exceptions import HttpProcessingError
from sqlalchemy import text

from posapp.connectors import registry
from posapp.connectors.simulator import Simulator
from posapp.services.channels import ChannelService
from posapp.services.hub import Hub
from posapp.services.intake import IntakeService
from posapp.store.db import Database, open_database
from tests.webhook.mutation import Chooser, mutated
from tests.webhook.oracle import COUNTED, Counts, Verdict, judge
from tests.webhook.pushes import PATHS, PLATFORMS, TEMPLATES, Push, has_surrogate, with_fresh_id
from tests.webhook.signing import Signer, Wire

T = TypeVar("T")


class LogTally(logging.Handler):
    """Counts log records that carry a traceback or sit at ERROR and above; keeps the first few."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.count = 0
        self.first: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        exc = record.exc_info[1] if record.exc_info else None
        if isinstance(exc, HttpProcessingError):
            return  # aiohttp refusing a malformed request (the simulator given a 10,000-character URL): a 400
        if record.levelno >= logging.ERROR or record.exc_info:
            self.count += 1
            if len(self.first) < 5:
                exc = record.exc_info[1] if record.exc_info else None
                self.first.append(f"{record.name}: {record.getMessage()} {exc!r}")


@dataclass
class LiveListener:
    """Start with :meth:`start`; then :meth:`post` pushes and read :meth:`counts` between them."""

    data_dir: Path
    platforms: Iterable[str] = PLATFORMS
    seed: int = 11
    loop: asyncio.AbstractEventLoop = field(init=False)
    tally: LogTally = field(init=False, default_factory=LogTally)
    posted: int = field(init=False, default=0)
    post_seconds: float = field(init=False, default=0.0)  # time spent in posts, not in counting rows

    def start(self) -> LiveListener:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, name="live-listener", daemon=True)
        self._thread.start()
        logging.getLogger().addHandler(self.tally)
        self.db: Database = open_database(self.data_dir)
        self.sim = Simulator(platforms=tuple(self.platforms), seed=self.seed)
        self.call(self._start())
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.sim.webhook_base = self.base_url
        self.signer = Signer(self.sim, self.base_url)
        self.http = httpx.Client(base_url=self.base_url, timeout=httpx.Timeout(20.0, connect=5.0))
        self.templates = {name: TEMPLATES[name](self.sim) for name in self.sim.platforms}
        return self

    async def _start(self) -> None:
        await self.sim.start()
        hub = Hub()
        connectors = [
            registry.make(n, base_url=self.sim.url_for(n), app_id=p.app_id, secret=p.secret)
            for n, p in self.sim.platforms.items()
        ]
        self.intake = IntakeService(self.db, hub)
        self.channels = ChannelService(self.intake, hub, connectors)
        self.port = await self.channels.start_listener("127.0.0.1", 0)

    def call(self, coro: Coroutine[Any, Any, T], timeout: float = 30.0) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def stop(self) -> None:
        self.http.close()

        async def down() -> None:
            await self.channels.stop()
            await self.sim.stop()

        self.call(down())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(10)
        self.loop.close()
        self.db.close()
        logging.getLogger().removeHandler(self.tally)

    # -- requests --------------------------------------------------------------------------------------------
    def post(self, platform: str, wire: Wire) -> httpx.Response:
        self.posted += 1
        served = self.sim.platforms["ubereats"].orders if "ubereats" in self.sim.platforms else {}
        if wire.fetched is not None:  # Uber Eats: the simulator serves the order the notification names
            served[wire.fetched_key] = wire.fetched
        t0 = time.perf_counter()
        try:
            return self.http.post(PATHS[platform], content=wire.body, headers=wire.headers)
        finally:
            self.post_seconds += time.perf_counter() - t0
            served.pop(wire.fetched_key, None)  # fetched by now; the simulator need not keep it

    def deliver(self, push: Push) -> httpx.Response:
        """Post ``push`` signed correctly (its order first, for an event)."""
        if push.order is not None:
            first = self.deliver(push.order)
            assert first.status_code == 200, f"{push.platform} base order refused: {first.status_code}"
        return self.post(push.platform, self.signer.sign(push))

    # -- the database ----------------------------------------------------------------------------------------
    def counts(self) -> Counts:
        def work(session: Any) -> Counts:
            return Counts(*(session.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in COUNTED))

        return self.call(self.db.run(work))

    def known(self, platform: str, ids: Iterable[str]) -> set[str]:
        """Which of ``ids`` the store already holds for ``platform`` (an order, or a message awaiting it)."""
        wanted = sorted(i for i in ids if not has_surrogate(i))  # such an id cannot be stored anyway
        if not wanted:
            return set()

        def work(session: Any) -> set[str]:
            found: set[str] = set()
            for table in ("orders", "pending_messages"):
                for ext in wanted:
                    row = session.execute(
                        text(f"SELECT 1 FROM {table} WHERE platform = :p AND external_id = :e LIMIT 1"),
                        {"p": platform, "e": ext},
                    ).first()
                    if row is not None:
                        found.add(ext)
            return found

        return self.call(self.db.run(work))

    def quarantine_reason(self) -> str | None:
        def work(session: Any) -> str | None:
            return session.execute(text("SELECT reason FROM quarantine ORDER BY id DESC LIMIT 1")).scalar()

        return self.call(self.db.run(work))


def post_and_judge(
    live: LiveListener, template: Push, ch: Chooser, how: str, *, mutate: Callable[..., Push] | None = None
) -> Verdict:
    """One fuzz step: a fresh order id, its base order stored first for an event, then the mutated push,
    signed (``how == "signed"``) or forged, posted and judged by the row counts it left."""
    original = with_fresh_id(template)
    signed = how == "signed"
    if original.order is not None:
        first = live.deliver(original.order)
        if first.status_code != 200:  # the unmutated order, signed: nothing else to judge
            v = Verdict(original.platform, True, first.status_code, Counts(0, 0, 0, 0), "signed push refused")
            v.detail = f"the unmutated {original.platform} order push answered {first.status_code}"
            if first.status_code >= 500:
                v.problem = "5xx"
            return v
    push = (mutate or mutated)(original, ch, signed=signed)
    wire = live.signer.sign(push) if signed else live.signer.forge(push, how)
    known = live.known(push.platform, push.ids())
    before, traces = live.counts(), live.tally.count
    resp = live.post(push.platform, wire)
    delta = live.counts() - before
    v = judge(
        push,
        original,
        wire,
        signed=signed,
        status=resp.status_code,
        delta=delta,
        known_before=known,
        tracebacks=live.tally.count - traces,
    )
    v.detail = describe(push, wire, how, resp)
    return v


def describe(push: Push, wire: Wire, how: str, resp: httpx.Response) -> str:
    """A failure report short enough to read: how it was signed, the body's start, what came back."""
    out = f"{how} {push.platform} {push.kind} push; body {len(wire.body)} bytes: {wire.body[:400]!r}"
    if wire.fetched is not None:
        out += f"; Uber served for it: {json.dumps(wire.fetched, default=repr)[:400]}"
    return out + f"; answered {resp.status_code} {resp.text[:200]!r}"
