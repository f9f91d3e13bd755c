"""The hub's rate limits are one limit for every hub process: two real processes on real PostgreSQL. Pushes for
one store sent to both at once take only the store's burst; pairing tries from one address sent to both take
only that address's burst; the rest get 429 with Retry-After, and a right code after the wait still pairs."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import httpx

from posapp.hub import stores
from posapp.hub.sealing import Sealer
from tests.hub_support import (
    HubProcess,
    database,
    hub_env,
    make_sim,
    new_hub_key,
    open_hub_db,
    register_store,
    run_async,
)

BURST = 6


def test_two_hub_processes_share_one_rate_limit_per_store(tmp_path: Path) -> None:
    with database("postgresql", tmp_path) as url:
        key = new_hub_key()
        engine = open_hub_db(url)
        env = hub_env(tmp_path, key)
        # 0.01 a second: no token comes back during the test, so the burst is all a store gets.
        hubs = [HubProcess(url, env, "--rate", "0.01", "--burst", str(BURST)) for _ in range(2)]
        try:
            sim = make_sim(1, "limited")
            other = make_sim(2, "other")
            register_store(engine, Sealer(key), "limited", sim)
            register_store(engine, Sealer(key), "other", other)

            async def scenario() -> tuple[list[httpx.Response], httpx.Response]:
                async with httpx.AsyncClient(timeout=10) as client:

                    async def push(n: int) -> httpx.Response:
                        order = sim.make_order("own")
                        order["external_id"] = f"WEB-{uuid.uuid4().hex[:10]}"
                        body = json.dumps(order, ensure_ascii=False).encode()
                        headers = sim.platforms["own"].headers(body)  # type: ignore[attr-defined]
                        return await client.post(
                            f"{hubs[n % 2].url}/webhooks/own", content=body, headers=headers
                        )

                    first = [await push(0), await push(1)]  # one taken by each process
                    answers = first + list(await asyncio.gather(*(push(n) for n in range(4 * BURST - 2))))
                    order = other.make_order("own")
                    body = json.dumps(order, ensure_ascii=False).encode()
                    headers = other.platforms["own"].headers(body)  # type: ignore[attr-defined]
                    another = await client.post(f"{hubs[1].url}/webhooks/own", content=body, headers=headers)
                    return answers, another

            answers, another = run_async(scenario())
        finally:
            for hub in hubs:
                hub.stop()
            engine.dispose()
    statuses = sorted(r.status_code for r in answers)
    assert statuses == [200] * BURST + [429] * (3 * BURST)  # one burst for both processes, never a 500
    for refused in (r for r in answers if r.status_code == 429):
        assert int(refused.headers["Retry-After"]) >= 1
        assert refused.json()["error"] == "too many pushes, retry later"  # the own channel's error shape
    assert [r.status_code for r in answers[:2]] == [200, 200]  # both processes took from the one bucket
    assert another.status_code == 200  # another store has a bucket of its own


PAIR_BURST = 4


def test_two_hub_processes_share_one_pairing_limit_per_address(tmp_path: Path) -> None:
    with database("postgresql", tmp_path) as url:
        key = new_hub_key()
        engine = open_hub_db(url)
        env = hub_env(tmp_path, key)
        # One try every 4 s per address: the burst is all an address gets during the guesses.
        limit = ("--pair-rate", "0.25", "--pair-burst", str(PAIR_BURST))
        hubs = [HubProcess(url, env, *limit) for _ in range(2)]
        try:
            with engine.begin() as conn:
                first = stores.add(conn, "first", datetime.now(UTC))
                second = stores.add(conn, "second", datetime.now(UTC))
            wrong = "00000-00000" if first.code != "00000-00000" else "00000-00001"

            async def scenario() -> dict[str, object]:
                async with httpx.AsyncClient(timeout=10) as client:

                    async def pair(n: int, code: str, **headers: str) -> httpx.Response:
                        return await client.post(
                            f"{hubs[n % 2].url}/v1/pair", json={"code": code}, headers=headers
                        )

                    guesses = await asyncio.gather(*(pair(n, wrong) for n in range(4 * PAIR_BURST)))
                    # Another address (as the reverse proxy on this machine names it) has a bucket of its own.
                    elsewhere = await pair(1, second.code, **{"X-Real-IP": "203.0.113.7"})
                    too_soon = await pair(0, first.code)
                    wait = int(too_soon.headers.get("Retry-After", "0"))
                    started = time.monotonic()
                    await asyncio.sleep(wait)
                    after_wait = await pair(1, first.code)
                    token = after_wait.json().get("token", "") if after_wait.status_code == 200 else ""
                    me = await client.get(
                        f"{hubs[0].url}/v1/store", headers={"Authorization": f"Bearer {token}"}
                    )
                    return {
                        "guesses": guesses,
                        "elsewhere": elsewhere,
                        "too_soon": too_soon,
                        "waited": time.monotonic() - started,
                        "after_wait": after_wait,
                        "me": me,
                    }

            got = run_async(scenario())
        finally:
            for hub in hubs:
                hub.stop()
            engine.dispose()
    guesses: list[httpx.Response] = got["guesses"]  # type: ignore[assignment]
    # One burst for both processes together (wrong codes: 403), the rest 429, never a 500.
    assert sorted(r.status_code for r in guesses) == [403] * PAIR_BURST + [429] * (3 * PAIR_BURST)
    for refused in (r for r in guesses if r.status_code == 429):
        assert 1 <= int(refused.headers["Retry-After"]) <= 4
        assert refused.json()["error"] == "too_many"
    elsewhere: httpx.Response = got["elsewhere"]  # type: ignore[assignment]
    assert elsewhere.status_code == 200 and elsewhere.json()["store"] == "second"
    too_soon: httpx.Response = got["too_soon"]  # type: ignore[assignment]
    assert too_soon.status_code == 429  # even the right code waits its turn: the limit is before the check
    after_wait: httpx.Response = got["after_wait"]  # type: ignore[assignment]
    assert after_wait.status_code == 200 and after_wait.json()["store"] == "first"
    me: httpx.Response = got["me"]  # type: ignore[assignment]
    assert me.status_code == 200 and me.json()["store"] == "first"  # the token works on the other process
