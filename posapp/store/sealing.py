"""The database's side of sealed personal data: the sealer each session carries, the columns it covers, the
one-time pass that seals a plain database, the re-seal of a key rotation, and the check that this machine
holds the keys the database needs.

Sealed columns (everything that names or reaches a customer): ``orders`` customer_name, customer_phone,
customer_address, notes, raw (the platform's payload repeats them); ``quarantine.body``; the payload of
``jobs`` of the upload kind (the whole order as head office gets it); ``customer_notes`` note and label.
The database remembers which key ids it needs (the settings row ``storage.sealed``, ids only): a machine
without one of them refuses to open it with ``MISSING_KEY_SENTENCE`` instead of showing ciphertext.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import event, text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from posapp.store.fast import fetch
from posapp.store.sealed import MISSING_KEY_SENTENCE, DataKeys, KeyMissing, Sealer, SealError
from posapp.store.tables import OrderRow, SettingRow

if TYPE_CHECKING:
    from posapp.store.db import Database

log = logging.getLogger(__name__)
SEALER_INFO = "posapp.sealer"  # Session.info: the Sealer of an encrypted database (absent: plain)
MARK_KEY = "storage.sealed"  # settings row: {"keys": [key ids the values are under], "index": fingerprint}
UPLOAD_KINDS = ("upload",)  # job kinds whose payload carries the customer (services/upload.py)
SEALED_COLUMNS: dict[str, tuple[str, ...]] = {
    "orders": ("customer_name", "customer_phone", "customer_address", "notes", "raw"),
    "quarantine": ("body",),
    "jobs": ("payload",),
}
PHONE, NAME, CUSTOMER = "phone", "name", "customer"  # blind-index kinds
BATCH = 500

KeyLoader = Callable[[], DataKeys | None]
KeySaver = Callable[[DataKeys], None]


def sealer_of(session: Session) -> Sealer | None:
    """The session's sealer; None for a database opened plain (``open_database(sealed=False)``)."""
    sealer: Sealer | None = session.info.get(SEALER_INFO)
    return sealer


def seal(session: Session, value: str | None, table: str, column: str, row: object) -> str | None:
    sealer = sealer_of(session)
    return value if sealer is None else sealer.seal(value, table, column, row)


def unseal(session: Session, value: str | None, table: str, column: str, row: object) -> str | None:
    """The plain text of a personal field; ``SealError`` when it does not open (``KeyMissing`` without the
    key). What staff read goes through ``shown`` instead."""
    sealer = sealer_of(session)
    return value if sealer is None else sealer.open(value, table, column, row)


def shown(session: Session, value: str | None, table: str, column: str, row: object) -> str | None:
    """A personal field for display: a value that does not open (altered, or copied from another row) is
    refused, left out (None) and logged with the reason, and the order around it still shows: one damaged
    field must not take the queue, a report or intake down with it. A missing key still raises."""
    try:
        return unseal(session, value, table, column, row)
    except KeyMissing:
        raise
    except SealError as exc:
        log.error("%s", exc)  # the sentence only: never the value
        return None


def blind(session: Session, value: str | None, kind: str) -> str | None:
    """The blind index of ``value`` (None in a plain database, whose look-ups use the value itself)."""
    sealer = sealer_of(session)
    return None if sealer is None else sealer.index(value, kind=kind)


def next_ids(session: Session, table: str, count: int) -> list[int]:
    """The ids the next ``count`` rows of ``table`` take, given to them explicitly: a value is sealed for its
    row before the row exists. One writer (the database thread), so no one takes them in between."""
    session.flush()  # rows this session added are in the table before its MAX is read
    conn = session.connection()
    sql = f'SELECT COALESCE(MAX(id), 0) FROM "{table}"'  # noqa: S608 (a table name of ours)
    rows = fetch(conn, sql, ())  # SQLite's own cursor on intake's hot path (store/fast.py)
    top = rows[0][0] if rows is not None else conn.exec_driver_sql(sql).scalar()
    return list(range(int(top or 0) + 1, int(top or 0) + 1 + count))


# -- the database's mark --------------------------------------------------------------------------------


def fingerprint(keys: DataKeys) -> str:
    """Names the blind-index key without revealing it: two machines agree on it only with the same key."""
    return hmac.new(keys.index, b"posapp blind index key", hashlib.sha256).hexdigest()[:16]


