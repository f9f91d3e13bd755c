"""The hourly chart: orders as bars, sales as a line on its own axis (QtCharts)."""

from __future__ import annotations

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QLineSeries,
    QValueAxis,
)
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import QFrame, QWidget

from posapp.domain.money import minor_units
from posapp.services.reports import HourLine
from posapp.ui.i18n import t


class HourlyChart(QChartView):
    def __init__(self, parent: QWidget | None = None, *, dark: bool = True) -> None:
        super().__init__(parent)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(300)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setStyleSheet("background: transparent;")
        self._dark = dark
        self.set_hours((), "CNY")

    def set_hours(self, hours: tuple[HourLine, ...] | list[HourLine], currency: str) -> None:
        chart = QChart()
        chart.setTheme(QChart.ChartTheme.ChartThemeDark if self._dark else QChart.ChartTheme.ChartThemeLight)
        chart.setBackgroundRoundness(0)
        chart.setMargins(chart.margins() * 0)
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignTop)
        font = QFont()
        font.setPixelSize(16)
        chart.legend().setFont(font)

        orders = QBarSet(t("Orders"))
        orders.setColor(QColor("#2D7FF9"))
        orders.append([h.orders for h in hours])
        bars = QBarSeries()
        bars.append(orders)
        scale = 10 ** minor_units(currency)  # plotting only: the figures themselves stay integers
        sales = QLineSeries()
        sales.setName(t("Sales ({currency})").format(currency=currency))
        sales.setPen(QPen(QColor("#FFB300"), 3))
        for i, h in enumerate(hours):
            sales.append(QPointF(i, h.sales / scale))
        chart.addSeries(bars)
        chart.addSeries(sales)

        axis_x = QBarCategoryAxis()
        axis_x.append([f"{h.hour:02d}" for h in hours])
        axis_x.setLabelsFont(font)
        chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
        bars.attachAxis(axis_x)
        sales.attachAxis(axis_x)

        most = max((h.orders for h in hours), default=0)
        axis_orders = QValueAxis()
        step = max(1, -(-most // 5))  # whole orders per grid line
        axis_orders.setRange(0, step * 6)
        axis_orders.setTickType(QValueAxis.TickType.TicksDynamic)
        axis_orders.setTickAnchor(0)
        axis_orders.setTickInterval(step)
        axis_orders.setLabelFormat("%d")
        axis_orders.setLabelsFont(font)
        chart.addAxis(axis_orders, Qt.AlignmentFlag.AlignLeft)
        bars.attachAxis(axis_orders)

        top_sales = max((p.y() for p in sales.points()), default=0.0)
        axis_sales = QValueAxis()
        axis_sales.setRange(0, max(top_sales, 1.0) * 1.15)
        axis_sales.applyNiceNumbers()
        axis_sales.setGridLineVisible(False)  # one grid (the orders axis) is easier to read
        axis_sales.setLabelFormat("%.0f")
        axis_sales.setLabelsFont(font)
        chart.addAxis(axis_sales, Qt.AlignmentFlag.AlignRight)
        sales.attachAxis(axis_sales)

        old = self.chart()
        self.setChart(chart)
        if old is not None:
            old.deleteLater()
        self.series_orders = [int(orders.at(i)) for i in range(orders.count())]
