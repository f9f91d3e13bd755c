"""Which kitchen station makes what: the menu's station and category per item, read for print routing."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from posapp.store.tables import MenuItemPlatformRow, MenuItemRow


@dataclass(frozen=True, slots=True)
class MenuRoute:
    name: str
    sku: str | None
    category: str | None
    station: str | None


def menu_routes(session: Session) -> list[MenuRoute]:
    """Every menu item with a station or a category: what the print router needs, nothing more."""
    rows = session.execute(
        select(MenuItemRow.name, MenuItemRow.sku, MenuItemRow.category, MenuItemRow.station)
    ).all()
    routes = [MenuRoute(name, sku, category, station) for name, sku, category, station in rows]
    # Each platform's id for a catalogue dish routes too: an order names the dish by that id, and its
    # name may differ from the catalogue's (a translated or renamed menu).
    by_id = session.execute(
        select(MenuItemRow.name, MenuItemPlatformRow.item_id, MenuItemRow.category, MenuItemRow.station).join(
            MenuItemPlatformRow, MenuItemPlatformRow.menu_item_id == MenuItemRow.id
        )
    ).all()
    return routes + [
        MenuRoute(name, item_id, category, station) for name, item_id, category, station in by_id
    ]


def set_station(session: Session, name: str, station: str | None, *, category: str | None = None) -> None:
    """Route a menu item to a station (creating the menu row if it is not there yet)."""
    row = session.scalar(select(MenuItemRow).where(MenuItemRow.name == name))
    if row is None:
        row = MenuItemRow(name=name, available=True)
        session.add(row)
    row.station = station
    if category is not None:
        row.category = category
