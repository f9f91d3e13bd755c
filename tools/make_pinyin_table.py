"""Build resources/pinyin/kitchen.tsv, the on-screen keyboard's pinyin -> hanzi table.

Not run by the app or CI: the table is committed. Needs pypinyin and jieba, which posapp itself does not use:
    python -m venv /tmp/pyv && /tmp/pyv/bin/pip install pypinyin jieba
    /tmp/pyv/bin/python tools/make_pinyin_table.py

What goes in, in this order of rank within one key:
1. every Chinese word of the repository (dish, option and note names of the simulator and fixtures, reject
   reasons and every zh_CN translation), segmented by jieba, and the whole dish names;
2. KITCHEN below: dishes, ingredients, cooking words, portions and notes a counter types;
3. jieba's dictionary words of two to four characters that contain a food or kitchen character, then the most
   frequent common words, by jieba's frequency;
4. single characters (every reading of a polyphone): those of 1 and 2 first, then the 4,500 most frequent,
   so anything can still be typed.
Each line is ``pinyin<TAB>rank<TAB>word word ...`` (toneless, ü as v), words best first; the rank orders
readings against each other (lower: added earlier, from a higher group above).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path

import jieba  # type: ignore[import-not-found]
from pypinyin import Style, lazy_pinyin, pinyin  # type: ignore[import-not-found]

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "resources" / "pinyin" / "kitchen.tsv"
HAN = re.compile(r"[\u4e00-\u9fff]+")

KITCHEN = """
牛肉 猪肉 鸡肉 羊肉 鸭肉 鱼肉 牛腩 牛筋 肥牛 排骨 五花肉 里脊 鸡翅 鸡腿 鸡胸 鸡蛋 鸭蛋 皮蛋 咸蛋 虾仁 大虾 鱿鱼
带鱼 鲈鱼 草鱼 黄鱼 螃蟹 扇贝 蛤蜊 海带 紫菜 豆腐 豆干 腐竹 豆芽 青菜 白菜 菠菜 生菜 芹菜 韭菜 香菜 葱花 大葱 洋葱
生姜 大蒜 蒜蓉 辣椒 青椒 尖椒 土豆 番茄 西红柿 黄瓜 茄子 冬瓜 南瓜 苦瓜 丝瓜 萝卜 胡萝卜 玉米 花生 木耳 香菇 金针菇
蘑菇 莲藕 山药 米饭 白米饭 炒饭 蛋炒饭 扬州炒饭 盖饭 盖浇饭 卤肉饭 煲仔饭 面条 拉面 炒面 汤面 牛肉面 刀削面 米粉
米线 河粉 粉丝 凉皮 饺子 水饺 蒸饺 煎饺 锅贴 包子 小笼包 生煎 馄饨 云吞 烧卖 春卷 馒头 花卷 煎饼 油条 烧饼 粥 白粥
皮蛋瘦肉粥 小米粥 汤 酸辣汤 蛋花汤 紫菜汤 玉米汤 冬瓜汤 鸡汤 排骨汤 火锅 麻辣烫 冒菜 烤鱼 水煮鱼 酸菜鱼 红烧肉
回锅肉 鱼香肉丝 宫保鸡丁 麻婆豆腐 糖醋里脊 锅包肉 京酱肉丝 青椒肉丝 土豆丝 酸辣土豆丝 干锅 干煸四季豆 地三鲜 西红柿炒蛋
番茄炒蛋 红烧排骨 糖醋排骨 辣子鸡 口水鸡 白切鸡 烧鸭 烤鸭 叉烧 卤味 凉菜 热菜 主食 小吃 甜品 饮料 奶茶 果汁 豆浆
可乐 雪碧 啤酒 矿泉水 柠檬茶 冻柠檬茶 绿茶 红茶 咖啡 冰 去冰 少冰 常温 热饮 冷饮 加冰 炒 蒸 煮 炸 烤 卤 炖 焖 煎 拌
凉拌 红烧 清蒸 油炸 爆炒 干炒 水煮 香辣 麻辣 酸辣 糖醋 蒜香 椒盐 黑椒 咖喱 微辣 中辣 特辣 不辣 免辣 少辣 多辣 加辣
少盐 少油 少糖 无糖 半糖 多糖 不要葱 不要香菜 不要辣 不要蒜 不要姜 不要味精 不要洋葱 加蛋 加饭 加面 加肉 加菜 加量
大份 中份 小份 大碗 小碗 一份 两份 半份 套餐 单点 外卖 堂食 自取 打包 餐具 筷子 勺子 不要餐具 多给餐具 发票 备注
过敏 花生过敏 海鲜过敏 素食 清真 忌口 尽快 加急 催单 送到 门口 电话 到了请打电话 放门口 前台 骑手 配送 出餐 接单
拒单 退款 取消 售罄 估清 缺货 已售完 打烊 暂停营业 营业 厨房 后厨 出餐慢 太忙 忙不过来 地址 超出配送范围 顾客要求取消
重复下单 菜品 口味 分量 价格 数量 总计 现金 找零
"""


def repo_words() -> list[str]:
    """Chinese words in the repository's code and translations, in the order found (dish names whole)."""
    texts: list[str] = []
    for folder in ("posapp", "tests", "tools"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            if path.name != Path(__file__).name:
                texts += HAN.findall(path.read_text(encoding="utf-8"))
    ts = ET.parse(ROOT / "resources" / "i18n" / "posapp_zh_CN.ts").getroot()
    for message in ts.iter("message"):
        texts += HAN.findall(message.findtext("translation") or "")
    words: list[str] = []
    for run in texts:
        if 2 <= len(run) <= 6:
            words.append(run)
        words += [w for w in jieba.cut(run) if len(w) >= 2 and HAN.fullmatch(w)]
    return list(dict.fromkeys(words))


def jieba_words() -> tuple[list[str], list[str], dict[str, int]]:
    """(food words, common words, single characters with their frequency) from jieba's dictionary."""
    path = Path(jieba.__file__).parent / "dict.txt"
    food_chars = set("".join(KITCHEN.split())) - set("的了一不要加多少大小中两半份")
    food: list[tuple[int, str]] = []
    common: list[tuple[int, str]] = []
    singles: dict[str, int] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        word, freq, *_ = line.split(" ")
        if not HAN.fullmatch(word):
            continue
        n = int(freq)
        if len(word) == 1:
            singles[word] = n
        elif len(word) <= 4:
            if n >= 20 and any(c in food_chars for c in word):
                food.append((n, word))
            common.append((n, word))
    food.sort(reverse=True)
    common.sort(reverse=True)
    return [w for _, w in food[:6000]], [w for _, w in common[:9000]], singles


def key(word: str) -> str:
    return "".join(lazy_pinyin(word, style=Style.NORMAL, errors="ignore"))


def build() -> tuple[dict[str, list[str]], dict[str, int]]:
    """Words by reading, best first, and each reading's rank (when its first word was added)."""
    table: dict[str, list[str]] = defaultdict(list)
    rank: dict[str, int] = {}

    def add(word: str, reading: str | None = None) -> None:
        k = reading or key(word)
        if k.isascii() and k.isalpha() and word not in table[k]:
            table[k].append(word)
            rank.setdefault(k, len(rank))

    food, common, singles = jieba_words()
    kitchen = repo_words() + KITCHEN.split()
    for word in kitchen + food + common:
        add(word)
    # Characters of the kitchen's own words first (麻 before 吗 for "ma"), then by frequency.
    kitchen_chars = set("".join(kitchen))
    top = sorted(singles, key=lambda c: -singles[c])[:4500]
    top = sorted(
        set(top) | (kitchen_chars & set(singles)), key=lambda c: (c not in kitchen_chars, -singles[c])
    )
    readings = {char: pinyin(char, style=Style.NORMAL, heteronym=True)[0] for char in top}
    for char in top:  # the usual reading first: 麻 and 马 before 么 under "ma"
        add(char, readings[char][0])
    for char in top:
        for reading in readings[char][1:]:
            add(char, reading)
    return table, rank


def main() -> None:
    table, rank = build()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    lines = [f"{k}\t{rank[k]}\t{' '.join(words)}" for k, words in sorted(table.items())]
    OUT.write_text(
        "# pinyin -> hanzi for the on-screen keyboard; made by tools/make_pinyin_table.py (pypinyin, jieba)\n"
        + "\n".join(lines)
        + "\n",
        encoding="utf-8",
    )
    print(f"{len(lines)} keys, {sum(len(w) for w in table.values())} words, {OUT.stat().st_size} bytes")


if __name__ == "__main__":
    main()
