"""Chinese for printer failover, the menu catalogue and the pickup board: merged into posapp_zh_CN.ts, compiled.

Run: python tools/translations_rush.py   (tests/unit/test_i18n.py checks every t("...") has an entry)
"""

from __future__ import annotations

from translations_words import compile_qm, merge

ZH_RUSH = {
    # printer failover (Settings → Printers, the status strip)
    " — printing on {backup}": " — 由{backup}代打",
    "Backup printer": "备用打印机",
    "No backup": "无备用",
    "after {n} s offline": "离线 {n} 秒后",
    # pickup board (posapp screen --board pickup)
    "Pickup board": "取餐屏",
    "Preparing": "制作中",
    "Ready for pickup": "请取餐",
    "+{n} more": "还有 {n} 单",
    "{platform} number {number} is ready": "{platform} {number} 号,请取餐",
    # menu catalogue (Settings → Menu)
    "Menu": "菜单",
    "Dishes, their station and price, and each platform's id for them. Sold out (86) goes to every "
    "platform that sells the dish.": "菜品、出品档口、价格,以及各平台的商品 ID。估清(沽清)会同步到所有在售该菜的平台。",
    "Search dishes": "搜索菜品",
    "New dish": "新建菜品",
    "Dish name": "菜品名称",
    "Category": "分类",
    "Station": "档口",
    "Price": "价格",
    "Name": "名称",
    "item id": "商品 ID",
    "SKU / spec id": "SKU / 规格 ID",
    "Save dish": "保存菜品",
    "Sold out (86)": "估清(86)",
    "Back in stock": "恢复售卖",
    "86 sold out": "已估清",
    "Import": "导入",
    "From past orders": "从历史订单",
    "From a CSV file": "从 CSV 文件",
    "From {platform}": "从{platform}",
    "Importing…": "正在导入…",
    "A CSV of dishes": "菜品 CSV 文件",
    "CSV file": "CSV 文件",
    "Past orders": "历史订单",
    "A dish needs a name.": "菜品需要名称。",
    "The price must be a number such as 32.00": "价格须为数字,例如 32.00",
    "Saved {dish}.": "已保存 {dish}。",
    "{dish} is sold out": "{dish} 已估清",
    "{dish} is back": "{dish} 已恢复售卖",
    "no platform sells it yet": "暂无平台在售",
    "sold out": "估清",
    "back in stock": "恢复售卖",
    "✔ {platform}: {what} sent": "✔ {platform}:{what}已送达",
    "… {platform}: waiting": "… {platform}:等待发送",
    "✖ {platform}: refused": "✖ {platform}:被拒绝",
    "{platform}: {what}": "{platform}:{what}",
    "{source}: {added} dishes added, {updated} updated": "{source}:新增 {added} 道菜,更新 {updated} 道",
    # the catalogue service's sentences (posapp/ui/sentences.py says them)
    "The CSV is neither UTF-8 nor GB18030 text: nothing imported": "CSV 文件的编码不是 UTF-8/GB18030:未导入任何内容",
    "The CSV needs a header row with a name/名称 column: nothing imported": "CSV 需要带有 name/名称 列的表头行:未导入任何内容",
    "The CSV is larger than {n} MB: nothing imported": "CSV 文件超过 {n} MB:未导入任何内容",
    "The CSV has more than {n} dishes: nothing imported": "CSV 中菜品超过 {n} 道:未导入任何内容",
    "CSV line {line}: price {price} is not a number: nothing imported": "CSV 第 {line} 行:价格 {price} 不是数字:未导入任何内容",
    "CSV line {line}: price {price} is not a plausible price: nothing imported": "CSV 第 {line} 行:价格 {price} 不合理:未导入任何内容",
    "CSV line {line}: the name is longer than {n} characters": "CSV 第 {line} 行:名称超过 {n} 个字符",
    "{platform} is not set up on this counter": "本机未设置{platform}",
    "{platform} refused the menu import: {reason}": "{platform}拒绝了菜单导入:{reason}",
    "Could not reach {platform} for its menu ({reason}): nothing changed": "无法连接{platform}获取菜单({reason}):未做任何更改",
    "{platform}'s public API has no call that lists a store's menu: import its dishes from a CSV, or let "
    "them arrive with its orders": "{platform}的开放接口不能读取门店菜单:请用 CSV 导入菜品,或由订单自动带入",
}

if __name__ == "__main__":
    print(f"{merge(ZH_RUSH)} entries added or changed")
    compile_qm()
