"""Real things for the hub's tests: a PostgreSQL database of its own, hub processes, a TCP load balancer,
simulated platforms per store, and counters (intake + channels + relay client on a temp SQLite file)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
import uuid
from collections.abc import Awaitable, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import httpx
from sqlalchemy import Engine, select, text

from posapp.connectors.simulator import Simulator
from posapp.hub import stores
from posapp.hub.db import make_engine
from posapp.hub.sealing import Sealer, new_key
from posapp.services.channels import ChannelService
from posapp.services.hub import Hub
from posapp.services.intake import IntakeService
from posapp.services.planner import JobPlanner
from posapp.services.relay import RelayClient
from posapp.store.db import Database, open_database
from posapp.store.tables import OrderRow

ROOT = Path(__file__).resolve().parents[1]
PG_ADMIN = os.environ.get("POSAPP_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")
T = TypeVar("T")


def run_async(coro: Awaitable[T], timeout: float = 60.0) -> T:
    """Run ``coro`` on a fresh loop in its own thread: the Qt tests mark their session loop as running in the
    main thread, and the hub's tests need no Qt."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result(timeout=timeout)  # type: ignore[arg-type]


@contextlib.contextmanager
def database(kind: str, tmp: Path) -> Iterator[str]:
    """A fresh, empty database URL: a PostgreSQL database of its own (dropped after), or a SQLite file."""
    if kind == "sqlite":
        yield f"sqlite:///{tmp / 'hub.db'}"
        return
    import psycopg

    name = f"hub_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield PG_ADMIN.replace("postgresql://", "postgresql+psycopg://").rsplit("/", 1)[0] + f"/{name}"
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def hub_env(tmp: Path, key: str) -> dict[str, str]:
    """The hub key as a systemd credential would hand it over; a keyring that holds nothing."""
    creds = tmp / "credentials"
    creds.mkdir(exist_ok=True)
    (creds / "hub-key").write_text(key + "\n", encoding="utf-8")
    env = dict(os.environ)
    env.update(CREDENTIALS_DIRECTORY=str(creds), PYTHONPATH=str(ROOT))
    return env


class HubProcess:
    """``posapp hub`` in its own process on a free loopback port."""

    def __init__(self, db_url: str, env: dict[str, str], *extra: str) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "posapp", "hub", "--port", "0", "--db", db_url, *extra],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()  # "hub listening on http://127.0.0.1:PORT"
        assert "listening on" in line, line + self.proc.stdout.read()
        self.url = line.split("listening on ")[1].strip()
        self.port = int(self.url.rsplit(":", 1)[1])
        self.log: list[str] = []
        self._drained = threading.Event()
        threading.Thread(target=self._drain, daemon=True).start()

    def _drain(self) -> None:
        assert self.proc.stdout is not None
        with self.proc.stdout:
            for line in self.proc.stdout:
                self.log.append(line)
        self._drained.set()

    def kill9(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=10)
        self._drained.wait(timeout=10)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        self._drained.wait(timeout=10)


class Balancer:
    """A TCP load balancer on loopback: each connection goes to the next backend that accepts it."""

    def __init__(self, ports: list[int]) -> None:
        self.ports = ports
        self._next = 0
        self._server: asyncio.Server | None = None
        self.url = ""

    async def start(self) -> str:
        self._server = await asyncio.start_server(self._connection, "127.0.0.1", 0)
        self.url = f"http://127.0.0.1:{self._server.sockets[0].getsockname()[1]}"
        return self.url

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._server.wait_closed(), 2)

    async def _connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        for k in range(len(self.ports)):
            port = self.ports[(self._next + k) % len(self.ports)]
            try:
                up_reader, up_writer = await asyncio.open_connection("127.0.0.1", port)
            except OSError:
                continue
            self._next = (self._next + k + 1) % len(self.ports)
            break
        else:
            writer.close()
            return

        async def pipe(src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
            try:
                while data := await src.read(65536):
                    dst.write(data)
                    await dst.drain()
            except (ConnectionError, OSError):
                pass
            finally:
                with contextlib.suppress(Exception):
                    dst.close()

        await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))


@dataclass
class StoreSetup:
    """One store at the hub and its simulated platforms (their own store keys and secrets)."""

    name: str
    token: str
    sim: Simulator
    sent: list[tuple[str, str]] = field(default_factory=list)  # (platform, external id) in the order pushed


