"""Personal data encrypted at rest: a stolen database file names no customer; the app reads them back; the
key rotates without loss, even when the rotation dies midway; a database without its key is refused with the
sentence that says how to bring it; an altered value is refused, intake goes on; repeat customers still match."""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from posapp.domain.events import PlatformEvent, PlatformEventKind
from posapp.domain.order import Customer, OrderStatus
from posapp.domain.roles import Role, User
from posapp.reports.customers import customer_key
from posapp.services.customers import CustomerService
from posapp.services.hub import Hub
from posapp.services.intake import IntakeService
from posapp.services.planner import JobPlanner
from posapp.services.upload import Uploader
from posapp.store import customers as customer_store
from posapp.store import jobs as jobstore
from posapp.store import keystore
from posapp.store import orders as repo
from posapp.store.db import Database, open_database
from posapp.store.peek import DB_FILENAME, peek
from posapp.store.sealed import MISSING_KEY_SENTENCE, DataKeys, KeyMissing, Sealer, SealError
from posapp.store.sealing import BATCH, ephemeral_keys, read_mark, rotate
from tests.factories import make_order

NAME = "Zhang Weiqiang"
PHONE = "13812349876"
ADDRESS = "上海市徐汇区漕溪北路 88 号 1203 室"
NOTE = "Ring twice, the bell of 1203 is broken"
SECRETS = (NAME, PHONE, ADDRESS, NOTE)
MANAGER = User(1, "alice", Role.MANAGER)


class Keyring:
    """A keyring of one entry, as store/keystore.py uses the OS one (load, save); counts the saves."""

    def __init__(self, keys: DataKeys | None = None) -> None:
        self.keys = keys
        self.saved: list[DataKeys] = []

    def load(self) -> DataKeys | None:
        return self.keys

    def save(self, keys: DataKeys) -> None:
        self.keys = keys
        self.saved.append(keys)

    @property
    def pair(self) -> tuple[Any, Any]:
        return self.load, self.save


def seeded_order(**kwargs: Any) -> Any:
    raw = {"recipient_name": NAME, "recipient_phone": PHONE, "address": ADDRESS, "remark": NOTE}
    return make_order(
        platform=kwargs.pop("platform", "meituan"),
        customer=kwargs.pop("customer", Customer(name=NAME, phone_masked=PHONE, address=ADDRESS)),
        notes=NOTE,
        raw=json.dumps(raw, ensure_ascii=False),
        **kwargs,
    )


def intake(db: Database) -> IntakeService:
    """Intake as the engine wires it, with the head-office upload planning its outbox row on every change."""
    hub = Hub()
    planner = JobPlanner()
    Uploader(db, hub, endpoint="http://127.0.0.1:9/", store_id="s1", token_source=lambda: None).register(
        planner
    )
    return IntakeService(db, hub, planner)


def file_bytes(folder: Path) -> bytes:
    return b"".join(
        p.read_bytes() for p in (folder / DB_FILENAME, folder / f"{DB_FILENAME}-wal") if p.exists()
    )


def every_cell(folder: Path) -> str:
    """Every table's every value, read with plain sqlite3 (no key): what a stolen file gives away."""
    conn = sqlite3.connect(folder / DB_FILENAME)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return "\n".join(
            repr(row)
            for t in tables
            for row in conn.execute(f'SELECT * FROM "{t}"')  # noqa: S608
        )
    finally:
        conn.close()


def assert_nothing_readable(folder: Path) -> None:
    cells, raw = every_cell(folder), file_bytes(folder)
    for secret in SECRETS:
        assert secret not in cells
        assert secret.encode() not in raw
    assert PHONE[-8:].encode() not in raw  # not even the phone's tail


