"""The one durable-job outbox: print jobs, platform pushes and uploads are rows drained by workers.

A job is written in the same transaction as the change that causes it. Jobs in one lane run in id
order: a lane's head blocks the lane until it is done or parked.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Exists, Table, and_, delete, func, select, update
from sqlalchemy.orm import Session, aliased

from posapp.store.db import touch
from posapp.store.fast import FastInsert, json_text
from posapp.store.sealing import UPLOAD_KINDS, next_ids, seal, sealer_of, unseal
from posapp.store.tables import JobRow

PENDING, INFLIGHT, DONE, PARKED = "pending", "inflight", "done", "parked"


def topic(kind: str) -> str:
    """The commit-count topic (store/db.py CommitCounter) of jobs of ``kind`` that became due."""
    return f"jobs:{kind}"


@dataclass(frozen=True, slots=True)
class Job:
    id: int
    kind: str
    lane: str
    target: str
    order_id: int | None
    payload: dict[str, Any]
    attempts: int
    state: str
    last_error: str | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class QueueState:
    """What a status strip shows for one kind of job (and one target)."""

    pending: int
    parked: int
    last_error: str | None
    oldest_pending_at: datetime | None


def _job(session: Session, row: JobRow) -> Job:
    return Job(
        row.id,
        row.kind,
        row.lane,
        row.target,
        row.order_id,
        json.loads(_open_payload(session, row.kind, row.id, row.payload)),
        row.attempts,
        row.state,
        row.last_error,
        row.created_at,
    )


def _row(
    kind: str, target: str, lane: str | None, payload: dict[str, Any], order_id: int | None, now: datetime
) -> dict[str, Any]:
    """One new job's columns: pending, due now, in its lane (the target's own by default)."""
    return {
        "kind": kind,
        "target": target,
        "lane": lane or target,
        "order_id": order_id,
        "payload": json_text(payload),  # not sorted: read back, never compared
        "state": PENDING,
        "attempts": 0,
        "next_attempt_at": now,
        "created_at": now,
    }


def enqueue(
    session: Session,
    kind: str,
    target: str,
    payload: dict[str, Any],
    *,
    now: datetime,
    lane: str | None = None,
    order_id: int | None = None,
) -> int:
    values = _row(kind, target, lane, payload, order_id, now)
    _seal_payloads(session, [values])
    row = JobRow(**values)
    session.add(row)
    session.flush()
    touch(session, topic(kind))  # the job is due now: its worker sees a new count after this commits
    return row.id


def _seal_payloads(session: Session, rows: list[dict[str, Any]]) -> None:
    """In an encrypted database, the payloads that carry a customer (uploads: the whole order) sealed, each
    bound to its row: every row of the batch takes its id now (one statement shape for the batch)."""
    if sealer_of(session) is None or not any(r["kind"] in UPLOAD_KINDS for r in rows):
        return
    for row, job_id in zip(rows, next_ids(session, "jobs", len(rows)), strict=True):
        row["id"] = job_id
        if row["kind"] in UPLOAD_KINDS:
            row["payload"] = seal(session, row["payload"], "jobs", "payload", job_id)


def _open_payload(session: Session, kind: str, job_id: int, payload: str) -> str:
    return (unseal(session, payload, "jobs", "payload", job_id) or "") if kind in UPLOAD_KINDS else payload


JobSpec = tuple[str, str, str | None, dict[str, Any], int | None]  # (kind, target, lane, payload, order id)
_JOBS: Table = JobRow.__table__  # type: ignore[assignment]
_FAST_JOBS = FastInsert(_JOBS)


def enqueue_all(session: Session, specs: Iterable[JobSpec], *, now: datetime) -> None:
    """Queue every job of ``specs`` as ``enqueue`` would, in one statement and in their order (ids, hence
    lanes, follow it): what intake uses for the jobs one order plans."""
    specs_list = list(specs)
    if not specs_list:
        return
    session.flush()  # jobs of one lane keep their order also after jobs this session enqueued one by one
    rows = [
        _row(kind, target, lane, payload, order_id, now)
        for kind, target, lane, payload, order_id in specs_list
    ]
    _seal_payloads(session, rows)
    _FAST_JOBS.run(session.connection(), rows)
    for kind in {spec[0] for spec in specs_list}:
        touch(session, topic(kind))


def due_heads(session: Session, kind: str, *, now: datetime, limit: int = 20) -> list[Job]:
    """The oldest unfinished job of each lane, where it is due now (a lane waits on its head)."""
    rows = session.scalars(
        select(JobRow)
        .where(
            JobRow.kind == kind, JobRow.state == PENDING, JobRow.next_attempt_at <= now, ~_behind_head(kind)
        )
        .order_by(JobRow.id)
        .limit(limit)
    ).all()
    return [_job(session, r) for r in rows]


def next_head_due_at(session: Session, kind: str) -> datetime | None:
    """When the first lane head of ``kind`` becomes due: the earliest time a claim can find work, as long
    as no job is added or finished (None: nothing waits). A job behind its lane's head never goes first."""
    return session.scalar(
        select(func.min(JobRow.next_attempt_at)).where(
            JobRow.kind == kind, JobRow.state == PENDING, ~_behind_head(kind)
        )
    )


