"""The connectors by name, for the CLI and the composition root."""

from __future__ import annotations

from pathlib import Path

from posapp.connectors.base import Connector
from posapp.connectors.demo import DemoConnector
from posapp.connectors.doordash import DoorDashConnector
from posapp.connectors.eleme import ElemeConnector
from posapp.connectors.meituan import MeituanConnector
from posapp.connectors.own import OwnConnector
from posapp.connectors.ubereats import UberEatsConnector
from posapp.domain.order import Order
from posapp.errors import PayloadError

CONNECTORS: dict[str, type[Connector]] = {
    "demo": DemoConnector,
    "meituan": MeituanConnector,
    "eleme": ElemeConnector,
    "ubereats": UberEatsConnector,
    "doordash": DoorDashConnector,
    "own": OwnConnector,
}


def make(name: str, *, base_url: str = "http://127.0.0.1", app_id: str = "", secret: str = "") -> Connector:
    try:
        cls = CONNECTORS[name]
    except KeyError:
        raise PayloadError(
            f"unknown platform {name!r}; choose from {', '.join(sorted(CONNECTORS))}"
        ) from None
    return cls(base_url=base_url, app_id=app_id, secret=secret)


def parse_file(platform: str, path: str | Path) -> list[Order]:
    """Parse a saved payload file into orders (platform events in it are ignored)."""
    body = Path(path).read_bytes()
    connector = make(platform)
    orders = [m for m in connector.parse(body) if isinstance(m, Order)]
    if not orders:
        raise PayloadError("the payload holds no order")
    return orders
