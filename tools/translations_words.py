"""Chinese for the status strip, service sentences and on-screen keyboard: merged into posapp_zh_CN.ts, then compiled.

Run: python tools/translations_words.py   (tests/unit/test_i18n.py and tests/ui/test_untranslated.py check them)
Entries already in the .ts with the same source keep their place; a changed translation here replaces theirs.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from xml.sax.saxutils import escape

ZH_WORDS = {
    # Shop setup → Platforms: the auto-cancel countdown's minutes (ui/setup/pages.py)
    "Cancels unaccepted orders after (minutes)": "未接单自动取消时间(分钟)",
    "Type the minutes as a number, e.g. 11.5, or leave it empty.": "请输入分钟数,例如 11.5,或留空。",
    "{minutes:g} min, as the platform documents it": "{minutes:g} 分钟(平台文档所载)",
    "none published: set one for a countdown": "平台未公布:设置后才显示倒计时",
    # status strip (setup/screens.py: the backup line; "⚠" is not in the bundled font)
    "! Backup failed: {reason}": "! 备份失败:{reason}",
    "! Last backup {days} days ago": "! 上次备份在 {days} 天前",
    "! No backup yet: choose a backup folder in Shop setup": "! 尚未备份:请在店铺设置中选择备份文件夹",
    # on-screen keyboard: the candidate bar before a letter is typed
    "Pinyin": "拼音",
    # status strip: head-office sync (services/upload.describe_state through say), workers, platforms
    "Sync off": "同步已关闭",
    "All synced": "已全部同步",
    "1 change waiting": "1 项更改待同步",
    "{n} changes waiting": "{n} 项更改待同步",
    " — offline since {time}": " — 自 {time} 起离线",
    "{n} refused by head office": "{n} 项被总部拒收",
    "platform push": "平台推送",
    "upload": "总部同步",
    "print": "打印",
    "offline": "离线",
    "offline: {error}": "离线:{error}",
    "error: {error}": "出错:{error}",
    # printers named by posapp from their name (no label given): config.PrinterSettings.display
    "Counter printer": "前台打印机",
    "Receipt printer": "收银打印机",
    "Bar printer": "吧台打印机",
    "Grill printer": "烧烤打印机",
    "Expo printer": "出餐打印机",
    "{name} printer": "{name}打印机",
    # the status strip while the engine starts behind the first paint (ui/launch.py)
    "Starting…": "正在启动…",
    # who did it, in an order's history (audit_text.who_text)
    "auto-accept": "自动接单",
    # display numbers with their platform (issue 19): "Meituan #12"
    "{order} was changed on another screen": "{order} 已在另一块屏幕上被更改",
    "Refund of {amount} recorded on {order} by {who}": "{who} 已为 {order} 记录退款 {amount}",
    # service sentences (posapp/ui/sentences.py: fixed ones, then templates)
    "A PIN is 4 to 8 digits.": "PIN 为 4 到 8 位数字。",
    "Choose a PIN that is not one digit repeated.": "请不要使用同一数字重复组成的 PIN。",
    "Only a manager can change another user's PIN.": "只有经理可以修改其他员工的 PIN。",
    "No user may open this. A manager must set up a PIN first.": "没有可以打开此处的员工,请先设置经理 PIN。",
    "Wrong PIN.": "PIN 错误。",
    "No backup folder is chosen: pick one in Shop setup → Reports and backups.": (
        "尚未选择备份文件夹:请在店铺设置 → 报表与备份中选择。"
    ),
    "Add at least one item before placing the order.": "下单前请至少添加一个菜品。",
    "A delivery order needs the customer's phone number.": "外卖订单需要填写顾客电话。",
    "nothing to undo on this order": "此订单没有可撤销的操作",
    'No receipt printer is set up: add one with role = "counter" under [printers].': (
        "尚未设置收银小票打印机:请在店铺设置 → 打印机中添加一台“前台”打印机。"
    ),
    "No kitchen printer is set up: add one under [printers] in the settings.": (
        "尚未设置厨房打印机:请在店铺设置 → 打印机中添加。"
    ),
    "The two PINs differ.": "两次输入的 PIN 不一致。",
    "{who}: {permission} needs a manager PIN.": "{who}:{permission}需要经理 PIN。",
    "Nobody is signed in": "尚未登录",
    "A {role} cannot do this": "{role}无权执行此操作",
    "reports": "查看报表",
    "refunds": "退款",
    "settings": "店铺设置",
    "users": "员工管理",
    "receipts": "补打小票",
    "manual_orders": "手工下单",
    "queue": "订单队列",
    "There is already a user called {name}.": "已有名为 {name} 的员工。",
    "Too many wrong PINs. Try again in {wait}.": "PIN 错误次数过多,请 {wait}后再试。",
    "{n} s": "{n} 秒",
    "{n} min": "{n} 分钟",
    "{name} is not set up.": "{name} 尚未设置。",
    "No printer named {name}.": "没有名为 {name} 的打印机。",
    "No one called {name}.": "没有名为 {name} 的员工。",
    "Unknown role {role}.": "未知角色 {role}。",
    "No printer named {name} in the settings.": "设置中没有名为 {name} 的打印机。",
    "too late to undo: undo works for {n} seconds": "已无法撤销:只能在 {n} 秒内撤销",
    "Order #{number} is {status}: no station works on it now.": "订单 #{number} 状态为{status}:目前没有工位在做。",
    "Order #{number} is {state} at {station}.": "订单 #{number} 在{station}的状态为{state}。",
    "cannot {action} an order that is {status}": "无法对状态为{status}的订单执行“{action}”",
    "Unknown payment {payment}: choose cash, card or unpaid.": "未知的付款方式 {payment}:请选择现金、刷卡或未付款。",
    "{what} is {n} characters long (at most {limit})": "{what}长度为 {n} 个字符(最多 {limit} 个)",
    "{what} holds control or unencodable characters": "{what}含有控制字符或无法编码的字符",
    "{what} is empty": "{what}为空",
    "unknown action {action}": "未知操作 {action}",
    # why a push or an upload waits
    "{platform} unreachable: {error}": "无法连接{platform}:{error}",
    "{platform} refused: HTTP {code}": "{platform}拒绝了请求:HTTP {code}",
    "{platform}: HTTP {code}": "{platform}:HTTP {code}",
    "Head office did not answer in time": "总部未及时应答",
    "Head office unreachable ({error})": "无法连接总部({error})",
    "Head office busy: HTTP {code}": "总部繁忙:HTTP {code}",
    "Head office refused the batch: HTTP {detail}": "总部拒收了这批数据:HTTP {detail}",
    "Head office sent an answer that is not the upload contract": "总部的应答不符合上传协议",
    # printing/transports.py, printing/profiles.py
    "{printer} closed the connection without answering.": "{printer} 未应答就断开了连接。",
    "{printer} is out of paper. Load a new roll; tickets are waiting.": "{printer} 缺纸,请装入新纸卷;小票正在等待打印。",
    "{printer} cover is open. Close it to print.": "{printer} 纸仓盖未关,请关上后打印。",
    "{printer}: CUPS is not installed on this computer (no 'lp' command).": "{printer}:此电脑未安装 CUPS(没有 lp 命令)。",
    "{printer}: CUPS refused the job: {reason}.": "{printer}:CUPS 拒绝了打印任务:{reason}。",
    "{printer}: USB printing needs the 'pyusb' package (pip install pyusb).": "{printer}:USB 打印需要安装 pyusb(pip install pyusb)。",
    "{printer}: serial printing needs the 'pyserial' package (pip install pyserial).": "{printer}:串口打印需要安装 pyserial(pip install pyserial)。",
    "{printer} is offline: no answer from {address}. Check it is switched on and on the network.": "{printer} 离线:{address} 无应答。请检查打印机已开机并已联网。",
    "{printer} is offline: {address} refused the connection. Check it is switched on.": "{printer} 离线:{address} 拒绝连接。请检查打印机已开机。",
    "{printer} cannot be reached at {address}: {reason}.": "无法连接 {address} 的 {printer}:{reason}。",
    "{printer} does not answer (connected, but silent for {n} s). Check for a paper jam or an error light.": "{printer} 无响应(已连接,但 {n} 秒无回应)。请检查是否卡纸或亮起错误灯。",
    "{printer} dropped the connection: {reason}.": "{printer} 断开了连接:{reason}。",
    "{printer} is not connected ({path} does not exist).": "{printer} 未连接({path} 不存在)。",
    "{printer} is not connected ({path}).": "{printer} 未连接({path})。",
    "{printer}: no permission to write {path} (add this user to the 'lp' group).": "{printer}:没有写入 {path} 的权限(请把此用户加入 lp 组)。",
    "{printer} cannot be written ({path}): {reason}.": "无法写入 {printer}({path}):{reason}。",
    "{printer}: CUPS did not take the job within {n} s.": "{printer}:CUPS 在 {n} 秒内未接收打印任务。",
    "{printer}: cannot run lp: {reason}.": "{printer}:无法运行 lp:{reason}。",
    "{printer}: USB printing is not available.": "{printer}:无法使用 USB 打印。",
    "{printer} stopped answering while printing ({error}); the ticket will be printed again marked REPRINT.": "{printer} 打印中途停止响应({error});小票将重新打印并标注“重打”。",
    "{printer} stopped answering on {path}: {reason}.": "{printer} 在 {path} 上停止响应:{reason}。",
    "printer address {address} has no host (write tcp://192.168.1.50:9100)": "打印机地址 {address} 缺少主机(请写成 tcp://192.168.1.50:9100)",
    "printer address {address} has no path (write file:/dev/usb/lp0)": "打印机地址 {address} 缺少路径(请写成 file:/dev/usb/lp0)",
    "printer address {address} has a bad port": "打印机地址 {address} 的端口不正确",
    "USB printer {address} needs exactly a vendor and a product id: usb:04b8:0202": "USB 打印机 {address} 需要厂商号和产品号:usb:04b8:0202",
    "USB printer {address} needs hex ids: usb:04b8:0202": "USB 打印机 {address} 需要十六进制编号:usb:04b8:0202",
    "serial printer {address} has no device (write serial:/dev/ttyUSB0)": "串口打印机 {address} 缺少设备(请写成 serial:/dev/ttyUSB0)",
    "serial printer {address} has a bad baudrate": "串口打印机 {address} 的波特率不正确",
    "CUPS printer {address} has no queue name (write cups:Receipt)": "CUPS 打印机 {address} 缺少队列名(请写成 cups:Receipt)",
    "unknown printer address {address}: use tcp://host:port, file:PATH, usb:VID:PID, serial:/dev/... or cups:NAME": "未知的打印机地址 {address}:请使用 tcp://主机:端口、file:路径、usb:VID:PID、serial:/dev/... 或 cups:名称",
    "printer encoding {encoding} is not supported (use one of {known})": "不支持打印机编码 {encoding}(可用:{known})",
    "paper width {n} mm is not supported (use 58 or 80)": "不支持 {n} mm 纸宽(请用 58 或 80)",
    "python-escpos has no printer profile {model}": "python-escpos 没有打印机型号 {model}",
    "unknown printer profile {name} (known: {known}, or escpos:<model>)": "未知的打印机型号 {name}(可用:{known},或 escpos:<型号>)",
    "[Errno {n}] {reason}": "{reason}",
    "{reason}: {address}": "{reason}:{address}",
    "Connection refused": "连接被拒绝",
    "Connection reset by peer": "连接被对方重置",
    "No route to host": "无法到达该地址",
    "Network is unreachable": "网络不可达",
    "Name or service not known": "无法解析该地址",
    "timed out": "连接超时",
    "Broken pipe": "连接已断开",
    "No such file or directory": "找不到该设备或文件",
    "Permission denied": "没有权限",
    "ConnectError": "无法连接",
    "ConnectTimeout": "连接超时",
    "ReadTimeout": "等待回应超时",
    "RemoteProtocolError": "连接意外中断",
    "TimeoutError": "连接超时",
    "OSError": "连接出错",
    "{what} has no time zone": "{what}没有时区",
    "{what} is not a plausible time: {value}": "{what}不是合理的时间:{value}",
    "{what} is out of range: {value}": "{what}超出范围:{value}",
    "{file} is not a file.": "{file} 不是文件。",
    "{file} is not a posapp backup or is damaged: {reason}.": "{file} 不是 posapp 备份或已损坏:{reason}。",
    "{file} cannot be read: {reason}.": "无法读取 {file}:{reason}。",
    "{file} is damaged (the database check found: {reason}).": "{file} 已损坏(数据库检查发现:{reason})。",
    "{file} is not a posapp backup (it has no {table} table).": "{file} 不是 posapp 备份(缺少 {table} 表)。",
    "{what} must be a whole number from {low} to {high}": "{what}必须是 {low} 到 {high} 之间的整数",
    "A refund must be more than 0 and at most the order total ({total}).": "退款金额必须大于 0 且不超过订单总额({total})。",
    "posapp is running on {folder}: close it before restoring (nothing was changed).": (
        "posapp 正在使用 {folder}:请先关闭再恢复(未做任何更改)。"
    ),
    "The backup to {folder} failed: {reason}.": "备份到 {folder} 失败:{reason}。",
    "There is no order database in {folder} to back up.": "{folder} 中没有可备份的订单数据库。",
    "The backup folder {folder} cannot be used: {reason}.": "备份文件夹 {folder} 无法使用:{reason}。",
    "No head-office upload token in the keyring: ask your manager to set '{token}' in Settings": (
        "系统钥匙串中没有总部上传令牌:请经理在设置中填写“{token}”"
    ),
    "{platform} payload could not be read": "{platform}的订单数据无法读取",
    "{platform}: a push over 2 MB was refused": "{platform}:超过 2 MB 的推送已被拒收",
}

ROOT = Path(__file__).resolve().parent.parent
TS = ROOT / "resources" / "i18n" / "posapp_zh_CN.ts"


def merge(entries: dict[str, str], ts: Path = TS) -> int:
    """Add or update ``entries`` (no disambiguation) in ``ts``; returns how many changed."""
    text = ts.read_text(encoding="utf-8")
    root = ET.fromstring(text.encode())
    have = {
        m.findtext("source"): m.findtext("translation") or ""
        for m in root.iter("message")
        if not m.findtext("comment")
    }
    changed = 0
    added: list[str] = []
    for source, zh in entries.items():
        if source not in have:
            added.append(
                f"    <message>\n        <source>{escape(source)}</source>\n"
                f"        <translation>{escape(zh)}</translation>\n    </message>\n"
            )
        elif have[source] != zh:
            old = f"<source>{escape(source)}</source>\n        <translation>{escape(have[source])}</translation>"
            new = f"<source>{escape(source)}</source>\n        <translation>{escape(zh)}</translation>"
            if old not in text:
                raise SystemExit(f"cannot find the entry for {source!r} in {ts.name}")
            text = text.replace(old, new)
        else:
            continue
        changed += 1
    if added:
        text = text.replace("</context>\n</TS>", "".join(added) + "</context>\n</TS>")
    if changed:
        ts.write_text(text, encoding="utf-8")
    return changed


def compile_qm(ts: Path = TS) -> None:
    lrelease = shutil.which("pyside6-lrelease") or str(Path(sys.executable).with_name("pyside6-lrelease"))
    subprocess.run([lrelease, str(ts), "-qm", str(ts.with_suffix(".qm"))], check=True)


if __name__ == "__main__":
    print(f"{merge(ZH_WORDS)} entries added or changed")
    compile_qm()
