"""PINs and roles: hashed with scrypt, wrong guesses rate-limited and persisted, roles decide, actors logged."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from posapp.domain.roles import Permission, Role, can
from posapp.errors import LockedOut, NotAllowed, PinRejected
from posapp.services.auth import AuthService, LockPolicy, ScryptParams, hash_pin, verify_pin
from posapp.services.hub import Hub
from posapp.services.intake import IntakeService
from posapp.services.orders import OrderService
from posapp.store import audit
from posapp.store import users as store
from posapp.store.db import Database
from tests.factories import make_order

FAST = ScryptParams(n=2**10)  # the suite checks behaviour; production uses the slow default


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def auth(db: Database, clock: Clock) -> AuthService:
    return AuthService(db, clock, params=FAST)


def test_pin_is_stored_salted_and_hashed_never_plain(db: Database, auth: AuthService, arun: Any) -> None:
    arun(auth.create_user("alice", Role.MANAGER, "482913", by="setup"))
    arun(auth.create_user("bob", Role.CASHIER, "482913", by="setup"))
    records = db.call(store.list_users)
    hashes = [r.pin_hash for r in records]
    assert all(h.startswith("scrypt$1024$8$1$") and "482913" not in h for h in hashes)
    assert hashes[0] != hashes[1]  # same PIN, different salt
    assert verify_pin("482913", hashes[0]) and not verify_pin("482914", hashes[0])


def test_default_scrypt_parameters_are_slow_ones() -> None:
    stored = hash_pin("2580")
    assert stored.startswith("scrypt$16384$8$1$")
    assert verify_pin("2580", stored)
    assert not verify_pin("2580", "plain-text-pin")


@pytest.mark.parametrize("pin", ["12", "123456789", "12a4", "1111", ""])
def test_weak_or_malformed_pins_are_refused(auth: AuthService, arun: Any, pin: str) -> None:
    with pytest.raises(PinRejected):
        arun(auth.create_user("x", Role.KITCHEN, pin, by="setup"))


def test_manager_pin_opens_reports_and_cashier_pin_does_not(auth: AuthService, arun: Any) -> None:
    arun(auth.create_user("alice", Role.MANAGER, "4829", by="setup"))
    arun(auth.create_user("bob", Role.CASHIER, "7315", by="setup"))
    user = arun(auth.sign_in("4829", need=Permission.REPORTS))
    assert (user.name, user.role, user.actor) == ("alice", Role.MANAGER, "manager:alice")
    with pytest.raises(PinRejected, match="Wrong PIN"):
        arun(auth.sign_in("7315", need=Permission.REPORTS))
    assert arun(auth.sign_in("7315", need=Permission.REFUNDS)).name == "bob"
    with pytest.raises(NotAllowed, match="needs a manager PIN"):
        AuthService.require(arun(auth.sign_in("7315")), Permission.REPORTS)


def test_wrong_pins_lock_the_pad_for_a_growing_time_and_survive_restart(
    db: Database, auth: AuthService, clock: Clock, arun: Any
) -> None:
    arun(auth.create_user("alice", Role.MANAGER, "4829", by="setup"))
    for _ in range(4):
        with pytest.raises(PinRejected):
            arun(auth.sign_in("0000", need=Permission.REPORTS))
    with pytest.raises(LockedOut, match=r"Try again in 30 s") as locked:
        arun(auth.sign_in("0000", need=Permission.REPORTS))
    assert locked.value.until == clock.now + timedelta(seconds=30)
    # Even the right PIN waits, also after a restart (the lock is in the users table).
    restarted = AuthService(db, clock, params=FAST)
    clock.now += timedelta(seconds=10)
    with pytest.raises(LockedOut, match=r"20 s"):
        arun(restarted.sign_in("4829", need=Permission.REPORTS))
    clock.now += timedelta(seconds=21)
    for _ in range(4):
        with pytest.raises(PinRejected):
            arun(restarted.sign_in("0000", need=Permission.REPORTS))
    with pytest.raises(LockedOut, match=r"60 s"):  # second round: twice as long
        arun(restarted.sign_in("0000", need=Permission.REPORTS))
    clock.now += timedelta(seconds=61)
    assert arun(restarted.sign_in("4829", need=Permission.REPORTS)).name == "alice"
    record = db.call(lambda s: store.find_user(s, "alice"))
    assert record is not None and (record.failed_attempts, record.locked_until) == (0, None)
    actions = [e.action for e in db.call(lambda s: audit.entries(s))]
    assert actions.count("pin_failed") == 10 and actions.count("sign_in") == 1


def test_lock_policy_doubles_and_caps() -> None:
    policy = LockPolicy(max_failures=3, first_lock=timedelta(minutes=1), longest_lock=timedelta(minutes=3))
    assert [policy.lock_for(n) for n in (1, 2, 3, 4, 6, 9, 12)] == [
        None,
        None,
        timedelta(minutes=1),
        None,
        timedelta(minutes=2),
        timedelta(minutes=3),
        timedelta(minutes=3),
    ]


def test_roles_table() -> None:
    assert can(Role.KITCHEN, Permission.QUEUE) and not can(Role.KITCHEN, Permission.RECEIPTS)
    assert can(Role.CASHIER, Permission.REFUNDS) and can(Role.CASHIER, Permission.MANUAL_ORDERS)
    assert not can(Role.CASHIER, Permission.REPORTS) and not can(Role.CASHIER, Permission.SETTINGS)
    assert all(can(Role.MANAGER, p) for p in Permission)


def test_first_run_demo_manager_has_documented_pin(auth: AuthService, arun: Any) -> None:
    assert arun(auth.needs_first_manager())
    created = arun(auth.ensure_demo_manager())
    assert created is not None and created.role is Role.MANAGER
    assert arun(auth.ensure_demo_manager()) is None
    assert not arun(auth.needs_first_manager())
    assert arun(auth.sign_in("1234", need=Permission.REPORTS)).name == "manager"


def test_status_change_records_who_did_it(db: Database, auth: AuthService, arun: Any) -> None:
    cashier = arun(auth.create_user("amy", Role.CASHIER, "7315", by="setup"))
    hub = Hub()
    order_id = arun(IntakeService(db, hub).ingest(make_order())).order_id
    orders = OrderService(db, hub)
    arun(orders.accept(order_id, by=cashier.actor))
    history = arun(orders.history(order_id))
    assert history[-1].by == "cashier:amy"
    entries = db.call(lambda s: audit.entries(s, by="amy", action="status"))
    assert [e.detail for e in entries] == ["new → accepted"]


def test_manager_changes_a_pin_and_cashier_cannot(auth: AuthService, arun: Any) -> None:
    boss = arun(auth.create_user("alice", Role.MANAGER, "4829", by="setup"))
    amy = arun(auth.create_user("amy", Role.CASHIER, "7315", by="setup"))
    with pytest.raises(NotAllowed):
        arun(auth.change_pin(boss, "9999", by=amy))
    arun(auth.change_pin(amy, "2468", by=boss))
    assert arun(auth.sign_in("2468", name="amy")).name == "amy"
