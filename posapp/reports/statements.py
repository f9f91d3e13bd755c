"""Platform settlement statements (CSV or .xlsx as a merchant downloads them) parsed into StatementLines.

Each platform's columns come from its own export; a header is found by the names below (a few spellings
each, as the platforms rename columns between report versions and languages). Sources:

- Uber Eats "Payment Details Report" (Uber Eats Manager > Reports, CSV): help.uber.com, "View and download
  payment statements and details" and "Profit summary details": Order ID, Order Date / Refund Date, Food
  sales, Uber service fee, Payment ("negative if associated with a refund"), Order Status (Completed,
  Canceled, Refund, Failed).
- DoorDash payout report (Merchant Portal > Financials > Reports, or the Reporting API's NV_PAYMENTS
  report): developer.doordash.com/docs/reporting/overview/reports: transaction_type (DELIVERY|ADJUSTMENT),
  currency, order_subtotal_dollar, order_commission_dollar, net_payout, delivery_uuid / dd_order_id.
- Ele.me (now 淘宝闪购) 商家版 bill export: no published layout was found. One public script that reads the
  real export, github.com/tired0408/learn other/xiayun_crawler.py (ElemeData), shows an .xlsx workbook whose
  first sheet 账单汇总 (结算入账ID, 门店ID, 门店名称, 账单日期, 结算金额, 结算日期, 账单类型) sums days and whose
  sheet 外卖账单明细 has a line per order with 结算金额 (what is paid), 商品金额, 技术服务费, 配送服务费, 打包费,
  订单子类型 ...; it does not show the name of that sheet's order-id column, so 订单编号 / 订单号 / 订单id
  remain unconfirmed, as do 类型 / 订单金额 / 服务费 of a CSV export. Other public code in the search index
  (repository not named there, so not cited) reads that sheet's 订单类型 with 退单 marking a return.
- Meituan 外卖 账单 (商家后台 财务对账 > 账单明细 导出): no published layout and no public code that could be
  cited was found; the names below are unconfirmed. 商家应收款 (the merchant's receivable) and 交易类型
  外卖订单 are what public code in the search index reads from the export (its repository not named there);
  the API behind the export is wm/bill/list (developer.waimai.meituan.com docDetail/588).

The payment gateways' settlement files, matched to our payments by our request id (services/payouts.py):

- Alipay 业务明细 (the trade bill, alipay.data.dataservice.bill.downloadurl.query bill_type=trade, opendocs.alipay.com
  api_15): "#" comment lines around the table; 商户订单号 (our request id), 业务类型 交易/退款, 订单金额（元）,
  商家实收（元）, 服务费（元）.
- WeChat Pay 交易账单 (downloadbill bill_type=ALL, pay.weixin.qq.com/wiki/doc/api/micropay.php?chapter=9_6):
  every cell opens with a backquote, 交易状态 SUCCESS / REFUND / REVOKED, 应结订单金额 (older bills: 总金额),
  退款金额, 手续费, then a 总交易单数 summary that is not a line.
- Stripe "Balance change from activity" itemized report (balance_change_from_activity.itemized.3,
  docs.stripe.com/reports/reporting-categories): gross, fee, net in major units, reporting_category charge /
  refund, payment_intent_id and, when chosen as a column, payment_metadata[request_id].

A file that cannot be read whole is refused with the line and the reason: nothing of it is kept.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from posapp.domain.money import minor_units
from posapp.domain.payouts import LineKind, Statement, StatementLine
from posapp.errors import PayloadError, StatementError

MAX_BYTES = 20 * 1024 * 1024  # a month of a busy store is a few MB; anything bigger is not a statement
MAX_LINES = 200_000
MAX_ID = 128


@dataclass(frozen=True, slots=True)
class Layout:
    """Which header names mean what in one platform's statement (first match wins)."""

    order_id: tuple[str, ...]
    net: tuple[str, ...]
    gross: tuple[str, ...] = ()
    fees: tuple[str, ...] = ()  # summed: each is a fee the platform kept
    kind: tuple[str, ...] = ()
    day: tuple[str, ...] = ()
    currency: tuple[str, ...] = ()
    refund_words: tuple[str, ...] = ()
    adjustment_words: tuple[str, ...] = ()
    skip_words: tuple[str, ...] = ()  # rows such as 合计 / Total that sum the others
    stop_words: tuple[
        str, ...
    ] = ()  # a first cell that starts with one ends the table (Alipay "#", 总交易单数)
    void_words: tuple[str, ...] = ()  # a kind that moved no money (WeChat REVOKED: reversed before settling)
    refund_net: tuple[str, ...] = ()  # where a refund line's amount is, when not in the net column
    signed_refunds: bool = False  # a refund line's net is money taken back whatever sign the file gives it


