"""The counter's link to the hub: pushes the platforms sent to head office, taken here as if they came direct.

The counter connects out (a WebSocket to ``<hub>/v1/relay``; it works behind the shop's router and through a
proxy) with its store token, and takes each relayed push through the same path as the local listener
(``ChannelService.take_verified``: expand, parse, one transaction), acknowledging it only after that commit.
A push that could not be stored is not acknowledged: the hub sends it again. A lost link is retried with a
growing pause (0.2 s up to 10 s), resuming after the last push committed here; the hub resends the rest, in
order, and the intake's idempotency lands each order once.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import contextlib
import json
import logging
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import aiohttp

from posapp.connectors import registry
from posapp.connectors.base import Connector
from posapp.errors import ConfigError, PayloadError, PosappError, StorageError
from posapp.services.channels import ChannelService
from posapp.services.hub import Hub, Notice

if TYPE_CHECKING:
    from posapp.config import Settings
    from posapp.services.upload import Uploader
    from posapp.store.db import Database

log = logging.getLogger(__name__)

TOKEN_REF = "hub-token"  # keyring / systemd credential name of the store token
URL_SETTING = "hub_url"  # the counter database's settings row written by pairing
NOTICE_SOURCE = "hub"
TOKEN_REFUSED = "Head office refused this counter's hub token — pair it again (posapp hub pair URL CODE)"
RELAY_PATH = "/v1/relay"
REVOKED = 4401

TokenSource = Callable[[], str | None]


@dataclass(frozen=True, slots=True)
class HubLink:
    url: str
    store: str
    token_ref: str = TOKEN_REF


class RelayClient:
    """One outbound relay link, kept up until ``stop``; its state goes out as ``Notice("hub", …)``."""

    def __init__(
        self,
        channels: ChannelService,
        hub: Hub,
        url: str,
        token_source: TokenSource,
        *,
        upload_backlog: Callable[[], Awaitable[int]] | None = None,
        min_delay: float = 0.2,
        max_delay: float = 10.0,
        status_every: float = 30.0,
    ) -> None:
        self.channels = channels
        self.hub = hub
        self.url = url.rstrip("/")
        self.token_source = token_source
        self.upload_backlog = upload_backlog
        self.min_delay = min_delay
        self.max_delay = max_delay
        self.status_every = status_every
        self.cursor = 0  # the last push id committed here in this run
        self.taken = 0
        self.state = "starting"
        self.connected = asyncio.Event()
        self._spare: dict[str, Connector] = {}
        self._task: asyncio.Task[None] | None = None
        self._session: aiohttp.ClientSession | None = None

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run(), name="hub-relay")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        if self._session is not None:
            await self._session.close()
            self._session = None

    def _set_state(self, state: str, level: str = "info") -> None:
        if state != self.state:
            self.state = state
            self.hub.notice(Notice(NOTICE_SOURCE, state, level, {"state": state, "url": self.url}))

    async def _run(self) -> None:
        delay = self.min_delay
        while True:
            try:
                await self._link()
                delay = self.min_delay  # a link that was up: come back quickly
            except asyncio.CancelledError:
                raise
            except _Refused:
                self._set_state(TOKEN_REFUSED, "error")
                delay = 30.0
            except (aiohttp.ClientError, OSError, TimeoutError) as exc:
                self._set_state(f"head office unreachable: {type(exc).__name__}", "warning")
            except Exception:
                log.exception("the hub relay link failed")
                self._set_state("head office link error (see the log)", "warning")
            self.connected.clear()
            await asyncio.sleep(delay * random.uniform(0.5, 1.0))
            delay = min(self.max_delay, delay * 2)

    async def _link(self) -> None:
        token = await asyncio.to_thread(self.token_source)
        if not token:
            raise _Refused
        if self._session is None:
            self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=None, sock_connect=5))
        try:
            ws = await self._session.ws_connect(
                f"{self.url}{RELAY_PATH}",
                params={"after": str(self.cursor)},
                headers={"Authorization": f"Bearer {token}"},
                heartbeat=10.0,
                max_msg_size=4 * 1024 * 1024,
            )
        except aiohttp.WSServerHandshakeError as exc:
            if exc.status in (401, 403):
                raise _Refused from exc
            raise
        async with ws:
            self._set_state("online")
            self.connected.set()
            reporter = asyncio.get_running_loop().create_task(self._report(ws))
            try:
                async for msg in ws:
                    if msg.type == aiohttp.WSMsgType.TEXT:
                        await self._message(ws, msg.data)
                    elif msg.type == aiohttp.WSMsgType.ERROR:
                        break
            finally:
                reporter.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await reporter
        if ws.close_code == REVOKED:
            raise _Refused
        raise ConnectionError(f"head office closed the link ({ws.close_code})")

    async def _report(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        """The counter's upload backlog, for the office page."""
        if self.upload_backlog is None:
            return
        while True:
            with contextlib.suppress(PosappError):
                await ws.send_json({"type": "status", "upload_backlog": await self.upload_backlog()})
            await asyncio.sleep(self.status_every)

    async def _message(self, ws: aiohttp.ClientWebSocketResponse, raw: str) -> None:
        try:
            data = json.loads(raw)
        except ValueError:
            return
        if not isinstance(data, dict) or data.get("type") != "push":
            return
        push_id = data.get("id")
        if not isinstance(push_id, int):
            return
        while not await self._take(data):  # not stored (disk full, order fetch failed): try again shortly
            await asyncio.sleep(1.0)
        await ws.send_json({"type": "ack", "id": push_id})
        self.cursor = max(self.cursor, push_id)
        self.taken += 1

    async def _take(self, data: dict[str, Any]) -> bool:
        """True once the push is committed here (or kept in quarantine): it may be acknowledged."""
        try:
            body = base64.b64decode(str(data.get("body", "")), validate=True)
            connector = self._connector(str(data.get("platform")))
        except (binascii.Error, PayloadError) as exc:
            log.warning("relayed push %s unreadable, skipped: %s", data.get("id"), exc)
            return True  # nothing here can ever read it; the hub keeps the original
        headers = data.get("headers") if isinstance(data.get("headers"), dict) else {}
        query = data.get("query") if isinstance(data.get("query"), dict) else {}
        content_type = str(data.get("content_type") or "").split(";")[0].strip() or None
        try:
            reply = await self.channels.take_verified(
                connector, body, headers=headers or {}, query=query or {}, content_type=content_type
            )
        except StorageError as exc:
            self._set_state(str(exc), "error")
            return False
        return reply.status < 300

    def _connector(self, platform: str) -> Connector:
        """The counter's own connector for the platform; one without credentials if it has none (it can still
        parse a push that carries its order)."""
        if platform in self.channels.connectors:
            return self.channels.connectors[platform]
        if platform not in self._spare:
            self._spare[platform] = registry.make(platform)
        return self._spare[platform]