def test_an_order_through_intake_leaves_no_name_phone_or_address_in_the_file(
    data_dir: Path, arun: Any
) -> None:
    db = open_database(data_dir)
    try:
        service = intake(db)
        result = arun(service.ingest(seeded_order()))
        qid = arun(service.quarantine("meituan", json.dumps({"recipient_phone": PHONE}), "broken"))
        assert (data_dir / f"{DB_FILENAME}-wal").stat().st_size > 0  # the order is (also) in the WAL now
        assert_nothing_readable(data_dir)  # the file and its -wal, while the app holds them open
        order = db.call(lambda s: repo.get_order(s, result.order_id))
        assert order.customer is not None
        assert (order.customer.name, order.customer.phone_masked, order.customer.address) == (
            NAME,
            PHONE,
            ADDRESS,
        )
        assert order.notes == NOTE
        (upload,) = db.call(lambda s: jobstore.jobs_for(s, "upload", order_id=result.order_id))
        assert upload.payload["order"]["customer"]["name"] == NAME
        assert PHONE in db.call(lambda s: repo.quarantine_body(s, qid))
    finally:
        db.close()
    assert_nothing_readable(data_dir)
    conn = sqlite3.connect(data_dir / DB_FILENAME)  # what the columns hold: sealed text and a keyed index
    try:
        phone, index = conn.execute("SELECT customer_phone, customer_phone_index FROM orders").fetchone()
    finally:
        conn.close()
    assert phone.startswith("pv1:") and len(index) == 32


def test_a_plain_database_from_before_is_sealed_on_first_start(data_dir: Path) -> None:
    plain = open_database(data_dir, sealed=False)
    try:
        order_id = plain.call(
            lambda s: repo.insert_order(s, seeded_order(), now=datetime.now(UTC), by="p")[0]
        )
        plain.call(
            lambda s: customer_store.set_note(s, f"{PHONE}|{NAME}", NOTE, at=datetime.now(UTC), by="m")
        )
    finally:
        plain.close()
    assert NAME in every_cell(data_dir)  # the old way: readable by anyone
    keyring = Keyring()
    db = open_database(data_dir, keys=keyring.pair)
    try:
        assert len(keyring.saved) == 1  # a data key made on this first start
        order = db.call(lambda s: repo.get_order(s, order_id))
        assert order.customer is not None and order.customer.name == NAME
        assert db.call(customer_store.notes)[f"{PHONE}|{NAME}"].note == NOTE
    finally:
        db.close()
    assert_nothing_readable(data_dir)  # freed pages and the WAL scrubbed too
    with pytest.raises(Exception, match="encrypted"):
        open_database(data_dir, sealed=False)  # and it never goes back to plain by accident


def test_rotation_re_encrypts_every_value_and_drops_the_old_key(data_dir: Path, arun: Any) -> None:
    keyring = Keyring()
    db = open_database(data_dir, keys=keyring.pair)
    try:
        ids = [arun(intake(db).ingest(seeded_order())).order_id for _ in range(3)]
        old = keyring.keys
        assert old is not None
        count = rotate(db, *keyring.pair, forget_old=True)
        new = keyring.keys
        assert new is not None and new.current != old.current and list(new.keys) == [new.current]
        assert count >= 3 * 5  # five sealed columns an order, and its upload rows
        assert {c.customer.name for c in db.call(lambda s: repo.get_orders(s, ids)) if c.customer} == {NAME}
        assert db.call(read_mark)["keys"] == [new.current]
    finally:
        db.close()
    cells = every_cell(data_dir)
    assert f"pv1:{old.current}:" not in cells and f"pv1:{new.current}:" in cells
    with pytest.raises(KeyMissing):  # the old key alone opens nothing any more
        open_database(data_dir, keys=Keyring(old).pair)


