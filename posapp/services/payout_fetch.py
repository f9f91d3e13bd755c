"""Fetch a platform's settlement statement by API instead of a downloaded file: Uber Eats' Reporting API.

Who does what (the report is asked for by one process and announced to another):

1. The manager's side (``posapp payouts fetch``, the Payouts tab) asks Uber Eats for a Payment Details Report
   (``request``) and keeps the request in the database: ``payouts.fetch.<workflow_id>`` in the settings
   table (platform, days, who, currency, state). No download link is ever kept.
2. Uber Eats tells the store's webhook address when the report is ready (``eats.report.success``, signed
   like every Uber webhook; connectors/ubereats_reports.py has the sources). The engine's listener verifies
   it as it verifies orders and hands it to ``take_notice``: the report's CSV sections are downloaded and
   imported through ``PayoutService.import_parts``, the very path of a file import (same parser, same
   validation, same refusal of a statement imported before), in one transaction that also marks the
   request done: all of it, or nothing and the request failed with the reason. A failure webhook
   (``eats.report.failure``) fails the request with Uber's words.
3. The manager's side waits for the request's state (``wait``) and shows the reconciliation or the sentence.

Uber's Request Report page says there is no call yet to ask a workflow's status, so there is no polling of
Uber: no webhook, no report (``wait`` says so after its timeout, and marks the request abandoned so a late
report is not imported behind the manager's back).

The requests are kept ``KEEP`` (60 days) after they closed, then dropped at the engine's day close
(``prune``); so is a request still open that long (its manager's side stopped waiting long ago: a report
for it now is acknowledged and not imported, as for an abandoned one). The imported statement stays.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from posapp.connectors.base import Connector
from posapp.connectors.ubereats import UberEatsConnector
from posapp.connectors.ubereats_reports import (
    PAYMENT_DETAILS,
    ReportNotice,
    check_range,
    download,
    read_report_notice,
    request_report,
)
from posapp.errors import ConfigError, PlatformUnavailable, StatementError
from posapp.lazy import httpx  # imported on first use: posapp/lazy.py
from posapp.services.payouts import PayoutResult, PayoutService
from posapp.store import audit
from posapp.store.payouts import ImportInfo
from posapp.store.settings import get_setting, put_state
from posapp.store.tables import SettingRow

log = logging.getLogger(__name__)

PREFIX = "payouts.fetch."
REQUESTED, IMPORTED, FAILED, ABANDONED = "requested", "imported", "failed", "abandoned"
FETCHABLE = {"ubereats": "Uber Eats"}  # platforms whose statement posapp can fetch by API
FILE_ONLY = {"meituan": "Meituan", "eleme": "Ele.me", "doordash": "DoorDash"}  # README says why
WAIT_S = 600.0  # Uber makes a report in minutes ("not designed for real time": Reporting Guide)
KEEP = timedelta(
    days=60
)  # a request's row after it closed (what was fetched, by whom: also in the audit log)


def key_of(workflow_id: str) -> str:
    return f"{PREFIX}{workflow_id}"


@dataclass(frozen=True, slots=True)
class FetchRequest:
    workflow_id: str
    platform: str
    first: date
    last: date


class PayoutFetch:
    """Statements fetched by API: asked for here, imported when the platform's webhook says they are ready."""

    def __init__(self, payouts: PayoutService, client: Callable[[], httpx.AsyncClient] | None = None) -> None:
        self.payouts = payouts
        self.db = payouts.db
        self._client = client
        self._own: httpx.AsyncClient | None = None
        self.poll_s = 0.25
        # The engine's connectors by platform (the Payouts tab's Fetch asks the engine's own connector).
        self.connectors: Callable[[], Mapping[str, Connector]] = dict

    @property
    def client(self) -> httpx.AsyncClient:
        if self._client is not None:
            return self._client()
        if self._own is None:
            self._own = httpx.AsyncClient(timeout=httpx.Timeout(15.0, connect=5.0))
        return self._own

    async def close(self) -> None:
        if self._own is not None:
            await self._own.aclose()
            self._own = None

    # -- the manager's side ------------------------------------------------------------------------
    async def request(
        self, connector: Connector, first: date, last: date, *, by: str, currency: str
    ) -> FetchRequest:
        """Ask the platform for its statement of ``first``..``last``; kept as a request the webhook answers."""
        if not isinstance(connector, UberEatsConnector):
            raise ConfigError(
                f"{connector.display_name or connector.name} statements cannot be fetched by API"
            )
        check_range(first, last)
        workflow = await request_report(
            connector, self.client, PAYMENT_DETAILS, [connector.store_id], first, last
        )
        now = self.payouts.clock()
        state = {
            "platform": connector.name,
            "first": first.isoformat(),
            "last": last.isoformat(),
            "by": by,
            "currency": currency,
            "state": REQUESTED,
            "requested_at": now.isoformat(),
        }
        detail = json.dumps(
            {
                "platform": connector.name,
                "workflow_id": workflow,
                "first": state["first"],
                "last": state["last"],
            }
        )

        def work(session: Session) -> None:
            put_state(session, key_of(workflow), state, now=now)
            audit.record(session, "payout_fetch", at=now, by=by, detail=detail)

        await self.db.run(work)
        return FetchRequest(workflow, connector.name, first, last)

    async def fetch(
        self, platform: str, first: date, last: date, *, by: str, currency: str, timeout: float = WAIT_S
    ) -> PayoutResult:
        """The Payouts tab's *Fetch*: ``request`` with the engine's connector, then ``wait``. Every failure is
        a ``PosappError`` with its sentence (nothing imported)."""
        name = FETCHABLE.get(platform)
        if name is None:
            label = FILE_ONLY.get(platform, platform)
            raise ConfigError(f"{label} statements cannot be fetched by API: import the file")
        connector = self.connectors().get(platform)
        if connector is None:
            raise ConfigError(f"{name} is not connected: set it up in Shop setup first")
        try:
            request = await self.request(connector, first, last, by=by, currency=currency)
        except httpx.HTTPError as exc:
            raise PlatformUnavailable(f"{name} could not be reached: {exc or type(exc).__name__}") from exc
        return await self.wait(request, timeout)

    async def wait(self, request: FetchRequest, timeout: float = WAIT_S) -> PayoutResult:
        """The reconciliation of the fetched statement once the engine has imported it; ``StatementError``
        with the reason when the report failed or did not come in ``timeout`` seconds (nothing imported)."""
        loop = asyncio.get_running_loop()
        until = loop.time() + timeout
        key = key_of(request.workflow_id)
        while True:
            state = await self.db.run(lambda s: get_setting(s, key))
            if not isinstance(state, dict):
                raise StatementError(f"no report request {request.workflow_id} is known")
            if state.get("state") == IMPORTED:
                ids = [int(i) for i in state.get("imports", [])]
                if len(ids) == 1:
                    return await self.payouts.of_import(ids[0])
                return await self.payouts.between(request.first, request.last)
            if state.get("state") == FAILED:
                raise StatementError(str(state.get("reason") or "the report failed"))
            if state.get("state") == ABANDONED or loop.time() >= until:
                if await self.db.run(lambda s: _abandon(s, key, self.payouts.clock())):
                    continue  # answered just now after all: read its state again
                name = FETCHABLE.get(request.platform, request.platform)
                raise StatementError(
                    f"{name} sent no report in {timeout:.0f} seconds, nothing was imported: the report is "
                    "announced to posapp's webhook address, so posapp (or 'posapp engine') must be running "
                    "and that address set in the platform's developer dashboard"
                )
            await asyncio.sleep(self.poll_s)

    async def prune(self, keep: timedelta = KEEP) -> int:
        """Drop the request rows that closed (imported, failed, abandoned) more than ``keep`` ago, and those
        still open after as long; returns how many. The engine runs it at each day close."""
        before = self.payouts.clock() - keep
        dropped = await self.db.run(lambda s: _prune(s, before), background=True)
        if dropped:
            log.info("dropped %d payout fetch requests closed before %s", dropped, before.date())
        return dropped

    # -- the engine's side: the platform's webhook ---------------------------------------------------
    async def take_notice(self, connector: Connector, body: bytes) -> bool:
        """A verified push that may be a report webhook: False when it is not one (an order's, for the
        usual path); True when it was taken. ``PayloadError`` for a report webhook that cannot be read (the
        caller quarantines it); ``httpx.HTTPError`` when the report could not be downloaded (answer 5xx:
        Uber sends the webhook again)."""
        if connector.name not in FETCHABLE:
            return False
        notice = read_report_notice(body)
        if notice is None:
            return False
        key, state = await self.db.run(lambda s: _pending(s, notice))
        if state is None:
            log.info(
                "%s report %s is not one we asked for (or is done): acknowledged",
                connector.name,
                notice.job_id,
            )
            return True
        now = self.payouts.clock
        if not notice.ok:
            reason = f"Uber Eats could not make the report: {notice.reason or 'it gave no reason'}"
            await self.db.run(lambda s: _finish(s, key, FAILED, now(), reason=reason))
            return True
        try:
            parts = []
            for n, section in enumerate(notice.sections, start=1):
                data = await download(self.client, section)
                parts.append((_source(notice, state, n, len(notice.sections)), data))
            infos = await self.payouts.import_parts(
                connector.name,
                parts,
                by=str(state["by"]),
                currency=str(state["currency"]),
                also=lambda s, infos: _claim(s, key, infos, now()),
            )
        except StatementError as exc:  # a bad line, an expired link, imported before: nothing was kept
            reason = f"the Uber Eats report was not imported, nothing was kept: {exc}"  # "line N: ..."
            await self.db.run(lambda s: _finish(s, key, FAILED, now(), reason=reason, only_if=REQUESTED))
            return True
        except _Gone:
            return True  # abandoned by the manager's side meanwhile: nothing imported
        log.info("%s report %s imported as %s", connector.name, notice.job_id, [i.id for i in infos])
        return True


