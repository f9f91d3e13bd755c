"""The menu catalogue's use cases: list and edit dishes, import them (platform menu APIs, CSV, past orders),
86 a dish on every platform that sells it and read back each platform's answer."""

from __future__ import annotations

import csv
import io
import json
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from sqlalchemy import select
from sqlalchemy.orm import Session

from posapp.connectors.base import Connector
from posapp.connectors.menus import MenuEntry, MenuNotAvailable, fetch_menu
from posapp.domain.kitchen import MenuIndex
from posapp.domain.menu import Dish, PlatformIds
from posapp.errors import ConfigError, PayloadError, PlatformUnavailable, PosappError, PushRejected
from posapp.lazy import httpx
from posapp.services.clock import Clock, utc_now
from posapp.services.kitchen import PUSH_KIND, KitchenService
from posapp.store import audit
from posapp.store import catalogue as repo
from posapp.store.db import Database
from posapp.store.tables import ItemRow, JobRow, MenuItemRow, OrderRow

log = logging.getLogger(__name__)
MENU_MAX = 20_000  # dishes All day reads at most (a menu is a few hundred)
MAX_CSV_BYTES = 2_000_000
MAX_CSV_ROWS = 5000
CSV_PLATFORMS = ("meituan", "eleme", "ubereats", "doordash", "own")
HEADER_ALIASES = {"名称": "name", "菜名": "name", "分类": "category", "档口": "station", "价格": "price"}


class ImportFailed(PosappError):
    """A menu import that changed nothing; the sentence says why (bad CSV row, platform refused...)."""


@dataclass(frozen=True, slots=True)
class ImportReport:
    source: str
    added: int
    updated: int

    @property
    def text(self) -> str:
        return f"{self.source}: {self.added} dishes added, {self.updated} updated"


@dataclass(frozen=True, slots=True)
class PlatformAnswer:
    """What one platform said to the latest sold-out / back-in-stock push of a dish."""

    platform: str
    action: str  # sold_out | in_stock
    state: str  # sent | waiting | refused
    detail: str = ""


class CatalogueService:
    """Everything the catalogue editor asks for; every change is audited, every 86 is a durable push."""

    def __init__(
        self,
        db: Database,
        kitchen: KitchenService,
        *,
        connectors: Callable[[], Mapping[str, Connector]],
        client: Callable[[], httpx.AsyncClient],
        reload_routes: Callable[[], Awaitable[None]] | None = None,
        clock: Clock = utc_now,
    ) -> None:
        self.db = db
        self.kitchen = kitchen
        self.connectors = connectors
        self.client = client
        self.reload_routes = reload_routes
        self.clock = clock

    async def dishes(self, search: str = "") -> list[Dish]:
        return await self.db.run(lambda s: repo.dishes(s, search))

    async def menu_index(self) -> MenuIndex:
        """Every dish by each platform's ids: how All day tells one dish across platforms' spellings."""
        return MenuIndex.of(await self.db.run(lambda s: repo.dishes(s, limit=MENU_MAX)))

    async def save(self, dish: Dish, *, by: str, renamed_from: str | None = None) -> int:
        """Create or change a dish (name, category, station, price, platform ids); print routing follows."""
        now = self.clock()

        def work(session: Session) -> int:
            dish_id = repo.save_dish(session, dish, renamed_from=renamed_from)
            audit.record(session, "menu_edit", by=by, at=now, detail=dish.name)
            return dish_id

        try:
            dish_id = await self.db.run(work)
        except ValueError as exc:
            raise ImportFailed(str(exc)) from exc
        await self._routes_changed()
        return dish_id

    async def set_sold_out(self, name: str, sold_out: bool, *, by: str) -> list[str]:
        """86 a dish (or bring it back): the kitchen's durable push to every platform selling it."""
        return await self.kitchen.set_available(name, not sold_out, by=by)

    # -- imports ---------------------------------------------------------------------------------
    def importable(self) -> list[str]:
        """Platforms set up here whose public API lists a store's menu."""
        from posapp.connectors.menus import can_read_menu

        return [name for name in self.connectors() if can_read_menu(name)]

    async def import_platform(self, platform: str, *, by: str) -> ImportReport:
        connector = self.connectors().get(platform)
        if connector is None:
            raise ImportFailed(f"{platform} is not set up on this counter")
        try:
            entries = await fetch_menu(connector, self.client())
        except MenuNotAvailable as exc:
            raise ImportFailed(str(exc)) from exc
        except (PushRejected, PayloadError, ConfigError) as exc:
            raise ImportFailed(
                f"{connector.display_name or platform} refused the menu import: {exc}"
            ) from exc
        except (PlatformUnavailable, httpx.HTTPError) as exc:
            raise ImportFailed(
                f"Could not reach {connector.display_name or platform} for its menu ({exc}): nothing changed"
            ) from exc
        return await self._merge(platform, [_dish(platform, e) for e in entries], by=by, source=platform)

    async def import_csv(self, data: bytes, *, by: str) -> ImportReport:
        """name, category, station, price (e.g. 32.00), then one column per platform id (meituan, eleme,
        ubereats, doordash, own) and optional ``<platform>_sku``; UTF-8 with or without BOM, or GB18030."""
        if len(data) > MAX_CSV_BYTES:
            raise ImportFailed(f"The CSV is larger than {MAX_CSV_BYTES // 1_000_000} MB: nothing imported")
        dishes = _read_csv(data)
        report = await self._merge("csv", dishes, by=by, source="csv")
        # A CSV is the store's own word: it sets station and price even where the catalogue had one.
        await self.db.run(lambda s: _apply_csv_columns(s, dishes))
        await self._routes_changed()
        return report

    async def import_from_orders(self, *, by: str) -> ImportReport:
        """Every dish orders brought, with the ids each platform's orders carried (today's menu_items)."""

        def work(session: Session) -> list[Dish]:
            rows = session.execute(
                select(ItemRow.name, ItemRow.sku, ItemRow.category, OrderRow.platform)
                .join(OrderRow, OrderRow.id == ItemRow.order_id)
                .distinct()
            ).all()
            found: dict[str, Dish] = {}
            for name, sku, category, platform in rows:
                dish = found.setdefault(name, Dish(name=name, category=category, source="orders"))
                if sku and platform not in dish.platforms:
                    dish.platforms[platform] = PlatformIds(sku)
            return list(found.values())

        dishes = await self.db.run(work)
        added = updated = 0
        for platform in {p for d in dishes for p in d.platforms} | {""}:
            part = [d for d in dishes if platform in d.platforms or (not platform and not d.platforms)]
            report = await self._merge(platform or "orders", part, by=by, source="orders", audit_it=False)
            added, updated = added + report.added, updated + report.updated
        now = self.clock()
        await self.db.run(lambda s: audit.record(s, "menu_import", by=by, at=now, detail="orders"))
        return ImportReport("orders", added, updated)

    async def _merge(
        self, platform: str, dishes: list[Dish], *, by: str, source: str, audit_it: bool = True
    ) -> ImportReport:
        now = self.clock()

        def work(session: Session) -> tuple[int, int]:
            added, updated = repo.merge_imported(session, platform, dishes)
            if audit_it:
                audit.record(session, "menu_import", by=by, at=now, detail=f"{source}: +{added} ~{updated}")
            return added, updated

        added, updated = await self.db.run(work)
        await self._routes_changed()
        log.info("menu import from %s: %s added, %s updated", source, added, updated)
        return ImportReport(source, added, updated)

    async def _routes_changed(self) -> None:
        if self.reload_routes is not None:
            await self.reload_routes()

    # -- what the platforms said -----------------------------------------------------------------
    async def answers(self, name: str) -> list[PlatformAnswer]:
        """Each platform's answer to the dish's latest sold-out / back push: sent, waiting (and why) or
        refused (and why), from the push jobs themselves."""

        def work(session: Session) -> list[PlatformAnswer]:
            rows = session.scalars(
                select(JobRow)
                .where(JobRow.kind == PUSH_KIND, JobRow.lane.like("%:menu"))
                .order_by(JobRow.id.desc())
                .limit(500)
            ).all()
            seen: dict[str, PlatformAnswer] = {}
            for row in rows:
                payload = json.loads(row.payload)
                if payload.get("item") != name or row.target in seen:
                    continue
                state = {"done": "sent", "parked": "refused"}.get(row.state, "waiting")
                seen[row.target] = PlatformAnswer(
                    row.target, str(payload.get("action")), state, row.last_error or ""
                )
            return sorted(seen.values(), key=lambda a: a.platform)

        return await self.db.run(work, background=True)


