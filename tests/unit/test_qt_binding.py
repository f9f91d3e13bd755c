"""Guards the PySide6 pin: the binding must not over-release None through model calls (6.12.0 does)."""

from __future__ import annotations

import sys
from typing import Any

from posapp.ui.queue_model import OrderRole, QueueModel
from tests.factories import make_order


def test_model_data_does_not_leak_references_to_none(qapp: Any) -> None:
    model = QueueModel()
    model.upsert(make_order(id=1))
    index = model.index(0)
    before = sys.getrefcount(None)
    for _ in range(500):
        assert index.data(12345) is None  # a role the model does not answer
        assert index.data(OrderRole) is not None
    after = sys.getrefcount(None)
    # A binding that over-releases None drops the count by one per call and crashes the GC later.
    assert after >= before - 5


def test_model_updates_do_not_leak_references_to_none(qapp: Any) -> None:
    model = QueueModel()
    order = make_order(id=7)
    model.upsert(order)
    before = sys.getrefcount(None)
    for _ in range(300):
        model.upsert(order)
    assert sys.getrefcount(None) >= before - 5
