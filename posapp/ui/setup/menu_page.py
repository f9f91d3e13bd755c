"""Settings → Menu: the catalogue as a touch editor — search, pick a dish, change its category, station, price
and platform ids, 86 it on every platform (each platform's answer shown), import from menus, orders or a CSV."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, QSize, Qt, QTimer
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from posapp.domain.menu import Dish, PlatformIds
from posapp.services.catalogue import CatalogueService, ImportReport, PlatformAnswer
from posapp.ui.answers import answer_text, waiting
from posapp.ui.i18n import t
from posapp.ui.setup.base import TOUCH, Page, button, choice, combo_value, field, set_combo
from posapp.ui.theme import platform_label

ID_PLATFORMS = ("meituan", "eleme", "ubereats", "doordash", "own")
STATIONS = ("kitchen", "grill", "fryer", "wok", "drinks", "bar", "cold")
Index = QModelIndex | QPersistentModelIndex
LIST_STYLE = (
    "QListView { font-size: 20px; border: 2px solid #3A4350; border-radius: 8px; }"
    " QListView::item { padding: 0 8px; border-bottom: 1px solid #2A313B; }"
    " QListView::item:selected { background: #2D7FF9; color: #FFFFFF; }"
)


def price_text(minor: int | None) -> str:
    return "" if minor is None else f"{Decimal(minor) / 100:.2f}"


def parse_price(text: str) -> int | None:
    """ "32", "32.5", "¥32.00" -> minor units; "" -> None; ValueError with a sentence otherwise."""
    cleaned = text.strip().lstrip("¥$€£").replace(",", "")
    if not cleaned:
        return None
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(t("The price must be a number such as 32.00")) from None
    if not amount.is_finite() or amount < 0 or amount > 1_000_000:
        raise ValueError(t("The price must be a number such as 32.00"))
    return int((amount * 100).to_integral_value())


class DishModel(QAbstractListModel):
    """The dishes the search found: one 56 px row each (name, category, price, station, 86 mark)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.dishes: list[Dish] = []

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 (Qt's name)
        return 0 if parent.isValid() else len(self.dishes)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.dishes):
            return None
        dish = self.dishes[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            parts = [dish.name]
            parts += [p for p in (dish.category, price_text(dish.price), dish.station) if p]
            mark = "" if dish.available else f"[{t('86 sold out')}] "  # first: a long name cannot hide it
            return mark + " · ".join(parts)
        if role == Qt.ItemDataRole.SizeHintRole:
            return QSize(0, TOUCH)
        if role == Qt.ItemDataRole.UserRole:
            return dish
        return None

    def reset(self, dishes: list[Dish]) -> None:
        self.beginResetModel()  # a new search result is a new list, not a change of the old one
        self.dishes = list(dishes)
        self.endResetModel()

    def row_of(self, name: str) -> int:
        return next((i for i, d in enumerate(self.dishes) if d.name == name), -1)


class MenuPage(Page):
    """The catalogue editor. Every call goes to the engine's CatalogueService (never I/O on this thread)."""

    def __init__(self, service: CatalogueService, parent: QWidget | None = None) -> None:
        super().__init__(
            t("Menu"),
            t(
                "Dishes, their station and price, and each platform's id for them. Sold out (86) goes to every "
                "platform that sells the dish."
            ),
            parent,
        )
        self.service = service
        self.current: Dish | None = None
        top = QHBoxLayout()
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(250)  # a search per pause in typing, not per key
        self._search_timer.timeout.connect(self.load)
        self.search = field(t("Search dishes"))
        self.search.setObjectName("menuSearch")
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        top.addWidget(self.search, 1)
        self.new_button = button(t("New dish"), "#5D6770")
        self.new_button.clicked.connect(self.new_dish)
        self.save_button = button(t("Save dish"), "#1E8E4E")
        self.save_button.clicked.connect(self.save)
        self.sold_out_button = button(t("Sold out (86)"), "#B3261E")
        self.sold_out_button.clicked.connect(self.toggle_sold_out)
        for b in (self.new_button, self.save_button, self.sold_out_button):
            top.addWidget(b)
        self.body.addLayout(top)
        # Each platform's answer to the dish's latest 86 (or back in stock), right under the buttons.
        self.answers = QLabel("")
        self.answers.setObjectName("menuAnswers")
        self.answers.setStyleSheet("font-size: 20px; font-weight: 700;")
        self.answers.setWordWrap(True)
        self.body.addWidget(self.answers)

        columns = QHBoxLayout()
        self.model = DishModel(self)
        self.list = QListView()
        self.list.setObjectName("menuList")
        self.list.setModel(self.model)
        self.list.setUniformItemSizes(True)
        self.list.setMinimumWidth(360)
        self.list.setMinimumHeight(420)
        self.list.setStyleSheet(LIST_STYLE)
        self.list.clicked.connect(self._picked)
        from PySide6.QtWidgets import QScroller

        QScroller.grabGesture(self.list.viewport(), QScroller.ScrollerGestureType.LeftMouseButtonGesture)
        columns.addWidget(self.list, 5)

        editor = QVBoxLayout()
        form = QFormLayout()
        form.setVerticalSpacing(8)
        self.name = field(t("Dish name"))
        self.category = field(t("Category"))
        self.station = choice([(s, s) for s in STATIONS], editable=True)
        self.price = field("32.00")
        form.addRow(t("Name"), self.name)
        form.addRow(t("Category"), self.category)
        form.addRow(t("Station"), self.station)
        form.addRow(t("Price"), self.price)
        editor.addLayout(form)
        ids = QGridLayout()
        ids.setHorizontalSpacing(8)
        self.item_ids: dict[str, QLineEdit] = {}
        self.sku_ids: dict[str, QLineEdit] = {}
        for row, platform in enumerate(ID_PLATFORMS):
            ids.addWidget(QLabel(platform_label(platform)), row, 0)
            self.item_ids[platform] = field(t("item id"))
            self.sku_ids[platform] = field(t("SKU / spec id"))
            ids.addWidget(self.item_ids[platform], row, 1)
            ids.addWidget(self.sku_ids[platform], row, 2)
        editor.addLayout(ids)
        editor.addStretch(1)
        host = QWidget()
        host.setLayout(editor)
        columns.addWidget(host, 6)
        self.body.addLayout(columns, 1)

        imports = QHBoxLayout()
        imports.addWidget(QLabel(t("Import")))
        self.import_buttons: dict[str, QPushButton] = {}
        for key, label in (("orders", t("From past orders")), ("csv", t("From a CSV file"))):
            b = button(label, "#5D6770")
            b.clicked.connect(lambda _c=False, k=key: self.import_from(k))
            self.import_buttons[key] = b
            imports.addWidget(b)
        for platform in service.importable():
            b = button(t("From {platform}").format(platform=platform_label(platform)), "#2D7FF9")
            b.clicked.connect(lambda _c=False, p=platform: self.import_from(p))
            self.import_buttons[platform] = b
            imports.addWidget(b)
        imports.addStretch(1)
        self.body.addLayout(imports)
        self._answer_timer = QTimer(self)
        self._answer_timer.setInterval(1500)  # while a push waits, its answer is read again
        self._answer_timer.timeout.connect(self._refresh_answers)
        self.new_dish()

    # -- reading ---------------------------------------------------------------------------------
    def load(self) -> None:
        self.run(self.service.dishes(self.search.text()), self._show)

    def _show(self, dishes: list[Dish]) -> None:
        self.model.reset(dishes)
        if self.current is not None and self.current.id is not None:
            row = self.model.row_of(self.current.name)
            if row >= 0:
                self.list.setCurrentIndex(self.model.index(row))
                self.list.scrollTo(self.model.index(row))
                self._fill(self.model.dishes[row])

    def _picked(self, index: QModelIndex) -> None:
        dish = self.model.data(index, Qt.ItemDataRole.UserRole)
        if isinstance(dish, Dish):
            self._fill(dish)
            self._refresh_answers()

    def _fill(self, dish: Dish) -> None:
        self.current = dish
        self.name.setText(dish.name)
        self.category.setText(dish.category or "")
        set_combo(self.station, dish.station or "kitchen")
        self.price.setText(price_text(dish.price))
        for platform in ID_PLATFORMS:
            ids = dish.platforms.get(platform)
            self.item_ids[platform].setText(ids.item_id if ids else "")
            self.sku_ids[platform].setText((ids.sku_id or "") if ids else "")
        self.sold_out_button.setText(t("Back in stock") if not dish.available else t("Sold out (86)"))
        self.sold_out_button.setEnabled(dish.id is not None)

    def new_dish(self) -> None:
        self.list.clearSelection()
        self._fill(Dish(name=""))
        self.answers.setText("")
        self._answer_timer.stop()
        self.name.setFocus()

    # -- changes ---------------------------------------------------------------------------------
    def edited(self) -> Dish:
        """The form as a dish; ValueError with the sentence to show."""
        name = self.name.text().strip()
        if not name:
            raise ValueError(t("A dish needs a name."))
        platforms = {
            p: PlatformIds(self.item_ids[p].text().strip(), self.sku_ids[p].text().strip() or None)
            for p in ID_PLATFORMS
            if self.item_ids[p].text().strip()
        }
        base = self.current or Dish(name=name)
        return Dish(
            name=name,
            category=self.category.text().strip() or None,
            station=combo_value(self.station) or None,
            price=parse_price(self.price.text()),
            available=base.available,
            platforms=platforms,
            source=base.source or "settings",
        )

    def save(self) -> None:
        try:
            dish = self.edited()
        except ValueError as exc:
            self.say(str(exc), "error")
            return
        old = self.current.name if self.current is not None and self.current.id is not None else None
        self.current = dish
        self.run(
            self.service.save(dish, by="settings", renamed_from=old),
            lambda dish_id: self._saved(dish, dish_id),
        )

    def _saved(self, dish: Dish, dish_id: int) -> None:
        self.say(t("Saved {dish}.").format(dish=dish.name), "ok")
        self.current = Dish(**{**_fields(dish), "id": dish_id})  # the list's row takes over on reload
        self.load()

    def toggle_sold_out(self) -> None:
        dish = self.current
        if dish is None or dish.id is None:
            return
        sold_out = dish.available
        self.run(
            self.service.set_sold_out(dish.name, sold_out, by="settings"),
            lambda platforms: self._sent(dish, sold_out, platforms),
        )

    def _sent(self, dish: Dish, sold_out: bool, platforms: list[str]) -> None:
        names = ", ".join(platform_label(p) for p in platforms) or t("no platform sells it yet")
        what = t("{dish} is sold out") if sold_out else t("{dish} is back")
        self.say(f"{what.format(dish=dish.name)} — {names}", "ok")
        self.current = Dish(**{**_fields(dish), "available": not sold_out})
        self._fill(self.current)
        self.load()
        self._refresh_answers()
        self._answer_timer.start()

    def _refresh_answers(self) -> None:
        dish = self.current
        if dish is None or dish.id is None:
            return
        self.run(self.service.answers(dish.name), self._show_answers)

    def _show_answers(self, answers: list[PlatformAnswer]) -> None:
        self.answers.setText("\n".join(answer_text(a) for a in answers))
        if not waiting(answers):
            self._answer_timer.stop()

    # -- imports ---------------------------------------------------------------------------------
    def import_from(self, source: str) -> None:
        if source == "orders":
            coro: Any = self.service.import_from_orders(by="settings")
        elif source == "csv":
            path, _filter = QFileDialog.getOpenFileName(self, t("A CSV of dishes"), "", "CSV (*.csv)")
            if not path:
                return
            coro = self.import_csv_file(Path(path))
        else:
            coro = self.service.import_platform(source, by="settings")
        self.run(coro, self._imported, busy=t("Importing…"))

    async def import_csv_file(self, path: Path) -> ImportReport:
        import asyncio

        data = await asyncio.to_thread(path.read_bytes)
        return await self.service.import_csv(data, by="settings")

    def _imported(self, report: ImportReport) -> None:
        words = {"csv": t("CSV file"), "orders": t("Past orders")}
        source = words.get(report.source) or platform_label(report.source)
        self.say(
            t("{source}: {added} dishes added, {updated} updated").format(
                source=source, added=report.added, updated=report.updated
            ),
            "ok",
        )
        self.load()


def _fields(dish: Dish) -> dict[str, Any]:
    return {f: getattr(dish, f) for f in Dish.__dataclass_fields__}
