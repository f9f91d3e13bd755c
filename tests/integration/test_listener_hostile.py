"""Hostile but correctly signed pushes over loopback: each lands (cleaned) or is quarantined, never a 500."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest
from sqlalchemy import text

from posapp.connectors.meituan import MeituanConnector
from posapp.connectors.meituan import sign as meituan_sign
from posapp.connectors.own import OwnConnector, signed_headers
from posapp.domain import bounds
from posapp.errors import StorageError
from posapp.services.channels import ChannelService
from posapp.services.hub import Hub
from posapp.services.intake import IntakeService
from posapp.store import orders as repo
from posapp.store.db import Database

OWN_SECRET = "own-secret"
MT_SECRET = "mt-secret"
ORDER = json.loads((Path(__file__).parents[1] / "fixtures" / "own" / "order_pickup.json").read_text("utf-8"))


@dataclass
class Listener:
    db: Database
    base: str

    def orders(self) -> int:
        return self.db.call(repo.order_count)

    def quarantine(self) -> list[str]:
        with self.db.engine.connect() as conn:
            return list(conn.execute(text("SELECT reason FROM quarantine ORDER BY id")).scalars())

    def post_own(self, arun: Any, payload: Any, *, raw: bytes | None = None) -> httpx.Response:
        body = (
            raw
            if raw is not None
            else json.dumps(payload, ensure_ascii=False).encode("utf-8", "surrogatepass")
        )
        return arun(_post(f"{self.base}/webhooks/own", body, signed_headers(OWN_SECRET, body)))

    def post_meituan(self, arun: Any, fields: dict[str, str]) -> httpx.Response:
        params = {**fields, "app_id": "4917", "timestamp": str(int(time.time()))}
        params["sig"] = meituan_sign(f"{self.base}/meituan", params, MT_SECRET)
        body = urlencode(params).encode()
        return arun(
            _post(f"{self.base}/meituan", body, {"Content-Type": "application/x-www-form-urlencoded"})
        )


async def _post(url: str, body: bytes, headers: dict[str, str]) -> httpx.Response:
    async with httpx.AsyncClient() as client:
        return await client.post(url, content=body, headers=headers)


@pytest.fixture
def listener(db: Database, arun: Any) -> Iterator[Listener]:
    own = OwnConnector(secret=OWN_SECRET)
    meituan = MeituanConnector(base_url="http://127.0.0.1:1", app_id="4917", secret=MT_SECRET)
    channels = ChannelService(IntakeService(db, Hub()), Hub(), [own, meituan])
    port = arun(channels.start_listener("127.0.0.1", 0))
    yield Listener(db, f"http://127.0.0.1:{port}")
    arun(channels.stop())


def _order(**changes: Any) -> dict[str, Any]:
    order = json.loads(json.dumps(ORDER))
    for path, value in changes.items():
        *parents, leaf = path.split("__")
        target = order
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        target[leaf] = value
    return order


@pytest.mark.parametrize(
    "changes",
    [
        {"customer__order_count": 2**63},  # overflowed SQLite's INTEGER at insert
        {"customer__order_count": 10**4000},
        {"placed_at": "0001-01-01T00:00:00+14:00"},  # cannot be converted to UTC
        {"due_at": "9999-12-31T23:59:59-14:00"},
        {"external_id": "x" * 10_000},
        {"external_id": "abc\x1b"},
    ],
    ids=["order_count_2_63", "order_count_4000_digits", "year_1", "year_9999", "long_id", "escape_in_id"],
)
def test_a_signed_order_with_an_impossible_value_is_quarantined_with_200(
    listener: Listener, arun: Any, changes: dict[str, Any]
) -> None:
    resp = listener.post_own(arun, _order(**changes))
    assert resp.status_code == 200
    assert listener.orders() == 0
    [reason] = listener.quarantine()
    assert reason


def test_a_lone_surrogate_in_any_text_lands_as_a_replacement_character(listener: Listener, arun: Any) -> None:
    resp = listener.post_own(arun, _order(notes="no \ud800 onions", items__0__name="Pad \udfff Thai"))
    assert resp.status_code == 200
    assert listener.quarantine() == []
    [order] = listener.db.call(lambda s: repo.open_orders(s))
    assert order.notes == "no \ufffd onions"
    assert order.items[0].name == "Pad \ufffd Thai"


def test_a_huge_display_id_and_note_are_clipped_at_intake(listener: Listener, arun: Any) -> None:
    resp = listener.post_own(arun, _order(display_id="9" * 10_000, notes="n" * 100_000))
    assert resp.status_code == 200
    [order] = listener.db.call(lambda s: repo.open_orders(s))
    assert len(order.display_id) == bounds.DISPLAY_ID_MAX and order.display_id.endswith("…")
    assert len(order.notes or "") == bounds.NOTE_MAX


def test_the_same_signed_reminder_twice_counts_once(listener: Listener, arun: Any) -> None:
    order = _order()
    assert listener.post_own(arun, order).status_code == 200
    reminder = json.dumps({"event": "order.reminder", "external_id": order["external_id"]}).encode()
    headers = signed_headers(OWN_SECRET, reminder)
    for _ in range(2):  # a replay of the very same signed request, inside the 5-minute window
        assert arun(_post(f"{listener.base}/webhooks/own", reminder, headers)).status_code == 200
    [stored] = listener.db.call(lambda s: repo.open_orders(s))
    assert stored.reminders == 1
    later = signed_headers(OWN_SECRET, reminder, now=time.time() + 1)  # a second reminder, signed anew
    assert arun(_post(f"{listener.base}/webhooks/own", reminder, later)).status_code == 200
    [stored] = listener.db.call(lambda s: repo.open_orders(s))
    assert stored.reminders == 2


def test_the_same_signed_meituan_reminder_twice_counts_once(listener: Listener, arun: Any) -> None:
    assert listener.post_own(arun, _order()).status_code == 200  # an order to remind about: own, so no sim
    fields = {"order_id": "28983933105028871", "remind_id": "77", "remind_time": str(int(time.time()))}
    params = {**fields, "app_id": "4917", "timestamp": str(int(time.time()))}
    params["sig"] = meituan_sign(f"{listener.base}/meituan", params, MT_SECRET)
    body = urlencode(params).encode()
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    for _ in range(2):
        assert arun(_post(f"{listener.base}/meituan", body, form)).status_code == 200
    with listener.db.engine.connect() as conn:
        kept = conn.execute(text("SELECT count(*) FROM pending_messages WHERE kind = 'reminder'")).scalar()
    assert kept == 1  # the order has not come yet: one reminder waits for it, not two


def test_a_meituan_order_push_with_an_unusable_order_id_is_quarantined(listener: Listener, arun: Any) -> None:
    resp = listener.post_meituan(
        arun, {"order_id": "", "app_poi_code": "poi-1", "detail": "[]", "total": "1"}
    )
    assert resp.status_code == 200
    assert len(listener.quarantine()) == 1


def test_a_body_over_two_megabytes_is_refused_and_logged(
    listener: Listener, arun: Any, caplog: pytest.LogCaptureFixture
) -> None:
    body = b"{" + b" " * (2 * 1024 * 1024 + 10) + b"}"
    resp = arun(_post(f"{listener.base}/webhooks/own", body, signed_headers(OWN_SECRET, body)))
    assert resp.status_code == 413
    assert any("over" in r.getMessage() and "own" in r.getMessage() for r in caplog.records)
    assert listener.orders() == 0


def test_a_database_that_cannot_be_written_answers_503_so_the_platform_resends(
    listener: Listener, arun: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def disk_full(*_args: Any, **_kwargs: Any) -> Any:
        raise StorageError("Disk full: orders cannot be saved. Free space on this computer now.")

    monkeypatch.setattr(IntakeService, "ingest", disk_full)
    resp = listener.post_own(arun, _order())
    assert resp.status_code == 503
    assert listener.quarantine() == []  # nothing could be kept: the platform's resend is the copy
