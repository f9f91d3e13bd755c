"""zh_CN for the setup wizard, Settings, backups and the setup service's sentences (merged by make_translations)."""

ZH_SETUP = {
    " — locked out": " — 已锁定",
    ", accepts automatically": ",自动接单",
    "A manager's PIN opens Settings, reports and refunds. Choose 4 to 8 digits.": "经理 PIN 用于打开设置、报表和退款。请设 4 到 8 位数字。",
    "A prep counts as late after (minutes)": "出餐超过多少分钟算慢(分钟)",
    "Keep customers' names, phones and addresses for (days)": "顾客姓名、电话和地址保留天数(天)",
    "The manager section locks after (seconds)": "经理界面无操作自动锁定(秒)",
    "A printer answers at {address}.": "{address} 上有打印机应答。",
    "API address": "接口地址",
    "Accept its orders automatically": "自动接单",
    "Add": "添加",
    "Add a row": "加一行",
    "App ID": "App ID",
    "App key": "App Key",
    "App secret": "App Secret",
    "Asking {platform}…": "正在连接{platform}…",
    "Back": "上一步",
    "Back up now": "立即备份",
    "Backing up…": "正在备份…",
    "Backup folder": "备份文件夹",
    "Backup written: {file} ({n} orders).": "备份已写入:{file}({n} 个订单)。",
    "Backups to keep": "保留备份份数",
    "Bar": "吧台",
    "Business day ends at": "营业日结束时间",
    "Card turns amber after (minutes)": "卡片变黄(分钟)",
    "Card turns red after (minutes)": "卡片变红(分钟)",
    "Cashier": "收银员",
    "Check address": "检查地址",
    "Choose folder…": "选择文件夹…",
    "Client id": "Client ID",
    "Client secret": "Client Secret",
    "Connected to {platform}: {shop}.": "已连接{platform}:{shop}。",
    "Copied. Paste it as the push URL in the platform's console.": "已复制。请在平台后台粘贴为推送地址。",
    "Copy": "复制",
    "Counter (receipts)": "柜台(小票)",
    "Create manager": "创建经理",
    "Currency": "货币",
    "Delivery platforms": "外卖平台",
    "Developer id:Key id": "Developer ID:Key ID",
    "Encoding": "编码",
    "Everyone who uses the counter gets a PIN. Kitchen staff run the queue, cashiers also take payments and refunds, managers open Settings and reports.": "每位使用柜台的员工都有一个 PIN。后厨处理订单队列,收银员还可收款和退款,经理可打开设置和报表。",
    "Everything else goes to": "其他菜品送往",
    "Find printers": "查找打印机",
    "Find the kitchen and counter printers, print a test page, and say which dishes go where.": "找到后厨和柜台打印机,打印测试页,并设置各类菜品送往哪个档口。",
    "Finish": "完成",
    "Kitchen": "后厨",
    "Kitchen printer": "后厨打印机",
    "Knocking on port 9100 across the network…": "正在局域网中查找 9100 端口…",
    "Label": "显示名称",
    "Lift lock-out": "解除锁定",
    "Lock and close": "锁定并关闭",
    "Looking for printers…": "正在查找打印机…",
    "Managers: {names}. You may add another or go on.": "经理:{names}。可以再添加一位,或继续下一步。",
    "Menu category": "菜品分类",
    "Menu category → station": "菜品分类 → 档口",
    "New PIN set for {name}.": "已为{name}设置新 PIN。",
    "Next": "下一步",
    "Nightly backup at": "每晚备份时间",
    "No printer found.": "没有找到打印机。",
    "Nothing answers at {address}.": "{address} 没有应答。",
    "PIN": "PIN",
    "PIN again": "再次输入 PIN",
    "Paper width": "纸宽",
    "Pick a platform, type what its developer console shows, and test the connection.": "选择平台,填写其开发者后台显示的信息,然后测试连接。",
    "Printing…": "正在打印…",
    "Profile": "打印机型号",
    "Register this address as the push (webhook) URL in the platform's console.": "请在平台后台把此地址登记为推送(回调)地址。",
    "Remove": "删除",
    "Reports and backups": "报表与备份",
    "Reset PIN": "重设 PIN",
    "Routes saved.": "分单规则已保存。",
    "Save": "保存",
    "Save printer": "保存打印机",
    "Save routes": "保存分单规则",
    "Saved.": "已保存。",
    "Saving…": "正在保存…",
    "Scan the network": "扫描局域网",
    "Set up": "已设置",
    "Set up later": "稍后设置",
    "Set up your shop": "设置您的店铺",
    "Set up your shop — step {n} of {total}": "设置您的店铺 — 第 {n} 步,共 {total} 步",
    "Setup wizard": "设置向导",
    "Shared signing secret": "共享签名密钥",
    "Shop id": "店铺 ID",
    "Signing secret": "签名密钥",
    "Skip this step": "跳过此步",
    "Staff": "员工",
    "Status callback address": "状态回调地址",
    "Store": "店铺",
    "Store id": "门店 ID",
    "Store id (app_poi_code)": "门店 ID(app_poi_code)",
    "Store name": "店名",
    "Take orders from this platform": "接收此平台的订单",
    "Test connection": "测试连接",
    "Test print shows the page here.": "测试打印的页面会显示在这里。",
    "The first manager": "第一位经理",
    "The name printed on tickets, the shop's clock and money, and when a business day ends.": "小票上印的店名、店铺时区和货币,以及营业日何时结束。",
    "This computer's clock is more than five minutes off: set the right time, then test again.": "本机时钟误差超过五分钟:请校准时间后再测试。",
    "Time zone": "时区",
    "When an order counts as late, how reports add up, and where the nightly backup goes.": "订单何时算超时、报表如何统计,以及每晚备份存到哪里。",
    "Your shop": "您的店铺",
    "e.g. Lao Wang Noodles": "例如:老王面馆",
    "e.g. the USB stick": "例如:U 盘",
    "leave empty for the platform's own address": "留空即使用平台正式地址",
    "off": "关",
    "on": "开",
    "stored in the keyring": "已存入系统钥匙串",
    "{name} added.": "已添加{name}。",
    "{name} is a manager now.": "{name}现在是经理。",
    "{name} may sign in again.": "{name}可以重新登录了。",
    "{name} removed.": "已删除{name}。",
    "{n} printers found.": "找到 {n} 台打印机。",
    "{platform} accepted the credentials, but the shop id is not one of this app's shops.": "{platform}接受了凭证,但该店铺 ID 不属于此应用。",
    "{platform} cannot be reached: check the internet connection and the API address.": "无法连接{platform}:请检查网络和接口地址。",
    "{platform} refused the app id or the secret: copy them again from its developer console.": "{platform}拒绝了 App ID 或密钥:请从开发者后台重新复制。",
    "{platform} refused the test: {detail}": "{platform}拒绝了测试:{detail}",
    "{platform} saved: it takes orders now.": "{platform}已保存:现在开始接单。",
    "{printer} saved: tickets print there now.": "{printer}已保存:小票现在从这里打印。",
    "! Backup failed: {reason}": "! 备份失败:{reason}",
    "! Last backup {days} days ago": "! 上次备份在 {days} 天前",
    "! No backup yet: choose a backup folder in Shop setup": "! 尚未备份:请在店铺设置中选择备份文件夹",
    # the setup service's sentences, shown through t()
    "The two PINs differ.": "两次输入的 PIN 不一致。",
    "A PIN is 4 to 8 digits.": "PIN 为 4 到 8 位数字。",
    "Choose a PIN that is not one digit repeated.": "请不要使用同一数字重复组成的 PIN。",
    "Give the new user a name.": "请填写新员工的名字。",
    "Keep at least one manager: add another before removing this one.": "至少保留一位经理:请先添加另一位再删除。",
    "Type the platform's secret.": "请填写平台密钥。",
    "Wrong PIN.": "PIN 错误。",
    "Shop setup": "店铺设置",
    "Start posapp full screen when this computer starts": "开机后自动全屏启动 posapp",
    "posapp starts full screen when this computer starts.": "开机后 posapp 将自动全屏启动。",
    "posapp no longer starts by itself.": "posapp 不再自动启动。",
    "No user may open this. A manager must set up a PIN first.": "没有可以打开此处的员工,请先设置经理 PIN。",
    "No backup folder is chosen: pick one in Shop setup → Reports and backups.": "尚未选择备份文件夹:请在店铺设置 → 报表与备份中选择。",
}


