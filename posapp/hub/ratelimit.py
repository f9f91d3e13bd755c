"""Token buckets for every hub process (PostgreSQL), or in memory (SQLite): pushes per store, pairing tries.

On PostgreSQL a bucket is a row (``hub_rate`` per store id, ``hub_rate_keys`` per text key such as a pairing
client's address) refilled and taken from in one atomic upsert, on the database's clock, so two processes
behind one load balancer allow what one would, not double. SQLite serves a single process, whose buckets stay
in memory.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import Connection, text


@dataclass(frozen=True, slots=True)
class Verdict:
    """Whether one push may be taken; if not, whole seconds until one token is back (``Retry-After``)."""

    allowed: bool
    retry_after: int = 0


def _verdict(tokens: float, allowed: bool, rate: float) -> Verdict:
    if allowed:
        return Verdict(True)
    wait = (1.0 - tokens) / rate if rate > 0 else 3600.0
    return Verdict(False, max(1, min(3600, math.ceil(wait))))


@dataclass
class RateLimit:
    """A token bucket per key (a store id, a text key) in this process: ``rate`` a second, bursts of ``burst``."""

    rate: float = 50.0
    burst: float = 200.0
    clock: Callable[[], float] = time.monotonic
    _buckets: dict[int | str, tuple[float, float]] = field(default_factory=dict)

    def take(self, store_id: int | str) -> Verdict:
        now = self.clock()
        tokens, last = self._buckets.get(store_id, (self.burst, now))
        tokens = min(self.burst, tokens + max(now - last, 0.0) * self.rate)
        allowed = tokens >= 1.0
        self._buckets[store_id] = (tokens - 1.0 if allowed else tokens, now)
        if len(self._buckets) > 100_000:  # stores that pushed long ago start full again anyway
            self._buckets = {store_id: self._buckets[store_id]}
        return _verdict(tokens, allowed, self.rate)

    def allow(self, store_id: int | str) -> bool:
        return self.take(store_id).allowed


# Refill by the time since the row was last touched (the database's clock, never a process's), then take one
# token if a whole one is there. The row is locked by the upsert, so processes take from it one at a time.
_TAKE_SQL = """
    INSERT INTO {table} AS r ({column}, tokens, at, ok)
    VALUES (:store, :burst - 1, extract(epoch FROM clock_timestamp()), true)
    ON CONFLICT ({column}) DO UPDATE SET
        tokens = CASE
            WHEN least(:burst, r.tokens + greatest(EXCLUDED.at - r.at, 0) * :rate) >= 1
            THEN least(:burst, r.tokens + greatest(EXCLUDED.at - r.at, 0) * :rate) - 1
            ELSE least(:burst, r.tokens + greatest(EXCLUDED.at - r.at, 0) * :rate)
        END,
        at = greatest(EXCLUDED.at, r.at),
        ok = least(:burst, r.tokens + greatest(EXCLUDED.at - r.at, 0) * :rate) >= 1
    RETURNING ok, tokens
"""
_TAKE = text(_TAKE_SQL.format(table="hub_rate", column="store_id"))
_TAKE_KEY = text(_TAKE_SQL.format(table="hub_rate_keys", column="key"))
KEY_MAX = 80  # hub_rate_keys.key


def take_shared(conn: Connection, store_id: int, rate: float, burst: float) -> Verdict:
    """Take one push from the store's bucket in ``hub_rate`` (PostgreSQL), for every process alike."""
    # A bucket lost in a crash only starts full again: no need to wait for this commit to reach the disk.
    conn.execute(text("SET LOCAL synchronous_commit TO OFF"))
    row = conn.execute(_TAKE, {"store": store_id, "rate": float(rate), "burst": float(burst)}).one()
    return _verdict(float(row.tokens), bool(row.ok), rate)


def take_shared_key(conn: Connection, key: str, rate: float, burst: float) -> Verdict:
    """Take one from the bucket named ``key`` in ``hub_rate_keys`` (PostgreSQL), for every process alike."""
    conn.execute(text("SET LOCAL synchronous_commit TO OFF"))
    params = {"store": key[:KEY_MAX], "rate": float(rate), "burst": float(burst)}
    row = conn.execute(_TAKE_KEY, params).one()
    return _verdict(float(row.tokens), bool(row.ok), rate)
