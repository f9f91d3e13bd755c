"""Subcommands for scripts: ``posapp normalize``, and the others as issues add them."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path


def _normalize(argv: Sequence[str]) -> int:
    from posapp.connectors.registry import parse_file

    parser = argparse.ArgumentParser(
        prog="posapp normalize", description="print a platform payload as a canonical order"
    )
    parser.add_argument("--platform", required=True)
    parser.add_argument("file")
    args = parser.parse_args(argv)
    from posapp.errors import PosappError

    try:
        orders = parse_file(args.platform, args.file)
    except (PosappError, OSError) as exc:
        print(f"posapp normalize: {exc}", file=sys.stderr)
        return 2
    out = orders[0].to_canonical() if len(orders) == 1 else [o.to_canonical() for o in orders]
    json.dump(out, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 0


def _secret(argv: Sequence[str]) -> int:
    """``posapp secret set NAME`` stores a secret in the OS keyring (typed, never an argument)."""
    import getpass

    from posapp.errors import PosappError
    from posapp.vault import get_secret, set_secret

    parser = argparse.ArgumentParser(
        prog="posapp secret", description="keep platform secrets in the OS keyring"
    )
    parser.add_argument("action", choices=["set", "check"])
    parser.add_argument("name", help="the secret's name, as settings refer to it (secret_ref / token_ref)")
    args = parser.parse_args(argv)
    try:
        if args.action == "set":
            # Read from the terminal (or a pipe): an argument would land in the shell history.
            value = (
                getpass.getpass(f"{args.name}: ") if sys.stdin.isatty() else sys.stdin.readline().rstrip("\n")
            )
            if not value:
                print("posapp secret: empty secret, nothing stored", file=sys.stderr)
                return 2
            set_secret(args.name, value)
            print(f"stored {args.name} in the keyring")
        else:
            present = get_secret(args.name) is not None
            print(f"{args.name}: {'present' if present else 'missing'}")
            return 0 if present else 1
    except PosappError as exc:
        print(f"posapp secret: {exc}", file=sys.stderr)
        return 2
    return 0


def _print(argv: Sequence[str]) -> int:
    from pathlib import Path

    parser = argparse.ArgumentParser(
        prog="posapp print",
        description="print an order's kitchen ticket or receipt (or a test page) on a printer, now",
    )
    parser.add_argument("order_id", nargs="?", type=int, metavar="ORDER_ID")
    parser.add_argument("--kind", choices=["kitchen", "receipt", "cancel"], default="kitchen")
    parser.add_argument(
        "--to",
        metavar="URI",
        help="tcp://host:port, file:PATH, usb:VID:PID, serial:/dev/..., cups:NAME or a printer name",
    )
    parser.add_argument("--test", action="store_true", help="print a test page instead of an order")
    parser.add_argument("--reprint", action="store_true", help="mark the ticket REPRINT")
    parser.add_argument(
        "--data-dir", type=Path, help="folder of the SQLite database (default: the user data dir)"
    )
    parser.add_argument("--config", type=Path, help="settings TOML (default: the user config dir)")
    parser.add_argument("--width", type=int, choices=[58, 80], help="paper width in mm")
    parser.add_argument("--encoding", help="printer font encoding: gb18030, gbk, big5, cp437, ...")
    parser.add_argument(
        "--profile", help="printer profile: generic-80, generic-58, epson-tm-t88, escpos:<model>"
    )
    parser.add_argument("--timeout", type=float, help="seconds to wait for the printer (default 3)")
    parser.add_argument("--preview", type=Path, metavar="PNG", help="also save the ticket as an image")
    args = parser.parse_args(argv)
    from posapp.config import default_data_dir, load_settings
    from posapp.errors import PosappError
    from posapp.services.printing import cli_print

    try:
        message = cli_print(
            settings=load_settings(args.config),
            data_dir=args.data_dir or default_data_dir(),
            order_id=args.order_id,
            kind=args.kind,
            to=args.to,
            test=args.test,
            reprint=args.reprint,
            width=args.width,
            encoding=args.encoding,
            profile=args.profile,
            timeout=args.timeout,
            preview=args.preview,
        )
    except PosappError as exc:
        print(f"posapp print: {exc}", file=sys.stderr)
        return 2
    print(message)
    return 0


def _hq_receiver(argv: Sequence[str]) -> int:
    from posapp.hq.cli import main

    return main(argv)


def _hub(argv: Sequence[str]) -> int:
    """``posapp hub …`` at head office; ``posapp hub pair URL CODE`` on a counter."""
    if argv and argv[0] == "pair":
        from posapp.cli.relay import pair_command

        return pair_command(argv[1:])
    from posapp.hub.cli import main

    return main(argv)


def _sync(argv: Sequence[str]) -> int:
    from posapp.cli.upload import main

    return main(argv)


def _report(argv: Sequence[str]) -> int:
    from posapp.cli.manager import report_command

    return report_command(argv)


def _users(argv: Sequence[str]) -> int:
    from posapp.cli.manager import users_command

    return users_command(argv)


def _customers(argv: Sequence[str]) -> int:
    from posapp.cli.manager import customers_command

    return customers_command(argv)


def _payouts(argv: Sequence[str]) -> int:
    from posapp.cli.payouts import payouts_command

    return payouts_command(argv)


def _privacy(argv: Sequence[str]) -> int:
    """``posapp privacy rotate-key | export-key | import-key``: the key of personal data at rest."""
    from posapp.cli.keys import KEY_ACTIONS, key_command

    if argv and argv[0] not in KEY_ACTIONS and not argv[0].startswith("-"):
        print(
            f"posapp privacy: unknown action {argv[0]!r} (choose from {', '.join(KEY_ACTIONS)})",
            file=sys.stderr,
        )
        return 2
    return key_command(argv)


def _screens(argv: Sequence[str]) -> int:
    """``posapp screens code|list|revoke``: pair kitchen screens with the engine (docs/screen-api.md)."""
    from datetime import UTC, datetime

    from posapp.config import default_data_dir
    from posapp.engine.screen_api import CODE_VALID, digest
    from posapp.errors import PosappError
    from posapp.store import screens
    from posapp.store.db import open_database

    parser = argparse.ArgumentParser(prog="posapp screens", description="pair and manage kitchen screens")
    parser.add_argument("action", choices=["code", "list", "revoke"])
    parser.add_argument("screen_id", nargs="?", type=int, help="revoke: the screen's number from 'list'")
    parser.add_argument("--data-dir", type=Path, help="the engine's data folder")
    args = parser.parse_args(argv)
    now = datetime.now(UTC)
    try:
        db = open_database(args.data_dir or default_data_dir())
    except PosappError as exc:
        print(f"posapp screens: {exc}", file=sys.stderr)
        return 2
    try:
        if args.action == "code":
            import secrets

            code = f"{secrets.randbelow(10**6):06d}"
            db.call(lambda s: screens.add_code(s, digest(code), now + CODE_VALID))
            minutes = int(CODE_VALID.total_seconds() // 60)
            print(f"Pairing code {code} — valid for {minutes} minutes, once.")
        elif args.action == "list":
            for sc in db.call(screens.all_screens):
                state = f"revoked {sc.revoked_at:%Y-%m-%d %H:%M}" if sc.revoked_at else "paired"
                print(f"{sc.id:>3}  {sc.name:<24} {sc.station or 'all stations':<16} {state}")
        else:
            if args.screen_id is None or not db.call(lambda s: screens.revoke(s, args.screen_id, now)):
                print("posapp screens: no such paired screen", file=sys.stderr)
                return 1
            print(f"screen {args.screen_id} revoked: it is refused from now on")
    finally:
        db.close()
    return 0


def _engine(argv: Sequence[str]) -> int:
    from posapp.engine.headless import main

    return main(argv)


def _screen(argv: Sequence[str]) -> int:
    from posapp.ui.screen.main import main

    return main(argv)


def _backup(argv: Sequence[str]) -> int:
    from posapp.cli.setup import backup_command

    return backup_command(argv)


def _restore(argv: Sequence[str]) -> int:
    from posapp.cli.setup import restore_command

    return restore_command(argv)


def _config(argv: Sequence[str]) -> int:
    from posapp.cli.setup import config_command

    return config_command(argv)


def _autostart(argv: Sequence[str]) -> int:
    from posapp.cli.setup import autostart_command

    return autostart_command(argv)


COMMANDS: dict[str, Callable[[Sequence[str]], int]] = {
    "engine": _engine,
    "screen": _screen,
    "screens": _screens,
    "normalize": _normalize,
    "secret": _secret,
    "print": _print,
    "hq-receiver": _hq_receiver,
    "hub": _hub,
    "sync": _sync,
    "report": _report,
    "users": _users,
    "customers": _customers,
    "payouts": _payouts,
    "privacy": _privacy,
    "backup": _backup,
    "restore": _restore,
    "config": _config,
    "autostart": _autostart,
}


# One line each for ``posapp --help`` (each command's own ``--help`` says the rest).
SUMMARY: dict[str, str] = {
    "engine": "run the order engine without a window (listener, intake, printing, pushes, upload)",
    "screen": "a kitchen screen, the expo or a pickup board following a running engine",
    "screens": "pairing codes for kitchen screens; list and revoke paired screens",
    "normalize": "print a platform payload as a canonical order",
    "secret": "keep platform secrets in the OS keyring (set, check)",
    "print": "print an order's kitchen ticket or receipt, or a test page, now",
    "hq-receiver": "the reference head-office receiver for counter uploads",
    "hub": "the head-office hub: every store's platform webhooks, relay feeds and uploads",
    "sync": "send the waiting order changes to head office, headless",
    "report": "end-of-day (Z) report for a business day or a range",
    "users": "staff who sign in with a PIN",
    "customers": "customer analysis",
    "payouts": "platform settlement statements: import a file, or fetch Uber Eats' by API",
    "privacy": "the key that encrypts customers' personal data (rotate-key, export-key, import-key)",
    "backup": "copy the order database into a folder (also while posapp runs)",
    "restore": "put a backup in place of the order database (posapp must not be running)",
    "config": "the shop's settings as TOML for scripted roll-outs (export, import)",
    "autostart": "start posapp full screen when this user logs in (on, off, status)",
}


def run(name: str, argv: Sequence[str]) -> int:
    return COMMANDS[name](argv)
