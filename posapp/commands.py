"""Subcommands for scripts: ``posapp normalize``, and the others as issues add them."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence


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


COMMANDS: dict[str, Callable[[Sequence[str]], int]] = {"normalize": _normalize, "secret": _secret}


def run(name: str, argv: Sequence[str]) -> int:
    return COMMANDS[name](argv)
