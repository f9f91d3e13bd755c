"""The database thread takes a screen's or a platform's transaction before queued background work."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path
from typing import Any

from posapp.store.db import open_database


def test_foreground_work_overtakes_queued_background_work(tmp_path: Path, arun: Any) -> None:
    db = open_database(tmp_path)
    started, release = threading.Event(), threading.Event()
    done: list[str] = []

    def blocker(_session: Any) -> None:
        started.set()
        release.wait(5)

    def note(name: str) -> Any:
        return lambda _session: done.append(name)

    async def scenario() -> None:
        first = asyncio.ensure_future(db.run(blocker, background=True))
        await asyncio.get_running_loop().run_in_executor(None, started.wait, 5)
        queued = [asyncio.ensure_future(db.run(note(f"claim {n}"), background=True)) for n in range(3)]
        tap = asyncio.ensure_future(db.run(note("tap")))
        await asyncio.sleep(0.05)
        release.set()
        await asyncio.gather(first, *queued, tap)

    try:
        arun(scenario())
    finally:
        db.close()
    assert done == ["tap", "claim 0", "claim 1", "claim 2"]  # first come first served within each class