class _Gone(StatementError):
    """The request stopped being open while the report was downloaded."""


def _source(notice: ReportNotice, state: dict[str, Any], n: int, of: int) -> str:
    part = f" part {n}" if of > 1 else ""
    return f"Uber Eats {notice.report_type or 'report'} {state['first']}..{state['last']}{part} ({notice.job_id})"


def _pending(session: Session, notice: ReportNotice) -> tuple[str, dict[str, Any] | None]:
    """The open request this report answers: its key and state (None when there is none)."""
    for workflow in dict.fromkeys((notice.job_id, notice.job_id.split("_", 1)[0])):
        key = key_of(workflow)
        state = get_setting(session, key)
        if isinstance(state, dict) and notice.is_for(workflow):
            return key, state if state.get("state") == REQUESTED else None
    return "", None


def _claim(session: Session, key: str, infos: list[ImportInfo], now: datetime) -> None:
    """In the import's transaction: the request, still open, becomes imported (else nothing is stored)."""
    state = get_setting(session, key)
    if not isinstance(state, dict) or state.get("state") != REQUESTED:
        raise _Gone("the report request is no longer open")
    _finish(session, key, IMPORTED, now, imports=[info.id for info in infos])


def _finish(
    session: Session, key: str, to: str, now: datetime, *, only_if: str | None = None, **extra: Any
) -> None:
    state = get_setting(session, key)
    if not isinstance(state, dict):
        return
    if only_if is not None and state.get("state") != only_if:
        return
    state.update(extra, state=to, done_at=now.isoformat())
    put_state(session, key, state, now=now)


def _abandon(session: Session, key: str, now: datetime) -> bool:
    """Mark an unanswered request abandoned; True when it was answered (imported or failed) meanwhile."""
    state = get_setting(session, key)
    if isinstance(state, dict) and state.get("state") in (IMPORTED, FAILED):
        return True
    if isinstance(state, dict) and state.get("state") == REQUESTED:
        _finish(session, key, ABANDONED, now)
    return False


def _prune(session: Session, before: datetime) -> int:
    """Delete the ``payouts.fetch.*`` rows last changed before ``before`` (a closed request's last change is
    its close: ``_finish``; an open one's is its request)."""
    keys = list(
        session.scalars(
            select(SettingRow.key).where(
                SettingRow.key.startswith(PREFIX, autoescape=True), SettingRow.updated_at < before
            )
        )
    )
    if keys:
        session.execute(delete(SettingRow).where(SettingRow.key.in_(keys)))
    return len(keys)
