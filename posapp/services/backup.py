"""Backups: a nightly consistent copy of the database to a folder the manager picks (a USB stick), keeping
the last N; on-demand copies; restore into a stopped data folder; and the "last backup is old" warning."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from posapp.errors import PosappError
from posapp.instance import AlreadyRunning, InstanceLock
from posapp.services.clock import Clock, utc_now
from posapp.services.hub import Hub, Notice
from posapp.store import audit
from posapp.store.backup import BackupFile, BackupRefused, backup_into, restore_into
from posapp.store.db import Database
from posapp.store.settings import get_setting, set_setting

log = logging.getLogger(__name__)
STALE_AFTER = timedelta(days=2)
LAST_KEY = "backup.last_at"  # ISO time of the last good backup
SINCE_KEY = "backup.watching_since"  # when posapp first looked: a new shop gets two days' grace
# Customers' personal data in the copy is encrypted under the data key, which stays in this machine's keyring.
KEY_NOT_IN_BACKUP = (
    "The key that encrypts customers' personal data is not in the backup: a restore on another machine also "
    "needs it (posapp privacy export-key here, posapp privacy import-key there). Keep the key file apart "
    "from the backups."
)


@dataclass(frozen=True, slots=True)
class BackupPlan:
    folder: Path | None = None  # None: no nightly backup
    keep: int = 7
    at: time = time(3, 30)  # local time of the nightly copy

    @classmethod
    def from_document(cls, section: dict[str, object]) -> BackupPlan:
        folder = str(section.get("folder") or "")
        hh, mm = str(section.get("at") or "03:30").split(":")
        return cls(
            Path(folder) if folder else None, int(str(section.get("keep") or 7)), time(int(hh), int(mm))
        )


@dataclass(frozen=True, slots=True)
class BackupStatus:
    last_at: datetime | None
    folder: Path | None
    stale: bool
    days: int  # whole days since the last backup (or since posapp started watching)


class BackupService:
    """Runs on the engine's loop; file copies go to a worker thread, settings rows through the database."""

    def __init__(
        self,
        db: Database,
        hub: Hub,
        data_dir: Path,
        plan: BackupPlan,
        *,
        tz: ZoneInfo,
        clock: Clock = utc_now,
    ) -> None:
        self.db = db
        self.hub = hub
        self.data_dir = data_dir
        self.plan = plan
        self.tz = tz
        self.clock = clock
        self._wake = asyncio.Event()

    def configure(self, plan: BackupPlan) -> None:
        """A new folder, count or time from the settings screens: the nightly loop re-plans at once."""
        self.plan = plan
        self._wake.set()

    async def backup_now(self, folder: Path | None = None, *, by: str = "schedule") -> BackupFile:
        """Copy the database now into ``folder`` (default: the chosen one); ``BackupRefused`` says why not."""
        target = folder or self.plan.folder
        if target is None:
            raise BackupRefused("No backup folder is chosen: pick one in Shop setup → Reports and backups.")
        now = self.clock()
        local = now.astimezone(self.tz).replace(tzinfo=None)
        try:
            done = await asyncio.to_thread(backup_into, self.data_dir, target, keep=self.plan.keep, now=local)
        except BackupRefused as exc:
            self.hub.notice(Notice("backup", str(exc), "error", {"stale": True, "failed": str(exc)}))
            raise

        def record(session: Session) -> None:
            set_setting(session, LAST_KEY, now.isoformat(), now=now, by=by)
            audit.record(session, "backup", at=now, by=by, detail=f"{done.path} ({done.orders} orders)")

        await self.db.run(record)
        log.info("backup written to %s (%d orders). %s", done.path, done.orders, KEY_NOT_IN_BACKUP)
        await self.publish()
        return done

    async def status(self) -> BackupStatus:
        now = self.clock()

        def read(session: Session) -> tuple[str | None, str | None]:
            last = get_setting(session, LAST_KEY)
            since = get_setting(session, SINCE_KEY)
            if since is None:
                set_setting(session, SINCE_KEY, now.isoformat(), now=now, by="posapp")
            return last, since

        last, since = await self.db.run(read)
        last_at = datetime.fromisoformat(last) if last else None
        base = last_at or (datetime.fromisoformat(since) if since else now)
        age = now - base
        return BackupStatus(last_at, self.plan.folder, age > STALE_AFTER, max(age.days, 0))

    async def publish(self) -> BackupStatus:
        """The status strip's backup line: empty while backups are fresh, a warning once two days pass."""
        st = await self.status()
        last = st.last_at.isoformat() if st.last_at else None
        data = {"stale": st.stale, "days": st.days, "last_at": last, "folder": str(st.folder or "")}
        self.hub.notice(Notice("backup", "", "warning" if st.stale else "info", data))
        return st

    def next_run(self, now: datetime) -> datetime:
        local = now.astimezone(self.tz)
        at = datetime.combine(local.date(), self.plan.at, tzinfo=self.tz)
        return at if at > local else at + timedelta(days=1)

    async def nightly(self) -> None:
        """Engine upkeep: the copy at the chosen time each night (when a folder is chosen), and the status
        re-published hourly so the warning appears without a restart."""
        while True:
            try:
                await self.publish()
            except PosappError as exc:
                log.warning("backup status not read: %s", exc)
            now = self.clock()
            due = self.next_run(now)
            wait = min(3600.0, max((due - now).total_seconds(), 0.0))
            self._wake.clear()
            try:
                await asyncio.wait_for(self._wake.wait(), wait)
                continue  # re-planned from the settings screens
            except TimeoutError:
                pass
            if self.plan.folder is not None and self.clock() >= due:
                try:
                    await self.backup_now(by="schedule")
                except PosappError as exc:  # a missing USB stick must not end the loop
                    log.warning("nightly backup failed: %s", exc)


def restore(backup: Path, data_dir: Path, *, now: datetime | None = None) -> Path:
    """``posapp restore``: refuses while posapp runs on ``data_dir`` (its lock) or when ``backup`` is not a
    whole posapp database; returns where the replaced database was kept."""
    try:
        lock = InstanceLock.acquire(data_dir)
    except AlreadyRunning as exc:
        raise BackupRefused(
            f"posapp is running on {data_dir}: close it before restoring (nothing was changed)."
        ) from exc
    try:
        return restore_into(backup, data_dir, now=now or datetime.now())
    finally:
        lock.release()
