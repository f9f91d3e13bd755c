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


def _report(argv: Sequence[str]) -> int:
    from posapp.manager_cli import report_command

    return report_command(argv)


def _users(argv: Sequence[str]) -> int:
    from posapp.manager_cli import users_command

    return users_command(argv)


COMMANDS: dict[str, Callable[[Sequence[str]], int]] = {
    "normalize": _normalize,
    "report": _report,
    "users": _users,
}


def run(name: str, argv: Sequence[str]) -> int:
    return COMMANDS[name](argv)
