"""Uber Eats Reporting API: ask for a Payment Details Report, read the webhook that says it is ready, download it.

Sources (read with the docs search, December 2026):

- Reporting Guide, developer.uber.com/docs/eats/guides/reporting: merchant reports as CSV "for payout
  reconciliation"; not real time; up to 50 stores per request.
- Request Report, developer.uber.com/docs/eats/references/api/v1/post-eats-report: ``POST /v1/eats/report``
  with an OAuth 2.0 bearer token of scope ``eats.report``; body ``report_type`` (``PAYMENT_DETAILS_REPORT``
  among ten), ``store_uuids`` (or ``group_uuids``), ``start_date`` / ``end_date`` (YYYY-MM-DD, the store's
  local time zone); the Payment Details Report covers at most 30 days per request. The answer is a
  ``workflow_id``; errors 400 (invalid parameter), 403 (not allowed to see this store), 414 (input validation,
  e.g. the dates). The doc says a status call taking the workflow_id is "a future API": there is no polling,
  the report's completion is only told by webhook.
- Report Success Notification, developer.uber.com/docs/eats/references/api/webhooks.eats-report-success:
  ``event_type: eats.report.success``, sent to the app's primary webhook URL, signed like every Uber webhook
  (``X-Uber-Signature``, HMAC-SHA256 of the body under the client secret), acknowledged with 200 and an empty
  body, the report "via the report_metadata.sections[] fields", each section's ``download_url`` a pre-signed
  link. The job's id arrives as ``job_id`` in the integrations we read (public code, not Uber's page), which
  may carry a suffix after the workflow id (``<workflow_id>_<suffix>``): both are matched. The failure
  webhook is ``eats.report.failure`` (listed beside it in public integrations; its body is not documented,
  so any ``message`` / ``reason`` / ``error`` text is shown as it comes).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from posapp.connectors.fields import load_json_object, text
from posapp.domain import bounds
from posapp.errors import ConfigError, PayloadError, PlatformUnavailable, StatementError
from posapp.lazy import httpx  # imported on first use: posapp/lazy.py

if TYPE_CHECKING:
    from posapp.connectors.ubereats import UberEatsConnector

REPORT_SCOPE = "eats.report"
PAYMENT_DETAILS = "PAYMENT_DETAILS_REPORT"
SUCCESS, FAILURE = "eats.report.success", "eats.report.failure"
MAX_DAYS = 30  # Request Report: the Payment Details Report's range is at most 30 days
MAX_STORES = 50  # Reporting Guide: up to 50 stores per request
MAX_SECTIONS = 20
MAX_BYTES = 20 * 1024 * 1024  # as reports/statements.py refuses a bigger statement (layers: no import)


@dataclass(frozen=True, slots=True)
class Section:
    """One part of a finished report: its name and the pre-signed link it is downloaded from (never stored)."""

    section_id: str
    download_url: str


@dataclass(frozen=True, slots=True)
class ReportNotice:
    """An ``eats.report.success`` or ``eats.report.failure`` webhook, read."""

    event_type: str
    job_id: str
    report_type: str
    sections: tuple[Section, ...] = ()
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.event_type == SUCCESS

    def is_for(self, workflow_id: str) -> bool:
        return self.job_id == workflow_id or self.job_id.startswith(f"{workflow_id}_")


async def report_token(connector: UberEatsConnector, client: httpx.AsyncClient) -> str:
    """A client-credentials token of scope ``eats.report`` alone: the order token's scopes stay as they are
    (an app not approved for reporting must still take orders)."""
    resp = await client.post(
        connector.token_url,
        data={
            "client_id": connector.app_id,
            "client_secret": connector.secret,
            "grant_type": "client_credentials",
            "scope": REPORT_SCOPE,
        },
        timeout=10.0,
    )
    if resp.status_code in (400, 401, 403):
        raise ConfigError(
            "Uber Eats gave no reporting token: check the client id and secret, and that the app has "
            f"the eats.report scope in the Uber developer dashboard (HTTP {resp.status_code})."
        )
    resp.raise_for_status()
    token = resp.json().get("access_token")
    if not isinstance(token, str) or not token:
        raise PlatformUnavailable("Uber Eats answered the token request without a token")
    return token


def check_range(start: date, end: date) -> None:
    if end < start:
        raise StatementError(f"the last day {end} is before the first day {start}")
    if (end - start).days + 1 > MAX_DAYS:
        raise StatementError(
            f"Uber Eats gives at most {MAX_DAYS} days of payment details per report: "
            f"{start} to {end} is {(end - start).days + 1} days"
        )


async def request_report(
    connector: UberEatsConnector,
    client: httpx.AsyncClient,
    report_type: str,
    store_ids: Sequence[str],
    start: date,
    end: date,
) -> str:
    """``POST /v1/eats/report``; returns the ``workflow_id`` the finished report's webhook will name."""
    stores = [s for s in store_ids if s]
    if not stores:
        raise ConfigError("Uber Eats reports need the store's id: set store_id under [platforms.ubereats].")
    if len(stores) > MAX_STORES:
        raise ConfigError(f"Uber Eats reports take at most {MAX_STORES} stores per request")
    check_range(start, end)
    token = await report_token(connector, client)
    body = {
        "report_type": report_type,
        "store_uuids": stores,
        "start_date": start.isoformat(),
        "end_date": end.isoformat(),
    }
    resp = await client.post(
        f"{connector.base_url}/v1/eats/report",
        json=body,
        headers={"Authorization": f"Bearer {token}"},
        timeout=15.0,
    )
    if resp.status_code in (400, 414):
        raise StatementError(f"Uber Eats refused the report request: {_message(resp)}")
    if resp.status_code in (401, 403):
        raise ConfigError(
            "Uber Eats does not let this app read the store's reports (HTTP "
            f"{resp.status_code}): is the reporting app installed for store {stores[0]}?"
        )
    if resp.status_code == 429 or resp.status_code >= 500:
        raise PlatformUnavailable(f"Uber Eats cannot take the report request now (HTTP {resp.status_code})")
    resp.raise_for_status()
    answer = load_json_object(resp.content, "Uber Eats report answer")
    workflow = text(answer.get("workflow_id"))
    if workflow is None:
        raise PlatformUnavailable("Uber Eats answered the report request without a workflow_id")
    return bounds.identifier(workflow, "workflow_id")


