"""Random bytes for what is drawn for every order and is public once used: AES-GCM nonces (stored beside
their ciphertext) and upload idempotency keys. Drawn from the OS's generator, 4 KiB at a time.

Each ``os.urandom`` is a system call: an order seals about seven values and plans two upload keys, and on the
2-core build machine (a virtual machine) those nine calls were 8 % of intake's throughput
(``benchmarks/bench_intake.py``, A/B in one process: 2,565 → 2,774 orders/s, 413 → 380 µs of CPU per
order). The bytes are the OS generator's own, each handed out once. A forked child drops what its parent
had drawn, so no two processes hand out the same bytes (a repeated nonce under one key would break
AES-GCM). Keys are never drawn from here: they come from ``secrets`` and ``AESGCM.generate_key``.
"""

from __future__ import annotations

import os
import threading
import uuid

BLOCK = 4096


class _Pool:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._buffer = b""
        self._at = 0

    def take(self, n: int) -> bytes:
        with self._lock:
            if self._at + n > len(self._buffer):
                self._buffer = os.urandom(max(BLOCK, n))
                self._at = 0
            out = self._buffer[self._at : self._at + n]
            self._at += n
            return out

    def drop(self) -> None:
        """Forget what was drawn (in a forked child: the parent hands those bytes out)."""
        self._lock = threading.Lock()  # a lock the parent held at the fork stays held in the child
        self._buffer = b""
        self._at = 0


_POOL = _Pool()
if hasattr(os, "register_at_fork"):  # not on Windows, which has no fork
    os.register_at_fork(after_in_child=_POOL.drop)


def random_bytes(n: int) -> bytes:
    """``n`` bytes from the OS's cryptographic generator, never handed out twice."""
    return _POOL.take(n)


def uuid4() -> uuid.UUID:
    """A random (version 4) UUID, as ``uuid.uuid4`` makes it."""
    return uuid.UUID(bytes=random_bytes(16), version=4)
