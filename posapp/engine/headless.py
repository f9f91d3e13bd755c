"""``posapp engine``: the order engine as a service, with no window — a back-office box or the counter's own."""

from __future__ import annotations

import argparse
import asyncio
import logging
from collections.abc import Sequence
from pathlib import Path

from posapp import __version__
from posapp.engine.engine import Engine, EngineOptions
from posapp.shutdown import on_stop_signals

log = logging.getLogger("posapp")


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="posapp engine",
        description="run the order engine without a window: listener, intake, printing, pushes, upload",
    )
    p.add_argument("--data-dir", type=Path, help="folder of the SQLite database and the log")
    p.add_argument("--config", type=Path, help="settings TOML (default: the user config dir)")
    p.add_argument("--demo", action="store_true", help="the built-in platform simulator, no accounts")
    p.add_argument("--sim-rate", type=float, default=12.0, help="demo: simulated orders per minute")
    p.add_argument("--quit-after", type=float, metavar="SECONDS", help="stop by itself after SECONDS")
    p.add_argument("-v", "--verbose", action="store_true")
    return p


def main(argv: Sequence[str]) -> int:
    """Run until SIGTERM or SIGINT (or ``--quit-after``): 0 after a clean stop, 1 when start-up fails,
    2 when the settings cannot be read."""
    from posapp import logs
    from posapp.config import default_data_dir, load_settings
    from posapp.engine.thread import share_the_gil_finely
    from posapp.errors import PosappError

    args = parser().parse_args(argv)
    share_the_gil_finely()
    data_dir = args.data_dir or (None if args.demo else default_data_dir())
    path = logs.setup(data_dir, verbose=args.verbose)
    log.info("posapp engine %s starting%s; log file: %s", __version__, " (demo)" if args.demo else "", path)
    try:
        settings = load_settings(args.config)
    except PosappError as exc:
        logs.tell("posapp engine", exc)
        return 2
    options = EngineOptions(
        data_dir=args.data_dir,
        demo=args.demo,
        settings=settings,
        sim_rate_per_minute=args.sim_rate,
        own_loop=True,
    )
    return asyncio.run(serve(Engine(options), args.quit_after))


async def serve(engine: Engine, quit_after: float | None = None) -> int:
    from posapp import logs
    from posapp.errors import PosappError

    stop = asyncio.Event()
    on_stop_signals(stop.set)
    try:
        await engine.open()
        await engine.serve()
    except PosappError as exc:
        logs.tell("posapp engine", exc, why="start-up failed: ")
        await engine.stop()
        return 1
    port = engine.channels.listen_port if engine.channels is not None else None
    log.info("engine running; webhook listener on port %s", port)
    if quit_after is not None:
        asyncio.get_running_loop().call_later(quit_after, stop.set)
    await stop.wait()
    log.info("engine stopping")
    await engine.stop()
    log.info("engine stopped")
    return 0
