"""The head-office page in a real headless browser (Debian's Chromium through Selenium): every store online or
offline since when, relay and upload backlogs, today's orders and sales per platform, refused and quarantined pushes.

The page is behind its own login: a person types a wrong password (refused), the right one (the page), and a
tampered session cookie sends the browser back to the login form.

``POSAPP_HUB_PAGE_PNG=docs/hub-page.png`` and ``POSAPP_HUB_LOGIN_PNG=docs/hub-login.png`` save the screenshots
the README shows."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import sys
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from posapp.hub import auth
from posapp.hub.sealing import Sealer
from tests.hub_support import (
    OFFICE_LOGIN,
    ROOT,
    Counter,
    HubProcess,
    eventually,
    hub_env,
    make_sim,
    new_hub_key,
    open_hub_db,
    push_own,
    register_store,
    run_async,
    store_token_headers,
)

SCREENSHOT = os.environ.get("POSAPP_HUB_PAGE_PNG")
LOGIN_SHOT = os.environ.get("POSAPP_HUB_LOGIN_PNG")
CHROMIUM, DRIVER = shutil.which("chromium"), shutil.which("chromedriver")


def row(n: int, platform: str, currency: str, total: int, status: str = "accepted") -> dict[str, Any]:
    now = datetime.now(UTC).isoformat()
    return {
        "key": str(uuid.uuid4()),
        "sequence": n,
        "order": {
            "platform": platform,
            "external_id": f"{platform}-{n}",
            "display_id": str(n),
            "status": status,
            "currency": currency,
            "placed_at": now,
            "totals": {"subtotal": total, "total": total},
            "items": [{"name": "宫保鸡丁", "quantity": 1, "unit_price": total}],
        },
        "change": {"event": "created", "by": platform, "at": now},
    }


def browse(url: str, out: Path, login_png: Path | None = None) -> dict[str, Any]:
    """Log in as a person would (a wrong password first), read the page, then come back with a tampered cookie."""
    from selenium import webdriver
    from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as shown
    from selenium.webdriver.support.wait import WebDriverWait

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1200,1100", "--lang=en"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(str(DRIVER)), options=options)

    def left_the_page(element: Any) -> bool:
        """The form's page was replaced: the element is stale. Mid-navigation chromedriver may say so as
        "Node with given id does not belong to the document" rather than as a stale element."""
        try:
            element.is_enabled()
        except StaleElementReferenceException:
            return True
        except WebDriverException as exc:
            if "does not belong to the document" in str(exc):
                return True
            raise
        return False

    def log_in(password: str, then: str) -> None:
        """Fill the form, send it, and wait for the element with id ``then`` on the page that follows."""
        form = driver.find_element(By.ID, "login")
        driver.find_element(By.ID, "name").clear()
        driver.find_element(By.ID, "name").send_keys(OFFICE_LOGIN[0])
        driver.find_element(By.ID, "password").send_keys(password)
        driver.find_element(By.ID, "submit").click()
        WebDriverWait(driver, 20).until(lambda _: left_the_page(form))
        WebDriverWait(driver, 20).until(shown.presence_of_element_located((By.ID, then)))

    try:
        driver.get(url)
        first_stop = driver.current_url
        log_in("not the password", then="message")
        refused = driver.find_element(By.ID, "message").text
        if login_png is not None:
            driver.save_screenshot(str(login_png))
        log_in(OFFICE_LOGIN[1], then="stores")
        stores = {
            tr.get_attribute("data-store"): tr.text
            for tr in driver.find_elements(By.CSS_SELECTOR, "#stores tbody tr[data-store]")
        }
        today = {
            tr.get_attribute("data-platform"): tr.text
            for tr in driver.find_elements(By.CSS_SELECTOR, "#today tbody tr[data-platform]")
        }
        cookie = driver.get_cookie(auth.COOKIE)
        assert cookie is not None
        seen = {
            "first_stop": first_stop,
            "refused_login": refused,
            "title": driver.find_element(By.TAG_NAME, "h1").text,
            "user": driver.find_element(By.ID, "user").text,
            "stores": stores,
            "today": today,
            "refused": driver.find_element(By.ID, "refused").text,
            "quarantine": driver.find_element(By.ID, "quarantine").text,
            "cookie": cookie,
        }
        driver.save_screenshot(str(out))
        payload, signature = cookie["value"].split(".")
        tampered = f"{payload[:-1]}{'B' if payload[-1] == 'A' else 'A'}.{signature}"
        driver.delete_cookie(auth.COOKIE)
        driver.add_cookie({"name": auth.COOKIE, "value": tampered, "path": "/", "httpOnly": True})
        driver.get(url)
        seen["after_tampering"] = driver.current_url
        return seen
    finally:
        driver.quit()


@pytest.mark.skipif(not (CHROMIUM and DRIVER), reason="needs Debian's chromium and chromium-driver (.ci/run)")
def test_the_office_page_shows_every_store_its_backlogs_todays_sales_and_refusals(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'hub.db'}"
    key = new_hub_key()
    engine = open_hub_db(url)
    sealer = Sealer(key)
    hub = HubProcess(url, hub_env(tmp_path, key), "--heartbeat", "0.5")
    shot = tmp_path / "hub-page.png"

    async def scenario() -> dict[str, Any]:
        names = ["老王面馆 徐汇店", "老王面馆 静安店", "Wang's Noodles SF"]
        sims = [make_sim(n, name) for n, name in enumerate(names)]
        tokens = [register_store(engine, sealer, name, sim) for name, sim in zip(names, sims, strict=True)]
        for sim in sims:
            await sim.start()

        async def three() -> int:
            return 3  # the counter's upload backlog as it reports it

        online = Counter(tmp_path / "online", hub.url, tokens[0], upload_backlog=three)
        gone = Counter(tmp_path / "gone", hub.url, tokens[1])
        online.start()
        gone.start()
        try:
            await asyncio.wait_for(online.relay.connected.wait(), 10)
            await asyncio.wait_for(gone.relay.connected.wait(), 10)
            await push_own(sims[0], hub.url)
            await gone.stop()  # offline from now on: its pushes wait at the hub
            for _ in range(4):
                await push_own(sims[1], hub.url)
            async with httpx.AsyncClient(base_url=hub.url) as client:
                rows = [
                    row(1, "meituan", "CNY", 4200),
                    row(2, "meituan", "CNY", 3600),
                    row(3, "eleme", "CNY", 2850),
                ]
                rows.append(row(4, "eleme", "CNY", 1999, status="cancelled"))
                batch = {"store_id": names[0], "rows": rows}
                resp = await client.post("/v1/batches", json=batch, headers=store_token_headers(tokens[0]))
                assert len(resp.json()["accepted"]) == 4
                us = {
                    "store_id": names[2],
                    "rows": [row(1, "ubereats", "USD", 2475), row(2, "doordash", "USD", 1830)],
                }
                resp = await client.post("/v1/batches", json=us, headers=store_token_headers(tokens[2]))
                assert len(resp.json()["accepted"]) == 2
                body = json.dumps({"external_id": "W-9", "items": "?"}).encode()
                headers = sims[0].platforms["own"].headers(body)  # type: ignore[attr-defined]
                await client.post("/webhooks/own", content=body, headers=headers)  # signed, unreadable
                forged = {**headers, "X-Posapp-Signature": "sha256=" + "0" * 64}
                await client.post("/webhooks/own", content=body, headers=forged)
            await online.wait_for(1)
            assert await eventually(lambda: _backlog_reported(engine))
            done = await asyncio.to_thread(
                subprocess.run,
                [sys.executable, "-m", "posapp", "hub", "admin", "add", OFFICE_LOGIN[0], "--db", url],
                input=OFFICE_LOGIN[1] + "\n",
                cwd=ROOT,
                capture_output=True,
                text=True,
                timeout=60,
            )
            assert done.returncode == 0, done.stderr
            for name in names[:2]:  # the Shanghai stores count their day in Shanghai; the third, the hub's
                zoned = await asyncio.to_thread(
                    subprocess.run,
                    [
                        sys.executable,
                        "-m",
                        "posapp",
                        "hub",
                        "stores",
                        "zone",
                        name,
                        "Asia/Shanghai",
                        "--db",
                        url,
                    ],
                    cwd=ROOT,
                    capture_output=True,
                    text=True,
                    timeout=60,
                )
                assert zoned.returncode == 0, zoned.stderr
            return await asyncio.to_thread(browse, hub.url + "/", shot, LOGIN_SHOT and Path(LOGIN_SHOT))
        finally:
            await online.stop()
            online.close()
            gone.close()
            for sim in sims:
                await sim.stop()

    try:
        seen = run_async(scenario(), timeout=120)
    finally:
        hub.stop()
        engine.dispose()
    assert seen["first_stop"].endswith("/login")  # no session: the login form, not the page
    assert seen["refused_login"] == "Wrong name or password."
    assert seen["user"] == OFFICE_LOGIN[0]
    cookie = seen["cookie"]
    assert (
        cookie["httpOnly"] is True and cookie["sameSite"] == "Strict" and cookie["secure"] is False
    )  # plain http
    assert seen["after_tampering"].endswith("/login")  # one character changed: the session is refused
    assert seen["title"] == "posapp head office — 1 of 3 stores online"
    assert "online since" in seen["stores"]["老王面馆 徐汇店"]
    assert "offline since" in seen["stores"]["老王面馆 静安店"] and " 4 " in seen["stores"]["老王面馆 静安店"]
    assert "never connected" in seen["stores"]["Wang's Noodles SF"]
    assert (
        "Asia/Shanghai" in seen["stores"]["老王面馆 徐汇店"] and "UTC" in seen["stores"]["Wang's Noodles SF"]
    )
    assert "3 (reported" in seen["stores"]["老王面馆 徐汇店"]
    assert seen["today"]["meituan"].split()[:3] == ["meituan", "2", "78.00"]
    assert seen["today"]["eleme"].split()[:3] == ["eleme", "2", "28.50"]  # the cancelled one is no sale
    assert "24.75 USD" in seen["today"]["ubereats"]
    assert "own-channel signature does not match" in seen["refused"]
    assert "does not fit" in seen["quarantine"] or "Error" in seen["quarantine"]
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    if SCREENSHOT:
        shutil.copyfile(shot, SCREENSHOT)


async def _backlog_reported(engine: Any) -> bool:
    from sqlalchemy import text

    def look() -> bool:
        with engine.connect() as conn:
            return (
                conn.execute(
                    text("SELECT count(*) FROM hub_stores WHERE reported_at IS NOT NULL")
                ).scalar_one()
                > 0
            )

    return await asyncio.to_thread(look)
