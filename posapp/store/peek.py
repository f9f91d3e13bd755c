"""A read-only look at the database with the standard library alone: what the counter paints before the engine
(and SQLAlchemy, a third of the start-up) has loaded.

``peek(data_dir)`` reads the open orders, the latest change number and the stored settings only when the
file is already at the bundled migration head; anything else (no file yet, an older schema, a damaged file, a
lock) answers None and the app starts the ordinary way. It never writes. No Qt, no SQLAlchemy here: the
row-to-order conversion below is also the store's (``store.orders``), so both read orders alike.
"""

from __future__ import annotations

import ast
import json
import re
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from posapp.domain.lifecycle import OPEN_STATUSES
from posapp.domain.order import (
    TOTALS,
    Customer,
    Fulfillment,
    LineItem,
    Modifier,
    Order,
    OrderStatus,
    Payment,
    Totals,
)
from posapp.errors import PosappError

DB_FILENAME = "posapp.db"
MIGRATIONS = Path(__file__).with_name("migrations")

_ASSIGNMENT = re.compile(r"^(revision|down_revision)\s*(?::[^=]*)?=\s*(.+?)\s*$", re.MULTILINE)


def bundled_head(versions: Path = MIGRATIONS / "versions") -> str | None:
    """The one head of the migration scripts in ``versions``, read from their text; None when unsure
    (two heads, a script written in a way this reading does not follow): Alembic then decides."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for script in versions.glob("[!_]*.py"):
        fields = dict(_ASSIGNMENT.findall(script.read_text(encoding="utf-8")))
        try:
            revision = ast.literal_eval(fields["revision"])
            down = ast.literal_eval(fields.get("down_revision", "None"))
        except (KeyError, ValueError, SyntaxError):
            return None
        if not isinstance(revision, str):
            return None
        revisions.add(revision)
        parents.update(_names(down))
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def _names(down: object) -> Iterable[str]:
    """``down_revision`` is None, one id, or a tuple of ids (a merge)."""
    if isinstance(down, str):
        return [down]
    if isinstance(down, tuple | list):
        return [d for d in down if isinstance(d, str)]
    return []


def to_order(row: Any, opened: Callable[[str, str | None], str | None] | None = None) -> Order:
    """A stored order (an ORM row, or a peeked one: anything with the columns as attributes and ``items``,
    each with ``modifiers``) as the domain's ``Order``. ``opened(column, value)`` gives the plain text of a
    sealed personal field (store/sealed.py) in an encrypted database."""
    name, phone, address, notes = row.customer_name, row.customer_phone, row.customer_address, row.notes
    if opened is not None:
        name, phone = opened("customer_name", name), opened("customer_phone", phone)
        address, notes = opened("customer_address", address), opened("notes", notes)
    customer = None
    if any((name, phone, address, row.customer_order_count)):
        customer = Customer(name, phone, address, row.customer_order_count)
    return Order(
        id=row.id,
        platform=row.platform,
        external_id=row.external_id,
        display_id=row.display_id,
        status=OrderStatus(row.status),
        status_reason=row.status_reason,
        fulfillment=Fulfillment(row.fulfillment),
        placed_at=row.placed_at,
        due_at=row.due_at,
        currency=row.currency,
        customer=customer,
        items=tuple(
            LineItem(
                name=i.name,
                quantity=i.quantity,
                unit_price=i.unit_price,
                sku=i.sku,
                note=i.note,
                category=i.category,
                modifiers=tuple(Modifier(m.name, m.quantity, m.unit_price) for m in i.modifiers),
            )
            for i in row.items
        ),
        totals=Totals(**{name: getattr(row, name) for name in TOTALS}),
        payment=None if row.payment_method is None else Payment(row.payment_method, bool(row.paid)),
        notes=notes,
        rider_status=row.rider_status,
        reminders=row.reminders,
        version=row.version,
        seq=row.seq,
    )


@dataclass(frozen=True, slots=True)
class Peek:
    cursor: int  # the change number of the latest change: a feed from here misses nothing
    orders: list[Order]
    settings: dict[str, Any] = field(default_factory=dict)  # stored settings by key (JSON values)


_ORDER_TIMES = ("placed_at", "due_at", "created_at", "updated_at", "accepted_at", "ready_at", "closed_at")


def peek(data_dir: Path) -> Peek | None:
    """The open orders and stored settings, or None when the database is not there or not at the bundled
    head, or cannot be read right now (the engine then opens it the ordinary way and says what is wrong)."""
    path = data_dir / DB_FILENAME
    head = bundled_head()
    if head is None or not path.is_file():
        return None
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=0.5)
    except sqlite3.Error:
        return None
    try:
        conn.row_factory = sqlite3.Row
        conn.execute("BEGIN")  # one snapshot for the version, the orders and the cursor
        versions = [r[0] for r in conn.execute("SELECT version_num FROM alembic_version")]
        if versions != [head]:
            return None
        return _read(conn)
    except (sqlite3.Error, ValueError, KeyError, TypeError, PosappError):
        return None
    finally:
        conn.close()


def _read(conn: sqlite3.Connection) -> Peek:
    statuses = [s.value for s in OPEN_STATUSES]
    marks = ",".join("?" * len(statuses))
    rows = conn.execute(
        f"SELECT * FROM orders WHERE status IN ({marks}) ORDER BY placed_at, id",  # noqa: S608 (marks only)
        statuses,
    ).fetchall()
    open_ids = f"SELECT id FROM orders WHERE status IN ({marks})"  # noqa: S608 (marks only)
    items: dict[int, list[SimpleNamespace]] = {r["id"]: [] for r in rows}
    by_item: dict[int, SimpleNamespace] = {}
    for r in conn.execute(
        f"SELECT * FROM order_items WHERE order_id IN ({open_ids}) ORDER BY order_id, position",  # noqa: S608
        statuses,
    ):
        item = SimpleNamespace(**dict(r), modifiers=[])
        items[r["order_id"]].append(item)
        by_item[r["id"]] = item
    for r in conn.execute(
        "SELECT m.* FROM item_modifiers m JOIN order_items i ON i.id = m.item_id "
        f"WHERE i.order_id IN ({open_ids}) ORDER BY m.item_id, m.position",  # noqa: S608
        statuses,
    ):
        by_item[r["item_id"]].modifiers.append(SimpleNamespace(**dict(r)))
    orders = []
    opener = _opener(rows)
    for r in rows:
        values = dict(r)
        for name in _ORDER_TIMES:
            if values.get(name) is not None:
                values[name] = datetime.fromisoformat(values[name]).replace(tzinfo=UTC)
        opened = None if opener is None else _bound(opener, r["id"])
        orders.append(to_order(SimpleNamespace(**values, items=items[r["id"]]), opened))
    cursor = conn.execute("SELECT MAX(seq) FROM orders").fetchone()[0] or 0
    settings = {key: json.loads(value) for key, value in conn.execute("SELECT key, value FROM settings")}
    return Peek(cursor, orders, settings)


_PERSONAL = ("customer_name", "customer_phone", "customer_address", "notes")
_SEALED_PREFIX = "pv1:"  # store/sealed.PREFIX, not imported: a plain database never loads the cipher


def _opener(rows: list[sqlite3.Row]) -> Any:
    """The sealer when an order's personal fields are sealed (imported only then); an error when this machine
    lacks the key, so the engine opens the database the ordinary way and says so."""
    if not any(str(r[c] or "").startswith(_SEALED_PREFIX) for r in rows for c in _PERSONAL):
        return None
    from posapp.store.keystore import load_keys
    from posapp.store.sealed import MISSING_KEY_SENTENCE, KeyMissing, Sealer

    keys = load_keys()
    if keys is None:
        raise KeyMissing(MISSING_KEY_SENTENCE)
    return Sealer(keys)


def _bound(sealer: Any, row_id: int) -> Callable[[str, str | None], str | None]:
    return lambda column, value: sealer.open(value, "orders", column, row_id)  # type: ignore[no-any-return]
