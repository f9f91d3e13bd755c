"""Regenerate resources/i18n/posapp_zh_CN.ts from the table below and compile it to .qm with lrelease.

Run: python tools/make_translations.py   (tests/unit/test_i18n.py checks every t("...") has an entry)
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from xml.sax.saxutils import escape

ZH_CN = {
    # printing (Settings → Printers)
    "Printers": "打印机",
    "Printer": "打印机",
    "Role": "用途",
    "State": "状态",
    "not tried yet": "尚未连接",
    "Test print": "打印测试页",
    "Select a printer and tap Test print to see the page it prints.": "选择一台打印机,点“打印测试页”查看打印效果。",
    "Select a printer first.": "请先选择打印机。",
    "Sending a test page to {printer}…": "正在向{printer}发送测试页…",
    "Test page sent to {printer}.": "测试页已发送到{printer}。",
    "{printer}: the test page could not be sent ({error}).": "{printer}:测试页发送失败({error})。",
    "{printer} ready": "{printer} 就绪",
    "{printer} printing — {n} waiting": "{printer} 打印中 — {n} 张等待",
    "{printer} offline — {n} tickets waiting": "{printer} 离线 — {n} 张小票等待打印",
    " — {n} failed": " — {n} 张失败",
    "ACCEPTED": "已接单",
    "Accept": "接单",
    "Accept all": "全部接单",
    "Accept all ({n})": "全部接单 ({n})",
    "Accept now — the platform will cancel: {numbers}": "请立即接单,平台即将自动取消:{numbers}",
    "Accepted": "已接单",
    "Address": "地址",
    "Amount": "金额",
    "Address out of delivery range": "超出配送范围",
    "All day": "汇总",
    "Announce new orders aloud": "语音播报新订单",
    "Apply": "应用",
    "Auto-accept {platform}": "{platform} 自动接单",
    "CANCELLED by {platform}: order #{number}": "{platform} 已取消订单 #{number}",
    "COOKING": "制作中",
    "Cancel order": "取消订单",
    "Cashier or manager PIN": "收银员或经理 PIN",
    "Close": "关闭",
    "Cooking": "制作中",
    "Counter": "柜台",
    "Customer": "顾客",
    "Customer asked to cancel": "顾客要求取消",
    "Dark": "深色",
    "Delivery": "外送",
    "Delivery fee": "配送费",
    "Demo": "演示",
    "Dine-in": "堂食",
    "Discount": "优惠",
    "Done": "完成",
    "Due": "预计送达",
    "Ele.me": "饿了么",
    "Fulfillment": "取餐方式",
    "Full screen (kiosk)": "全屏(自助模式)",
    "History": "记录",
    "Item sold out": "商品已售罄",
    "Kitchen too busy": "厨房太忙",
    "Language": "语言",
    "Light": "浅色",
    "Manager": "经理",
    "Meituan": "美团",
    "NEW": "新订单",
    "New": "新订单",
    "New {platform} order {number}": "{platform}新订单 {number}号",
    "New order": "新建订单",
    "No completed orders in the last hours": "最近几小时没有已完成订单",
    "No open orders — new orders appear here": "暂无订单 — 新订单会显示在这里",
    "No printer is set up": "尚未设置打印机",
    "Notes": "备注",
    "Other": "其他",
    "Own site": "自有渠道",
    "Packaging": "包装费",
    "Pause": "暂停营业",
    "Payment": "支付",
    "Phone": "电话",
    "Pickup": "自取",
    "Placed": "下单时间",
    "Platform order": "平台订单号",
    "Print receipt": "打印小票",
    "Printers…": "打印机…",
    "READY": "待取餐",
    "Ready": "出餐",
    "Recall": "召回",
    "Reason": "原因",
    "Reason (for the audit log)": "原因(记入审计日志)",
    "Refund on order #{number}": "订单 #{number} 退款",
    "Refund of {amount} recorded on #{number} by {who}": "{who} 已为 #{number} 记录退款 {amount}",
    "Refund…": "退款…",
    "Refunds are recorded in the manager section": "请在经理页面记录退款",
    "Recall a completed order": "召回已完成订单",
    "Reject": "拒单",
    "Reprint ticket": "重打厨房单",
    "Rider": "骑手",
    "Rider: {status}": "骑手:{status}",
    "Rush reminder from {platform}: order #{number}": "{platform}催单:订单 #{number}",
    "Rush reminder × {n}": "催单 × {n}",
    "SOLD OUT": "已售罄",
    "Search # or name": "搜索单号或姓名",
    "Sent to the printer": "已发送到打印机",
    "Settings": "设置",
    "Sold out": "售罄",
    "Sold out?": "售罄管理",
    "Something went wrong; nothing was changed. See the log.": "出错了,订单未改变。请查看日志。",
    "Start": "开始制作",
    "Store closing": "即将打烊",
    "Subtotal": "小计",
    "Tax": "税",
    "Text size": "字体大小",
    "Theme": "主题",
    "Tip": "小费",
    "Total": "合计",
    "Undo": "撤销",
    "Undo: {what}": "撤销:{what}",
    "Undone: #{number} is {status} again": "已撤销:#{number} 恢复为{status}",
    "Why cancel this order?": "取消原因?",
    "Why reject this order?": "拒单原因?",
    "accepted": "已接单",
    "available": "有货",
    "cancelled": "已取消",
    "completed": "已完成",
    "delivery": "外送",
    "dine_in": "堂食",
    "new": "新订单",
    "paid": "已支付",
    "pickup": "自取",
    "preparing": "制作中",
    "ready": "待取餐",
    "rejected": "已拒单",
    "unpaid": "未支付",
    "{platform} order {number} cancelled": "{platform}订单 {number}号已取消",
    "{what}: {n} waiting": "{what}:{n} 条待处理",
    "⏸ Store paused on all platforms": "⏸ 已在所有平台暂停营业",
    "⚠ {n} payloads quarantined": "⚠ {n} 条异常订单数据",
}

ROOT = Path(__file__).resolve().parent.parent
TS = ROOT / "resources" / "i18n" / "posapp_zh_CN.ts"


def write_ts() -> None:
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        "<!DOCTYPE TS>",
        '<TS version="2.1" language="zh_CN">',
        "<context>",
        "    <name>posapp</name>",
    ]
    for source, translation in sorted(ZH_CN.items()):
        lines += [
            "    <message>",
            f"        <source>{escape(source)}</source>",
            f"        <translation>{escape(translation)}</translation>",
            "    </message>",
        ]
    lines += ["</context>", "</TS>", ""]
    TS.write_text("\n".join(lines), encoding="utf-8")


def compile_qm() -> None:
    lrelease = shutil.which("pyside6-lrelease") or str(Path(sys.executable).with_name("pyside6-lrelease"))
    subprocess.run([lrelease, str(TS), "-qm", str(TS.with_suffix(".qm"))], check=True)


if __name__ == "__main__":
    write_ts()
    compile_qm()
