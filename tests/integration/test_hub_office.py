"""The office page's own login, over real HTTP on loopback: scrypt-hashed passwords, a signed session cookie
(HttpOnly, SameSite=Strict, Secure behind HTTPS), a logout that needs the session's token, lock-out after
repeated failures; the machine endpoints need no login."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from posapp.hub import auth
from posapp.hub.app import HubOptions, HubServer
from posapp.hub.sealing import Sealer, new_key
from tests.hub_support import OFFICE_LOGIN, office_login, run_async

NAME, PASSWORD = OFFICE_LOGIN


def with_cookie(value: str) -> dict[str, str]:
    """A request carrying exactly this session cookie (an explicit Cookie header wins over the client's jar)."""
    return {"Cookie": f"{auth.COOKIE}={value}"}


Scenario = Callable[[HubServer, httpx.AsyncClient, list[datetime]], Awaitable[None]]


def with_office(tmp: Path, scenario: Scenario) -> None:
    clock = [datetime(2026, 3, 10, 9, 0, tzinfo=UTC)]

    async def main() -> None:
        options = HubOptions(clock=lambda: clock[0])
        hub = HubServer(f"sqlite:///{tmp / 'hub.db'}", sealer=Sealer(new_key()), options=options)
        port = await hub.start()
        try:
            async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
                await scenario(hub, client, clock)
        finally:
            await hub.stop()
            hub.close()

    run_async(main())


def test_without_a_session_the_page_sends_to_the_login_and_machine_endpoints_need_none(
    tmp_path: Path,
) -> None:
    async def scenario(hub: HubServer, client: httpx.AsyncClient, clock: list[datetime]) -> None:
        resp = await client.get("/")
        assert (resp.status_code, resp.headers["Location"]) == (303, "/login")
        form = await client.get("/login")
        assert form.status_code == 200 and "posapp hub admin add NAME" in form.text  # nobody can log in yet
        assert (
            form.headers["X-Frame-Options"] == "DENY"
            and "frame-ancestors 'none'" in form.headers["Content-Security-Policy"]
        )
        assert (await client.get("/healthz")).status_code == 200
        assert (await client.get("/v1/store")).status_code == 401  # a store token, not an office login
        forged = await client.get("/", headers=with_cookie("eyJuIjoib2ZmaWNlIn0.AAAA"))
        assert forged.status_code == 303 and forged.headers["Location"] == "/login"

    with_office(tmp_path, scenario)


def test_a_wrong_password_is_refused_the_right_one_opens_the_page_with_a_strict_cookie(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    async def scenario(hub: HubServer, client: httpx.AsyncClient, clock: list[datetime]) -> None:
        with hub.engine.begin() as conn:
            auth.set_admin(conn, NAME, PASSWORD, clock[0])
        wrong = await client.post("/login", data={"name": NAME, "password": PASSWORD + "x"})
        assert wrong.status_code == 401 and "Wrong name or password." in wrong.text
        nobody = await client.post("/login", data={"name": "nobody", "password": PASSWORD})
        assert nobody.status_code == 401 and "Wrong name or password." in nobody.text  # the same answer
        elsewhere = await client.post(
            "/login", data={"name": NAME, "password": PASSWORD}, headers={"Origin": "https://evil.example"}
        )
        assert elsewhere.status_code == 403  # a login posted from another site
        right = await client.post("/login", data={"name": NAME, "password": PASSWORD})
        assert (right.status_code, right.headers["Location"]) == (303, "/")
        cookie = right.headers["Set-Cookie"]
        assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Secure" not in cookie
        page = await client.get("/")
        assert page.status_code == 200 and "posapp head office" in page.text and "Log out" in page.text
        assert page.headers["Cache-Control"] == "no-store"
        async with httpx.AsyncClient(base_url=str(client.base_url)) as browser:  # a browser of its own
            behind_tls = await browser.post(
                "/login", data={"name": NAME, "password": PASSWORD}, headers={"X-Forwarded-Proto": "https"}
            )
        assert "Secure" in behind_tls.headers["Set-Cookie"]

    with caplog.at_level(logging.DEBUG):
        with_office(tmp_path, scenario)
    assert PASSWORD not in caplog.text
    stored = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith("hub.db"))
    assert PASSWORD.encode() not in stored and b"scrypt$" in stored


def test_a_tampered_cookie_is_refused_and_logout_needs_the_sessions_token(tmp_path: Path) -> None:
    async def scenario(hub: HubServer, client: httpx.AsyncClient, clock: list[datetime]) -> None:
        with hub.engine.begin() as conn:
            auth.set_admin(conn, "boss", "boss-password-1", clock[0])
        await office_login(hub.engine, client)
        cookie = client.cookies[auth.COOKIE]
        payload, signature = cookie.split(".")
        other = auth._b64(auth._unb64(payload).replace(b'"office"', b'"boss"'))  # claim to be another admin
        for forged in (f"{other}.{signature}", f"{payload}.{signature[:-2]}AA", payload):
            resp = await client.get("/", headers=with_cookie(forged))
            assert resp.status_code == 303 and resp.headers["Location"] == "/login", forged
        page = (await client.get("/", headers=with_cookie(cookie))).text
        csrf = page.split("name='csrf' value='")[1].split("'")[0]
        assert (await client.post("/logout", data={}, headers=with_cookie(cookie))).status_code == 403
        gone = await client.post("/logout", data={"csrf": csrf}, headers=with_cookie(cookie))
        assert (gone.status_code, gone.headers["Location"]) == (303, "/login")
        again = await client.get("/", headers=with_cookie(cookie))  # the old cookie, still well signed
        assert again.status_code == 303  # ended: logging out bumped the admin's session generation
        clock[0] += auth.SESSION_TTL + timedelta(seconds=1)
        await office_login(hub.engine, client)
        fresh = client.cookies[auth.COOKIE]
        clock[0] += auth.SESSION_TTL + timedelta(seconds=1)
        assert (await client.get("/", headers=with_cookie(fresh))).status_code == 303  # expired

    with_office(tmp_path, scenario)


def test_repeated_failures_lock_the_name_for_a_while(tmp_path: Path) -> None:
    async def scenario(hub: HubServer, client: httpx.AsyncClient, clock: list[datetime]) -> None:
        with hub.engine.begin() as conn:
            auth.set_admin(conn, NAME, PASSWORD, clock[0])
        statuses = []
        for n in range(auth.MAX_FAILURES):
            statuses.append(
                (await client.post("/login", data={"name": NAME, "password": f"guess-{n}"})).status_code
            )
        assert statuses == [401] * (auth.MAX_FAILURES - 1) + [429]
        locked = await client.post("/login", data={"name": NAME, "password": PASSWORD})
        assert locked.status_code == 429 and "Too many wrong passwords" in locked.text  # even the right one
        assert 0 < int(locked.headers["Retry-After"]) <= auth.LOCKOUT.total_seconds()
        clock[0] += auth.LOCKOUT + timedelta(seconds=1)
        right = await client.post("/login", data={"name": NAME, "password": PASSWORD})
        assert right.status_code == 303

    with_office(tmp_path, scenario)


def test_admin_add_takes_the_password_from_a_pipe_and_keeps_only_its_hash(tmp_path: Path) -> None:
    import subprocess
    import sys

    from sqlalchemy import create_engine, text

    from tests.hub_support import ROOT

    url = f"sqlite:///{tmp_path / 'hub.db'}"

    def admin(*args: str, stdin: str = "") -> Any:
        return subprocess.run(
            [sys.executable, "-m", "posapp", "hub", "admin", *args, "--db", url],
            cwd=ROOT,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=60,
        )

    short = admin("add", "anna", stdin="short\n")
    assert short.returncode == 2 and "10 characters" in short.stderr
    done = admin("add", "anna", stdin="a long enough password\n")
    assert done.returncode == 0 and "added" in done.stdout and "long enough" not in done.stdout + done.stderr
    assert admin("list").stdout.split() == ["anna"]
    engine = create_engine(url)
    with engine.connect() as conn:
        stored = conn.execute(text("SELECT password FROM hub_admins")).scalar_one()
    engine.dispose()
    assert stored.startswith("scrypt$32768$8$1$") and auth.check_password(stored, "a long enough password")
    assert admin("remove", "anna").returncode == 0 and admin("list").stdout == ""
