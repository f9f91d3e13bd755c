"""One engine per data folder: an OS file lock beside the database, held while the engine runs.

The lock is released by the operating system when the process ends, however it ends (a kill, a power cut
leaves no stale lock behind). A second ``posapp`` on the same folder gets :class:`AlreadyRunning` before it
opens the database; the desktop app then asks the first one to show its window (posapp/ui/single_instance.py).
"""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path
from typing import IO

from posapp.errors import ConfigError

LOCK_FILENAME = "posapp.lock"


class AlreadyRunning(ConfigError):
    """Another posapp holds this data folder."""

    def __init__(self, data_dir: Path, pid: str) -> None:
        self.data_dir = data_dir
        self.pid = pid
        who = f" (process {pid})" if pid else ""
        super().__init__(
            f"posapp is already running on the data folder {data_dir}{who}: use that window, "
            "or close it before starting another."
        )


def channel_name(data_dir: Path) -> str:
    """The local-socket name the running app listens on for "show your window" (one per data folder)."""
    digest = hashlib.sha256(str(data_dir.resolve()).encode()).hexdigest()[:16]
    return f"posapp-{digest}"


class InstanceLock:
    """``InstanceLock.acquire(folder)`` or :class:`AlreadyRunning`; ``release()`` when the engine closes."""

    def __init__(self, data_dir: Path, handle: IO[str]) -> None:
        self.data_dir = data_dir
        self._handle: IO[str] | None = handle

    @classmethod
    def acquire(cls, data_dir: Path) -> InstanceLock:
        data_dir.mkdir(parents=True, exist_ok=True)
        path = data_dir / LOCK_FILENAME
        handle = open(path, "a+", encoding="utf-8")  # noqa: SIM115 (held open while the engine runs)
        try:
            _lock(handle)
        except OSError:
            handle.seek(0)
            pid = handle.read().strip()
            handle.close()
            raise AlreadyRunning(data_dir, pid) from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        return cls(data_dir, handle)

    def release(self) -> None:
        if self._handle is None:
            return
        try:
            self._handle.seek(0)
            self._handle.truncate()
            _unlock(self._handle)
        finally:
            self._handle.close()
            self._handle = None


def held_by_other(data_dir: Path) -> bool:
    """True when a running posapp holds ``data_dir`` (used by ``posapp restore``)."""
    try:
        lock = InstanceLock.acquire(data_dir)
    except AlreadyRunning:
        return True
    lock.release()
    return False


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _lock(handle: IO[str]) -> None:
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)

    def _unlock(handle: IO[str]) -> None:
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _lock(handle: IO[str]) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(handle: IO[str]) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
