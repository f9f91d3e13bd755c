"""The counter's first paint before the engine loads (posapp/store/peek.py, posapp/ui/launch.py): the queue is
read with the standard library alone, exactly as the store reads it, painted, and then kept by the engine."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from posapp.domain.lifecycle import Action
from posapp.domain.order import Customer, LineItem, Modifier, Payment
from posapp.services.hub import Hub
from posapp.services.intake import IntakeService
from posapp.services.orders import OrderService
from posapp.store import orders as repo
from posapp.store.db import Database, open_database
from posapp.store.peek import DB_FILENAME, peek
from tests.factories import make_order

ROOT = Path(__file__).resolve().parents[2]


def fill(db: Database, arun: Any, count: int = 6) -> list[int]:
    hub = Hub()
    intake, orders = IntakeService(db, hub), OrderService(db, hub)
    ids = []
    for n in range(count):
        order = make_order(
            external_id=f"P{n}",
            customer=Customer("王先生", "138****5678", "北京市 朝阳区 1号", 3) if n % 2 else None,
            due_at=datetime.now(UTC) + timedelta(minutes=40) if n == 3 else None,
            notes="不要香菜 & no onions" if n == 1 else None,
            payment=Payment("online", True) if n % 3 == 0 else None,
            items=(
                LineItem(
                    "宫保鸡丁",
                    2,
                    3200,
                    sku="KP1",
                    modifiers=(Modifier("大份", 1, 500), Modifier("少辣", 1, 0)),
                ),
                LineItem("Iced Lemon Tea", 1, 395, note="no ice", category="drinks"),
            ),
        )
        ids.append(int(arun(intake.ingest(order)).order_id))
    arun(orders.apply(ids[0], Action.ACCEPT, by="t"))
    arun(orders.apply(ids[0], Action.START, by="t"))
    arun(orders.apply(ids[1], Action.REJECT, by="t", reason="closed"))  # closed: not on the queue
    return ids


def test_peek_reads_the_open_orders_and_the_cursor_exactly_as_the_store_does(
    db: Database, data_dir: Path, arun: Any
) -> None:
    ids = fill(db, arun)
    expected = db.call(repo.open_orders)
    seen = peek(data_dir)
    assert seen is not None
    assert [o.id for o in seen.orders] == [o.id for o in expected] and ids[1] not in [
        o.id for o in seen.orders
    ]
    assert seen.orders == expected
    assert [(o.version, o.seq) for o in seen.orders] == [(o.version, o.seq) for o in expected]
    assert all(o.placed_at.tzinfo is UTC for o in seen.orders)
    assert seen.cursor == db.call(repo.latest_seq)


def test_peek_answers_none_without_a_database_at_the_bundled_schema(tmp_path: Path, arun: Any) -> None:
    assert peek(tmp_path / "nothing-here") is None
    data_dir = tmp_path / "data"
    db = open_database(data_dir)
    fill(db, arun, 2)
    db.close()
    assert peek(data_dir) is not None
    with sqlite3.connect(data_dir / DB_FILENAME) as conn:  # as an older posapp left it
        conn.execute("UPDATE alembic_version SET version_num = 'screens_1'")
    assert peek(data_dir) is None
    damaged = tmp_path / "damaged"
    damaged.mkdir()
    (damaged / DB_FILENAME).write_bytes(b"SQLite format 3\x00" + os.urandom(4096))
    assert peek(damaged) is None


@pytest.fixture
def display() -> Iterator[str]:
    """A private X server (Xvfb, which .ci/run installs): the offscreen platform paints nothing by itself."""
    if shutil.which("Xvfb") is None:
        pytest.skip("Xvfb is not installed")
    read, write = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
        pass_fds=(write,),
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    with os.fdopen(read) as pipe:
        number = pipe.readline().strip()
    try:
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_the_queue_is_painted_before_the_engine_loads_and_the_engine_keeps_that_window(
    tmp_path: Path, arun: Any, display: str
) -> None:
    data_dir = tmp_path / "data"
    db = open_database(data_dir)
    fill(db, arun, 12)
    db.close()
    config = tmp_path / "config.toml"
    config.write_text(
        '[store]\nname = "First paint"\n[listener]\nport = 0\n[screens]\nport = 0\n', encoding="utf-8"
    )
    env = dict(os.environ, DISPLAY=display, QT_QPA_PLATFORM="xcb")
    run = subprocess.run(
        [
            sys.executable,
            "-X",
            "importtime",
            "-m",
            "posapp",
            "--data-dir",
            str(data_dir),
            "--config",
            str(config),
        ]
        + ["--quit-on-paint"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    assert "queue painted" in run.stdout
    lines = run.stderr.splitlines()
    painted = next(i for i, line in enumerate(lines) if "queue painted" in line)
    before = " ".join(
        line.split("|")[-1].strip() for line in lines[:painted] if line.startswith("import time:")
    )
    assert "sqlalchemy" not in before and "posapp.engine" not in before  # the engine loaded after the paint
    assert "posapp.ui.main_window" in before
    log = (data_dir / "logs" / "posapp.log").read_text(encoding="utf-8")
    assert "the first window is kept" in log
