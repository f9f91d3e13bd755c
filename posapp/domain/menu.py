"""A dish of the store's menu catalogue and its ids on each platform: plain values the screens and services share."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class PlatformIds:
    """A dish on one platform: the item id an availability push names, and its SKU/spec where it has one."""

    item_id: str
    sku_id: str | None = None


@dataclass(frozen=True, slots=True)
class Dish:
    """One dish of the catalogue (never an ORM row)."""

    name: str
    category: str | None = None
    station: str | None = None
    price: int | None = None  # minor units of the store's currency
    available: bool = True
    platforms: dict[str, PlatformIds] = field(default_factory=dict)
    id: int | None = None
    source: str | None = None  # where it came from: orders, csv, meituan, settings ...
