"""A full demo run (orders land, print, push, upload) leaves no configured secret in any file of its data dir."""

from __future__ import annotations

import asyncio
import base64
import logging
import sqlite3
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

from posapp import logs
from posapp.app import AppOptions, PosApp
from posapp.domain.order import OrderStatus
from posapp.services.orders import OrderService

# What the kitchen taps next for an order in each status: accept, start, ready (each one pushed or printed).
NEXT_TAP = {
    OrderStatus.NEW: OrderService.accept,
    OrderStatus.ACCEPTED: OrderService.start,
    OrderStatus.PREPARING: OrderService.ready,
}


@pytest.fixture
def debug_log_file(data_dir: Path) -> Iterator[Path]:
    """The log file as ``posapp -v`` writes it (debug lines included), removed from the root logger afterwards."""
    root = logging.getLogger()
    level = root.level
    noisy = {name: logging.getLogger(name).level for name in logs.NOISY}
    root.setLevel(logging.DEBUG)
    for name in logs.NOISY:
        logging.getLogger(name).setLevel(logging.WARNING)
    path = logs.add_file(data_dir)
    assert path is not None
    yield path
    for handler in [h for h in root.handlers if getattr(h, "baseFilename", None) == str(path)]:
        root.removeHandler(handler)
        handler.close()
    root.setLevel(level)
    for name, old in noisy.items():
        logging.getLogger(name).setLevel(old)


def configured_secrets(app: PosApp) -> dict[str, str]:
    """Every secret this run held: platform secrets, tokens the simulated platforms issued, the upload token."""
    assert app.simulator is not None and app.channels is not None
    found = {f"{name} secret": plat.secret for name, plat in app.simulator.platforms.items()}
    for name, plat in app.simulator.platforms.items():
        for i, token in enumerate(sorted(getattr(plat, "tokens", ()))):
            found[f"{name} access token {i}"] = token
    doordash = app.channels.connectors.get("doordash")
    if doordash is not None:
        found["doordash webhook token"] = doordash.webhook_token  # type: ignore[attr-defined]
    found["head-office upload token"] = app.hq.token  # type: ignore[attr-defined]
    return found


def forms(value: str) -> list[bytes]:
    """The secret as it could be written: plain (UTF-8, UTF-16 as SQLite may store text) or base64'd."""
    raw = value.encode()
    return [raw, value.encode("utf-16-le"), base64.b64encode(raw), base64.urlsafe_b64encode(raw).rstrip(b"=")]


def leaks(folder: Path, secrets: Mapping[str, str]) -> list[tuple[str, str]]:
    """(file, which secret) for every file under ``folder`` whose bytes hold a secret in any form."""
    found = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        data = path.read_bytes()
        found += [
            (str(path.relative_to(folder)), label)
            for label, value in secrets.items()
            if any(form in data for form in forms(value))
        ]
    return found


def uploaded(data_dir: Path) -> int:
    try:
        with sqlite3.connect(data_dir / "hq-demo.db", timeout=5) as con:
            return int(con.execute("SELECT count(*) FROM hq_changes").fetchone()[0])
    except sqlite3.OperationalError:
        return 0


async def work_the_kitchen(app: PosApp, enough: Callable[[], bool]) -> None:
    """Tap every open order on to its next step until ``enough()``: pushes, tickets and uploads follow."""
    while not enough():
        for order in await app.orders.open_orders():
            tap = NEXT_TAP.get(order.status)
            if tap is not None and order.id is not None:
                await tap(app.orders, order.id, by="kitchen")
        await asyncio.sleep(0.2)


def test_no_configured_secret_is_written_to_the_data_dir(
    data_dir: Path, debug_log_file: Path, arun: Any, qtbot: Any
) -> None:
    app = PosApp(AppOptions(data_dir=data_dir, demo=True, sim_rate_per_minute=60, sim_prefill=0))
    arun(app.start())
    try:
        sim = app.simulator
        assert sim is not None
        for name in sim.platforms:
            arun(sim.emit(name, n=2))

        def enough() -> bool:
            heard = all(len(sim.pushes_for(name)) >= 2 for name in sim.platforms)
            printed = data_dir / "printed" / "kitchen.bin"
            return heard and printed.exists() and printed.stat().st_size > 0 and uploaded(data_dir) > 0

        arun(work_the_kitchen(app, enough), timeout=60)
        secrets = configured_secrets(app)
        while_running = leaks(data_dir, secrets)  # the -wal file is only there while the app runs
        assert (data_dir / "posapp.db-wal").exists()
    finally:
        assert app.window is not None
        app.window.close()
        arun(app.stop())

    assert min(len(v) for v in secrets.values()) >= 8, "short secrets would match by chance"
    assert any("access token" in label for label in secrets), "no token issued: the grep checked less"
    assert while_running == []
    assert leaks(data_dir, secrets) == []
    assert "stored as #" in debug_log_file.read_text(encoding="utf-8")

    # The grep itself must be able to fail: a secret planted in a copy of the database is found.
    planted = data_dir / "planted-copy.db"
    planted.write_bytes((data_dir / "posapp.db").read_bytes() + secrets["head-office upload token"].encode())
    assert leaks(data_dir, secrets) == [("planted-copy.db", "head-office upload token")]
