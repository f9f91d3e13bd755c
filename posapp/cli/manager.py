"""Manager commands for scripts: `posapp report` (Z-report as text, CSV or JSON), `posapp users` and
`posapp customers segments | find | export | erase`."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Coroutine, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def report_command(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="posapp report",
        description="End-of-day (Z) report for a business day, or a range of business days.",
    )
    parser.add_argument(
        "--day", type=_day, required=True, help="business day YYYY-MM-DD (first day of a range)"
    )
    parser.add_argument("--to", type=_day, help="last business day of a range (inclusive)")
    parser.add_argument("--format", choices=("text", "csv", "json"), default="text")
    parser.add_argument(
        "--data-dir", type=Path, help="folder of the SQLite database (default: the user data dir)"
    )
    parser.add_argument("--config", type=Path, help="settings TOML (default: the user config dir)")
    parser.add_argument("--out", type=Path, help="csv: folder for the files (default: the current folder)")
    parser.add_argument(
        "--currency", help="report only orders in this currency (needed when a day mixes them)"
    )
    parser.add_argument("--width", type=int, default=48, help="text: columns of the paper (32 or 48)")
    args = parser.parse_args(argv)

    from posapp.config import default_data_dir, load_settings
    from posapp.errors import PosappError
    from posapp.reports.csv import write_csv
    from posapp.reports.jsonout import report_to_dict
    from posapp.reports.ztext import z_report_text
    from posapp.services.reports import ReportOptions, ReportService
    from posapp.store.db import DB_FILENAME, open_database

    data_dir = args.data_dir or default_data_dir()
    if not (data_dir / DB_FILENAME).exists():
        print(f"posapp report: no order database in {data_dir}", file=sys.stderr)
        return 2
    if args.to is not None and args.to < args.day:
        print(f"posapp report: --to {args.to} is before --day {args.day}", file=sys.stderr)
        return 2
    try:
        settings = load_settings(args.config)
        options = ReportOptions.from_settings(settings)
        db = open_database(data_dir)
        try:
            report = ReportService(db, options).z_report_now(args.day, args.to, currency=args.currency)
        finally:
            db.close()
    except PosappError as exc:
        print(f"posapp report: {exc}", file=sys.stderr)
        return 2
    if args.format == "text":
        sys.stdout.write(z_report_text(report, width=args.width, store_name=settings.store_name))
    elif args.format == "json":
        json.dump(report_to_dict(report), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        for path in write_csv(report, args.out or Path.cwd()):
            print(path)
    return 0


def users_command(argv: Sequence[str]) -> int:
    """``posapp users add NAME --role manager`` (PIN asked twice, never echoed) and ``posapp users list``."""
    parser = argparse.ArgumentParser(prog="posapp users", description="Staff who sign in with a PIN.")
    sub = parser.add_subparsers(dest="what", required=True)
    add = sub.add_parser("add", help="add a member of staff")
    add.add_argument("name")
    add.add_argument("--role", choices=("kitchen", "cashier", "manager"), required=True)
    add.add_argument("--pin-stdin", action="store_true", help="read the PIN from standard input (scripts)")
    sub.add_parser("list", help="list staff and whether they are locked out")
    for p in sub.choices.values():
        p.add_argument("--data-dir", type=Path, help="folder of the SQLite database")
    args = parser.parse_args(argv)

    import getpass

    from posapp.config import default_data_dir
    from posapp.errors import PosappError
    from posapp.services.auth import AuthService
    from posapp.store import users as store
    from posapp.store.db import open_database

    db = open_database(args.data_dir or default_data_dir())
    try:
        if args.what == "list":
            for u in db.call(store.list_users):
                locked = f"  locked until {u.locked_until:%Y-%m-%d %H:%M} UTC" if u.locked_until else ""
                print(f"{u.name}\t{u.role}{locked}")
            return 0
        if args.pin_stdin:
            pin = sys.stdin.readline().strip()
        else:
            pin = getpass.getpass("New PIN: ")
            if getpass.getpass("Again: ") != pin:
                print("posapp users: the two PINs differ", file=sys.stderr)
                return 2
        try:
            AuthService(db).create_user_now(args.name, args.role, pin, by="cli")
        except PosappError as exc:
            print(f"posapp users: {exc}", file=sys.stderr)
            return 2
        print(f"added {args.name} ({args.role})")
        return 0
    finally:
        db.close()


def _moment(text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date and time (YYYY-MM-DDTHH:MM+08:00): {text!r}") from None
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def customers_command(argv: Sequence[str]) -> int:
    """``posapp customers segments [--platform P] [--csv FILE]``: new, regular, high-value, lapsing and lost
    customers per platform and overall, with the rules they follow. ``find``, ``export`` and ``erase``: a
    customer's data on request (manager PIN)."""
    parser = argparse.ArgumentParser(prog="posapp customers", description="Customer analysis.")
    sub = parser.add_subparsers(dest="what", required=True)
    seg = sub.add_parser("segments", help="segments, repeat rate, frequency and spend per platform")
    seg.add_argument("--platform", help="list the customers of this platform only (meituan, eleme, own, ...)")
    seg.add_argument("--csv", type=Path, metavar="FILE", help="also write the customers to this CSV file")
    seg.add_argument("--now", type=_moment, help="as of this moment, ISO 8601 (default: now)")
    seg.add_argument("--data-dir", type=Path, help="folder of the SQLite database")
    find = sub.add_parser("find", help="find a customer by phone or name: their key for export and erase")
    find.add_argument("query", help="a phone number (whole or its last digits) or part of a name")
    export = sub.add_parser("export", help="everything we hold about a customer, as JSON")
    export.add_argument("key", help="the customer's key, as `posapp customers find` prints it")
    export.add_argument("--out", type=Path, metavar="FILE", required=True, help="the JSON file to write")
    erase = sub.add_parser("erase", help="erase a customer's personal data everywhere (cannot be undone)")
    erase.add_argument("key", help="the customer's key, as `posapp customers find` prints it")
    erase.add_argument("--reason", required=True, help="why (kept in the audit log with who did it)")
    erase.add_argument("--yes", action="store_true", help="do not ask to confirm (scripts)")
    for p in (find, export, erase):
        p.add_argument("--data-dir", type=Path, help="folder of the SQLite database")
        p.add_argument("--pin-stdin", action="store_true", help="read the manager PIN from standard input")
    args = parser.parse_args(argv)
    if args.what != "segments":
        return _customer_data(args)

    from posapp.config import default_data_dir
    from posapp.errors import PosappError
    from posapp.reports.segments import segments_text, write_csv
    from posapp.services.clock import utc_now
    from posapp.services.customers import CustomerService
    from posapp.store.db import DB_FILENAME, open_database

    data_dir = args.data_dir or default_data_dir()
    if not (data_dir / DB_FILENAME).exists():
        print(f"posapp customers: no order database in {data_dir}", file=sys.stderr)
        return 2
    now = args.now
    try:
        db = open_database(data_dir)
        try:
            service = CustomerService(db, clock=(lambda: now) if now is not None else utc_now)
            report = service.segments_now(platform=args.platform)
        finally:
            db.close()
    except PosappError as exc:
        print(f"posapp customers: {exc}", file=sys.stderr)
        return 2
    sys.stdout.write(segments_text(report, platform=args.platform))
    if args.csv is not None:
        try:
            write_csv(report, args.csv)
        except OSError as exc:
            print(f"posapp customers: cannot write {args.csv}: {exc.strerror}", file=sys.stderr)
            return 2
        print(f"saved {args.csv}")
    return 0


