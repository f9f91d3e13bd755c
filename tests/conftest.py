"""Suite-wide set-up: offscreen Qt, an in-memory keyring, one qasync loop, real temp SQLite files."""

from __future__ import annotations

import asyncio
import gc
import os
import tempfile
from collections.abc import Awaitable, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ["PYTHON_KEYRING_BACKEND"] = "tests.memory_keyring.MemoryKeyring"
# The database's data key, shared with child processes (tests/memory_keyring.py): one file per test session.
os.environ.setdefault(
    "POSAPP_TEST_SHARED_KEYRING", os.path.join(tempfile.mkdtemp(prefix="posapp-keys-"), "keys")
)
os.environ["QT_LOGGING_RULES"] = "qt.qpa.*=false;qt.multimedia.*=false;qt.speech.*=false"

import pytest  # noqa: E402
import qasync  # noqa: E402

from posapp.store.db import Database, open_database  # noqa: E402

T = TypeVar("T")


def _name_where_sockets_open() -> None:
    """An "unclosed transport" ResourceWarning (an error here) names the code that opened the connection:
    each socket transport keeps the last frames of its opening, and its repr, which the warning prints, shows
    them. Python's own answer, PYTHONTRACEMALLOC, slows the whole suite several times over."""
    import traceback
    from asyncio import selector_events

    transport: Any = selector_events._SelectorSocketTransport
    opened = transport.__init__
    described = selector_events._SelectorTransport.__repr__

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        self._posapp_opened_at = "".join(traceback.format_stack(limit=30)[:-1])
        opened(self, *args, **kwargs)

    def __repr__(self: Any) -> str:
        where = getattr(self, "_posapp_opened_at", None)
        return described(self) if where is None else f"{described(self)}, opened at:\n{where}"

    transport.__init__ = __init__
    transport.__repr__ = __repr__


_name_where_sockets_open()


@pytest.fixture(scope="session")
def qloop(qapp: Any) -> Iterator[qasync.QEventLoop]:
    """One session-wide qasync loop running inside pytest-qt's QApplication."""
    from PySide6.QtGui import QFontDatabase

    from posapp.resources import CJK_FONT, resource

    QFontDatabase.addApplicationFont(str(resource(*CJK_FONT)))
    qapp.setQuitOnLastWindowClosed(False)  # closing a test window must not stop the session loop
    loop = qasync.QEventLoop(qapp, already_running=True)
    executor = ThreadPoolExecutor(max_workers=4, thread_name_prefix="test-default")
    loop.set_default_executor(executor)
    asyncio.set_event_loop(loop)
    asyncio.events._set_running_loop(loop)
    yield loop
    asyncio.events._set_running_loop(None)
    executor.shutdown(wait=True)


@pytest.fixture
def arun(qloop: qasync.QEventLoop, qtbot: Any) -> Iterator[Callable[..., Any]]:
    """``arun(coro)`` runs a coroutine on the qasync loop while Qt keeps processing events."""

    def run(coro: Awaitable[T], timeout: float = 15.0) -> T:
        task = qloop.create_task(coro)  # type: ignore[arg-type]
        qtbot.waitUntil(task.done, timeout=int(timeout * 1000))
        return task.result()

    yield run
    leftovers = [t for t in asyncio.all_tasks(qloop) if not t.done()]
    for task in leftovers:
        task.cancel()
    if leftovers:
        qtbot.waitUntil(lambda: all(t.done() for t in leftovers), timeout=5000)
    # Collect this test's Qt and SQLite garbage now, while no worker thread runs, not mid-way through the next test;
    # then freeze what survived, as the engine does every few seconds (engine/gcpace.py), so the next test's
    # collection walks only the objects made since. Without it a late test's teardown walked the whole session's
    # heap: 2.5 s each, a quarter of the suite's time (639 s before, 474 s after, same machine).
    gc.collect()
    gc.freeze()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def db(data_dir: Path) -> Iterator[Database]:
    database = open_database(data_dir)
    yield database
    database.close()
