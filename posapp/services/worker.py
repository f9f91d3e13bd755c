"""One asyncio worker shape for every durable queue (print spooler, platform push, upload).

Claims due jobs from the outbox, hands them to a handler, and records the outcome: done, retried with
exponential backoff and full jitter, or parked with a reason. Its state is published as a Notice.

A kick asks the database nothing when the worker knows nothing of its kind can be due: an empty claim
tells it when the first waiting job falls due, and the database's commit count for its kind says whether a
job was added since (a kick comes on every order change, most of which queue nothing for this worker).
A claim every ``idle_poll`` seconds stays as the safety net for jobs written by another process.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from posapp.services.clock import Clock, utc_now
from posapp.services.hub import Hub, Notice
from posapp.store import jobs as jobstore
from posapp.store.db import Database
from posapp.store.jobs import Job, QueueState

log = logging.getLogger(__name__)


class JobRejected(Exception):
    """The far side refused the job for good (bad data): park it, show it, do not retry forever."""


class WorkerHalted(Exception):
    """Retrying cannot help until a person acts (wrong token): stop the worker and say why."""


@dataclass
class Outcome:
    """What a handler did with a batch: ids done, ids to park with a reason, ids to retry with an error."""

    done: list[int] = field(default_factory=list)
    parked: dict[int, str] = field(default_factory=dict)
    retry: dict[int, str] = field(default_factory=dict)


Handler = Callable[[list[Job]], Awaitable[Outcome | None]]


def backoff_delay(attempts: int, *, base: float, cap: float, rng: random.Random) -> float:
    """Full-jitter exponential backoff (AWS architecture blog): uniform(0, min(cap, base * 2**n))."""
    return rng.uniform(0, min(cap, base * (2 ** max(0, attempts - 1))))


FINISHED_JOBS_KEPT = timedelta(days=30)  # printed tickets and platform pushes: a month of history


class JobWorker:
    """Drains one kind of job. ``batch=False`` sends each lane's head alone; ``batch=True`` sends many."""

    def __init__(
        self,
        db: Database,
        hub: Hub,
        kind: str,
        handler: Handler,
        *,
        name: str | None = None,
        clock: Clock = utc_now,
        batch_size: int = 1,
        base_delay: float = 1.0,
        max_delay: float = 60.0,
        idle_poll: float = 1.0,
        settle: float = 0.0,
        rng: random.Random | None = None,
        batched: bool = False,
        recover_mark: str | None = None,
        keep_done: timedelta | None = None,
        prune_interval: float = 3600.0,
    ) -> None:
        self.db = db
        self.hub = hub
        self.kind = kind
        self.handler = handler
        self.name = name or kind
        self.clock = clock
        self.batch_size = batch_size
        self.base_delay = base_delay
        self.max_delay = max_delay
        self.idle_poll = idle_poll
        self.settle = settle
        self.rng = rng or random.Random()
        self.batched = batched
        self.recover_mark = recover_mark  # payload flag on jobs recovered from inflight (may be duplicates)
        self.keep_done = keep_done  # finished jobs older than this are deleted (None: kept for ever)
        self.prune_interval = prune_interval
        self._last_prune: float | None = None
        self.halted: str | None = None
        self.enabled = True
        self.last_error: str | None = None
        # When the current run of failures began (no job done since): the status strip's "offline since".
        self.failing_since: datetime | None = None
        # Batched mode: after a failed batch, wait out its backoff even if new work is kicked in, so an
        # offline link is not hammered once per new order (the new rows go with the retry).
        self._hold_until: float | None = None
        self.passes = 0  # loop passes so far: lets a drill see the worker is alive while it sends nothing
        self._topic = jobstore.topic(kind)
        # What the last empty claim learned: the commit count of this kind when it read the table (None:
        # look before trusting anything) and when its first waiting job falls due (None: none waits).
        self._seen: int | None = None
        self._next_due: datetime | None = None
        self._poll_at = 0.0  # loop time of the next safety-net claim
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    # -- lifecycle -------------------------------------------------------------------------------
    def start(self) -> None:
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._run(), name=f"worker-{self.name}")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass
            self._task = None

    def kick(self) -> None:
        """Something was committed: look now instead of at the next poll. The look reads only the commit
        count unless a job of this kind was added (store/jobs.py enqueue, retry_now) or one falls due."""
        self._wake.set()

    def recheck(self) -> None:
        """Claim at the next pass whatever was learned: for a change that did not go through enqueue."""
        self._seen = None
        self._wake.set()

    def resume(self) -> None:
        """After a person fixed what halted the worker (a new token), try again."""
        self.halted = None
        self._hold_until = None
        self.recheck()
        self.start()

    async def set_enabled(self, enabled: bool) -> None:
        """Switch sending off (jobs keep queueing) or back on (the backlog drains)."""
        self.enabled = enabled
        self._hold_until = None
        self.recheck()
        await self.publish_state()

    # -- one pass --------------------------------------------------------------------------------
    async def run_once(self) -> int:
        """Claim and handle one round of due jobs; returns how many jobs were handled."""
        jobs = await self._claim()
        if not jobs:
            return 0
        try:
            outcome = await self.handler(jobs) or Outcome(done=[j.id for j in jobs])
        except asyncio.CancelledError:
            # Stopped mid-send: leave the jobs pending again so nothing is lost (a print may be a REPRINT).
            await asyncio.shield(
                self.db.run(
                    lambda s: jobstore.recover_inflight(s, self.kind, mark=self.recover_mark), background=True
                )
            )
            raise
        except WorkerHalted as exc:
            self.halted = str(exc)
            outcome = Outcome(retry={j.id: str(exc) for j in jobs})
        except JobRejected as exc:
            outcome = Outcome(parked={j.id: str(exc) for j in jobs})
        except Exception as exc:  # the far side failed in a way we did not foresee: retry, log, show
            log.warning("%s: %s", self.name, exc, exc_info=not isinstance(exc, OSError))
            outcome = Outcome(retry={j.id: _describe(exc) for j in jobs})
        await self._record(jobs, outcome)
        return len(jobs)

    async def _claim(self) -> list[Job]:
        """Claim due jobs; when there are none, learn when the first waiting one falls due."""
        now = self.clock()
        self._seen = None  # until this claim succeeds, nothing is known
        self._poll_at = asyncio.get_running_loop().time() + self.idle_poll

        def claim(session: Session) -> tuple[list[Job], int, datetime | None]:
            # Read the count before the table: a job committed after this read shows as a newer count.
            seen = self.db.commits.count(self._topic)
            if self.batched:
                jobs = jobstore.due_batch(session, self.kind, now=now, limit=self.batch_size)
            else:
                jobs = jobstore.due_heads(session, self.kind, now=now, limit=self.batch_size)
            if jobs:
                jobstore.mark_inflight(session, [j.id for j in jobs], now=now)
                return jobs, seen, None
            return jobs, seen, jobstore.next_head_due_at(session, self.kind)

        jobs, seen, next_due = await self.db.run(claim, background=True)
        if not jobs:  # after handling jobs the next pass claims again: their lanes may have more
            self._seen, self._next_due = seen, next_due
        return jobs

    def _may_find_work(self) -> bool:
        """Whether a claim now could find a due job; False lets a kick pass without a query."""
        if self._seen is None or self.db.commits.count(self._topic) != self._seen:
            return True  # never looked, or a job of this kind was added since
        if self._next_due is not None and self._next_due <= self.clock():
            return True
        return asyncio.get_running_loop().time() >= self._poll_at

    async def _record(self, jobs: list[Job], outcome: Outcome) -> None:
        now = self.clock()
        attempts = {j.id: j.attempts + 1 for j in jobs}
        handled = set(outcome.done) | set(outcome.parked) | set(outcome.retry)
        # A job the handler did not mention was not confirmed: retry it.
        retry = dict(outcome.retry)
        for j in jobs:
            if j.id not in handled:
                retry[j.id] = "no answer for this job"

        # A batch that failed together retries together: one draw, so it is sent as one batch again.
        shared = (
            backoff_delay(max(attempts.values()), base=self.base_delay, cap=self.max_delay, rng=self.rng)
            if self.batched and retry
            else None
        )

        def record(session: Session) -> Any:
            if outcome.done:
                jobstore.mark_done(session, outcome.done, now=now)
            for job_id, reason in outcome.parked.items():
                jobstore.park(session, [job_id], reason, now=now)
            if shared is not None:  # one statement per distinct error, not one per job
                by_error: dict[str, list[int]] = {}
                for job_id, error in retry.items():
                    by_error.setdefault(error, []).append(job_id)
                for error, ids in by_error.items():
                    jobstore.mark_failed(session, ids, error, retry_at=now + timedelta(seconds=shared))
            else:
                for job_id, error in retry.items():
                    delay = backoff_delay(
                        attempts[job_id], base=self.base_delay, cap=self.max_delay, rng=self.rng
                    )
                    jobstore.mark_failed(session, [job_id], error, retry_at=now + timedelta(seconds=delay))
            # The queue's state for the status strip, read in the same transaction: one trip, not two.
            return self.read_state(session)

        state = await self.db.run(record, background=True)
        self.last_error = next(iter(retry.values()), None) if retry else None
        if outcome.done:
            self.failing_since = None
        elif retry and self.failing_since is None:
            self.failing_since = now
        if shared is not None and not outcome.done:
            self._hold_until = asyncio.get_running_loop().time() + shared
        self.show_state(state)

    async def state(self, *, background: bool = False) -> QueueState:
        return await self.db.run(lambda s: jobstore.queue_state(s, self.kind), background=background)

    async def publish_state(self) -> None:
        # Bookkeeping: a tap's transaction goes first.
        self.show_state(await self.db.run(self.read_state, background=True))

    def read_state(self, session: Session) -> Any:
        """What the screens are told of this queue (read after each round, in its record's transaction)."""
        return jobstore.queue_state(session, self.kind)

    def show_state(self, st: Any) -> None:
        """Tell the screens what ``read_state`` read (a subclass reads and tells its own shape)."""
        level = "error" if self.halted else ("warning" if self.last_error else "info")
        self.hub.notice(
            Notice(
                source=self.name,
                text=self.halted or self.last_error or "",
                level=level,
                data={
                    "pending": st.pending,
                    "parked": st.parked,
                    "last_error": self.halted or self.last_error,
                    "oldest_pending_at": st.oldest_pending_at,
                    "halted": self.halted is not None,
                    "enabled": self.enabled,
                    "failing_since": self.failing_since,
                    "stored_error": st.last_error,  # newest error kept on an unfinished or parked job
                },
            )
        )

    async def _run(self) -> None:
        await self.db.run(
            lambda s: jobstore.recover_inflight(s, self.kind, mark=self.recover_mark), background=True
        )
        await self.publish_state()
        while True:
            self.passes += 1
            self._wake.clear()  # a kick during this pass cuts the coming wait short
            handled = 0
            if self.enabled and self.halted is None and self._held() is None and self._may_find_work():
                try:
                    handled = await self.run_once()
                except asyncio.CancelledError:
                    raise
                except Exception:  # a storage error must not kill the worker; it retries at the next poll
                    log.exception("%s: pass failed", self.name)
            if handled:
                await asyncio.sleep(0)  # let the GUI breathe between batches
                continue
            await self._prune_when_due()
            # A timer instead of asyncio.wait_for: no inner task to cancel, so stopping is immediate.
            alarm = asyncio.get_running_loop().call_later(self._idle_wait(), self._wake.set)
            try:
                await self._wake.wait()
            finally:
                alarm.cancel()
            if (
                self.settle
            ):  # let the tap that caused this kick reach its screen before we compete for the CPU
                await asyncio.sleep(self.settle)

    async def prune_once(self) -> int:
        """Delete this kind's finished jobs older than ``keep_done`` (pending and parked ones stay)."""
        if self.keep_done is None:
            return 0
        keep, now = self.keep_done, self.clock()
        pruned = await self.db.run(
            lambda s: jobstore.prune_done(s, self.kind, older_than=keep, now=now), background=True
        )
        if pruned:
            log.info("%s: deleted %s finished jobs older than %s", self.name, pruned, keep)
        return pruned

    async def _prune_when_due(self) -> None:
        """At most once per ``prune_interval``, while idle: the outbox does not grow for ever."""
        now = asyncio.get_running_loop().time()
        if self.keep_done is None or (
            self._last_prune is not None and now - self._last_prune < self.prune_interval
        ):
            return
        self._last_prune = now
        try:
            await self.prune_once()
        except Exception:  # a storage error must not kill the worker; the next interval tries again
            log.exception("%s: pruning finished jobs failed", self.name)

    def _held(self) -> float | None:
        """Seconds left of a failed batch's backoff, or None."""
        if self._hold_until is None:
            return None
        left = self._hold_until - asyncio.get_running_loop().time()
        if left <= 0:
            self._hold_until = None
            return None
        return left

    def _idle_wait(self) -> float:
        """Sleep until the next retry falls due (a backoff shorter than the poll), else until the poll."""
        if not self.enabled or self.halted is not None:
            return self.idle_poll
        held = self._held()
        if held is not None:
            return held
        wait = min(self.idle_poll, max(0.0, self._poll_at - asyncio.get_running_loop().time()))
        if self._seen is not None and self._next_due is not None:
            ahead = (self._next_due - self.clock()).total_seconds()
            wait = min(wait, max(0.0, ahead))
        return wait


def _describe(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    return text if len(text) < 300 else text[:297] + "..."