LAYOUTS: dict[str, Layout] = {
    "ubereats": Layout(
        order_id=("order id", "order uuid"),
        net=("payment", "total payout", "total payout ", "payout"),
        gross=("total order (vat included)", "total sales after adjustments (incl tax)", "food sales"),
        fees=("uber total service fee", "marketplace fee", "uber service fee"),
        kind=("order status", "status"),
        day=("order date / refund date", "order date", "payment date"),
        currency=("currency",),
        refund_words=("refund",),
        adjustment_words=("adjustment", "correction"),
        skip_words=("total",),
    ),
    "doordash": Layout(
        # posapp confirms each order with merchant_supplied_id = DoorDash's order id (connectors/doordash.py),
        # which the report returns as external_id / external_order_uuid; DoorDash's own ids come after.
        order_id=(
            "external_order_uuid",
            "external_id",
            "merchant_supplied_id",
            "doordash_order_id",
            "dd_order_id",
            "delivery_uuid",
        ),
        net=("net_payout", "net_total", "net payout", "net total"),
        gross=("order_subtotal_dollar", "subtotal", "order_subtotal"),
        fees=("order_commission_dollar", "commission", "commission_tax_dollar", "order_marketing_fee_dollar"),
        kind=("transaction_type", "transaction type"),
        day=("transaction_date_local", "timestamp_local_date", "transaction_date_utc"),
        currency=("currency",),
        refund_words=("refund", "error charge", "error_charge"),
        adjustment_words=("adjustment",),
    ),
    "meituan": Layout(
        order_id=("订单号", "订单编号", "订单id", "order_id"),
        net=("结算金额", "商家应收款", "商家应收", "商家收入", "应结金额"),
        gross=("用户实付", "顾客实付", "订单金额", "商品总价"),
        fees=("佣金", "平台服务费", "技术服务费", "履约服务费"),
        kind=("交易类型", "账单类型", "订单类型"),
        day=("下单时间", "下单日期", "账单日期", "日期"),  # the order's own day first: it is what we match
        refund_words=("退款",),
        adjustment_words=("调账", "调整", "赔付", "罚款", "补贴"),
        skip_words=("合计", "总计"),
    ),
    "eleme": Layout(
        order_id=("订单编号", "订单号", "订单id"),
        net=("结算金额", "商户应收", "本期应结", "应结金额"),
        gross=("顾客实付", "用户实付", "订单金额", "订单总额"),
        fees=("服务费", "技术服务费", "平台服务费", "佣金", "配送服务费"),
        kind=("交易类型", "账单类型", "订单类型", "类型"),
        day=("下单时间", "下单日期", "账单日期", "日期"),  # the order's own day first: it is what we match
        refund_words=("退款", "退单"),
        adjustment_words=("调账", "调整", "赔付", "罚款", "补贴"),
        skip_words=("合计", "总计"),
    ),
    "alipay": Layout(
        order_id=("商户订单号",),
        net=("商家实收（元）", "商家实收(元)", "商家实收"),
        gross=("订单金额（元）", "订单金额(元)", "订单金额"),
        fees=("服务费（元）", "服务费(元)", "服务费"),
        kind=("业务类型",),
        day=("完成时间", "创建时间"),
        refund_words=("退款",),
        stop_words=("#",),
        signed_refunds=True,
    ),
    "wechat": Layout(
        order_id=("商户订单号",),
        net=("应结订单金额", "总金额"),
        gross=("订单金额", "总金额"),
        fees=("手续费",),
        kind=("交易状态",),
        day=("交易时间",),
        currency=("货币种类",),
        refund_words=("refund",),
        void_words=("revoked",),
        stop_words=("总交易单数",),
        refund_net=("退款金额",),
        signed_refunds=True,
    ),
    "stripe": Layout(
        order_id=("payment_metadata[request_id]", "payment_intent_id"),
        net=("net",),
        gross=("gross",),
        fees=("fee",),
        kind=("reporting_category",),
        day=("created_utc", "created"),
        currency=("currency",),
        refund_words=("refund",),
        adjustment_words=("dispute", "adjustment", "fee", "other"),
        signed_refunds=True,
    ),
}
GATEWAYS = ("alipay", "wechat", "stripe")  # statements matched to payments, not to orders

_SPACES = re.compile(r"\s+")


