"""Store-level modes: auto-accept per platform, pause/busy, sold-out dishes — persisted and pushed."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from posapp.config import UI_PREFS_KEY
from posapp.services.clock import Clock, utc_now
from posapp.services.hub import Hub, Notice
from posapp.services.intake import IntakeService
from posapp.store import audit, catalogue
from posapp.store import jobs as jobstore
from posapp.store import settings as settings_repo
from posapp.store.db import Database

log = logging.getLogger(__name__)
PUSH_KIND = "push"


class KitchenService:
    """What the kitchen switches for the whole store. Every switch is a setting plus durable pushes."""

    def __init__(
        self,
        db: Database,
        hub: Hub,
        intake: IntakeService,
        *,
        platforms: Callable[[], list[str]],
        clock: Clock = utc_now,
    ) -> None:
        self.db = db
        self.hub = hub
        self.intake = intake
        self.platforms = platforms
        self.clock = clock
        self.paused_until: datetime | None = None
        self.paused = False

    async def load(self) -> None:
        """Restore the switches saved by the last run."""

        def work(session: Session) -> tuple[list[str], bool]:
            return (
                list(settings_repo.get_setting(session, "auto_accept", [])),
                bool(settings_repo.get_setting(session, "paused", False)),
            )

        auto, paused = await self.db.run(work)
        self.intake.auto_accept = set(auto) | self.intake.auto_accept
        self.paused = paused

    async def set_auto_accept(self, platform: str, on: bool, *, by: str = "staff") -> set[str]:
        wanted = set(self.intake.auto_accept)
        (wanted.add if on else wanted.discard)(platform)
        now = self.clock()
        await self.db.run(
            lambda s: settings_repo.set_setting(s, "auto_accept", sorted(wanted), now=now, by=by)
        )
        self.intake.auto_accept = wanted
        self.hub.notice(Notice("auto-accept", "", "info", {"platforms": sorted(wanted)}))
        return wanted

    async def set_paused(self, paused: bool, *, minutes: int | None = None, by: str = "staff") -> None:
        """Pause (busy) or resume the store on every platform; each platform hears it through a push job."""
        now = self.clock()
        action = "pause" if paused else "resume"

        def work(session: Session) -> None:
            settings_repo.set_setting(session, "paused", paused, now=now, by=by)
            for platform in self.platforms():
                jobstore.enqueue(
                    session,
                    PUSH_KIND,
                    platform,
                    {"action": action, "minutes": minutes},
                    now=now,
                    lane=f"{platform}:store",
                )

        await self.db.run(work)
        self.paused = paused
        self.hub.notice(
            Notice(
                "store", "Store paused" if paused else "", "warning" if paused else "info", {"paused": paused}
            )
        )

    async def menu(self) -> list[tuple[str, str | None, bool]]:
        return await self.db.run(settings_repo.menu)

    async def set_available(self, name: str, available: bool, *, by: str = "staff") -> list[str]:
        """Mark a dish sold out (or back) and push it to every platform that sells it; returns those platforms."""
        now = self.clock()
        known = set(self.platforms())
        action = "in_stock" if available else "sold_out"

        def work(session: Session) -> list[str]:
            settings_repo.set_available(session, name, available)
            # menu_items holds the state; the audit log says who changed it and when.
            audit.record(session, action, at=now, by=by, detail=name)
            targets = []
            # The catalogue's ids first (imported from the platform's menu or typed in), then the ids the
            # dish's orders carried on platforms the catalogue has none for.
            ids = catalogue.platform_ids(session, name)
            selling = [(p, i.item_id, i.sku_id) for p, i in ids.items()] + [
                (p, sku, None) for p, sku in settings_repo.platforms_selling(session, name) if p not in ids
            ]
            for platform, sku, sku_id in selling:
                if platform not in known or platform in targets:
                    continue
                payload = {"action": action, "item": name, "sku": sku}
                if sku_id:  # Meituan's sku_id, Ele.me's specId
                    payload |= {"sku_id": sku_id, "spec_id": sku_id}
                jobstore.enqueue(session, PUSH_KIND, platform, payload, now=now, lane=f"{platform}:menu")
                targets.append(platform)
            return targets

        targets = await self.db.run(work)
        log.info("%s marked %s, pushed to %s", name, action, targets)
        return targets

    async def ui_prefs(self) -> dict[str, Any]:
        """Screen preferences saved from the settings dialog (theme, text size, language, voice, kiosk)."""
        return dict(await self.db.run(lambda s: settings_repo.get_setting(s, UI_PREFS_KEY, {})))

    async def save_ui_prefs(self, prefs: dict[str, Any], *, by: str = "staff") -> None:
        now = self.clock()
        await self.db.run(lambda s: settings_repo.set_setting(s, UI_PREFS_KEY, prefs, now=now, by=by))
