"""The hub's database queue: a platform push waiting for a thread goes before link bookkeeping and relay work
already queued, bookkeeping is not starved, and the waits per kind are counted."""

from __future__ import annotations

import threading
import time

import pytest

from posapp.hub.dbpool import DbPool, Priority


def _queue_behind_a_busy_thread(pool: DbPool, kinds: list[Priority]) -> list[str]:
    """One thread held busy while work of ``kinds`` is queued (in that order), then the order it ran in."""
    busy, release = threading.Event(), threading.Event()
    ran: list[str] = []
    pool.submit(lambda: (busy.set(), release.wait(5)))
    assert busy.wait(5)
    futures = [
        pool.submit(lambda n=n, kind=kind: ran.append(f"{kind.name.lower()}{n}"), kind)
        for n, kind in enumerate(kinds)
    ]
    release.set()
    for future in futures:
        future.result(timeout=5)
    return ran


KINDS = [Priority.BOOKKEEPING, Priority.BOOKKEEPING, Priority.NORMAL, Priority.PUSH, Priority.BOOKKEEPING]


def test_a_push_runs_before_bookkeeping_and_relay_work_queued_before_it() -> None:
    pool = DbPool(1)
    try:
        ran = _queue_behind_a_busy_thread(pool, KINDS)
    finally:
        pool.shutdown()
    assert ran == ["push3", "normal2", "bookkeeping0", "bookkeeping1", "bookkeeping4"]


def test_in_arrival_order_the_push_waits_behind_the_bookkeeping() -> None:
    pool = DbPool(1, prioritise=False)
    try:
        ran = _queue_behind_a_busy_thread(pool, KINDS)
    finally:
        pool.shutdown()
    assert ran == ["bookkeeping0", "bookkeeping1", "normal2", "push3", "bookkeeping4"]


def test_bookkeeping_older_than_its_slack_goes_before_a_new_push() -> None:
    slack = {Priority.PUSH: 0.0, Priority.NORMAL: 0.02, Priority.BOOKKEEPING: 0.05}
    pool = DbPool(1, slack=slack)
    busy, release = threading.Event(), threading.Event()
    ran: list[str] = []
    try:
        pool.submit(lambda: (busy.set(), release.wait(5)))
        assert busy.wait(5)
        old = pool.submit(lambda: ran.append("bookkeeping"), Priority.BOOKKEEPING)
        time.sleep(0.1)  # past its slack: never starved by pushes that keep coming
        new = pool.submit(lambda: ran.append("push"), Priority.PUSH)
        release.set()
        old.result(timeout=5), new.result(timeout=5)
    finally:
        pool.shutdown()
    assert ran == ["bookkeeping", "push"]


def test_an_error_reaches_the_caller_and_waits_are_counted_per_kind() -> None:
    pool = DbPool(2)
    try:

        def fail() -> None:
            raise ValueError("no such row")

        with pytest.raises(ValueError, match="no such row"):
            pool.submit(fail, Priority.PUSH).result(timeout=5)
        assert pool.submit(lambda: 7, Priority.BOOKKEEPING).result(timeout=5) == 7
        waits = pool.take_waits()
        assert waits["push"]["n"] == 1 and waits["bookkeeping"]["n"] == 1 and waits["normal"]["n"] == 0
        assert waits["push"]["max_ms"] >= 0
        assert pool.take_waits()["push"]["n"] == 0  # taken: the next window starts afresh
    finally:
        pool.shutdown()
    with pytest.raises(RuntimeError):
        pool.submit(lambda: None)