# One English word, two meanings: (source, disambiguation) as t(source, disambiguation) passes them.
ZH_SETUP_DISAMBIGUATED = {("Role", "staff"): "角色"}


def merge_into_ts() -> int:
    """Add the entries above that resources/i18n/posapp_zh_CN.ts lacks (others' entries stay), then compile."""
    import shutil
    import subprocess
    import sys
    from pathlib import Path
    from xml.sax.saxutils import escape

    ts = Path(__file__).resolve().parent.parent / "resources" / "i18n" / "posapp_zh_CN.ts"
    text = ts.read_text(encoding="utf-8")
    import xml.etree.ElementTree as ET

    root = ET.fromstring(text.encode())
    have = {(m.findtext("source"), m.findtext("comment") or "") for m in root.iter("message")}
    entries = [((s, ""), z) for s, z in ZH_SETUP.items()] + list(ZH_SETUP_DISAMBIGUATED.items())
    added = [
        f"    <message>\n        <source>{escape(s)}</source>\n"
        + (f"        <comment>{escape(c)}</comment>\n" if c else "")
        + f"        <translation>{escape(z)}</translation>\n    </message>\n"
        for (s, c), z in entries
        if (s, c) not in have
    ]
    if added:
        text = text.replace("</context>\n</TS>", "".join(added) + "</context>\n</TS>")
        ts.write_text(text, encoding="utf-8")
    lrelease = shutil.which("pyside6-lrelease") or str(Path(sys.executable).with_name("pyside6-lrelease"))
    subprocess.run([lrelease, str(ts), "-qm", str(ts.with_suffix(".qm"))], check=True)
    return len(added)


if __name__ == "__main__":
    print(f"{merge_into_ts()} entries added")
