"""Stores at the hub: tokens and pairing codes (kept as digests), platform keys, link state."""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, func, select, update

from posapp.hub import tables as t

CODE_VALID = timedelta(hours=24)
ONLINE_WITHIN = timedelta(seconds=30)  # a link whose process has not said "still here" for this long is gone


def digest(secret: str) -> str:
    """sha256 of a token or code: tokens are 256 random bits, so a plain digest cannot be reversed."""
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def new_token() -> str:
    return secrets.token_urlsafe(32)


def new_code() -> str:
    """Ten digits in two groups, easy to read out over the phone; single use, valid ``CODE_VALID``."""
    n = f"{secrets.randbelow(10**10):010d}"
    return f"{n[:5]}-{n[5:]}"


def normal_code(code: str) -> str:
    return "".join(ch for ch in code if ch.isdigit())


@dataclass(frozen=True, slots=True)
class Store:
    id: int
    name: str
    created_at: datetime
    revoked_at: datetime | None
    connected_at: datetime | None
    seen_at: datetime | None
    disconnected_at: datetime | None
    time_zone: str | None = None  # IANA name; None: the hub's default

    def online(self, now: datetime) -> bool:
        return (
            self.connected_at is not None
            and self.seen_at is not None
            and now - self.seen_at <= ONLINE_WITHIN
            and (self.disconnected_at is None or self.disconnected_at < self.connected_at)
        )

    def since(self, now: datetime) -> datetime | None:
        """When the link came up (online) or went away (offline); None for a store never connected."""
        if self.online(now):
            return self.connected_at
        if self.disconnected_at is not None and (
            self.connected_at is None or self.disconnected_at >= self.connected_at
        ):
            return self.disconnected_at
        return self.seen_at


@dataclass(frozen=True, slots=True)
class Issued:
    store: str
    token: str
    code: str


@dataclass(frozen=True, slots=True)
class PlatformKey:
    store_id: int
    platform: str
    store_key: str
    app_id: str
    secret_sealed: str
    options: Mapping[str, Any]


def _store(row: Any) -> Store:
    return Store(
        row.id,
        row.name,
        row.created_at,
        row.revoked_at,
        row.connected_at,
        row.seen_at,
        row.disconnected_at,
        row.time_zone,
    )


def check_zone(name: str) -> str:
    """``name`` if it is an IANA time zone this machine knows; ``ValueError`` saying so if not."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(
            f"{name!r} is not a time zone name such as Asia/Shanghai or America/Los_Angeles"
        ) from exc
    return name


def set_zone(conn: Connection, name: str, time_zone: str | None) -> bool:
    """Set the store's time zone (None: the hub's default); False if there is no such store."""
    value = None if time_zone is None else check_zone(time_zone)
    return conn.execute(update(t.stores).where(t.stores.c.name == name).values(time_zone=value)).rowcount == 1


def add(conn: Connection, name: str, now: datetime, *, time_zone: str | None = None) -> Issued:
    """A new store with a token and a pairing code; ``ValueError`` if the name is taken."""
    if conn.execute(select(t.stores.c.id).where(t.stores.c.name == name)).first() is not None:
        raise ValueError(f"a store named {name!r} already exists")
    token, code = new_token(), new_code()
    conn.execute(
        t.stores.insert().values(
            name=name,
            token_digest=digest(token),
            code_digest=digest(normal_code(code)),
            code_expires=now + CODE_VALID,
            created_at=now,
            time_zone=None if time_zone is None else check_zone(time_zone),
        )
    )
    return Issued(name, token, code)


def new_pairing(conn: Connection, name: str, now: datetime) -> Issued | None:
    """A fresh token and pairing code for a store (the old token stops working); None if no such store."""
    token, code = new_token(), new_code()
    done = conn.execute(
        update(t.stores)
        .where(t.stores.c.name == name)
        .values(
            token_digest=digest(token),
            code_digest=digest(normal_code(code)),
            code_expires=now + CODE_VALID,
            revoked_at=None,
        )
    )
    return Issued(name, token, code) if done.rowcount else None


def pair(conn: Connection, code: str, now: datetime) -> Issued | None:
    """Trade a valid pairing code for a new token (the code is used up); None for a wrong or expired code."""
    wanted = digest(normal_code(code))
    row = conn.execute(
        select(t.stores.c.id, t.stores.c.name).where(
            t.stores.c.code_digest == wanted, t.stores.c.code_expires >= now, t.stores.c.revoked_at.is_(None)
        )
    ).first()
    if row is None:
        return None
    token = new_token()
    claimed = conn.execute(
        update(t.stores)
        .where(t.stores.c.id == row.id, t.stores.c.code_digest == wanted)
        .values(token_digest=digest(token), code_digest=None, code_expires=None)
    )
    return Issued(row.name, token, "") if claimed.rowcount == 1 else None


def by_token(conn: Connection, token: str) -> Store | None:
    """The store a token belongs to, if not revoked."""
    if not token:
        return None
    row = conn.execute(
        select(t.stores).where(t.stores.c.token_digest == digest(token), t.stores.c.revoked_at.is_(None))
    ).first()
    return None if row is None else _store(row)


def active_digests(conn: Connection, store_ids: list[int]) -> dict[int, str]:
    """The current token digest of each store in ``store_ids`` that is not revoked (one query for them all)."""
    rows = conn.execute(
        select(t.stores.c.id, t.stores.c.token_digest).where(
            t.stores.c.id.in_(store_ids), t.stores.c.revoked_at.is_(None)
        )
    )
    return {r.id: r.token_digest for r in rows if r.token_digest}


def is_active(conn: Connection, store_id: int, token: str) -> bool:
    return (
        conn.execute(
            select(t.stores.c.id).where(
                t.stores.c.id == store_id,
                t.stores.c.token_digest == digest(token),
                t.stores.c.revoked_at.is_(None),
            )
        ).first()
        is not None
    )


def revoke(conn: Connection, name: str, now: datetime) -> bool:
    done = conn.execute(
        update(t.stores)
        .where(t.stores.c.name == name, t.stores.c.revoked_at.is_(None))
        .values(revoked_at=now, token_digest=None, code_digest=None, code_expires=None)
    )
    return done.rowcount == 1


def all_stores(conn: Connection) -> list[Store]:
    return [_store(r) for r in conn.execute(select(t.stores).order_by(t.stores.c.name))]


def by_name(conn: Connection, name: str) -> Store | None:
    row = conn.execute(select(t.stores).where(t.stores.c.name == name)).first()
    return None if row is None else _store(row)


def set_platform(
    conn: Connection,
    store_id: int,
    platform: str,
    store_key: str,
    *,
    app_id: str,
    secret_sealed: str,
    options: Mapping[str, Any],
) -> None:
    """Add or replace the store's entry for ``platform`` (one store key per platform and store)."""
    conn.execute(
        t.platform_keys.delete().where(
            (t.platform_keys.c.store_id == store_id) & (t.platform_keys.c.platform == platform)
            | (t.platform_keys.c.platform == platform) & (t.platform_keys.c.store_key == store_key)
        )
    )
    conn.execute(
        t.platform_keys.insert().values(
            store_id=store_id,
            platform=platform,
            store_key=store_key,
            app_id=app_id,
            secret_sealed=secret_sealed,
            options=json.dumps(dict(options), sort_keys=True),
        )
    )


