"""``posapp privacy rotate-key | export-key | import-key`` and the backup's word about the key: a counter's
database moved to a new machine opens there only once its key is brought, under a passphrase."""

from __future__ import annotations

import io
import json
import shutil
import stat
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from posapp.cli import main
from posapp.domain.order import Customer
from posapp.instance import InstanceLock
from posapp.services.backup import KEY_NOT_IN_BACKUP
from posapp.store import keystore
from posapp.store import orders as repo
from posapp.store.db import open_database
from posapp.store.peek import DB_FILENAME
from posapp.store.sealed import MISSING_KEY_SENTENCE, KeyMissing
from tests.factories import make_order

PASSPHRASE = "correct horse battery staple"


def machine(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    """This test's own keyring for the data key (tests/memory_keyring.py), as if on a machine of its own."""
    monkeypatch.setenv("POSAPP_TEST_SHARED_KEYRING", str(folder / "keyring"))


def typed(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(text + "\n"))


def seeded(data_dir: Path) -> int:
    db = open_database(data_dir)
    try:
        order = make_order(
            customer=Customer(name="Chen Jie", phone_masked="139****2468", address="1 Bund Rd")
        )
        return db.call(lambda s: repo.insert_order(s, order, now=datetime.now(UTC), by="p")[0])
    finally:
        db.close()


def name_of(data_dir: Path, order_id: int) -> str | None:
    db = open_database(data_dir)
    try:
        customer = db.call(lambda s: repo.get_order(s, order_id)).customer
        return None if customer is None else customer.name
    finally:
        db.close()


def test_a_backup_restored_on_a_new_machine_opens_once_the_key_is_brought(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    old, new = tmp_path / "old-counter", tmp_path / "new-counter"
    machine(monkeypatch, old)
    order_id = seeded(old / "data")
    assert main(["backup", "--to", str(tmp_path / "usb"), "--data-dir", str(old / "data")]) == 0
    assert KEY_NOT_IN_BACKUP in capsys.readouterr().out
    typed(monkeypatch, PASSPHRASE)
    assert main(["privacy", "export-key", str(tmp_path / "usb" / "counter.key")]) == 0
    key_file = tmp_path / "usb" / "counter.key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    held = keystore.load_keys()
    assert held is not None and held.to_text() not in key_file.read_text()
    assert all(json.loads(held.to_text())["keys"][k] not in key_file.read_text() for k in held.keys)

    machine(monkeypatch, new)  # the new counter: the backup put in place, no key yet
    (new / "data").mkdir(parents=True)
    backup = next((tmp_path / "usb").glob("*.db"))
    shutil.copy(backup, new / "data" / DB_FILENAME)
    with pytest.raises(KeyMissing, match="posapp privacy import-key here"):
        open_database(new / "data")
    assert main(["customers", "segments", "--data-dir", str(new / "data")]) == 2
    assert MISSING_KEY_SENTENCE in capsys.readouterr().err
    typed(monkeypatch, "not the passphrase")
    assert main(["privacy", "import-key", str(key_file)]) == 2
    assert "Wrong passphrase" in capsys.readouterr().err
    assert keystore.load_keys() is None  # nothing half-imported
    typed(monkeypatch, PASSPHRASE)
    assert main(["privacy", "import-key", str(key_file), "--data-dir", str(new / "data")]) == 0
    assert "opens with it" in capsys.readouterr().out
    assert name_of(new / "data", order_id) == "Chen Jie"


def test_rotate_key_re_encrypts_and_the_old_key_opens_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    machine(monkeypatch, tmp_path)
    data_dir = tmp_path / "data"
    order_id = seeded(data_dir)
    before = keystore.load_keys()
    assert before is not None
    assert main(["privacy", "rotate-key", "--data-dir", str(data_dir), "--forget-old"]) == 0
    assert "the old key is gone" in capsys.readouterr().out
    after = keystore.load_keys()
    assert after is not None and after.current != before.current and set(after.keys) == {after.current}
    assert name_of(data_dir, order_id) == "Chen Jie"
    keystore.save_keys(before)  # the old key alone, as an old key file would bring it
    with pytest.raises(KeyMissing):
        open_database(data_dir)


def test_rotate_key_is_refused_while_posapp_runs_on_the_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    machine(monkeypatch, tmp_path)
    data_dir = tmp_path / "data"
    order_id = seeded(data_dir)
    before = keystore.load_keys()
    lock = InstanceLock.acquire(data_dir)
    try:
        assert main(["privacy", "rotate-key", "--data-dir", str(data_dir)]) == 2
    finally:
        lock.release()
    assert "posapp privacy:" in capsys.readouterr().err
    assert keystore.load_keys() == before
    assert name_of(data_dir, order_id) == "Chen Jie"


def test_export_key_never_overwrites_a_file_and_wants_a_real_passphrase(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    machine(monkeypatch, tmp_path)
    seeded(tmp_path / "data")
    typed(monkeypatch, "short")
    assert main(["privacy", "export-key", str(tmp_path / "k")]) == 2
    assert "too short" in capsys.readouterr().err
    (tmp_path / "k").write_text("something else")
    typed(monkeypatch, PASSPHRASE)
    assert main(["privacy", "export-key", str(tmp_path / "k")]) == 2
    assert (tmp_path / "k").read_text() == "something else"


def test_rotate_key_keeps_the_retired_key_for_earlier_backups_and_other_folders(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    """Without --forget-old the keyring keeps the retired key (one entry per OS user): a second data folder
    sealed under it, and a backup copied before the rotation, still open; the rotated database itself needs
    only the new key."""
    import shutil

    from posapp.store.db import DB_FILENAME

    machine(monkeypatch, tmp_path)
    data_dir, other = tmp_path / "data", tmp_path / "other"
    order_id = seeded(data_dir)
    other_id = seeded(other)
    backup = tmp_path / "backup"
    backup.mkdir()
    shutil.copy(data_dir / DB_FILENAME, backup / DB_FILENAME)
    before = keystore.load_keys()
    assert before is not None
    assert main(["privacy", "rotate-key", "--data-dir", str(data_dir)]) == 0
    assert "backups made before today still open" in capsys.readouterr().out
    after = keystore.load_keys()
    assert after is not None and after.current != before.current and before.current in after.keys
    assert name_of(data_dir, order_id) == "Chen Jie"
    assert name_of(other, other_id) == "Chen Jie"
    assert name_of(backup, order_id) == "Chen Jie"
    keystore.save_keys(after.only_current())  # the new key alone: the rotated database opens with it
    assert name_of(data_dir, order_id) == "Chen Jie"
