"""zh_CN for the cash drawer and the cash-up (Cash tab, Z-report box, audit words, the cash service's sentences).

Run: python tools/translations_cash.py   (merged into posapp_zh_CN.ts like tools/translations_words.py, then compiled)
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from translations_words import compile_qm, merge  # noqa: E402

ZH_CASH = {
    # Settings → Printers
    "Cash drawer": "钱箱",
    "A cash drawer is plugged into this printer": "这台打印机接了钱箱",
    # manager section → Cash
    "Cash": "现金",
    "Count the drawer": "清点钱箱",
    "Clear count": "清零",
    "Save count": "保存清点",
    "Opening float": "备用金",
    "Paid in": "存入",
    "Paid out": "支出",
    "Cash orders": "现金订单",
    "Cash refunds": "现金退款",
    "Expected in drawer": "钱箱应有",
    "Counted": "实点",
    "Variance": "差额",
    "Counted by": "清点人",
    "{amount} short": "短款 {amount}",
    "{amount} over": "长款 {amount}",
    "exact": "相符",
    "short": "短款",
    "over": "长款",
    "Open drawer…": "打开钱箱…",
    "Open drawer": "打开钱箱",
    "Count saved for the Z-report.": "清点已保存,会写入 Z 报表。",
    "The drawer is opening.": "钱箱正在打开。",
    "{what} of {amount} recorded.": "已记录{what} {amount}。",
    # the Z-report screen's cash-up box
    "Cash-up": "现金结算",
    "Expected {amount}": "应有 {amount}",
    "Counted {amount}": "实点 {amount}",
    "Drawer not counted yet": "钱箱尚未清点",
    "Float {amount}": "备用金 {amount}",
    "Cash orders {n} · {amount}": "现金订单 {n} 单 · {amount}",
    "Cash refunds {amount}": "现金退款 {amount}",
    "Paid in {amount}": "存入 {amount}",
    "Paid out {amount}": "支出 {amount}",
    "Counted by {who}": "清点人 {who}",
    # audit log
    "Paid cash into the drawer": "向钱箱存入现金",
    "Paid cash out of the drawer": "从钱箱支出现金",
    "Set the opening float": "设置备用金",
    "Counted the drawer": "清点钱箱",
    "Opened the cash drawer": "打开钱箱",
    "Cash drawer kept shut (its printer was offline too long)": "钱箱未打开(打印机离线太久)",
    "Counted {counted} · expected {expected} · {variance} {word}": "实点 {counted} · 应有 {expected} · {variance} {word}",
    # the cash service's and the spooler's sentences (said through ui/sentences.say)
    "[cash] in the settings: {reason}": "设置中的 [cash]: {reason}",  # the section's name stays as the file spells it
    "Enter an amount more than 0.": "请输入大于 0 的金额。",
    "Say why (a reason is kept with the entry).": "请填写原因(原因会随记录保存)。",
    "Only a manager counts the drawer.": "只有经理可以清点钱箱。",
    "That is not a note or coin of this currency.": "这不是该货币的纸币或硬币面额。",
    "A count cannot be less than 0.": "清点数量不能小于 0。",
    "No printer with a cash drawer is set up: tick Cash drawer under Printers.": (
        "没有设置接钱箱的打印机:请在“打印机”中勾选“钱箱”。"
    ),
}

if __name__ == "__main__":
    print(f"{merge(ZH_CASH)} entries added or changed")
    compile_qm()
