"""Orders on the wire (docs/screen-api.md) as the domain ``Order`` the cards paint, whole or for one station."""

from __future__ import annotations

import dataclasses
from typing import Any

from posapp.domain.order import Order, order_from_canonical
from posapp.errors import PayloadError


def wire_id(data: dict[str, Any]) -> int:
    """The engine's id of a wire order; ``PayloadError`` when it has none."""
    value = data.get("id")
    if isinstance(value, bool) or not isinstance(value, int):
        raise PayloadError(f"a wire order without an integer id: {value!r}")
    return value


def wire_version(data: dict[str, Any]) -> int:
    value = data.get("version")
    if isinstance(value, bool) or not isinstance(value, int):
        raise PayloadError(f"order {data.get('id')!r} on the wire has no integer version")
    return value


def station_items(data: dict[str, Any], station: str | None) -> list[dict[str, Any]]:
    """The order's items a station makes: all of them for the counter (``station`` None)."""
    items = [it for it in data.get("items") or () if isinstance(it, dict)]
    if station is None:
        return items
    return [it for it in items if it.get("station") == station]


def order_from_wire(data: dict[str, Any], station: str | None = None) -> Order | None:
    """The card's ``Order``: only ``station``'s items when one is given; None when it makes none of them."""
    items = station_items(data, station)
    if not items:
        return None
    order = order_from_canonical({**data, "items": items})
    reminders = data.get("reminders") or 0
    return dataclasses.replace(
        order,
        id=wire_id(data),
        reminders=reminders if isinstance(reminders, int) and not isinstance(reminders, bool) else 0,
        rider_status=_opt_text(data.get("rider_status")),
        status_reason=_opt_text(data.get("status_reason")),
    )


def _opt_text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def station_marks(data: dict[str, Any]) -> dict[str, bool]:
    """Each station the order goes to and whether it has bumped it, in the engine's order (the expo's view)."""
    stations = data.get("stations")
    if not isinstance(stations, dict):
        return {}
    return {
        str(name): bool(state.get("done")) if isinstance(state, dict) else False
        for name, state in stations.items()
    }
