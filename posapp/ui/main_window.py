"""The main window: header with counts and clock, the card queue, a banner, and the status strip."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, tzinfo

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListView,
    QMainWindow,
    QVBoxLayout,
    QWidget,
)

from posapp.domain.order import OrderStatus
from posapp.services.hub import Notice
from posapp.ui.card_delegate import CardDelegate
from posapp.ui.queue_model import QueueModel
from posapp.ui.theme import DARK, Palette, style_sheet


class MainWindow(QMainWindow):
    """Emits ``intent(order_id, action)`` when staff tap a card button; never touches storage itself."""

    intent = Signal(int, str)
    closing = Signal()

    def __init__(
        self,
        model: QueueModel,
        *,
        palette: Palette = DARK,
        scale: float = 1.0,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        tz: tzinfo = UTC,
        store_name: str = "posapp",
    ) -> None:
        super().__init__()
        self.model = model
        self.clock = clock
        self.tz = tz
        self.setWindowTitle(f"posapp — {store_name}")
        self.setStyleSheet(style_sheet(palette, scale))
        central = QWidget(objectName="central")
        layout = QVBoxLayout(central)
        layout.setContentsMargins(12, 8, 12, 0)
        layout.setSpacing(8)

        header = QHBoxLayout()
        self.title = QLabel(store_name, objectName="title")
        self.counts = QLabel("", objectName="counts")
        self.clock_label = QLabel("", objectName="clock")
        header.addWidget(self.title)
        header.addSpacing(24)
        header.addWidget(self.counts, 1)
        header.addWidget(self.clock_label)
        layout.addLayout(header)

        self.banner = QLabel("", objectName="banner")
        self.banner.setWordWrap(True)
        self.banner.hide()
        layout.addWidget(self.banner)
        self._banner_timer = QTimer(self, singleShot=True, interval=8000)
        self._banner_timer.timeout.connect(self.banner.hide)

        self.view = QListView()
        self.view.setModel(model)
        self.delegate = CardDelegate(self.view, palette=palette, scale=scale, clock=clock, tz=tz)
        self.view.setItemDelegate(self.delegate)
        self.view.setFlow(QListView.Flow.LeftToRight)
        self.view.setWrapping(True)
        self.view.setResizeMode(QListView.ResizeMode.Adjust)
        self.view.setLayoutMode(QListView.LayoutMode.Batched)
        self.view.setBatchSize(50)
        self.view.setSpacing(4)
        self.view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setMouseTracking(False)
        self.empty = QLabel("No open orders — new orders appear here", alignment=Qt.AlignmentFlag.AlignCenter)
        self.empty.setObjectName("counts")
        layout.addWidget(self.empty)
        layout.addWidget(self.view, 1)
        self.delegate.actionRequested.connect(self.intent)

        self.strip = QFrame(objectName="statusStrip")
        self.strip_layout = QHBoxLayout(self.strip)
        self.strip_layout.setContentsMargins(4, 2, 4, 2)
        self.strip_layout.addStretch(1)
        self._strip: dict[str, QLabel] = {}
        layout.addWidget(self.strip)
        self.setCentralWidget(central)

        for sig in (model.rowsInserted, model.rowsRemoved, model.dataChanged, model.modelReset):
            sig.connect(self._update_counts)
        self._update_counts()
        self._tick = QTimer(self, interval=1000)
        self._tick.timeout.connect(self._on_tick)
        self._tick.start()
        self._on_tick()

    def sizeHint(self) -> QSize:
        return QSize(1280, 800)

    # -- state rendering -------------------------------------------------------------------------
    def _update_counts(self, *_args: object) -> None:
        counts = Counter(o.status for o in self.model.orders())
        parts = [
            f"New {counts[OrderStatus.NEW]}",
            f"Accepted {counts[OrderStatus.ACCEPTED]}",
            f"Cooking {counts[OrderStatus.PREPARING]}",
            f"Ready {counts[OrderStatus.READY]}",
        ]
        self.counts.setText("   ·   ".join(parts))
        has_rows = self.model.rowCount() > 0
        self.empty.setVisible(not has_rows)
        self.view.setVisible(has_rows)

    def _on_tick(self) -> None:
        self.clock_label.setText(f"{self.clock().astimezone(self.tz):%H:%M:%S}")
        self.view.viewport().update()  # repaint the age timers

    def show_message(self, text: str, level: str = "error") -> None:
        """A banner staff can read from a metre away; hides itself after a few seconds."""
        self.banner.setText(text)
        colour = {"error": "#FF3B30", "warning": "#FFB300", "info": "#2D7FF9"}.get(level, "#FF3B30")
        fg = "#000000" if level == "warning" else "#FFFFFF"
        self.banner.setStyleSheet(f"background: {colour}; color: {fg};")
        self.banner.show()
        self._banner_timer.start()

    def set_status(self, key: str, text: str, level: str = "info") -> None:
        label = self._strip.get(key)
        if label is None:
            label = QLabel()
            self._strip[key] = label
            self.strip_layout.insertWidget(self.strip_layout.count() - 1, label)
        colour = {"error": "#FF6B6B", "warning": "#FFD166", "info": "#AEB6BF", "ok": "#2ECC71"}.get(
            level, "#AEB6BF"
        )
        label.setStyleSheet(f"color: {colour};")
        label.setText(text)

    def on_notice(self, notice: Notice) -> None:
        if notice.source.startswith("platform:"):
            name = notice.data.get("platform", notice.source)
            ok = notice.data.get("state") == "online"
            self.set_status(
                notice.source, f"● {name}" if ok else f"✖ {name}: {notice.text}", "ok" if ok else "warning"
            )
        elif notice.source == "upload":
            # Head-office sync: "✓ All synced", "412 changes waiting — offline since 14:02", "Sync off".
            from posapp.services.upload import describe_state

            self.set_status("upload", *describe_state(notice.data, self.tz))
        elif notice.source == "quarantine":
            self.set_status("quarantine", f"⚠ {notice.data.get('count', 0)} quarantined", "warning")
        elif "pending" in notice.data:
            pending = notice.data["pending"]
            if notice.data.get("halted"):
                self.set_status(notice.source, f"✖ {notice.source}: {notice.text}", "error")
            elif pending:
                err = f" — {notice.text}" if notice.text else ""
                self.set_status(notice.source, f"{notice.source}: {pending} waiting{err}", "warning")
            else:
                self.set_status(notice.source, f"{notice.source}: ✓", "ok")
        elif notice.text:
            self.show_message(notice.text, notice.level)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.closing.emit()
        super().closeEvent(event)
