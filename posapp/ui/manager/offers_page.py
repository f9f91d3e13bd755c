"""The manager's Offers tab: the bounce-back offers and an editor for one (text, percent or amount off, minimum
spend, days valid, which segments get it, on or off). Display and input only: services/offers.py checks and
keeps them, domain/offers.py holds the rules."""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from posapp.domain.money import Money, to_minor
from posapp.domain.offers import Offer, OfferKind
from posapp.domain.roles import User
from posapp.errors import PayloadError, PosappError
from posapp.services.customers import Segment
from posapp.services.offers import OfferService
from posapp.ui.i18n import t
from posapp.ui.manager.segments_page import SEGMENTS, segment_word
from posapp.ui.sentences import say
from posapp.ui.widgets import kinetic

STYLE = """
QPushButton#offerChoice { min-height: 48px; padding: 0 10px; background: #3A4048; color: #FFFFFF;
                          border: 2px solid #5D6770; border-radius: 8px; }
QPushButton#offerChoice:checked { background: #F2C94C; color: #111111; border: 3px solid #FFFFFF; }
QListWidget#offerList::item { padding: 10px 6px; border-bottom: 1px solid #5D6770; }
QLabel#offerRules { font-size: 15px; }
"""


def offer_terms(offer: Offer) -> str:
    """One line under an offer in the list: what it takes off, the minimum, the days, who gets it."""
    if offer.kind is OfferKind.PERCENT:
        off = t("{n} % off").format(n=offer.value)
    else:
        off = t("{amount} off").format(amount=Money(offer.value, offer.currency))
    parts = [off]
    if offer.min_spend:
        parts.append(t("min. {amount}").format(amount=Money(offer.min_spend, offer.currency)))
    parts.append(t("{n} days").format(n=offer.valid_days))
    parts.append(", ".join(segment_word(s) for s in SEGMENTS if s.value in offer.segments))
    parts.append(t("on") if offer.active else t("off"))
    return " · ".join(parts)


