"""Chinese for payout reconciliation and platform refunds (issue 16, the platform-money side): merged into
posapp_zh_CN.ts beside every other entry, then compiled.

Run: python tools/translations_payouts.py   (tests/unit/test_i18n.py checks every t("...") has an entry)
"""

from __future__ import annotations

from translations_words import compile_qm, merge

ZH_PAYOUTS = {
    # the Payouts tab (ui/manager/payouts.py, ui/manager/section.py)
    "Payouts": "平台结算",
    "Paid as expected": "已按预期结算",
    "Short-paid": "少结",
    "Missing from the statement": "账单中缺少",
    "Not one of our orders": "非本店订单",
    "Refunds": "退款",
    "Adjustments": "调账",
    "Import statement…": "导入账单…",
    # fetched by API (services/payout_fetch.py): Uber Eats' Payment Details Report
    "Fetch from Uber Eats": "从 Uber Eats 获取",
    "Asked Uber Eats for the payment details of {first} to {last}: the report comes in a few minutes…": (
        "已向 Uber Eats 申请 {first} 至 {last} 的付款明细,报表几分钟内送达…"
    ),
    "Nothing was imported from Uber Eats: {reason}": "未从 Uber Eats 导入任何内容:{reason}",
    "Asked a platform for its statement": "向平台申请结算报表",
    "Business days": "营业日",
    "Choose a platform, then import the statement you downloaded from it.": "选择平台,然后导入从该平台下载的账单。",
    "Outcome": "结果",
    "Expected": "应结",
    "Paid": "实结",
    "Difference": "差额",
    "Line": "行号",
    "Total": "合计",
    "{n} lines": "{n} 行",
    "1 line": "1 行",
    "Import a {platform} statement": "导入{platform}账单",
    "Statements in {folder}": "{folder} 中的账单",
    "No .csv or .xlsx files here.": "此文件夹中没有 .csv 或 .xlsx 文件。",
    "Another folder…": "其他文件夹…",
    "Statements are in…": "账单所在文件夹…",
    "Importing {file}…": "正在导入 {file}…",
    "{file} was not imported, nothing was kept: {reason}": "{file} 未导入,未保存任何内容:{reason}",
    "Saved {file}": "已保存 {file}",
    "{file} imported: matched to our orders of {days}": "{file} 已导入:已与 {days} 的订单核对",
    "Every imported statement line of {days}": "{days} 已导入的全部账单明细",
    # the audit log (ui/manager/audit_text.py)
    "Imported a platform statement": "导入平台账单",
    "{platform}: {file}, {n} lines": "{platform}:{file},{n} 行",
    # the Z-report / range report (ui/manager/view.py): the platforms' money
    "Platform money": "平台资金",
    "Count": "笔数",
    "Refunded by {platform}": "{platform}退款",
    # statement errors (reports/statements.py, services/payouts.py), said through ui/sentences.py
    "line {line}: {reason}": "第 {line} 行:{reason}",
    "{what} is not a number: {value}": "{what}不是数字:{value}",
    "{what} is not a plausible amount: {value}": "{what}金额不合理:{value}",
    "{what} has more decimals than {currency} has: {value}": "{what}的小数位超过 {currency} 的精度:{value}",
    "the payout amount": "结算金额",
    "the order amount": "订单金额",
    "a fee": "费用",
    "the payout amount is empty": "结算金额为空",
    "not a date: {value}": "不是日期:{value}",
    "not a currency code: {value}": "不是货币代码:{value}",
    "the order id is too long or holds control characters": "订单号过长或含控制字符",
    "the file is empty": "文件为空",
    "the file is larger than {n} MB: not a statement": "文件超过 {n} MB:不是账单",
    "the file is neither UTF-8 nor GB18030 text, nor an .xlsx workbook": "文件既不是 UTF-8 或 GB18030 文本,也不是 .xlsx 工作簿",
    "the file holds binary data: not a CSV statement": "文件含二进制数据:不是 CSV 账单",
    "the CSV cannot be read: {reason}": "无法读取 CSV:{reason}",
    "the Excel workbook cannot be opened: {reason}": "无法打开 Excel 工作簿:{reason}",
    "more than {n} lines: not one statement": "超过 {n} 行:不是一份账单",
    "no statement format is known for {platform}": "不支持{platform}的账单格式",
    "no header with an order id and a payout column ({id}, {net}) in the first lines: is this a {platform} "
    "statement?": "前几行中没有含订单号和结算金额({id}、{net})的表头:这是{platform}的账单吗?",
    "no header with an order id and a payout column: is this a {platform} statement?": "没有含订单号和结算金额的表头:这是{platform}的账单吗?",
    "this statement was imported already ({file}, {when} UTC)": "该账单已导入过({file},UTC {when})",
    "the file cannot be read: {reason}": "无法读取文件:{reason}",
    "no imported statement #{n}": "没有已导入的账单 #{n}",
}

if __name__ == "__main__":
    print(f"{merge(ZH_PAYOUTS)} entries added or changed")
    compile_qm()
