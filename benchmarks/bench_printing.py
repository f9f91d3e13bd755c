"""Benchmark: a 10-item order's kitchen ticket, layout + ESC/POS render, must take under 5 ms.

Run: ``.venv/bin/python benchmarks/bench_printing.py`` (or with pytest-benchmark:
``.venv/bin/python -m pytest benchmarks/bench_printing.py``).
"""

from __future__ import annotations

import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from posapp.domain.order import LineItem, Modifier  # noqa: E402
from posapp.printing.escpos import Renderer  # noqa: E402
from posapp.printing.layouts import TicketContext, kitchen_ticket, receipt  # noqa: E402
from posapp.printing.profiles import get_profile  # noqa: E402
from tests.factories import make_order  # noqa: E402

BUDGET_MS = 5.0
DISHES = [
    "宫保鸡丁",
    "麻婆豆腐",
    "鱼香肉丝",
    "Iced Lemon Tea",
    "回锅肉",
    "水煮鱼",
    "酸辣土豆丝",
    "蛋炒饭",
    "Coke Zero",
    "小笼包",
]


def ten_item_order():  # type: ignore[no-untyped-def]
    items = tuple(
        LineItem(
            name,
            1 + i % 3,
            1000 + 250 * i,
            modifiers=(Modifier("大份", 1, 300), Modifier("no onions")) if i % 2 == 0 else (),
            note="少辣 less spicy" if i % 3 == 0 else None,
        )
        for i, name in enumerate(DISHES)
    )
    return make_order(platform="meituan", items=items, notes="花生过敏 peanut allergy")


CTX = TicketContext(store_name="老王小馆", printed_at=datetime(2026, 11, 26, 12, 0, tzinfo=UTC))


def kitchen_once(renderer: Renderer, order) -> bytes:  # type: ignore[no-untyped-def]
    return renderer.render(kitchen_ticket(order, CTX))


def test_kitchen_ticket_render(benchmark) -> None:  # type: ignore[no-untyped-def]
    renderer = Renderer(get_profile("generic-80"))
    order = ten_item_order()
    benchmark(kitchen_once, renderer, order)
    assert benchmark.stats.stats.median * 1000 < BUDGET_MS


def main() -> int:
    order = ten_item_order()
    for profile_name in ("generic-80", "generic-58"):
        renderer = Renderer(get_profile(profile_name))
        kitchen_once(renderer, order)  # warm the glyph cache, as the spooler's long-lived renderer is
        samples = []
        for _ in range(500):
            t0 = time.perf_counter()
            data = kitchen_once(renderer, order)
            samples.append((time.perf_counter() - t0) * 1000)
        cold = Renderer(get_profile(profile_name))
        t0 = time.perf_counter()
        kitchen_once(cold, order)
        cold_ms = (time.perf_counter() - t0) * 1000
        print(
            f"{profile_name}: kitchen ticket, 10 items, {len(data)} bytes: median {statistics.median(samples):.3f} ms, "
            f"p99 {sorted(samples)[int(len(samples) * 0.99)]:.3f} ms, cold renderer {cold_ms:.3f} ms "
            f"(budget {BUDGET_MS} ms)"
        )
    r = Renderer(get_profile("generic-80"))
    t0 = time.perf_counter()
    r.render(receipt(order, CTX))
    print(f"generic-80: receipt with native QR: {(time.perf_counter() - t0) * 1000:.3f} ms (first render)")
    ok = statistics.median(samples) < BUDGET_MS
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
