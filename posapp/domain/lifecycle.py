"""The order status lifecycle as one transition table that services and the UI both ask."""

from __future__ import annotations

from enum import StrEnum

from posapp.domain.order import OrderStatus
from posapp.errors import TransitionError

S = OrderStatus


class Action(StrEnum):
    """What staff (or a platform) can do to an order."""

    ACCEPT = "accept"
    REJECT = "reject"
    START = "start"
    READY = "ready"
    COMPLETE = "complete"
    CANCEL = "cancel"
    RECALL = "recall"


# (from status, action) -> to status. The single source of truth for every allowed move.
TRANSITIONS: dict[tuple[OrderStatus, Action], OrderStatus] = {
    (S.NEW, Action.ACCEPT): S.ACCEPTED,
    (S.NEW, Action.REJECT): S.REJECTED,
    (S.ACCEPTED, Action.START): S.PREPARING,
    (S.PREPARING, Action.READY): S.READY,
    (S.READY, Action.COMPLETE): S.COMPLETED,
    (S.COMPLETED, Action.RECALL): S.READY,
    (S.NEW, Action.CANCEL): S.CANCELLED,
    (S.ACCEPTED, Action.CANCEL): S.CANCELLED,
    (S.PREPARING, Action.CANCEL): S.CANCELLED,
    (S.READY, Action.CANCEL): S.CANCELLED,
}

OPEN_STATUSES = frozenset({S.NEW, S.ACCEPTED, S.PREPARING, S.READY})

# The buttons a card shows, in order: the main forward move first. Cancel and recall live in the detail view.
_CARD_ACTIONS = (Action.ACCEPT, Action.REJECT, Action.START, Action.READY, Action.COMPLETE)


def next_status(current: OrderStatus | str, action: Action | str) -> OrderStatus:
    """The status ``action`` leads to from ``current``; ``TransitionError`` if the lifecycle forbids it."""
    status = OrderStatus(current)
    try:
        act = Action(action)
    except ValueError as exc:
        raise TransitionError(f"unknown action {action!r}") from exc
    try:
        return TRANSITIONS[(status, act)]
    except KeyError:
        raise TransitionError(f"cannot {act.value} an order that is {status.value}") from None


def allowed_actions(current: OrderStatus | str) -> tuple[Action, ...]:
    """Every action the lifecycle allows from ``current``, in table order."""
    status = OrderStatus(current)
    return tuple(act for (frm, act) in TRANSITIONS if frm == status)


def card_actions(current: OrderStatus | str) -> tuple[Action, ...]:
    """The one or two big buttons a queue card shows for ``current``."""
    allowed = set(allowed_actions(current))
    return tuple(act for act in _CARD_ACTIONS if act in allowed)


def is_open(current: OrderStatus | str) -> bool:
    """True while the kitchen still has something to do for the order."""
    return OrderStatus(current) in OPEN_STATUSES
