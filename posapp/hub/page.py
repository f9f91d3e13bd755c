"""The head-office page: one server-rendered HTML page, no front-end build, readable on a phone.

Every store online or offline since when, its relay backlog and upload backlog; today's orders and sales per
platform (from the counters' uploads), "today" being each store's own local day; pushes refused and
quarantined at the hub, with their reasons. And the login form that guards it (posapp/hub/auth.py).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Mapping
from datetime import UTC, datetime, time, timedelta
from html import escape
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

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


def zone(name: str | None, default: ZoneInfo) -> ZoneInfo:
    """The IANA zone ``name``, or ``default`` when it is unset or unknown on this machine."""
    if not name:
        return default
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return default


def day_start(now: datetime, tz: ZoneInfo) -> datetime:
    """The UTC instant at which ``now``'s local day in ``tz`` began."""
    local = now.astimezone(tz)
    return datetime.combine(local.date(), time(0), tzinfo=tz).astimezone(UTC)


def sales_today(
    conn: Connection, now: datetime, zones: Mapping[str, ZoneInfo], default: ZoneInfo
) -> dict[str, dict[str, Any]]:
    """Orders placed today per platform, as the counters uploaded them: count and sales per currency. "Today"
    is the local day of the store that took the order (``zones`` by store name, else ``default``)."""
    per: dict[str, dict[str, Any]] = defaultdict(lambda: {"orders": 0, "sales": defaultdict(int)})
    rows = conn.execute(
        select(HqOrder.store_id, HqOrder.platform, HqOrder.status, HqOrder.order_json).where(
            HqOrder.updated_at >= now - timedelta(days=2)
        )
    )
    for store, platform, status, raw in rows:
        tz = zones.get(store, default)
        try:
            order = json.loads(raw)
            placed = datetime.fromisoformat(order["placed_at"])
            total = int(order["totals"]["total"])
            currency = str(order["currency"])
            if placed.tzinfo is None:
                continue  # a time without its offset cannot be put on anybody's day
            if placed.astimezone(tz).date() != now.astimezone(tz).date():
                continue
        except (ValueError, KeyError, TypeError, OverflowError):
            continue
        per[platform]["orders"] += 1
        if status not in CLOSED_UNSOLD:
            per[platform]["sales"][currency] += total
    return dict(per)


def _by_zone(store_zones: Mapping[int, ZoneInfo]) -> dict[ZoneInfo, list[int]]:
    groups: dict[ZoneInfo, list[int]] = defaultdict(list)
    for store_id, tz in store_zones.items():
        groups[tz].append(store_id)
    return groups


def pushes_today(conn: Connection, now: datetime, store_zones: Mapping[int, ZoneInfo]) -> dict[str, int]:
    """Pushes taken today per platform, each store's pushes counted from its own local midnight."""
    out: dict[str, int] = defaultdict(int)
    for tz, ids in _by_zone(store_zones).items():
        rows = conn.execute(
            select(t.pushes.c.platform, func.count())
            .where(t.pushes.c.received_at >= day_start(now, tz), t.pushes.c.store_id.in_(ids))
            .group_by(t.pushes.c.platform)
        )
        for platform, n in rows:
            out[platform] += int(n)
    return dict(out)