def _behind_head(kind: str) -> Exists:
    """True for a job with an older unfinished job in its lane: it waits, whatever its own due time."""
    older = aliased(JobRow)
    return (
        select(older.id)
        .where(
            older.kind == kind,
            older.lane == JobRow.lane,
            older.state.in_((PENDING, INFLIGHT)),
            older.id < JobRow.id,
        )
        .exists()
    )


def due_batch(session: Session, kind: str, *, now: datetime, limit: int = 100) -> list[Job]:
    """Up to ``limit`` due jobs in id order, never letting a job overtake an earlier one of its lane.

    Used where one request carries many jobs (uploads). A lane whose oldest unfinished job is not yet
    due (it failed and waits for its retry) or is in flight is skipped whole; other lanes still go, so
    one failing order does not hold back the rest. With a single lane this stops at the first job that
    is not due.
    """
    chosen: list[int] = []
    blocked: set[str] = set()
    after = 0
    page = max(limit * 4, 500)
    while len(chosen) < limit:
        # Light columns only: a long offline backlog is scanned, not loaded.
        rows = session.execute(
            select(JobRow.id, JobRow.lane, JobRow.state, JobRow.next_attempt_at)
            .where(JobRow.kind == kind, JobRow.state.in_((PENDING, INFLIGHT)), JobRow.id > after)
            .order_by(JobRow.id)
            .limit(page)
        ).all()
        if not rows:
            break
        for job_id, lane, state, next_attempt_at in rows:
            after = job_id
            if lane in blocked:
                continue
            if state != PENDING or next_attempt_at > now:
                blocked.add(lane)
                continue
            chosen.append(job_id)
            if len(chosen) >= limit:
                break
    if not chosen:
        return []
    # Core rows, not ORM objects: a batch is read often and thrown away.
    loaded = session.execute(select(JobRow.__table__).where(JobRow.id.in_(chosen)).order_by(JobRow.id)).all()
    return [_job(session, r) for r in loaded]  # type: ignore[arg-type]


def mark_inflight(session: Session, job_ids: list[int], *, now: datetime) -> None:
    session.execute(
        update(JobRow)
        .where(JobRow.id.in_(job_ids))
        .values(state=INFLIGHT, attempts=JobRow.attempts + 1, next_attempt_at=now)
    )


def mark_done(session: Session, job_ids: list[int], *, now: datetime) -> None:
    session.execute(
        update(JobRow).where(JobRow.id.in_(job_ids)).values(state=DONE, done_at=now, last_error=None)
    )


def mark_failed(session: Session, job_ids: list[int], error: str, *, retry_at: datetime) -> None:
    session.execute(
        update(JobRow)
        .where(JobRow.id.in_(job_ids))
        .values(state=PENDING, last_error=error[:1000], next_attempt_at=retry_at)
    )


def park(session: Session, job_ids: list[int], reason: str, *, now: datetime) -> None:
    """Stop retrying: the job cannot succeed as it is (rejected by the receiver); it stays visible."""
    session.execute(
        update(JobRow)
        .where(JobRow.id.in_(job_ids))
        .values(state=PARKED, last_error=reason[:1000], done_at=now)
    )


