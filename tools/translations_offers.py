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
    # Customers → Offers (ui/manager/offers_page.py)
    "Offers": "优惠",
    "New offer": "新建优惠",
    "10 % off your next pickup": "下次自取享 9 折",
    "Percent off": "按百分比减",
    "Amount off": "减固定金额",
    "Minimum spend": "最低消费",
    "Valid for (days)": "有效天数",
    "Offer text (printed on the receipt)": "优惠内容(印在小票上)",
    "Who gets it (the customer's segment before the order)": "发给谁(顾客下单前所在的分群)",
    "Printing on receipts": "打印在小票上",
    "Save offer": "保存优惠",
    "{n} % off": "减 {n}%",
    "{amount} off": "减 {amount}",
    "min. {amount}": "满 {amount}",
    "{n} days": "{n} 天",
    "No offer yet: write one and save it.": "还没有优惠:填写后保存即可。",
    "Type the numbers as numbers, such as 10, 5.00 or 30.": "请用数字填写,例如 10、5.00 或 30。",
    "Saved. The next receipts of the chosen customers carry it.": "已保存。所选顾客接下来的小票上会印出此优惠。",
    "Printed only on receipts of your own channels: the counter (walk-in and phone orders) and your website. "
    "Never on Meituan, Ele.me, Uber Eats or DoorDash orders: their rules forbid steering their customers to "
    "another channel.": "只印在本店自有渠道的小票上:柜台(到店和电话订单)和本店官网。美团、饿了么、Uber Eats、"
    "DoorDash 的订单一律不印:这些平台的规则禁止把其顾客引导到其他渠道。",
    # the audit log and an order's history (ui/manager/audit_text.py)
    "Saved an offer": "保存了优惠",
    "The receipt handed out an offer code": "小票发出优惠码",
    "Offer code used": "使用了优惠码",
    "Offer code not applied": "优惠码未生效",
    # the order form (ui/manual_order.py)
    "Offer code": "优惠码",
    "Apply code": "使用优惠码",
    "The code could not be checked. See the log.": "无法核对优惠码,请查看日志。",
    # the services' sentences (ui/sentences.py says them)
    "Type the code printed on the receipt.": "请输入小票上印的优惠码。",
    "This is not an offer code: codes never use 0, 1, I, L or O.": "这不是优惠码:优惠码不含 0、1、I、L、O。",
    "This code is not valid: check it for a typo.": "优惠码无效:请检查是否输错。",
    "Offer codes are not taken on this counter.": "本收银台不接受优惠码。",
    "Write the offer's text, as the receipt will print it.": "请填写优惠内容(按小票上的样子)。",
    "A percent off must be a whole number from 1 to 100.": "折扣百分比须为 1 到 100 的整数。",
    "An amount off must be more than 0.": "减免金额须大于 0。",
    "The minimum spend cannot be below 0.": "最低消费不能小于 0。",
    "Choose at least one segment to receive the offer.": "请至少选择一个接收优惠的客户分群。",
    "An offer code has {n} characters; this one has {m}.": "优惠码有 {n} 位;这个有 {m} 位。",
    "Code {code} was not issued by this store.": "优惠码 {code} 不是本店发放的。",
    "Code {code} has been used already, on order #{number}.": "优惠码 {code} 已在订单 #{number} 上使用过。",
    "Code {code} has been used already.": "优惠码 {code} 已使用过。",
    "Code {code} expired on {date}.": "优惠码 {code} 已于 {date} 过期。",
    "Code {code} is for orders in {currency}.": "优惠码 {code} 仅限 {currency} 订单。",
    "Code {code} needs a spend of at least {need}; this order is {amount}.": "优惠码 {code} 需消费满 {need};本单为 {amount}。",
    "Code {code} gives nothing off this order.": "优惠码 {code} 对本单没有优惠。",
    "The offer's text is {n} characters long (at most {limit}).": "优惠内容有 {n} 个字符(最多 {limit} 个)。",
    "A code must be valid for 1 to {n} days.": "优惠码有效期须为 1 到 {n} 天。",
    "Unknown segment {name}.": "未知的客户分群 {name}。",
    "There is no offer {n} (any more).": "优惠 {n} 不存在(或已删除)。",
    "{reason} The website will send the order again.": "{reason}官网会重新发送这笔订单。",
}

if __name__ == "__main__":
    print(f"{merge(ZH_OFFERS)} entries added or changed")
    compile_qm()
