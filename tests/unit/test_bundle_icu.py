"""The installer bundle's smaller ICU data (tools/icu_data.py, used by build.spec): built from the PySide6 wheel's
library, it keeps what Qt does with ICU for English and Chinese (collation, time-zone names, CJK character sets)
and answers exactly as the full library does, at a fifth of its size."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))

from elf import needed, symbol_bytes  # noqa: E402
from icu_data import REQUIRED_TOOLS, package_items, trim, unwanted  # noqa: E402

QT_LIB = Path(__import__("PySide6").__file__).parent / "Qt" / "lib"
ICU = sorted(QT_LIB.glob("libicudata.so.*"))
pytestmark = [
    pytest.mark.skipif(
        not sys.platform.startswith("linux") or not ICU, reason="the PySide6 wheel bundles ICU on Linux only"
    ),
    pytest.mark.skipif(
        not all(shutil.which(tool) for tool in REQUIRED_TOOLS),
        reason="needs icupkg and genccode (Debian's icu-devtools) and gcc (.ci/run installs them)",
    ),
]

# What Qt does with ICU, asked in a fresh interpreter (the library is chosen at load time).
PROBE = r"""
import functools, json
from PySide6.QtCore import QByteArray, QCollator, QLocale, QStringDecoder, QTimeZone
names = ["张三", "李四", "王五", "阿明", "Bob", "alice", "Émile"]
zh = QCollator(QLocale("zh_CN"))
tz = QTimeZone(b"Asia/Shanghai")
long_name = QTimeZone.NameType.LongName
standard = QTimeZone.TimeType.StandardTime
print(json.dumps({
    "zh_order": sorted(names, key=functools.cmp_to_key(zh.compare)),
    "en_order": sorted(names, key=functools.cmp_to_key(QCollator(QLocale("en_US")).compare)),
    "upper": QLocale("tr_TR").toUpper("istanbul"),
    "tz_zh": tz.displayName(standard, long_name, QLocale("zh_CN")),
    "tz_en": tz.displayName(standard, long_name, QLocale("en_US")),
    "codecs": {c: QStringDecoder(c).isValid() for c in ("GB18030", "GBK", "Big5", "Big5-HKSCS", "Shift_JIS",
                                                          "EUC-KR", "windows-1252", "KOI8-R")},
}, ensure_ascii=False))
"""


def probe(preload: Path | None) -> dict[str, object]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    if preload is not None:
        env["LD_PRELOAD"] = str(preload)  # same soname: the dynamic linker takes it for Qt Core's NEEDED
    done = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=60, check=True
    )
    result: dict[str, object] = json.loads(done.stdout)
    return result


def test_the_smaller_icu_answers_as_the_full_one_for_english_and_chinese(tmp_path: Path) -> None:
    small = trim(ICU[0], tmp_path)
    assert small.name == ICU[0].name
    assert small.stat().st_size < ICU[0].stat().st_size / 4  # 31 MB -> about 6.5 MB
    full = probe(None)
    assert full["zh_order"][:4] == ["阿明", "李四", "王五", "张三"]  # type: ignore[index]  # pinyin order
    assert full["tz_zh"] == "中国标准时间"
    assert probe(small) == full


def test_the_dropped_items_are_other_languages_translit_and_break_iteration() -> None:
    version = ICU[0].name.rsplit(".", 1)[1]
    items = package_items(symbol_bytes(ICU[0].read_bytes(), f"icudt{version}_dat"))
    drop = unwanted(items)
    assert {"de.res", "coll/de.res", "curr/fr.res", "zone/ja.res", "translit/root.res"} <= drop
    kept = set(items) - drop
    assert {"root.res", "en.res", "zh.res", "zh_Hant_HK.res", "coll/zh.res", "coll/ucadata.icu"} <= kept
    assert {"zone/zh.res", "cnvalias.icu", "gb18030.cnv", "res_index.res", "pool.res"} <= kept
    assert not any(item.startswith("brkitr/") for item in kept)


def test_needed_reads_the_direct_links_of_a_library() -> None:
    links = needed(QT_LIB / "libQt6Multimedia.so.6")
    assert {"libQt6Core.so.6", "libpulse.so.0"} <= links
    assert "libpulsecommon-16.1.so" not in links  # libpulse's own link, not QtMultimedia's
    assert needed(ROOT / "README.md") == set()
