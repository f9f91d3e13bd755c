"""The main window: header, filter bar, the card queue, alerts, all-day panel and the status strip.

It renders state and emits intents; the controller (ui/controller.py) turns intents into service calls.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta, tzinfo

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPoint, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent, QKeySequence, QMouseEvent, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QPushButton,
    QScroller,
    QScrollerProperties,
    QSplitter,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from posapp.domain.kitchen import MenuIndex, all_day_counts
from posapp.domain.lifecycle import Action, card_actions
from posapp.domain.order import Order, OrderStatus
from posapp.services.hub import Notice
from posapp.ui.card_delegate import CardDelegate
from posapp.ui.fit import fill_screen, fit_to_screen
from posapp.ui.i18n import t
from posapp.ui.keyboard import KeyboardController
from posapp.ui.queue_filter import QueueFilter
from posapp.ui.queue_model import OrderRole, QueueModel
from posapp.ui.sentences import say
from posapp.ui.theme import (
    BANNER_COLOURS,
    BANNER_DIM,
    DARK,
    GO,
    STOP,
    STRIP_COLOURS,
    Palette,
    platform_label,
    style_sheet,
    text_on,
)
from posapp.ui.widgets import (
    ElidedLabel,
    FlowLayout,
    LongPress,
    TapGuard,
    chip,
    escape_mnemonic,
    kinetic,
    named,
)

STATE_CHIPS = [
    (OrderStatus.NEW, "NEW"),
    (OrderStatus.ACCEPTED, "ACCEPTED"),
    (OrderStatus.PREPARING, "COOKING"),
    (OrderStatus.READY, "READY"),
]


class MainWindow(QMainWindow):
    """Emits intents; never touches storage or the network itself."""

    SEARCH_IDLE_MS = 20_000
    intent = Signal(int, str)  # order id, action (no reason needed)
    reasonNeeded = Signal(int, str)  # order id, action (reject / cancel): the controller asks for a reason
    detailRequested = Signal(int)
    undoRequested = Signal(int)
    acceptAllRequested = Signal(list)
    recallRequested = Signal()
    soldOutRequested = Signal()
    pauseToggled = Signal(bool)
    settingsRequested = Signal()
    closing = Signal()
    allDayOpened = Signal()  # All day shown: the app refreshes the catalogue's dish ids (set_menu)

    def __init__(
        self,
        model: QueueModel,
        *,
        palette: Palette = DARK,
        scale: float = 1.0,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        tz: tzinfo = UTC,
        store_name: str = "posapp",
        platforms: Sequence[str] = (),
    ) -> None:
        super().__init__()
        self.model = model
        self.clock = clock
        self.tz = tz
        self.scale = scale
        self.store_name = store_name
        self.proxy = QueueFilter(self)
        self.proxy.setSourceModel(model)
        self.setWindowTitle(f"posapp — {store_name}")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.apply_theme(palette, scale)
        central = named(QWidget(), "central")
        layout = QVBoxLayout(central)
        layout.setContentsMargins(12, 8, 12, 0)
        layout.setSpacing(6)

        # Row 1: store, counts, clock.
        header = QHBoxLayout()
        self.title = named(QLabel(store_name), "title")
        self.counts = ElidedLabel("")
        self.counts.setObjectName("counts")
        self.clock_label = named(QLabel(""), "clock")
        header.addWidget(self.title)
        header.addSpacing(24)
        header.addWidget(self.counts, 1)
        self.search = QLineEdit()
        header.addWidget(self.search)
        # Qt's own clear button is 22×18 px: a finger-sized one beside the field instead.
        self.search_clear = QPushButton("×")
        self.search_clear.setObjectName("searchClear")
        self.search_clear.setFixedSize(48, 48)
        self.search_clear.setStyleSheet("min-width: 48px; max-width: 48px; padding: 0; font-size: 28px;")
        self.search_clear.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.search_clear.setAccessibleName(t("Clear search"))
        self.search_clear.hide()
        self.search_clear.clicked.connect(self._clear_search)
        header.addWidget(self.search_clear)
        header.addSpacing(16)
        header.addWidget(self.clock_label)
        layout.addLayout(header)

        # Row 2: filters (they wrap to a second row on a narrow screen).
        bar = FlowLayout(spacing=6)
        self.state_chips: dict[OrderStatus, QPushButton] = {}
        for status, label in STATE_CHIPS:
            button = chip(t(label))
            button.toggled.connect(self._filters_changed)
            self.state_chips[status] = button
            bar.addWidget(button)
        self.platform_bar = bar
        self.dish_filter = QPushButton("")
        self.dish_filter.setObjectName("dishFilter")
        self.dish_filter.setMinimumHeight(48)
        self.dish_filter.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.dish_filter.setStyleSheet(f"background: {palette.note_bg}; color: {palette.note_text};")
        self.dish_filter.hide()
        self.dish_filter.clicked.connect(lambda: self.clear_dish_filter())
        self._dish_names: dict[str, str] = {}
        bar.addWidget(self.dish_filter)
        self.platform_chips: dict[str, QPushButton] = {}
        for name in platforms:
            self._ensure_platform_chip(name)
        self.search.setPlaceholderText(t("Search # or name"))
        self.search.setMinimumHeight(48)
        self.search.setMaximumWidth(int(260 * scale))
        self.search.setMinimumWidth(int(180 * scale))  # the counts elide first; the search stays readable
        self.search.textChanged.connect(self._filters_changed)
        self.search.textChanged.connect(lambda text: self.search_clear.setVisible(bool(text)))
        # The bump bar is a keyboard: its keys go to the queue. Search takes keys only once tapped, and gives
        # them back on Enter, Escape, or after a while without typing.
        self.search.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.search.installEventFilter(self)
        self._search_idle = QTimer(self, singleShot=True, interval=self.SEARCH_IDLE_MS)
        self._search_idle.timeout.connect(self.focus_queue)
        self.search.textEdited.connect(lambda _text: self._search_idle.start())
        self.search.returnPressed.connect(self.focus_queue)  # the on-screen keyboard's Done, too
        KeyboardController.install()  # touch-only: a tapped text field gets the on-screen keyboard
        layout.addLayout(bar)

        # Store-wide actions live in a bottom bar, under the thumbs, away from the cards' own buttons.
        actions = FlowLayout(spacing=8)  # a second row on a narrow screen rather than cut-off labels
        self.accept_all = self._tool(t("Accept all"), GO, self._accept_all)
        self.all_day_button = self._tool(t("All day"), "#34495E", self.toggle_all_day, checkable=True)
        self.recall_button = self._tool(t("Recall"), "#34495E", self.recallRequested.emit)
        self.sold_out_button = self._tool(t("Sold out"), "#34495E", self.soldOutRequested.emit)
        self.pause_button = self._tool(
            t("Pause"),
            "#8E44AD",
            self._pause_clicked,
            checkable=True,
        )
        self.settings_button = self._tool(t("Settings"), "#34495E", self.settingsRequested.emit)
        self.new_order_button: QPushButton | None = None
        self.manager_button: QPushButton | None = None
        self.setup_button: QPushButton | None = None
        for button in (self.accept_all, self.all_day_button, self.recall_button, self.sold_out_button):
            actions.addWidget(button)
        self.extra_tools = actions
        self._tools_end = (self.pause_button, self.settings_button)
        for button in self._tools_end:
            actions.addWidget(button)

        # Alerts float over the queue (they never push the cards down under a finger): on top the accept
        # alarm, which stays until no order is overdue, and the message banner; at the bottom the undo bar.
        self.alarm_banner = named(QLabel(""), "banner")
        self.alarm_banner.setWordWrap(True)
        self.alarm_banner.hide()
        self.alarm_started: datetime | None = None
        self.banner = named(QLabel(""), "banner")
        self.banner.setWordWrap(True)
        self.banner.hide()
        self.banner_level = ""
        self._banner_until: datetime | None = None  # by the window's clock, checked every tick
        self._flash = QTimer(self, interval=500)
        self._flash.timeout.connect(self._flash_banner)
        self._flash_on = False
        self.undo_bar = named(QPushButton(""), "undoBar")
        self.undo_bar.setMinimumHeight(64)
        self.undo_bar.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.undo_bar.hide()
        self.undo_bar.clicked.connect(self._undo_clicked)
        self._undo_action: Callable[[], object] | None = None
        self._undo_timer = QTimer(self, singleShot=True, interval=15000)
        self._undo_timer.timeout.connect(self.undo_bar.hide)
        self.tap_guard = TapGuard()
        self.paused = False
        self.sold_out: list[str] = []
        self.paused_banner = named(QLabel(t("Store paused: no new orders from any platform")), "banner")
        self.paused_banner.setWordWrap(True)
        self.paused_banner.setStyleSheet(f"background: {BANNER_COLOURS['warning']}; color: #000000;")
        self.paused_banner.hide()

        # The queue, and the all-day panel beside it.
        self.view = QListView()
        self.view.setModel(self.proxy)
        self.delegate = CardDelegate(self.view, palette=palette, scale=scale, clock=clock, tz=tz)
        self.view.setItemDelegate(self.delegate)
        self.view.setFlow(QListView.Flow.LeftToRight)
        self.view.setWrapping(True)
        self.view.setResizeMode(QListView.ResizeMode.Adjust)
        self.view.setLayoutMode(QListView.LayoutMode.Batched)
        self.view.setBatchSize(60)
        self.view.setSpacing(4)
        self.view.setUniformItemSizes(False)
        self.view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.view.verticalScrollBar().setSingleStep(40)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.delegate.actionRequested.connect(self._card_action)
        self.delegate.cardTapped.connect(self.detailRequested)
        self.view.viewport().installEventFilter(self)
        self.empty = QLabel(
            t("No open orders — new orders appear here"), alignment=Qt.AlignmentFlag.AlignCenter
        )
        self.empty.setObjectName("counts")

        self.all_day = QListWidget()
        self.all_day.setObjectName("allDay")
        self.all_day.setMinimumWidth(int(300 * scale))
        self.all_day.setWordWrap(True)
        self.all_day.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.all_day.itemClicked.connect(self._all_day_clicked)
        kinetic(self.all_day)
        self.all_day.hide()
        self.splitter = QSplitter()
        queue_box = QWidget()
        queue_layout = QVBoxLayout(queue_box)
        queue_layout.setContentsMargins(0, 0, 0, 0)
        queue_layout.addWidget(self.empty)
        queue_layout.addWidget(self.view, 1)
        self.queue_box = queue_box
        self.overlay = QWidget(queue_box)
        self.overlay.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, False)
        overlay_layout = QVBoxLayout(self.overlay)
        overlay_layout.setContentsMargins(8, 4, 8, 4)
        overlay_layout.setSpacing(4)
        overlay_layout.addWidget(self.alarm_banner)
        overlay_layout.addWidget(self.paused_banner)
        overlay_layout.addWidget(self.banner)
        self.overlay.hide()
        self.undo_bar.setParent(queue_box)
        queue_box.installEventFilter(self)
        # Drag to scroll, with momentum, as on a phone; a drag never opens the card it ends on.
        QScroller.grabGesture(self.view.viewport(), QScroller.ScrollerGestureType.LeftMouseButtonGesture)
        props = QScroller.scroller(self.view.viewport()).scrollerProperties()
        props.setScrollMetric(QScrollerProperties.ScrollMetric.MousePressEventDelay, 0)
        props.setScrollMetric(
            QScrollerProperties.ScrollMetric.HorizontalOvershootPolicy,
            QScrollerProperties.OvershootPolicy.OvershootAlwaysOff,
        )
        QScroller.scroller(self.view.viewport()).setScrollerProperties(props)
        self._press_at: QPoint | None = None
        self._last_tap: QPoint | None = None
        self._long_pressed = False
        LongPress(self.view.viewport(), self._card_long_press)
        self.splitter.addWidget(queue_box)
        self.splitter.addWidget(self.all_day)
        self.splitter.setStretchFactor(0, 4)
        self.splitter.setStretchFactor(1, 1)
        layout.addWidget(self.splitter, 1)

        layout.addLayout(actions)
        self.strip = named(QFrame(), "statusStrip")
        self.strip_layout = QHBoxLayout(self.strip)
        self.strip_layout.setContentsMargins(4, 2, 4, 2)
        self.strip_layout.addStretch(1)
        self._strip: dict[str, QLabel] = {}
        self._platform_state: dict[str, str] = {}
        self._printer_states: dict[str, str] = {}  # printer notice source -> last state (banner on change)
        layout.addWidget(self.strip)
        self.setCentralWidget(central)

        for sig in (model.rowsInserted, model.rowsRemoved, model.dataChanged, model.modelReset):
            sig.connect(self._model_changed)
        proxy = self.proxy
        for sig in (proxy.rowsInserted, proxy.rowsRemoved, proxy.layoutChanged, proxy.modelReset):
            sig.connect(self._update_accept_all)
        for button in self.findChildren(QPushButton):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # a tapped button must not take the bump bar's keys
        self._model_changed()
        self._tick = QTimer(self, interval=1000)
        self._tick.timeout.connect(self._on_tick)
        self._tick.start()
        self._on_tick()
        self._install_bump_bar()

    # -- building helpers ------------------------------------------------------------------------
    def _tool(
        self, text: str, colour: str, slot: Callable[[], object], *, checkable: bool = False
    ) -> QPushButton:
        button = QPushButton(text)
        button.setMinimumHeight(48)
        button.setCheckable(checkable)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        size = int(20 * self.scale)
        button.setStyleSheet(
            f"QPushButton {{ background: {colour}; color: {text_on(colour).name()}; padding: 6px 8px;"
            f" min-width: 64px; font-size: {size}px; }}"
            f" QPushButton:checked {{ background: {STOP}; color: {text_on(STOP).name()}; }}"
        )
        button.clicked.connect(lambda _=False: slot())
        return button

    def add_tool(self, text: str, colour: str, slot: Callable[[], object]) -> QPushButton:
        """Let the composition root add a store-wide button (manual order, manager)."""
        button = self._tool(text, colour, slot)
        # Before Pause and Settings, which stay last.
        self.extra_tools.insert_widget(self.extra_tools.indexOf(self.pause_button), button)
        return button

    def _ensure_platform_chip(self, platform: str) -> None:
        if platform in self.platform_chips:
            return
        button = chip(platform_label(platform))
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        button.toggled.connect(self._filters_changed)
        self.platform_chips[platform] = button
        self.platform_bar.addWidget(button)

    def apply_theme(self, palette: Palette, scale: float) -> None:
        self.palette_ = palette
        self.scale = scale
        self.setStyleSheet(style_sheet(palette, scale))
        if hasattr(self, "delegate"):
            self.delegate.palette = palette
            self.delegate.set_scale(scale)
            self._relayout_cards()

    def sizeHint(self) -> QSize:
        return QSize(1280, 800)

    # -- rendering state -------------------------------------------------------------------------
    def _model_changed(self, *_args: object) -> None:
        orders = self.model.orders()
        for order in orders:
            self._ensure_platform_chip(order.platform)
        counts = Counter(o.status for o in orders)
        parts = [f"{t(label)} {counts[status]}" for status, label in STATE_CHIPS]
        self.counts.setText("   ·   ".join(parts))
        self._update_accept_all()
        has_rows = self.model.rowCount() > 0
        self.empty.setVisible(not has_rows)
        self.view.setVisible(has_rows)
        if self.all_day.isVisible():
            self._fill_all_day(orders)

    def acceptable_ids(self) -> list[int]:
        """The new orders Accept all accepts: those on screen (a filter hides the others)."""
        # Unfiltered, every order is on screen: read the model's list, not 500 rows through the proxy, on
        # every change (a tenth of a kitchen screen's GUI thread while orders changed, py-spy).
        orders = self.model.orders() if not self.proxy.is_active() else self.visible_orders()
        return [o.id for o in orders if o.status is OrderStatus.NEW and o.id is not None]

    def _update_accept_all(self, *_args: object) -> None:
        n = len(self.acceptable_ids())
        text = t("Accept {n} shown") if self.proxy.is_active() else t("Accept all ({n})")
        self.accept_all.setText(text.format(n=n))
        self.accept_all.setEnabled(n > 0)

    def _fill_all_day(self, orders: Sequence[Order]) -> None:
        """The same dish from every platform on one row; the dish the queue is filtered by stays marked."""
        self.all_day.clear()
        title = QListWidgetItem(t("All day"))
        title.setFlags(Qt.ItemFlag.NoItemFlags)
        self.all_day.addItem(title)
        self._dish_names = {}
        for total in all_day_counts(orders, self.proxy.aliases, self.proxy.menu):
            self._dish_names[total.key] = total.name
            item = QListWidgetItem(f"{total.quantity} × {total.name}")
            item.setData(Qt.ItemDataRole.UserRole, total.key)
            item.setSizeHint(QSize(300, int(56 * self.scale)))
            self.all_day.addItem(item)
            if self.proxy.item == total.key:
                item.setSelected(True)  # once in the list: before, there is nothing to select
        self._show_dish_filter()

    def set_menu(self, menu: MenuIndex | None) -> None:
        """The menu catalogue's dishes by each platform's ids: All day and its filter count by them."""
        self.proxy.menu = menu
        self.proxy.set_filter()  # the dish filter, if one is on, matches by the catalogue from now on
        if self.all_day.isVisible():
            self._fill_all_day(self.model.orders())

    def all_day_rows(self) -> list[str]:
        return [self.all_day.item(i).text() for i in range(1, self.all_day.count())]

    def _show_dish_filter(self) -> None:
        """While a dish filters the queue, a chip on the filter row names it; a tap on it shows all again."""
        key = self.proxy.item
        if key is None:
            self.dish_filter.hide()
            return
        name = self._dish_names.get(key, key)
        self.dish_filter.setText(escape_mnemonic(t("Only: {dish}  ×").format(dish=name)))
        self.dish_filter.show()

    def clear_dish_filter(self) -> None:
        self.proxy.set_filter(item=None)
        self.all_day.clearSelection()
        self._show_dish_filter()
        self._update_accept_all()

    def toggle_all_day(self) -> None:
        show = not self.all_day.isVisible()
        self.all_day.setVisible(show)
        self.all_day_button.setChecked(show)
        if show:
            self._fill_all_day(self.model.orders())
            self.allDayOpened.emit()  # the app reads the catalogue again: a dish may have been mapped since
        else:
            self.clear_dish_filter()
        self._relayout_cards()

    def _all_day_clicked(self, item: QListWidgetItem) -> None:
        key = item.data(Qt.ItemDataRole.UserRole)
        if key is None:
            return
        if self.proxy.item == key:
            self.clear_dish_filter()
            return
        self.proxy.set_filter(item=key)
        item.setSelected(True)
        self._show_dish_filter()
        self._update_accept_all()

    def _filters_changed(self, *_args: object) -> None:
        self.proxy.set_filter(
            platforms={p for p, b in self.platform_chips.items() if b.isChecked()},
            statuses={s for s, b in self.state_chips.items() if b.isChecked()},
            text=self.search.text(),
        )
        self._update_accept_all()

    def _on_tick(self) -> None:
        now = self.clock()
        self.clock_label.setText(f"{now.astimezone(self.tz):%H:%M:%S}")
        if self._banner_until is not None and now >= self._banner_until:
            self.hide_banner()
        self.view.viewport().update()  # repaint the age timers

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        kind = event.type()
        if watched is self.view.viewport():
            if kind == QEvent.Type.Resize:
                self._relayout_cards()
            elif kind in (
                QEvent.Type.MouseButtonPress,
                QEvent.Type.MouseButtonDblClick,
                QEvent.Type.MouseMove,
                QEvent.Type.MouseButtonRelease,
            ):
                assert isinstance(event, QMouseEvent)
                return self._filter_tap(event)
        elif watched is self.queue_box and kind in (QEvent.Type.Resize, QEvent.Type.LayoutRequest):
            self._place_overlays()
        elif watched is self.search and event.type() in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress):
            assert isinstance(event, QKeyEvent)
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Escape):
                if event.type() == QEvent.Type.KeyPress:
                    self.focus_queue()  # typing done: the next bump-bar key goes to the queue again
                event.accept()
                return True
        return False

    def _filter_tap(self, event: QMouseEvent) -> bool:
        """True swallows the event: the second tap of a double tap, and the release that ends a drag."""
        kind = event.type()
        pos = event.position().toPoint()
        if kind in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick):
            self._press_at = pos
            self._long_pressed = False
            return self.tap_guard.blocked(pos)
        if kind == QEvent.Type.MouseMove:
            return False
        if self._long_pressed:  # the finger rested to read a cut text: lifting it opens nothing
            self._long_pressed = False
            self._press_at = None
            return True
        # Release: a tap only if the finger stayed put, the list was not gliding, and no action just happened.
        pressed, self._press_at = self._press_at, None
        moved = pressed is None or (pos - pressed).manhattanLength() > TapGuard.SLOP
        scrolling = QScroller.scroller(self.view.viewport()).state() != QScroller.State.Inactive
        if moved or scrolling or self.tap_guard.blocked(pos):
            return True
        self._last_tap = pos
        return False

    def _card_long_press(self, at: QPoint) -> None:
        """A finger resting on a card's cut line ("2 × Braised pork with pre…") shows the whole line."""
        viewport = self.view.viewport()
        if self._press_at is None or QScroller.scroller(viewport).state() != QScroller.State.Inactive:
            return  # the finger is up, or dragged the list: QScroller replays presses the filter never sees end
        pos = viewport.mapFromGlobal(at)
        index = self.view.indexAt(pos)
        order = index.data(OrderRole) if index.isValid() else None
        if order is None:
            return
        text = self.delegate.full_text_at(self.view.visualRect(index), order, pos)
        if text:
            self._long_pressed = True
            QToolTip.showText(at, text, viewport)

    def _place_overlays(self) -> None:
        box = self.queue_box.rect()
        width = box.width()
        layout = self.overlay.layout()
        height = layout.heightForWidth(width) if layout is not None else 0
        self.overlay.setGeometry(0, 0, width, max(height, self.overlay.sizeHint().height()))
        self.overlay.setVisible(
            any(not b.isHidden() for b in (self.alarm_banner, self.paused_banner, self.banner))
        )
        self.overlay.raise_()
        bar = self.undo_bar.sizeHint().height()
        self.undo_bar.setGeometry(8, box.height() - bar - 8, width - 16, bar)
        self.undo_bar.raise_()

    def _clear_search(self) -> None:
        self.search.clear()
        self.focus_queue()

    def focus_queue(self) -> None:
        """Keys go to the queue (the bump bar's digits, Enter, U, R, A)."""
        self._search_idle.stop()
        target = self.view if self.view.isVisible() else self  # no cards: the window itself holds the keys
        target.setFocus(Qt.FocusReason.OtherFocusReason)

    def _relayout_cards(self) -> None:
        """As many columns as fit at ~340 px each, cards stretched to fill the width."""
        width = self.view.viewport().width() - 2
        if width <= 0:
            return
        minimum = int(340 * self.scale)
        columns = max(1, width // minimum)
        card = width // columns - 2 * self.view.spacing()
        if card != self.delegate.card_width:
            self.delegate.card_width = card
            self.view.doItemsLayout()

    # -- alerts ----------------------------------------------------------------------------------
    BANNER_SECONDS = {"alarm": 30, "error": 12, "warning": 12, "info": 8}

    def show_message(self, text: str, level: str = "error") -> None:
        """A banner staff can read from a metre away, for a while (by the window's clock)."""
        self.banner.setText(text)
        self.banner_level = level
        self._paint(self.banner, BANNER_COLOURS.get(level, BANNER_COLOURS["error"]))
        self.banner.show()
        self._banner_until = self.clock() + timedelta(seconds=self.BANNER_SECONDS.get(level, 12))
        self._place_overlays()

    def hide_banner(self) -> None:
        self._banner_until = None
        self.banner.hide()
        self._place_overlays()

    def set_alarm(self, text: str | None, escalated: bool = False) -> None:
        """The accept alarm: shown, flashing, until ``None`` (no order overdue any more); never times out.
        Escalated (unanswered for minutes): bigger, and it flashes twice as fast."""
        if text is None:
            self.alarm_started = None
            self._flash.stop()
            self.alarm_banner.hide()
        else:
            if self.alarm_started is None:
                self.alarm_started = self.clock()
            self.alarm_banner.setText(text)
            self.alarm_banner.setProperty("escalated", escalated)
            self._flash.setInterval(250 if escalated else 500)
            if not self._flash.isActive():
                self._flash.start()
            self._paint(self.alarm_banner, BANNER_COLOURS["alarm"])
            self.alarm_banner.show()
        self._place_overlays()

    def _paint(self, label: QLabel, colour: str) -> None:
        size = f" font-size: {int(30 * self.scale)}px;" if label.property("escalated") else ""
        label.setStyleSheet(f"background: {colour}; color: {text_on(colour).name()};{size}")

    def _flash_banner(self) -> None:
        self._flash_on = not self._flash_on
        self._paint(self.alarm_banner, BANNER_COLOURS["alarm"] if self._flash_on else BANNER_DIM)

    def offer_undo(self, order_id: int, text: str) -> None:
        self.offer_undo_action(text, lambda: self.undoRequested.emit(order_id))

    def offer_undo_action(self, text: str, undo: Callable[[], object]) -> None:
        """The undo bar for the last bump or store-wide change; tapping it calls ``undo``."""
        self._undo_action = undo
        self.undo_bar.setText(escape_mnemonic(t("Undo: {what}").format(what=text)))
        self.undo_bar.show()
        self._place_overlays()
        self._undo_timer.start()

    def _undo_clicked(self) -> None:
        centre = self.view.viewport().mapFromGlobal(self.undo_bar.mapToGlobal(self.undo_bar.rect().center()))
        if self.tap_guard.blocked(centre):
            return  # the second tap of the bump that put the bar under the finger
        action, self._undo_action = self._undo_action, None
        self.undo_bar.hide()
        if action is not None:
            action()

    def set_status(self, key: str, text: str, level: str = "info") -> None:
        label = self._strip.get(key)
        if label is None:
            label = ElidedLabel()
            label.setObjectName(f"status-{key}")
            self._strip[key] = label
            self.strip_layout.insertWidget(self.strip_layout.count() - 1, label)
        # Workers report on every job: a notice that changes nothing must not restyle and relayout the strip.
        style = f"color: {STRIP_COLOURS.get(level, STRIP_COLOURS['info'])};"
        if label.styleSheet() != style:
            label.setStyleSheet(style)
        if label.text() != text:
            label.setText(text)

    def platform_state(self, platform: str) -> str:
        """ "online", the reason it is not, or "" before the first word from it."""
        return self._platform_state.get(platform, "")

    def status_text(self, key: str) -> str:
        label = self._strip.get(key)
        return label.text() if label is not None else ""

    def set_status_tooltip(self, key: str, text: str) -> None:
        label = self._strip.get(key)
        if label is not None:
            label.setToolTip(text)

    def on_notice(self, notice: Notice) -> None:
        if notice.source.startswith("platform:"):
            # A platform's connection shows on its filter chip: a green dot, or a red cross and the reason.
            name = str(notice.data.get("platform", notice.source.split(":", 1)[1]))
            ok = notice.data.get("state") == "online"
            self._ensure_platform_chip(name)
            chip_ = self.platform_chips[name]
            chip_.setText(f"{'●' if ok else '✖'} {platform_label(name)}")
            chip_.setToolTip("" if ok else say(notice.text))
            chip_.setProperty("health", "ok" if ok else "down")
            chip_.style().unpolish(chip_)
            chip_.style().polish(chip_)
            self._platform_state[name] = "online" if ok else say(notice.text)
        elif notice.source.startswith("printer:") and "state" in notice.data:
            state = str(notice.data.get("state"))
            mark = {"ready": "●", "printing": "↻", "offline": "✖", "misconfigured": "✖"}.get(state, "●")
            level = {"ready": "ok", "printing": "info", "offline": "error", "misconfigured": "error"}.get(
                state, "info"
            )
            from posapp.ui.printers import printer_status_text

            self.set_status(notice.source, f"{mark} {printer_status_text(notice)}", level)
            self.set_status_tooltip(
                notice.source, say(notice.data.get("error") or "") or notice.data.get("uri") or ""
            )
            previous = self._printer_states.get(notice.source)
            self._printer_states[notice.source] = state
            if level == "error" and previous != state:  # once, when it goes down
                self.show_message(say(notice.data.get("error") or "") or printer_status_text(notice), "error")
        elif notice.source == "upload":
            # Head-office sync: "✓ All synced", "412 changes waiting — offline since 14:02", "Sync off".
            from posapp.services.upload import describe_state

            self.set_status("upload", *describe_state(notice.data, self.tz, say))
        elif notice.source == "quarantine":
            self.set_status(
                "quarantine", t("! {n} payloads quarantined").format(n=notice.data.get("count", 0)), "warning"
            )
        elif notice.source == "store":
            self.set_paused(bool(notice.data.get("paused")))
            self.set_status(
                "store", t("Store paused on all platforms") if notice.data.get("paused") else "", "warning"
            )
        elif notice.source.startswith("recovery:"):
            self._recovery_notice(notice)
        elif "pending" in notice.data:
            pending = notice.data["pending"]
            if notice.data.get("halted"):
                self.set_status(notice.source, f"✖ {t(notice.source)}: {say(notice.text)}", "error")
            elif pending:
                err = f" — {say(notice.text)}" if notice.text else ""
                self.set_status(
                    notice.source,
                    t("{what}: {n} waiting").format(what=t(notice.source), n=pending) + err,
                    "warning",
                )
            else:
                self.set_status(notice.source, f"{t(notice.source)}: ✓", "ok")
        elif notice.text:
            self.show_message(say(notice.text), notice.level)

    def _recovery_notice(self, notice: Notice) -> None:
        """Missed-order recovery: "Recovered 3 orders from Meituan", or why a platform could not be asked."""
        name = platform_label(str(notice.data.get("platform", notice.source.split(":", 1)[1])))
        count = notice.data.get("count")
        if count:
            text = (
                t("Recovered 1 order from {platform}")
                if count == 1
                else t("Recovered {n} orders from {platform}")
            )
            self.set_status(notice.source, text.format(n=count, platform=name), "ok")
        else:
            self.set_status(
                notice.source,
                t("Could not ask {platform} for missed orders").format(platform=name),
                "warning",
            )
            self.set_status_tooltip(notice.source, str(notice.data.get("error") or notice.text))

    # -- store-wide state ------------------------------------------------------------------------
    def _pause_clicked(self) -> None:
        self.pause_button.setChecked(self.paused)  # the store's state, not the tap, decides how it looks
        self.pauseToggled.emit(not self.paused)  # the controller asks before pausing

    def set_paused(self, paused: bool) -> None:
        """Paused: the button says so and how to undo it, and a strip over the queue says why no orders come."""
        self.paused = paused
        self.pause_button.setChecked(paused)
        self.pause_button.setText(t("Paused — tap to resume") if paused else t("Pause"))
        self.paused_banner.setVisible(paused)
        self._place_overlays()

    def set_sold_out(self, dishes: Sequence[str]) -> None:
        """Dishes sold out now: counted on the button, named in the status strip."""
        self.sold_out = list(dishes)
        n = len(self.sold_out)
        self.sold_out_button.setText(t("Sold out ({n})").format(n=n) if n else t("Sold out"))
        self.set_status(
            "soldout", t("Sold out: {dishes}").format(dishes=", ".join(self.sold_out)) if n else "", "warning"
        )

    # -- intents ---------------------------------------------------------------------------------
    def _card_action(self, order_id: int, action: str) -> None:
        self.tap_guard.hold(self._last_tap)
        if action in (Action.REJECT.value, Action.CANCEL.value):
            self.reasonNeeded.emit(order_id, action)
        else:
            self.intent.emit(order_id, action)

    def _accept_all(self) -> None:
        ids = self.acceptable_ids()
        if ids:
            self.acceptAllRequested.emit(ids)

    def visible_orders(self) -> list[Order]:
        return [self.proxy.order_at(row) for row in range(self.proxy.rowCount())]

    # -- geometry for taps and tests -------------------------------------------------------------
    def proxy_index(self, order_id: int) -> QModelIndex:
        row = self.model.row_of(order_id)
        if row < 0:
            return QModelIndex()
        return self.proxy.mapFromSource(self.model.index(row))

    def card_rect(self, order_id: int) -> QRect:
        index = self.proxy_index(order_id)
        self.view.scrollTo(index)
        return self.view.visualRect(index)

    def button_rect(self, order_id: int, action: Action) -> QRect:
        index = self.proxy_index(order_id)
        order = index.data(OrderRole)
        rect = self.card_rect(order_id)
        return next(r for r, a in self.delegate.button_rects(rect, order) if a is action)

    # -- bump bar --------------------------------------------------------------------------------
    def _install_bump_bar(self) -> None:
        """A USB bump bar is a keyboard: digits pick a card, Enter bumps it, U undoes, R recalls, A accepts all."""
        for digit in range(10):
            key = QShortcut(QKeySequence(str(digit)), self)
            key.activated.connect(lambda d=digit: self.select_card(10 if d == 0 else d))
        for seq in ("Return", "Enter", "Space", "B"):
            QShortcut(QKeySequence(seq), self).activated.connect(self.bump_selected)
        for seq in ("U", "Backspace"):
            QShortcut(QKeySequence(seq), self).activated.connect(self._undo_clicked)
        QShortcut(QKeySequence("R"), self).activated.connect(self.recallRequested.emit)
        QShortcut(QKeySequence("A"), self).activated.connect(self._accept_all)
        QShortcut(QKeySequence("Escape"), self).activated.connect(self.view.clearSelection)

    def select_card(self, number: int) -> None:
        """Select the number-th visible card (1-based), as a bump bar's digit keys do."""
        if 1 <= number <= self.proxy.rowCount():
            index = self.proxy.index(number - 1, 0)
            self.view.setCurrentIndex(index)
            self.view.scrollTo(index)

    def selected_order(self) -> Order | None:
        index = self.view.currentIndex()
        if not index.isValid() or not self.view.selectionModel().isSelected(index):
            return None
        return index.data(OrderRole)

    def bump_selected(self) -> None:
        order = self.selected_order()
        if order is None and self.proxy.rowCount():
            order = self.proxy.order_at(0)
        if order is None or order.id is None:
            return
        actions = card_actions(order.status)
        if actions:
            self.intent.emit(order.id, actions[0].value)

    # -- the screen it is on -----------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        self.activateWindow()  # a kiosk without a window manager: the bump bar's keys come here
        self.focus_queue()
        if self.isFullScreen():
            fill_screen(self)
        else:
            fit_to_screen(self)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt's name)
        super().changeEvent(event)
        if event.type() == QEvent.Type.WindowStateChange and self.isFullScreen():
            fill_screen(self)  # kiosk on a screen without a window manager: the state alone moves nothing

    def closeEvent(self, event: QCloseEvent) -> None:
        self.closing.emit()
        super().closeEvent(event)