def parse_statement(platform: str, source: str, data: bytes, *, currency: str) -> Statement:
    """The statement in ``data`` (CSV or .xlsx, told apart by its first bytes) for ``platform``.

    ``currency`` is used where the statement names none (Uber Eats, Meituan and Ele.me do not).
    Raises ``StatementError`` with the line and the reason for the first line that cannot be read.
    """
    layout = LAYOUTS.get(platform)
    if layout is None:
        raise StatementError(f"no statement format is known for {platform!r}")
    if len(data) > MAX_BYTES:
        raise StatementError(f"the file is larger than {MAX_BYTES // (1024 * 1024)} MB: not a statement")
    if not data.strip():
        raise StatementError("the file is empty")
    try:
        minor_units(currency)
    except PayloadError as exc:
        raise StatementError(str(exc)) from exc
    if data[:4] == b"PK\x03\x04":
        return Statement(platform, source, _xlsx_lines(platform, layout, data, currency))
    return Statement(platform, source, tuple(_lines(platform, layout, _csv_rows(data), currency)))


class _NoHeader(StatementError):
    """No line names both an order id and a payout column: not this platform's table."""


def _decode(data: bytes) -> str:
    """UTF-8 (with or without BOM); Chinese back offices also export GB18030 (Excel's default there)."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise StatementError("the file is neither UTF-8 nor GB18030 text, nor an .xlsx workbook")


def _csv_rows(data: bytes) -> Iterator[list[str]]:
    text = _decode(data)
    if "\x00" in text:
        raise StatementError("the file holds binary data: not a CSV statement")
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        yield from csv.reader(io.StringIO(text, newline=""), dialect)
    except csv.Error as exc:
        raise StatementError(f"the CSV cannot be read: {exc}") from exc


def _xlsx_lines(platform: str, layout: Layout, data: bytes, currency: str) -> tuple[StatementLine, ...]:
    """The lines of the workbook's first sheet that holds the platform's table. Ele.me's bill workbook opens
    with a 账单汇总 sheet of daily totals (no order ids) before its 外卖账单明细 sheet of orders
    (github.com/tired0408/learn, other/xiayun_crawler.py, which reads both sheets of the export)."""
    try:
        from openpyxl import load_workbook  # noqa: PLC0415 (only for .xlsx files)

        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zipfile, KeyError, ValueError... for a damaged file
        raise StatementError(f"the Excel workbook cannot be opened: {type(exc).__name__}") from exc
    try:
        first: _NoHeader | None = None
        for n, sheet in enumerate(book.worksheets):
            rows = ([_cell(value) for value in row] for row in sheet.iter_rows(values_only=True))
            try:
                return tuple(_lines(platform, layout, rows, currency))
            except _NoHeader as exc:
                first = first or exc
            except StatementError as exc:
                if n == 0:
                    raise
                raise StatementError(f"sheet {sheet.title!r}: {exc.reason}", exc.line) from exc
        raise first or _NoHeader(f"the workbook has no sheet: is this a {platform} statement?")
    finally:
        book.close()


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _norm(name: str) -> str:
    return _SPACES.sub(" ", _bare(name).strip("\ufeff")).lower()


def _bare(cell: str) -> str:
    """A cell without its spaces and WeChat's leading backquote (which keeps long ids as text in Excel)."""
    return cell.strip().removeprefix("`").strip()


def _find(header: Sequence[str], names: tuple[str, ...]) -> int | None:
    normal = [_norm(h) for h in header]
    for name in names:
        if name in normal:
            return normal.index(name)
    return None


def _lines(
    platform: str, layout: Layout, rows: Iterator[list[str]], currency: str
) -> Iterator[StatementLine]:
    header: list[str] | None = None
    columns: dict[str, int | None] = {}
    fee_columns: list[int] = []
    id_columns: list[int] = []
    for line_no, row in enumerate(rows, start=1):
        if line_no > MAX_LINES:
            raise StatementError(f"more than {MAX_LINES} lines: not one statement", line_no)
        if not any(cell.strip() for cell in row):
            continue
        if header is not None and layout.stop_words and row[0].strip().startswith(layout.stop_words):
            break  # the file's own totals and notes follow
        if header is None:
            # Some exports open with a title line or two (店铺名, 账单周期): the header is the first line
            # that names both the order id and the amount paid.
            if _find(row, layout.order_id) is None or _find(row, layout.net) is None:
                if line_no >= 10:
                    raise _NoHeader(
                        f"no header with an order id and a payout column ({layout.order_id[0]}, "
                        f"{layout.net[0]}) in the first lines: is this a {platform} statement?",
                        line_no,
                    )
                continue
            header = row
            columns = {
                "refund_net": _find(row, layout.refund_net),
                "net": _find(row, layout.net),
                "gross": _find(row, layout.gross),
                "kind": _find(row, layout.kind),
                "day": _find(row, layout.day),
                "currency": _find(row, layout.currency),
            }
            fee_columns = sorted({i for n in layout.fees if (i := _find(row, (n,))) is not None})
            id_columns = [i for n in layout.order_id if (i := _find(row, (n,))) is not None]
            continue
        line = _line(platform, layout, row, line_no, columns, fee_columns, id_columns, currency)
        if line is not None:
            yield line
    if header is None:
        raise _NoHeader(f"no header with an order id and a payout column: is this a {platform} statement?")


