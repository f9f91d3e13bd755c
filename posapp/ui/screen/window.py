"""The kitchen screen's window: the counter's queue of cards, plus the red strip of a lost engine link.

It is the desktop app's ``MainWindow`` without the store-wide tools a screen cannot reach through the screen
API (recall, sold out, pause, settings); like it, it renders state and emits intents, never I/O.
"""

from __future__ import annotations

from datetime import UTC, tzinfo

from PySide6.QtCore import QRect, QSize
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout

from posapp.ui.i18n import t
from posapp.ui.main_window import MainWindow
from posapp.ui.queue_model import QueueModel
from posapp.ui.screen.cards import MAIN_BUTTON, ScreenCardDelegate, ScreenRole, screen_role
from posapp.ui.theme import DARK, Palette

LINK_STRIP_STYLE = (
    "background: #D0021B; color: #FFFFFF; font-weight: 800; padding: 12px 16px; border-radius: 6px;"
)


def screen_title(station: str | None) -> str:
    role = screen_role(station)
    if role is ScreenRole.EXPO:
        return t("Expo")
    return t("Station: {name}").format(name=station.title()) if station else t("Counter")


class ScreenWindow(MainWindow):
    """The queue as one engine's screen shows it; ``set_link`` paints the link to the engine."""

    def __init__(
        self,
        model: QueueModel,
        *,
        station: str | None = None,
        name: str = "",
        engine_url: str = "",
        palette: Palette = DARK,
        scale: float = 1.0,
        tz: tzinfo = UTC,
    ) -> None:
        super().__init__(model, palette=palette, scale=scale, tz=tz, store_name=screen_title(station))
        self.station = station
        self.role = screen_role(station)
        self.engine_url = engine_url
        # The counter's card, or a station's or the expo's with its one button (posapp/ui/screen/cards.py).
        self.delegate.actionRequested.disconnect(self._card_action)
        self.delegate.cardTapped.disconnect(self.detailRequested)
        self.cards = ScreenCardDelegate(
            self.view, role=self.role, palette=palette, scale=scale, clock=self.clock, tz=tz
        )
        self.delegate = self.cards
        self.view.setItemDelegate(self.cards)
        self._relayout_cards()
        self.delegate.actionRequested.connect(self._card_action)
        self.delegate.cardTapped.connect(self.detailRequested)
        if self.role is ScreenRole.STATION:
            self.empty.setText(
                t("Nothing to cook here — accepted orders with this station's dishes appear here")
            )
        elif self.role is ScreenRole.EXPO:
            self.empty.setText(t("No orders cooking — accepted orders appear here"))
        self.setWindowTitle(f"posapp — {screen_title(station)}" + (f" — {name}" if name else ""))
        for button in (self.recall_button, self.sold_out_button, self.pause_button, self.settings_button):
            button.hide()  # store-wide tools: the counter app has them, the screen API does not
        if station is not None:
            self.accept_all.hide()  # a station cooks what the counter accepted
        # Touch only, 1024 px wide: no search box (it needs a keyboard), and the counts may be cut short
        # rather than push the window wider than the screen.
        self.search.hide()
        self.counts.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.link_strip = QLabel("")
        self.link_strip.setObjectName("linkStrip")
        self.link_strip.setWordWrap(True)
        self.link_strip.setStyleSheet(LINK_STRIP_STYLE + f" font-size: {int(26 * scale)}px;")
        self.link_strip.setMinimumHeight(56)
        self.link_strip.hide()
        central = self.centralWidget()
        layout = central.layout() if central is not None else None
        assert isinstance(layout, QVBoxLayout)
        layout.insertWidget(0, self.link_strip)
        self.link_up = False
        self.set_link(False, t("Connecting to the engine…"))

    def sizeHint(self) -> QSize:
        return QSize(1024, 768)

    def main_button_rect(self, order_id: int) -> QRect:
        """Where a station card's Done or an expo card's Ready is painted (for taps and tests)."""
        return self.cards.main_button_rect(self.card_rect(order_id))

    def bump_selected(self) -> None:
        """A bump bar's Enter: a station's Done, the expo's Ready, the counter's card button."""
        if self.role is ScreenRole.COUNTER:
            super().bump_selected()
            return
        order = self.selected_order()
        if order is None and self.proxy.rowCount():
            order = self.proxy.order_at(0)
        if order is not None and order.id is not None:
            self.intent.emit(order.id, MAIN_BUTTON[self.role][0])

    def set_link(self, up: bool, text: str | None = None) -> None:
        """Up: a green dot in the status strip. Down: the red strip on top; the cards stay as they were."""
        self.link_up = up
        self.link_strip.setText(text or t("Lost the engine — reconnecting…"))
        self.link_strip.setVisible(not up)
        self._model_changed()  # Accept all: enabled again only with the link
        where = self.engine_url.removeprefix("http://").removeprefix("https://")
        if up:
            self.set_status("link", f"● {t('Engine')} {where}", "ok")
        else:
            self.set_status("link", f"✖ {t('Engine')} {where}", "error")

    def _ensure_platform_chip(self, platform: str) -> None:
        """No platform chips on a screen: seven brands beside the state chips do not fit 1024 px, and a
        platform's health (what the counter's chips also show) does not reach screens."""

    def _model_changed(self, *args: object) -> None:
        super()._model_changed(*args)
        if not getattr(self, "link_up", True):
            self.accept_all.setEnabled(False)
