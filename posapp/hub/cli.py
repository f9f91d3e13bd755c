"""``posapp hub``: serve the hub, manage its stores and key; ``posapp hub pair`` links a counter to it."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import logging
import sys
from collections.abc import Sequence
from datetime import UTC, datetime

from posapp.errors import PosappError
from posapp.shutdown import on_stop_signals

DEFAULT_DB = "sqlite:///hub.db"


def main(argv: Sequence[str]) -> int:
    argv = list(argv)
    if argv and argv[0] == "stores":
        return _stores(argv[1:])
    if argv and argv[0] == "key":
        return _key(argv[1:])
    if argv and argv[0] == "admin":
        return _admin(argv[1:])
    return _serve(argv)


def _serve(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="posapp hub",
        description="the head-office hub: platform webhooks for every store, the counters' relay feed, uploads "
        "and the office page. Subcommands: 'posapp hub stores add|list|revoke|code|zone|platform', 'posapp hub key new', "
        "'posapp hub admin add|remove|list' (the office page's logins), "
        "'posapp hub pair URL CODE' (on a counter).",
    )
    parser.add_argument("--host", default="127.0.0.1", help="behind a TLS reverse proxy: keep 127.0.0.1")
    parser.add_argument("--port", type=int, default=8790, help="0 picks a free port (printed at start)")
    parser.add_argument(
        "--db", default=DEFAULT_DB, help="postgresql+psycopg://user@host/db or sqlite:///file"
    )
    parser.add_argument(
        "--rate",
        type=float,
        default=50.0,
        help="pushes a second per store (all processes together on PostgreSQL)",
    )
    parser.add_argument("--burst", type=float, default=200.0, help="pushes a store may send at once")
    parser.add_argument(
        "--pair-rate",
        type=float,
        default=0.2,
        help="pairing tries a second per client address (all processes together on PostgreSQL)",
    )
    parser.add_argument(
        "--pair-burst", type=float, default=5.0, help="pairing tries an address may make at once"
    )
    parser.add_argument(
        "--resend-after", type=float, default=30.0, help="seconds before an unacknowledged push is resent"
    )
    parser.add_argument(
        "--heartbeat",
        type=float,
        default=5.0,
        help="seconds between link checks (revoked tokens, online state)",
    )
    parser.add_argument(
        "--time-zone",
        default="UTC",
        help="the office page's 'today' for stores without their own (posapp hub stores zone NAME ZONE)",
    )
    parser.add_argument(
        "--db-order",
        choices=["priority", "arrival"],
        default="priority",
        help="database work: webhook pushes before link bookkeeping (default), or in arrival order",
    )
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    from posapp.hub.stores import check_zone

    try:
        check_zone(args.time_zone)
    except ValueError as exc:
        parser.error(f"--time-zone: {exc}")
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    from posapp.hub.app import HubOptions, HubServer

    async def serve() -> int:
        options = HubOptions(
            rate=args.rate,
            burst=args.burst,
            pair_rate=args.pair_rate,
            pair_burst=args.pair_burst,
            db_priority=args.db_order == "priority",
            resend_after=args.resend_after,
            heartbeat=args.heartbeat,
            time_zone=args.time_zone,
        )
        try:
            hub = await asyncio.to_thread(HubServer, args.db, options=options)
        except Exception as exc:  # a database that cannot be reached: one sentence, exit 1
            print(f"posapp hub: cannot open the database {_safe(args.db)}: {exc}", file=sys.stderr)
            return 1
        try:
            port = await hub.start(args.host, args.port)
        except OSError as exc:
            print(f"posapp hub: cannot listen on {args.host}:{args.port}: {exc.strerror}", file=sys.stderr)
            await asyncio.to_thread(hub.close)
            return 1
        print(f"hub listening on http://{args.host}:{port}", flush=True)
        stop = asyncio.Event()
        on_stop_signals(stop.set)
        await stop.wait()
        await hub.stop()
        await asyncio.to_thread(hub.close)
        return 0

    return asyncio.run(serve())


def _safe(url: str) -> str:
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "(unreadable URL)"


def _engine(url: str):  # type: ignore[no-untyped-def]
    from posapp.hub.db import make_engine

    return make_engine(url)


def _stores(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="posapp hub stores", description="the stores the hub serves")
    sub = parser.add_subparsers(dest="action", required=True)
    for name, text in (
        ("add", "a new store: prints its token and pairing code"),
        ("revoke", "refuse its token at once"),
        ("code", "a new pairing code (and token) for an existing store"),
    ):
        one = sub.add_parser(name, help=text)
        one.add_argument("name")
        one.add_argument("--db", default=DEFAULT_DB)
    sub.choices["add"].add_argument("--time-zone", help="e.g. Asia/Shanghai; default: the hub's --time-zone")
    zone = sub.add_parser("zone", help="the store's time zone for the office page's 'today'")
    zone.add_argument("name")
    zone.add_argument("zone", help="an IANA name such as Asia/Shanghai, or 'default' for the hub's")
    zone.add_argument("--db", default=DEFAULT_DB)
    listing = sub.add_parser("list", help="every store, its link and platforms")
    listing.add_argument("--db", default=DEFAULT_DB)
    plat = sub.add_parser(
        "platform",
        help="a store's platform account: its store key and secret (read from stdin or a prompt, sealed)",
    )
    plat.add_argument("name")
    plat.add_argument("platform", choices=["meituan", "eleme", "ubereats", "doordash", "own"])
    plat.add_argument(
        "--store-key",
        required=True,
        help="app_poi_code, shopId, Uber store UUID, DoorDash store id, own-site X-Posapp-Store",
    )
    plat.add_argument("--app-id", default="")
    plat.add_argument(
        "--option",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="e.g. callback_url=https://hub.example.com/meituan",
    )
    plat.add_argument("--db", default=DEFAULT_DB)
    args = parser.parse_args(argv)
    from posapp.hub import stores

    engine = _engine(args.db)
    now = datetime.now(UTC)
    try:
        if args.action == "add":
            try:
                with engine.begin() as conn:
                    issued = stores.add(conn, args.name, now, time_zone=args.time_zone)
            except ValueError as exc:
                print(f"posapp hub stores: {exc}", file=sys.stderr)
                return 1
            _print_issued(issued)
        elif args.action == "code":
            with engine.begin() as conn:
                issued_or_none = stores.new_pairing(conn, args.name, now)
            if issued_or_none is None:
                print(f"posapp hub stores: no store named {args.name!r}", file=sys.stderr)
                return 1
            _print_issued(issued_or_none)
        elif args.action == "revoke":
            with engine.begin() as conn:
                done = stores.revoke(conn, args.name, now)
            if not done:
                print(f"posapp hub stores: no active store named {args.name!r}", file=sys.stderr)
                return 1
            print(
                f"store {args.name}: token revoked; its counter is refused from now on (new code: 'posapp hub stores code {args.name}')"
            )
        elif args.action == "zone":
            chosen = None if args.zone == "default" else args.zone
            try:
                with engine.begin() as conn:
                    found = stores.set_zone(conn, args.name, chosen)
            except ValueError as exc:
                print(f"posapp hub stores zone: {exc}", file=sys.stderr)
                return 2
            if not found:
                print(f"posapp hub stores zone: no store named {args.name!r}", file=sys.stderr)
                return 1
            print(f"store {args.name}: today is counted in {chosen or 'the hub default time zone'}")
        elif args.action == "list":
            with engine.connect() as conn:
                for s in stores.all_stores(conn):
                    state = "revoked" if s.revoked_at else ("online" if s.online(now) else "offline")
                    plats = ", ".join(f"{p}:{k}" for p, k in stores.platforms_of(conn, s.id)) or "no platform"
                    print(f"{s.name:<24} {state:<8} {plats}")
        else:
            return _platform(engine, args, now)
    finally:
        engine.dispose()
    return 0


def _platform(engine, args: argparse.Namespace, now: datetime) -> int:  # type: ignore[no-untyped-def]
    from posapp.hub import stores
    from posapp.hub.sealing import Sealer

    options = {}
    for item in args.option:
        name, sep, value = item.partition("=")
        if not sep:
            print(f"posapp hub stores platform: --option {item!r} is not NAME=VALUE", file=sys.stderr)
            return 2
        options[name] = value
    try:
        sealer = Sealer.from_vault()
    except PosappError as exc:
        print(f"posapp hub stores platform: {exc}", file=sys.stderr)
        return 2
    # Read from the terminal (or a pipe): an argument would land in the shell history.
    secret = (
        getpass.getpass(f"{args.platform} secret: ")
        if sys.stdin.isatty()
        else sys.stdin.readline().rstrip("\n")
    )
    if not secret:
        print("posapp hub stores platform: empty secret, nothing stored", file=sys.stderr)
        return 2
    with engine.begin() as conn:
        store = stores.by_name(conn, args.name)
        if store is None:
            print(f"posapp hub stores platform: no store named {args.name!r}", file=sys.stderr)
            return 1
        stores.set_platform(
            conn,
            store.id,
            args.platform,
            args.store_key,
            app_id=args.app_id,
            secret_sealed=sealer.seal(secret),
            options=options,
        )
    print(
        f"store {args.name}: {args.platform} pushes with store key {args.store_key} are taken (secret sealed)"
    )
    return 0


def _print_issued(issued) -> None:  # type: ignore[no-untyped-def]
    print(f"store {issued.store}")
    print(
        f"  pairing code: {issued.code}   (valid 24 hours, once: at the counter, posapp hub pair URL {issued.code})"
    )
    print(f"  store token:  {issued.token}   (shown once; the hub keeps only its digest)")


def _admin(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="posapp hub admin",
        description="who may log in to the office page (passwords kept as scrypt hashes)",
    )
    sub = parser.add_subparsers(dest="action", required=True)
    for name, text in (
        ("add", "add a login, or give an existing one a new password (its sessions end)"),
        ("remove", "remove a login (its sessions end)"),
    ):
        one = sub.add_parser(name, help=text)
        one.add_argument("name")
        one.add_argument("--db", default=DEFAULT_DB)
    sub.add_parser("list", help="the logins").add_argument("--db", default=DEFAULT_DB)
    args = parser.parse_args(argv)
    from posapp.hub import auth

    password = ""
    if args.action == "add":
        if not 1 <= len(args.name) <= 64 or not args.name.isprintable():
            print("posapp hub admin: a name is 1 to 64 printable characters", file=sys.stderr)
            return 2
        password = _new_password()
        if len(password) < auth.MIN_PASSWORD:
            print(
                f"posapp hub admin: a password needs {auth.MIN_PASSWORD} characters or more", file=sys.stderr
            )
            return 2
    engine = _engine(args.db)
    try:
        with engine.begin() as conn:
            if args.action == "add":
                new = auth.set_admin(conn, args.name, password, datetime.now(UTC))
                print(
                    f"office login {args.name}: {'added' if new else 'new password set, its sessions ended'}"
                )
            elif args.action == "remove":
                if not auth.remove_admin(conn, args.name):
                    print(f"posapp hub admin: no login named {args.name!r}", file=sys.stderr)
                    return 1
                print(f"office login {args.name}: removed")
            else:
                for name in auth.admin_names(conn):
                    print(name)
    finally:
        engine.dispose()
    return 0


def _new_password() -> str:
    """From the terminal, typed twice and never echoed; from a pipe, its first line (never an argument: it
    would land in the shell history and the process list)."""
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("password: ")
    if getpass.getpass("again: ") != first:
        print("posapp hub admin: the two passwords differ", file=sys.stderr)
        return ""
    return first


def _key(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="posapp hub key", description="the key that seals platform secrets")
    parser.add_argument("action", choices=["new"])
    parser.add_argument("--store", action="store_true", help="put it in this machine's keyring as hub-key")
    args = parser.parse_args(argv)
    from posapp.hub.sealing import KEY_NAME, new_key
    from posapp.vault import get_secret, set_secret

    key = new_key()
    if args.store:
        try:
            if get_secret(KEY_NAME) is not None:
                print(f"posapp hub key: the keyring already holds {KEY_NAME}; not replaced", file=sys.stderr)
                return 1
            set_secret(KEY_NAME, key)
        except PosappError as exc:
            print(f"posapp hub key: {exc}", file=sys.stderr)
            return 2
        print(f"a new hub key is in the keyring as {KEY_NAME}")
        return 0
    print(key)  # for `systemd-creds encrypt - /etc/credstore.encrypted/hub-key`
    return 0
