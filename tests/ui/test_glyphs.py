"""Every symbol the screens draw exists in the bundled font: a kiosk may have no other, and a missing glyph
draws as an empty box (⏱ and ⏸ did)."""

from __future__ import annotations

import ast
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from PySide6.QtGui import QFont, QFontDatabase, QFontMetrics

from posapp.resources import CJK_FONT, resource

ROOT = Path(__file__).resolve().parents[2]
UI = ROOT / "posapp" / "ui"
TS = ROOT / "resources" / "i18n" / "posapp_zh_CN.ts"


def ui_sources() -> list[Path]:
    return list(UI.rglob("*.py"))


def drawn_strings() -> list[str]:
    """String literals in the screens' code (docstrings excluded) and the Chinese of their t() sources."""
    strings: list[str] = []
    sources: set[str] = set()
    for path in ui_sources():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
            and node.body
            and isinstance(node.body[0], ast.Expr)
            and isinstance(node.body[0].value, ast.Constant)
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
                strings.append(node.value)
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "t" and node.args:
                first = node.args[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    sources.add(first.value)
    for message in ET.parse(TS).getroot().iter("message"):
        if message.findtext("source") in sources:
            strings.append(message.findtext("translation") or "")
    return strings


def test_every_symbol_the_screens_draw_is_in_the_bundled_font(qapp: Any) -> None:
    font_id = QFontDatabase.addApplicationFont(str(resource(*CJK_FONT)))
    family = QFontDatabase.applicationFontFamilies(font_id)[0]
    font = QFont(family)
    font.setStyleStrategy(QFont.StyleStrategy.NoFontMerging)  # this font alone, no system fallback
    metrics = QFontMetrics(font)
    used = {c for text in drawn_strings() for c in text if ord(c) > 127 and c not in "\u200b\ufeff"}
    assert len(used) > 100  # the scan found the screens' text (CJK included)
    missing = sorted(f"{c} U+{ord(c):04X}" for c in used if not metrics.inFontUcs4(ord(c)))
    assert missing == []