def read_mark(session: Session) -> dict[str, Any] | None:
    row = session.get(SettingRow, MARK_KEY)
    return None if row is None else dict(json.loads(row.value))


def write_mark(session: Session, key_ids: list[str], keys: DataKeys) -> None:
    value = json.dumps({"keys": sorted(set(key_ids)), "index": fingerprint(keys)}, sort_keys=True)
    row = session.get(SettingRow, MARK_KEY)
    now = datetime.now(UTC)
    if row is None:
        session.add(SettingRow(key=MARK_KEY, value=value, updated_at=now))
    else:
        row.value = value
        row.updated_at = now


def check_keys(mark: dict[str, Any], keys: DataKeys | None) -> None:
    """``KeyMissing`` with the sentence unless ``keys`` hold every key the marked database needs."""
    needed = set(mark.get("keys") or [])
    if keys is None or not needed <= set(keys.keys) or mark.get("index") != fingerprint(keys):
        raise KeyMissing(MISSING_KEY_SENTENCE)


# -- open, seal, rotate ---------------------------------------------------------------------------------


def attach(db: Database, load: KeyLoader, save: KeySaver) -> Sealer:
    """Make ``db`` read and write sealed values: check this machine holds its keys (refuse with the
    sentence otherwise), or, the first time, make a data key and seal what the database holds in plain."""
    mark = db.call(read_mark)
    keys = load()
    if mark is not None:
        check_keys(mark, keys)
        assert keys is not None
        held: DataKeys = keys
        sealer = Sealer(held)
        if held.current not in mark["keys"]:  # an imported key merged with this machine's: both are used
            db.call(lambda s: write_mark(s, [*mark["keys"], held.current], held))
        db.use_sealer(sealer)
        return sealer
    if keys is None:
        keys = DataKeys.new()
        save(keys)
        log.info("made the data key that seals personal fields (kept in the keyring)")
    sealer = Sealer(keys)
    sealed = reseal_all(db, sealer)
    db.call(lambda s: write_mark(s, [keys.current], keys))
    if sealed:
        log.info("sealed %d personal values the database held in plain", sealed)
        scrub(db)
    db.use_sealer(sealer)
    return sealer


def refuse_if_sealed(db: Database) -> None:
    """A database opened plain (the benchmarks' comparison) must not be an encrypted one."""
    if db.call(read_mark) is not None:
        from posapp.errors import StorageError

        raise StorageError("This database's personal data is encrypted: it cannot be opened unencrypted.")


def rotate(
    db: Database,
    load: KeyLoader,
    save: KeySaver,
    *,
    on_batch: Callable[[int], None] | None = None,
    forget_old: bool = False,
) -> int:
    """Re-seal every value under a new data key; returns how many values. The old key stays in the keyring
    (and in the database's mark) until every value is under the new one: a crash midway loses nothing, and
    running it again finishes the job. Afterwards the database needs only the new key; the retired ones stay
    in the keyring (one entry per OS user: earlier backups and other data folders still open) unless
    ``forget_old``."""
    mark = db.call(read_mark)
    keys = load()
    if mark is None:
        raise KeyMissing("This database is not encrypted yet: start posapp once with it.")
    check_keys(mark, keys)
    assert keys is not None
    new = keys.rotated()
    save(new)
    db.call(lambda s: write_mark(s, [*mark["keys"], *new.keys], new))
    sealer = Sealer(new)
    db.use_sealer(sealer)
    count = reseal_all(db, sealer, on_batch=on_batch)
    db.call(lambda s: write_mark(s, [new.current], new))
    if forget_old:
        save(new.only_current())
    db.use_sealer(Sealer(new.only_current()))
    scrub(db)
    log.info("data key rotated: %d values re-sealed", count)
    return count


def reseal_all(db: Database, sealer: Sealer, *, on_batch: Callable[[int], None] | None = None) -> int:
    """Every sealed column's values under ``sealer``'s current key (plain ones sealed), batch by batch, each
    batch its own transaction; the blind indexes filled in. Returns how many values changed."""
    changed = 0
    for table, columns in SEALED_COLUMNS.items():
        after = 0
        while True:
            done = db.call(lambda s, t=table, c=columns, a=after: _reseal_batch(s, sealer, t, c, a))  # type: ignore[misc]
            if done is None:
                break
            after, n = done
            changed += n
            if on_batch is not None:
                on_batch(changed)
    changed += db.call(lambda s: _reseal_notes(s, sealer))
    return changed


