"""Imported by the benchmarks that open a database: its data key (store/keystore.py) goes to the suite's
in-memory keyring (tests/memory_keyring.py), shared with their child processes through a temp file, never
to the user's keyring, and a machine without a keyring can still run them."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # the keyring backend below is tests.memory_keyring
os.environ.setdefault("PYTHON_KEYRING_BACKEND", "tests.memory_keyring.MemoryKeyring")
os.environ.setdefault(
    "POSAPP_TEST_SHARED_KEYRING", str(Path(tempfile.mkdtemp(prefix="posapp-keys-")) / "keys")
)
os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)
