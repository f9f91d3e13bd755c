"""No words reach a screen without passing through t(): a scan of posapp/ui's code for text handed to widgets."""

from __future__ import annotations

import ast
import dataclasses
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QAbstractButton, QLabel, QLineEdit, QWidget

from posapp.config import PrinterSettings
from posapp.domain.events import StatusEvent
from posapp.domain.order import LineItem
from posapp.services.hub import Hub, Notice
from posapp.services.manual import MenuEntry
from posapp.services.printing import PrintService
from posapp.store.db import Database
from posapp.ui.dialogs import OrderDetailDialog, RecallDialog, SettingsDialog, SoldOutDialog
from posapp.ui.i18n import install_language, t
from posapp.ui.main_window import MainWindow
from posapp.ui.manager.pinpad import PinPad
from posapp.ui.manager.view import ManagerView
from posapp.ui.manual_order import ManualOrderDialog
from posapp.ui.printers import PrintersDialog
from posapp.ui.queue_model import QueueModel
from posapp.ui.refund import RefundDialog
from posapp.ui.sentences import TEMPLATES, say
from tests.factories import make_order

ROOT = Path(__file__).resolve().parents[2]
UI = ROOT / "posapp" / "ui"

# Where a widget call takes the words people read: the argument positions that carry text.
TEXT_METHODS: dict[str, tuple[int, ...]] = {
    "setText": (0,),
    "setWindowTitle": (0,),
    "setToolTip": (0,),
    "setPlaceholderText": (0,),
    "setStatusTip": (0,),
    "setTitle": (0,),
    "setLabelText": (0,),
    "setInformativeText": (0,),
    "setSpecialValueText": (0,),
    "setPrefix": (0,),
    "setSuffix": (0,),
    "addAction": (0,),
    "addTab": (1,),
    "insertTab": (2,),
    "setTabText": (1,),
    "addItem": (0,),
    "addItems": (0,),
    "insertItem": (1,),
    "setItemText": (1,),
    "setHorizontalHeaderLabels": (0,),
    "setVerticalHeaderLabels": (0,),
    "setHeaderLabels": (0,),
    "showMessage": (0,),
    "show_message": (0,),
    "show_error": (0,),
    "show_result": (0,),
    "set_status": (1,),
    "warning": (1, 2),
    "information": (1, 2),
    "critical": (1, 2),
    "question": (1, 2),
}
TEXT_CONSTRUCTORS: dict[str, tuple[int, ...]] = {
    "QLabel": (0,),
    "QPushButton": (0,),
    "QCheckBox": (0,),
    "QRadioButton": (0,),
    "QGroupBox": (0,),
    "QAction": (0,),
    "QTableWidgetItem": (0,),
    "QListWidgetItem": (0,),
    "QMessageBox": (1, 2),
    "ElidedLabel": (0,),
    "wrapping_button": (0,),
    "chip": (0,),
}
TEXT_KEYWORDS = {"text", "title", "label", "caption"}
# Words that are the same in every language: names and codes, not sentences.
SAME_IN_EVERY_LANGUAGE = {"posapp", "PIN", "EN", "Uber Eats", "DoorDash", "CNY", "USD", "ESC/POS", "OK"}


def has_words(text: str) -> bool:
    """Letters (any script) other than a name that is the same in every language; symbols, digits and HTML
    markup (<b>, &nbsp;) and colours (#FFFFFF) pass."""
    text = re.sub(r"<[^>]*>|&\w+;|#[0-9A-Fa-f]{3,8}\b", "", text)
    for name in SAME_IN_EVERY_LANGUAGE:
        text = re.sub(rf"\b{re.escape(name)}\b", "", text)
    return any(c.isalpha() for c in text)


