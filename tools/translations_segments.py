"""Chinese for the customer segments (issue 18, the analysis side): merged into posapp_zh_CN.ts beside every
other entry, then compiled.

Run: python tools/translations_segments.py   (tests/unit/test_i18n.py checks every t("...") has an entry)
"""

from __future__ import annotations

from translations_words import compile_qm, merge

ZH_SEGMENTS = {
    # the Customers tab (ui/manager/view.py, ui/manager/segments_page.py)
    "Customers": "客户",  # the manager's tab: it now holds the segments beside the repeat customers
    "Segments": "客户分群",
    "By platform": "按平台",
    "Repeat customers": "回头客",
    "All platforms": "全部平台",
    "New customer": "新客",
    "Regular": "常客",
    "High-value": "高价值",
    "Lapsing": "流失预警",
    "Lost customer": "已流失",
    "Customers\nidentified": "识别出的\n客户数",
    "Segment": "分群",
    "Repeat\nrate": "复购率",
    "Orders per\ncustomer": "人均\n订单数",
    "Average\norder": "平均\n客单价",
    "Masked and relay phones count within their platform only; a full phone joins the own website and manual "
    "orders.": "打码号码和隐私号只在各自平台内识别客户;只有完整手机号才会把官网订单和手工订单归为同一客户。",
    "No customer with a phone number in the kept orders.": "保留的订单中没有带电话号码的客户。",
    "{customers} customers · {repeat} came back · {orders} orders each · {average} per order": "{customers} 位客户 · {repeat} 回头 · 人均 {orders} 单 · 每单 {average}",
    "Tap a customer to see their orders on every platform.": "点按客户查看其在各平台的订单。",
    "{name} · {segment} · {n} orders": "{name} · {segment} · {n} 单",
    # the rules (reports/segments.py rules()), translated where they are shown
    "lost: no order for more than {lost} days": "已流失:超过 {lost} 天没有下单",
    "high-value: {orders}+ orders and {spend}+ spent, last order within {active} days": "高价值:{orders} 单以上且消费 {spend} 以上,最近一单在 {active} 天内",
    "lapsing: {orders}+ orders, last order {first}–{lost} days ago": "流失预警:{orders} 单以上,最近一单在 {first}–{lost} 天前",
    "regular: {orders}+ orders, last order within {active} days": "常客:{orders} 单以上,最近一单在 {active} 天内",
    "new: one order, within the last {lost} days": "新客:只有一单,在最近 {lost} 天内",
}

if __name__ == "__main__":
    print(f"{merge(ZH_SEGMENTS)} entries added or changed")
    compile_qm()
