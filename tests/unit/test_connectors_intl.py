"""Uber Eats, DoorDash and own-channel parsers: real fixtures normalize and reconcile; mutations never crash."""

from __future__ import annotations

import base64
import copy
import hashlib
import hmac
import json
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from posapp.cli import commands
from posapp.connectors import registry
from posapp.connectors.doordash import DoorDashConnector
from posapp.connectors.own import OwnConnector, signed_headers
from posapp.connectors.ubereats import UberEatsConnector
from posapp.domain.events import PlatformEvent, PlatformEventKind
from posapp.domain.order import Fulfillment, Order
from posapp.errors import PayloadError, SignatureError
from posapp.services.channels import ChannelService
from posapp.services.hub import Hub
from posapp.services.intake import IntakeService
from posapp.store import orders as repo
from posapp.store.db import Database

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SHARED_SAMPLES = Path(__file__).resolve().parents[3] / "shared" / "samples"  # ../shared beside the checkout
PLATFORMS = ("ubereats", "doordash", "own")


def order_files() -> list[tuple[str, Path]]:
    found = []
    for platform in PLATFORMS:
        for path in sorted((FIXTURES / platform).glob("*.json")):
            if not path.name.startswith(("webhook_orders_", "event_")):
                found.append((platform, path))
        if SHARED_SAMPLES.is_dir():
            found += [(platform, p) for p in sorted(SHARED_SAMPLES.glob(f"{platform}_*.json"))]
    return found


@pytest.mark.parametrize(("platform", "path"), order_files(), ids=lambda v: getattr(v, "name", v))
def test_every_fixture_normalizes_and_reconciles(platform: str, path: Path) -> None:
    orders = registry.parse_file(platform, path)
    assert orders
    for order in orders:
        assert order.platform == platform
        assert order.placed_at.tzinfo is not None
        assert all(isinstance(i.unit_price, int) for i in order.items)
        assert order.totals.reconciliation_gap() == 0, order.totals