def recover_inflight(session: Session, kind: str, *, mark: str | None = None) -> list[int]:
    """After a crash: jobs that were being sent may or may not have arrived; make them pending again.

    With ``mark``, each recovered job's payload gets ``{mark: true}`` so its handler knows it may be a
    duplicate (the print spooler prints it again marked REPRINT).
    """
    ids = list(session.scalars(select(JobRow.id).where(JobRow.kind == kind, JobRow.state == INFLIGHT)).all())
    if ids:
        session.execute(update(JobRow).where(JobRow.id.in_(ids)).values(state=PENDING))
        if mark:
            for job_id in ids:
                update_payload(session, job_id, **{mark: True})
    return ids


def update_payload(session: Session, job_id: int, **fields: Any) -> None:
    """Merge ``fields`` into a job's payload (a flag the next attempt must see)."""
    row = session.get(JobRow, job_id)
    if row is None:
        raise KeyError(job_id)
    payload = json.loads(_open_payload(session, row.kind, row.id, row.payload))
    payload.update(fields)
    text = json.dumps(payload, ensure_ascii=False, sort_keys=True)
    sealed = seal(session, text, "jobs", "payload", row.id) if row.kind in UPLOAD_KINDS else text
    row.payload = sealed or text


def retry_now(session: Session, kind: str, lane: str, *, now: datetime) -> int:
    """A person fixed the far side (reloaded paper): waiting jobs of ``lane`` are due now, not after backoff."""
    result = session.execute(
        update(JobRow)
        .where(
            JobRow.kind == kind, JobRow.lane == lane, JobRow.state == PENDING, JobRow.next_attempt_at > now
        )
        .values(next_attempt_at=now)
    )
    touch(session, topic(kind))  # due sooner than its worker last learned
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def queue_state(session: Session, kind: str, target: str | None = None) -> QueueState:
    cond = [JobRow.kind == kind]
    if target is not None:
        cond.append(JobRow.target == target)
    pending, oldest = session.execute(
        select(func.count(JobRow.id), func.min(JobRow.created_at)).where(
            and_(*cond), JobRow.state.in_((PENDING, INFLIGHT))
        )
    ).one()
    parked = session.scalar(select(func.count(JobRow.id)).where(and_(*cond), JobRow.state == PARKED)) or 0
    last_error = session.scalar(
        select(JobRow.last_error)
        .where(and_(*cond), JobRow.last_error.is_not(None), JobRow.state != DONE)
        .order_by(JobRow.id.desc())
        .limit(1)
    )
    return QueueState(pending or 0, parked, last_error, oldest)


def get_job(session: Session, job_id: int) -> Job:
    row = session.get(JobRow, job_id)
    if row is None:
        raise KeyError(job_id)
    return _job(session, row)


def jobs_for(
    session: Session, kind: str, *, order_id: int | None = None, target: str | None = None
) -> list[Job]:
    q = select(JobRow).where(JobRow.kind == kind)
    if order_id is not None:
        q = q.where(JobRow.order_id == order_id)
    if target is not None:
        q = q.where(JobRow.target == target)
    return [_job(session, r) for r in session.scalars(q.order_by(JobRow.id)).all()]


def jobs_for_orders(session: Session, kind: str, order_ids: Iterable[int]) -> list[Job]:
    """The jobs of ``kind`` of these orders, in id order: one query per 500 orders (a purge of many)."""
    ids = list(order_ids)
    out: list[Job] = []
    for start in range(0, len(ids), 500):
        q = select(JobRow).where(JobRow.kind == kind, JobRow.order_id.in_(ids[start : start + 500]))
        out += [_job(session, r) for r in session.scalars(q.order_by(JobRow.id)).all()]
    return sorted(out, key=lambda j: j.id)


def prune_done(session: Session, kind: str, *, older_than: timedelta, now: datetime) -> int:
    """Delete finished jobs older than ``older_than``; orders stay."""
    result = session.execute(
        delete(JobRow).where(JobRow.kind == kind, JobRow.state == DONE, JobRow.done_at < now - older_than)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
