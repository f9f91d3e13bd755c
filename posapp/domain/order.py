"""The canonical order every connector produces: frozen value objects, money in minor units."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import datetime
from enum import StrEnum
from typing import Any

from posapp.domain import bounds as b
from posapp.domain.money import Money, minor_units
from posapp.errors import PayloadError


def _clip(obj: object, **limits: int) -> None:
    """Clean and clip the named text fields of a frozen dataclass in place (see ``bounds.clean_text``)."""
    for name, limit in limits.items():
        value = getattr(obj, name)
        if value is not None:
            object.__setattr__(obj, name, b.clean_text(str(value), limit))


class OrderStatus(StrEnum):
    NEW = "new"
    ACCEPTED = "accepted"
    PREPARING = "preparing"
    READY = "ready"
    COMPLETED = "completed"
    REJECTED = "rejected"
    CANCELLED = "cancelled"


class Fulfillment(StrEnum):
    DELIVERY = "delivery"
    PICKUP = "pickup"
    DINE_IN = "dine_in"


@dataclass(frozen=True, slots=True)
class Modifier:
    """A spec, attribute or add-on of a line item ("大份", "no onions", "+ egg")."""

    name: str
    quantity: int = 1
    unit_price: int = 0  # minor units

    def __post_init__(self) -> None:
        _clip(self, name=b.NAME_MAX)


@dataclass(frozen=True, slots=True)
class LineItem:
    name: str
    quantity: int
    unit_price: int  # minor units, before modifiers
    sku: str | None = None
    note: str | None = None
    modifiers: tuple[Modifier, ...] = ()
    category: str | None = None

    def __post_init__(self) -> None:
        _clip(self, name=b.NAME_MAX, sku=b.SKU_MAX, note=b.NOTE_MAX, category=b.CATEGORY_MAX)

    def line_total(self) -> int:
        """(unit price + modifiers) x quantity, in minor units."""
        per_unit = self.unit_price + sum(m.unit_price * m.quantity for m in self.modifiers)
        return per_unit * self.quantity


@dataclass(frozen=True, slots=True)
class Customer:
    name: str | None = None
    phone_masked: str | None = None
    address: str | None = None
    order_count: int | None = None

    def __post_init__(self) -> None:
        _clip(self, name=b.PERSON_MAX, phone_masked=b.PHONE_MAX, address=b.ADDRESS_MAX)
        if self.order_count is not None:
            b.count(self.order_count, "the customer's order count")


@dataclass(frozen=True, slots=True)
class Totals:
    subtotal: int
    total: int
    discount: int = 0
    delivery_fee: int = 0
    packaging_fee: int = 0
    service_fee: int = 0
    tip: int = 0
    tax: int = 0
    commission: int | None = None
    payout: int | None = None

    def reconciliation_gap(self) -> int:
        """total - (subtotal + fees + tax + tip - discount); 0 when the platform's sums add up."""
        expected = (
            self.subtotal
            + self.delivery_fee
            + self.packaging_fee
            + self.service_fee
            + self.tax
            + self.tip
            - self.discount
        )
        return self.total - expected


@dataclass(frozen=True, slots=True)
class Payment:
    method: str = "online"
    paid: bool = True
    # Taken through a payment gateway at the counter (issue 17): which one and its transaction id, for the
    # receipt. Not part of the order's JSON: the payments table keeps them.
    gateway: str | None = None
    transaction_id: str | None = None

    def __post_init__(self) -> None:
        _clip(self, method=b.PAYMENT_MAX)


@dataclass(frozen=True, slots=True)
class Order:
    """One order from any platform, as resources/schema/order.schema.json describes it."""

    platform: str
    external_id: str
    display_id: str
    fulfillment: Fulfillment
    placed_at: datetime
    currency: str
    items: tuple[LineItem, ...]
    totals: Totals
    status: OrderStatus = OrderStatus.NEW
    due_at: datetime | None = None
    customer: Customer | None = None
    payment: Payment | None = None
    notes: str | None = None
    raw: Any = field(default=None, compare=False, repr=False)
    # Set once the order is stored: the local row id and what the platform told us since.
    id: int | None = None
    rider_status: str | None = None
    reminders: int = 0
    status_reason: str | None = None
    # The change feed (docs/screen-api.md): how often the stored order changed, and its latest change number.
    version: int = field(default=0, compare=False)
    seq: int = field(default=0, compare=False)

    def __post_init__(self) -> None:
        b.identifier(self.platform, "the platform", b.PLATFORM_MAX)
        b.identifier(self.external_id, "the order id")
        if not self.items:
            raise PayloadError(f"order {self.external_id} has no items")
        minor_units(self.currency)
        b.plausible_time(self.placed_at, f"order {self.external_id}: the time it was placed")
        if self.due_at is not None:
            b.plausible_time(self.due_at, f"order {self.external_id}: the time it is due")
        _clip(self, display_id=b.DISPLAY_ID_MAX, notes=b.NOTE_MAX, rider_status=b.RIDER_MAX)
        _clip(self, status_reason=b.NOTE_MAX)
        if not self.display_id.strip():
            object.__setattr__(self, "display_id", self.external_id[-b.DISPLAY_ID_MAX :])
        b.count(self.reminders, "the reminder count")
        _check_amounts(self)
        for item in self.items:
            if item.quantity < 1:
                raise PayloadError(f"item {item.name!r} has quantity {item.quantity}")
            if not item.name.strip():
                raise PayloadError("an item has no name")

    def money(self, minor: int) -> Money:
        return Money(minor, self.currency)

    @property
    def item_count(self) -> int:
        return sum(item.quantity for item in self.items)

    def to_canonical(self) -> dict[str, Any]:
        """The JSON-ready canonical form (schema order.schema.json), without ``raw``."""

        def when(value: datetime | None) -> str | None:
            return value.isoformat() if value is not None else None

        t = self.totals
        return {
            "platform": self.platform,
            "external_id": self.external_id,
            "display_id": self.display_id,
            "status": self.status.value,
            "fulfillment": self.fulfillment.value,
            "placed_at": when(self.placed_at),
            "due_at": when(self.due_at),
            "currency": self.currency,
            "customer": None
            if self.customer is None
            else {
                "name": self.customer.name,
                "phone_masked": self.customer.phone_masked,
                "address": self.customer.address,
                "order_count": self.customer.order_count,
            },
            "items": [
                {
                    "sku": item.sku,
                    "name": item.name,
                    "quantity": item.quantity,
                    "unit_price": item.unit_price,
                    "note": item.note,
                    "modifiers": [
                        {"name": m.name, "quantity": m.quantity, "unit_price": m.unit_price}
                        for m in item.modifiers
                    ],
                }
                for item in self.items
            ],
            "totals": totals_fields(t),
            "payment": None
            if self.payment is None
            else {"method": self.payment.method, "paid": self.payment.paid},
            "notes": self.notes,
        }


