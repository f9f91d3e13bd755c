"""Never charge twice, never lose a payment: a real engine process sends a payment to the Alipay simulator, whose
answer is held back; the process is killed with SIGKILL between "sent" and "answered"; a restarted ``posapp
engine`` finds the payment unresolved, asks Alipay by query with the same request id, and marks it paid. The
simulator charged once and was asked to pay once."""

from __future__ import annotations

import asyncio
import gc
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Callable, Coroutine, Iterator
from contextlib import closing
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest
from aiohttp import web

from posapp.domain.order import Payment, Totals
from posapp.payments.simulator import alipay as alipay_sim
from posapp.services.hub import Hub
from posapp.services.intake import IntakeService
from posapp.store.db import open_database
from tests.factories import make_order
from tests.integration.test_service import ROOT, child_env

T = TypeVar("T")


class LoopThread:
    """An asyncio loop on its own thread: the simulator keeps answering while the test waits on processes."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="sim-loop", daemon=True)
        self.thread.start()

    def run(self, coro: Coroutine[Any, Any, T], timeout: float = 30) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def call(self, fn: Callable[[], None]) -> None:
        self.loop.call_soon_threadsafe(fn)

    def close(self) -> None:
        """Cancel what still runs on the loop (the proxy's handler for the killed client) and let it finish,
        then stop: a task or connection left on a closed loop is collected during a later test, whose
        teardown then reports this test's "unclosed transport"."""

        async def drain() -> None:
            tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            await self.loop.shutdown_asyncgens()

        asyncio.run_coroutine_threadsafe(drain(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
        self.loop.close()


class HoldingProxy:
    """Passes each request on to the simulator at once (so Alipay acts on it) and holds the answer back until
    ``release`` is set: the counter's process waits between "sent" and "answered"."""

    def __init__(self, target: str) -> None:
        self.target = target
        self.release = asyncio.Event()
        self.methods: list[str] = []  # the Alipay method of every request seen
        self._runner: web.AppRunner | None = None
        self.base_url = ""

    async def start(self) -> HoldingProxy:
        app = web.Application()
        app.router.add_post("/{tail:.*}", self._forward)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        assert site._server is not None
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[attr-defined]
        self.base_url = f"http://127.0.0.1:{port}"
        return self

    async def _forward(self, request: web.Request) -> web.Response:
        body = await request.read()
        form = urllib.parse.parse_qs(body.decode() + "&" + request.query_string)
        self.methods.append(form.get("method", ["?"])[0])
        async with httpx.AsyncClient(timeout=10) as client:
            answer = await client.post(
                self.target + request.path_qs,
                content=body,
                headers={"Content-Type": request.headers.get("Content-Type", "")},
            )
        await self.release.wait()
        return web.Response(
            body=answer.content, status=answer.status_code, content_type="application/json", charset="utf-8"
        )

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()


@pytest.fixture
def loop() -> Iterator[LoopThread]:
    thread = LoopThread()
    yield thread
    thread.close()
    gc.collect()  # anything this test left unclosed is reported here, against this test


def _config(path: Path, base_url: str) -> None:
    path.write_text(
        '[store]\ncurrency = "CNY"\n\n[screens]\nhost = "127.0.0.1"\nport = 0\n\n'
        f'[payments]\nenabled = ["alipay"]\n\n[payments.alipay]\napp_id = "{alipay_sim.APP_ID}"\n'
        f'sandbox = true\nbase_url = "{base_url}"\n',
        encoding="utf-8",
    )


def _row(db_file: Path) -> tuple[str, str, int] | None:
    with closing(sqlite3.connect(f"file:{db_file}?mode=ro", uri=True)) as conn:
        return conn.execute("SELECT request_id, state, attempts FROM payments").fetchone()  # type: ignore[no-any-return]


def _wait(predicate: Callable[[], bool], what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError(f"waited {timeout:.0f} s for {what}")


def test_a_payment_killed_between_sent_and_answered_is_resolved_by_query_after_restart_and_charged_once(
    tmp_path: Path, loop: LoopThread
) -> None:
    sim = loop.run(alipay_sim.start())
    proxy = loop.run(HoldingProxy(sim.gateway_url.removesuffix("/gateway.do")).start())
    try:
        _pay_kill_and_restart(tmp_path, loop, sim, proxy)
    finally:
        loop.call(proxy.release.set)
        loop.run(proxy.stop())
        loop.run(sim.stop())


def _pay_kill_and_restart(tmp_path: Path, loop: LoopThread, sim: Any, proxy: HoldingProxy) -> None:
    data_dir, config = tmp_path / "data", tmp_path / "config.toml"
    _config(config, proxy.base_url)
    creds = tmp_path / "credentials"
    creds.mkdir()
    for name, value in sim.secrets.items():  # how a service gets its keys: systemd credentials (vault.py)
        (creds / name).write_text(value, encoding="utf-8")
    env = child_env(tmp_path, CREDENTIALS_DIRECTORY=str(creds))
    db = open_database(data_dir)
    order = make_order(
        platform="manual", payment=Payment("unpaid", False), totals=Totals(subtotal=4200, total=4200)
    )
    loop.run(IntakeService(db, Hub()).ingest(order))
    db.close()
    db_file = data_dir / "posapp.db"
    assert db_file.exists()

    child = subprocess.Popen(
        [sys.executable, "-m", "tests.integration.payment_child", str(data_dir), str(config)]
        + [f"manual:{order.external_id}", "4200"],
        cwd=ROOT,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdin is not None
        child.stdin.write(alipay_sim.PAY_AT_ONCE + "\n")
        child.stdin.close()
        _wait(lambda: "alipay.trade.pay" in proxy.methods, "the payment to reach Alipay")
        _wait(lambda: sim.charges.total() == 1, "Alipay to take the money")
        row = _row(db_file)
        assert row is not None and row[1] == "sending", row  # sent, not answered: the row says so
        child.send_signal(signal.SIGKILL)
    finally:
        if child.poll() is None:
            child.kill()
        child.wait(10)
        for pipe in (child.stdout, child.stderr):
            assert pipe is not None
            pipe.close()
    assert child.returncode == -signal.SIGKILL
    request_id = row[0]
    loop.call(proxy.release.set)  # Alipay's answer goes nowhere: its client is dead
    assert _row(db_file) == row  # nothing answered it

    engine = subprocess.Popen(
        [sys.executable, "-m", "posapp", "engine", "--data-dir", str(data_dir), "--config", str(config)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _wait(
            lambda: (_row(db_file) or ("", "", 0))[1] == "paid", "the restarted engine to resolve the payment"
        )
    finally:
        engine.terminate()
        _, err = engine.communicate(timeout=30)
    assert sim.charges[request_id] == 1
    assert proxy.methods.count("alipay.trade.pay") == 1  # asked to pay once; the restart only queried
    assert "alipay.trade.query" in proxy.methods
    with closing(sqlite3.connect(f"file:{db_file}?mode=ro", uri=True)) as conn:
        paid = conn.execute(
            "SELECT payment_method, paid FROM orders WHERE external_id = ?", (order.external_id,)
        ).fetchone()
    assert paid == ("alipay", 1)
