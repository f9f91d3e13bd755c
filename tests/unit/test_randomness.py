"""Nonces and upload keys drawn in blocks from the OS (posapp/store/randomness.py): never handed out twice,
not even across a fork."""

from __future__ import annotations

import os
import uuid

import pytest

from posapp.store import randomness
from posapp.store.randomness import random_bytes, uuid4


def test_bytes_are_never_handed_out_twice_across_blocks() -> None:
    draws = [random_bytes(12) for _ in range(3 * randomness.BLOCK // 12 + 5)]  # several blocks' worth
    assert all(len(d) == 12 for d in draws)
    assert len(set(draws)) == len(draws)
    big = random_bytes(randomness.BLOCK + 100)  # more than a block at once
    assert len(big) == randomness.BLOCK + 100 and big not in b"".join(draws)


def test_uuid4_is_a_random_rfc_4122_uuid() -> None:
    keys = [uuid4() for _ in range(2000)]
    assert all(k.version == 4 and k.variant == uuid.RFC_4122 for k in keys)
    assert len({str(k) for k in keys}) == len(keys)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this system")
def test_a_forked_child_never_hands_out_its_parents_bytes() -> None:
    """Without dropping the pool at the fork, parent and child would hand out the same next bytes: the
    same AES-GCM nonce under the same key."""
    random_bytes(1)  # the parent holds a block
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: its next 16 bytes to the parent, and out at once
        try:
            os.write(write, random_bytes(16))
        finally:
            os._exit(0)
    os.close(write)
    child = b""
    while len(child) < 16:
        chunk = os.read(read, 16 - len(child))
        if not chunk:
            break
        child += chunk
    os.close(read)
    os.waitpid(pid, 0)
    parent = random_bytes(16)
    assert len(child) == 16
    assert child != parent
