"""Missed-order recovery: at start-up, and whenever the link to head office or to a platform comes back after
an outage, ask the platforms for the orders they hold for us."""

from __future__ import annotations

import asyncio
import logging

from posapp.services.channels import ChannelService
from posapp.services.hub import Notice

log = logging.getLogger(__name__)

RELAY_SOURCE = "hub"  # posapp.services.relay.NOTICE_SOURCE: the relay link's state


class MissedOrders:
    """Runs ``ChannelService.recover_missed`` once at start-up and after every outage of the relay link; one
    run at a time (a link that flaps during a run asks once more when the run ends, not once per flap)."""

    def __init__(self, channels: ChannelService) -> None:
        self.channels = channels
        self.runs = 0  # finished runs: tests wait on this
        self._link_down = False
        self._platforms_down: set[str] = set()  # platforms whose connection (poll, order fetch) failed
        self._task: asyncio.Task[None] | None = None
        self._again: str | None = None

    def start(self, why: str = "start-up") -> None:
        """Ask now (in the background), or once more after the run in progress."""
        if self._task is not None and not self._task.done():
            self._again = why
            return
        self._task = asyncio.get_running_loop().create_task(self._run(why), name="missed-orders")

    def watch(self, notice: Notice) -> None:
        """Hub listener: the relay link, or a platform's connection, went down and came back -> ask again."""
        if notice.source.startswith("platform:"):
            self._platform(notice)
            return
        if notice.source != RELAY_SOURCE:
            return
        state = str(notice.data.get("state", notice.text))
        if state == "online":
            if self._link_down:
                self._link_down = False
                self.start("head-office link back")
        elif state != "starting":
            self._link_down = True

    def _platform(self, notice: Notice) -> None:
        name = str(notice.data.get("platform", notice.source.split(":", 1)[1]))
        state = str(notice.data.get("state", notice.text))
        if state == "online":
            if name in self._platforms_down:
                self._platforms_down.discard(name)
                self.start(f"{name} reachable again")
        elif state != "starting":
            self._platforms_down.add(name)

    async def _run(self, why: str) -> None:
        while True:
            try:
                await self.channels.recover_missed(why)
            except asyncio.CancelledError:
                raise
            except Exception:  # a storage error: the next outage or start-up asks again
                log.exception("missed-order recovery failed")
            self.runs += 1
            if self._again is None:
                return
            why, self._again = self._again, None

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None
