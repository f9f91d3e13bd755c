"""Paired screens and pairing codes (docs/screen-api.md): only SHA-256 digests of codes and tokens are kept."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from posapp.store.tables import OrderRow, ScreenCodeRow, ScreenRow, StationBumpRow


@dataclass(frozen=True, slots=True)
class Screen:
    id: int
    name: str
    station: str | None
    created_at: datetime
    revoked_at: datetime | None


def add_code(session: Session, code_hash: str, expires_at: datetime) -> None:
    session.merge(ScreenCodeRow(code_hash=code_hash, expires_at=expires_at, used_at=None))


def use_code(session: Session, code_hash: str, now: datetime) -> bool:
    """Spend a pairing code: True once for a code that exists and has not expired."""
    row = session.get(ScreenCodeRow, code_hash)
    if row is None or row.used_at is not None or row.expires_at < now:
        return False
    row.used_at = now
    return True


def add_screen(session: Session, name: str, station: str | None, token_hash: str, now: datetime) -> int:
    row = ScreenRow(name=name, station=station, token_hash=token_hash, created_at=now)
    session.add(row)
    session.flush()
    return row.id


def screen_for(session: Session, token_hash: str) -> str | None:
    """The name of the paired, unrevoked screen holding this token, or None."""
    return session.scalar(
        select(ScreenRow.name).where(ScreenRow.token_hash == token_hash, ScreenRow.revoked_at.is_(None))
    )


def paired_screen(session: Session, token_hash: str) -> Screen | None:
    """The paired, unrevoked screen holding this token (its name and station), or None."""
    row = session.scalar(
        select(ScreenRow).where(ScreenRow.token_hash == token_hash, ScreenRow.revoked_at.is_(None))
    )
    return None if row is None else Screen(row.id, row.name, row.station, row.created_at, row.revoked_at)


def all_screens(session: Session) -> list[Screen]:
    rows = session.scalars(select(ScreenRow).order_by(ScreenRow.id))
    return [Screen(r.id, r.name, r.station, r.created_at, r.revoked_at) for r in rows]


def revoke(session: Session, screen_id: int, now: datetime) -> bool:
    row = session.get(ScreenRow, screen_id)
    if row is None or row.revoked_at is not None:
        return False
    row.revoked_at = now
    return True


def bump_station(session: Session, order_id: int, station: str, by: str, now: datetime) -> bool:
    """Mark ``station`` done with the order (False when it already was); the order takes a new version, so
    every screen hears of it through the feed."""
    if session.get(StationBumpRow, (order_id, station)) is not None:
        return False
    session.add(StationBumpRow(order_id=order_id, station=station, bumped_at=now, by=by))
    _touch(session, order_id, now)
    return True


def unbump_station(session: Session, order_id: int, station: str, now: datetime) -> bool:
    """Take a station's bump back (the cook bumped too early); False when there was none."""
    row = session.get(StationBumpRow, (order_id, station))
    if row is None:
        return False
    session.delete(row)
    _touch(session, order_id, now)
    return True


def bumps_for(session: Session, order_ids: list[int]) -> dict[int, dict[str, tuple[datetime, str]]]:
    """For each order, the stations that have bumped it: station -> (when, by whom)."""
    out: dict[int, dict[str, tuple[datetime, str]]] = {}
    if not order_ids:
        return out
    rows = session.scalars(select(StationBumpRow).where(StationBumpRow.order_id.in_(order_ids)))
    for row in rows:
        out.setdefault(row.order_id, {})[row.station] = (row.bumped_at, row.by)
    return out


def _touch(session: Session, order_id: int, now: datetime) -> None:
    row = session.get(OrderRow, order_id)
    if row is not None:
        row.updated_at = now
        flag_modified(row, "updated_at")  # an update even at the same instant: a new version for the feed
