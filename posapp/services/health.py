"""``GET /healthz`` on the listener: does the database answer, and how is each platform channel doing.

For a service manager or a monitor: no order, customer or secret ever appears in the answer.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping

from sqlalchemy import text
from sqlalchemy.orm import Session

from posapp.lazy import web  # imported on first use: posapp/lazy.py
from posapp.store.db import Database

log = logging.getLogger(__name__)

HEALTH_PATH = "/healthz"
DB_TIMEOUT = 2.0  # seconds; a database thread stuck longer than this counts as an error


async def database_ok(db: Database, timeout: float = DB_TIMEOUT) -> bool:
    """One trivial query through the database thread, so a wedged writer shows up too."""
    try:
        await asyncio.wait_for(db.run(_ping), timeout)
    except Exception as exc:  # whatever the cause, the answer is "error"; the log keeps the kind
        log.warning("health check: the database did not answer: %s", type(exc).__name__)
        return False
    return True


def _ping(session: Session) -> None:
    session.execute(text("select 1"))


def platform_states(states: Mapping[str, str]) -> dict[str, str]:
    """Each channel's state word only ("online", "offline", "error", "starting"): details may quote a payload."""
    return {name: state.split(":", 1)[0].strip() for name, state in states.items()}


async def report(db: Database, states: Mapping[str, str]) -> tuple[int, dict[str, object]]:
    """HTTP status and JSON body: 200 while the database answers, 503 when it does not."""
    ok = await database_ok(db)
    body: dict[str, object] = {
        "status": "ok" if ok else "error",
        "database": "ok" if ok else "error",
        "platforms": platform_states(states),
    }
    return (200 if ok else 503), body


def handler(
    db: Database, states: Callable[[], Mapping[str, str]]
) -> Callable[[web.Request], Awaitable[web.Response]]:
    """The aiohttp handler for :data:`HEALTH_PATH`."""

    async def healthz(_request: web.Request) -> web.Response:
        status, body = await report(db, states())
        return web.json_response(body, status=status, headers={"Cache-Control": "no-store"})

    return healthz
