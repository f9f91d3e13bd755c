"""The engine as a real process, killed with SIGKILL in the middle of a burst of signed orders: every order it
acknowledged is in the database after a restart, none twice, and a screen following the feed with its cursor
gets every one of them, by itself, without a snapshot."""

from __future__ import annotations

import asyncio
import json
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import aiohttp
import httpx

from posapp.connectors.own import signed_headers
from posapp.engine.screen_api import digest
from posapp.store import screens as screen_repo
from posapp.store.db import open_database
from tests.integration.test_engine_headless import free_port, wait_healthy
from tests.integration.test_service import ROOT, child_env

ORDER = json.loads((ROOT / "tests" / "fixtures" / "own" / "order_pickup.json").read_text("utf-8"))
SECRET = "own-shared-secret"


class EngineProcess:
    def __init__(self, tmp_path: Path) -> None:
        self.port, self.screens_port = free_port(), free_port()
        self.data_dir = tmp_path / "data"
        self.config = tmp_path / "config.toml"
        self.config.write_text(
            f'[listener]\nhost = "127.0.0.1"\nport = {self.port}\n\n'
            f'[screens]\nhost = "127.0.0.1"\nport = {self.screens_port}\n\n[platforms.own]\nbase_url = ""\n',
            encoding="utf-8",
        )
        creds = tmp_path / "credentials"
        creds.mkdir(exist_ok=True)
        (creds / "own-secret").write_text(SECRET, encoding="utf-8")
        self.env = child_env(tmp_path, CREDENTIALS_DIRECTORY=str(creds))
        self.proc: subprocess.Popen[str] | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        args = ["engine", "--data-dir", str(self.data_dir), "--config", str(self.config)]
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "posapp", *args],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        wait_healthy(self.base, self.proc)

    def kill(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(30)


def burst(engine: EngineProcess, count: int, acknowledged: list[str]) -> None:
    """Signed own-website orders as fast as the engine takes them; the ids it answered 200 are noted."""
    with httpx.Client(timeout=5) as client:
        for n in range(count):
            order = {**ORDER, "external_id": f"BURST-{n}", "display_id": f"B{n}"}
            body = json.dumps(order).encode()
            try:
                resp = client.post(
                    f"{engine.base}/webhooks/own", content=body, headers=signed_headers(SECRET, body)
                )
            except httpx.HTTPError:
                return  # the engine is gone: the platform would resend from here
            if resp.status_code == 200:
                acknowledged.append(order["external_id"])


def pair_screen(data_dir: Path) -> str:
    db = open_database(data_dir)
    try:
        token = "screen-token-for-the-test"
        db.call(lambda s: screen_repo.add_screen(s, "Counter", None, digest(token), datetime.now(UTC)))
        return token
    finally:
        db.close()


async def follow(base: str, token: str, seen: set[str], stop: threading.Event) -> None:
    """A screen following the feed from cursor 0, reconnecting from its last cursor whenever the link drops."""
    cursor = 0
    headers = {"Authorization": f"Bearer {token}"}
    async with aiohttp.ClientSession() as http:
        while not stop.is_set():
            try:
                async with http.ws_connect(f"{base}/api/feed?cursor={cursor}", headers=headers) as ws:
                    async for msg in ws:
                        if msg.type != aiohttp.WSMsgType.TEXT or stop.is_set():
                            break
                        frame = json.loads(msg.data)
                        if frame["type"] == "order":
                            seen.add(frame["order"]["external_id"])
                            cursor = frame["cursor"]
            except (aiohttp.ClientError, ConnectionError):
                pass
            await asyncio.sleep(0.1)  # the engine is away: try again, as a screen does


def test_an_engine_killed_mid_burst_loses_no_acknowledged_order_and_the_screen_catches_up(
    tmp_path: Path,
) -> None:
    engine = EngineProcess(tmp_path)
    engine.start()
    token = pair_screen(engine.data_dir)
    acknowledged: list[str] = []
    seen: set[str] = set()
    stop = threading.Event()
    screen = threading.Thread(
        target=lambda: asyncio.run(follow(f"http://127.0.0.1:{engine.screens_port}", token, seen, stop))
    )
    screen.start()
    try:
        poster = threading.Thread(target=burst, args=(engine, 400, acknowledged))
        poster.start()
        while len(acknowledged) < 40 and poster.is_alive():
            time.sleep(0.01)
        engine.kill()  # mid-burst, no goodbye; the screen's link drops with it
        poster.join(30)
        assert 40 <= len(acknowledged) < 400, len(acknowledged)
        engine.start()
        deadline = time.monotonic() + 20
        while not set(acknowledged) <= seen and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        stop.set()
        screen.join(10)
        engine.stop()
    with sqlite3.connect(engine.data_dir / "posapp.db") as conn:
        stored = [row[0] for row in conn.execute("SELECT external_id FROM orders")]
    assert set(acknowledged) <= set(stored)  # every 200 was a commit
    assert len(stored) == len(set(stored))  # and nothing twice
    assert set(acknowledged) <= seen  # the screen reconnected by itself and got every one from its cursor
