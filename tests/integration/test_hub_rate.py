"""The per-store rate limit is one limit for every hub process: two real processes on real PostgreSQL, pushes
for one store sent to both at once, and only the store's burst is taken; the rest get 429 with Retry-After."""

from __future__ import annotations

import asyncio
import json
import uuid
from pathlib import Path

import httpx

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
