"""Backups: a consistent copy while the database is open, the last N kept, restore gives every order back,
a damaged or foreign file and a running app are refused with a sentence, an old backup is warned about."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from posapp.cli import main
from posapp.instance import InstanceLock
from posapp.services.backup import BackupPlan, BackupService
from posapp.services.hub import Hub, Notice
from posapp.services.intake import IntakeService
from posapp.services.planner import JobPlanner
from posapp.store import orders as repo
from posapp.store.backup import backup_into, list_backups
from posapp.store.db import DB_FILENAME, open_database
from tests.factories import make_order


def fill(data_dir: Path, arun: Any, n: int = 12) -> set[str]:
    db = open_database(data_dir)
    intake = IntakeService(db, Hub(), JobPlanner())
    ids = set()
    for _ in range(n):
        order = make_order()
        arun(intake.ingest(order))
        ids.add(order.external_id)
    db.close()
    return ids


def stored_ids(data_dir: Path) -> set[str]:
    db = open_database(data_dir)
    try:
        return {o.external_id for o in db.call(lambda s: repo.get_orders(s, range(1, 1000)))}
    finally:
        db.close()


def test_backup_wipe_restore_gives_back_every_order(
    tmp_path: Path, arun: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    data, usb = tmp_path / "data", tmp_path / "usb-stick"
    placed = fill(data, arun)
    held = open_database(data)  # the app is running: the copy must still be whole
    try:
        assert main(["backup", "--to", str(usb), "--data-dir", str(data)]) == 0
    finally:
        held.close()
    (backup,) = list_backups(usb)
    assert "(12 orders)" in capsys.readouterr().out
    shutil.rmtree(data)  # the counter's disk died
    assert main(["restore", str(backup.path), "--data-dir", str(data)]) == 0
    assert stored_ids(data) == placed


def test_restore_keeps_the_database_it_replaces(tmp_path: Path, arun: Any) -> None:
    data = tmp_path / "data"
    fill(data, arun, 2)
    done = backup_into(data, tmp_path / "b", keep=3, now=datetime(2026, 1, 1, 3, 30))
    fill(data, arun, 1)
    assert main(["restore", str(done.path), "--data-dir", str(data)]) == 0
    kept = list(data.glob(f"{DB_FILENAME}.before-restore-*"))
    assert len(kept) == 1 and len(stored_ids(data)) == 2


@pytest.mark.parametrize(
    ("content", "why"),
    [
        (b"this is a shopping list, not a database" * 100, "is not a posapp backup or is damaged"),
        (None, "is not a posapp backup (it has no orders table)"),
    ],
)
def test_a_corrupt_or_foreign_file_is_refused_and_nothing_changes(
    tmp_path: Path, arun: Any, capsys: pytest.CaptureFixture[str], content: bytes | None, why: str
) -> None:
    import sqlite3

    data = tmp_path / "data"
    placed = fill(data, arun, 3)
    bad = tmp_path / "posapp-20260101-033000.db"
    if content is None:
        conn = sqlite3.connect(bad)
        conn.execute("CREATE TABLE recipes (name TEXT)")
        conn.commit()
        conn.close()
    else:
        bad.write_bytes(content)
    assert main(["restore", str(bad), "--data-dir", str(data)]) == 2
    assert why in capsys.readouterr().err
    assert stored_ids(data) == placed


def test_a_damaged_backup_is_refused(tmp_path: Path, arun: Any, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    fill(data, arun, 30)
    done = backup_into(data, tmp_path / "b", keep=3, now=datetime(2026, 1, 1, 3, 30))
    raw = bytearray(done.path.read_bytes())
    raw[len(raw) // 2 : len(raw) // 2 + 4096] = b"\xff" * 4096  # a bad sector on the stick
    done.path.write_bytes(bytes(raw))
    assert main(["restore", str(done.path), "--data-dir", str(data)]) == 2
    err = capsys.readouterr().err
    assert "damaged" in err


def test_restore_over_a_running_app_is_refused(
    tmp_path: Path, arun: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    fill(data, arun, 2)
    done = backup_into(data, tmp_path / "b", keep=3, now=datetime(2026, 1, 1, 3, 30))
    running = InstanceLock.acquire(data)
    try:
        assert main(["restore", str(done.path), "--data-dir", str(data)]) == 2
    finally:
        running.release()
    assert "posapp is running on" in capsys.readouterr().err


def test_only_the_last_n_backups_are_kept(tmp_path: Path, arun: Any) -> None:
    data, usb = tmp_path / "data", tmp_path / "usb"
    fill(data, arun, 1)
    (usb).mkdir()
    (usb / "holiday.jpg").write_bytes(b"x")  # not ours: never deleted
    for day in range(1, 6):
        backup_into(data, usb, keep=3, now=datetime(2026, 1, day, 3, 30))
    assert [b.taken_at.day for b in list_backups(usb)] == [5, 4, 3]
    assert (usb / "holiday.jpg").exists()


def test_the_status_warns_when_the_last_backup_is_older_than_two_days(
    tmp_path: Path, arun: Any, db: Any
) -> None:
    now = [datetime(2026, 3, 1, 12, tzinfo=UTC)]
    hub = Hub()
    seen: list[Notice] = []
    hub.on_notice(seen.append)
    service = BackupService(
        db,
        hub,
        tmp_path / "data",
        BackupPlan(tmp_path / "usb"),
        tz=ZoneInfo("Asia/Shanghai"),
        clock=lambda: now[0],
    )
    assert not arun(service.publish()).stale  # a new shop gets two days' grace
    arun(service.backup_now(by="manager:Ann"))
    now[0] += timedelta(days=1)
    assert not arun(service.publish()).stale
    now[0] += timedelta(days=2)
    status = arun(service.publish())
    assert status.stale and status.days == 3
    assert seen[-1].source == "backup" and seen[-1].data["stale"] is True
