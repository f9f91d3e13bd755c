"""Stripe's wire details without a server: the bracket form encoding and the Stripe-Signature check."""

from __future__ import annotations

import pytest

from posapp.payments.gateway import SignatureError
from posapp.payments.simulator.stripe import _unflatten
from posapp.payments.stripe_terminal import form, sign, verify_signature

BODY = b'{"id": "evt_1", "type": "payment_intent.succeeded"}'


def test_nested_params_are_encoded_in_stripes_bracket_form_and_read_back() -> None:
    params = {
        "amount": 1250,
        "payment_method_types": ["card_present"],
        "metadata": {"order_key": "phone:42", "note": None},
        "created": {"gte": 17},
        "livemode": False,
    }
    pairs = form(params)
    assert pairs == [
        ("amount", "1250"),
        ("payment_method_types[]", "card_present"),
        ("metadata[order_key]", "phone:42"),
        ("created[gte]", "17"),
        ("livemode", "false"),
    ]
    assert _unflatten(tuple(pairs)) == {
        "amount": "1250",
        "payment_method_types": ["card_present"],
        "metadata": {"order_key": "phone:42"},
        "created": {"gte": "17"},
        "livemode": "false",
    }


def test_a_signature_under_a_rolled_secret_verifies_when_one_v1_matches() -> None:
    old = sign(BODY, "whsec_old", 1_000).split(",v1=")[1]
    header = f"{sign(BODY, 'whsec_new', 1_000)},v1={old},v0=ignored"
    verify_signature(BODY, header, "whsec_old", now=1_010)
    verify_signature(BODY, header, "whsec_new", now=1_010)


@pytest.mark.parametrize(
    ("header", "now", "match"),
    [
        ("v1=abc", 1_000, "no timestamp"),
        ("t=1000", 1_000, "no timestamp or no v1"),
        (sign(BODY, "whsec_x", 1_000), 1_301, "more than the 300 s"),
        (sign(BODY, "whsec_x", 1_400), 1_000, "more than the 300 s"),  # from the future, too
        (sign(BODY, "whsec_other", 1_000), 1_000, "does not match"),
    ],
)
def test_bad_signatures_are_refused_with_the_reason(header: str, now: int, match: str) -> None:
    with pytest.raises(SignatureError, match=match):
        verify_signature(BODY, header, "whsec_x", now=now)
