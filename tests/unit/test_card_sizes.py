"""Card heights follow the content, and stay right when an order changes (the size cache is per Order)."""

from __future__ import annotations

import dataclasses
from typing import Any

from PySide6.QtWidgets import QStyleOptionViewItem

from posapp.domain.order import LineItem
from posapp.ui.card_delegate import CardDelegate
from posapp.ui.queue_model import QueueModel
from tests.factories import make_order


def test_card_height_follows_a_changed_order_and_the_card_width(qtbot: Any) -> None:
    model = QueueModel()
    delegate = CardDelegate()
    order = dataclasses.replace(make_order(items=(LineItem("宫保鸡丁", 1, 3200),)), id=7)
    model.upsert(order)
    option = QStyleOptionViewItem()
    short = delegate.sizeHint(option, model.index(0))
    assert delegate.sizeHint(option, model.index(0)) == short
    longer = dataclasses.replace(
        order, items=(*order.items, LineItem("麻婆豆腐", 1, 2200, note="不要葱")), notes="门口放"
    )
    model.upsert(longer)  # same id, a new Order object: measured again, not taken from the cache
    tall = delegate.sizeHint(option, model.index(0))
    item, note = delegate._heights["item"], delegate._heights["note"]
    assert tall.height() == short.height() + item + 2 * note
    delegate.card_width += 40
    assert delegate.sizeHint(option, model.index(0)).width() == tall.width() + 40


def test_an_older_version_of_an_order_never_replaces_a_newer_one_in_the_queue(qtbot: Any) -> None:
    from posapp.domain.order import OrderStatus

    model = QueueModel()
    v2 = dataclasses.replace(make_order(), id=9, version=2, status=OrderStatus.ACCEPTED)
    model.upsert(v2)
    model.upsert(dataclasses.replace(v2, version=1, status=OrderStatus.NEW))  # a late, older notice
    assert model.order_at(model.row_of(9)).status is OrderStatus.ACCEPTED
    model.upsert(dataclasses.replace(v2, version=3, status=OrderStatus.COMPLETED))
    assert model.row_of(9) < 0
    model.upsert(dataclasses.replace(v2, version=2))  # the tap's own answer arriving after the close
    assert model.row_of(9) < 0
