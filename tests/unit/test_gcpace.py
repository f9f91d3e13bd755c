"""The engine keeps full garbage collections short (posapp/engine/gcpace.py): survivors are frozen as it goes,
and the whole heap (frozen part included) is collected only at a quiet moment, at most once an hour."""

from __future__ import annotations

import gc
import weakref

from posapp.engine.gcpace import FULL_EVERY, QUIET_FOR, GcPacer


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Node:
    def __init__(self) -> None:
        self.me = self  # a reference cycle: only the collector frees it


def test_survivors_are_frozen_and_a_frozen_cycle_is_freed_at_the_next_quiet_hour() -> None:
    clock = Clock()
    pacer = GcPacer(clock)
    try:
        node = Node()
        gone = weakref.ref(node)
        pacer.tick()  # the node survived: frozen
        assert gc.get_freeze_count() > 0 and pacer.full_collections == 0
        del node  # garbage now, but frozen: a normal full collection leaves it
        gc.collect()
        assert gone() is not None

        clock.now += FULL_EVERY  # an hour on, but an order changed just now: not in a rush
        pacer.changed()
        pacer.tick()
        assert pacer.full_collections == 0 and gone() is not None

        clock.now += QUIET_FOR  # a quiet minute: the whole heap once, then frozen again
        pacer.tick()
        assert pacer.full_collections == 1 and gone() is None
        pacer.tick()  # not again within the hour
        assert pacer.full_collections == 1 and pacer.freezes == 4
    finally:
        gc.freeze()  # the suite's survivors stay frozen, as they were (tests/conftest.py): the test thawed them
