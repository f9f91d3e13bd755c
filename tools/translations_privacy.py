"""Chinese for a customer's data on request (issue 18: find, export, erase) and the audit log's words for it:
merged into posapp_zh_CN.ts beside every other entry, then compiled.

Run: python tools/translations_privacy.py   (tests/unit/test_i18n.py checks every t("...") has an entry)
"""

from __future__ import annotations

from translations_words import compile_qm, merge

ZH_PRIVACY = {
    # app.py: a start-up failure said in a window; store/sealed.py MISSING_KEY_SENTENCE
    "posapp could not start. Nothing was changed; the log file has the details.": "posapp 无法启动。没有任何改动;详情见日志文件。",
    "This database's personal data is encrypted with a key this machine does not have. "
    "Bring the key from the old counter: posapp privacy export-key there, posapp privacy import-key here": (
        "此数据库中的顾客个人数据用本机没有的密钥加密。请从旧收银机带来密钥:"
        "在旧机器上运行 posapp privacy export-key,在本机运行 posapp privacy import-key"
    ),
    # Customers → Customer data (ui/manager/privacy_page.py, ui/manager/section.py)
    "Customer data": "客户数据",
    "A customer's data on request: find them by phone or name, export what we hold, or erase it.": (
        "应客户要求处理其数据:按电话或姓名查找,导出我们保存的全部数据,或将其删除。"
    ),
    "* A masked number may be someone else's on another platform: check the name and the orders.": (
        "* 打码号码在其他平台上可能属于另一个人:请核对姓名和订单。"
    ),
    "Phone number or name": "电话号码或姓名",
    "Find": "查找",
    "Tap a customer to see their orders.": "点一位客户查看其订单。",
    "Export…": "导出…",
    "Erase…": "删除…",
    "{n} customers found": "找到 {n} 位客户",
    "Nobody found.": "没有找到客户。",
    "{name} · {phone} · {n} orders": "{name} · {phone} · {n} 单",
    "Erase a customer's data": "删除客户数据",
    "Name, phone, address and notes are blanked on every order, in the platforms' raw messages, in upload rows "
    "not sent yet, in quarantined messages and in customer notes. The money figures stay. The audit log keeps "
    "who did it and why.": (
        "所有订单、平台原始消息、尚未上传的同步记录、隔离的消息和客户备注中的姓名、电话、地址和备注都将被清除。"
        "金额数据保留。审计日志记录操作人和原因。"
    ),
    "Erase for good: this cannot be undone": "永久删除:此操作无法撤销",
    "Say why the data is erased.": "请说明删除数据的原因。",
    "Tick the box to confirm.": "请勾选确认。",
    "Export the customer's data to…": "将客户数据导出到…",
    "JSON files (*.json)": "JSON 文件 (*.json)",
    "Cannot write {file}: {error}": "无法写入 {file}:{error}",
    "Erased: {orders} orders, {uploads} upload rows, {quarantine} quarantined messages, {notes} notes.": (
        "已删除:{orders} 个订单、{uploads} 条同步记录、{quarantine} 条隔离消息、{notes} 条备注。"
    ),
    # the audit log (ui/manager/audit_text.py)
    "Exported a customer's data": "导出了客户数据",
    "Erased a customer's data": "删除了客户数据",
    # service sentences (services/privacy.py, shown through ui/sentences.say)
    "Type at least two letters of a name or four digits of a phone number.": "请至少输入姓名的两个字或电话号码的四位数字。",
    "Say why the data is erased (for example: the customer asked by phone).": "请说明删除数据的原因(例如:客户来电要求)。",
    "No stored order names this customer any more.": "已没有订单记录这位客户。",
}

if __name__ == "__main__":
    print(f"{merge(ZH_PRIVACY)} entries added or changed")
    compile_qm()
