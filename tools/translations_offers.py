"""Chinese for the bounce-back offers (issue 18, "Offers that respect the platforms' rules"): merged into
posapp_zh_CN.ts beside every other entry, then compiled.

Run: python tools/translations_offers.py   (tests/unit/test_i18n.py checks every t("...") has an entry)
"""

from __future__ import annotations

from translations_words import compile_qm, merge

ZH_OFFERS = {
    # the report (ui/manager/view.py)
    "Offer": "优惠",
    "Issued": "已发放",
    "Redeemed": "已使用",
    "Redemption rate": "使用率",
}

if __name__ == "__main__":
    print(f"{merge(ZH_OFFERS)} entries added or changed")
    compile_qm()
