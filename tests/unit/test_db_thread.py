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


def _on_own_loop(db: Any, scenario: Any) -> Any:
    """Run ``scenario(loop)`` on a fresh loop in a thread of its own, registered for inline writes, as the
    engine's loop is (engine/engine.py, ``own_loop``); its result, or its exception raised here."""
    out: dict[str, Any] = {}

    async def main() -> Any:
        loop = asyncio.get_running_loop()
        db.write_inline_on(loop)
        return await scenario(loop)

    def thread() -> None:
        try:
            out["result"] = asyncio.run(main())
        except BaseException as exc:  # handed to the test
            out["error"] = exc

    runner = threading.Thread(target=thread, name="engine-loop")
    runner.start()
    runner.join(15)
    assert not runner.is_alive(), "the scenario did not finish"
    if "error" in out:
        raise out["error"]
    return out["result"]


def _setting(key: str, seen: list[tuple[str, int]], *, fail: bool = False) -> Any:
    from sqlalchemy import text

    def fn(session: Any) -> str:
        seen.append((key, threading.get_ident()))
        session.execute(
            text("INSERT INTO settings (key, value, updated_at) VALUES (:k, 'x', '2026-01-01')"), {"k": key}
        )
        if fail:
            raise ValueError(f"{key} is refused")
        return key

    return fn


def _keys(db: Any) -> set[str]:
    from sqlalchemy import text

    return set(db.call(lambda s: set(s.execute(text("SELECT key FROM settings")).scalars())))


def test_on_the_engines_own_loop_one_turns_pushes_are_written_there_in_one_commit(tmp_path: Path) -> None:
    """The pushes that arrive in one turn of the engine's loop are written together on that loop's thread
    (no hand-over to the database thread and back), in one transaction and one commit."""
    from sqlalchemy import event

    db = open_database(tmp_path)
    commits: list[int] = []
    event.listen(db.engine, "commit", lambda _conn: commits.append(1))
    seen: list[tuple[str, int]] = []

    async def scenario(_loop: Any) -> tuple[list[str], int]:
        results = await asyncio.gather(*(db.run(_setting(f"p{n}", seen), group=True) for n in range(5)))
        return list(results), threading.get_ident()

    try:
        results, loop_thread = _on_own_loop(db, scenario)
        assert results == ["p0", "p1", "p2", "p3", "p4"]
        assert {ident for _key, ident in seen} == {loop_thread}
        assert len(commits) == 1
        assert {"p0", "p1", "p2", "p3", "p4"} <= _keys(db)
    finally:
        db.close()


def test_while_the_database_thread_is_busy_the_pushes_go_to_it_and_the_loop_runs_on(tmp_path: Path) -> None:
    """A long transaction on the database thread (a report, a backup) never holds up the engine's loop:
    its pushes are queued for the thread, the loop keeps turning meanwhile, and they land after it."""
    db = open_database(tmp_path)
    started, release, blocker = _blocked(db)
    held = db.submit(blocker)
    assert started.wait(5)
    seen: list[tuple[str, int]] = []

    async def scenario(_loop: Any) -> tuple[list[str], int, bool]:
        pushes = [asyncio.ensure_future(db.run(_setting(f"q{n}", seen), group=True)) for n in range(3)]
        ticks = 0
        for _ in range(10):  # the loop is free while the thread is held
            await asyncio.sleep(0.01)
            ticks += 1
        waited = not any(p.done() for p in pushes)
        release.set()
        return list(await asyncio.gather(*pushes)), ticks, waited

    try:
        results, ticks, waited = _on_own_loop(db, scenario)
        held.result(5)
        assert ticks == 10 and waited
        assert results == ["q0", "q1", "q2"]
        database_thread = db._thread._thread.ident
        assert {ident for _key, ident in seen} == {database_thread}
        assert {"q0", "q1", "q2"} <= _keys(db)
    finally:
        release.set()
        db.close()


def test_written_on_the_engines_loop_a_failing_push_fails_alone(tmp_path: Path) -> None:
    db = open_database(tmp_path)
    seen: list[tuple[str, int]] = []

    async def scenario(_loop: Any) -> list[Any]:
        runs = [
            db.run(_setting("a", seen), group=True),
            db.run(_setting("bad", seen, fail=True), group=True),
            db.run(_setting("c", seen), group=True),
        ]
        return list(await asyncio.gather(*runs, return_exceptions=True))

    try:
        a, bad, c = _on_own_loop(db, scenario)
        assert (a, c) == ("a", "c")
        assert isinstance(bad, ValueError)
        keys = _keys(db)
        assert {"a", "c"} <= keys and "bad" not in keys
    finally:
        db.close()


def test_a_push_on_the_engines_loop_after_close_gets_the_closed_sentence(tmp_path: Path) -> None:
    db = open_database(tmp_path)
    seen: list[tuple[str, int]] = []

    async def scenario(_loop: Any) -> str:
        db.close()
        try:
            await db.run(_setting("late", seen), group=True)
        except StorageError as exc:
            return str(exc)
        return "stored"

    assert _on_own_loop(db, scenario) == CLOSED_SENTENCE
    assert seen == []


def test_after_a_slow_inline_write_the_next_pushes_go_to_the_database_thread(tmp_path: Path) -> None:
    """A slow disk must not make the engine's loop wait on every push: once a group took longer than
    INLINE_SLOW to write there, the pushes of the next INLINE_PAUSE seconds are written by the thread."""
    import time

    from posapp.store import db as store_db

    db = open_database(tmp_path)
    seen: list[tuple[str, int]] = []

    def slow(session: Any) -> str:
        time.sleep(store_db.INLINE_SLOW * 2)  # as an fsync on an SD card
        return str(_setting("slow", seen)(session))

    async def scenario(_loop: Any) -> tuple[int, list[str]]:
        first = await db.run(slow, group=True)
        second = await db.run(_setting("next", seen), group=True)
        return threading.get_ident(), [first, second]

    try:
        loop_thread, results = _on_own_loop(db, scenario)
        assert results == ["slow", "next"]
        assert dict(seen) == {"slow": loop_thread, "next": db._thread._thread.ident}
        assert {"slow", "next"} <= _keys(db)
    finally:
        db.close()


def test_one_group_per_turn_is_written_inline_the_rest_of_a_rush_on_the_thread(tmp_path: Path) -> None:
    """The engine's loop waits for at most one group (GROUP_MAX pushes) per turn; a bigger rush's rest is
    written by the database thread meanwhile."""
    from posapp.store.db import GROUP_MAX

    db = open_database(tmp_path)
    seen: list[tuple[str, int]] = []
    count = GROUP_MAX + 6

    async def scenario(_loop: Any) -> tuple[int, list[str]]:
        results = await asyncio.gather(*(db.run(_setting(f"r{n}", seen), group=True) for n in range(count)))
        return threading.get_ident(), list(results)

    try:
        loop_thread, results = _on_own_loop(db, scenario)
        assert results == [f"r{n}" for n in range(count)]
        where = dict(seen)
        assert [where[f"r{n}"] for n in range(GROUP_MAX)] == [loop_thread] * GROUP_MAX
        assert {where[f"r{n}"] for n in range(GROUP_MAX, count)} == {db._thread._thread.ident}
        assert len(_keys(db)) >= count
    finally:
        db.close()