def untranslated(node: ast.expr) -> Iterator[ast.expr]:
    """Parts of an expression that put words on screen without t(): literals, f-string text, concatenations."""
    match node:
        case ast.Constant(value=str(text)) if has_words(text):
            yield node
        case ast.JoinedStr(values=values):
            shown = "".join(str(v.value) if isinstance(v, ast.Constant) else "0" for v in values)
            if has_words(shown):  # the text around the values, markup taken out whole
                yield node
                return
            for value in values:
                if isinstance(value, ast.FormattedValue):
                    yield from untranslated(value.value)
        case ast.BinOp(op=ast.Add(), left=left, right=right):
            yield from untranslated(left)
            yield from untranslated(right)
        case ast.IfExp(body=body, orelse=orelse):
            yield from untranslated(body)
            yield from untranslated(orelse)
        case ast.BoolOp(values=values):
            for value in values:
                yield from untranslated(value)
        case ast.List(elts=elts) | ast.Tuple(elts=elts):
            for elt in elts:
                yield from untranslated(elt)
        case ast.Call(func=ast.Attribute(attr="format", value=template)):
            yield from untranslated(template)


def call_name(node: ast.Call) -> str:
    func = node.func
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""


def text_arguments(node: ast.Call) -> Iterator[ast.expr]:
    name = call_name(node)
    positions = TEXT_METHODS.get(name, ()) if isinstance(node.func, ast.Attribute) else ()
    positions = positions or TEXT_CONSTRUCTORS.get(name, ())
    for i in positions:
        if i < len(node.args):
            yield node.args[i]
    if name in TEXT_METHODS or name in TEXT_CONSTRUCTORS:
        yield from (k.value for k in node.keywords if k.arg in TEXT_KEYWORDS)


def untranslated_texts(paths: list[Path]) -> list[str]:
    found = []
    for path in paths:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                for argument in text_arguments(node):
                    for bad in untranslated(argument):
                        where = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path.name
                        found.append(f"{where}:{bad.lineno}: {ast.unparse(bad)[:80]}")
    return sorted(set(found))


def test_every_text_handed_to_a_widget_goes_through_t() -> None:
    assert untranslated_texts(sorted(UI.rglob("*.py"))) == []


def test_the_scan_finds_words_that_skip_t(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "label = QLabel('Ready')\n"
        "button.setText(f'{n} waiting')\n"
        "window.set_status('upload', 'All synced' if ok else t('Sync off'))\n"
        "self.set_status(key, f'{name} ✓ now', 'ok')\n"
        "strip.addAction(t('Print') + ' now')\n"
        # fine: translated, symbols only, names the same in every language, the status key
        "label = QLabel(t('Ready'))\n"
        "button.setText(f\"{t('Paused')} ▶ {n}\")\n"
        "label.setText(f\"<b>{t('History')}</b>\")\n"
        "window.set_status('upload', '✓', 'ok')\n"
        "chip.setText(f'● {platform_label(name)}')\n"
        "title = QLabel('PIN')\n",
        encoding="utf-8",
    )
    found = [line.split(": ", 1)[1] for line in untranslated_texts([sample])]
    assert sorted(found) == sorted(["'Ready'", "f'{n} waiting'", "'All synced'", "f'{name} ✓ now'", "' now'"])


# -- what a person sees: the counter in Chinese, and every sentence the services raise --------------------

# Words a Chinese screen shows as they are: names and codes.
LATIN_NAMES = {
    "PIN",
    "posapp",
    "Uber",
    "Eats",
    "DoorDash",
    "EN",
    "MB",
    "CNY",
    "USD",
    "USB",
    "CUPS",
    "mm",
    "CSV",
}
# Printer addresses, commands and packages a person types as they are (tcp://…, pip install pyusb).
CODE = re.compile(r"\S*(?::|/)\S*|\bpip install \w+|\bpy\w+|escpos\b|\blp\b")
SERVICE_SOURCES = [
    *(p for p in sorted((ROOT / "posapp" / "services").glob("*.py")) if p.name not in ("hub.py", "relay.py")),
    ROOT / "posapp" / "domain" / "lifecycle.py",
    ROOT / "posapp" / "domain" / "bounds.py",
    ROOT / "posapp" / "store" / "backup.py",
    ROOT / "posapp" / "printing" / "transports.py",
    ROOT / "posapp" / "printing" / "profiles.py",
]
# Raised for programmers or the command line, never shown on a screen.
NOT_FOR_SCREENS = (
    "ValueError",
    "TypeError",
    "KeyError",
    "RuntimeError",
    "AssertionError",
    "NotImplementedError",
)
COMMAND_LINE = (
    "say where to print",
    "give an ORDER_ID",
    "no printer named",
    "cannot reprint",
    "unknown ticket kind",
)
SETTINGS_FILE = ("[reports]", "[[manual.menu]]")


