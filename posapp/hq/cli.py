"""``posapp hq-receiver``: run the reference head-office receiver until interrupted."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from collections.abc import Sequence

from posapp.hq.receiver import BATCH_PATH, Faults, Receiver
from posapp.shutdown import on_stop_signals

TOKEN_ENV = "POSAPP_HQ_TOKEN"


def _token(args: argparse.Namespace) -> str | None:
    token = os.environ.get(args.token_env)
    if token:
        return token
    import keyring
    from keyring.errors import KeyringError

    try:
        return keyring.get_password("posapp", args.token_ref)
    except KeyringError:
        return None


def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="posapp hq-receiver",
        description="reference head-office receiver for counter uploads (docs/upload-api.yaml)",
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8790, help="0 picks a free port (printed at start)")
    parser.add_argument("--db", default="sqlite:///hq.db", help="SQLAlchemy URL (SQLite or PostgreSQL)")
    parser.add_argument("--token-env", default=TOKEN_ENV, help="environment variable holding the token")
    parser.add_argument(
        "--token-ref", default="hq-upload-token", help="else this keyring entry (service posapp)"
    )
    parser.add_argument(
        "--fail-rate", type=float, default=0.0, help="drill: answer 503 to this share of batches"
    )
    parser.add_argument(
        "--timeout-rate", type=float, default=0.0, help="drill: store, then hang on this share of batches"
    )
    parser.add_argument("--hang", type=float, default=30.0, help="drill: seconds a hanging answer waits")
    parser.add_argument("--delay", type=float, default=0.0, help="drill: seconds to wait before every answer")
    parser.add_argument("--seed", type=int, help="drill: seed of the failure dice")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    token = _token(args)
    if not token:
        print(
            f"posapp hq-receiver: no token: set {args.token_env} or the keyring entry {args.token_ref!r}",
            file=sys.stderr,
        )
        return 2
    import random

    faults = Faults(
        fail_rate=args.fail_rate,
        timeout_rate=args.timeout_rate,
        hang=args.hang,
        delay=args.delay,
        rng=random.Random(args.seed),
    )

    async def serve() -> int:
        receiver = Receiver(args.db, token, faults=faults)
        try:
            port = await receiver.start(args.host, args.port)
        except OSError as exc:
            print(
                f"posapp hq-receiver: cannot listen on {args.host}:{args.port}: {exc.strerror}",
                file=sys.stderr,
            )
            receiver.close()
            return 1
        print(f"hq-receiver listening on http://{args.host}:{port}{BATCH_PATH}", flush=True)
        stop = asyncio.Event()
        on_stop_signals(stop.set)
        await stop.wait()
        await receiver.stop()
        receiver.close()
        return 0

    return asyncio.run(serve())