# No real order comes near this (10 billion in major units); beyond it an amount is a corrupt payload,
# and past 2**63 it would not even fit the database column.
MAX_AMOUNT = 10**12
MAX_QUANTITY = 10_000


def _check_amounts(order: Order) -> None:
    t = order.totals
    amounts = [t.subtotal, t.total, t.discount, t.delivery_fee, t.packaging_fee, t.service_fee, t.tip, t.tax]
    amounts += [a for a in (t.commission, t.payout) if a is not None]
    for item in order.items:
        amounts.append(item.unit_price)
        amounts += [m.unit_price for m in item.modifiers]
        if item.quantity > MAX_QUANTITY or any(
            m.quantity > MAX_QUANTITY or m.quantity < 1 for m in item.modifiers
        ):
            raise PayloadError(f"order {order.external_id}: implausible quantity on {item.name!r}")
    if any(abs(a) > MAX_AMOUNT for a in amounts):
        raise PayloadError(f"order {order.external_id}: an amount is out of range")


def totals_fields(t: Totals) -> dict[str, int | None]:
    """The totals as a dict of their fields (the canonical JSON and the database columns use these names)."""
    return {name: getattr(t, name) for name in TOTALS}


TOTALS = tuple(f.name for f in fields(Totals))  # the canonical JSON's and the database columns' names


def order_from_canonical(data: dict[str, Any], *, raw: Any = None) -> Order:
    """Build an Order from its canonical JSON form; ``PayloadError`` on anything that does not fit."""
    try:
        totals = data["totals"]
        cust = data.get("customer")
        pay = data.get("payment")
        items = tuple(
            LineItem(
                name=_text(it["name"], "an item's name"),
                quantity=_int(it["quantity"]),
                unit_price=_int(it["unit_price"]),
                sku=_opt_str(it.get("sku")),
                note=_opt_str(it.get("note")),
                modifiers=tuple(
                    Modifier(
                        _text(m["name"], "a modifier's name"),
                        _int(m.get("quantity", 1)),
                        _int(m.get("unit_price", 0)),
                    )
                    for m in it.get("modifiers") or ()
                ),
                category=_opt_str(it.get("category")),
            )
            for it in data["items"]
        )
        return Order(
            platform=_text(data["platform"], "platform"),
            external_id=_text(data["external_id"], "external_id"),
            display_id=_text(data.get("display_id") or data["external_id"], "display_id"),
            status=OrderStatus(data.get("status", "new")),
            fulfillment=Fulfillment(data.get("fulfillment", "delivery")),
            placed_at=_when(data["placed_at"]),
            due_at=_when(data["due_at"]) if data.get("due_at") else None,
            currency=_text(data["currency"], "currency"),
            customer=None
            if not cust
            else Customer(
                name=_opt_str(cust.get("name")),
                phone_masked=_opt_str(cust.get("phone_masked")),
                address=_opt_str(cust.get("address")),
                order_count=None if cust.get("order_count") is None else _int(cust["order_count"]),
            ),
            items=items,
            totals=Totals(
                subtotal=_int(totals["subtotal"]),
                total=_int(totals["total"]),
                discount=_int(totals.get("discount", 0)),
                delivery_fee=_int(totals.get("delivery_fee", 0)),
                packaging_fee=_int(totals.get("packaging_fee", 0)),
                service_fee=_int(totals.get("service_fee", 0)),
                tip=_int(totals.get("tip", 0)),
                tax=_int(totals.get("tax", 0)),
                commission=None if totals.get("commission") is None else _int(totals["commission"]),
                payout=None if totals.get("payout") is None else _int(totals["payout"]),
            ),
            payment=None
            if not pay
            else Payment(str(pay.get("method", "online")), bool(pay.get("paid", True))),
            notes=_opt_str(data.get("notes")),
            raw=raw,
        )
    except PayloadError:
        raise
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise PayloadError(f"canonical order does not fit the schema: {type(exc).__name__}: {exc}") from exc


def _int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise PayloadError(f"expected an integer of minor units, got {value!r}")
    return value


def _text(value: Any, what: str) -> str:
    """A string field of the canonical form; an id may come as a JSON integer, never as null or a list."""
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    raise PayloadError(f"{what} should be text, got {type(value).__name__}")


def _opt_str(value: Any) -> str | None:
    return None if value is None else _text(value, "a text field")


def _when(value: Any) -> datetime:
    if not isinstance(value, str):
        raise PayloadError(f"expected an ISO 8601 time, got {value!r}")
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        raise PayloadError(f"time {value!r} has no UTC offset")
    return parsed