@pytest.mark.parametrize(("platform", "path"), order_files(), ids=lambda v: getattr(v, "name", v))
def test_normalize_cli_prints_canonical_json(platform: str, path: Path, capsys: Any) -> None:
    assert commands.run("normalize", ["--platform", platform, str(path)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["platform"] == platform and "raw" not in out


def test_normalize_cli_refuses_with_one_line_reason(capsys: Any) -> None:
    bad = FIXTURES / "doordash" / "invalid" / "order_model_example_api_ref.json"
    assert commands.run("normalize", ["--platform", "doordash", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "quantity" in err
    notice = FIXTURES / "ubereats" / "webhook_orders_notification_doc.json"
    assert commands.run("normalize", ["--platform", "ubereats", str(notice)]) == 2
    assert "Get Order Details" in capsys.readouterr().err


def test_uber_doc_order_maps_modifiers_notes_and_relay_phone() -> None:
    body = (FIXTURES / "ubereats" / "order_details_v2_doc.json").read_bytes()
    order, rider = UberEatsConnector(base_url="").parse(body)
    assert isinstance(order, Order)
    assert isinstance(rider, PlatformEvent) and rider.detail == "Bruce: arrived at pickup"
    assert order.display_id == "BC953" and order.currency == "USD"
    muffin, coffee, _donut = order.items
    assert (muffin.unit_price, muffin.modifiers[0].name, muffin.modifiers[0].unit_price) == (
        300,
        "Chocolate deluxe",
        50,
    )
    assert coffee.note == "no Sugar; make it iced please"
    assert order.customer is not None and order.customer.phone_masked == "+1 555-555-5555 code 555 55 555"
    assert order.totals.total == 1399 and order.totals.tax == 52
    assert order.due_at is not None and order.due_at.utcoffset() is not None


def test_uber_cancel_webhook_is_a_cancel_event() -> None:
    body = (FIXTURES / "ubereats" / "webhook_orders_cancel.json").read_bytes()
    (event,) = UberEatsConnector(base_url="").parse(body)
    assert isinstance(event, PlatformEvent)
    assert event.kind is PlatformEventKind.CANCELLED
    assert event.external_id == "153dd7f1-339d-4619-940c-418943c14636"


def test_uber_amount_e5_is_read_as_cents() -> None:
    data = json.loads((FIXTURES / "ubereats" / "order_details_v2_doc.json").read_text())
    data["payment"]["charges"]["total"] = {"amount_e5": 1399000, "currency_code": "USD"}
    order = UberEatsConnector(base_url="").parse(json.dumps(data).encode())[0]
    assert isinstance(order, Order) and order.totals.total == 1399


def test_uber_signature_is_hex_hmac_of_the_raw_body() -> None:
    c = UberEatsConnector(base_url="", secret="s3cret")
    body = b'{"event_type":"orders.notification"}'
    good = hmac.new(b"s3cret", body, hashlib.sha256).hexdigest()
    c.verify(headers={"X-Uber-Signature": good}, body=body, query={})
    with pytest.raises(SignatureError):
        c.verify(headers={"X-Uber-Signature": good}, body=body + b" ", query={})


def test_uber_push_signed_with_an_empty_key_is_refused_without_a_client_secret() -> None:
    body = b'{"event_type":"orders.notification"}'
    forged = hmac.new(b"", body, hashlib.sha256).hexdigest()
    with pytest.raises(SignatureError, match="no Uber Eats client secret configured"):
        UberEatsConnector(base_url="").verify(headers={"X-Uber-Signature": forged}, body=body, query={})


@pytest.mark.parametrize(
    "header",
    ["é" * 64, "abc", "0" * 63, "g" * 64, "0" * 65, "\udcff" * 64, "0x" + "0" * 62],
    ids=["non-ascii", "short", "63-digits", "not-hex", "65-digits", "surrogates", "0x-prefix"],
)
def test_uber_signature_that_is_not_64_hex_digits_is_a_signature_error(header: str) -> None:
    c = UberEatsConnector(base_url="", secret="s3cret")
    with pytest.raises(SignatureError):
        c.verify(headers={"X-Uber-Signature": header}, body=b"{}", query={})


def test_doordash_sample_order_maps_nested_options_and_pickup() -> None:
    body = (FIXTURES / "doordash" / "webhook_order_create.json").read_bytes()
    (order,) = DoorDashConnector(base_url="").parse(body)
    assert isinstance(order, Order)
    assert order.fulfillment is Fulfillment.PICKUP
    assert [m.name for m in order.items[0].modifiers] == ["KETCHUP", "Salt"]
    assert order.totals.tax == 300 and order.totals.total == 2300
    assert order.customer is not None and order.customer.phone_masked == "85*-***-1040"


def test_doordash_accepts_token_basic_and_jwt_but_not_expired_jwt() -> None:
    # 32 bytes, as the Developer Portal's signing secrets decode to (shorter HS256 keys are refused).
    secret = base64.urlsafe_b64encode(b"signing-secret-of-thirty-two-b!!").rstrip(b"=").decode()
    c = DoorDashConnector(base_url="", app_id="dev:key", secret=secret)
    for auth in (
        f"Bearer {secret}",
        secret,
        "Basic " + base64.b64encode(f"doordash:{secret}".encode()).decode(),
        f"Bearer {c.make_jwt()}",
    ):
        c.verify(headers={"Authorization": auth}, body=b"{}", query={})
    for auth in ("Bearer nope", f"Bearer {c.make_jwt(now=time.time() - 3600)}", ""):
        with pytest.raises(SignatureError):
            c.verify(headers={"Authorization": auth}, body=b"{}", query={})


def test_own_signature_covers_timestamp_and_body_and_expires() -> None:
    c = OwnConnector(base_url="", secret="shared")
    body = (FIXTURES / "own" / "order_pickup.json").read_bytes()
    c.verify(headers=signed_headers("shared", body), body=body, query={})
    with pytest.raises(SignatureError, match="older than 5 minutes"):
        c.verify(headers=signed_headers("shared", body, now=time.time() - 301), body=body, query={})
    headers = signed_headers("shared", body)
    headers["X-Posapp-Timestamp"] = str(int(headers["X-Posapp-Timestamp"]) + 1)
    with pytest.raises(SignatureError, match="does not match"):
        c.verify(headers=headers, body=body, query={})


def test_own_order_cannot_pose_as_another_platform() -> None:
    data = json.loads((FIXTURES / "own" / "order_pickup.json").read_text())
    data["platform"] = "meituan"
    (order,) = OwnConnector(base_url="").parse(json.dumps(data).encode())
    assert isinstance(order, Order) and order.platform == "own"


# -- property-based: mutated payloads ----------------------------------------------------------------
JSON_LEAF = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**12), 10**12),
    st.integers(),  # beyond SQLite's 64-bit integers too
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
)
JSON_VALUE = st.recursive(
    JSON_LEAF,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=6,
)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix] if prefix else []
    if isinstance(node, dict):
        for k, v in node.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _paths(v, (*prefix, i))
    return out


