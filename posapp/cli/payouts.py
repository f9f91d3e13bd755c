"""``posapp payouts``: a platform's settlement statement imported from a file, or fetched by API (Uber Eats).

``posapp payouts import PLATFORM FILE`` is the Payouts tab's *Import statement…*;
``posapp payouts fetch ubereats --from DAY --to DAY`` asks Uber Eats' Reporting API for the Payment Details
Report and waits while the running engine receives and imports it (services/payout_fetch.py). Either prints
the reconciliation as CSV (the Payouts tab's *Export CSV*) and a summary on stderr.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from posapp.config import Settings
    from posapp.services.payouts import PayoutResult, PayoutService
    from posapp.store.db import Database

PLATFORMS = ("meituan", "eleme", "ubereats", "doordash")


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data-dir", type=Path, help="folder of the SQLite database (default: the user data dir)"
    )
    parser.add_argument("--config", type=Path, help="settings TOML (default: the stored settings)")


def payouts_command(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="posapp payouts", description="Platform settlement statements, reconciled with our orders."
    )
    sub = parser.add_subparsers(dest="what", required=True)
    imp = sub.add_parser("import", help="import a statement file (CSV or .xlsx) the platform gave you")
    imp.add_argument("platform", choices=PLATFORMS)
    imp.add_argument("file", type=Path)
    _common(imp)
    fetch = sub.add_parser(
        "fetch", help="fetch the statement by the platform's API (Uber Eats), through the running engine"
    )
    fetch.add_argument("platform", choices=PLATFORMS)
    fetch.add_argument("--from", dest="first", type=_day, required=True, help="first day YYYY-MM-DD")
    fetch.add_argument("--to", dest="last", type=_day, required=True, help="last day YYYY-MM-DD (inclusive)")
    fetch.add_argument(
        "--wait", type=float, default=600.0, help="seconds to wait for the platform's report (default 600)"
    )
    _common(fetch)
    args = parser.parse_args(argv)

    from posapp.config import default_data_dir
    from posapp.errors import PosappError
    from posapp.lazy import httpx
    from posapp.store.db import DB_FILENAME, open_database

    name = f"posapp payouts {args.what}"
    data_dir = args.data_dir or default_data_dir()
    if not (data_dir / DB_FILENAME).exists():
        print(f"{name}: no order database in {data_dir}", file=sys.stderr)
        return 2
    try:
        db = open_database(data_dir)
        try:
            settings = _settings(db, args.config)
            if args.what == "import":
                result = asyncio.run(_import(db, settings, args.platform, args.file))
            else:
                result = asyncio.run(_fetch(db, settings, args.platform, args.first, args.last, args.wait))
        finally:
            db.close()
    except PosappError as exc:
        print(f"{name}: {exc}", file=sys.stderr)
        return 1
    except httpx.HTTPError as exc:
        print(f"{name}: the platform could not be reached: {exc or type(exc).__name__}", file=sys.stderr)
        return 1
    _print(result)
    return 0


def _settings(db: Database, config: Path | None) -> Settings:
    """As the engine reads them: ``--config FILE`` wins, else the stored settings, else the default file."""
    from posapp.config import load_settings, settings_from_document
    from posapp.services.setup import load_document

    if config is None:
        doc = db.call(load_document)
        if doc is not None:
            return settings_from_document(doc, source="the stored settings")
    return load_settings(config)


def _service(db: Database, settings: Settings) -> PayoutService:
    from posapp.services.payouts import PayoutService
    from posapp.services.reports import ReportOptions, ReportService

    return PayoutService(db, ReportService(db, ReportOptions.from_settings(settings)))


async def _import(db: Database, settings: Settings, platform: str, path: Path) -> PayoutResult:
    payouts = _service(db, settings)
    return await payouts.import_file(platform, path, by="cli", currency=payouts.reports.options.currency)


async def _fetch(
    db: Database, settings: Settings, platform: str, first: date, last: date, wait: float
) -> PayoutResult:
    from posapp.engine.engine import connector_for
    from posapp.errors import ConfigError
    from posapp.services.payout_fetch import FETCHABLE, PayoutFetch

    if platform not in FETCHABLE:
        raise ConfigError(_CANNOT.get(platform, f"{platform} statements cannot be fetched by API"))
    found = [p for p in settings.platforms if p.name == platform]
    if not found:
        raise ConfigError(f"{FETCHABLE[platform]} is not set up: add [platforms.{platform}] to the settings")
    payouts = _service(db, settings)
    fetcher = PayoutFetch(payouts)
    try:
        request = await fetcher.request(
            connector_for(found[0]), first, last, by="cli", currency=payouts.reports.options.currency
        )
        print(
            f"Asked {FETCHABLE[platform]} for its payment details of {first} to {last} "
            f"(report {request.workflow_id}); waiting for it to arrive at the engine…",
            file=sys.stderr,
        )
        return await fetcher.wait(request, wait)
    finally:
        await fetcher.close()


# Why the other platforms' statements come as files (README "Manager: platform payouts and refunds").
_CANNOT = {
    "meituan": "posapp cannot fetch Meituan bills yet: import the 账单 the merchant back office exports. "
    "Meituan's bill list API (waimaiopen.meituan.com/api/v1/wm/bill/list) answers JSON whose fields we "
    "found only in third-party code, not in a public document",
    "eleme": "posapp cannot fetch Ele.me bills yet: import the 对账单 the merchant back office exports. "
    "Ele.me's bill calls (eleme.finance.queryBranchBills) are known only from its SDKs, without a public "
    "document of what they answer",
    "doordash": "posapp cannot fetch DoorDash reports yet: import the payout report file. DoorDash's "
    "Reporting API (openapi.doordash.com/dataexchange/v1/reports) is for approved partners and is not built",
}


def _print(result: PayoutResult) -> None:
    from posapp.reports.payouts import reconciliation_csv

    info = result.imported
    if info is not None:
        print(f"Imported {info.source}: {info.line_count} lines (import #{info.id}).", file=sys.stderr)
    for total in result.reconciliation.totals:
        print(f"  {total.outcome.value}: {total.count}", file=sys.stderr)
    sys.stdout.write(reconciliation_csv(result.reconciliation))
