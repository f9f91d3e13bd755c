"""One posapp per data folder: a second start (a real second process) brings the first window forward and
never opens the database."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from posapp.instance import AlreadyRunning, InstanceLock, held_by_other

pytestmark = pytest.mark.slow


def posapp(data_dir: Path, *extra: str) -> subprocess.Popen[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.Popen(
        [sys.executable, "-m", "posapp", "--demo", "--data-dir", str(data_dir), "--sim-rate", "0", *extra],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for(predicate: object, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():  # type: ignore[operator]
            return
        time.sleep(0.1)
    raise AssertionError("timed out")


def test_a_second_start_on_the_same_folder_shows_the_first_and_never_opens_the_database(
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    first = posapp(data, "--quit-after", "25")
    try:
        log = data / "logs" / "posapp.log"
        wait_for(lambda: log.exists() and "queue painted" in log.read_text(encoding="utf-8"))
        second = posapp(data, "--quit-after", "5")
        out, err = second.communicate(timeout=30)
        assert second.returncode == 0, err
        assert "posapp is already running on the data folder" in err
        assert "Its window was brought forward." in err
        assert "database at" not in err  # the second process never opened the database
        wait_for(lambda: "another start asked for the window" in log.read_text(encoding="utf-8"))
        assert first.poll() is None  # the first keeps running
    finally:
        first.terminate()
        first.communicate(timeout=30)


def test_the_lock_is_free_again_once_the_holder_is_gone(tmp_path: Path) -> None:
    lock = InstanceLock.acquire(tmp_path)
    with pytest.raises(AlreadyRunning):
        InstanceLock.acquire(tmp_path)
    assert held_by_other(tmp_path)
    lock.release()
    assert not held_by_other(tmp_path)
