"""No words reach a screen without passing through t(): a scan of posapp/ui's code for text handed to widgets."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

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
