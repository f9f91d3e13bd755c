"""Decides which durable jobs a change causes: platform pushes, print jobs, upload rows.

Planned inside the same transaction as the change, so a job exists if and only if the change does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from posapp.domain.lifecycle import Action
from posapp.domain.order import Order
from posapp.services.clock import utc_now

# A hook gets (order, action or None for a new order, by, reason) and returns jobs to enqueue.
JobSpec = tuple[str, str, str, dict[str, Any]]  # (kind, target, lane, payload)
Hook = Callable[[Order, Action | None, str, str | None], list[JobSpec]]


@dataclass(frozen=True, slots=True)
class ChangeFacts:
    """One change to an order as a record: what happened, when, by whom, from which status to which.

    ``event`` is "created", "status" (with ``action``), a platform event kind ("rider", "reminder",
    "refund_requested", ...) or a money event ("payment", "refund").
    """

    event: str
    at: datetime
    by: str
    from_status: str | None = None
    to_status: str | None = None
    action: str | None = None
    reason: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "event": self.event,
            "action": self.action,
            "from": self.from_status,
            "to": self.to_status,
            "by": self.by,
            "at": self.at.isoformat(),
            "reason": self.reason,
        }


# A change hook hears every change (status moves and the rest) with its facts: the uploader's view.
ChangeHook = Callable[[Order, ChangeFacts], list[JobSpec]]


@dataclass
class JobPlanner:
    """A list of hooks: the spooler, pusher and uploader each register what they need to hear."""

    hooks: list[Hook]
    change_hooks: list[ChangeHook]

    def __init__(self) -> None:
        self.hooks = []
        self.change_hooks = []

    def add(self, hook: Hook) -> None:
        self.hooks.append(hook)

    def add_change_hook(self, hook: ChangeHook) -> None:
        self.change_hooks.append(hook)

    def plan(
        self,
        order: Order,
        action: Action | None,
        by: str,
        reason: str | None,
        *,
        change: ChangeFacts | None = None,
    ) -> list[JobSpec]:
        """Jobs for a new order (``action`` None) or a status move; change hooks hear it too."""
        jobs: list[JobSpec] = []
        for hook in self.hooks:
            jobs.extend(hook(order, action, by, reason))
        if self.change_hooks:
            if change is None:  # a call site that does not know the facts: record what we can see
                change = ChangeFacts(
                    event="created" if action is None else "status",
                    at=utc_now(),
                    by=by,
                    to_status=order.status.value,
                    action=None if action is None else action.value,
                    reason=reason,
                )
            jobs.extend(self.plan_change(order, change))
        return jobs

    def plan_change(self, order: Order, change: ChangeFacts) -> list[JobSpec]:
        """Jobs for a change that is not a status move (rider, reminder, payment): change hooks only."""
        jobs: list[JobSpec] = []
        for hook in self.change_hooks:
            jobs.extend(hook(order, change))
        return jobs