class OffersPage(QWidget):
    """Emits ``saveRequested(Offer)`` with the offer as typed (its id when one from the list is edited)."""

    saveRequested = Signal(object)  # Offer

    def __init__(self, currency: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.currency = currency
        self.offers: list[Offer] = []
        self.editing: int | None = None  # the id of the offer in the editor, None for a new one
        self.setStyleSheet(STYLE)

        self.list = QListWidget()
        self.list.setObjectName("offerList")
        self.list.setWordWrap(True)
        self.list.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.itemClicked.connect(self._picked)
        kinetic(self.list)
        self.new_button = QPushButton(t("New offer"))
        self.new_button.clicked.connect(self.new_offer)
        left = QVBoxLayout()
        left.addWidget(self._heading(t("Offers")))
        left.addWidget(self.list, 1)

        self.text = QLineEdit(placeholderText=t("10 % off your next pickup"))
        self.text.setMaxLength(80)
        self.kind_group = QButtonGroup(self)
        self.kind_buttons: dict[OfferKind, QPushButton] = {}
        kinds = QHBoxLayout()
        for kind, label in ((OfferKind.PERCENT, t("Percent off")), (OfferKind.FIXED, t("Amount off"))):
            button = self._toggle(label)
            self.kind_group.addButton(button)
            self.kind_buttons[kind] = button
            kinds.addWidget(button)
        self.kind_group.setExclusive(True)
        self.value = QLineEdit(placeholderText="10")
        self.value.setInputMethodHints(Qt.InputMethodHint.ImhFormattedNumbersOnly)
        kinds.addWidget(self.value)
        self.min_spend = QLineEdit(placeholderText="0.00")
        self.min_spend.setInputMethodHints(Qt.InputMethodHint.ImhFormattedNumbersOnly)
        self.days = QLineEdit(placeholderText="30")
        self.days.setInputMethodHints(Qt.InputMethodHint.ImhDigitsOnly)
        self.segment_buttons: dict[Segment, QPushButton] = {}
        who = QGridLayout()
        who.setSpacing(8)
        for i, segment in enumerate(SEGMENTS):
            button = self._toggle(segment_word(segment))
            self.segment_buttons[segment] = button
            who.addWidget(button, i // 3, i % 3)
        self.active = self._toggle(t("Printing on receipts"))
        self.save_button = QPushButton(t("Save offer"))
        self.save_button.setObjectName("saveOffer")
        self.save_button.clicked.connect(self.save)
        self.message = QLabel()
        self.message.setObjectName("reportStatus")
        self.message.setWordWrap(True)
        rules = QLabel(
            t(
                "Printed only on receipts of your own channels: the counter (walk-in and phone orders) and your "
                "website. Never on Meituan, Ele.me, Uber Eats or DoorDash orders: their rules forbid steering "
                "their customers to another channel."
            )
        )
        rules.setObjectName("offerRules")
        rules.setWordWrap(True)
        left.addWidget(rules)
        left.addWidget(self.new_button)

        form = QGridLayout()
        form.setVerticalSpacing(8)
        form.addWidget(self._heading(t("Offer text (printed on the receipt)")), 0, 0, 1, 2)
        form.addWidget(self.text, 1, 0, 1, 2)
        form.addLayout(kinds, 2, 0, 1, 2)
        form.addWidget(self._heading(t("Minimum spend")), 3, 0)
        form.addWidget(self._heading(t("Valid for (days)")), 3, 1)
        form.addWidget(self.min_spend, 4, 0)
        form.addWidget(self.days, 4, 1)
        form.addWidget(self._heading(t("Who gets it (the customer's segment before the order)")), 5, 0, 1, 2)
        form.addLayout(who, 6, 0, 1, 2)
        bottom = QHBoxLayout()
        bottom.addWidget(self.active)
        bottom.addStretch(1)
        bottom.addWidget(self.save_button)
        form.addLayout(bottom, 7, 0, 1, 2)
        form.addWidget(self.message, 8, 0, 1, 2)
        form.setRowStretch(9, 1)

        for button in (*self.kind_buttons.values(), *self.segment_buttons.values(), self.active):
            button.ensurePolished()  # a style sheet's padding: the label's width is the least it may get
            button.setMinimumWidth(button.sizeHint().width())
        layout = QHBoxLayout(self)
        layout.addLayout(left, 2)
        layout.addLayout(form, 3)
        self.new_offer()

    def _heading(self, text: str) -> QLabel:
        label = QLabel(text)
        label.setObjectName("figureLabel")
        label.setWordWrap(True)
        return label

    def _toggle(self, label: str) -> QPushButton:
        button = QPushButton(label)
        button.setObjectName("offerChoice")
        button.setCheckable(True)
        return button

    # -- showing --------------------------------------------------------------------------------------
    def show_offers(self, offers: Sequence[Offer]) -> None:
        self.offers = list(offers)
        self.list.clear()
        for offer in self.offers:
            item = QListWidgetItem(f"{offer.text}\n{offer_terms(offer)}")
            item.setData(Qt.ItemDataRole.UserRole, offer.id)
            if not offer.active:
                item.setForeground(self.palette().placeholderText())
            self.list.addItem(item)
        if not self.offers:
            self.message.setText(t("No offer yet: write one and save it."))

    def show_message(self, text: str) -> None:
        self.message.setText(text)

    def new_offer(self) -> None:
        """An empty editor for a new offer: 10 % off for new customers, 30 days, on."""
        self.edit(Offer("", OfferKind.PERCENT, 10, self.currency))
        self.list.clearSelection()

    def edit(self, offer: Offer) -> None:
        self.editing = offer.id
        self.text.setText(offer.text)
        self.kind_buttons[offer.kind].setChecked(True)
        value = (
            offer.value if offer.kind is OfferKind.PERCENT else Money(offer.value, offer.currency).decimal()
        )
        self.value.setText(str(value))
        self.min_spend.setText(
            str(Money(offer.min_spend, offer.currency).decimal()) if offer.min_spend else ""
        )
        self.days.setText(str(offer.valid_days))
        for segment, button in self.segment_buttons.items():
            button.setChecked(segment.value in offer.segments)
        self.active.setChecked(offer.active)
        self.message.setText("")

    def _picked(self, item: QListWidgetItem) -> None:
        chosen = item.data(Qt.ItemDataRole.UserRole)
        offer = next((o for o in self.offers if o.id == chosen), None)
        if offer is not None:
            self.edit(offer)

    # -- saving ---------------------------------------------------------------------------------------
    def typed(self) -> Offer:
        """The offer as typed; ``PayloadError`` when a number is not one (the service checks the rest)."""
        kind = next(k for k, b in self.kind_buttons.items() if b.isChecked())
        try:
            if kind is OfferKind.PERCENT:
                value = int(self.value.text().strip().rstrip("%").strip() or "0")
            else:
                value = to_minor(self.value.text().strip() or "0", self.currency)
            spend = to_minor(self.min_spend.text().strip() or "0", self.currency)
            days = int(self.days.text().strip() or "0")
        except (ValueError, PayloadError):
            raise PayloadError(t("Type the numbers as numbers, such as 10, 5.00 or 30.")) from None
        return Offer(
            text=self.text.text().strip(),
            kind=kind,
            value=value,
            currency=self.currency,
            min_spend=spend,
            valid_days=days,
            segments=frozenset(s.value for s, b in self.segment_buttons.items() if b.isChecked()),
            active=self.active.isChecked(),
            id=self.editing,
        )

    def save(self) -> None:
        try:
            offer = self.typed()
        except PayloadError as exc:
            self.message.setText(str(exc))
            return
        self.saveRequested.emit(offer)


class OfferRequests:
    """Connects the Offers page to services/offers.py for the signed-in manager: loads the list, saves an
    offer (the service checks it and says what to fix) and shows the list again."""

    def __init__(
        self,
        page: OffersPage,
        offers: OfferService,
        user: Callable[[], User | None],
        spawn: Callable[[Coroutine[Any, Any, None]], None],
    ) -> None:
        self.page = page
        self.service = offers
        self.user = user
        page.saveRequested.connect(lambda offer: spawn(self.save(offer)))

    async def load(self) -> None:
        if self.user() is not None:
            self.page.show_offers(await self.service.offers())

    async def save(self, offer: Offer) -> None:
        user = self.user()
        if user is None:
            return
        try:
            offer_id = await self.service.save(offer, by=user)
        except PosappError as exc:
            self.page.show_message(say(str(exc)))
            return
        offers = await self.service.offers()
        self.page.show_offers(offers)
        saved = next((o for o in offers if o.id == offer_id), None)
        if saved is not None:
            self.page.edit(saved)
        self.page.show_message(t("Saved. The next receipts of the chosen customers carry it."))
