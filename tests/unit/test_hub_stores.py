"""Stores at the hub keep no secret in the clear: tokens and pairing codes as digests, platform secrets sealed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from posapp.errors import ConfigError
from posapp.hub import stores
from posapp.hub.db import make_engine
from posapp.hub.ratelimit import RateLimit
from posapp.hub.sealing import Sealer, new_key
from posapp.hub.webhooks import make_connector


def test_tokens_codes_and_platform_secrets_are_not_in_the_database_in_the_clear(tmp_path: Path) -> None:
    path = tmp_path / "hub.db"
    engine = make_engine(f"sqlite:///{path}")
    sealer = Sealer(new_key())
    now = datetime.now(UTC)
    with engine.begin() as conn:
        issued = stores.add(conn, "store-1", now)
        store = stores.by_name(conn, "store-1")
        assert store is not None
        secret = "meituan-secret-0123456789abcdef"
        stores.set_platform(
            conn, store.id, "meituan", "poi-1", app_id="5120", secret_sealed=sealer.seal(secret), options={}
        )
    engine.dispose()
    raw = b"".join(p.read_bytes() for p in tmp_path.iterdir())  # the file and its WAL
    for clear in (issued.token, issued.code, stores.normal_code(issued.code), secret):
        assert clear.encode() not in raw
    engine = make_engine(f"sqlite:///{path}")
    with engine.connect() as conn:
        key = stores.platform_key(conn, "meituan", "poi-1")
        assert key is not None and make_connector(key, sealer).secret == secret
        assert stores.by_token(conn, issued.token) == store
    with pytest.raises(ConfigError, match="another key"):
        make_connector(key, Sealer(new_key()))
    engine.dispose()


def test_a_revoked_token_and_an_expired_or_used_code_open_nothing(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'hub.db'}")
    now = datetime.now(UTC)
    with engine.begin() as conn:
        first = stores.add(conn, "a", now)
        late = stores.add(conn, "b", now)
        assert stores.pair(conn, late.code, now + stores.CODE_VALID + timedelta(seconds=1)) is None
        paired = stores.pair(conn, first.code, now)
        assert paired is not None and paired.store == "a"
        assert stores.pair(conn, first.code, now) is None  # used up
        assert stores.by_token(conn, first.token) is None  # the printed token was replaced by pairing
        assert stores.revoke(conn, "a", now)
        assert stores.by_token(conn, paired.token) is None
        assert not stores.revoke(conn, "a", now)
    engine.dispose()


def test_the_rate_limit_is_a_token_bucket_per_store() -> None:
    clock = [0.0]
    limit = RateLimit(rate=2.0, burst=3.0, clock=lambda: clock[0])
    assert [limit.allow(1) for _ in range(4)] == [True, True, True, False]
    assert limit.allow(2)  # another store has its own bucket
    clock[0] = 0.5  # one more push after half a second at 2 a second
    assert [limit.allow(1), limit.allow(1)] == [True, False]
    assert limit.take(1).retry_after == 1  # half a token short at 2 a second: back within a second
    slow = RateLimit(rate=0.1, burst=1.0, clock=lambda: clock[0])
    assert slow.take(9).allowed and slow.take(9).retry_after == 10  # a whole token at 0.1 a second