def english_words(text: str) -> list[str]:
    return [w for w in re.findall(r"[A-Za-z]{2,}", CODE.sub("", text)) if w not in LATIN_NAMES]


def service_sentences() -> list[tuple[str, str]]:
    """(where, an example) for each sentence a service raises, its values filled in as "7"."""
    found = []
    for path in SERVICE_SOURCES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call) and node.exc.args):
                continue
            if call_name(node.exc) in NOT_FOR_SCREENS:
                continue
            first = node.exc.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                example = first.value
            elif isinstance(first, ast.JoinedStr):
                example = "".join(str(v.value) if isinstance(v, ast.Constant) else "7" for v in first.values)
            else:
                continue
            if not example.startswith(COMMAND_LINE + SETTINGS_FILE):
                found.append((f"{path.name}:{node.lineno}", example))
    return found


@pytest.fixture
def chinese(qapp: Any) -> Iterator[None]:
    assert install_language("zh_CN") == "zh_CN"
    yield
    install_language("en")


def test_every_sentence_a_service_raises_is_said_in_chinese(chinese: None) -> None:
    sentences = service_sentences()
    assert len(sentences) > 30  # the scan found the services' sentences
    english = [f"{where}: {say(example)}" for where, example in sentences if english_words(say(example))]
    # A new sentence: its template in posapp/ui/sentences.py (values as {name}), its Chinese in the .ts
    # (tools/translations_words.py merges it).
    assert english == []


def test_every_template_has_chinese(chinese: None) -> None:
    assert [template for template in TEMPLATES if t(template) == template] == []


def visible_texts(window: QWidget) -> list[str]:
    texts = [window.windowTitle()]
    for widget in window.findChildren(QWidget):
        if not widget.isVisibleTo(window):
            continue
        if isinstance(widget, QLabel | QAbstractButton):
            texts.append(widget.text())
        if isinstance(widget, QLineEdit):
            texts.append(widget.placeholderText())
        texts.append(widget.toolTip())
    return [text for text in texts if text]


def test_the_counter_in_chinese_shows_no_english(qtbot: Any, chinese: None) -> None:
    window = MainWindow(QueueModel(), tz=UTC)
    qtbot.addWidget(window)
    window.resize(1024, 768)
    window.show()
    since = datetime(2026, 3, 10, 14, 2, tzinfo=UTC)
    worker = {"parked": 0, "halted": False, "enabled": True, "failing_since": None}
    for notice in (
        Notice("platform push", "meituan unreachable: ConnectError", "warning", {**worker, "pending": 3}),
        Notice("upload", "", "warning", {**worker, "pending": 412, "parked": 2, "failing_since": since}),
        Notice("platform:meituan", "offline", "warning", {"platform": "meituan", "state": "offline"}),
        Notice("platform:eleme", "offline: ConnectError", "warning", {"platform": "eleme", "state": "x"}),
        Notice(
            "printer:kitchen",
            "后厨 offline — 3 tickets waiting",
            "error",
            {
                "printer": "kitchen",
                "label": "后厨",
                "state": "offline",
                "waiting": 3,
                "error": "[Errno 111] Connection refused",
            },
        ),
        Notice("quarantine", "2 payloads quarantined", "warning", {"count": 2}),
        Notice("store", "Store paused", "warning", {"paused": True}),
    ):
        window.on_notice(notice)
    window.on_notice(Notice("platform push", "", "info", {**worker, "pending": 0}))
    assert window.status_text("platform push") == "平台推送: ✓"
    window.on_notice(
        Notice("platform push", "meituan unreachable: ConnectError", "warning", {**worker, "pending": 3})
    )
    qtbot.waitUntil(lambda: all(label.isVisible() for label in window._strip.values() if label.text()))
    texts = visible_texts(window)
    assert "平台推送:3 条待处理 — 无法连接美团:无法连接" in texts
    assert any("待同步" in text for text in texts)
    assert [text for text in texts if english_words(text)] == []
    window.on_notice(  # a printer the shop gave no label: posapp names it, in the screen's language
        Notice("printer:counter", "Counter printer ready", "info", {"printer": "counter", "state": "ready"})
    )
    qtbot.waitUntil(lambda: window.status_text("printer:counter") == "● 前台打印机 就绪")
    window.on_notice(Notice("listener", "Meituan: a push over 2 MB was refused", "warning"))
    assert english_words(window.banner.text()) == [] and window.banner.isVisible()


