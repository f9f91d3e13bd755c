"""Staff accounts: names, roles, salted PIN hashes and the wrong-PIN counters. Rows never leave here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from posapp.errors import NotFoundError
from posapp.store.tables import UserRow


@dataclass(frozen=True, slots=True)
class UserRecord:
    id: int
    name: str
    role: str
    pin_hash: str
    failed_attempts: int
    locked_until: datetime | None


def _record(row: UserRow) -> UserRecord:
    return UserRecord(row.id, row.name, row.role, row.pin_hash, row.failed_attempts or 0, row.locked_until)


def user_count(session: Session) -> int:
    return session.scalar(select(func.count(UserRow.id))) or 0


def list_users(session: Session) -> list[UserRecord]:
    return [_record(r) for r in session.scalars(select(UserRow).order_by(UserRow.name))]


def find_user(session: Session, name: str) -> UserRecord | None:
    row = session.scalar(select(UserRow).where(UserRow.name == name))
    return None if row is None else _record(row)


def add_user(session: Session, name: str, role: str, pin_hash: str) -> int:
    row = UserRow(name=name, role=role, pin_hash=pin_hash, failed_attempts=0, locked_until=None)
    session.add(row)
    session.flush()
    return row.id


def set_pin_hash(session: Session, user_id: int, pin_hash: str) -> None:
    row = session.get(UserRow, user_id)
    if row is None:
        raise NotFoundError(f"user {user_id} does not exist")
    row.pin_hash = pin_hash


def set_attempts(session: Session, user_id: int, failed: int, locked_until: datetime | None) -> None:
    row = session.get(UserRow, user_id)
    if row is None:
        raise NotFoundError(f"user {user_id} does not exist")
    row.failed_attempts = failed
    row.locked_until = locked_until


def delete_user(session: Session, user_id: int) -> None:
    row = session.get(UserRow, user_id)
    if row is None:
        raise NotFoundError(f"user {user_id} does not exist")
    session.delete(row)
