"""Where the Meituan and Ele.me fixtures live, and the checks every normalized order must pass."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

from posapp.domain.order import Order
from posapp.resources import ORDER_SCHEMA, resource

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
SHARED = ROOT.parent / "shared"  # the steering repo's shared/ folder sits beside this checkout
SAMPLES = SHARED / "samples"
SCHEMA = json.loads(resource(*ORDER_SCHEMA).read_text(encoding="utf-8"))  # the copy shipped with posapp


def payload_files(platform: str) -> list[Path]:
    """Every fixture order payload of ``platform`` (sidecar ``.source`` notes excluded; pushes that carry no
    order, such as a cancellation, live in the ``events/`` folder beside them) and shared samples."""
    files = sorted(p for p in (FIXTURES / platform).iterdir() if p.is_file() and p.suffix != ".source")
    if SAMPLES.is_dir():
        files += sorted(SAMPLES.glob(f"{platform}_*.json"))
    return files


def has_source_note(path: Path) -> bool:
    if path.with_name(path.name + ".source").exists():
        return True
    return path.suffix == ".json" and "_source" in json.loads(path.read_text(encoding="utf-8"))


def assert_canonical(order: Order) -> None:
    """Schema-valid, aware times, and items + fees + tax + tip - discounts = total to the fen."""
    jsonschema.validate(order.to_canonical(), SCHEMA)
    assert order.placed_at.tzinfo is not None
    assert order.currency == "CNY"
    downgraded = order.notes is not None and order.notes.startswith("饿了么降级订单")
    if not downgraded:  # a downgraded Ele.me order says so on the card instead of adding up
        assert order.totals.reconciliation_gap() == 0, order.totals
