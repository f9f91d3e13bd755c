"""Chinese for busy mode, the auto-cancel countdown and missed-order recovery (issue 15, the platform side):
merged into posapp_zh_CN.ts beside every other entry, then compiled.

Run: python tools/translations_platform_rush.py   (tests/unit/test_i18n.py checks every t("...") has an entry)
"""

from __future__ import annotations

from translations_words import compile_qm, merge

ZH_PLATFORM_RUSH = {
    # missed-order recovery (the status strip)
    "Recovered 1 order from {platform}": "已从{platform}找回 1 笔漏单",
    "Recovered {n} orders from {platform}": "已从{platform}找回 {n} 笔漏单",
    "Could not ask {platform} for missed orders": "无法向{platform}查询漏单",
    # busy mode (the Busy button, its dialog, the strip, an order's detail)
    "Busy": "忙碌",
    "Busy mode": "忙碌模式",
    "Busy +{n} min": "忙碌 +{n} 分钟",
    "Busy +{n} min {until}": "忙碌 +{n} 分钟,{until}",
    "+{n} min": "+{n} 分钟",
    "for 30 min": "持续 30 分钟",
    "for 1 hour": "持续 1 小时",
    "for 2 hours": "持续 2 小时",
    "until I end it": "直到手动结束",
    "until {time}": "至 {time}",
    "until ended": "直到手动结束",
    "sent to {platforms}": "已告知{platforms}",
    "Start busy mode": "开始忙碌模式",
    "Back to normal": "恢复正常",
    "Normal prep times": "正常出餐时间",
    "Needs {n} more min": "还需 {n} 分钟",
    # each platform's answer (connectors' notes, shown through t())
    "a later ready time is sent with each accept (Accept Order pickup_time)": "每次接单时告知平台更晚的出餐时间(Accept Order pickup_time)",
    "a later ready time is sent with each accept (Confirm Order prep_time)": "每次接单时告知平台更晚的出餐时间(Confirm Order prep_time)",
    "the public Store API has only online/paused, no prep-time or busy setting": "公开的门店接口只有营业/暂停,没有出餐时间或忙碌设置",
    "the public API cannot move an accepted order's ready time (only at accept)": "公开接口无法修改已接订单的出餐时间(只能在接单时告知)",
    "the Marketplace API has only store on/off, no prep-time or busy setting": "Marketplace 接口只有门店上线/下线,没有出餐时间或忙碌设置",
    "the Marketplace API cannot move a confirmed order's ready time": "Marketplace 接口无法修改已确认订单的出餐时间",
    "美团's open API has no call to set a prep time or busy state (only 出餐上报 and reading 备货时长)": "美团开放平台没有设置出餐时间或忙碌状态的接口(只有出餐上报和查询备货时长),请在美团商家后台设置",
    "美团's open API cannot move an order's ready time": "美团开放平台无法修改订单的出餐时间",
    "饿了么's open API has no call to set a prep time or busy state (only 出餐 and open/close)": "饿了么开放平台没有设置出餐时间或忙碌状态的接口(只有出餐和开店/关店),请在饿了么商家后台设置",
    "饿了么's open API cannot move an order's ready time": "饿了么开放平台无法修改订单的出餐时间",
    "its public API has no store prep-time or busy setting": "该平台公开接口没有出餐时间或忙碌设置",
    "its public API cannot move an accepted order's ready time": "该平台公开接口无法修改已接订单的出餐时间",
    "not a delivery platform: nothing to tell": "非外卖平台订单:无需告知",
    # the auto-cancel countdown (a NEW card, the accept alarm)
    "Auto-cancel in {time}": "{time} 后平台自动取消",
    "Past the platform's auto-cancel time": "已过平台自动取消时间",
    "Accept now — {order} is auto-cancelled in {time}": "请立即接单 — {order} 将在 {time} 后被平台自动取消",
}

if __name__ == "__main__":
    print(f"{merge(ZH_PLATFORM_RUSH)} entries added or changed")
    compile_qm()
