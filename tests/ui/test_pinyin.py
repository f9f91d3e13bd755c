"""The keyboard's pinyin table: the kitchen's own words are in it and come first for their pinyin."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from posapp.connectors.simulator.cn_menu import _DISHES, _NOTES, _OPTIONS
from posapp.domain.reasons import REASON_TEXT
from posapp.ui.pinyin import PinyinTable, kitchen_table

ROOT = Path(__file__).resolve().parents[2]
TS = ROOT / "resources" / "i18n" / "posapp_zh_CN.ts"


def table_words() -> set[str]:
    return {w for words in kitchen_table().words.values() for w in words}


def test_every_dish_option_and_reject_reason_of_the_repo_can_be_typed() -> None:
    words = table_words()
    chinese = {
        entry.findtext("source"): entry.findtext("translation") for entry in ET.parse(TS).iter("message")
    }
    reasons = {chinese[text] for text in REASON_TEXT.values()}
    wanted = set(_DISHES.values()) | set(_OPTIONS.values()) | reasons
    wanted |= {re.sub(r"[!!]", "", note) for note in _NOTES.values()}
    assert sorted(w for w in wanted if re.sub(r"\(.*", "", w) not in words and w not in words) == []


def test_the_table_is_a_dictionary_not_a_handful_of_words() -> None:
    table = kitchen_table()
    assert len(table_words()) > 10_000
    assert len(table.syllables) > 380  # every syllable of Mandarin has characters to offer


def test_kitchen_words_come_first_for_their_pinyin() -> None:
    table = kitchen_table()

    def first(letters: str) -> str:
        return table.candidates(letters)[0].text

    assert first("niurou") == "牛肉"
    assert first("mapodoufu") == "麻婆豆腐"
    assert first("tela") == "特辣"
    assert first("buyaocong") == "不要葱"
    assert "牛肉" in [c.text for c in table.candidates("nr")[:3]]  # initials
    assert "辣" in [c.text for c in table.candidates("la")[:3]]


def test_letters_that_make_no_word_offer_the_first_syllable_and_keep_the_rest() -> None:
    table = PinyinTable(["niu\t5\t牛 扭", "rou\t6\t肉", "niurou\t1\t牛肉"])
    assert [(c.text, c.letters) for c in table.candidates("niurouxx")] == [("牛", 3), ("扭", 3)]
    assert table.split("niurou") == ["niu", "rou"]
    assert table.candidates("") == []
