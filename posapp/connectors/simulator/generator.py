"""Realistic orders for the simulator: Chinese and English dishes, modifiers, notes, fees, schedules."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

# (name, category, price in minor units)
DISHES_ZH = [
    ("宫保鸡丁", "wok", 3200),
    ("麻婆豆腐", "wok", 2600),
    ("鱼香肉丝", "wok", 2800),
    ("小笼包", "dim sum", 2200),
    ("葱油拌面", "noodles", 1800),
    ("红烧牛肉面", "noodles", 3600),
    ("扬州炒饭", "rice", 2400),
    ("酸辣汤", "soup", 1200),
    ("珍珠奶茶", "drinks", 1500),
    ("凉拌黄瓜", "cold", 900),
]
DISHES_EN = [
    ("Kung Pao Chicken", "wok", 1450),
    ("Beef Chow Fun", "noodles", 1595),
    ("Pork Dumplings (8)", "dim sum", 995),
    ("Veggie Spring Rolls", "starters", 650),
    ("Hot & Sour Soup", "soup", 595),
    ("Iced Lemon Tea", "drinks", 395),
    ("Mapo Tofu", "wok", 1295),
]
MODIFIERS = [
    ("大份", 500),
    ("微辣", 0),
    ("特辣", 0),
    ("加蛋", 200),
    ("少冰", 0),
    ("No onions", 0),
    ("Extra spicy", 0),
    ("Add egg", 150),
    ("Large", 300),
]
NOTES = ["不要香菜", "花生过敏!", "请多放餐具", "Allergy: peanuts", "Ring the bell please", None, None, None]
NAMES = ["王先生", "李女士", "张小姐", "Alex", "Maria", "Sam", "陈先生", "Jordan"]


@dataclass
class OrderGenerator:
    """Makes canonical order dicts; seeded for reproducible tests."""

    seed: int | None = None
    platform: str = "demo"
    currency: str = "CNY"
    scheduled_share: float = 0.1
    english_share: float = 0.3  # US platforms (Uber Eats, DoorDash) use 1.0: English dishes only

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
        self.counter = 0

    def make(self, now: datetime | None = None) -> dict[str, Any]:
        rng = self.rng
        self.counter += 1
        now = now or datetime.now(UTC)
        menu = DISHES_ZH if rng.random() < 1 - self.english_share else DISHES_EN
        english = menu is DISHES_EN and self.english_share >= 1
        mod_pool = [m for m in MODIFIERS if m[0].isascii()] if english else MODIFIERS
        items: list[dict[str, Any]] = []
        for name, category, price in rng.sample(menu, k=rng.randint(1, 4)):
            mods: list[dict[str, Any]] = []
            if rng.random() < 0.4:
                mname, mprice = rng.choice(mod_pool)
                mods.append({"name": mname, "quantity": 1, "unit_price": mprice})
            items.append(
                {
                    "sku": f"SKU-{abs(hash(name)) % 10000:04d}",
                    "name": name,
                    "category": category,
                    "quantity": rng.choice([1, 1, 1, 2, 3]),
                    "unit_price": price,
                    "note": rng.choice([None, None, None, "no salt" if english else "少盐", "no MSG"]),
                    "modifiers": mods,
                }
            )
        subtotal = sum(
            (it["unit_price"] + sum(m["unit_price"] * m["quantity"] for m in it["modifiers"]))
            * it["quantity"]
            for it in items
        )
        delivery = rng.choice([0, 300, 500])
        packaging = 100 * len(items)
        discount = rng.choice([0, 0, 500, 1000]) if subtotal > 2000 else 0
        fulfillment = rng.choice(["delivery", "delivery", "delivery", "pickup", "dine_in"])
        if fulfillment != "delivery":
            delivery = 0
        scheduled = rng.random() < self.scheduled_share
        total = subtotal + delivery + packaging - discount
        return {
            "platform": self.platform,
            "external_id": f"SIM{now:%Y%m%d}{self.counter:05d}{rng.randint(100, 999)}",
            "display_id": str(self.counter),
            "status": "new",
            "fulfillment": fulfillment,
            "placed_at": now.isoformat(),
            "due_at": (now + timedelta(minutes=rng.choice([45, 60, 90]))).isoformat() if scheduled else None,
            "currency": self.currency,
            "customer": {
                "name": rng.choice([n for n in NAMES if n.isascii()] if english else NAMES),
                "phone_masked": f"1{rng.randint(30, 89)}****{rng.randint(1000, 9999)}",
                "address": None,
                "order_count": rng.randint(1, 12),
            },
            "items": items,
            "totals": {
                "subtotal": subtotal,
                "discount": discount,
                "delivery_fee": delivery,
                "packaging_fee": packaging,
                "service_fee": 0,
                "tip": 0,
                "tax": 0,
                "total": total,
                "commission": round(total * 0.18),
                "payout": total - round(total * 0.18),
            },
            "payment": {"method": "online", "paid": True},
            "notes": rng.choice([n for n in NOTES if n is None or n.isascii()] if english else NOTES),
        }