def test_a_rotation_that_dies_midway_loses_nothing_and_a_second_run_finishes(data_dir: Path) -> None:
    keyring = Keyring()
    db = open_database(data_dir, keys=keyring.pair)
    try:
        now = datetime.now(UTC)
        ids = db.call(  # more than two batches of the orders table (sealing.BATCH)
            lambda s: [
                repo.insert_order(s, seeded_order(), now=now, by="p")[0] for _ in range(2 * BATCH + 50)
            ]
        )

        def die(done: int) -> None:  # the first batch is committed, then the power goes
            raise RuntimeError("power cut")

        with pytest.raises(RuntimeError, match="power cut"):
            rotate(db, *keyring.pair, on_batch=die)
    finally:
        db.close()
    held = keyring.keys
    assert held is not None and len(held.keys) == 2  # old and new both kept
    cells = every_cell(data_dir)
    old_kid = next(k for k in held.keys if k != held.current)
    assert f"pv1:{old_kid}:" in cells and f"pv1:{held.current}:" in cells  # half done
    db = open_database(data_dir, keys=keyring.pair)  # the app starts on the half-rotated database
    try:
        orders = db.call(lambda s: repo.get_orders(s, ids))
        assert len(orders) == len(ids) and all(
            o.customer and o.customer.phone_masked == PHONE for o in orders
        )
        rotate(db, *keyring.pair, forget_old=True)
        final = keyring.keys
        assert final is not None and list(final.keys) == [final.current]
        orders = db.call(lambda s: repo.get_orders(s, ids))
        assert all(o.customer and o.customer.address == ADDRESS for o in orders)
    finally:
        db.close()
    assert f"pv1:{old_kid}:" not in every_cell(data_dir)


def test_a_database_without_its_key_is_refused_with_how_to_bring_it(data_dir: Path) -> None:
    open_database(data_dir, keys=Keyring().pair).close()  # sealed under the old counter's key
    with pytest.raises(KeyMissing) as refused:
        open_database(data_dir, keys=Keyring(DataKeys.new()).pair)  # a new machine: another key
    assert str(refused.value) == MISSING_KEY_SENTENCE
    assert "posapp privacy export-key" in str(refused.value) and "posapp privacy import-key" in str(
        refused.value
    )
    with pytest.raises(KeyMissing):
        open_database(data_dir, keys=Keyring().pair)  # a machine with no key at all: none made for it


def test_the_key_moves_to_a_new_machine_under_a_passphrase(data_dir: Path) -> None:
    old_counter = Keyring()
    db = open_database(data_dir, keys=old_counter.pair)
    order_id = db.call(lambda s: repo.insert_order(s, seeded_order(), now=datetime.now(UTC), by="p")[0])
    db.close()
    assert old_counter.keys is not None
    exported = keystore.wrap(old_counter.keys, "correct horse battery")
    assert old_counter.keys.to_text() not in exported and "keys" not in json.loads(exported)
    with pytest.raises(SealError, match="Wrong passphrase"):
        keystore.unwrap(exported, "wrong horse battery")
    new_counter = Keyring(DataKeys.new())  # it already made a key of its own on a first start
    new_counter.save(keystore.merged(new_counter.load(), keystore.unwrap(exported, "correct horse battery")))
    db = open_database(data_dir, keys=new_counter.pair)
    try:
        order = db.call(lambda s: repo.get_order(s, order_id))
        assert order.customer is not None and order.customer.name == NAME
    finally:
        db.close()


