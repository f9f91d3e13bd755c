"""Consistent copies of the database (SQLite's online backup API, safe while the engine writes) and their
checks: a backup is a posapp database that passes ``PRAGMA integrity_check``, or it is refused."""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from posapp.errors import StorageError
from posapp.store.db import DB_FILENAME

BACKUP_PATTERN = re.compile(r"^posapp-(\d{8}-\d{6})\.db$")
REQUIRED_TABLES = ("orders", "order_events", "alembic_version")


class BackupRefused(StorageError):
    """The file cannot be restored (not a posapp database, damaged) or the folder cannot take a backup."""


@dataclass(frozen=True, slots=True)
class BackupFile:
    path: Path
    taken_at: datetime  # local wall time from the name, naive (the name is what the manager reads)
    orders: int


def backup_name(now: datetime) -> str:
    return f"posapp-{now:%Y%m%d-%H%M%S}.db"


def copy_database(source: Path, target: Path) -> None:
    """A consistent copy of ``source`` into ``target`` (written beside it, then renamed into place)."""
    part = target.with_name(target.name + ".part")
    part.unlink(missing_ok=True)
    try:
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=10)
        try:
            dst = sqlite3.connect(part)
            try:
                src.backup(dst, pages=1024)  # in steps: the engine's writer is never blocked for long
                dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
            finally:
                dst.close()
        finally:
            src.close()
        with open(part, "rb+") as f:
            os.fsync(f.fileno())
        os.replace(part, target)
    except (sqlite3.Error, OSError) as exc:
        part.unlink(missing_ok=True)
        raise BackupRefused(f"The backup to {target.parent} failed: {_reason(exc)}.") from exc


def backup_into(data_dir: Path, folder: Path, *, keep: int, now: datetime) -> BackupFile:
    """Copy the database of ``data_dir`` into ``folder`` as ``posapp-YYYYmmdd-HHMMSS.db``; keep the ``keep``
    newest backups there (older posapp backups are deleted, nothing else is touched)."""
    source = data_dir / DB_FILENAME
    if not source.exists():
        raise BackupRefused(f"There is no order database in {data_dir} to back up.")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BackupRefused(f"The backup folder {folder} cannot be used: {_reason(exc)}.") from exc
    target = folder / backup_name(now)
    copy_database(source, target)
    found = check_backup(target)
    for old in list_backups(folder)[keep:]:
        old.path.unlink(missing_ok=True)
    return found


def list_backups(folder: Path) -> list[BackupFile]:
    """posapp's backups in ``folder``, newest first (by the time in the name); orders not counted (-1)."""
    out: list[BackupFile] = []
    if not folder.is_dir():
        return out
    for path in folder.iterdir():
        m = BACKUP_PATTERN.match(path.name)
        if m:
            out.append(BackupFile(path, datetime.strptime(m.group(1), "%Y%m%d-%H%M%S"), -1))
    return sorted(out, key=lambda b: b.taken_at, reverse=True)


def check_backup(path: Path) -> BackupFile:
    """The backup at ``path`` if it is a whole posapp database; ``BackupRefused`` with the sentence if not."""
    if not path.is_file():
        raise BackupRefused(f"{path} is not a file.")
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            ok = conn.execute("PRAGMA integrity_check").fetchone()
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if ok is None or ok[0] != "ok":
                raise BackupRefused(f"{path.name} is damaged (the database check found: {ok and ok[0]}).")
            missing = [t for t in REQUIRED_TABLES if t not in tables]
            if missing:
                raise BackupRefused(f"{path.name} is not a posapp backup (it has no {missing[0]} table).")
            orders = int(conn.execute("SELECT count(*) FROM orders").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise BackupRefused(f"{path.name} is not a posapp backup or is damaged: {_reason(exc)}.") from exc
    m = BACKUP_PATTERN.match(path.name)
    taken = (
        datetime.strptime(m.group(1), "%Y%m%d-%H%M%S") if m else datetime.fromtimestamp(path.stat().st_mtime)
    )
    return BackupFile(path, taken, orders)


def restore_into(backup: Path, data_dir: Path, *, now: datetime) -> Path:
    """Put ``backup`` in place as the database of ``data_dir``; the database it replaces is kept beside it as
    ``posapp.db.before-restore-<time>`` (returned). The caller holds the data folder (no engine running)."""
    check_backup(backup)
    data_dir.mkdir(parents=True, exist_ok=True)
    target = data_dir / DB_FILENAME
    kept = data_dir / f"{DB_FILENAME}.before-restore-{now:%Y%m%d-%H%M%S}"
    if target.exists():
        copy_database(target, kept)  # folds the -wal in: the kept copy is whole
    incoming = data_dir / f"{DB_FILENAME}.restoring"
    try:
        shutil.copyfile(backup, incoming)
    except OSError as exc:
        raise BackupRefused(f"{backup} cannot be read: {_reason(exc)}.") from exc
    for suffix in ("-wal", "-shm"):
        (data_dir / f"{DB_FILENAME}{suffix}").unlink(missing_ok=True)
    os.replace(incoming, target)
    return kept


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror.lower()
    return str(exc) or type(exc).__name__