def _dish(platform: str, entry: MenuEntry) -> Dish:
    return Dish(
        name=entry.name,
        category=entry.category,
        price=entry.price,
        platforms={platform: PlatformIds(entry.item_id, entry.sku_id)},
        source=platform,
    )


def _text(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFailed("The CSV is neither UTF-8 nor GB18030 text: nothing imported")


def _price(text: str, line: int) -> int | None:
    text = text.strip().lstrip("¥$€£").replace(",", "")
    if not text:
        return None
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise ImportFailed(f"CSV line {line}: price {text!r} is not a number: nothing imported") from None
    if not amount.is_finite() or amount < 0 or amount > 1_000_000:
        raise ImportFailed(f"CSV line {line}: price {text!r} is not a plausible price: nothing imported")
    return int((amount * 100).to_integral_value())


def _read_csv(data: bytes) -> list[Dish]:
    reader = csv.DictReader(io.StringIO(_text(data)))
    fields = [HEADER_ALIASES.get(f.strip(), f.strip().lower()) for f in reader.fieldnames or []]
    if "name" not in fields:
        raise ImportFailed("The CSV needs a header row with a name/名称 column: nothing imported")
    reader.fieldnames = fields
    dishes: list[Dish] = []
    for line, row in enumerate(reader, start=2):
        if line > MAX_CSV_ROWS + 1:
            raise ImportFailed(f"The CSV has more than {MAX_CSV_ROWS} dishes: nothing imported")
        cells = {k: (v or "").strip() for k, v in row.items() if isinstance(k, str)}
        name = cells.get("name", "")
        if not name:
            continue
        if len(name) > repo.MAX_NAME:
            raise ImportFailed(f"CSV line {line}: the name is longer than {repo.MAX_NAME} characters")
        platforms = {
            p: PlatformIds(cells[p][:128], (cells.get(f"{p}_sku") or None))
            for p in CSV_PLATFORMS
            if cells.get(p)
        }
        dishes.append(
            Dish(
                name=name,
                category=cells.get("category", "")[:64] or None,
                station=cells.get("station", "")[:64] or None,
                price=_price(cells.get("price", ""), line),
                platforms=platforms,
                source="csv",
            )
        )
    return dishes


def _apply_csv_columns(session: Session, dishes: list[Dish]) -> None:
    for dish in dishes:
        row = session.scalar(select(MenuItemRow).where(MenuItemRow.name == dish.name))
        if row is None:
            continue
        row.station = dish.station or row.station
        row.category = dish.category or row.category
        row.price = dish.price if dish.price is not None else row.price
        for platform, ids in dish.platforms.items():
            repo.merge_imported(session, platform, [Dish(name=dish.name, platforms={platform: ids})])