def _line(
    platform: str,
    layout: Layout,
    row: list[str],
    line_no: int,
    columns: dict[str, int | None],
    fee_columns: list[int],
    id_columns: list[int],
    default_currency: str,
) -> StatementLine | None:
    def cell(key: str) -> str:
        index = columns.get(key)
        return _bare(row[index]) if index is not None and index < len(row) else ""

    # The first id column with a value: a report may leave the POS's id empty on an order it did not send.
    external_id = next((_bare(row[i]) for i in id_columns if i < len(row) and _bare(row[i])), "")
    kind_text = cell("kind")
    if external_id.lower() in layout.skip_words or row[0].strip().lower() in layout.skip_words:
        return None  # a totals row
    if any(word in kind_text.lower() for word in layout.void_words):
        return None  # no money moved
    if len(external_id) > MAX_ID or any(ord(c) < 32 for c in external_id):
        raise StatementError("the order id is too long or holds control characters", line_no)
    currency = (cell("currency") or default_currency).upper()
    try:
        minor_units(currency)
    except PayloadError:
        raise StatementError(f"not a currency code: {currency!r}", line_no) from None
    if not cell("net"):
        raise StatementError("the payout amount is empty", line_no)
    net = _money(cell("net"), currency, line_no, "the payout amount")
    gross = _money(cell("gross"), currency, line_no, "the order amount") if cell("gross") else 0
    fees = sum(
        abs(_money(_bare(row[i]), currency, line_no, "a fee"))
        for i in fee_columns
        if i < len(row) and _bare(row[i])
    )
    kind = _kind(layout, kind_text, external_id)  # a line without an order id is an adjustment
    if kind is LineKind.REFUND and layout.signed_refunds:
        if cell("refund_net"):
            net = _money(cell("refund_net"), currency, line_no, "the refund amount")
        net = -abs(net)
    return StatementLine(
        line_no=line_no,
        platform=platform,
        external_id=external_id,
        kind=kind,
        currency=currency,
        gross=gross,
        fees=fees,
        net=net,
        day=_day(cell("day"), line_no),
        note=kind_text[:64],
    )


def _kind(layout: Layout, text: str, external_id: str) -> LineKind:
    lowered = text.lower()
    if any(word in lowered for word in layout.refund_words):
        return LineKind.REFUND
    if any(word in lowered for word in layout.adjustment_words) or not external_id:
        return LineKind.ADJUSTMENT
    return LineKind.ORDER


def _money(text: str, currency: str, line_no: int, what: str) -> int:
    """'¥12.30', '$1,234.56', '(1.20)' (accounting negative), '-3' as minor units, exactly."""
    raw = text.strip()
    negative = raw.startswith("(") and raw.endswith(")")
    cleaned = raw.strip("()").replace(",", "").replace(" ", "")
    cleaned = cleaned.lstrip("¥￥$€£").replace("元", "")
    if cleaned.startswith("-") and cleaned[1:2] in "¥￥$€£":
        cleaned = "-" + cleaned[2:]
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise StatementError(f"{what} is not a number: {raw!r}", line_no) from None
    if not value.is_finite() or abs(value) >= Decimal(10) ** 12:
        raise StatementError(f"{what} is not a plausible amount: {raw!r}", line_no)
    scaled = value * (Decimal(10) ** minor_units(currency))
    if scaled != scaled.to_integral_value():
        raise StatementError(f"{what} has more decimals than {currency} has: {raw!r}", line_no)
    return -int(scaled) if negative else int(scaled)


_DAY_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%m/%d/%Y", "%Y%m%d", "%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M:%S")


def _day(text: str, line_no: int) -> date | None:
    if not text:
        return None
    value = text.strip()
    for form in _DAY_FORMATS:
        try:
            return datetime.strptime(value, form).date()
        except ValueError:
            continue
    head = value[:10]  # '2026-03-11T12:00:00Z', '2026-03-11 0:00:00'
    for form in ("%Y-%m-%d", "%Y/%m/%d"):
        try:
            return datetime.strptime(head, form).date()
        except ValueError:
            continue
    raise StatementError(f"not a date: {value!r}", line_no)
