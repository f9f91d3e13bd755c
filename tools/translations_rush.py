"""Chinese for printer failover, the menu catalogue and the pickup board: merged into posapp_zh_CN.ts, compiled.

Run: python tools/translations_rush.py   (tests/unit/test_i18n.py checks every t("...") has an entry)
"""

from __future__ import annotations

from translations_words import compile_qm, merge

ZH_RUSH = {
    # printer failover (Settings → Printers, the status strip)
    " — printing on {backup}": " — 由{backup}代打",
    "Backup printer": "备用打印机",
    "No backup": "无备用",
    "after {n} s offline": "离线 {n} 秒后",
    # pickup board (posapp screen --board pickup)
    "Pickup board": "取餐屏",
    "Preparing": "制作中",
    "Ready for pickup": "请取餐",
    "+{n} more": "还有 {n} 单",
    "{platform} number {number} is ready": "{platform} {number} 号,请取餐",
}

if __name__ == "__main__":
    print(f"{merge(ZH_RUSH)} entries added or changed")
    compile_qm()
