"""Small persistent switches as JSON values, and the menu the kitchen can mark sold out."""

from __future__ import annotations

import json
from collections.abc import Set as AbstractSet
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from posapp.domain.order import Order
from posapp.store.tables import AuditRow, ItemRow, MenuItemRow, OrderRow, SettingRow


def get_setting(session: Session, key: str, default: Any = None) -> Any:
    row = session.get(SettingRow, key)
    return default if row is None else json.loads(row.value)


def set_setting(session: Session, key: str, value: Any, *, now: datetime, by: str) -> None:
    """Store a setting and audit who changed it."""
    text = put_state(session, key, value, now=now)
    session.add(AuditRow(at=now, by=by, action="setting", detail=f"{key} = {text}"))


def put_state(session: Session, key: str, value: Any, *, now: datetime) -> str:
    """Keep a piece of working state (not a setting people change: no audit row of its own); returns its JSON."""
    row = session.get(SettingRow, key)
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    if row is None:
        session.add(SettingRow(key=key, value=text, updated_at=now))
    else:
        row.value = text
        row.updated_at = now
    return text


def remember_menu_items(session: Session, order: Order, known: AbstractSet[str] = frozenset()) -> set[str]:
    """Every dish an order brings becomes a menu entry the kitchen can mark sold out.

    ``known`` holds names the caller has seen on the menu before (menu entries are never deleted): only the
    other names are looked up. Returns the order's names, all on the menu once this transaction commits —
    add them to ``known`` only then, as a rolled-back insert leaves the name off the menu.
    """
    names = {item.name for item in order.items}
    unknown = names - known
    if not unknown:
        return names
    found = set(session.scalars(select(MenuItemRow.name).where(MenuItemRow.name.in_(unknown))).all())
    for item in order.items:
        if item.name not in known and item.name not in found:
            session.add(MenuItemRow(name=item.name, sku=item.sku, category=item.category, available=True))
            found.add(item.name)
    return names


def menu(session: Session) -> list[tuple[str, str | None, bool]]:
    """(name, category, available) of every known dish, by category then name."""
    rows = session.execute(
        select(MenuItemRow.name, MenuItemRow.category, MenuItemRow.available).order_by(
            MenuItemRow.category, MenuItemRow.name
        )
    ).all()
    return [(r[0], r[1], bool(r[2])) for r in rows]


def set_available(session: Session, name: str, available: bool) -> str | None:
    """Mark a dish sold out or back; returns its sku."""
    row = session.scalars(select(MenuItemRow).where(MenuItemRow.name == name)).first()
    if row is None:
        row = MenuItemRow(name=name, available=available)
        session.add(row)
    row.available = available
    return row.sku


def platforms_selling(session: Session, name: str) -> list[tuple[str, str | None]]:
    """(platform, sku) pairs under which this dish has been ordered: where a sold-out must be pushed."""
    rows = session.execute(
        select(OrderRow.platform, ItemRow.sku)
        .join(ItemRow, ItemRow.order_id == OrderRow.id)
        .where(ItemRow.name == name)
        .distinct()
    ).all()
    return [(r[0], r[1]) for r in rows]
