"""Translations: every string the screens pass through t() has a zh_CN entry, and switching works."""

from __future__ import annotations

import ast
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from posapp.domain.reasons import REASON_TEXT
from posapp.ui.card_delegate import ACTION_LABELS, FULFILLMENT_LABELS, STATUS_LABELS
from posapp.ui.i18n import install_language, t
from posapp.ui.main_window import STATE_CHIPS
from posapp.ui.theme import PLATFORMS

ROOT = Path(__file__).resolve().parents[2]
TS = ROOT / "resources" / "i18n" / "posapp_zh_CN.ts"


def literal_t_calls() -> set[tuple[str, str]]:
    """Every t("source") and t("source", "disambiguation") with literal strings, as (source, disambiguation)."""
    found = set()
    for path in (ROOT / "posapp" / "ui").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "t"
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                comment = node.args[1] if len(node.args) > 1 else None
                found.add((node.args[0].value, comment.value if isinstance(comment, ast.Constant) else ""))
    return found


def translated() -> dict[tuple[str, str], str]:
    root = ET.parse(TS).getroot()
    return {
        (m.findtext("source") or "", m.findtext("comment") or ""): m.findtext("translation") or ""
        for m in root.iter("message")
    }


def test_every_screen_string_has_a_chinese_translation() -> None:
    labels = set(ACTION_LABELS.values()) | set(FULFILLMENT_LABELS.values()) | set(STATUS_LABELS.values())
    labels |= {label for _, label in STATE_CHIPS} | set(REASON_TEXT.values())
    labels |= {label for _colour, label in PLATFORMS.values() if label not in ("Uber Eats", "DoorDash")}
    wanted = literal_t_calls() | {(label, "") for label in labels}
    table = translated()
    missing = sorted(s for s in wanted if not table.get(s))
    assert missing == []


def test_compiled_translations_ship_beside_the_source() -> None:
    qm = TS.with_suffix(".qm")
    assert qm.exists()
    assert len(translated()) > 50


@pytest.fixture
def chinese(qapp: Any) -> Iterator[None]:
    assert install_language("zh_CN") == "zh_CN"
    yield
    install_language("en")


def test_switching_to_chinese_translates_buttons(chinese: None) -> None:
    assert t("Accept") == "接单"
    assert t("Accept all ({n})").format(n=3) == "全部接单 (3)"
    assert t("Meituan") == "美团"


def test_english_is_the_source_language(qapp: Any) -> None:
    install_language("en")
    assert t("Accept") == "Accept"


def test_manager_section_speaks_chinese(chinese: None) -> None:
    from datetime import date

    from posapp.ui.manager.pinpad import PinPad
    from posapp.ui.manager.view import ManagerView

    view = ManagerView(date(2026, 3, 10))
    pad = PinPad()
    try:
        page = view.report_page
        assert page.show_button.text() == "查看"
        assert page.print_button.text() == "打印日结报表"
        assert page.platforms.horizontalHeaderItem(0).text() == "平台"
        assert page.figures["payout"].caption.text() == "预计结算"
        assert view.audit_page.table.horizontalHeaderItem(1).text() == "操作人"
        assert [view.tabText(i) for i in range(view.count())] == ["日结报表", "审计日志", "客户"]
        assert pad.title.text() == "经理 PIN"
        assert t("Adding up… {done} of {total} days").format(done=7, total=20) == "正在汇总… 已完成 7/20 天"
        assert t("new", "compared with nothing") == "新增" and t("new") == "新订单"
    finally:
        view.deleteLater()
        pad.deleteLater()
