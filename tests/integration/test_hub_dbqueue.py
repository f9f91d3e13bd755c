"""A platform push is not held up by link bookkeeping queued for the hub's database threads before it: with the
threads busy and forty bookkeeping transactions waiting, a webhook is answered after at most the one running,
while in arrival order it waits for all of them. Timed inside the hub (its queue waits per kind)."""

from __future__ import annotations

import asyncio
import threading
import time
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import Connection

from posapp.connectors.simulator import Simulator
from posapp.hub.app import HubServer
from posapp.hub.dbpool import Priority
from tests.integration.test_hub_webhooks import own_request, with_hub

BOOKKEEPING = 40


def _push_behind_bookkeeping(tmp: Path, *, db_priority: bool) -> dict[str, Any]:
    got: dict[str, Any] = {}

    async def scenario(hub: HubServer, sim: Simulator, client: httpx.AsyncClient) -> None:
        busy, release = threading.Event(), threading.Event()
        done: list[float] = []

        def hold(_c: Connection) -> None:
            busy.set()
            release.wait(10)

        def bookkeeping(_c: Connection) -> None:
            time.sleep(0.02)  # as a link's start or heartbeat transaction would take under load
            done.append(time.monotonic())

        held = asyncio.ensure_future(hub.run(hold, Priority.BOOKKEEPING))
        while not busy.is_set():
            await asyncio.sleep(0.01)
        queued = [
            asyncio.ensure_future(hub.run(bookkeeping, Priority.BOOKKEEPING)) for _ in range(BOOKKEEPING)
        ]
        body, headers = own_request(sim)
        post = asyncio.ensure_future(client.post("/webhooks/own", content=body, headers=headers))
        await asyncio.sleep(0.3)  # the push is read and waits for the database thread
        hub.db_waits()  # the window starts here
        release.set()
        answer = await post
        got["status"] = answer.status_code
        got["bookkeeping_before"] = len(done)
        await asyncio.gather(held, *queued)
        got["waits"] = hub.db_waits()

    with_hub(tmp, scenario, db_threads=1, db_priority=db_priority)
    return got


def test_a_push_is_answered_before_the_bookkeeping_queued_ahead_of_it(tmp_path: Path) -> None:
    got = _push_behind_bookkeeping(tmp_path, db_priority=True)
    assert got["status"] == 200
    # At most what was on the thread between the push's two transactions (its store, then its insert).
    assert got["bookkeeping_before"] <= 2
    waits = got["waits"]
    assert waits["push"]["n"] >= 1 and waits["bookkeeping"]["n"] == BOOKKEEPING
    assert waits["push"]["max_ms"] < waits["bookkeeping"]["p50_ms"]  # inside the hub: pushes waited least


def test_in_arrival_order_the_push_waits_for_all_the_bookkeeping(tmp_path: Path) -> None:
    got = _push_behind_bookkeeping(tmp_path, db_priority=False)
    assert got["status"] == 200
    assert got["bookkeeping_before"] == BOOKKEEPING  # what the tail in bench_hub came from
    assert got["waits"]["push"]["max_ms"] >= BOOKKEEPING * 20 * 0.9
