"""Manual orders typed at the counter (phone and walk-in): a draft becomes a canonical order via intake."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from posapp.connectors.fields import mask_phone
from posapp.domain.money import to_minor
from posapp.domain.offers import OfferError
from posapp.domain.order import Customer, Fulfillment, LineItem, Modifier, Order, Payment, Totals
from posapp.errors import ConfigError, PayloadError
from posapp.services.clock import Clock, utc_now
from posapp.services.intake import IntakeResult, IntakeService
from posapp.store import orders as repo

PLATFORM = "manual"
PAYMENTS = {"cash": Payment("cash", True), "card": Payment("card", True), "unpaid": Payment("unpaid", False)}


@dataclass(frozen=True, slots=True)
class MenuEntry:
    """One button of the quick menu: what the counter sells most, with its price in minor units."""

    name: str
    price: int
    sku: str | None = None


@dataclass(frozen=True, slots=True)
class ManualLine:
    name: str
    quantity: int
    unit_price: int
    sku: str | None = None
    note: str | None = None  # modifiers and notes as staff typed them ("no onions, extra egg")


@dataclass(frozen=True, slots=True)
class ManualDraft:
    """What the counter dialog collects; the service decides everything else (ids, money, times)."""

    lines: tuple[ManualLine, ...]
    fulfillment: Fulfillment = Fulfillment.PICKUP
    payment: str = "cash"  # cash | card | unpaid
    customer_name: str | None = None
    customer_phone: str | None = None
    notes: str | None = None
    source: str = "walk-in"  # walk-in | phone
    modifiers: tuple[tuple[int, Modifier], ...] = field(default=())  # (line index, priced modifier)
    offer_code: str | None = None  # a bounce-back code from an earlier receipt (services/offers.py)


DEFAULT_QUICK_MENU = (
    MenuEntry("宫保鸡丁 Kung Pao Chicken", 3200, "KP1"),
    MenuEntry("麻婆豆腐 Mapo Tofu", 2600, "MP1"),
    MenuEntry("扬州炒饭 Fried Rice", 2400, "FR1"),
    MenuEntry("小笼包 Soup Dumplings", 2200, "XLB"),
    MenuEntry("红烧牛肉面 Beef Noodles", 3600, "BN1"),
    MenuEntry("酸辣汤 Hot & Sour Soup", 1200, "HS1"),
    MenuEntry("珍珠奶茶 Bubble Tea", 1500, "BT1"),
    MenuEntry("凉拌黄瓜 Cucumber Salad", 900, "CS1"),
)


def quick_menu_from_settings(raw: Mapping[str, Any], currency: str) -> tuple[MenuEntry, ...]:
    """``[[manual.menu]]`` tables (name, price as a major-unit string such as "32.00", sku) or the default."""
    entries = raw.get("manual", {}).get("menu") if isinstance(raw.get("manual"), dict) else None
    if not entries:
        return DEFAULT_QUICK_MENU
    try:
        return tuple(
            MenuEntry(str(e["name"]), to_minor(str(e["price"]), currency), e.get("sku")) for e in entries
        )
    except (KeyError, TypeError, PayloadError) as exc:
        raise ConfigError(f"[[manual.menu]] in the settings is not name/price/sku: {exc}") from exc


class ManualOrderService:
    """Builds manual orders (platform ``manual``, display ids ``M-001`` per business day) and ingests them."""

    def __init__(
        self,
        intake: IntakeService,
        *,
        currency: str,
        tz: ZoneInfo,
        clock: Clock = utc_now,
        day_starts_at: time = time(4, 0),
        quick_menu: Iterable[MenuEntry] = DEFAULT_QUICK_MENU,
    ) -> None:
        self.intake = intake
        self.clock = clock
        self.configure(currency=currency, tz=tz, day_starts_at=day_starts_at, quick_menu=quick_menu)
        self._lock = asyncio.Lock()  # two quick taps must not draw the same M-number

    def configure(
        self, *, currency: str, tz: ZoneInfo, day_starts_at: time, quick_menu: Iterable[MenuEntry]
    ) -> None:
        """The store's currency, time zone, business-day start and quick menu, for the next order (Shop setup
        changes them while the counter runs)."""
        self.currency = currency
        self.tz = tz
        self.day_starts_at = day_starts_at  # a kitchen's business day runs past midnight
        self.quick_menu = tuple(quick_menu)

    def business_day_start(self, now: datetime) -> datetime:
        local = now.astimezone(self.tz)
        start = datetime.combine(local.date(), self.day_starts_at, tzinfo=self.tz)
        if local < start:
            start -= timedelta(days=1)
        return start

    def build(self, draft: ManualDraft, *, number: int, now: datetime) -> Order:
        """The canonical order for ``draft``; ``PayloadError`` with a sentence staff can act on."""
        if not draft.lines:
            raise PayloadError("Add at least one item before placing the order.")
        if draft.payment not in PAYMENTS:
            raise PayloadError(f"Unknown payment {draft.payment!r}: choose cash, card or unpaid.")
        if draft.fulfillment is Fulfillment.DELIVERY and not draft.customer_phone:
            raise PayloadError("A delivery order needs the customer's phone number.")
        mods: dict[int, list[Modifier]] = {}
        for index, mod in draft.modifiers:
            mods.setdefault(index, []).append(mod)
        items = tuple(
            LineItem(
                name=line.name,
                quantity=line.quantity,
                unit_price=line.unit_price,
                sku=line.sku,
                note=(line.note or "").strip() or None,
                modifiers=tuple(mods.get(i, ())),
            )
            for i, line in enumerate(draft.lines)
        )
        subtotal = sum(item.line_total() for item in items)
        display = f"M-{number:03d}"
        customer = None
        if draft.customer_name or draft.customer_phone:
            customer = Customer(
                name=(draft.customer_name or "").strip() or None,
                phone_masked=mask_phone(draft.customer_phone),  # the full number is never stored
            )
        # A phone order is worth a line on the ticket (the customer is not standing there); walk-in is the default.
        source = "Phone order" if draft.source == "phone" else ""
        notes = " · ".join(p for p in (source, (draft.notes or "").strip()) if p) or None
        return Order(
            platform=PLATFORM,
            external_id=f"{now.astimezone(self.tz):%Y%m%d}-{uuid.uuid4().hex[:10]}",
            display_id=display,
            fulfillment=draft.fulfillment,
            placed_at=now,
            currency=self.currency,
            items=items,
            # Counter prices include tax; a manual order has no platform fees, tip or commission.
            totals=Totals(subtotal=subtotal, total=subtotal),
            customer=customer,
            payment=PAYMENTS[draft.payment],
            notes=notes,
        )

    async def check_code(self, draft: ManualDraft) -> int:
        """The discount the draft's offer code gives it now (the form shows it before the order is placed);
        ``OfferError`` with the sentence why not. Placing the order checks again, and uses the code."""
        offers = self.intake.offers
        typed = (draft.offer_code or "").strip()
        if not typed:
            raise OfferError("Type the code printed on the receipt.")
        if offers is None:
            raise OfferError("Offer codes are not taken on this counter.")
        now = self.clock()
        order = self.build(draft, number=0, now=now)
        return await self.intake.db.run(lambda s: offers.discount_for(s, typed, order, now=now))

    async def create(self, draft: ManualDraft, *, by: str = "counter") -> IntakeResult:
        """Number, build and store the order in one go; returns the intake result (order id)."""
        async with self._lock:
            now = self.clock()
            since = self.business_day_start(now)
            done_today = await self.intake.db.run(lambda s: repo.count_orders_since(s, PLATFORM, since))
            order = self.build(draft, number=done_today + 1, now=now)
            code = (draft.offer_code or "").strip() or None
            return await self.intake.ingest(order, by=by, offer_code=code)
