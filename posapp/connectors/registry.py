"""The connectors by name, for the CLI and the composition root."""

from __future__ import annotations

from importlib import import_module
from pathlib import Path

from posapp.connectors.base import Connector
from posapp.domain.order import Order
from posapp.errors import PayloadError

# Imported when first asked for: a counter imports only the platforms it is set up for (start-up time).
CONNECTORS: dict[str, str] = {
    "demo": "posapp.connectors.demo:DemoConnector",
    "meituan": "posapp.connectors.meituan:MeituanConnector",
    "eleme": "posapp.connectors.eleme:ElemeConnector",
    "ubereats": "posapp.connectors.ubereats:UberEatsConnector",
    "doordash": "posapp.connectors.doordash:DoorDashConnector",
    "own": "posapp.connectors.own:OwnConnector",
}


def connector_class(name: str) -> type[Connector]:
    try:
        module, _, cls = CONNECTORS[name].partition(":")
    except KeyError:
        raise PayloadError(
            f"unknown platform {name!r}; choose from {', '.join(sorted(CONNECTORS))}"
        ) from None
    found: type[Connector] = getattr(import_module(module), cls)
    return found


def make(name: str, *, base_url: str = "http://127.0.0.1", app_id: str = "", secret: str = "") -> Connector:
    return connector_class(name)(base_url=base_url, app_id=app_id, secret=secret)


def parse_file(platform: str, path: str | Path) -> list[Order]:
    """Parse a saved payload file into orders (platform events in it are ignored)."""
    body = Path(path).read_bytes()
    connector = make(platform)
    orders = [m for m in connector.parse(body) if isinstance(m, Order)]
    if not orders:
        raise PayloadError("the payload holds no order")
    return orders
