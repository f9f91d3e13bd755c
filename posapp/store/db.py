"""The SQLite database: pragmas, migrations at start-up, and one worker thread for all DB work."""

from __future__ import annotations

import asyncio
import itertools
import logging
import queue
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Future
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from posapp.errors import StorageError
from posapp.store.peek import DB_FILENAME, MIGRATIONS, bundled_head

if TYPE_CHECKING:
    from posapp.store.sealed import Sealer
    from posapp.store.sealing import KeyLoader, KeySaver

log = logging.getLogger(__name__)
T = TypeVar("T")


def _sqlite_pragmas(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    # WAL lets the UI read while the writer commits; FULL makes an accepted order survive a power cut.
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute("PRAGMA busy_timeout=5000")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite gets the pragmas of DESIGN.md on every connection."""
    engine = create_engine(url, future=True)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest Alembic revision; a second run changes nothing.

    Most starts find the database already at the head: that is checked with one query, without importing
    Alembic (a quarter of a second of imports and script loading, measured on a 2-core machine).
    """
    head = bundled_head()
    if head is not None and stored_revisions(engine) == [head]:
        return
    _alembic_upgrade(engine)


def _alembic_upgrade(engine: Engine) -> None:
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def stored_revisions(engine: Engine) -> list[str]:
    """The revisions the database says it is at (none for a new file)."""
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return []
        return list(conn.execute(text("SELECT version_num FROM alembic_version")).scalars())


def storage_error(exc: BaseException) -> StorageError | None:
    """Translate the database errors staff can act on (disk full, read-only) into one clear sentence."""
    text = str(getattr(exc, "orig", exc)).lower()
    if "disk is full" in text or "database or disk is full" in text:
        return StorageError("Disk full: orders cannot be saved. Free space on this computer now.")
    if "readonly" in text or "read-only" in text:
        return StorageError("The order database is read-only: check the data folder's permissions.")
    if "unable to open database" in text:
        return StorageError("The order database cannot be opened: check the data folder.")
    return None


_TOUCHED = "posapp.touched"  # Session.info: the topics this transaction changed
_COMMITS = "posapp.commits"  # Session.info: the Database's CommitCounter


def touch(session: Session, topic: str) -> None:
    """Say that this transaction changes ``topic``: once it commits, the topic's count moves on."""
    session.info.setdefault(_TOUCHED, set()).add(topic)


class CommitCounter:
    """How many committed transactions touched each topic. A reader that saw the same count before knows,
    without a query, that nothing new was committed; thread-safe, as commits happen on the database thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: dict[str, int] = {}

    def count(self, topic: str) -> int:
        with self._lock:
            return self._counts.get(topic, 0)

    def bump(self, topics: Iterable[str]) -> None:
        with self._lock:
            for topic in topics:
                self._counts[topic] = self._counts.get(topic, 0) + 1


def _counted_commit(session: Session) -> None:
    """After COMMIT (so a reader that sees the new count also sees the rows), bump the touched topics.

    A rolled-back transaction never bumps: its session (one per transaction here) is dropped with its
    topics. Were a session reused, they would ride on its next commit: one look for nothing, never a miss.
    """
    topics = session.info.pop(_TOUCHED, None)
    counter = session.info.get(_COMMITS)
    if topics and isinstance(counter, CommitCounter):
        counter.bump(topics)


class Database:
    """Owns the engine and a single worker thread: every read and write goes through :meth:`run`."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.commits = CommitCounter()
        self.sessions = sessionmaker(engine, expire_on_commit=False, info={_COMMITS: self.commits})
        self.sealer: Sealer | None = None  # set by use_sealer: the database's personal fields are sealed
        event.listen(self.sessions, "after_commit", _counted_commit)
        # Held by whoever runs the transactions meant for the database thread: the thread itself, or the
        # engine's loop writing a group inline (write_inline_on). ``call`` from other threads does not take it.
        self._writer = threading.Lock()
        self._thread = _DatabaseThread(self.call_group, self._writer)
        self._inline_loops: set[asyncio.AbstractEventLoop] = set()
        self._inline_paused_until = 0.0  # time.monotonic(): after a slow inline write, the thread writes
        self._unsent: dict[
            asyncio.AbstractEventLoop, list[tuple[Callable[[Session], Any], asyncio.Future[Any]]]
        ] = {}

    def use_sealer(self, sealer: Sealer | None) -> None:
        """Seal and open personal fields with ``sealer`` in every session from now on (store/sealing.py)."""
        from posapp.store.sealing import SEALER_INFO

        info: dict[str, Any] = self.sessions.kw["info"]
        if sealer is None:
            info.pop(SEALER_INFO, None)
        else:
            info[SEALER_INFO] = sealer
        self.sealer = sealer

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    def call(self, fn: Callable[[Session], T]) -> T:
        """Run ``fn(session)`` in one transaction on the calling thread (CLI, tests, the worker)."""
        result: T = self.call_group([fn])[0]
        return result

    async def run(self, fn: Callable[[Session], T], *, background: bool = False, group: bool = False) -> T:
        """Run ``fn(session)`` in one transaction on the database thread, off the GUI thread.

        ``background`` work (the job workers' claims and records) waits while a screen's or a platform's
        transaction is queued: a tap or a push is never stuck behind a batch of print-job bookkeeping.

        ``group`` work (intake: one platform push each) may share its transaction, and so its one fsync,
        with the other group work queued at the moment the thread takes it (group commit: nothing waits
        for a batch to fill). Each caller still hears only after the commit that holds its rows. When
        any ``fn`` of a group raises, or the commit fails, the group is rolled back and each ``fn`` runs
        again in a transaction of its own, so each caller gets its own result or its own error. A
        ``group`` function must therefore touch nothing but the session.
        """
        if group and not background:
            loop = asyncio.get_running_loop()
            if loop in self._inline_loops:
                answer = await self._turn(fn, loop)
                if answer is not _ON_THE_THREAD:
                    return answer  # type: ignore[return-value]
        return await asyncio.wrap_future(
            self._thread.submit(self.call, fn, background=background, group=fn if group else None)
        )

    def write_inline_on(self, loop: asyncio.AbstractEventLoop) -> None:
        """Let group work awaited on ``loop`` run on that loop's own thread when the database thread is idle.

        Only for a loop that is not a GUI's (the engine's own thread, ``posapp engine``): the loop waits for
        the transaction. The pushes that arrive in one turn of the loop are written together at the start
        of its next turn, in one transaction (group commit, as on the database thread) — when the thread
        is busy or has work queued, they go to it as before, so nothing the thread runs ever holds up the
        loop. A group that took longer than ``INLINE_SLOW`` to write (a slow disk) sends the next
        ``INLINE_PAUSE`` seconds of pushes to the thread. Measured (benchmarks/bench_intake.py, 2 cores):
        handing each group to the other thread and back cost a quarter of intake's throughput, in GIL
        hand-overs and in the wake-ups of the two threads, where the transaction itself is the same."""
        self._inline_loops.add(loop)

    async def _turn(self, fn: Callable[[Session], T], loop: asyncio.AbstractEventLoop) -> T | object:
        """``fn``'s answer once this turn's group ran inline, or ``_ON_THE_THREAD`` if it must go there."""
        answer: asyncio.Future[Any] = loop.create_future()
        unsent = self._unsent.get(loop)
        if unsent is None:
            unsent = self._unsent[loop] = []
            loop.call_soon(self._write_turn, loop)
        unsent.append((fn, answer))
        return await answer

    def _write_turn(self, loop: asyncio.AbstractEventLoop) -> None:
        items = [(fn, answer) for fn, answer in self._unsent.pop(loop, []) if not answer.done()]
        for start in range(0, len(items), GROUP_MAX):
            chunk = items[start : start + GROUP_MAX]
            inline = start == 0 and time.monotonic() >= self._inline_paused_until and self._thread.idle()
            if not inline or not self._writer.acquire(blocking=False):
                for _fn, answer in chunk:
                    answer.set_result(_ON_THE_THREAD)
                continue
            works = [_Work(0, 0, partial(self.call, fn), Future(), fn) for fn, _answer in chunk]
            started = time.monotonic()
            try:
                self._thread.execute(works)  # as the thread runs a group: together, or each alone
            finally:
                self._writer.release()
            took = time.monotonic() - started
            if took > INLINE_SLOW:  # a slow disk (or a slow group): the loop must not wait for it again soon
                self._inline_paused_until = started + took + INLINE_PAUSE
                log.warning(
                    "a group of %d pushes took %.0f ms to write on the engine's loop: the database thread "
                    "writes them for the next %.0f s",
                    len(chunk),
                    took * 1000,
                    INLINE_PAUSE,
                )
            for (_fn, answer), work in zip(chunk, works, strict=True):
                assert work.future is not None
                error = work.future.exception()
                if error is None:
                    answer.set_result(work.future.result())
                else:
                    answer.set_exception(error)

    def submit(self, fn: Callable[[Session], T], *, background: bool = False) -> Future[T]:
        """Queue ``fn(session)`` on the database thread now, from any thread; its future resolves after
        the commit (``run`` is this, awaited)."""
        return self._thread.submit(self.call, fn, background=background)

    def call_group(self, fns: list[Callable[[Session], Any]]) -> list[Any]:
        """Run every ``fn(session)`` of ``fns`` in one transaction, in order; all or nothing. A database
        error staff can act on (disk full, read-only) becomes its one sentence (``storage_error``)."""
        try:
            with self.sessions.begin() as session:
                return [fn(session) for fn in fns]
        except OperationalError as exc:
            known = storage_error(exc)
            if known is not None:
                log.error("storage error: %s", exc)
                raise known from exc
            raise

    def close(self) -> None:
        self._thread.shutdown()
        with self._writer:  # no inline group is being written while the connections close
            self.engine.dispose()


def open_database(
    data_dir: Path | str | None = None,
    *,
    url: str | None = None,
    sealed: bool = True,
    keys: tuple[KeyLoader, KeySaver] | None = None,
) -> Database:
    """Open (creating and migrating if needed) the database in ``data_dir`` or at ``url``.

    Personal fields are sealed under the data key in the OS keyring (store/sealing.py; ``keys`` replaces
    the keyring's load and save), made on the first start; a database sealed under a key this machine lacks
    is refused with ``sealed.MISSING_KEY_SENTENCE``. ``sealed=False`` opens a plain database: only for
    measuring what sealing costs (the benchmarks), and refused for a database already sealed.
    """
    if url is None:
        if data_dir is None:
            raise ValueError("open_database needs a data_dir or a url")
        path = Path(data_dir)
        try:
            path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StorageError(f"Cannot create the data folder {path}: {exc.strerror}") from exc
        url = f"sqlite:///{path / DB_FILENAME}"
    engine = make_engine(url)
    try:
        migrate(engine)
    except OperationalError as exc:
        known = storage_error(exc)
        if known is not None:
            raise known from exc
        raise
    db = Database(engine)
    try:
        if sealed:
            from posapp.store import keystore
            from posapp.store.sealing import attach

            load, save = keys or (keystore.load_keys, keystore.save_keys)
            attach(db, load, save)
        else:
            from posapp.store.sealing import refuse_if_sealed

            refuse_if_sealed(db)
    except BaseException:
        db.close()
        raise
    return db


# One group per loop turn is written inline (at most GROUP_MAX pushes; more go to the thread). A group that
# took longer than INLINE_SLOW (a slow disk's fsync: an SD card takes 10-50 ms and more) sends the pushes of
# the next INLINE_PAUSE seconds to the database thread: the engine's loop (the screens' feed, the listener)
# waits for one slow write now and then, never for every one. 32 pushes take ~12 ms here (2 cores).
INLINE_SLOW = 0.05
INLINE_PAUSE = 10.0
_ON_THE_THREAD = object()  # a group the engine's loop could not write inline: the database thread takes it
GROUP_MAX = 64  # group work shares one transaction with at most this many others
CLOSED_SENTENCE = "The database is closed (posapp is stopping): this was not saved."


class _Work(NamedTuple):
    priority: int  # 0 foreground, 1 background, 2 the stop marker
    seq: int
    run: Callable[[], Any] | None
    future: Future[Any] | None
    group: Callable[[Session], Any] | None  # set: may share a transaction (Database.run(group=True))


class _DatabaseThread:
    """The one database thread, taking foreground work before background work (first come within each),
    and the group work queued together in one transaction."""

    def __init__(
        self, call_group: Callable[[list[Callable[[Session], Any]]], list[Any]], writer: threading.Lock
    ) -> None:
        self._queue: queue.PriorityQueue[_Work] = queue.PriorityQueue()
        self._order = itertools.count()
        self._call_group = call_group
        self._writer = writer  # held while it runs work (Database.write_inline_on)
        self._closing = threading.Lock()  # a submit and the shutdown: one or the other first, never between
        self._closed = False
        self._thread = threading.Thread(target=self._main, name="posapp-db", daemon=True)
        self._thread.start()

    def submit(
        self,
        fn: Callable[..., T],
        *args: Any,
        background: bool = False,
        group: Callable[[Session], Any] | None = None,
    ) -> Future[T]:
        future: Future[T] = Future()
        with self._closing:
            if self._closed:  # queued now it would wait forever: the thread has stopped or is stopping
                future.set_exception(StorageError(CLOSED_SENTENCE))
                return future
            self._queue.put(
                _Work(1 if background else 0, next(self._order), lambda: fn(*args), future, group)
            )
        return future

    def idle(self) -> bool:
        """Nothing queued and not closed: a loop may write a group inline now, if it can take the writer
        lock (the thread holds it while it runs work)."""
        return not self._closed and self._queue.empty()

    def _main(self) -> None:
        while True:
            work = self._queue.get()
            if work.run is None or work.future is None:
                return
            with self._writer:
                self.execute(self._gather(work) if work.group is not None else [work])

    def execute(self, batch: list[_Work]) -> None:
        """Settle each future of ``batch`` (a cancelled one is skipped): group work in one transaction, or,
        when any of it fails, each in a transaction of its own. The caller holds the writer lock."""
        batch = [w for w in batch if w.future is not None and w.future.set_running_or_notify_cancel()]
        if len(batch) > 1 and self._run_group(batch):
            return
        for one in batch:
            _settle(one)

    def _gather(self, first: _Work) -> list[_Work]:
        """``first`` and the group work queued right behind it (same priority, nothing else between)."""
        batch = [first]
        while len(batch) < GROUP_MAX:
            try:
                nxt = self._queue.get_nowait()
            except queue.Empty:
                break
            if nxt.group is None or nxt.priority != first.priority:
                self._queue.put(nxt)  # the smallest key again: it is taken next
                break
            batch.append(nxt)
        return batch

    def _run_group(self, batch: list[_Work]) -> bool:
        """One transaction for the whole batch; False (nothing kept) when any of it failed."""
        try:
            results = self._call_group([w.group for w in batch if w.group is not None])
        except Exception:  # each runs alone, to get its own answer
            return False
        for w, result in zip(batch, results, strict=True):
            assert w.future is not None
            w.future.set_result(result)
        return True

    def shutdown(self) -> None:
        """Finish what is queued, then stop; what is submitted from now on fails at once (``CLOSED_SENTENCE``)."""
        with self._closing:
            self._closed = True
            self._queue.put(_Work(2, next(self._order), None, None, None))  # after all the queued work
        self._thread.join()


def _settle(work: _Work) -> None:
    assert work.run is not None and work.future is not None
    try:
        work.future.set_result(work.run())
    except BaseException as exc:  # handed to the awaiting side, as an executor would
        work.future.set_exception(exc)
