"""Intake and order commands over a real SQLite file: idempotence, one transaction, clear refusals."""

from __future__ import annotations

from typing import Any

import pytest

from posapp.domain.events import PlatformEvent, PlatformEventKind
from posapp.domain.order import OrderStatus
from posapp.errors import TransitionError
from posapp.services.hub import ChangeKind, Hub, OrderChange
from posapp.services.intake import IntakeService
from posapp.services.orders import OrderService
from posapp.store import orders as repo
from posapp.store.db import Database
from tests.factories import make_order


@pytest.fixture
def hub() -> Hub:
    return Hub()


@pytest.fixture
def changes(hub: Hub) -> list[OrderChange]:
    seen: list[OrderChange] = []
    hub.on_order(seen.append)
    return seen


def test_duplicate_delivery_is_one_order(
    db: Database, hub: Hub, changes: list[OrderChange], arun: Any
) -> None:
    intake = IntakeService(db, hub)
    order = make_order(external_id="MT-1")
    first = arun(intake.ingest(order))
    second = arun(intake.ingest(order))
    assert first.created and not second.created
    assert first.order_id == second.order_id
    assert db.call(repo.order_count) == 1
    assert [c.kind for c in changes] == [ChangeKind.CREATED]


def test_accept_stores_status_and_event(
    db: Database, hub: Hub, changes: list[OrderChange], arun: Any
) -> None:
    intake = IntakeService(db, hub)
    orders = OrderService(db, hub)
    result = arun(intake.ingest(make_order()))
    change = arun(orders.accept(result.order_id, by="kitchen"))
    assert change.order.status is OrderStatus.ACCEPTED
    assert change.previous_status == "new"
    history = arun(orders.history(result.order_id))
    assert [(e.from_status, e.to_status, e.by) for e in history][-1] == ("new", "accepted", "kitchen")


def test_refused_action_changes_nothing(db: Database, hub: Hub, arun: Any) -> None:
    intake = IntakeService(db, hub)
    orders = OrderService(db, hub)
    order_id = arun(intake.ingest(make_order())).order_id
    with pytest.raises(TransitionError, match="cannot ready an order that is new"):
        arun(orders.ready(order_id))
    assert arun(orders.get(order_id)).status is OrderStatus.NEW
    assert len(arun(orders.history(order_id))) == 1


def test_full_lifecycle_through_the_service(db: Database, hub: Hub, arun: Any) -> None:
    intake = IntakeService(db, hub)
    orders = OrderService(db, hub)
    order_id = arun(intake.ingest(make_order())).order_id
    for step, expected in [
        (orders.accept, "accepted"),
        (orders.start, "preparing"),
        (orders.ready, "ready"),
        (orders.complete, "completed"),
    ]:
        assert arun(step(order_id)).order.status.value == expected
    assert arun(orders.open_orders()) == []


def test_auto_accept_platform(db: Database, hub: Hub, arun: Any) -> None:
    intake = IntakeService(db, hub)
    intake.auto_accept.add("meituan")
    order_id = arun(intake.ingest(make_order(platform="meituan"))).order_id
    history = arun(OrderService(db, hub).history(order_id))
    assert [(e.to_status, e.by) for e in history] == [("new", "meituan"), ("accepted", "auto-accept")]


def test_cancel_before_order_is_applied_when_order_arrives(db: Database, hub: Hub, arun: Any) -> None:
    intake = IntakeService(db, hub)
    early = PlatformEvent("eleme", "E-9", PlatformEventKind.CANCELLED, "customer cancelled")
    assert arun(intake.apply_event(early)) is None
    order_id = arun(intake.ingest(make_order(platform="eleme", external_id="E-9"))).order_id
    order = arun(OrderService(db, hub).get(order_id))
    assert order.status is OrderStatus.CANCELLED
    assert order.status_reason == "customer cancelled"


def test_rush_reminder_counts_up(db: Database, hub: Hub, arun: Any) -> None:
    intake = IntakeService(db, hub)
    order_id = arun(intake.ingest(make_order(platform="meituan", external_id="R1"))).order_id
    arun(intake.apply_event(PlatformEvent("meituan", "R1", PlatformEventKind.REMINDER)))
    arun(intake.apply_event(PlatformEvent("meituan", "R1", PlatformEventKind.REMINDER)))
    assert arun(OrderService(db, hub).get(order_id)).reminders == 2
