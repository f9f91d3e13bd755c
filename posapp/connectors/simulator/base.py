"""What one simulated platform provides: its API routes under ``/<name>``, and order delivery in its format."""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import httpx
from aiohttp import web

if TYPE_CHECKING:
    from posapp.connectors.simulator.server import Simulator

log = logging.getLogger(__name__)


@dataclass
class RecordedPush:
    """One call the app made to a simulated platform's API (confirm, reject, 出餐, sold out ...)."""

    platform: str
    path: str
    body: Any
    at: datetime = field(default_factory=lambda: datetime.now(UTC))


class PlatformSim(ABC):
    """A simulated platform. Routes live under ``/<name>``: the connector's base URL is ``sim.url_for(name)``.

    ``app_id`` and ``secret`` are the demo credentials the app's connector is configured with.
    """

    name: str = ""
    app_id: str = "demo-app"
    secret: str = "demo-secret"

    def __init__(self, sim: Simulator) -> None:
        self.sim = sim
        self.fail_next = 0  # tests: answer the next N API calls with the platform's error / HTTP 5xx

    @property
    def prefix(self) -> str:
        return f"/{self.name}"

    @abstractmethod
    def add_routes(self, app: web.Application) -> None:
        """Register this platform's API endpoints (under ``self.prefix``) that the connector calls."""

    @abstractmethod
    async def deliver(self, order: dict[str, Any]) -> None:
        """Hand a new canonical order to the app the way the platform does: signed webhook or poll queue."""

    async def cancel(self, external_id: str, reason: str = "用户取消") -> None:
        """Tell the app the customer cancelled (platforms that have such a message override this)."""
        raise NotImplementedError

    def record(self, request: web.Request, body: Any) -> None:
        self.sim.pushes.append(RecordedPush(self.name, request.path, body))

    async def post_webhook(self, path: str, *, content: bytes, headers: dict[str, str]) -> httpx.Response:
        """POST a body to the app's webhook listener (the app tells the simulator where it listens)."""
        if not self.sim.webhook_base:
            raise RuntimeError("the app's webhook listener is not known to the simulator")
        async with httpx.AsyncClient(timeout=5.0) as client:
            return await client.post(f"{self.sim.webhook_base}{path}", content=content, headers=headers)
