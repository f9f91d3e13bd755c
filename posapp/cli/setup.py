"""``posapp backup``, ``posapp restore`` and ``posapp config export|import``: the shop's data and settings
for scripts and roll-outs (the screens do the same from Settings)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path


def backup_command(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="posapp backup",
        description="copy the order database (consistent, even while posapp runs) into a folder",
    )
    parser.add_argument("--to", type=Path, required=True, metavar="DIR", help="folder for the backup files")
    parser.add_argument("--keep", type=int, default=7, help="how many backups to keep in DIR (default 7)")
    parser.add_argument(
        "--data-dir", type=Path, help="folder of the SQLite database (default: the user data dir)"
    )
    args = parser.parse_args(argv)
    from posapp.config import default_data_dir
    from posapp.errors import PosappError
    from posapp.services.clock import utc_now
    from posapp.store import audit
    from posapp.store.backup import backup_into
    from posapp.store.db import open_database
    from posapp.store.settings import set_setting

    data_dir = args.data_dir or default_data_dir()
    try:
        done = backup_into(data_dir, args.to, keep=max(1, args.keep), now=datetime.now())
        db = open_database(data_dir)
        try:
            now = utc_now()

            def record(session: object) -> None:
                set_setting(session, "backup.last_at", now.isoformat(), now=now, by="cli")  # type: ignore[arg-type]
                audit.record(session, "backup", at=now, by="cli", detail=str(done.path))  # type: ignore[arg-type]

            db.call(record)
        finally:
            db.close()
    except PosappError as exc:
        print(f"posapp backup: {exc}", file=sys.stderr)
        return 2
    from posapp.services.backup import KEY_NOT_IN_BACKUP

    print(f"{done.path} ({done.orders} orders)")
    print(KEY_NOT_IN_BACKUP)
    return 0


def restore_command(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="posapp restore",
        description="put a backup in place of the order database (posapp must not be running)",
    )
    parser.add_argument("file", type=Path, help="a backup file (posapp-YYYYmmdd-HHMMSS.db)")
    parser.add_argument(
        "--data-dir", type=Path, help="folder of the SQLite database (default: the user data dir)"
    )
    args = parser.parse_args(argv)
    from posapp.config import default_data_dir
    from posapp.errors import PosappError
    from posapp.services.backup import restore

    data_dir = args.data_dir or default_data_dir()
    try:
        kept = restore(args.file, data_dir)
    except PosappError as exc:
        print(f"posapp restore: {exc}", file=sys.stderr)
        return 2
    print(f"restored {args.file}; the database it replaced is kept as {kept}")
    print("A backup from another counter also needs that counter's key: posapp privacy import-key FILE.")
    return 0


def config_command(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="posapp config",
        description="the shop's settings as TOML, for scripted roll-outs (secrets stay in the keyring)",
    )
    parser.add_argument("action", choices=["export", "import"])
    parser.add_argument("file", type=Path)
    parser.add_argument(
        "--data-dir", type=Path, help="folder of the SQLite database (default: the user data dir)"
    )
    args = parser.parse_args(argv)
    from posapp.config import default_data_dir
    from posapp.errors import PosappError
    from posapp.services.setup import export_toml, import_toml
    from posapp.store.db import open_database

    db = open_database(args.data_dir or default_data_dir())
    try:
        if args.action == "export":
            args.file.write_text(export_toml(db), encoding="utf-8")
            print(f"settings written to {args.file}")
        else:
            import_toml(db, args.file.read_text(encoding="utf-8"), source=args.file.name, by="cli")
            print(f"settings read from {args.file}; a running posapp applies them within a few seconds")
    except (PosappError, OSError) as exc:
        print(f"posapp config: {exc}", file=sys.stderr)
        return 2
    finally:
        db.close()
    return 0


def autostart_command(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="posapp autostart", description="start posapp full screen when this user logs in"
    )
    parser.add_argument("action", choices=["on", "off", "status"])
    parser.add_argument(
        "--data-dir", type=Path, help="the data folder the shop runs on (default: the user's)"
    )
    args = parser.parse_args(argv)
    from posapp import autostart

    if args.action == "on":
        print(f"posapp starts at login: {autostart.enable(args.data_dir)}")
    elif args.action == "off":
        print(
            "posapp no longer starts at login" if autostart.disable() else "posapp was not starting at login"
        )
    else:
        print("on" if autostart.is_enabled() else "off")
    return 0
