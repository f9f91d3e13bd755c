"""The office page behind its own login: ``/login`` (form and check), ``/`` (the page), ``/logout``.

The machine endpoints (webhooks, relay, uploads, pairing, health) are not here and need no login: they carry
their own proof (a platform's signature, a store token). A browser gets a signed session cookie (HttpOnly,
SameSite=Strict, Secure behind HTTPS); logging out is a POST carrying a token bound to the session.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any, TypeVar
from urllib.parse import parse_qsl, urlsplit

from aiohttp import web
from sqlalchemy import Connection

from posapp.errors import ConfigError
from posapp.hub import auth, page
from posapp.hub.sealing import Sealer

log = logging.getLogger(__name__)
T = TypeVar("T")
Run = Callable[[Callable[[Connection], T]], Awaitable[T]]
FORM_MAX = 8 * 1024
# Inline styles only; no script, no frame, forms post to this origin alone.
_HEADERS = {
    "Cache-Control": "no-store",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",  # with no-referrer a browser posts forms with Origin: null
    "X-Content-Type-Options": "nosniff",
}


class Office:
    """The page's handlers; ``sealer`` gives the hub key, from which the session key is derived."""

    def __init__(
        self,
        run: Run[Any],
        sealer: Callable[[], Awaitable[Sealer]],
        *,
        default_zone: str,
        clock: Callable[[], datetime],
    ) -> None:
        self._run = run
        self._sealer = sealer
        self._sessions: auth.Sessions | None = None
        self._checking = asyncio.Semaphore(2)  # password checks at once: each is 32 MiB and ~0.1 s of CPU
        self.default_zone = default_zone
        self.clock = clock

    def add_routes(self, app: web.Application) -> None:
        app.router.add_get("/", self.page)
        app.router.add_get("/login", self.login_form)
        app.router.add_post("/login", self.login)
        app.router.add_post("/logout", self.logout)

    async def sessions(self) -> auth.Sessions:
        if self._sessions is None:
            self._sessions = auth.Sessions((await self._sealer()).derive("office-session"))
        return self._sessions

    async def page(self, request: web.Request) -> web.Response:
        try:
            sessions = await self.sessions()
        except ConfigError as exc:
            return _html(f"<p>The office page cannot open: {exc}</p>", status=503)
        now = self.clock()
        cookie = request.cookies.get(auth.COOKIE, "")
        session = sessions.read(cookie, now) if cookie else None
        if session is None:
            return _to_login(clear=bool(cookie))
        zone, csrf = self.default_zone, sessions.csrf(cookie)

        def render(conn: Connection) -> str | None:
            if auth.generation_of(conn, session.name) != session.generation:
                return None  # logged out (on any process), password changed or admin removed
            return page.render(conn, now, default_zone=zone, user=session.name, csrf=csrf)

        html = await self._run(render)
        return _to_login(clear=True) if html is None else _html(html)

    async def login_form(self, request: web.Request) -> web.Response:
        any_admin = bool(await self._run(auth.admin_names))
        return _html(page.render_login(any_admin=any_admin))

    async def login(self, request: web.Request) -> web.Response:
        if not _same_origin(request):
            return _html(page.render_login("This form was sent from another site."), status=403)
        form = await _form(request)
        if form is None:
            return _html(page.render_login("The form could not be read."), status=400)
        name, password = form.get("name", "").strip()[:64], form.get("password", "")[:1024]
        try:
            sessions = await self.sessions()
        except ConfigError as exc:
            return _html(page.render_login(str(exc)), status=503)
        now = self.clock()
        admin = await self._run(lambda c: auth.find(c, name))
        if admin is not None and admin.locked_until is not None and admin.locked_until > now:
            attempt = auth.Attempt(auth.Outcome.LOCKED, locked_until=admin.locked_until)
        else:
            async with self._checking:  # scrypt off the database threads, a few at a time
                matched = await asyncio.to_thread(auth.password_matches, admin, password)
            attempt = await self._run(lambda c: auth.record(c, admin, matched, now))
        log.info("office login for %r from %s: %s", name, request.remote, attempt.outcome.value)
        if attempt.outcome is auth.Outcome.LOCKED and attempt.locked_until is not None:
            wait = max(1, int((attempt.locked_until - now).total_seconds()))
            said = f"Too many wrong passwords for this name: try again in {(wait + 59) // 60} min."
            response = _html(page.render_login(said, name=name), status=429)
            response.headers["Retry-After"] = str(wait)
            return response
        if attempt.outcome is not auth.Outcome.OK:
            return _html(page.render_login("Wrong name or password.", name=name), status=401)
        response = _see_other("/")
        response.set_cookie(
            auth.COOKIE,
            sessions.issue(name, attempt.generation, now),
            max_age=int(auth.SESSION_TTL.total_seconds()),
            path="/",
            httponly=True,
            samesite="Strict",
            secure=_https(request),
        )
        return response

    async def logout(self, request: web.Request) -> web.Response:
        try:
            sessions = await self.sessions()
        except ConfigError as exc:
            return _html(f"<p>The office page cannot open: {exc}</p>", status=503)
        cookie = request.cookies.get(auth.COOKIE, "")
        session = sessions.read(cookie, self.clock()) if cookie else None
        form = await _form(request)
        if session is None or form is None or not sessions.csrf_ok(cookie, form.get("csrf", "")):
            return _html("<p>Log out from the office page's own button.</p>", status=403)
        await self._run(lambda c: auth.log_out(c, session.name))
        log.info("office logout for %r from %s", session.name, request.remote)
        return _to_login(clear=True)


def _https(request: web.Request) -> bool:
    """Behind a TLS proxy the hub hears plain HTTP; the proxy says what the browser used."""
    return request.secure or request.headers.get("X-Forwarded-Proto", "").lower() == "https"


def _same_origin(request: web.Request) -> bool:
    """A form post whose Origin names another host is refused (login CSRF); browsers send Origin on POST."""
    origin = request.headers.get("Origin")
    if origin is None:
        return True
    host = request.headers.get("X-Forwarded-Host") or request.host
    return urlsplit(origin).netloc.lower() == host.lower()


async def _form(request: web.Request) -> dict[str, str] | None:
    if (request.content_length or 0) > FORM_MAX:
        return None
    body = await request.content.read(FORM_MAX + 1)
    if len(body) > FORM_MAX:
        return None
    try:
        return dict(parse_qsl(body.decode("utf-8"), max_num_fields=8))
    except (UnicodeDecodeError, ValueError):
        return None


def _html(text: str, status: int = 200) -> web.Response:
    response = web.Response(text=text, status=status, content_type="text/html", charset="utf-8")
    response.headers.update(_HEADERS)
    return response


def _see_other(location: str) -> web.Response:
    """A 303 (after a form post, the browser GETs ``location``), returned, never raised."""
    return web.Response(status=303, headers={**_HEADERS, "Location": location})


def _to_login(*, clear: bool) -> web.Response:
    response = _see_other("/login")
    if clear:
        response.del_cookie(auth.COOKIE, path="/")
    return response
