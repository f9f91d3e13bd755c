"""``posapp report``: the end-of-day report for scripts, as text, CSV files or JSON."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path


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
