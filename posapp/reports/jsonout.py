"""A Z-report as a JSON-ready dict for scripts: money stays integer minor units with the currency."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from posapp.reports.zreport import ZReport


def report_to_dict(report: ZReport) -> dict[str, Any]:
    out = _plain(report)
    out["average_order"] = report.average_order
    out["period"]["start"] = report.period.start.isoformat()
    out["period"]["end"] = report.period.end.isoformat()
    if report.cash is not None:  # the derived figures a script wants without redoing the sum
        out["cash"]["expected"] = report.cash.expected
        out["cash"]["variance"] = report.cash.variance
    if report.gateways is not None:
        g = report.gateways
        out["gateways"].update(
            payments=g.payments, amount=g.amount, fees=g.fees, refunded=g.refunded, net=g.net
        )
    return out


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, ZoneInfo):
        return value.key
    return value
