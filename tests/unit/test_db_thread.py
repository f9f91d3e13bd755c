"""The database thread takes a screen's or a platform's transaction before queued background work."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path
from typing import Any

from posapp.errors import StorageError
from posapp.store.db import CLOSED_SENTENCE, open_database


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


def _blocked(db: Any) -> tuple[threading.Event, threading.Event, Any]:
    """Hold the database thread in a transaction until ``release`` is set, so that work queues behind it."""
    started, release = threading.Event(), threading.Event()

    def blocker(_session: Any) -> None:
        started.set()
        release.wait(5)

    return started, release, blocker


def test_group_work_queued_together_shares_one_commit(tmp_path: Path, arun: Any) -> None:
    from sqlalchemy import event, text

    db = open_database(tmp_path)
    commits: list[int] = []
    event.listen(db.engine, "commit", lambda _conn: commits.append(1))
    started, release, blocker = _blocked(db)

    def insert(n: int) -> Any:
        def fn(session: Any) -> int:
            session.execute(
                text("INSERT INTO settings (key, value, updated_at) VALUES (:k, 'x', '2026-01-01')"),
                {"k": f"k{n}"},
            )
            return n

        return fn

    async def scenario() -> list[int]:
        first = asyncio.ensure_future(db.run(blocker))
        await asyncio.get_running_loop().run_in_executor(None, started.wait, 5)
        grouped = [asyncio.ensure_future(db.run(insert(n), group=True)) for n in range(5)]
        await asyncio.sleep(0.05)
        release.set()
        await first
        results = await asyncio.gather(*grouped)
        assert len(commits) == 1, "one commit for all five (the blocker wrote nothing: no commit of its own)"
        return list(results)

    try:
        assert arun(scenario()) == [0, 1, 2, 3, 4]
        stored = db.call(
            lambda s: s.execute(text("SELECT count(*) FROM settings WHERE key LIKE 'k%'")).scalar()
        )
        assert stored == 5
    finally:
        db.close()


def test_a_failing_member_of_a_group_fails_alone(tmp_path: Path, arun: Any) -> None:
    from sqlalchemy import text

    db = open_database(tmp_path)
    started, release, blocker = _blocked(db)

    def insert(key: str) -> Any:
        def fn(session: Any) -> str:
            session.execute(
                text("INSERT INTO settings (key, value, updated_at) VALUES (:k, 'x', '2026-01-01')"),
                {"k": key},
            )
            if key == "bad":
                raise ValueError("this one is refused")
            return key

        return fn

    async def scenario() -> list[Any]:
        first = asyncio.ensure_future(db.run(blocker))
        await asyncio.get_running_loop().run_in_executor(None, started.wait, 5)
        grouped = [asyncio.ensure_future(db.run(insert(k), group=True)) for k in ("a", "bad", "c")]
        await asyncio.sleep(0.05)
        release.set()
        await first
        return list(await asyncio.gather(*grouped, return_exceptions=True))

    try:
        a, bad, c = arun(scenario())
        assert (a, c) == ("a", "c")
        assert isinstance(bad, ValueError)
        keys = db.call(lambda s: set(s.execute(text("SELECT key FROM settings")).scalars()))
        assert {"a", "c"} <= keys and "bad" not in keys
    finally:
        db.close()


def test_work_sent_after_close_fails_at_once_instead_of_waiting_forever(tmp_path: Path, arun: Any) -> None:
    """Something a screen or a worker sends while posapp stops: queued work still finishes, later work gets
    the sentence at once (before, its future never resolved and its task hung until the process ended)."""
    db = open_database(tmp_path)
    done: list[str] = []
    queued = db.submit(lambda _session: done.append("queued"))
    db.close()
    assert queued.result(timeout=5) is None and done == ["queued"]  # what was queued before the close ran

    async def late() -> str:
        try:
            await asyncio.wait_for(db.run(lambda _session: done.append("late")), 5)
        except StorageError as exc:
            return str(exc)
        return "stored"

    assert arun(late()) == CLOSED_SENTENCE
    assert done == ["queued"]
