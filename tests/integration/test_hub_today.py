"""The office page's "today" is each store's own local day (its time zone, else the hub's default), not the UTC
day: orders uploaded and pushes taken just before and just after a store's local midnight, seen with a fixed
clock through the running hub."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import text

from posapp.hub import stores
from posapp.hub.app import HubOptions, HubServer
from posapp.hub.sealing import Sealer, new_key
from tests.hub_support import office_login, run_async, store_token_headers

# 16:30 UTC on 10 March 2026 is 00:30 on the 11th in Shanghai, 09:30 on the 10th in Los Angeles (PDT since
# the 8th) and 16:30 on the 10th in London (the hub's default here).
NOW = datetime(2026, 3, 10, 16, 30, tzinfo=UTC)


def at(day: int, hour: int, minute: int) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=UTC)


PLACED = {  # store -> (placed at, counted today in its own zone?)
    "shanghai": [(at(10, 15, 50), False), (at(10, 16, 10), True)],  # 23:50 on the 10th, 00:10 on the 11th
    "los-angeles": [(at(10, 6, 50), False), (at(10, 7, 50), True)],  # 23:50 on the 9th, 00:50 on the 10th
    "london": [(at(9, 23, 50), False), (at(10, 0, 10), True)],  # the hub's default zone
}
ZONES = {"shanghai": "Asia/Shanghai", "los-angeles": "America/Los_Angeles", "london": None}


def row(n: int, placed: datetime, total: int) -> dict[str, Any]:
    return {
        "key": str(uuid.uuid4()),
        "sequence": n,
        "order": {
            "platform": "meituan",
            "external_id": f"mt-{uuid.uuid4().hex[:8]}",
            "display_id": str(n),
            "status": "accepted",
            "currency": "CNY",
            "placed_at": placed.isoformat(),
            "totals": {"subtotal": total, "total": total},
            "items": [{"name": "牛肉面", "quantity": 1, "unit_price": total}],
        },
        "change": {"event": "created", "by": "meituan", "at": placed.isoformat()},
    }


def today_row(html: str, platform: str) -> list[str]:
    found = re.search(rf"<tr data-platform='{platform}'>(.*?)</tr>", html)
    assert found, html
    return re.findall(r"<td[^>]*>(.*?)</td>", found.group(1))


def test_today_is_each_stores_local_day_around_midnight(tmp_path: Path) -> None:
    async def main() -> str:
        options = HubOptions(clock=lambda: NOW, time_zone="Europe/London")
        hub = HubServer(f"sqlite:///{tmp_path / 'hub.db'}", sealer=Sealer(new_key()), options=options)
        port = await hub.start()
        try:
            with hub.engine.begin() as conn:
                tokens = {n: stores.add(conn, n, NOW, time_zone=z).token for n, z in ZONES.items()}
                ids = {s.name: s.id for s in stores.all_stores(conn)}
                for name, placed in PLACED.items():  # a push received at each of those instants too
                    for when, _ in placed:
                        conn.execute(
                            text(
                                "INSERT INTO hub_pushes (store_id, platform, message_key, received_at, "
                                "content_type, headers, query, body) VALUES (:s, 'meituan', :k, :at, '', '{}', "
                                "'{}', x'00')"
                            ),
                            {"s": ids[name], "k": uuid.uuid4().hex, "at": when.replace(tzinfo=None)},
                        )
            async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
                for name, placed in PLACED.items():
                    rows = [row(n, when, 1000) for n, (when, _) in enumerate(placed, 1)]
                    batch = {"store_id": name, "rows": rows}
                    resp = await client.post(
                        "/v1/batches", json=batch, headers=store_token_headers(tokens[name])
                    )
                    assert len(resp.json()["accepted"]) == len(rows), resp.text
                await office_login(hub.engine, client)
                return (await client.get("/")).text
        finally:
            await hub.stop()
            hub.close()

    html = run_async(main())
    counted = sum(ok for placed in PLACED.values() for _, ok in placed)
    assert today_row(html, "meituan") == ["meituan", str(counted), "30.00 CNY", str(counted), "0"]
    assert "Asia/Shanghai <span class='ago'>(03-11 00:30)</span>" in html
    assert "America/Los_Angeles <span class='ago'>(03-10 09:30)</span>" in html
    assert "Europe/London <span class='ago'>(03-10 16:30)</span>" in html  # no zone of its own: the default
