"""The Customers tab's segments: the rules, the figures per platform and overall, the customers of a segment
and one customer's history across platforms. Display only: the rules are posapp.reports.segments'."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from posapp.domain.customers import CustomerOrder
from posapp.domain.money import Money
from posapp.services.customers import CustomerSummary, ScopeFigures, Segment, SegmentReport
from posapp.ui.i18n import t
from posapp.ui.theme import platform_label
from posapp.ui.widgets import FlowLayout, TouchDialog, kinetic

SEGMENTS = (Segment.NEW, Segment.REGULAR, Segment.HIGH_VALUE, Segment.LAPSING, Segment.LOST)


def segment_word(segment: Segment) -> str:
    return {
        Segment.NEW: t("New customer"),
        Segment.REGULAR: t("Regular"),
        Segment.HIGH_VALUE: t("High-value"),
        Segment.LAPSING: t("Lapsing"),
        Segment.LOST: t("Lost customer"),
    }[segment]


def _table(headers: Sequence[str], row_height: int) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(list(headers))
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setDefaultSectionSize(row_height)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    table.setWordWrap(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
    kinetic(table)
    return table


def _fill(table: QTableWidget, rows: Sequence[Sequence[Any]], numeric_from: int) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            item = QTableWidgetItem(str(value))
            if c >= numeric_from:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(r, c, item)


class SegmentBox(QFrame):
    """One segment: how many customers, its name and its rule; a tap shows only its customers."""

    tapped = Signal(object)  # Segment

    def __init__(self, segment: Segment) -> None:
        super().__init__()
        self.segment = segment
        self.setObjectName("segmentBox")
        self.setProperty("chosen", False)
        self.setMinimumHeight(96)
        self.count = QLabel("–")
        self.count.setObjectName("figureValue")
        self.caption = QLabel(segment_word(segment))
        self.caption.setObjectName("segmentName")
        self.rule = QLabel()
        self.rule.setObjectName("segmentRule")
        self.rule.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(self.count)
        top.addWidget(self.caption, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.setSpacing(2)
        layout.addLayout(top)
        layout.addWidget(self.rule, 1)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt's name)
        super().mouseReleaseEvent(event)
        if self.rect().contains(event.position().toPoint()):
            self.tapped.emit(self.segment)

    def set_chosen(self, chosen: bool) -> None:
        self.setProperty("chosen", chosen)
        self.style().unpolish(self)
        self.style().polish(self)


STYLE = """
QPushButton#scopeChoice { min-height: 48px; padding: 0 14px; }
QPushButton#scopeChoice:checked { background: #F2C94C; color: #111111; border: 3px solid #FFFFFF; }
QFrame#segmentBox { border: 1px solid #5D6770; border-radius: 8px; }
QFrame#segmentBox[chosen="true"] { border: 3px solid #F2C94C; }
QLabel#segmentName { font-size: 18px; font-weight: 700; }
QLabel#segmentRule { font-size: 14px; }
"""


class SegmentsPage(QWidget):
    """Scope buttons (all platforms or one), a box per segment with its rule, the customers of the scope (of
    one segment after a tap on its box); a tap on a customer asks for their history. ``by_platform`` is the
    table of every platform's figures, shown on its own tab."""

    requested = Signal(object)  # the platform to list customers of, or None for all
    exportRequested = Signal()
    historyRequested = Signal(str)  # a customer's key

    ROW = 48

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tz: Any = None
        self.platform: str | None = None
        self.only: Segment | None = None
        self.report: SegmentReport | None = None
        self.setStyleSheet(STYLE)
        self.scope_group = QButtonGroup(self)
        self.scope_buttons: dict[str | None, QPushButton] = {}
        self.bar = FlowLayout(spacing=8)
        self._scope_button(None)
        # Refresh and Export sit beside the status line (the tab bar's corner is needed for the Customers tabs).
        self.refresh_button = QPushButton(t("Refresh"))
        self.refresh_button.setMinimumHeight(48)
        self.refresh_button.clicked.connect(lambda: self.requested.emit(self.platform))
        self.export_button = QPushButton(t("Export CSV"))
        self.export_button.setMinimumHeight(48)
        self.export_button.setEnabled(False)
        self.export_button.clicked.connect(self.exportRequested)

        boxes = QHBoxLayout()
        boxes.setSpacing(6)
        self.boxes: dict[Segment, SegmentBox] = {}
        for segment in SEGMENTS:
            box = SegmentBox(segment)
            box.tapped.connect(self._segment_tapped)
            self.boxes[segment] = box
            boxes.addWidget(box, 1)

        self.customers_table = _table(
            [t("Segment"), t("Name"), t("Phone"), t("Platforms"), t("Orders"), t("Last order"), t("Spent")],
            self.ROW,
        )
        self.customers_table.cellClicked.connect(self._tapped)
        header = self.customers_table.horizontalHeader()
        for column in (0, 2, 4, 5, 6):  # segment, phone, orders, last order, spent: as wide as they read
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.status = QLabel()
        self.status.setObjectName("reportStatus")
        self.status.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.setSpacing(6)
        layout.addLayout(self.bar)
        layout.addLayout(boxes)
        status_row = QHBoxLayout()
        status_row.addWidget(self.status, 1)
        status_row.addWidget(self.refresh_button)
        status_row.addWidget(self.export_button)
        layout.addLayout(status_row)
        layout.addWidget(self.customers_table, 1)
        self.customers: list[CustomerSummary] = []

        self.by_platform = QWidget()
        self.figures = _table(
            [
                t("Platform"),
                t("Customers\nidentified"),
                t("Repeat\nrate"),
                t("Orders per\ncustomer"),
                t("Average\norder"),
            ]
            + [segment_word(s) for s in SEGMENTS],
            self.ROW,
        )
        self.identity_note = QLabel(
            t("Masked and relay phones count within their platform only; a full phone joins the own website and manual orders.")
        )  # fmt: skip
        self.identity_note.setObjectName("reportStatus")
        self.identity_note.setWordWrap(True)
        platform_layout = QVBoxLayout(self.by_platform)
        platform_layout.addWidget(self.figures, 1)
        platform_layout.addWidget(self.identity_note)

    def _scope_button(self, platform: str | None) -> QPushButton:
        button = QPushButton(t("All platforms") if platform is None else platform_label(platform))
        button.setObjectName("scopeChoice")
        button.setCheckable(True)
        button.setChecked(platform == self.platform)
        button.clicked.connect(lambda _checked=False, p=platform: self._choose(p))
        self.scope_group.addButton(button)
        self.scope_buttons[platform] = button
        self.bar.addWidget(button)
        return button

    def _choose(self, platform: str | None) -> None:
        self.platform = platform
        self.requested.emit(platform)

    def _segment_tapped(self, segment: Segment) -> None:
        self.only = None if self.only is segment else segment
        if self.report is not None:
            self.show_report(self.report)

    def _tapped(self, row: int, _column: int) -> None:
        if 0 <= row < len(self.customers):
            self.historyRequested.emit(self.customers[row].key)

    def _money(self, amount: int) -> str:
        currency = self.report.currency if self.report is not None else "CNY"
        return Money(amount, currency).format()

    def _figure_row(self, f: ScopeFigures) -> list[Any]:
        name = t("All platforms") if f.platform is None else platform_label(f.platform)
        return [
            name,
            f.customers,
            f"{f.repeat_rate:.0%}",
            f"{f.orders_per_customer:.1f}",
            self._money(f.average_order),
            *(f.segments[s] for s in SEGMENTS),
        ]

    def scope_figures(self) -> ScopeFigures | None:
        if self.report is None:
            return None
        if self.platform is None:
            return self.report.overall
        return next((f for f in self.report.platforms if f.platform == self.platform), None)

    def show_report(self, report: SegmentReport) -> None:
        self.report = report
        for p in (f.platform for f in report.platforms):
            if p not in self.scope_buttons:
                self._scope_button(p)
        self.scope_buttons[self.platform if self.platform in self.scope_buttons else None].setChecked(True)
        scope = self.scope_figures()
        for rule in report.rules():
            box = self.boxes[rule.segment]
            box.rule.setText(t(rule.template).format(**rule.values))
            box.count.setText(str(scope.segments[rule.segment]) if scope is not None else "0")
            box.set_chosen(rule.segment is self.only)
        _fill(
            self.figures, [self._figure_row(f) for f in (report.overall, *report.platforms)], numeric_from=1
        )
        self.customers = [c for c in report.customers if self.only is None or c.segment is self.only]
        _fill(
            self.customers_table,
            [
                [
                    segment_word(c.segment),
                    c.name or "",
                    c.phone,
                    ", ".join(platform_label(p) for p in c.platforms),
                    c.orders,
                    self._when(c.last_order_at),
                    self._money(c.spent),
                ]
                for c in self.customers
            ],
            numeric_from=4,
        )
        self.export_button.setEnabled(bool(report.customers))
        if scope is None or not report.customers:
            self.status.setText(t("No customer with a phone number in the kept orders."))
            return
        self.status.setText(
            t(
                "{customers} customers · {repeat} came back · {orders} orders each · {average} per order"
            ).format(
                customers=scope.customers,
                repeat=f"{scope.repeat_rate:.0%}",
                orders=f"{scope.orders_per_customer:.1f}",
                average=self._money(scope.average_order),
            )
            + " · "
            + t("Tap a customer to see their orders on every platform.")
        )

    def _when(self, at: Any) -> str:
        local = at.astimezone(self.tz) if self.tz is not None else at
        return f"{local:%Y-%m-%d}"

    def show_message(self, text: str) -> None:
        self.status.setText(text)


class HistoryDialog(TouchDialog):
    """One customer's orders, newest first, on every platform that identifies them as one."""

    def __init__(
        self,
        customer: CustomerSummary,
        orders: Sequence[CustomerOrder],
        tz: Any,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            t("{name} · {segment} · {n} orders").format(
                name=customer.name or customer.phone, segment=segment_word(customer.segment), n=len(orders)
            ),
            parent,
        )
        self.table = _table([t("Placed"), t("Platform"), t("Order"), t("Name"), t("Phone"), t("Total")], 48)
        rows = []
        for o in orders:
            at = o.placed_at.astimezone(tz) if tz is not None else o.placed_at
            rows.append(
                [
                    f"{at:%Y-%m-%d %H:%M}",
                    platform_label(o.platform),
                    f"#{o.display_id}",
                    o.name or "",
                    o.phone,
                    Money(o.total, o.currency).format(),
                ]
            )
        _fill(self.table, rows, numeric_from=5)
        for column in (0, 4):  # the time and the phone read whole
            self.table.horizontalHeader().setSectionResizeMode(
                column, QHeaderView.ResizeMode.ResizeToContents
            )
        self.content.addWidget(self.table, 1)
        self.resize(900, 600)