def platform_key(conn: Connection, platform: str, store_key: str) -> PlatformKey | None:
    row = conn.execute(
        select(t.platform_keys).where(
            t.platform_keys.c.platform == platform, t.platform_keys.c.store_key == store_key
        )
    ).first()
    if row is None:
        return None
    return PlatformKey(
        row.store_id, row.platform, row.store_key, row.app_id, row.secret_sealed, json.loads(row.options)
    )


def platform_keys(conn: Connection, platform: str) -> list[PlatformKey]:
    """Every store's key for ``platform`` (a push that names no store is proven by the secrets)."""
    rows = conn.execute(
        select(t.platform_keys).where(t.platform_keys.c.platform == platform).order_by(t.platform_keys.c.id)
    )
    return [
        PlatformKey(r.store_id, r.platform, r.store_key, r.app_id, r.secret_sealed, json.loads(r.options))
        for r in rows
    ]


def store_key_of_order(conn: Connection, platform: str, external_id: str) -> str | None:
    """The store key of the store that holds ``external_id`` on ``platform`` (learned from an earlier push)."""
    return conn.execute(
        select(t.platform_keys.c.store_key)
        .join(t.order_routes, t.order_routes.c.store_id == t.platform_keys.c.store_id)
        .where(
            t.order_routes.c.platform == platform,
            t.order_routes.c.external_id == external_id,
            t.platform_keys.c.platform == platform,
        )
    ).scalar()


def platforms_of(conn: Connection, store_id: int) -> list[tuple[str, str]]:
    return [
        (r.platform, r.store_key)
        for r in conn.execute(
            select(t.platform_keys.c.platform, t.platform_keys.c.store_key)
            .where(t.platform_keys.c.store_id == store_id)
            .order_by(t.platform_keys.c.platform)
        )
    ]


def link_up(conn: Connection, store_id: int, now: datetime) -> None:
    conn.execute(update(t.stores).where(t.stores.c.id == store_id).values(connected_at=now, seen_at=now))


def link_seen(conn: Connection, store_ids: list[int], now: datetime) -> None:
    if store_ids:
        conn.execute(update(t.stores).where(t.stores.c.id.in_(store_ids)).values(seen_at=now))


def link_down(conn: Connection, store_id: int, now: datetime) -> None:
    conn.execute(update(t.stores).where(t.stores.c.id == store_id).values(disconnected_at=now))


def count(conn: Connection) -> int:
    return int(conn.execute(select(func.count()).select_from(t.stores)).scalar_one())