def test_an_altered_value_is_refused_and_intake_goes_on(
    data_dir: Path, arun: Any, caplog: pytest.LogCaptureFixture
) -> None:
    db = open_database(data_dir)
    try:
        service = intake(db)
        first = arun(service.ingest(seeded_order(external_id="A-1"))).order_id
        second = arun(
            service.ingest(seeded_order(external_id="A-2", customer=Customer(name="Li Na")))
        ).order_id
        with db.engine.begin() as conn:  # an attacker moves the second order's name onto the first
            moved = conn.exec_driver_sql("SELECT customer_name FROM orders WHERE id = ?", (second,)).scalar()
            conn.exec_driver_sql("UPDATE orders SET customer_name = ? WHERE id = ?", (moved, first))
            flipped = conn.exec_driver_sql(
                "SELECT customer_address FROM orders WHERE id = ?", (first,)
            ).scalar()
            flipped = flipped[:-3] + ("A" if flipped[-3] != "A" else "B") + flipped[-2:]
            conn.exec_driver_sql("UPDATE orders SET customer_address = ? WHERE id = ?", (flipped, first))
        sealer = db.sealer
        assert sealer is not None
        with pytest.raises(SealError, match="altered or copied from another row"):
            sealer.open(moved, "orders", "customer_name", first)
        with caplog.at_level(logging.ERROR, logger="posapp.store.sealing"):
            order = db.call(lambda s: repo.get_order(s, first))
        assert order.customer is not None
        assert (order.customer.name, order.customer.address, order.customer.phone_masked) == (
            None,
            None,
            PHONE,
        )
        assert "customer name of orders row" in caplog.text and "Li Na" not in caplog.text
        # intake still takes the platform's cancel of that order, and new orders
        cancel = PlatformEvent("meituan", "A-1", PlatformEventKind.CANCELLED, "customer")
        arun(service.apply_event(cancel))
        assert db.call(lambda s: repo.get_order(s, first)).status is OrderStatus.CANCELLED
        assert arun(service.ingest(seeded_order(external_id="A-3"))).created
        assert len(db.call(repo.open_orders)) == 2  # the queue still loads
    finally:
        db.close()


def test_repeat_customers_still_match_by_phone(data_dir: Path, arun: Any) -> None:
    db = open_database(data_dir)
    now = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
    try:
        for days, platform, phone, name in (
            (9, "meituan", "138****5678", "王先生"),
            (4, "meituan", "138****5678", "王先生"),
            (2, "meituan", "139****0000", "李女士"),
        ):
            order = make_order(
                platform=platform,
                placed_at=now - timedelta(days=days),
                customer=Customer(name=name, phone_masked=phone),
            )
            db.call(lambda s, o=order: repo.insert_order(s, o, now=o.placed_at, by="platform"))
        service = CustomerService(db, clock=lambda: now)
        key = customer_key("138****5678", "王先生") or ""
        db.call(lambda s: customer_store.set_note(s, key, NOTE, at=now, by=MANAGER.actor))
        repeat = arun(service.repeat_customers())
        assert [(c.name, c.phone, c.orders, c.note) for c in repeat] == [("王先生", "138****5678", 2, NOTE)]
        assert len(db.call(lambda s: customer_store.orders_of_phone(s, "138****5678"))) == 2
        assert db.call(lambda s: customer_store.orders_of_phone(s, "138****0000")) == []
    finally:
        db.close()
    cells = every_cell(data_dir)  # the orders and the note (the service's audit row of a note is not sealed)
    assert "138****5678" not in cells and "王先生" not in cells and NOTE not in cells


def test_the_cipher_binds_each_value_to_its_row_and_column() -> None:
    sealer = Sealer(DataKeys.new())
    sealed = sealer.seal(PHONE, "orders", "customer_phone", 7)
    assert sealed is not None and sealed != sealer.seal(PHONE, "orders", "customer_phone", 7)  # fresh nonce
    assert sealer.open(sealed, "orders", "customer_phone", 7) == PHONE
    for table, column, row in (
        ("orders", "customer_phone", 8),
        ("orders", "customer_name", 7),
        ("jobs", "customer_phone", 7),
    ):
        with pytest.raises(SealError):
            sealer.open(sealed, table, column, row)
    with pytest.raises(KeyMissing):
        Sealer(DataKeys.new()).open(sealed, "orders", "customer_phone", 7)
    assert sealer.index(PHONE, kind="phone") == sealer.index(PHONE, kind="phone")
    assert sealer.index(PHONE, kind="phone") != Sealer(DataKeys.new()).index(PHONE, kind="phone")


