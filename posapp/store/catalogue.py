"""The menu catalogue: dishes with category, station, price, sold-out state and each platform's ids."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from posapp.domain.menu import Dish, PlatformIds
from posapp.store.tables import MenuItemPlatformRow, MenuItemRow

__all__ = ["Dish", "PlatformIds", "dishes", "get_dish", "merge_imported", "platform_ids", "save_dish"]

MAX_NAME = 256


def _dish(row: MenuItemRow, ids: Iterable[MenuItemPlatformRow]) -> Dish:
    return Dish(
        name=row.name,
        category=row.category,
        station=row.station,
        price=row.price,
        available=bool(row.available),
        platforms={p.platform: PlatformIds(p.item_id, p.sku_id) for p in ids},
        id=row.id,
        source=row.source,
    )


def dishes(session: Session, search: str = "", *, limit: int = 500) -> list[Dish]:
    """Dishes by category then name; ``search`` matches the name, category or a platform id (any case)."""
    query = select(MenuItemRow)
    text = search.strip()
    if text:
        like = f"%{text.replace('%', '').replace('_', '')}%"
        by_id = select(MenuItemPlatformRow.menu_item_id).where(MenuItemPlatformRow.item_id.ilike(like))
        query = query.where(
            or_(MenuItemRow.name.ilike(like), MenuItemRow.category.ilike(like), MenuItemRow.id.in_(by_id))
        )
    rows = session.scalars(query.order_by(MenuItemRow.category, MenuItemRow.name).limit(limit)).all()
    ids = _ids_of(session, [r.id for r in rows])
    return [_dish(r, ids.get(r.id, [])) for r in rows]


def _ids_of(session: Session, item_ids: list[int]) -> dict[int, list[MenuItemPlatformRow]]:
    out: dict[int, list[MenuItemPlatformRow]] = {}
    if not item_ids:
        return out
    for p in session.scalars(
        select(MenuItemPlatformRow).where(MenuItemPlatformRow.menu_item_id.in_(item_ids))
    ).all():
        out.setdefault(p.menu_item_id, []).append(p)
    return out


def get_dish(session: Session, name: str) -> Dish | None:
    row = session.scalar(select(MenuItemRow).where(MenuItemRow.name == name))
    return None if row is None else _dish(row, _ids_of(session, [row.id]).get(row.id, []))


def count(session: Session) -> int:
    return int(session.scalar(select(func.count(MenuItemRow.id))) or 0)


def save_dish(session: Session, dish: Dish, *, renamed_from: str | None = None) -> int:
    """Create or update a dish by name (``renamed_from``: its old name); its platform ids are replaced."""
    name = dish.name.strip()[:MAX_NAME]
    if not name:
        raise ValueError("a dish needs a name")
    row = session.scalar(select(MenuItemRow).where(MenuItemRow.name == (renamed_from or name)))
    if row is None:
        row = MenuItemRow(name=name, available=True)
        session.add(row)
    row.name = name
    row.category = dish.category or None
    row.station = dish.station or None
    row.price = dish.price
    row.available = dish.available
    row.source = row.source or dish.source
    session.flush()
    session.execute(delete(MenuItemPlatformRow).where(MenuItemPlatformRow.menu_item_id == row.id))
    for platform, ids in dish.platforms.items():
        session.add(
            MenuItemPlatformRow(
                menu_item_id=row.id, platform=platform, item_id=ids.item_id, sku_id=ids.sku_id
            )
        )
    first = dish.platforms.get(next(iter(dish.platforms), ""))
    if first is not None and not row.sku:  # the old single sku column: what print routing matches first
        row.sku = first.item_id
    return row.id


def merge_imported(session: Session, platform: str, found: Iterable[Dish]) -> tuple[int, int]:
    """Dishes read from a platform's menu (or a CSV): a dish of the same name, or already holding that
    platform id, gets the platform's ids, and a price or category it lacks; others are added.
    Station and sold-out state stay as the kitchen set them. Returns (added, updated)."""
    added = updated = 0
    for dish in found:
        ids = dish.platforms.get(platform)
        row = session.scalar(select(MenuItemRow).where(MenuItemRow.name == dish.name))
        if row is None and ids is not None:
            row = session.scalar(
                select(MenuItemRow)
                .join(MenuItemPlatformRow, MenuItemPlatformRow.menu_item_id == MenuItemRow.id)
                .where(MenuItemPlatformRow.platform == platform, MenuItemPlatformRow.item_id == ids.item_id)
            )
        if row is None:
            save_dish(session, dish)
            added += 1
            continue
        row.category = row.category or dish.category
        row.price = row.price if row.price is not None else dish.price
        row.station = row.station or dish.station
        if ids is not None:
            link = session.scalar(
                select(MenuItemPlatformRow).where(
                    MenuItemPlatformRow.menu_item_id == row.id, MenuItemPlatformRow.platform == platform
                )
            )
            if link is None:
                session.add(
                    MenuItemPlatformRow(
                        menu_item_id=row.id, platform=platform, item_id=ids.item_id, sku_id=ids.sku_id
                    )
                )
            else:
                link.item_id, link.sku_id = ids.item_id, ids.sku_id
        updated += 1
    session.flush()
    return added, updated


def platform_ids(session: Session, name: str) -> dict[str, PlatformIds]:
    """Each platform's ids for the dish called ``name`` (empty when the catalogue has none)."""
    dish = get_dish(session, name)
    return {} if dish is None else dict(dish.platforms)
