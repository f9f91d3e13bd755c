"""An in-memory keyring backend for the suite: the user's real keyring is never touched.

The database's data key (``storage.*`` entries, store/keystore.py) is shared with the suite's child processes
(an engine started as a program, then its database read by the test) through the file that
``POSAPP_TEST_SHARED_KEYRING`` names (set by tests/conftest.py): a test rig, as a real keyring is per user.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from keyring.backend import KeyringBackend

SHARED_ENV = "POSAPP_TEST_SHARED_KEYRING"
SHARED_PREFIX = "storage."


class MemoryKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        shared = _shared(username)
        if shared is not None:
            return _read(shared).get(f"{service}/{username}")
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        shared = _shared(username)
        if shared is not None:
            _write(shared, {**_read(shared), f"{service}/{username}": password})
            return
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        shared = _shared(username)
        if shared is not None:
            entries = _read(shared)
            entries.pop(f"{service}/{username}", None)
            _write(shared, entries)
            return
        self.store.pop((service, username), None)


def _shared(username: str) -> Path | None:
    path = os.environ.get(SHARED_ENV)
    return Path(path) if path and username.startswith(SHARED_PREFIX) else None


def _read(path: Path) -> dict[str, str]:
    try:
        return dict(json.loads(path.read_text(encoding="utf-8")))
    except FileNotFoundError:
        return {}


def _write(path: Path, entries: dict[str, str]) -> None:
    part = path.with_name(f"{path.name}.{os.getpid()}")
    part.write_text(json.dumps(entries), encoding="utf-8")
    part.replace(path)