def test_a_demo_keeps_its_key_out_of_the_keyring(data_dir: Path) -> None:
    load, save = ephemeral_keys()
    db = open_database(data_dir, keys=(load, save))
    db.close()
    assert load() is not None


def test_the_first_paint_reads_sealed_orders_with_the_key_and_none_without(
    data_dir: Path, arun: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("POSAPP_TEST_SHARED_KEYRING", str(data_dir.parent / "first-paint-keyring"))
    db = open_database(data_dir)  # the keyring's key, as the app's first paint reads it
    try:
        arun(intake(db).ingest(seeded_order()))
    finally:
        db.close()
    seen = peek(data_dir)
    assert seen is not None
    (order,) = seen.orders
    assert order.customer is not None and (order.customer.name, order.notes) == (NAME, NOTE)
    keystore.save_keys(DataKeys.new())  # another machine's key: the engine then says what is wrong
    assert peek(data_dir) is None


def test_the_engine_on_a_new_machine_refuses_to_start_with_the_sentence(
    data_dir: Path, tmp_path: Path
) -> None:
    """``posapp engine`` as its own process, on a restored database whose key stayed on the old counter."""
    open_database(data_dir, keys=Keyring().pair).close()  # sealed under the old counter's key
    root = Path(__file__).resolve().parents[2]
    env = dict(
        os.environ,
        XDG_DATA_HOME=str(tmp_path / "xdg"),
        XDG_CONFIG_HOME=str(tmp_path / "xdg-config"),
        POSAPP_TEST_SHARED_KEYRING=str(tmp_path / "new-machine-keyring"),  # this machine's keyring: no key
        PYTHONPATH=str(root),
    )
    env.pop("CREDENTIALS_DIRECTORY", None)
    done = subprocess.run(
        [sys.executable, "-m", "posapp", "engine", "--data-dir", str(data_dir), "--quit-after", "5"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert MISSING_KEY_SENTENCE in done.stderr
    assert "Traceback" not in done.stderr


def test_a_demo_in_its_own_folder_runs_on_a_machine_without_a_keyring_and_keeps_its_orders(
    tmp_path: Path,
) -> None:
    """``posapp engine --demo --data-dir X`` (what the installer's smoke run and a trial on a bare machine do)
    with no keyring at all: the demo keeps its throwaway key in its folder (owner-only), seals its made-up
    customers, opens them again on the next start, and a shop's start on that folder is refused (it never
    reads the demo's key file)."""
    import stat

    from posapp.store.sealing import DEMO_KEY_FILE

    data = tmp_path / "demo"
    root = Path(__file__).resolve().parents[2]
    env = dict(
        os.environ,
        XDG_DATA_HOME=str(tmp_path / "xdg"),
        XDG_CONFIG_HOME=str(tmp_path / "xdg-config"),
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",  # no keyring on this machine
        PYTHONPATH=str(root),
    )
    env.pop("POSAPP_TEST_SHARED_KEYRING", None)
    env.pop("CREDENTIALS_DIRECTORY", None)

    def engine(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "posapp", "engine", "--data-dir", str(data), *args]
        return subprocess.run(command, cwd=root, env=env, capture_output=True, text=True, timeout=90)

    first = engine("--demo", "--sim-rate", "600", "--quit-after", "4")
    assert first.returncode == 0, first.stderr
    key = data / DEMO_KEY_FILE
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    named = (
        sqlite3.connect(data / "posapp.db")
        .execute("SELECT count(*) FROM orders WHERE customer_name IS NOT NULL AND customer_name != ''")
        .fetchone()[0]
    )
    assert named > 0
    assert "pv1:" in every_cell(data) and "Traceback" not in first.stderr
    again = engine("--demo", "--sim-rate", "0", "--quit-after", "2")
    assert again.returncode == 0, again.stderr
    shop = engine("--quit-after", "2")
    assert shop.returncode == 1 and "Traceback" not in shop.stderr
