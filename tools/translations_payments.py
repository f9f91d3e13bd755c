"""Chinese for taking payment at the counter (issue 17): the Take payment dialog, the detail view's payment
buttons, refunds through the gateway and Shop setup → Payments. Merged into posapp_zh_CN.ts, then compiled.

Run: python tools/translations_payments.py   (tests/unit/test_i18n.py checks every t("...") has an entry)
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from translations_words import TS, compile_qm, merge

ZH_PAYMENTS = {
    # the gateways and ways to pay (ui/payment.py GATEWAY_LABELS, METHOD_LABELS)
    "WeChat Pay": "微信支付",
    "Alipay": "支付宝",
    "Scan the customer's code": "扫顾客付款码",
    "Customer scans our QR": "顾客扫我们的二维码",
    "Card reader": "刷卡机",
    # the Take payment dialog
    "Take payment": "收款",
    "Take payment — {order}": "收款 — {order}",
    "How does the customer pay?": "顾客用什么方式付款?",
    "TEST MODE — no real money": "测试模式 — 不涉及真实资金",
    "No payment gateway is set up: a manager sets one up in Shop setup → Payments.": (
        "尚未设置支付通道:请经理在店铺设置 → 收款中设置。"
    ),
    "Scan the customer's payment code": "请扫描顾客的付款码",
    "Point the scanner at the code on the customer's phone (WeChat or Alipay → Pay).": (
        "用扫码枪对准顾客手机上的付款码(微信或支付宝 → 付款)。"
    ),
    "That was not a payment code. Ask the customer to open WeChat or Alipay → Pay, then scan again.": (
        "这不是付款码。请顾客打开微信或支付宝 → 付款,然后重新扫描。"
    ),
    "Waiting for the customer to confirm…": "等待顾客确认付款…",
    "Waiting for the card on the reader…": "等待顾客在刷卡机上刷卡…",
    "Preparing the QR code…": "正在生成二维码…",
    "Ask the customer to scan this code with {app}": "请顾客用{app}扫描此二维码",
    "No clear answer yet — asking the gateway again": "尚无明确结果 — 正在再次查询支付通道",
    "Cancel payment": "取消收款",
    "Cancelling…": "正在取消…",
    "Try again": "重试",
    "payment code": "付款码",
    "QR code": "二维码",
    "Declined": "支付失败",
    "The gateway declined the payment.": "支付通道拒绝了这笔付款。",
    "Transaction {id}": "交易号 {id}",
    "No money was taken.": "未扣款。",
    "Not confirmed": "未确认",
    "Do not hand over the order; posapp keeps asking the gateway.": "请勿交付订单;posapp 会继续向支付通道查询。",
    "Not taken": "未收款",
    "The payment could not be started. See the log.": "无法发起收款,请查看日志。",
    # refunds through the gateway (order detail)
    "Refund through {gateway}…": "经{gateway}退款…",
    "Refund through {gateway} — {order}": "经{gateway}退款 — {order}",
    "Paid {amount} · {method} · transaction {id}": "已付 {amount} · {method} · 交易号 {id}",
    "{amount} refunded through {gateway} ({refunded} of {paid} refunded in all)": (
        "已经{gateway}退款 {amount}(共退 {refunded} / 实付 {paid})"
    ),
    "The gateway has not confirmed the refund: see the order's history later.": (
        "支付通道尚未确认这笔退款:请稍后查看订单记录。"
    ),
    # Shop setup → Payments (ui/setup/payments_page.py, services/setup.GATEWAY_FORMS)
    "Payments": "收款",
    "Take WeChat Pay, Alipay or cards at the counter. Type the ids from the merchant console and paste each key "
    "once: keys go to this computer's keyring and are never shown again (leave a stored key's box empty to keep "
    "it).": (
        "在柜台收取微信支付、支付宝或银行卡。填写商户后台中的各项编号,每个密钥只需粘贴一次:"
        "密钥保存在本机的钥匙串中,之后不再显示(已保存的密钥留空即保持不变)。"
    ),
    "Offer it at the counter": "在柜台提供此收款方式",
    "Test mode (the gateway's sandbox: no real money)": "测试模式(支付通道沙箱:不涉及真实资金)",
    "Saved. Keys are in the keyring.": "已保存。密钥已存入钥匙串。",
    "paste the key": "粘贴密钥",
    "AppID": "AppID(公众号/小程序 ID)",
    "Merchant ID (mchid)": "商户号(mchid)",
    "API certificate serial number": "API 证书序列号",
    "WeChat Pay platform certificate serial": "微信支付平台证书序列号",
    "API v2 key": "API v2 密钥",
    "API v3 key": "API v3 密钥",
    "API certificate private key (apiclient_key.pem)": "API 证书私钥(apiclient_key.pem)",
    "WeChat Pay platform public key": "微信支付平台公钥",
    "APPID": "APPID(应用 ID)",
    "App private key (RSA2)": "应用私钥(RSA2)",
    "Alipay public key": "支付宝公钥",
    "Card reader ids (tmr_…, comma between)": "刷卡机 ID(tmr_…,用逗号分隔)",
    "Secret key (sk_live_… or sk_test_…)": "密钥(sk_live_… 或 sk_test_…)",
    "Type the {what}.": "请填写{what}。",
    "Payment notification address (https://…; a QR payment needs it)": "支付结果通知地址(https://…;二维码收款必填)",
    "Payment notification address (https://…, optional)": "支付结果通知地址(https://…,可不填)",
    "{name} is not a payment gateway posapp knows.": "{name} 不是 posapp 支持的支付通道。",
    # what the gateways answer, shown in the dialog through say() (posapp/payments/alipay.py, wechat.py,
    # stripe_terminal.py; services/payments.py)
    "Waiting for the customer to scan the QR code…": "等待顾客扫描二维码…",
    "Paid with Alipay.": "已用支付宝支付。",
    "Paid with WeChat Pay": "已用微信支付",
    "Paid by card": "已刷卡支付",
    "The payment code is not valid: ask the customer to refresh it and scan again.": (
        "付款码无效:请顾客刷新付款码后重新扫描。"
    ),
    "The customer's Alipay balance is not enough: ask them to pick another way to pay in Alipay.": (
        "顾客支付宝余额不足:请顾客在支付宝中选择其他付款方式。"
    ),
    "The customer's bank card has not enough money: ask them to pick another way to pay in Alipay.": (
        "顾客银行卡余额不足:请顾客在支付宝中选择其他付款方式。"
    ),
    "The customer's Alipay balance cannot be used: ask them to pick another way to pay.": (
        "顾客的支付宝余额不可用:请顾客选择其他付款方式。"
    ),
    "Alipay does not let this customer pay right now.": "支付宝暂不允许该顾客付款。",
    "Alipay refused this payment as risky: ask for another way to pay.": "支付宝认为此笔付款有风险并拒绝:请换一种付款方式。",
    "The customer has reached Alipay's daily limit.": "顾客已达支付宝单日限额。",
    "The customer has reached Alipay's monthly limit.": "顾客已达支付宝单月限额。",
    "The amount is above what Alipay allows for one payment.": "金额超过支付宝单笔限额。",
    "This payment was already cancelled: start a new one.": "此笔付款已撤销:请重新发起收款。",
    "Alipay has no record of this payment yet.": "支付宝尚无此笔付款的记录。",
    "Alipay asked to try the cancel again later.": "支付宝要求稍后再撤销。",
    "Insufficient balance: the customer can choose another card in WeChat, then scan again": (
        "余额不足:请顾客在微信中换一张卡,然后重新扫码"
    ),
    "The payment code has expired: ask the customer to refresh it and scan again": "付款码已过期:请顾客刷新后重新扫描",
    "That is not a WeChat Pay payment code: scan the code on the customer's Pay page": (
        "这不是微信付款码:请扫描顾客“付款”页面上的码"
    ),
    "WeChat Pay declined the payment (the customer's bank refused it)": "微信支付拒绝了付款(顾客的银行拒绝)",
    "WeChat Pay declined the payment for this customer's account": "微信支付拒绝了该顾客账户的付款",
    "The customer's card is not accepted here: ask them to choose another in WeChat": (
        "本店不支持顾客的这张卡:请顾客在微信中换一张卡"
    ),
    "The code belongs to another WeChat account than the one that started paying": "付款码与发起付款的微信账户不一致",
    "WeChat Pay did not confirm yet; asking again": "微信支付尚未确认,正在再次查询",
    "WeChat Pay has no record of this payment yet": "微信支付尚无此笔付款的记录",
    "Cancelled: nothing was charged": "已取消:未扣款",
    "Cancelled: the QR code no longer takes payment": "已取消:二维码已失效",
    "Cancelled: the payment was reversed, nothing was taken": "已取消:付款已撤销,未扣款",
    "Card accepted by the reader…": "刷卡机已读取银行卡…",
    "Waiting for the customer to tap, insert or swipe the card…": "等待顾客挥卡、插卡或刷卡…",
    "The card is being processed…": "正在处理银行卡…",
    "Card payment cancelled": "刷卡已取消",
    "Cancelled before the reader showed the amount": "刷卡机显示金额前已取消",
    "The reader is not showing this payment": "刷卡机未显示此笔付款",
    "Scan the customer's payment code first.": "请先扫描顾客的付款码。",
    "No card reader is set up: Settings → Payments → Card readers.": "尚未设置刷卡机:设置 → 收款 → 刷卡机。",
    "Only a paid payment can be refunded.": "只有已支付的付款才能退款。",
    "Say why the money goes back.": "请填写退款原因。",
    "A refund needs the cashier's or manager's PIN.": "退款需要收银员或经理 PIN。",
    # services/payments.py's sentences with values (templates in posapp/ui/sentences.py) and the values
    "The {name} payment gateway is not set up: Settings → Payments.": "尚未设置{name}支付通道:设置 → 收款。",
    "The {name} payment gateway cannot be used: {reason}": "{name}支付通道无法使用:{reason}",
    "{gateway} does not take payment by {method}.": "{gateway}不支持{method}收款。",
    "No order {order} to take payment for.": "没有可收款的订单 {order}。",
    "The order is in {currency}, not {other}.": "订单币种为 {currency},不是 {other}。",
    "The amount must be more than 0 and at most the order's total ({total}).": "金额必须大于 0 且不超过订单总额({total})。",
    "Order #{number} {what} ({gateway}); it is not charged again.": "订单 #{number}{what}({gateway});不会重复扣款。",
    "Order #{number} is already paid ({method}).": "订单 #{number} 已支付({method})。",
    "The payment was in {currency}, not {other}.": "该笔付款币种为 {currency},不是 {other}。",
    "A refund must be more than 0 and at most what is left to refund ({amount}).": (
        "退款金额必须大于 0 且不超过可退余额({amount})。"
    ),
    "is already paid": "已支付",
    "has a payment under way": "正在收款中",
    "alipay": "支付宝",
    "wechat": "微信支付",
    "stripe": "刷卡",
    "scan_code": "扫码",
    "show_qr": "二维码",
    "card_reader": "刷卡机",
    # the card step: choosing the reader and its state (ui/payment.py, services/payments.py readers)
    "Which card reader?": "用哪台刷卡机?",
    "Checking the card readers…": "正在查询刷卡机状态…",
    "Check the readers again": "重新查询刷卡机",
    "Tap the reader the customer pays on.": "请点选顾客刷卡的那台刷卡机。",
    "No card reader is set up: a manager adds one in Shop setup → Payments.": (
        "尚未设置刷卡机:请经理在店铺设置 → 收款中添加。"
    ),
    "No card reader can take a payment now: check the readers' power and network.": (
        "目前没有可用的刷卡机:请检查刷卡机的电源和网络。"
    ),
    "The card readers could not be listed. See the log.": "无法列出刷卡机,请查看日志。",
    # Shop setup → Payments: the optional keys (services/setup.py GATEWAY_FORMS, SECRET_SHAPES)
    "API certificate (apiclient_cert.pem; to reverse a scanned payment)": "API 证书(apiclient_cert.pem;撤销扫码付款时需要)",
    "Webhook signing secret (whsec_…, optional)": "Webhook 签名密钥(whsec_…,可不填)",
    "paste it once (optional)": "粘贴一次(可不填)",
    "Paste the whole apiclient_cert.pem, from its -----BEGIN CERTIFICATE----- line to its END line.": (
        "请粘贴完整的 apiclient_cert.pem,从 -----BEGIN CERTIFICATE----- 行到 END 行。"
    ),
    "A Stripe webhook signing secret starts with whsec_.": "Stripe Webhook 签名密钥以 whsec_ 开头。",
    # reading the payment code with the camera (ui/camera_scan.py, ui/payment.py)
    "Use the camera": "用摄像头扫码",
    "Hold the code up to the camera…": "请把付款码对准摄像头…",
    "No camera can be used: scan the code with the barcode scanner.": "没有可用的摄像头:请用扫码枪扫码。",
    "The camera stopped: scan the code with the barcode scanner.": "摄像头已停止:请用扫码枪扫码。",
    # the manager's Payouts tab: the gateways' settlement files (ui/manager/payouts.py)
    "Stripe (cards)": "Stripe(银行卡)",
    "Choose a platform or a payment gateway, then import the statement or settlement file you downloaded from it.": (
        "选择平台或支付通道,然后导入从那里下载的账单或结算文件。"
    ),
}

# One English word, two meanings: "Paid" is 实结 in the payouts tab, a payment's state here.
ZH_PAYMENTS_DISAMBIGUATED = {
    ("Paid", "payment"): "已支付",
    # a card reader's state on the card step ("Ready" is also an order's state)
    ("Ready", "card reader"): "就绪",
    ("Busy with another payment", "card reader"): "正在处理另一笔付款",
    ("Offline", "card reader"): "离线",
    ("State unknown", "card reader"): "状态未知",
}


def merge_disambiguated(entries: dict[tuple[str, str], str]) -> int:
    """Add (source, comment) entries that are not in the .ts yet."""
    text = TS.read_text(encoding="utf-8")
    added = []
    for (source, comment), zh in entries.items():
        head = f"<source>{escape(source)}</source>\n        <comment>{escape(comment)}</comment>"
        if head in text:
            continue
        added.append(
            f"    <message>\n        {head}\n        <translation>{escape(zh)}</translation>\n    </message>\n"
        )
    if added:
        end = text.rindex("</context>")
        TS.write_text(text[:end] + "".join(added) + text[end:], encoding="utf-8")
    return len(added)


if __name__ == "__main__":
    print(f"{merge(ZH_PAYMENTS) + merge_disambiguated(ZH_PAYMENTS_DISAMBIGUATED)} entries added or changed")
    compile_qm()
