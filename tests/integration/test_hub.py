"""The hub over loopback with real processes, on real PostgreSQL and on SQLite: platforms push signed orders for
three stores to two hub processes; each counter, linked to one of them, gets exactly its own orders, catches up
after being offline, loses nothing when a hub process is killed, and is shut out when its token is revoked."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import aiohttp
import httpx
import pytest
from sqlalchemy import Engine, text

from posapp.hub.sealing import Sealer
from posapp.services.relay import TOKEN_REFUSED
from tests.hub_support import (
    ROOT,
    Balancer,
    Counter,
    HubProcess,
    database,
    eventually,
    hub_env,
    make_sim,
    new_hub_key,
    open_hub_db,
    push_own,
    register_store,
    run_async,
    store_token_headers,
)


@dataclass
class Cluster:
    kind: str
    url: str
    engine: Engine
    sealer: Sealer
    env: dict[str, str]
    hubs: list[HubProcess]
    tmp: Path


def start_cluster(kind: str, tmp: Path, url: str) -> Cluster:
    key = new_hub_key()
    engine = open_hub_db(url)  # migrated here; the processes find the schema at its head
    env = hub_env(tmp, key)
    hubs = [HubProcess(url, env, "--heartbeat", "0.5", "--resend-after", "5") for _ in range(2)]
    return Cluster(kind, url, engine, Sealer(key), env, hubs, tmp)


@pytest.fixture(scope="module", params=["postgresql", "sqlite"])
def cluster(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    tmp = tmp_path_factory.mktemp(f"hub-{request.param}")
    with database(request.param, tmp) as url:
        c = start_cluster(request.param, tmp, url)
        try:
            yield c
        finally:
            for hub in c.hubs:
                hub.stop()
            c.engine.dispose()


def pushes_of(engine: Engine, store: str) -> list[tuple[int, bool]]:
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT p.id, p.acked_at IS NOT NULL FROM hub_pushes p JOIN hub_stores s ON s.id = p.store_id "
                "WHERE s.name = :n ORDER BY p.id"
            ),
            {"n": store},
        ).all()
    return [(r[0], bool(r[1])) for r in rows]


def test_three_stores_on_two_processes_each_counter_gets_exactly_its_own_orders(cluster: Cluster) -> None:
    async def scenario() -> None:
        names = [f"three-{n}" for n in range(3)]
        sims = [make_sim(n, name) for n, name in enumerate(names)]
        counters = []
        try:
            for n, (name, sim) in enumerate(zip(names, sims, strict=True)):
                await sim.start()
                token = register_store(cluster.engine, cluster.sealer, name, sim)
                counter = Counter(cluster.tmp / name, cluster.hubs[n % 2].url, token)
                counter.start()
                counters.append(counter)
            for counter in counters:
                await asyncio.wait_for(counter.relay.connected.wait(), 10)
            # Each store's platforms push to both processes in turn (a load balancer in front of them).
            for round_ in range(4):
                for n, sim in enumerate(sims):
                    sim.webhook_base = cluster.hubs[(n + round_) % 2].url
                    await sim.emit(("meituan", "eleme", "own")[round_ % 3])
            for sim, counter in zip(sims, counters, strict=True):
                expected = [(o["platform"], o["external_id"]) for o in sim.orders]
                got = await counter.wait_for(len(expected))
                assert sorted(got) == sorted(expected)  # its own, all of them, nothing of another store
            for name in names:
                assert await eventually(lambda name=name: _all_acked(cluster.engine, name))
        finally:
            for counter in counters:
                await counter.stop()
                counter.close()
            for sim in sims:
                await sim.stop()

    run_async(scenario())


async def _all_acked(engine: Engine, store: str) -> bool:
    rows = await asyncio.to_thread(pushes_of, engine, store)
    return bool(rows) and all(acked for _, acked in rows)


def test_an_offline_counter_gets_its_backlog_in_order_when_it_returns(cluster: Cluster) -> None:
    async def scenario() -> None:
        name = "offline"
        sim = make_sim(7, name)
        await sim.start()
        token = register_store(cluster.engine, cluster.sealer, name, sim)
        data = cluster.tmp / name
        try:
            sent = [("own", await push_own(sim, cluster.hubs[n % 2].url)) for n in range(12)]
            async with httpx.AsyncClient() as client:
                me = (
                    await client.get(f"{cluster.hubs[0].url}/v1/store", headers=store_token_headers(token))
                ).json()
            assert me["store"] == name and me["backlog"] == 12  # kept at the hub while the counter is away
            counter = Counter(data, cluster.hubs[1].url, token)
            counter.start()
            try:
                got = await counter.wait_for(len(sent))
                assert got == sent  # in the order the platform pushed them
                more = [("own", await push_own(sim, cluster.hubs[0].url)) for _ in range(3)]
                assert await counter.wait_for(len(sent) + 3) == sent + more  # and live again after
            finally:
                await counter.stop()
                counter.close()
        finally:
            await sim.stop()

    run_async(scenario())


def test_a_store_reads_only_its_own_feed_and_writes_only_its_own_uploads(cluster: Cluster) -> None:
    async def scenario() -> None:
        sims = [make_sim(20, "own-a"), make_sim(21, "own-b")]
        tokens = [
            register_store(cluster.engine, cluster.sealer, f"own-{x}", sim)
            for x, sim in zip("ab", sims, strict=True)
        ]
        for sim in sims:
            await sim.start()
        try:
            a_sent = {await push_own(sims[0], cluster.hubs[0].url) for _ in range(3)}
            for _ in range(3):
                await push_own(sims[1], cluster.hubs[1].url)
            b_ids = [i for i, _ in pushes_of(cluster.engine, "own-b")]
            seen: list[dict[str, object]] = []
            async with aiohttp.ClientSession() as session:
                async with session.ws_connect(
                    f"{cluster.hubs[1].url}/v1/relay", headers=store_token_headers(tokens[0])
                ) as ws:
                    for b_id in b_ids:  # acknowledging B's pushes with A's token changes nothing
                        await ws.send_json({"type": "ack", "id": b_id})
                    while len([m for m in seen if m.get("type") == "push"]) < 3:
                        seen.append(await ws.receive_json(timeout=10))
                    with pytest.raises(asyncio.TimeoutError):
                        seen.append(await ws.receive_json(timeout=0.5))
                got = {json.loads(_body(m))["external_id"] for m in seen if m.get("type") == "push"}
                assert got == a_sent
                assert not any(acked for _, acked in pushes_of(cluster.engine, "own-b"))
                # Uploads: a store's token writes that store's rows only.
                batch = {"store_id": "own-b", "rows": []}
                async with session.post(
                    f"{cluster.hubs[0].url}/v1/batches", json=batch, headers=store_token_headers(tokens[0])
                ) as resp:
                    assert resp.status == 403
                batch["store_id"] = "own-a"
                async with session.post(
                    f"{cluster.hubs[0].url}/v1/batches", json=batch, headers=store_token_headers(tokens[0])
                ) as resp:
                    assert resp.status == 200
        finally:
            for sim in sims:
                await sim.stop()

    run_async(scenario())


def _body(message: dict[str, object]) -> bytes:
    import base64

    return base64.b64decode(str(message["body"]))


def test_a_revoked_token_is_refused_and_its_open_link_closed(cluster: Cluster) -> None:
    async def scenario() -> None:
        name = "revoked"
        sim = make_sim(30, name)
        await sim.start()
        token = register_store(cluster.engine, cluster.sealer, name, sim)
        counter = Counter(cluster.tmp / name, cluster.hubs[0].url, token)
        counter.start()
        try:
            await asyncio.wait_for(counter.relay.connected.wait(), 10)
            done = await asyncio.to_thread(
                subprocess.run,
                [sys.executable, "-m", "posapp", "hub", "stores", "revoke", name, "--db", cluster.url],
                cwd=ROOT,
                env=cluster.env,
                capture_output=True,
                text=True,
                timeout=60,
            )
            assert done.returncode == 0, done.stderr
            assert await eventually(lambda: _said(counter, TOKEN_REFUSED), timeout=10)
            async with aiohttp.ClientSession() as session:
                with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                    await session.ws_connect(
                        f"{cluster.hubs[1].url}/v1/relay", headers=store_token_headers(token)
                    )
                assert refused.value.status == 401
                async with session.get(
                    f"{cluster.hubs[1].url}/v1/store", headers=store_token_headers(token)
                ) as r:
                    assert r.status == 401
        finally:
            await counter.stop()
            counter.close()
            await sim.stop()

    run_async(scenario())


async def _said(counter: Counter, text_: str) -> bool:
    return text_ in counter.notices


@pytest.mark.parametrize("kind", ["postgresql", "sqlite"])
def test_kill_9_of_a_hub_process_mid_stream_loses_and_duplicates_nothing(kind: str, tmp_path: Path) -> None:
    with database(kind, tmp_path) as url:
        c = start_cluster(kind, tmp_path, url)
        try:
            run_async(_kill_scenario(c), timeout=90)
        finally:
            for hub in c.hubs:
                hub.stop()
            c.engine.dispose()


async def _kill_scenario(c: Cluster) -> None:
    name = "killed"
    sim = make_sim(40, name)
    await sim.start()
    token = register_store(c.engine, c.sealer, name, sim)
    balancer = Balancer([h.port for h in c.hubs])
    front = await balancer.start()
    counter = Counter(c.tmp / name, front, token)
    counter.start()
    sent: list[tuple[str, str]] = []
    try:
        await asyncio.wait_for(counter.relay.connected.wait(), 10)
        for n in range(60):
            if n == 20:
                await asyncio.to_thread(c.hubs[1].kill9)  # pushes and perhaps the counter's link were on it
            sent.append(("own", await push_own(sim, front)))
            await asyncio.sleep(0.02)
        got = await counter.wait_for(len(sent), timeout=30)
        assert len(got) == len(set(got)) == len(sent)
        assert set(got) == set(sent)
        rows = await asyncio.to_thread(pushes_of, c.engine, name)
        assert len(rows) == len(sent)  # a push resent after a lost answer is kept once at the hub too
        assert await eventually(lambda: _all_acked(c.engine, name), timeout=15)
    finally:
        await counter.stop()
        counter.close()
        await balancer.stop()
        await sim.stop()
