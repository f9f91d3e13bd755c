"""Reading a store's menu from the platforms whose public API lists it (menu catalogue import).

Each platform's call is signed by its own connector (meituan.signed, eleme.call, ubereats' bearer token); the
answers are mapped here to :class:`MenuEntry`, once. What each public API allows:

- Meituan Waimai: 查询门店菜品列表 ``GET /api/v1/food/list`` (app_poi_code, offset, limit <= 200), the
  food API whose ``food/sku/sellStatus`` posapp already calls for an 86; each food has ``app_food_code``,
  ``name``, ``price`` (yuan), ``category_name`` and ``skus`` (a JSON text of ``sku_id``/``price``).
  Source: open-shangou.meituan.com food docs (菜品类 API), the same family as food/sku/sellStatus.
- Ele.me: 分页获取店铺下的商品 ``eleme.product.item.queryItemByPage`` with ``{"queryPage": {"shopId",
  "offset", "limit"}}`` (items with ``id``, ``name``, ``categoryId`` and ``specs`` of ``specId``/``price``),
  and 查询店铺商品分类 ``eleme.product.category.getShopCategories`` for the category names. Source: the
  official eleme-openapi SDKs (python ``ProductService.query_item_by_page``, php ``query_item_by_page``).
- Uber Eats: Get Menu ``GET /v2/eats/stores/{store_id}/menus`` (the v2 Menu API: ``items`` with ``id``,
  ``title.translations``, ``price_info.price`` in minor units, ``external_data``; ``categories`` whose
  ``entities`` name the items). Source: developer.uber.com/docs/eats/guides/menu-integration and
  .../references/api/v2/example-menu-payloads.
- DoorDash: not possible. The Marketplace API takes a menu from the partner (create/update menu) and pulls
  it from the partner's own endpoint; it has no public call that lists a store's menu back
  (developer.doordash.com Marketplace menu docs). posapp learns DoorDash dishes from orders or a CSV.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import quote

from posapp.connectors.base import Connector
from posapp.errors import PayloadError, PlatformUnavailable, PushRejected
from posapp.lazy import httpx

MEITUAN_PAGE = 200  # food/list: limit at most 200
ELEME_PAGE = 300  # queryItemByPage: limit at most 300
MAX_DISHES = 5000  # a menu longer than this is not a restaurant's: stop reading


class MenuNotAvailable(Exception):
    """This platform's public API cannot list a store's menu: the sentence says so."""


@dataclass(frozen=True, slots=True)
class MenuEntry:
    """One dish as a platform lists it: its name, ids for availability pushes, category and price."""

    name: str
    item_id: str
    sku_id: str | None = None
    category: str | None = None
    price: int | None = None  # minor units


def can_read_menu(platform: str) -> bool:
    return platform in ("meituan", "eleme", "ubereats")


async def fetch_menu(connector: Connector, client: httpx.AsyncClient) -> list[MenuEntry]:
    """Every dish the platform lists for our store; ``MenuNotAvailable`` where its API has no such call."""
    match connector.name:
        case "meituan":
            return await _meituan(connector, client)
        case "eleme":
            return await _eleme(connector, client)
        case "ubereats":
            return await _ubereats(connector, client)
    raise MenuNotAvailable(
        f"{connector.display_name or connector.name}'s public API has no call that lists a store's menu: "
        "import its dishes from a CSV, or let them arrive with its orders"
    )


def _fen(value: Any, what: str) -> int | None:
    """Yuan as the Chinese platforms send it (a number or a string) -> fen, through Decimal."""
    if value is None or value == "":
        return None
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise PayloadError(f"{what} is not a price: {value!r}") from None
    if not amount.is_finite() or amount < 0 or amount > 1_000_000:
        raise PayloadError(f"{what} is not a plausible price: {value!r}")
    return int((amount * 100).to_integral_value())


def _name(value: Any, what: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise PayloadError(f"{what} has no name")
    return value.strip()[:256]


def _ident(value: Any, what: str) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int) or not str(value).strip():
        raise PayloadError(f"{what} has no id")
    return str(value).strip()[:128]


async def _meituan(connector: Any, client: httpx.AsyncClient) -> list[MenuEntry]:
    url = f"{connector.base_url}/api/v1/food/list"
    out: list[MenuEntry] = []
    offset = 0
    while len(out) < MAX_DISHES:
        params = {"app_poi_code": connector.poi_code, "offset": str(offset), "limit": str(MEITUAN_PAGE)}
        resp = await client.get(url, params=connector.signed(url, params), timeout=10.0)
        resp.raise_for_status()
        answer = _json(resp, "美团 food/list")
        error = answer.get("error")
        if isinstance(error, dict) and error:
            raise PushRejected(f"美团 refused food/list: {error.get('code', '?')} {error.get('msg', '')}")
        foods = answer.get("data")
        if not isinstance(foods, list):
            raise PayloadError("美团 food/list answered without a data list")
        for i, food in enumerate(foods):
            out.append(_meituan_food(food, f"美团 food {offset + i}"))
        if len(foods) < MEITUAN_PAGE:
            break
        offset += MEITUAN_PAGE
    return out


def _meituan_food(food: Any, what: str) -> MenuEntry:
    if not isinstance(food, dict):
        raise PayloadError(f"{what} is not an object")
    code = _ident(food.get("app_food_code"), what)
    skus = food.get("skus")
    if isinstance(skus, str):  # food/list sends skus as a JSON text
        try:
            skus = json.loads(skus) if skus.strip() else []
        except ValueError:
            raise PayloadError(f"{what}: skus is not JSON") from None
    first = skus[0] if isinstance(skus, list) and skus and isinstance(skus[0], dict) else {}
    price = food.get("price") if food.get("price") not in (None, "") else first.get("price")
    sku_id = first.get("sku_id")
    return MenuEntry(
        name=_name(food.get("name"), what),
        item_id=code,
        sku_id=_ident(sku_id, what) if sku_id not in (None, "") else None,
        category=str(food.get("category_name") or "").strip()[:64] or None,
        price=_fen(price, f"{what} price"),
    )


async def _eleme(connector: Any, client: httpx.AsyncClient) -> list[MenuEntry]:
    shop = int(connector.shop_id) if str(connector.shop_id).isdigit() else connector.shop_id
    categories = await connector.call(client, "eleme.product.category.getShopCategories", {"shopId": shop})
    names = {
        str(c.get("id")): str(c.get("name") or "")[:64]
        for c in categories or []
        if isinstance(c, dict) and c.get("id") is not None
    }
    out: list[MenuEntry] = []
    offset = 0
    while len(out) < MAX_DISHES:
        page = {"shopId": shop, "offset": offset, "limit": ELEME_PAGE}
        items = await connector.call(client, "eleme.product.item.queryItemByPage", {"queryPage": page})
        if not isinstance(items, list):
            raise PayloadError("饿了么 queryItemByPage answered without a list of items")
        for i, item in enumerate(items):
            what = f"饿了么 item {offset + i}"
            if not isinstance(item, dict):
                raise PayloadError(f"{what} is not an object")
            specs = [s for s in item.get("specs") or [] if isinstance(s, dict)]
            spec = specs[0] if specs else {}
            out.append(
                MenuEntry(
                    name=_name(item.get("name"), what),
                    item_id=_ident(item.get("id"), what),
                    sku_id=_ident(spec["specId"], what) if spec.get("specId") not in (None, "") else None,
                    category=names.get(str(item.get("categoryId"))) or None,
                    price=_fen(spec.get("price"), f"{what} price"),
                )
            )
        if len(items) < ELEME_PAGE:
            break
        offset += ELEME_PAGE
    return out


async def _ubereats(connector: Any, client: httpx.AsyncClient) -> list[MenuEntry]:
    if not connector.store_id:
        raise PushRejected("Uber Eats menu import needs the store id ([platforms.ubereats] store_id)")
    resp = await connector.call(client, "GET", f"/v2/eats/stores/{quote(connector.store_id, safe='')}/menus")
    if resp.status_code >= 500:
        raise PlatformUnavailable(f"Uber Eats Get Menu answered HTTP {resp.status_code}")
    if resp.status_code != 200:
        raise PushRejected(f"Uber Eats refused Get Menu: HTTP {resp.status_code} {resp.text[:200]}")
    menu = _json(resp, "Uber Eats Get Menu")
    category_of: dict[str, str] = {}
    for category in menu.get("categories") or []:
        if not isinstance(category, dict):
            continue
        title = _translated(category.get("title"))
        for entity in category.get("entities") or []:
            if isinstance(entity, dict) and entity.get("id") is not None and title:
                category_of.setdefault(str(entity["id"]), title[:64])
    out: list[MenuEntry] = []
    for i, item in enumerate(menu.get("items") or []):
        what = f"Uber Eats item {i}"
        if not isinstance(item, dict):
            raise PayloadError(f"{what} is not an object")
        item_id = _ident(item.get("id"), what)
        price = (
            (item.get("price_info") or {}).get("price") if isinstance(item.get("price_info"), dict) else None
        )
        if price is not None and (isinstance(price, bool) or not isinstance(price, int) or price < 0):
            raise PayloadError(f"{what} price_info.price is not whole minor units: {price!r}")
        out.append(
            MenuEntry(
                name=_name(_translated(item.get("title")), what),
                item_id=item_id,
                category=category_of.get(item_id),
                price=price,
            )
        )
        if len(out) >= MAX_DISHES:
            break
    return out


def _translated(title: Any) -> str:
    """A v2 menu title: ``{"translations": {"en_us": "..."}}``; the first language given."""
    if isinstance(title, dict) and isinstance(title.get("translations"), dict):
        for value in title["translations"].values():
            if isinstance(value, str) and value.strip():
                return value.strip()
    return ""


def _json(resp: Any, what: str) -> dict[str, Any]:
    try:
        answer = resp.json()
    except ValueError as exc:
        raise PlatformUnavailable(f"{what} answered with something that is not JSON") from exc
    if not isinstance(answer, dict):
        raise PayloadError(f"{what} answered with {type(answer).__name__}, not an object")
    return answer
