"""kill -9 of the uploading process mid-batch: after a restart head office has every change exactly once."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from posapp.services.hub import Hub
from posapp.services.intake import IntakeService
from posapp.services.planner import JobPlanner
from posapp.services.upload import UPLOAD_KIND, Uploader
from posapp.store import jobs as jobstore
from posapp.store.db import open_database
from tests.factories import make_order

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "crash-drill-token"
ORDERS = 200


def posapp_process(args: list[str], env: dict[str, str], log: Path | None = None) -> subprocess.Popen[str]:
    out: Any = subprocess.PIPE if log is None else log.open("a", encoding="utf-8")
    try:
        return subprocess.Popen(
            [sys.executable, "-m", "posapp", *args],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            text=True,
        )
    finally:
        if log is not None:
            out.close()


def stored_changes(hq_db: Path) -> list[tuple[str, int, str, int]]:
    if not hq_db.exists():
        return []
    con = sqlite3.connect(hq_db, timeout=5)
    try:
        return con.execute(
            "SELECT key, sequence, external_id, receipts FROM hq_changes ORDER BY id"
        ).fetchall()
    except sqlite3.OperationalError:  # the receiver has not created its tables yet
        return []
    finally:
        con.close()


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """Child processes: the plaintext keyring of keyrings.alt in a temp folder stands in for the OS keyring."""
    from keyrings.alt.file import PlaintextKeyring

    from posapp.store import keystore
    from posapp.store.sealed import DataKeys

    e = dict(os.environ)
    e.update(
        XDG_DATA_HOME=str(tmp_path / "xdg"),
        PYTHON_KEYRING_BACKEND="keyrings.alt.file.PlaintextKeyring",
        POSAPP_HQ_TOKEN=TOKEN,
        PYTHONPATH=str(ROOT),
    )
    old = os.environ.get("XDG_DATA_HOME")
    os.environ["XDG_DATA_HOME"] = e["XDG_DATA_HOME"]
    try:
        PlaintextKeyring().set_password("posapp", "hq-upload-token", TOKEN)
        # The data key the test's own database is sealed under (store/keystore.py): the child needs it too.
        keys = keystore.load_keys() or DataKeys.new()
        keystore.save_keys(keys)
        PlaintextKeyring().set_password("posapp", keystore.KEY_NAME, keys.to_text())
    finally:
        if old is None:
            del os.environ["XDG_DATA_HOME"]
        else:
            os.environ["XDG_DATA_HOME"] = old
    return e


@pytest.fixture
def receiver(tmp_path: Path, env: dict[str, str], qtbot: Any) -> Iterator[tuple[str, Path]]:
    hq_db = tmp_path / "hq.db"
    proc = posapp_process(
        ["hq-receiver", "--port", "0", "--db", f"sqlite:///{hq_db}", "--delay", "0.15"], env
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()  # "hq-receiver listening on http://127.0.0.1:PORT/v1/batches"
    assert "listening on" in line, line
    try:
        yield line.split("listening on ")[1].strip(), hq_db
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=10)
        proc.stdout.close()


def test_kill_9_mid_upload_loses_nothing_and_duplicates_nothing(
    tmp_path: Path, env: dict[str, str], receiver: tuple[str, Path], arun: Any, qtbot: Any
) -> None:
    url, hq_db = receiver
    data_dir = tmp_path / "counter"
    config = tmp_path / "config.toml"
    config.write_text(
        f'[sync]\nenabled = true\nendpoint = "{url}"\nstore_id = "store-9"\n'
        'token_ref = "hq-upload-token"\nbatch_size = 20\ntimeout_seconds = 2\n',
        encoding="utf-8",
    )
    # The backlog: orders taken while head office was not reachable.
    db = open_database(data_dir)
    hub, planner = Hub(), JobPlanner()
    Uploader(db, hub, endpoint=url, store_id="store-9", token_source=lambda: None).register(planner)
    intake = IntakeService(db, hub, planner)
    try:
        for i in range(ORDERS):
            arun(intake.ingest(make_order(external_id=f"K-{i}")))
        expected = [j.payload["key"] for j in db.call(lambda s: jobstore.jobs_for(s, UPLOAD_KIND))]
    finally:
        db.close()
    assert len(expected) == ORDERS

    args = ["sync", "--data-dir", str(data_dir), "--config", str(config), "--base-delay", "0.01"]
    log = tmp_path / "sync.log"
    first = posapp_process(args, env, log)
    try:
        # Kill while a batch is stored at head office but its answer has not come back (0.15 s delay).
        qtbot.waitUntil(lambda: len(stored_changes(hq_db)) >= 40, timeout=20000)
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
    finally:
        if first.poll() is None:
            first.kill()
    assert first.returncode == -signal.SIGKILL
    assert len(stored_changes(hq_db)) < ORDERS

    second = posapp_process([*args, "--until-empty"], env, log)
    second.wait(timeout=60)
    assert second.returncode == 0, log.read_text(encoding="utf-8")

    rows = stored_changes(hq_db)
    assert sorted(r[0] for r in rows) == sorted(expected)  # each change once, none lost
    assert [r[1] for r in rows] == sorted(r[1] for r in rows)  # in the counter's order
    assert any(r[3] > 1 for r in rows), "the batch in flight at the kill was sent again and stored once"
    db = open_database(data_dir)
    try:
        left = db.call(lambda s: jobstore.queue_state(s, UPLOAD_KIND))
        assert (left.pending, left.parked) == (0, 0)
    finally:
        db.close()
