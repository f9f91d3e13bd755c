"""The status lifecycle: every allowed and every refused transition."""

from __future__ import annotations

import itertools

import pytest

from posapp.domain.lifecycle import TRANSITIONS, Action, allowed_actions, card_actions, is_open, next_status
from posapp.domain.order import OrderStatus as S
from posapp.errors import TransitionError

ALLOWED = {
    (S.NEW, Action.ACCEPT): S.ACCEPTED,
    (S.NEW, Action.REJECT): S.REJECTED,
    (S.NEW, Action.CANCEL): S.CANCELLED,
    (S.ACCEPTED, Action.START): S.PREPARING,
    (S.ACCEPTED, Action.CANCEL): S.CANCELLED,
    (S.PREPARING, Action.READY): S.READY,
    (S.PREPARING, Action.CANCEL): S.CANCELLED,
    (S.READY, Action.COMPLETE): S.COMPLETED,
    (S.READY, Action.CANCEL): S.CANCELLED,
    (S.COMPLETED, Action.RECALL): S.READY,
}


def test_transition_table_is_exactly_the_designed_lifecycle() -> None:
    assert TRANSITIONS == ALLOWED


@pytest.mark.parametrize(("status", "action"), sorted(ALLOWED))
def test_allowed_transition_leads_to_its_status(status: S, action: Action) -> None:
    assert next_status(status, action) is ALLOWED[(status, action)]


REFUSED = [pair for pair in itertools.product(S, Action) if pair not in ALLOWED]


@pytest.mark.parametrize(("status", "action"), REFUSED)
def test_refused_transition_raises_with_a_clear_message(status: S, action: Action) -> None:
    with pytest.raises(TransitionError, match=f"cannot {action.value} an order that is {status.value}"):
        next_status(status, action)


def test_unknown_action_is_refused() -> None:
    with pytest.raises(TransitionError, match="unknown action"):
        next_status("new", "teleport")


def test_terminal_states_allow_nothing_but_recall() -> None:
    assert allowed_actions(S.REJECTED) == ()
    assert allowed_actions(S.CANCELLED) == ()
    assert allowed_actions(S.COMPLETED) == (Action.RECALL,)


def test_card_buttons_follow_the_lifecycle() -> None:
    assert card_actions(S.NEW) == (Action.ACCEPT, Action.REJECT)
    assert card_actions(S.ACCEPTED) == (Action.START,)
    assert card_actions(S.PREPARING) == (Action.READY,)
    assert card_actions(S.READY) == (Action.COMPLETE,)
    assert card_actions(S.COMPLETED) == ()


def test_open_states() -> None:
    assert {s for s in S if is_open(s)} == {S.NEW, S.ACCEPTED, S.PREPARING, S.READY}