def register_store(engine: Engine, sealer: Sealer, name: str, sim: Simulator) -> str:
    """The store, and its platforms with the simulator's store keys and this store's own secrets."""
    now = datetime.now(UTC)
    keys = {"meituan": "poi_code", "eleme": "shop_id", "own": "store_key", "doordash": "store_id"}
    with engine.begin() as conn:
        issued = stores.add(conn, name, now)
        store = stores.by_name(conn, name)
        assert store is not None
        for platform, plat in sim.platforms.items():
            stores.set_platform(
                conn,
                store.id,
                platform,
                str(getattr(plat, keys[platform])),
                app_id=plat.app_id,
                secret_sealed=sealer.seal(plat.secret),
                options={},
            )
    return issued.token


def make_sim(n: int, name: str) -> Simulator:
    """Meituan, Ele.me and the own website for store ``n``: distinct store keys and secrets per store."""
    sim = Simulator(platforms=("meituan", "eleme", "own"), seed=n)
    sim.platforms["meituan"].poi_code = f"poi-{name}"  # type: ignore[attr-defined]
    sim.platforms["eleme"].shop_id = str(900000 + n)  # type: ignore[attr-defined]
    sim.platforms["own"].store_key = f"site-{n}"  # type: ignore[attr-defined]
    for platform, plat in sim.platforms.items():
        plat.secret = f"{platform}-secret-of-{name}"
    return sim


async def push_own(sim: Simulator, base: str, *, attempts: int = 100) -> str:
    """One signed own-site order sent until the hub says 200 — the same bytes each time, as a platform resends."""
    order = sim.make_order("own")
    order["external_id"] = f"WEB-{uuid.uuid4().hex[:10]}"
    body = json.dumps(order, ensure_ascii=False).encode()
    headers = sim.platforms["own"].headers(body)  # type: ignore[attr-defined]
    async with httpx.AsyncClient(timeout=5.0) as client:
        for _ in range(attempts):
            try:
                resp = await client.post(f"{base}/webhooks/own", content=body, headers=headers)
                if resp.status_code == 200:
                    return str(order["external_id"])
            except httpx.HTTPError:
                pass
            await asyncio.sleep(0.05)
    raise AssertionError("the hub never took the push")


class Counter:
    """A counter's intake and channels on its own SQLite file, fed by the hub's relay feed."""

    def __init__(
        self,
        data_dir: Path,
        url: str,
        token: str,
        *,
        upload_backlog: Callable[[], Awaitable[int]] | None = None,
    ) -> None:
        self.db: Database = open_database(data_dir)
        self.hub = Hub()
        self.intake = IntakeService(self.db, self.hub, JobPlanner())
        self.channels = ChannelService(self.intake, self.hub, [])
        self.token = token
        self.relay = RelayClient(
            self.channels,
            self.hub,
            url,
            lambda: self.token,
            upload_backlog=upload_backlog,
            min_delay=0.05,
            max_delay=0.5,
        )
        self.notices: list[str] = []
        self.hub.on_notice(lambda n: self.notices.append(n.text) if n.source == "hub" else None)

    def start(self) -> None:
        self.relay.start()

    async def stop(self) -> None:
        await self.relay.stop()
        await self.channels.stop()

    def close(self) -> None:
        self.db.close()

    def orders(self) -> list[tuple[str, str]]:
        """(platform, external id) of every order here, in the order they were stored."""
        return [
            (r.platform, r.external_id)
            for r in self.db.call(
                lambda s: s.execute(
                    select(OrderRow.platform, OrderRow.external_id).order_by(OrderRow.id)
                ).all()
            )
        ]

    async def wait_for(self, count: int, timeout: float = 20.0) -> list[tuple[str, str]]:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            got = await asyncio.to_thread(self.orders)
            if len(got) >= count or loop.time() > deadline:
                return got
            await asyncio.sleep(0.05)


async def eventually(check: Callable[[], Awaitable[bool]], timeout: float = 15.0) -> bool:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        if await check():
            return True
        await asyncio.sleep(0.05)
    return await check()


def unacked(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text("SELECT count(*) FROM hub_pushes WHERE acked_at IS NULL")).scalar_one())


def new_hub_key() -> str:
    return new_key()


def open_hub_db(url: str) -> Engine:
    return make_engine(url, pool_size=2)


OFFICE_LOGIN = ("office", "office-password-1")


async def office_login(engine: Engine, client: httpx.AsyncClient, base: str = "") -> None:
    """An office login at the hub, and ``client`` logged in with it (the session cookie kept in the client)."""
    from posapp.hub import auth

    name, password = OFFICE_LOGIN

    def add() -> None:
        with engine.begin() as conn:
            auth.set_admin(conn, name, password, datetime.now(UTC))

    await asyncio.to_thread(add)
    resp = await client.post(f"{base}/login", data={"name": name, "password": password})
    assert resp.status_code == 303 and resp.headers["Location"] == "/", resp.text


def store_token_headers(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


Any_ = Any
