"""Ticket layouts as data: kitchen ticket, customer receipt, cancellation ticket, test page, REPRINT mark."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo

from posapp.domain.money import Money
from posapp.domain.offers import IssuedCode, Redemption, format_code
from posapp.domain.order import Fulfillment, LineItem, Order
from posapp.domain.privacy import order_for
from posapp.domain.roles import Role
from posapp.printing.document import (
    BOLD,
    HUGE,
    LARGE,
    NORMAL,
    TALL,
    Align,
    Document,
    DocumentBuilder,
    Style,
)

PLATFORM_LABELS = {
    "meituan": "美团 MEITUAN",
    "eleme": "饿了么 ELEME",
    "jd": "京东 JD",
    "douyin": "抖音 DOUYIN",
    "ubereats": "UBER EATS",
    "doordash": "DOORDASH",
    "deliveroo": "DELIVEROO",
    "grubhub": "GRUBHUB",
    "own": "WEBSITE 官网",
    "manual": "COUNTER 店内",
    "demo": "DEMO",
}
GATEWAY_LABELS = {"alipay": "Alipay 支付宝", "wechat": "WeChat Pay 微信支付", "stripe": "Stripe"}
FULFILLMENT_LABELS = {
    Fulfillment.DELIVERY: "DELIVERY 外卖",
    Fulfillment.PICKUP: "PICKUP 自取",
    Fulfillment.DINE_IN: "DINE IN 堂食",
}
ALLERGY_WORDS = (
    "allerg",
    "过敏",
    "gluten",
    "nut",
    "花生",
    "坚果",
    "麸质",
    "乳糖",
    "lactose",
    "shellfish",
    "海鲜",
)

DEFAULT_FOOTER = "Thank you! 谢谢惠顾"
CENTER = Style(align=Align.CENTER)
CENTER_BOLD = Style(bold=True, align=Align.CENTER)
BANNER = Style(width=2, height=2, bold=True, invert=True, align=Align.CENTER)
BACKUP = Style(height=2, bold=True, invert=True, align=Align.CENTER)  # single width: a printer's name fits
BIG_CENTER = Style(width=2, height=2, bold=True, align=Align.CENTER)
NOTE = Style(width=1, height=2, bold=True, invert=True)
BIG_NOTE = Style(width=2, height=2, bold=True, invert=True)


@dataclass(frozen=True, slots=True)
class TicketContext:
    """What a layout needs besides the order: the store, its time zone, and when the ticket prints."""

    store_name: str = "posapp"
    address: str = ""
    phone: str = ""
    footer: str = DEFAULT_FOOTER
    tz: tzinfo = UTC
    printed_at: datetime | None = None
    platform_labels: dict[str, str] = field(default_factory=dict)

    def platform(self, name: str) -> str:
        return self.platform_labels.get(name) or PLATFORM_LABELS.get(name) or name.upper()

    def local(self, when: datetime) -> datetime:
        return when.astimezone(self.tz)


def _reprint_banner(b: DocumentBuilder, reprint: bool) -> None:
    if reprint:
        b.text("REPRINT 重印", BANNER)


def _backup_banner(b: DocumentBuilder, backup_from: str | None) -> None:
    """On a ticket a backup printer prints for an offline one: the cooks know whose ticket it is."""
    if backup_from:
        b.text(f"BACKUP FROM {backup_from}", BACKUP)
        b.text("备用打印", CENTER_BOLD)


def _is_allergy(text: str) -> bool:
    low = text.lower()
    return any(word in low for word in ALLERGY_WORDS)


def _note_line(b: DocumentBuilder, text: str, style: Style, indent: int = 0) -> None:
    prefix = "!! ALLERGY 过敏: " if _is_allergy(text) else "!! "
    b.text(prefix + text, style, indent=indent)


def kitchen_ticket(
    order: Order,
    ctx: TicketContext,
    *,
    items: Sequence[LineItem] | None = None,
    station: str | None = None,
    reprint: bool = False,
    backup_from: str | None = None,
) -> Document:
    """What the cooks read from a metre away: the number, where it goes, when, and the food — no prices."""
    chosen = list(order.items if items is None else items)
    b = DocumentBuilder("kitchen", title=f"#{order.display_id}")
    _reprint_banner(b, reprint)
    _backup_banner(b, backup_from)
    b.text(f"#{order.display_id}", HUGE)
    b.text(ctx.platform(order.platform), BIG_CENTER)
    b.text(FULFILLMENT_LABELS.get(order.fulfillment, order.fulfillment.value.upper()), BIG_CENTER)
    kitchen = order_for(order, Role.KITCHEN)  # the first name only: no phone, no address on a kitchen ticket
    if kitchen.customer is not None and kitchen.customer.name:
        b.text(kitchen.customer.name, CENTER_BOLD)
    if order.due_at is not None:
        b.text(f"DUE 预约 {ctx.local(order.due_at):%H:%M}", BANNER)
        b.text(f"{ctx.local(order.due_at):%Y-%m-%d}", CENTER_BOLD)
    printed = ctx.printed_at or datetime.now(UTC)
    b.text(f"Placed {ctx.local(order.placed_at):%H:%M}  Printed {ctx.local(printed):%H:%M}", CENTER)
    if station and station != "kitchen":
        b.text(f"Station: {station.upper()}", CENTER_BOLD)
    b.rule("=")
    for item in chosen:
        qty = f"{item.quantity} x "
        b.text(f"{qty}{item.name}", LARGE, hang=len(qty))
        for mod in item.modifiers:
            times = f"{mod.quantity} x " if mod.quantity > 1 else ""
            b.text(f"+ {times}{mod.name}", TALL, indent=4, hang=2)
        if item.note:
            _note_line(b, item.note, NOTE, indent=2)
    b.rule("=")
    if kitchen.notes:
        _note_line(b, kitchen.notes, BIG_NOTE)
    count = sum(i.quantity for i in chosen)
    total_count = order.item_count
    tail = f"{count} of {total_count} items" if count != total_count else f"{count} items"
    b.text(f"{tail} · {order.platform} {order.external_id}", NORMAL)
    _reprint_banner(b, reprint)
    b.cut()
    return b.build()


def cancellation_ticket(
    order: Order,
    ctx: TicketContext,
    *,
    items: Sequence[LineItem] | None = None,
    reason: str | None = None,
    reprint: bool = False,
    backup_from: str | None = None,
) -> Document:
    """Tells the kitchen to stop: the number huge, the word CANCELLED inverted, the food it was making."""
    chosen = list(order.items if items is None else items)
    b = DocumentBuilder("cancel", title=f"#{order.display_id} cancelled")
    _reprint_banner(b, reprint)
    _backup_banner(b, backup_from)
    b.text("CANCELLED 已取消", BANNER)
    b.text(f"#{order.display_id}", HUGE)
    b.text(ctx.platform(order.platform), BIG_CENTER)
    if reason:
        b.text(f"Reason 原因: {reason}", TALL)
    b.text("DO NOT MAKE 停止制作:", BOLD)
    b.rule("=")
    for item in chosen:
        qty = f"{item.quantity} x "
        b.text(f"{qty}{item.name}", LARGE, hang=len(qty))
    b.rule("=")
    printed = ctx.printed_at or datetime.now(UTC)
    b.text(f"Printed {ctx.local(printed):%H:%M} · {order.platform} {order.external_id}", NORMAL)
    b.cut()
    return b.build()


@dataclass(frozen=True, slots=True)
class ReceiptOffer:
    """What a receipt says about offers: the code this order used (its discount line) and the bounce-back
    code it hands out (services/offers.py decides; own channels only)."""

    redeemed: Redemption | None = None
    issued: IssuedCode | None = None


def receipt(
    order: Order, ctx: TicketContext, *, reprint: bool = False, offer: ReceiptOffer | None = None
) -> Document:
    """The customer's receipt: store header, items with prices, fees, discounts, tax, total, payment, QR;
    an offer code used and a bounce-back offer with its code when ``offer`` says so."""
    money = order.money
    t = order.totals
    b = DocumentBuilder("receipt", title=f"Receipt #{order.display_id}")
    _reprint_banner(b, reprint)
    b.text(ctx.store_name, BIG_CENTER)
    if ctx.address:
        b.text(ctx.address, CENTER)
    if ctx.phone:
        b.text(f"Tel {ctx.phone}", CENTER)
    b.rule()
    b.text(f"Order 订单 #{order.display_id}", Style(width=2, height=2, bold=True))
    b.row(ctx.platform(order.platform), FULFILLMENT_LABELS.get(order.fulfillment, ""))
    b.row("Placed 下单", f"{ctx.local(order.placed_at):%Y-%m-%d %H:%M}")
    if order.due_at is not None:
        b.row("Due 预约", f"{ctx.local(order.due_at):%Y-%m-%d %H:%M}", BOLD)
    b.row("Ref", order.external_id)
    customer = order.customer
    if customer is not None and (customer.name or customer.phone_masked):
        b.row("Customer 顾客", " ".join(x for x in (customer.name, customer.phone_masked) if x))
    if customer is not None and customer.address and order.fulfillment is Fulfillment.DELIVERY:
        b.text(f"Address 地址: {customer.address}", NORMAL, hang=4)
    b.rule()
    for item in order.items:
        b.row(f"{item.quantity} x {item.name}", money(item.line_total()).format())
        for mod in item.modifiers:
            price = f"+{money(mod.unit_price * mod.quantity).format()}" if mod.unit_price else ""
            b.row(f"+ {mod.name}", price, indent=4)
        if item.note:
            b.text(f"Note: {item.note}", NORMAL, indent=4, hang=6)
    b.rule()
    b.row("Subtotal 小计", money(t.subtotal).format())
    for label, amount in (
        ("Delivery fee 配送费", t.delivery_fee),
        ("Packaging 包装费", t.packaging_fee),
        ("Service fee 服务费", t.service_fee),
        ("Tax 税", t.tax),
        ("Tip 小费", t.tip),
    ):
        if amount:
            b.row(label, money(amount).format())
    used = offer.redeemed if offer is not None else None
    other = t.discount - (used.discount if used is not None else 0)
    if used is not None:
        b.row(f"Code 优惠码 {format_code(used.code)}", (-money(used.discount)).format())
    if other:
        b.row("Discount 优惠", (-money(other)).format())
    b.rule("=")
    b.row("TOTAL 合计", money(t.total).format(), Style(width=1, height=2, bold=True))
    if order.payment is not None:
        state = "paid 已付" if order.payment.paid else "DUE 未付"
        b.row(f"Payment 支付: {order.payment.method}", state, BOLD if not order.payment.paid else NORMAL)
        if order.payment.gateway:
            b.row("Via 渠道", GATEWAY_LABELS.get(order.payment.gateway, order.payment.gateway))
        if order.payment.transaction_id:
            b.text(f"Txn 交易号: {order.payment.transaction_id}", NORMAL, hang=4)
    if order.notes:
        b.text(f"Note 备注: {order.notes}", NORMAL)
    b.rule()
    b.qr(order_reference(order))
    b.text(order_reference(order), CENTER)
    if offer is not None and offer.issued is not None:
        _offer_block(b, offer.issued, ctx)
    if ctx.footer:
        b.text(ctx.footer, CENTER)
    printed = ctx.printed_at or datetime.now(UTC)
    b.text(f"Printed {ctx.local(printed):%Y-%m-%d %H:%M}", CENTER)
    _reprint_banner(b, reprint)
    b.cut()
    return b.build()


def _offer_block(b: DocumentBuilder, issued: IssuedCode, ctx: TicketContext) -> None:
    """The bounce-back offer: its text, the code big enough to read back over the phone, the terms, and the
    code as a QR (a scanner at the counter types it into the order form)."""
    o = issued.offer
    shown = format_code(issued.code)
    b.rule("=")
    b.text("NEXT TIME 下次光临", CENTER_BOLD)
    b.text(o.text, Style(height=2, bold=True, align=Align.CENTER))
    b.text(shown, BIG_CENTER)
    terms = []
    if o.min_spend:
        terms.append(f"min. spend 最低消费 {Money(o.min_spend, o.currency).format()}")
    terms.append(f"valid until 有效期至 {ctx.local(issued.expires_at):%Y-%m-%d}")
    terms.append("one use 限用一次")
    for term in terms:
        b.text(term, CENTER)
    b.qr(shown, size=4)
    b.text("Counter or our website 到店或官网使用", CENTER)
    b.rule("=")


def order_reference(order: Order) -> str:
    """What the receipt's QR code holds: the platform and its order id, enough to find the order again."""
    return f"{order.platform}:{order.external_id}"


def printer_test_page(
    printer_label: str, ctx: TicketContext, *, uri: str = "", profile: str = ""
) -> Document:
    """A page that shows the printer works: sizes, styles, Chinese, a QR code and the cut."""
    printed = ctx.printed_at or datetime.now(UTC)
    b = DocumentBuilder("test", title=f"Test {printer_label}")
    b.text("TEST PRINT 测试", BANNER)
    b.text(printer_label, BIG_CENTER)
    if uri:
        b.text(uri, CENTER)
    if profile:
        b.text(f"profile {profile}", CENTER)
    b.text(f"{ctx.store_name} · {ctx.local(printed):%Y-%m-%d %H:%M}", CENTER)
    b.rule()
    b.text("Normal 正常 宫保鸡丁 麻婆豆腐", NORMAL)
    b.text("Bold 粗体", BOLD)
    b.text("Large 大字", LARGE)
    b.text("Inverted 反白", NOTE)
    b.row("Left 左", "Right 右")
    b.rule()
    b.qr(f"posapp-test:{printer_label}", size=5)
    b.cut()
    return b.build()
