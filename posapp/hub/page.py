"""The head-office page: one server-rendered HTML page, no front-end build, readable on a phone.

Every store online or offline since when, its relay backlog and upload backlog; today's orders and sales per
platform (from the counters' uploads); pushes refused and quarantined at the hub, with their reasons.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import datetime, timedelta
from html import escape
from typing import Any

from sqlalchemy import Connection, func, select

from posapp.hq.models import HqOrder
from posapp.hub import stores
from posapp.hub import tables as t

CLOSED_UNSOLD = {"rejected", "cancelled"}
CURRENCY_DIGITS = {"JPY": 0, "KRW": 0}


def backlog_of(conn: Connection, store_id: int) -> int:
    return int(
        conn.execute(
            select(func.count())
            .select_from(t.pushes)
            .where(t.pushes.c.store_id == store_id, t.pushes.c.acked_at.is_(None))
        ).scalar_one()
    )


def _backlogs(conn: Connection) -> dict[int, int]:
    rows = conn.execute(
        select(t.pushes.c.store_id, func.count())
        .where(t.pushes.c.acked_at.is_(None))
        .group_by(t.pushes.c.store_id)
    )
    return {r[0]: int(r[1]) for r in rows}


def _uploads(conn: Connection) -> dict[int, tuple[int | None, datetime | None]]:
    rows = conn.execute(select(t.stores.c.id, t.stores.c.upload_backlog, t.stores.c.reported_at))
    return {r.id: (r.upload_backlog, r.reported_at) for r in rows}


def money(minor: int, currency: str) -> str:
    digits = CURRENCY_DIGITS.get(currency, 2)
    return f"{minor / 10**digits:,.{digits}f} {currency}"


def sales_today(conn: Connection, now: datetime) -> dict[str, dict[str, Any]]:
    """Orders placed today (UTC day) per platform, as the counters uploaded them: count and sales per currency."""
    day = now.date().isoformat()
    per: dict[str, dict[str, Any]] = defaultdict(lambda: {"orders": 0, "sales": defaultdict(int)})
    rows = conn.execute(
        select(HqOrder.platform, HqOrder.status, HqOrder.order_json).where(
            HqOrder.updated_at >= now - timedelta(days=2)
        )
    )
    for platform, status, raw in rows:
        try:
            order = json.loads(raw)
            placed = datetime.fromisoformat(order["placed_at"])
            total = int(order["totals"]["total"])
            currency = str(order["currency"])
        except (ValueError, KeyError, TypeError):
            continue
        if placed.astimezone(now.tzinfo).date().isoformat() != day:
            continue
        per[platform]["orders"] += 1
        if status not in CLOSED_UNSOLD:
            per[platform]["sales"][currency] += total
    return dict(per)


def pushes_today(conn: Connection, now: datetime) -> dict[str, int]:
    start = now.replace(hour=0, minute=0, second=0, microsecond=0)
    rows = conn.execute(
        select(t.pushes.c.platform, func.count())
        .where(t.pushes.c.received_at >= start)
        .group_by(t.pushes.c.platform)
    )
    return {r[0]: int(r[1]) for r in rows}


def refused_today(conn: Connection, now: datetime) -> dict[str, int]:
    start = now.replace(hour=0, minute=0, second=0, microsecond=0)
    rows = conn.execute(
        select(t.refusals.c.platform, func.count())
        .where(t.refusals.c.at >= start)
        .group_by(t.refusals.c.platform)
    )
    return {r[0]: int(r[1]) for r in rows}


def _ago(then: datetime | None, now: datetime) -> str:
    if then is None:
        return "never"
    seconds = int((now - then).total_seconds())
    if seconds < 60:
        span = f"{seconds} s"
    elif seconds < 3600:
        span = f"{seconds // 60} min"
    elif seconds < 86400:
        span = f"{seconds // 3600} h {seconds % 3600 // 60} min"
    else:
        span = f"{seconds // 86400} d"
    return f'{then:%Y-%m-%d %H:%M} UTC <span class="ago">({span} ago)</span>'


STYLE = """
body{font:15px/1.4 system-ui,sans-serif;margin:0;background:#f4f5f7;color:#1d2330}
header{background:#1d2330;color:#fff;padding:14px 24px}h1{font-size:20px;margin:0}
main{padding:16px 24px;display:grid;gap:18px}section{background:#fff;border-radius:8px;padding:12px 16px;
box-shadow:0 1px 2px #0002}h2{font-size:16px;margin:4px 0 10px}table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:6px 8px;border-bottom:1px solid #e3e5ea}th{font-weight:600;color:#555}
td.n{text-align:right;font-variant-numeric:tabular-nums}.on{color:#0a7d32;font-weight:600}
.off{color:#b3261e;font-weight:600}.revoked{color:#777}.ago{color:#777}.empty{color:#777}
"""


def render(conn: Connection, now: datetime) -> str:
    """The whole page as HTML text (every value escaped)."""
    all_stores = stores.all_stores(conn)
    backlogs = _backlogs(conn)
    uploads = _uploads(conn)
    sales = sales_today(conn, now)
    pushed = pushes_today(conn, now)
    refused = refused_today(conn, now)
    store_rows = []
    for s in all_stores:
        if s.revoked_at is not None:
            state = f'<span class="revoked">revoked</span> since {_ago(s.revoked_at, now)}'
        elif s.online(now):
            state = f'<span class="on">● online</span> since {_ago(s.since(now), now)}'
        elif s.since(now) is None:
            state = '<span class="off">✖ offline</span> <span class="ago">(never connected)</span>'
        else:
            state = f'<span class="off">✖ offline</span> since {_ago(s.since(now), now)}'
        upload, reported = uploads.get(s.id, (None, None))
        upload_text = (
            "—" if upload is None else f"{upload} <span class='ago'>(reported {_ago(reported, now)})</span>"
        )
        store_rows.append(
            f"<tr data-store='{escape(s.name)}'><td>{escape(s.name)}</td><td>{state}</td>"
            f"<td class='n relay-backlog'>{backlogs.get(s.id, 0)}</td><td class='upload-backlog'>{upload_text}</td></tr>"
        )
    platforms = sorted(set(sales) | set(pushed) | set(refused))
    sales_rows = []
    for p in platforms:
        entry = sales.get(p, {"orders": 0, "sales": {}})
        money_text = ", ".join(money(v, c) for c, v in sorted(entry["sales"].items())) or "—"
        sales_rows.append(
            f"<tr data-platform='{escape(p)}'><td>{escape(p)}</td><td class='n'>{entry['orders']}</td>"
            f"<td class='n'>{escape(money_text)}</td><td class='n'>{pushed.get(p, 0)}</td>"
            f"<td class='n'>{refused.get(p, 0)}</td></tr>"
        )
    recent = conn.execute(select(t.refusals).order_by(t.refusals.c.id.desc()).limit(15)).all()
    refusal_rows = [
        f"<tr><td>{r.at:%H:%M:%S}</td><td>{escape(r.platform)}</td><td>{escape(r.store_key or '—')}</td>"
        f"<td class='n'>{r.status}</td><td>{escape(r.reason)}</td><td>{escape(r.remote or '')}</td></tr>"
        for r in recent
    ]
    names = {s.id: s.name for s in all_stores}
    held = conn.execute(
        select(t.quarantine.c.at, t.quarantine.c.platform, t.quarantine.c.store_id, t.quarantine.c.reason)
        .order_by(t.quarantine.c.id.desc())
        .limit(15)
    ).all()
    quarantine_rows = [
        f"<tr><td>{q.at:%Y-%m-%d %H:%M:%S}</td><td>{escape(q.platform)}</td>"
        f"<td>{escape(names.get(q.store_id, str(q.store_id)))}</td><td>{escape(q.reason)}</td></tr>"
        for q in held
    ]
    online = sum(1 for s in all_stores if s.revoked_at is None and s.online(now))

    def table(head: str, rows: list[str], empty: str) -> str:
        body = "".join(rows) or f"<tr><td class='empty' colspan='9'>{empty}</td></tr>"
        return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"

    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1"><meta http-equiv="refresh" content="15">
<title>posapp head office</title><style>{STYLE}</style></head><body>
<header><h1>posapp head office — {online} of {len(all_stores)} stores online</h1></header><main>
<section id="stores"><h2>Stores</h2>{
        table(
            "<th>store</th><th>link</th><th>relay backlog</th><th>upload backlog</th>",
            store_rows,
            "no store yet: posapp hub stores add NAME",
        )
    }</section>
<section id="today"><h2>Today ({now:%Y-%m-%d}, UTC)</h2>{
        table(
            "<th>platform</th><th>orders</th><th>sales</th><th>pushes taken</th><th>pushes refused</th>",
            sales_rows,
            "nothing yet today",
        )
    }</section>
<section id="refused"><h2>Refused pushes (latest)</h2>{
        table(
            "<th>time</th><th>platform</th><th>store key</th><th>answer</th><th>reason</th><th>from</th>",
            refusal_rows,
            "none",
        )
    }</section>
<section id="quarantine"><h2>Quarantined at the hub (signed, but unreadable)</h2>{
        table("<th>time</th><th>platform</th><th>store</th><th>reason</th>", quarantine_rows, "none")
    }</section>
<p class="ago">Generated {now:%Y-%m-%d %H:%M:%S} UTC; refreshes every 15 s.</p>
</main></body></html>"""
