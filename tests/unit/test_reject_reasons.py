"""A reason staff tap travels as text plus a code, and each platform gets its own code for it."""

from __future__ import annotations

from typing import Any

from posapp.connectors.demo import DemoConnector
from posapp.connectors.eleme import cancel_type
from posapp.domain.lifecycle import Action
from posapp.domain.reasons import REASON_TEXT, RejectReason, reason_code_for
from posapp.services.channels import ChannelService
from posapp.services.hub import Hub
from posapp.services.intake import IntakeService
from posapp.store.db import Database
from tests.factories import make_order


def test_every_reason_text_maps_back_to_its_code() -> None:
    assert {reason_code_for(text) for text in REASON_TEXT.values()} == set(RejectReason)
    assert reason_code_for("something typed by hand") is None


def test_planned_reject_push_carries_the_reason_code(db: Database, arun: Any) -> None:
    hub = Hub()
    channels = ChannelService(IntakeService(db, hub), hub, [DemoConnector(base_url="http://127.0.0.1:9")])
    order = make_order(platform="demo", external_id="R-1")
    (spec,) = channels.plan_pushes(order, Action.REJECT, "kitchen", REASON_TEXT[RejectReason.TOO_BUSY])
    kind, target, lane, payload = spec
    assert (kind, target, lane) == ("push", "demo", "demo:R-1")
    assert payload["reason"] == "Kitchen too busy"
    assert payload["reason_code"] == "too_busy"
    arun(channels.stop())


def test_eleme_gets_its_own_invalidate_type_for_our_codes() -> None:
    assert cancel_type("too_busy", "Kitchen too busy") == "restaurantTooBusy"
    assert cancel_type("sold_out", "Item sold out") == "foodSoldOut"
    assert cancel_type("out_of_range", "") == "distanceTooFar"
    assert cancel_type(None, "whatever") == "others"