@st.composite
def mutated(draw: st.DrawFn, base: Any) -> bytes:
    data = copy.deepcopy(base)
    for _ in range(draw(st.integers(1, 4))):
        paths = _paths(data)
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent = data
        for key in path[:-1]:
            parent = parent[key]
        if draw(st.booleans()) and isinstance(parent, dict):
            del parent[path[-1]]
        else:
            parent[path[-1]] = draw(JSON_VALUE)
    raw = json.dumps(data, allow_nan=True).encode()
    if draw(st.integers(0, 9)) == 0:  # now and then, a byte-level cut
        raw = raw[: draw(st.integers(0, len(raw)))]
    return raw


BASES = {
    "ubereats": json.loads((FIXTURES / "ubereats" / "order_details_v2_doc.json").read_text()),
    "doordash": json.loads((FIXTURES / "doordash" / "public_sample_mx_fleet_delivery.json").read_text()),
    "own": json.loads((FIXTURES / "own" / "order_pickup.json").read_text()),
}
CONNECTORS = {
    "ubereats": UberEatsConnector(base_url=""),
    "doordash": DoorDashConnector(base_url=""),
    "own": OwnConnector(base_url=""),
}


@pytest.mark.parametrize("platform", PLATFORMS)
def test_mutated_payloads_parse_or_raise_payload_error(platform: str) -> None:
    @settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(body=mutated(BASES[platform]))
    def check(body: bytes) -> None:
        try:
            messages = CONNECTORS[platform].parse(body)
        except PayloadError as exc:
            assert str(exc)
            return
        for m in messages:
            if isinstance(m, Order):
                m.to_canonical()
                assert all(isinstance(i.unit_price, int) for i in m.items)

    check()


@pytest.mark.parametrize("platform", PLATFORMS)
def test_mutated_payloads_through_channels_leave_a_quarantine_row_or_an_order(
    platform: str, db: Database, arun: Any
) -> None:
    intake = IntakeService(db, Hub())
    channels = ChannelService(intake, Hub(), [CONNECTORS[platform]])

    @settings(
        max_examples=25,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    @given(body=mutated(BASES[platform]))
    def check(body: bytes) -> None:
        before = db.call(repo.quarantine_count)
        try:
            arun(channels.handle_body(CONNECTORS[platform], body))
        except PayloadError:
            assert db.call(repo.quarantine_count) == before + 1

    check()
    arun(channels.stop())


def test_configure_reads_store_id_and_the_doordash_webhook_token_from_the_keyring() -> None:
    secrets = {"dd-webhook": "portal-token"}
    dd = DoorDashConnector(base_url="", app_id="dev:key", secret="c2lnbg")
    dd.configure({"store_id": "601135", "webhook_token_ref": "dd-webhook"}, secrets.get)
    assert dd.store_id == "601135"
    dd.verify(headers={"Authorization": "Bearer portal-token"}, body=b"{}", query={})
    uber = UberEatsConnector(base_url="https://sandbox-api.uber.com")
    uber.configure({"store_id": "c7f1"}, secrets.get)
    assert uber.store_id == "c7f1" and uber.token_url == "https://sandbox-api.uber.com/oauth/v2/token"


@pytest.mark.parametrize("platform", PLATFORMS)
def test_amounts_sqlite_cannot_hold_are_payload_errors(platform: str) -> None:
    data = copy.deepcopy(BASES[platform])
    if platform == "ubereats":
        data["cart"]["items"][0]["quantity"] = 1e30
    elif platform == "doordash":
        data["subtotal"] = 1e30
    else:
        data["totals"]["total"] = 10**30
    with pytest.raises(PayloadError):
        CONNECTORS[platform].parse(json.dumps(data).encode())