class _Refused(Exception):
    """The hub refused the token (or there is none)."""


async def pair(url: str, code: str, *, timeout: float = 10.0) -> tuple[HubLink, str]:
    """Trade a pairing code for the store token at ``url``; the link and the token. ``ConfigError`` when the
    hub refuses or cannot be reached, in a sentence for the person at the counter."""
    url = url.rstrip("/")
    try:
        async with (
            aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=timeout)) as session,
            session.post(f"{url}/v1/pair", json={"code": code}) as resp,
        ):
            body = await resp.json(content_type=None)
    except (aiohttp.ClientError, OSError, TimeoutError, ValueError) as exc:
        raise ConfigError(f"Head office at {url} cannot be reached: {type(exc).__name__}") from exc
    if resp.status == 403:
        raise ConfigError("Head office refused the pairing code: it is wrong, used or expired.")
    if resp.status != 200 or not isinstance(body, dict) or not isinstance(body.get("token"), str):
        raise ConfigError(f"Head office at {url} did not pair this counter (HTTP {resp.status}).")
    return HubLink(url, str(body.get("store", ""))), body["token"]


async def pair_counter(
    url: str, code: str, *, data_dir: Path | None = None, token_ref: str = TOKEN_REF
) -> HubLink:
    """Pair this counter: the token into the keyring (``token_ref``), the hub's address into the counter's
    database, where the engine finds it at its next start. For the CLI and the settings screen alike."""
    from datetime import UTC, datetime

    from posapp.config import default_data_dir
    from posapp.store.db import open_database
    from posapp.store.settings import set_setting
    from posapp.vault import set_secret

    link, token = await pair(url, code)
    await asyncio.to_thread(set_secret, token_ref, token)
    db = await asyncio.to_thread(open_database, data_dir or default_data_dir())
    try:
        now = datetime.now(UTC)
        await db.run(
            lambda s: set_setting(
                s, URL_SETTING, {"url": link.url, "store": link.store}, now=now, by="pairing"
            )
        )
    finally:
        await asyncio.to_thread(db.close)
    return HubLink(link.url, link.store, token_ref)


async def relay_for(
    db: Database,
    settings: Settings,
    channels: ChannelService,
    hub: Hub,
    uploader: Uploader | None,
    *,
    demo: tuple[str, str] | None = None,
) -> RelayClient | None:
    """The started relay link for this counter, or None when it is not paired with a hub: the address from
    ``[hub] url`` in the settings, else from pairing (the database); the token by ``[hub] token_ref``."""
    from posapp.store.settings import get_setting
    from posapp.vault import get_secret

    if demo is not None:
        url, token = demo
        source: TokenSource = lambda: token  # noqa: E731
    else:
        section = settings.raw.get("hub")
        section = section if isinstance(section, dict) else {}
        paired = await db.run(lambda s: get_setting(s, URL_SETTING))
        url = str(section.get("url") or (paired or {}).get("url") or "")
        token_ref = str(section.get("token_ref") or TOKEN_REF)
        source = lambda: get_secret(token_ref)  # noqa: E731
    if not url:
        return None

    async def upload_backlog() -> int:
        assert uploader is not None
        return (await uploader.worker.state()).pending

    client = RelayClient(channels, hub, url, source, upload_backlog=upload_backlog if uploader else None)
    client.start()
    log.info("relay feed from head office at %s", url)
    return client
