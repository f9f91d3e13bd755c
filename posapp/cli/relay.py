"""``posapp hub pair URL CODE``: link this counter to a head-office hub (the counter's side of pairing)."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence
from pathlib import Path

from posapp.errors import PosappError


def pair_command(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="posapp hub pair",
        description="link this counter to a hub with the code from 'posapp hub stores add'",
    )
    parser.add_argument("url", help="the hub's address, e.g. https://hub.example.com")
    parser.add_argument("code")
    parser.add_argument(
        "--data-dir", type=Path, help="the counter's data folder (default: the user data dir)"
    )
    args = parser.parse_args(argv)
    from posapp.services.relay import pair_counter

    try:
        link = asyncio.run(pair_counter(args.url, args.code, data_dir=args.data_dir))
    except PosappError as exc:
        print(f"posapp hub pair: {exc}", file=sys.stderr)
        return 1
    print(f"paired with {link.url} as store {link.store}; the token is in the keyring as {link.token_ref}")
    return 0
