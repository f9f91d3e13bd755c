"""Chinese for busy mode, the auto-cancel countdown and missed-order recovery (issue 15, the platform side):
merged into posapp_zh_CN.ts beside every other entry, then compiled.

Run: python tools/translations_platform_rush.py   (tests/unit/test_i18n.py checks every t("...") has an entry)
"""

from __future__ import annotations

from translations_words import compile_qm, merge

ZH_PLATFORM_RUSH = {
    # missed-order recovery (the status strip)
    "Recovered 1 order from {platform}": "已从{platform}找回 1 笔漏单",
    "Recovered {n} orders from {platform}": "已从{platform}找回 {n} 笔漏单",
    "Could not ask {platform} for missed orders": "无法向{platform}查询漏单",
}

if __name__ == "__main__":
    print(f"{merge(ZH_PLATFORM_RUSH)} entries added or changed")
    compile_qm()
