"""Command line: ``posapp`` runs the counter app; subcommands serve scripts and checks.

One package, one parser tree: this module parses ``posapp [options]`` and hands ``posapp COMMAND ...`` to
``commands.py`` (the table of every subcommand and its one-line summary, which ``posapp --help`` lists);
``manager.py`` (report, users, customers), ``payouts.py``, ``keys.py`` (privacy), ``setup.py`` (backup, restore, config,
autostart), ``upload.py`` (sync) and ``relay.py`` (pairing with the hub) hold the longer ones. The hub and the
head-office receiver are separate programs with their own ``cli.py`` (posapp/hub, posapp/hq).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from posapp import __version__

STARTED = time.perf_counter()  # as the command line is first read: the launch figure counts from here

log = logging.getLogger("posapp")


def _app_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="posapp", description="Kitchen-counter queue for every delivery platform."
    )
    parser.add_argument("--version", action="version", version=f"posapp {__version__}")
    parser.add_argument(
        "--demo", action="store_true", help="run with the built-in platform simulator, no accounts"
    )
    parser.add_argument(
        "--data-dir", type=Path, help="folder of the SQLite database (default: the user data dir)"
    )
    parser.add_argument("--config", type=Path, help="settings TOML (default: the user config dir)")
    parser.add_argument("--quit-after", type=float, metavar="SECONDS", help="quit by itself after SECONDS")
    parser.add_argument(
        "--quit-on-paint",
        action="store_true",
        help="print how long the queue took to paint (wall and CPU seconds), then quit: launch figures",
    )
    parser.add_argument(
        "--screenshot", type=Path, metavar="PATH", help="save the main window as PNG before quitting"
    )
    parser.add_argument("--sim-rate", type=float, default=12.0, help="demo: simulated orders per minute")
    parser.add_argument(
        "--hub", action="store_true", help="demo: platforms push to a local head-office hub that relays them"
    )
    parser.add_argument("--kiosk", action="store_true", help="full screen, for the counter touchscreen")
    parser.add_argument("--language", choices=["en", "zh_CN"], help="screen language (default: the system's)")
    parser.add_argument("-v", "--verbose", action="store_true")
    # Every subcommand in the one tree, for --help and for the error an unknown one gets; each is run by
    # commands.run before this parser is ever used (posapp COMMAND --help is that command's own help).
    from posapp.cli import commands

    sub = parser.add_subparsers(title="commands", metavar="COMMAND", dest="command")
    for name in commands.COMMANDS:
        sub.add_parser(name, help=commands.SUMMARY.get(name, ""), add_help=False)
    return parser


def _start_logging(args: argparse.Namespace) -> None:
    """stderr and ``<data dir>/logs/posapp.log``; Qt's messages filtered into the same log."""
    from posapp import logs
    from posapp.config import default_data_dir
    from posapp.ui import qt_messages

    # A demo without --data-dir runs in a temporary folder deleted on exit: a log file there would go with it.
    data_dir = args.data_dir or (None if args.demo else default_data_dir())
    path = logs.setup(data_dir, verbose=args.verbose)
    qt_messages.install()
    log.info(
        "posapp %s starting%s; log file: %s", __version__, " (demo)" if args.demo else "", path or "none"
    )


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    from posapp.cli import commands

    if args_list and args_list[0] in commands.COMMANDS:
        return commands.run(args_list[0], args_list[1:])
    args = _app_parser().parse_args(args_list)
    _start_logging(args)
    from posapp import logs
    from posapp.config import default_data_dir, load_settings
    from posapp.errors import PosappError

    try:
        settings = load_settings(args.config)
    except PosappError as exc:
        logs.tell("posapp", exc)
        return 2
    first = None
    data_dir = args.data_dir if args.data_dir is not None else default_data_dir()
    if not (args.demo or args.screenshot) and os.environ.get("QT_QPA_PLATFORM") != "offscreen":
        from posapp.instance import held_by_other
        from posapp.store.peek import DB_FILENAME, peek

        # Standard library only: None unless the database is at the bundled schema. Not when another posapp
        # has the folder: that one's window is brought forward instead (posapp.app.run).
        seen = None
        if (data_dir / DB_FILENAME).is_file() and not held_by_other(data_dir):
            seen = peek(data_dir)
        if seen is not None:  # paint its queue before the engine (a third of the start-up) loads
            from posapp.ui.launch import first_window

            first = first_window(
                seen.orders,
                seen.cursor,
                seen.settings,
                settings,
                settings_pinned=args.config is not None,
                kiosk=args.kiosk,
                language=args.language,
                started_at=STARTED,
                quit_on_paint=args.quit_on_paint,
            )
    if first is None:
        # The Qt-free engine first: once PySide6 is imported, it reads the source of every module imported
        # after it (its "feature" import hook), a tenth of the launch's CPU on a 2-core machine (py-spy).
        import posapp.engine.engine  # noqa: F401
    from posapp.app import AppOptions, run

    return run(
        AppOptions(
            data_dir=args.data_dir,
            demo=args.demo,
            quit_after=args.quit_after,
            screenshot=args.screenshot,
            settings=settings,
            sim_rate_per_minute=args.sim_rate,
            demo_hub=args.demo and args.hub,
            kiosk=args.kiosk,
            language=args.language,
            settings_pinned=args.config is not None,
            started_at=STARTED,
            quit_on_paint=args.quit_on_paint,
        ),
        first,
    )