def _run(coro: Coroutine[Any, Any, T]) -> T:
    """Run a service's coroutine to its end on a loop of its own, in a thread of its own: the command works
    the same when a caller already runs an event loop (the test suite's)."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


def _customer_data(args: argparse.Namespace) -> int:
    """``find``, ``export`` and ``erase`` for a manager: the PIN is asked (never echoed) or read from stdin."""
    import getpass

    from posapp.config import default_data_dir
    from posapp.domain.roles import Permission
    from posapp.errors import PosappError
    from posapp.services.auth import AuthService
    from posapp.services.privacy import PrivacyService, write_json
    from posapp.store.db import DB_FILENAME, open_database

    data_dir = args.data_dir or default_data_dir()
    if not (data_dir / DB_FILENAME).exists():
        print(f"posapp customers: no order database in {data_dir}", file=sys.stderr)
        return 2
    if args.what == "erase" and not args.yes:
        if args.pin_stdin:
            print("posapp customers: erase with --pin-stdin needs --yes", file=sys.stderr)
            return 2
        if input("Erase this customer's personal data for good? Type ERASE: ").strip() != "ERASE":
            print("posapp customers: nothing erased", file=sys.stderr)
            return 1
    pin = sys.stdin.readline().strip() if args.pin_stdin else getpass.getpass("Manager PIN: ")
    try:
        db = open_database(data_dir)
        try:
            auth = AuthService(db)
            privacy = PrivacyService(db, auth)
            if args.what == "erase":
                done = _run(privacy.erase(args.key, reason=args.reason, pin=pin))
                print(f"erased: {done.text()}")
                return 0
            user = _run(auth.sign_in(pin, need=Permission.CUSTOMER_DATA))
            if args.what == "find":
                for m in _run(privacy.find(args.query, by=user)):
                    kind = "masked: may be someone else elsewhere" if m.masked else "full phone"
                    print(
                        f"{m.key}\t{m.name or '-'}\t{m.phone or '-'} ({kind})\t{','.join(m.platforms)}\t"
                        f"{m.orders} orders\tlast {m.last_order_at:%Y-%m-%d}"
                    )
                return 0
            doc = privacy.export_now(args.key, by=user)
        finally:
            db.close()
    except PosappError as exc:
        print(f"posapp customers: {exc}", file=sys.stderr)
        return 2
    try:
        write_json(doc, args.out)
    except OSError as exc:
        print(f"posapp customers: cannot write {args.out}: {exc.strerror}", file=sys.stderr)
        return 2
    print(f"saved {args.out} ({len(doc['orders'])} orders)")
    return 0
