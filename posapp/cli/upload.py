"""``posapp sync``: run the head-office upload without the window (a back-office box, drills, tests)."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Sequence
from pathlib import Path


def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="posapp sync", description="send the waiting order changes to head office, headless"
    )
    parser.add_argument("--data-dir", type=Path, help="folder of the SQLite database")
    parser.add_argument("--config", type=Path, help="settings TOML with a [sync] table")
    parser.add_argument("--until-empty", action="store_true", help="exit once nothing is waiting")
    parser.add_argument("--base-delay", type=float, default=1.0, help="first retry after up to this many s")
    parser.add_argument("--max-delay", type=float, default=300.0, help="retries never wait longer than this")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for noisy in ("httpx", "httpcore", "alembic"):
        logging.getLogger(noisy).setLevel(logging.WARNING)

    from posapp.config import default_data_dir, load_settings
    from posapp.errors import PosappError
    from posapp.services.hub import Hub, Notice
    from posapp.services.upload import Uploader
    from posapp.shutdown import on_stop_signals
    from posapp.store.db import open_database
    from posapp.vault import get_secret

    try:
        settings = load_settings(args.config)
    except PosappError as exc:
        print(f"posapp sync: {exc}", file=sys.stderr)
        return 2
    if not settings.sync.configured:
        print("posapp sync: set endpoint and store_id in the [sync] settings", file=sys.stderr)
        return 2

    async def run() -> int:
        db = await asyncio.to_thread(open_database, args.data_dir or default_data_dir())
        hub = Hub()
        uploader = Uploader.from_settings(
            db,
            hub,
            settings.sync,
            lambda: get_secret(settings.sync.token_ref),
            enabled=True,
            base_delay=args.base_delay,
            max_delay=args.max_delay,
        )
        done = asyncio.Event()

        def on_notice(notice: Notice) -> None:
            data = notice.data
            if notice.text:
                logging.getLogger("posapp.sync").info("%s", notice.text)
            if data.get("halted") or (args.until_empty and data.get("pending") == 0):
                done.set()

        hub.on_notice(on_notice)
        on_stop_signals(done.set)
        uploader.start()
        await done.wait()
        halted = uploader.worker.halted
        await uploader.stop()
        await asyncio.to_thread(db.close)
        if halted:
            print(f"posapp sync: {halted}", file=sys.stderr)
            return 1
        return 0

    return asyncio.run(run())