def read_report_notice(body: bytes) -> ReportNotice | None:
    """The report webhook in ``body``; None when it is another Uber webhook (an order's)."""
    try:
        data = load_json_object(body, "Uber Eats webhook")
    except PayloadError:
        return None
    event_type = data.get("event_type")
    if event_type not in (SUCCESS, FAILURE):
        return None
    raw_meta, raw_metadata = data.get("meta"), data.get("report_metadata")
    meta: dict[str, Any] = raw_meta if isinstance(raw_meta, dict) else {}
    job = text(data.get("job_id")) or text(data.get("workflow_id")) or text(meta.get("resource_id"))
    if job is None:
        raise PayloadError(f"Uber Eats {event_type} without job_id")
    job = bounds.identifier(job, "job_id")
    metadata: dict[str, Any] = raw_metadata if isinstance(raw_metadata, dict) else {}
    sections: list[Section] = []
    raw_sections = metadata.get("sections") or []
    if not isinstance(raw_sections, list) or len(raw_sections) > MAX_SECTIONS:
        raise PayloadError("Uber Eats report_metadata.sections is not a short list")
    for n, raw in enumerate(raw_sections):
        if not isinstance(raw, dict):
            raise PayloadError(f"Uber Eats report section {n} is not an object")
        url = text(raw.get("download_url"))
        if url is None or not url.startswith(("https://", "http://")):
            raise PayloadError(f"Uber Eats report section {n} has no download_url")
        sections.append(Section(text(raw.get("section_id")) or str(n + 1), url))
    if event_type == SUCCESS and not sections:
        raise PayloadError("Uber Eats eats.report.success without report_metadata.sections")
    reason = ""
    for key in ("message", "reason", "error", "failure_reason"):
        value: Any = data.get(key, metadata.get(key))
        if isinstance(value, dict):
            value = value.get("message") or value.get("code")
        if text(value):
            reason = str(text(value))[:200]
            break
    return ReportNotice(str(event_type), job, text(data.get("report_type")) or "", tuple(sections), reason)


async def download(client: httpx.AsyncClient, section: Section) -> bytes:
    """One section's CSV from its pre-signed link, with no token of ours (the link carries its own right)."""
    async with client.stream("GET", section.download_url, timeout=30.0) as resp:
        if resp.status_code in (403, 404, 410):
            raise StatementError(
                f"the Uber Eats report section {section.section_id} can no longer be downloaded "
                f"(HTTP {resp.status_code}): its link has expired; fetch the report again"
            )
        resp.raise_for_status()
        chunks: list[bytes] = []
        size = 0
        async for chunk in resp.aiter_bytes():
            size += len(chunk)
            if size > MAX_BYTES:
                raise StatementError(f"the Uber Eats report is larger than {MAX_BYTES // (1024 * 1024)} MB")
            chunks.append(chunk)
    return b"".join(chunks)


def _message(resp: httpx.Response) -> str:
    try:
        data = resp.json()
    except ValueError:
        return f"HTTP {resp.status_code}"
    if isinstance(data, dict) and data.get("message"):
        return f"{str(data['message'])[:160]} (HTTP {resp.status_code})"
    return f"HTTP {resp.status_code}"
