"""Tickets rendered to ESC/POS bytes and read back by our own decoder: Chinese, styles, cut, widths."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from posapp.domain.order import LineItem, Modifier, Totals
from posapp.printing.document import Align, DocumentBuilder, Style
from posapp.printing.escpos import FS_CHINESE_OFF, FS_CHINESE_ON, render
from posapp.printing.layouts import TicketContext, cancellation_ticket, kitchen_ticket, receipt
from posapp.printing.profiles import get_profile
from tests.escpos_decoder import decode
from tests.factories import make_order

CTX = TicketContext(
    store_name="老王小馆",
    address="上海市黄浦区南京东路1号",
    tz=ZoneInfo("Asia/Shanghai"),
    printed_at=datetime(2026, 11, 26, 4, 30, tzinfo=UTC),
)
GB80 = get_profile("generic-80")
GB58 = get_profile("generic-58")
CJK = re.compile(r"[\u3400-\u9fff]")

DISHES = (
    LineItem(
        "宫保鸡丁", 2, 3200, modifiers=(Modifier("大份", 1, 500), Modifier("加花生", 1, 0)), note="少辣"
    ),
    LineItem("麻婆豆腐", 1, 2800),
    LineItem("Iced Lemon Tea", 1, 395),
)


def chinese_order(**kw):  # type: ignore[no-untyped-def]
    return make_order(platform="meituan", items=kw.pop("items", DISHES), **kw)


def test_kitchen_ticket_decodes_to_its_chinese_dishes_in_large_type() -> None:
    order = chinese_order()
    ticket = decode(render(kitchen_ticket(order, CTX), GB80))
    for dish, qty in (("宫保鸡丁", 2), ("麻婆豆腐", 1)):
        line = ticket.find(f"{qty} x {dish}")
        assert line.size == (2, 2) and line.bold
    assert ticket.find("Iced Lemon Tea").size == (2, 2)
    number = ticket.find(f"#{order.display_id}")
    assert number.size == (4, 4) and number.align == "center"
    assert "美团" in ticket.find("MEITUAN").text
    assert ticket.find("DELIVERY").text.strip() == "DELIVERY 外卖"


def test_every_chinese_run_is_inside_fs_ampersand_and_fs_dot() -> None:
    data = render(kitchen_ticket(chinese_order(notes="不要香菜"), CTX), GB80)
    ticket = decode(data)
    assert ticket.stray_high_bytes == []  # no GB byte ever reached the printer outside Chinese mode
    for line in ticket.lines:
        for span in line.spans:
            assert span.chinese or not CJK.search(span.text), span
    # And at the byte level: every byte >= 0x80 sits between an FS & and the FS . that closes it.
    outside = re.sub(re.escape(FS_CHINESE_ON) + rb"[\x80-\xff]+" + re.escape(FS_CHINESE_OFF), b"", data)
    assert all(b < 0x80 for b in outside)
    assert data.count(FS_CHINESE_ON) == len(ticket.chinese_runs) > 5


def test_kitchen_ticket_is_cut_at_the_end() -> None:
    ticket = decode(render(kitchen_ticket(chinese_order(), CTX), GB80))
    assert ticket.cuts == ["full"]
    assert ticket.events[-1] == "cut"


def test_kitchen_ticket_shows_modifiers_indented_and_notes_inverted_without_prices() -> None:
    ticket = decode(render(kitchen_ticket(chinese_order(notes="花生过敏 peanut allergy"), CTX), GB80))
    mod = ticket.find("+ 大份")
    assert mod.text.startswith("    + ") and mod.size == (1, 2)
    note = ticket.find("少辣")
    assert note.invert
    allergy = ticket.find("ALLERGY")
    assert allergy.invert and allergy.size == (2, 2)
    assert "¥" not in ticket.plain and "￥" not in ticket.plain and "32.00" not in ticket.plain


def test_emoji_in_a_note_becomes_a_placeholder_and_the_rest_of_the_line_survives() -> None:
    items = (LineItem("宫保鸡丁", 1, 3200, note="少辣🌶️多放葱 thanks"),)
    ticket = decode(render(kitchen_ticket(chinese_order(items=items), CTX), GB80))
    assert ticket.stray_high_bytes == []
    note = ticket.find("少辣")
    assert note.text.strip() == "!! 少辣□多放葱 thanks"
    assert note.invert


def test_scheduled_order_prints_its_due_time_inverted() -> None:
    due = datetime(2026, 11, 26, 10, 30, tzinfo=UTC)  # 18:30 in Shanghai
    ticket = decode(render(kitchen_ticket(chinese_order(due_at=due), CTX), GB80))
    line = ticket.find("18:30")
    assert "预约" in line.text and line.invert


def test_reprint_is_marked_reprint_top_and_bottom() -> None:
    ticket = decode(render(kitchen_ticket(chinese_order(), CTX, reprint=True), GB80))
    marks = [line for line in ticket.lines if "REPRINT" in line.text]
    assert len(marks) == 2 and all(m.invert for m in marks)
    assert "REPRINT" in ticket.lines[1].text or "REPRINT" in ticket.lines[0].text
    plain = decode(render(kitchen_ticket(chinese_order(), CTX), GB80))
    assert "REPRINT" not in plain.plain


def test_receipt_decodes_with_prices_fees_discount_total_and_qr() -> None:
    items = DISHES
    subtotal = sum(i.line_total() for i in items)
    totals = Totals(
        subtotal=subtotal, delivery_fee=500, packaging_fee=200, discount=1000, total=subtotal - 300
    )
    order = chinese_order(totals=totals, external_id="MT-8899")
    ticket = decode(render(receipt(order, CTX), GB80))
    assert ticket.stray_high_bytes == []
    assert ticket.find("老王小馆").size == (2, 2)
    assert ticket.find("宫保鸡丁").text.rstrip().endswith("￥74.00")  # (32 + 5) x 2
    assert ticket.find("麻婆豆腐").text.rstrip().endswith("￥28.00")
    assert ticket.find("Subtotal").text.rstrip().endswith(f"￥{subtotal / 100:.2f}")
    assert ticket.find("Delivery fee").text.rstrip().endswith("￥5.00")
    assert ticket.find("Packaging").text.rstrip().endswith("￥2.00")
    assert ticket.find("Discount").text.rstrip().endswith("-￥10.00")
    total = ticket.find("TOTAL")
    assert total.text.rstrip().endswith(f"￥{(subtotal - 300) / 100:.2f}") and total.bold
    assert ticket.find("Payment").text.split()[-2:] == ["paid", "已付"]
    assert ticket.qr_codes == ["meituan:MT-8899"]
    assert ticket.find("Customer").text.rstrip().endswith("王先生 138****5678")
    assert ticket.cuts == ["full"]
    for line in ticket.lines:
        assert line.columns <= 48, line.text


def test_58mm_wraps_to_32_columns_and_80mm_to_48() -> None:
    long = LineItem("超级无敌豪华版黄焖鸡米饭配秘制酱料和溏心蛋 extra large portion", 1, 4200)
    order = chinese_order(items=(long, *DISHES))
    narrow = decode(render(receipt(order, CTX), GB58))
    wide = decode(render(receipt(order, CTX), GB80))
    assert max(line.columns for line in narrow.lines) <= 32
    assert max(line.columns for line in wide.lines) <= 48
    assert max(line.columns for line in wide.lines) > 32
    assert len(narrow.lines) > len(wide.lines)
    # Nothing is lost in the wrapping: the long name is all there, in order.
    for ticket in (narrow, wide):
        joined = "".join(t.strip() for t in ticket.texts).replace(" ", "")
        assert "超级无敌豪华版黄焖鸡米饭配秘制酱料和溏心蛋extralargeportion" in joined
    k58 = decode(render(kitchen_ticket(order, CTX), GB58))
    assert max(line.columns for line in k58.lines) <= 32
    assert k58.cuts == []  # the generic 58 mm profile has a tear bar, no cutter


def test_cancellation_ticket_says_cancelled_and_lists_the_food() -> None:
    ticket = decode(render(cancellation_ticket(chinese_order(), CTX, reason="顾客取消"), GB80))
    assert ticket.find("CANCELLED").invert
    assert "顾客取消" in ticket.find("Reason").text
    assert ticket.find("宫保鸡丁").size == (2, 2)
    assert ticket.cuts == ["full"]


def test_latin_printer_gets_placeholders_and_never_chinese_mode() -> None:
    data = render(kitchen_ticket(chinese_order(), CTX), get_profile("latin-80"))
    assert FS_CHINESE_ON not in data
    ticket = decode(data)
    assert ticket.find("2 x ????").size == (2, 2)
    assert ticket.find("Iced Lemon Tea")


def test_image_fallback_profile_prints_chinese_lines_as_raster_images() -> None:
    profile = get_profile("epson-tm-t88")
    ticket = decode(render(kitchen_ticket(chinese_order(), CTX), profile))
    assert FS_CHINESE_ON not in render(kitchen_ticket(chinese_order(), CTX), profile)
    assert ticket.images, "Chinese lines should be raster images"
    assert all(w == 576 for w, _h in ticket.images)
    big = [h for _w, h in ticket.images]
    assert max(big) >= 48  # the large dish lines are drawn magnified
    assert ticket.find("Iced Lemon Tea").size == (2, 2)  # Latin stays text


def test_gbk_printer_prints_fullwidth_yen_and_latin_code_page_prints_yen() -> None:
    doc = DocumentBuilder("t").row("Total", "¥12.50").build()
    assert "￥12.50" in decode(render(doc, get_profile("generic-80", encoding="gbk"))).plain
    assert "¥12.50" in decode(render(doc, get_profile("latin-80"))).plain
    words = DocumentBuilder("t").text("Café™ ½ £3.50").build()
    assert decode(render(words, GB80)).plain.strip() == "CaféTM 1/2 ￡3.50"


@settings(max_examples=200, deadline=None)
@given(
    text=st.text(
        alphabet=st.characters(blacklist_categories=("Cs",), max_codepoint=0x1FAFF), min_size=0, max_size=80
    ),
    width=st.sampled_from([58, 80]),
    size=st.integers(1, 3),
    invert=st.booleans(),
)
def test_any_text_renders_to_bytes_the_decoder_reads_within_the_paper(
    text: str, width: int, size: int, invert: bool
) -> None:
    doc = (
        DocumentBuilder("fuzz")
        .text(text, Style(width=size, height=size, invert=invert, align=Align.CENTER))
        .row(text, "¥1.00")
        .cut()
        .build()
    )
    profile = get_profile(None, width_mm=width)
    ticket = decode(render(doc, profile))
    assert ticket.stray_high_bytes == []
    limit = 32 if width == 58 else 48
    assert all(line.columns <= limit for line in ticket.lines), ticket.texts
    assert ticket.events[-1] == "line" or ticket.events[-1] == "cut"


def test_later_minutes_do_not_matter() -> None:
    # Layout is deterministic for a fixed printed_at: same order, same bytes.
    order = chinese_order(placed_at=datetime(2026, 11, 26, 4, 0, tzinfo=UTC) - timedelta(minutes=1))
    assert render(kitchen_ticket(order, CTX), GB80) == render(kitchen_ticket(order, CTX), GB80)


def test_a_long_dish_name_wraps_under_itself_not_under_the_quantity() -> None:
    long = LineItem("超级无敌豪华版黄焖鸡米饭", 1, 4200)
    ticket = decode(render(kitchen_ticket(chinese_order(items=(long,)), CTX), GB58))
    first = ticket.find("1 x 超级")
    rest = ticket.lines[ticket.lines.index(first) + 1]
    assert (
        rest.size == (2, 2)
        and rest.text.startswith("    ")
        and rest.text.strip() in "超级无敌豪华版黄焖鸡米饭"
    )


def test_native_qr_bytes_are_the_ones_python_escpos_sends() -> None:
    from escpos.constants import QR_ECLEVEL_M
    from escpos.printer import Dummy

    from posapp.printing.escpos import native_qr

    for data, size in (("meituan:MT-8899", 6), ("eleme:3049-订单", 3), ("x" * 300, 16)):
        printer = Dummy()
        printer.qr(data, ec=QR_ECLEVEL_M, size=size, native=True)
        assert native_qr(data, size) == printer.output