def test_the_pin_pad_counts_a_lock_out_down_in_chinese(qtbot: Any, chinese: None) -> None:
    now = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
    pad = PinPad(clock=lambda: now)
    qtbot.addWidget(pad)
    pad.show_error(say("Too many wrong PINs. Try again in 5 min."))
    assert pad.message.text() == "PIN 错误次数过多,请 5 分钟后再试。"
    pad.lock_until(now + timedelta(seconds=42))
    assert "42" in pad.message.text() and english_words(pad.message.text()) == []


def test_the_manager_section_in_chinese_shows_no_english(qtbot: Any, chinese: None) -> None:
    view = ManagerView(datetime(2026, 3, 10).date())
    pad = PinPad()
    qtbot.addWidget(view)
    qtbot.addWidget(pad)
    view.resize(1024, 700)
    view.show()
    pad.show()
    shown = [view.tabText(tab) for tab in range(view.count())]
    for tab in range(view.count()):
        view.setCurrentIndex(tab)
        qtbot.waitUntil(lambda: view.currentWidget().isVisible())
        shown += visible_texts(view)
    shown += visible_texts(pad)
    assert len(shown) > 20  # every tab's labels and buttons were read
    assert [text for text in shown if english_words(text)] == []


def test_the_printers_dialog_in_chinese_names_printers_and_roles_in_chinese(
    qtbot: Any, chinese: None, db: Database
) -> None:
    service = PrintService(
        db,
        Hub(),
        [
            PrinterSettings("kitchen", "file:/tmp/kitchen.bin", role="kitchen"),
            PrinterSettings("counter", "file:/tmp/counter.bin", role="counter"),
            PrinterSettings("wok", "file:/tmp/wok.bin", role="kitchen", label="炒锅"),
            PrinterSettings("bar", "lpt9", role="bar"),  # a wrong address: its sentence in Chinese
        ],
    )
    dialog = PrintersDialog(service)
    qtbot.addWidget(dialog)
    dialog.show()
    rows = [[dialog.table.item(r, c).text() for c in range(4)] for r in range(dialog.table.rowCount())]
    assert [row[0] for row in rows][:3] == ["后厨打印机", "前台打印机", "炒锅"]  # the shop's own label stays
    assert "未知的打印机地址" in rows[3][3]
    assert rows[0][1] == "后厨"
    assert [cell for row in rows for cell in row if english_words(cell)] == []


def test_the_counters_dialogs_in_chinese_show_no_english(qtbot: Any, chinese: None) -> None:
    order = dataclasses.replace(
        make_order(platform="meituan", external_id="8301", items=(LineItem("宫保鸡丁", 1, 3200),)), id=3
    )
    at = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
    history = [
        StatusEvent(3, at, "meituan", None, "new"),
        StatusEvent(3, at, "kitchen", "new", "accepted"),
        StatusEvent(3, at, "manager:王", "accepted", "cancelled", reason="Item sold out"),
        StatusEvent(3, at, "kitchen", None, None, kind="reprint"),
    ]
    dialogs = [
        OrderDetailDialog(order, history, UTC),
        RefundDialog(order),
        RecallDialog([order], UTC),
        SoldOutDialog([("宫保鸡丁", None, True)]),
        SettingsDialog(
            platforms=["meituan", "eleme"],
            auto_accept=set(),
            theme="dark",
            scale=1.0,
            language="zh_CN",
            speak=False,
            speak_available=True,
            kiosk=False,
            on_apply=lambda _changes: None,
        ),
        ManualOrderDialog([MenuEntry("宫保鸡丁", 3200, None)], "CNY"),
    ]
    english = []
    for dialog in dialogs:
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        english += [
            f"{type(dialog).__name__}: {text}" for text in visible_texts(dialog) if english_words(text)
        ]
    assert english == []