def _reseal_batch(
    session: Session, sealer: Sealer, table: str, columns: tuple[str, ...], after: int
) -> tuple[int, int] | None:
    conn = session.connection()
    names = ", ".join(columns)
    only = f" AND kind IN ({', '.join(repr(k) for k in UPLOAD_KINDS)})" if table == "jobs" else ""
    rows = conn.execute(
        text(f"SELECT id, {names} FROM {table} WHERE id > :after{only} ORDER BY id LIMIT :n"),  # noqa: S608
        {"after": after, "n": BATCH},
    ).all()
    if not rows:
        return None
    n = 0
    for row in rows:
        values = dict(zip(columns, row[1:], strict=True))
        new = {c: sealer.reseal(v, table, c, row.id) for c, v in values.items()}
        if table == "orders":
            phone = sealer.open(new["customer_phone"], table, "customer_phone", row.id)
            name = sealer.open(new["customer_name"], table, "customer_name", row.id)
            new["customer_phone_index"] = sealer.index(phone, kind=PHONE)
            new["customer_name_index"] = sealer.index(name, kind=NAME)
        n += sum(1 for c in columns if new[c] != values[c])
        _update(conn, table, row.id, new)
    return int(rows[-1].id), n


def _update(conn: Connection, table: str, row_id: int, values: dict[str, Any]) -> None:
    sets = ", ".join(f"{c} = :{c}" for c in values)
    conn.execute(text(f"UPDATE {table} SET {sets} WHERE id = :row_id"), {**values, "row_id": row_id})  # noqa: S608


def _reseal_notes(session: Session, sealer: Sealer) -> int:
    """Customer notes: a plain one (no label yet) gets the blind index of its key as key and the key
    sealed as label; a sealed one is re-sealed."""
    conn = session.connection()
    n = 0
    for key, note, label in conn.execute(text("SELECT key, note, label FROM customer_notes")).all():
        if label is None:
            new_key = sealer.index(key, kind=CUSTOMER)
            assert new_key is not None
            values = {
                "key": new_key,
                "label": sealer.seal(key, "customer_notes", "label", new_key),
                "note": sealer.seal(note, "customer_notes", "note", new_key),
            }
        else:
            values = {
                "label": sealer.reseal(label, "customer_notes", "label", key),
                "note": sealer.reseal(note, "customer_notes", "note", key),
            }
            if values == {"label": label, "note": note}:
                continue
        conn.execute(
            text(
                "UPDATE customer_notes SET " + ", ".join(f"{c} = :{c}" for c in values) + " WHERE key = :old"
            ),
            {**values, "old": key},
        )
        n += 2
    return n


def scrub(db: Database) -> None:
    """Rewrite the file and empty the write-ahead log, so no page of it keeps a value from before sealing
    (a freed page keeps its old bytes until reused)."""
    if db.engine.dialect.name != "sqlite":
        return
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.exec_driver_sql("VACUUM")
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def _blank_indexes(_mapper: Any, _connection: Connection, target: OrderRow) -> None:
    """A phone or name blanked through the ORM (an erasure) takes its blind index with it."""
    if target.customer_phone is None:
        target.customer_phone_index = None
    if target.customer_name is None:
        target.customer_name_index = None


event.listen(OrderRow, "before_update", _blank_indexes)


def ephemeral_keys() -> tuple[KeyLoader, KeySaver]:
    """Keys held by this process alone (a demo in a throwaway folder): nothing reaches the keyring."""
    held: list[DataKeys] = []

    def save(keys: DataKeys) -> None:
        held[:] = [keys]

    return (lambda: held[0] if held else None), save


DEMO_KEY_FILE = "demo-data.key"


def demo_folder_keys(folder: Path) -> tuple[KeyLoader, KeySaver]:
    """The demo's keys, kept in its own data folder (``demo-data.key``, owner-only): the demo's orders are
    made up by the simulator and a demo never touches the shop's keyring, with or without one on the machine.
    A shop's start on that folder (no ``--demo``) does not read this file: it is refused for the missing key."""
    path = folder / DEMO_KEY_FILE

    def load() -> DataKeys | None:
        try:
            return DataKeys.from_text(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None

    def save(keys: DataKeys) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(keys.to_text())

    return load, save
