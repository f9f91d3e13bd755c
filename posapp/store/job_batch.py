"""The jobs one change plans, written in one statement: ``jobs.enqueue`` for many rows at once."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Table, insert
from sqlalchemy.orm import Session

from posapp.store.db import touch
from posapp.store.jobs import PENDING, topic
from posapp.store.tables import JobRow

JobSpec = tuple[str, str, str | None, dict[str, Any], int | None]  # (kind, target, lane, payload, order id)

_JOBS: Table = JobRow.__table__  # type: ignore[assignment]
_INSERT = insert(_JOBS)


def enqueue_all(session: Session, specs: Iterable[JobSpec], *, now: datetime) -> None:
    """Queue every job of ``specs`` as ``jobs.enqueue`` would, in their order (ids, hence lanes, follow it)."""
    specs_list = list(specs)
    rows = [
        {
            "kind": kind,
            "target": target,
            "lane": lane or target,
            "order_id": order_id,
            "payload": json.dumps(payload, ensure_ascii=False, sort_keys=True),
            "state": PENDING,
            "attempts": 0,
            "next_attempt_at": now,
            "created_at": now,
        }
        for kind, target, lane, payload, order_id in specs_list
    ]
    if not rows:
        return
    session.flush()  # jobs of one lane keep their order also after jobs this session enqueued one by one
    session.connection().execute(_INSERT, rows)
    for kind in {spec_kind for spec_kind, *_ in specs_list}:
        touch(session, topic(kind))  # due now: the worker of each kind sees a new count after this commits