def refused_today(
    conn: Connection, now: datetime, store_zones: Mapping[int, ZoneInfo], default: ZoneInfo
) -> dict[str, int]:
    """Pushes refused today per platform: a known store's by its local day, a push naming none by ``default``."""
    out: dict[str, int] = defaultdict(int)
    groups = [
        (day_start(now, tz), t.refusals.c.store_id.in_(ids)) for tz, ids in _by_zone(store_zones).items()
    ]
    groups.append((day_start(now, default), t.refusals.c.store_id.is_(None)))
    for start, which in groups:
        rows = conn.execute(
            select(t.refusals.c.platform, func.count())
            .where(t.refusals.c.at >= start, which)
            .group_by(t.refusals.c.platform)
        )
        for platform, n in rows:
            out[platform] += int(n)
    return dict(out)


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
header{background:#1d2330;color:#fff;padding:14px 24px;display:flex;justify-content:space-between;
align-items:center;gap:12px}h1{font-size:20px;margin:0}header form{margin:0}header span{margin-right:10px}
button{font:inherit;padding:8px 16px;border-radius:6px;border:1px solid #888;background:#fff;cursor:pointer}
main{padding:16px 24px;display:grid;gap:18px}section{background:#fff;border-radius:8px;padding:12px 16px;
box-shadow:0 1px 2px #0002}h2{font-size:16px;margin:4px 0 10px}table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:6px 8px;border-bottom:1px solid #e3e5ea}th{font-weight:600;color:#555}
td.n{text-align:right;font-variant-numeric:tabular-nums}.on{color:#0a7d32;font-weight:600}
.off{color:#b3261e;font-weight:600}.revoked{color:#777}.ago{color:#777}.empty{color:#777}
"""


def render(
    conn: Connection,
    now: datetime,
    *,
    default_zone: str = "UTC",
    user: str | None = None,
    csrf: str | None = None,
) -> str:
    """The whole page as HTML text (every value escaped); ``user`` and ``csrf`` add the logout button."""
    default = zone(default_zone, ZoneInfo("UTC"))
    all_stores = stores.all_stores(conn)
    backlogs = _backlogs(conn)
    uploads = _uploads(conn)
    zones = {s.name: zone(s.time_zone, default) for s in all_stores}
    store_zones = {s.id: zones[s.name] for s in all_stores}
    sales = sales_today(conn, now, zones, default)
    pushed = pushes_today(conn, now, store_zones)
    refused = refused_today(conn, now, store_zones, default)
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
        local = now.astimezone(zones[s.name])
        where = f"<td class='zone'>{escape(str(zones[s.name]))} <span class='ago'>({local:%m-%d %H:%M})</span></td>"
        store_rows.append(
            f"<tr data-store='{escape(s.name)}'><td>{escape(s.name)}</td><td>{state}</td>{where}"
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
<header><h1>posapp head office — {online} of {len(all_stores)} stores online</h1>{
        _logout(user, csrf)
    }</header>
<main>
<section id="stores"><h2>Stores</h2>{
        table(
            "<th>store</th><th>link</th><th>time zone (local now)</th><th>relay backlog</th>"
            "<th>upload backlog</th>",
            store_rows,
            "no store yet: posapp hub stores add NAME",
        )
    }</section>
<section id="today"><h2>Today (each store's own local day; default {escape(str(default))})</h2>{
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


def _logout(user: str | None, csrf: str | None) -> str:
    if not user or not csrf:
        return ""
    return (
        f"<form method='post' action='/logout'><span id='user'>{escape(user)}</span>"
        f"<input type='hidden' name='csrf' value='{escape(csrf)}'><button id='logout'>Log out</button></form>"
    )


LOGIN_STYLE = """
body{font:16px/1.4 system-ui,sans-serif;margin:0;background:#f4f5f7;color:#1d2330;display:grid;
place-items:center;min-height:100vh}form{background:#fff;border-radius:8px;padding:24px 28px;
box-shadow:0 1px 3px #0003;display:grid;gap:12px;width:min(340px,90vw)}h1{font-size:20px;margin:0 0 6px}
label{display:grid;gap:4px;font-weight:600}input{font:inherit;padding:10px;border:1px solid #aab;border-radius:6px}
button{font:inherit;font-weight:600;padding:12px;border:0;border-radius:6px;background:#1d2330;color:#fff;
cursor:pointer}.message{color:#b3261e;font-weight:600;margin:0}.hint{color:#555;margin:0;font-size:14px}
"""


def render_login(message: str = "", *, name: str = "", any_admin: bool = True) -> str:
    """The login form; ``message`` says why the last attempt was refused."""
    hint = (
        ""
        if any_admin
        else "<p class='hint'>No login exists yet: on the hub, run <code>posapp hub admin add NAME</code>.</p>"
    )
    said = f"<p class='message' id='message' role='alert'>{escape(message)}</p>" if message else ""
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1"><title>posapp head office — log in</title>
<style>{LOGIN_STYLE}</style></head><body>
<form method="post" action="/login" id="login"><h1>posapp head office</h1>{said}{hint}
<label>Name<input name="name" id="name" autocomplete="username" required maxlength="64" value="{escape(name)}"></label>
<label>Password<input name="password" id="password" type="password" autocomplete="current-password" required
maxlength="1024"></label><button type="submit" id="submit">Log in</button></form></body></html>"""
