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
    # a fetch by API refused or failed (services/payout_fetch.py, connectors/ubereats_reports.py), said
    # through ui/sentences.py on the Payouts tab
    "the report request is no longer open": "该报表申请已不再等待",
    "it gave no reason": "未说明原因",
    "{platform} statements cannot be fetched by API": "{platform}的账单无法通过开放接口获取",
    "{platform} statements cannot be fetched by API: import the file": "{platform}的账单无法通过开放接口获取:请导入文件",
    "{platform} is not connected: set it up in Shop setup first": "{platform}未连接:请先在店铺设置中设置",
    "{platform} could not be reached: {error}": "无法连接{platform}:{error}",
    "no report request {id} is known": "没有报表申请 {id}",
    "{platform} sent no report in {n} seconds, nothing was imported: the report is announced to posapp's "
    "webhook address, so posapp (or 'posapp engine') must be running and that address set in the platform's "
    "developer dashboard": (
        "{platform}在 {n} 秒内没有发来报表,未导入任何内容:报表是发到 posapp 的推送地址通知的,"
        "所以 posapp(或其后台引擎)必须在运行,且该地址已在平台的开发者后台设置"
    ),
    "Uber Eats could not make the report: {reason}": "Uber Eats 未能生成报表:{reason}",
    "the Uber Eats report was not imported, nothing was kept: {reason}": "Uber Eats 报表未导入,未保存任何内容:{reason}",
    "the last day {last} is before the first day {first}": "最后一天 {last} 早于第一天 {first}",
    "Uber Eats gives at most {n} days of payment details per report: {first} to {last} is {days} days": (
        "Uber Eats 每份报表最多提供 {n} 天的付款明细:{first} 至 {last} 共 {days} 天"
    ),
    "Uber Eats refused the report request: {reason}": "Uber Eats 拒绝了报表申请:{reason}",
    "Uber Eats does not let this app read the store's reports (HTTP {code}): is the reporting app installed "
    "for store {store}?": "Uber Eats 不允许此应用读取本店报表(HTTP {code}):门店 {store} 是否已安装报表应用?",
    "Uber Eats cannot take the report request now (HTTP {code})": "Uber Eats 暂时无法受理报表申请(HTTP {code})",
    "Uber Eats gave no reporting token: check the client id and secret, and that the app has the eats.report "
    "scope in the Uber developer dashboard (HTTP {code}).": (
        "Uber Eats 未发放报表令牌:请检查应用的客户端编号和密钥,并确认应用在 Uber 开发者后台拥有报表(eats.report)权限"
        "(HTTP {code})。"
    ),
    "the Uber Eats report section {section} can no longer be downloaded (HTTP {code}): its link has expired; "
    "fetch the report again": "Uber Eats 报表分段 {section} 已无法下载(HTTP {code}):链接已过期,请重新获取报表",
    "the Uber Eats report is larger than {n} MB": "Uber Eats 报表超过 {n} MB",
}

if __name__ == "__main__":
    print(f"{merge(ZH_PAYOUTS)} entries added or changed")
    compile_qm()
