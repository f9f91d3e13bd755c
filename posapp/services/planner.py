"""Decides which durable jobs a change causes: platform pushes, print jobs, upload rows.

Planned inside the same transaction as the change, so a job exists if and only if the change does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from posapp.domain.lifecycle import Action
from posapp.domain.order import Order

# A hook gets (order, action or None for a new order, by, reason) and returns jobs to enqueue.
JobSpec = tuple[str, str, str, dict[str, Any]]  # (kind, target, lane, payload)
Hook = Callable[[Order, Action | None, str, str | None], list[JobSpec]]


@dataclass
class JobPlanner:
    """A list of hooks: the spooler, pusher and uploader each register what they need to hear."""

    hooks: list[Hook]

    def __init__(self) -> None:
        self.hooks = []

    def add(self, hook: Hook) -> None:
        self.hooks.append(hook)

    def plan(self, order: Order, action: Action | None, by: str, reason: str | None) -> list[JobSpec]:
        jobs: list[JobSpec] = []
        for hook in self.hooks:
            jobs.extend(hook(order, action, by, reason))
        return jobs
