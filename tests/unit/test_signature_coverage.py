"""Every value a platform signs is covered by its signature: change one character of any signed field (or one
byte of a body signed whole), or add a field of any JSON type, and ``verify`` refuses; the push as signed
still verifies, so no case here passes on a connector that refuses everything.

Pushes come from the simulators' generators and are signed with the simulators' signing code
(``tests.webhook.signing``); ``verify`` is called directly, with the headers the listener would pass.
End-to-end cases over loopback are in ``tests/integration/test_webhook_security.py``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import parse_qsl

import pytest
from multidict import CIMultiDict

from posapp.connectors import registry
from posapp.connectors.base import Connector
from posapp.connectors.simulator import Simulator
from posapp.domain.order import Order
from posapp.errors import PayloadError, SignatureError
from tests.webhook.pushes import PLATFORMS, TEMPLATES, Push, dumps, form_text, with_fresh_id
from tests.webhook.signing import Signer, Wire, meituan_signed_text

HOST = "127.0.0.1:8080"  # the Host header the listener sees; Meituan signs the URL it pushes to
SIM = Simulator(platforms=PLATFORMS, seed=5)  # not started: its generators and signing code are enough
SIGNER = Signer(SIM, f"http://{HOST}")
PUSHES = {name: TEMPLATES[name](SIM) for name in PLATFORMS}
# One value of every JSON type, for "a field added after signing".
EVERY_TYPE: dict[str, Any] = {
    "string": "x",
    "empty string": "",
    "int": 1,
    "float": 1.5,
    "bool": True,
    "null": None,
    "list": [1, "a"],
    "object": {"a": 1},
}
POSITIONS_PER_FIELD = 48


def connector(name: str) -> Connector:
    plat = SIM.platforms[name]
    return registry.make(name, base_url="http://127.0.0.1:9", app_id=plat.app_id, secret=plat.secret)


CONNECTORS = {name: connector(name) for name in PLATFORMS}


def verify(name: str, wire: Wire, query: dict[str, str] | None = None) -> None:
    headers = CIMultiDict({"Host": HOST})
    for key, value in wire.headers.items():
        headers[key] = value.decode("utf-8", "surrogateescape") if isinstance(value, bytes) else value
    CONNECTORS[name].verify(headers=headers, body=wire.body, query=query or {})


def refused(name: str, wire: Wire, query: dict[str, str] | None = None) -> bool:
    try:
        verify(name, wire, query)
    except SignatureError:
        return True
    return False


def positions(text: str) -> list[int]:
    """Every position of a short text; evenly spaced ones (first and last included) of a long one."""
    if len(text) <= POSITIONS_PER_FIELD:
        return list(range(len(text)))
    step = (len(text) - 1) / (POSITIONS_PER_FIELD - 1)
    return sorted({round(i * step) for i in range(POSITIONS_PER_FIELD)})


def flip(c: str) -> str:
    """Another character of the same kind (a digit stays a digit, so a timestamp stays fresh)."""
    if c.isascii() and c.isdigit():
        return str((int(c) + 1) % 10)
    if c.isascii() and c.isalpha():
        return c.swapcase()
    if ord(c) > 0x2E80:
        return chr(ord(c) + 1)
    return "x" if c != "x" else "y"


def one_char_changes(text: str) -> Iterator[tuple[int, str]]:
    for i in positions(text):
        yield i, text[:i] + flip(text[i]) + text[i + 1 :]


def json_value_changes(value: Any, signed_text: Callable[[Any], str]) -> Iterator[tuple[str, Any]]:
    """Values whose signed text differs from ``value``'s: one character of its JSON text changed (where that
    still parses), and a value of each JSON type. (A string "1" and a number 1 sign alike on Meituan and Ele.me,
    both platforms sign text, so a change of type alone is not asked to be refused.)"""
    text = signed_text(value)
    candidates = [(f"char {i}", changed) for i, changed in one_char_changes(dumps(value))]
    for how, changed in candidates:
        try:
            other = json.loads(changed)
        except ValueError:
            continue
        if signed_text(other) != text:
            yield how, other
    for kind, other in EVERY_TYPE.items():
        if signed_text(other) != text:
            yield f"as {kind}", other


def hex_flip(c: str) -> str:
    """Another hex digit (signatures are compared case-insensitively, so a case change is no change)."""
    digits = "0123456789abcdef"
    return digits[(digits.index(c.lower()) + 1) % 16] if c.lower() in digits else "x"


def eleme_signed_text(value: Any) -> str:
    """Ele.me signs ``key=value`` with a value's text (its SDKs concatenate strings and numbers as they are)."""
    return value if isinstance(value, str) else str(value) if isinstance(value, int) else dumps(value)


def unchanged(push: Push) -> Push:
    return with_fresh_id(push)


# -- Meituan ----------------------------------------------------------------------------------------------
MT_FORM = unchanged(PUSHES["meituan"][0])
MT_FORM_PARAMS = SIGNER.meituan_params(MT_FORM)
MT_FORM_SIG = SIGNER.meituan_signature(MT_FORM, MT_FORM_PARAMS)
MT_JSON = unchanged(PUSHES["meituan"][1])
MT_JSON.payload.update({"is_favorites": False, "invoice_title": None, "extra_fees": [], "logistics": {}})
MT_JSON_PARAMS = SIGNER.meituan_params(MT_JSON)
MT_JSON_SIG = SIGNER.meituan_signature(MT_JSON, MT_JSON_PARAMS)


def mt_wire(push: Push, params: dict[str, Any], sig: str) -> Wire:
    return SIGNER.meituan_wire(push, params, sig=sig)


def test_meituan_pushes_as_signed_verify() -> None:
    verify("meituan", mt_wire(MT_FORM, MT_FORM_PARAMS, MT_FORM_SIG))
    verify("meituan", mt_wire(MT_JSON, MT_JSON_PARAMS, MT_JSON_SIG))


@pytest.mark.parametrize("field", sorted(MT_FORM_PARAMS))
def test_one_character_changed_in_any_meituan_form_field_is_refused(field: str) -> None:
    verify("meituan", mt_wire(MT_FORM, MT_FORM_PARAMS, MT_FORM_SIG))  # as signed: accepted
    text = form_text(MT_FORM_PARAMS[field])
    passed = [
        i
        for i, changed in one_char_changes(text)
        if not refused("meituan", mt_wire(MT_FORM, {**MT_FORM_PARAMS, field: changed}, MT_FORM_SIG))
    ]
    assert passed == [], f"{field}={text[:80]!r}: a change at these positions still verified"


@pytest.mark.parametrize("field", sorted(MT_JSON_PARAMS))
def test_any_change_to_any_field_of_a_meituan_json_push_is_refused(field: str) -> None:
    """Numbers, lists, objects, booleans and nulls included: they were outside the signature."""
    verify("meituan", mt_wire(MT_JSON, MT_JSON_PARAMS, MT_JSON_SIG))  # as signed: accepted
    value = MT_JSON_PARAMS[field]
    passed = [
        how
        for how, other in json_value_changes(value, meituan_signed_text)
        if not refused("meituan", mt_wire(MT_JSON, {**MT_JSON_PARAMS, field: other}, MT_JSON_SIG))
    ]
    assert passed == [], f"{field}={dumps(value)[:80]}: these changes still verified"


@pytest.mark.parametrize("field", ["order_id", "wm_order_id_view", "status", "total", "ctime", "day_seq"])
def test_a_meituan_field_re_encoded_as_percent_escapes_is_refused_or_read_as_signed(field: str) -> None:
    """``order_id=%32...`` decodes to the signed ``2...``: if verify accepts it for that, the parser must read
    the same text, or a captured push replays as a second order under the id ``%32...``."""
    text = form_text(MT_FORM_PARAMS[field])
    escaped = {**MT_FORM_PARAMS, field: f"%{ord(text[0]):02X}{text[1:]}"}
    wire = mt_wire(MT_FORM, escaped, MT_FORM_SIG)
    if refused("meituan", wire):
        return
    original = CONNECTORS["meituan"].parse(mt_wire(MT_FORM, MT_FORM_PARAMS, MT_FORM_SIG).body)
    try:
        read = CONNECTORS["meituan"].parse(wire.body)
    except PayloadError:
        return  # quarantined, not stored twice
    assert [m.to_canonical() for m in read if isinstance(m, Order)] == [
        m.to_canonical() for m in original if isinstance(m, Order)
    ], f"{field}={escaped[field]!r} verified as the signed {text!r} but was read as itself"


@pytest.mark.parametrize("kind", sorted(EVERY_TYPE))
def test_a_field_added_to_a_signed_meituan_push_is_refused(kind: str) -> None:
    value = EVERY_TYPE[kind]
    form = {**MT_FORM_PARAMS, "zz_added": form_text(value)}
    assert refused("meituan", mt_wire(MT_FORM, form, MT_FORM_SIG)), "form field"
    assert refused("meituan", mt_wire(MT_JSON, {**MT_JSON_PARAMS, "zz_added": value}, MT_JSON_SIG)), "JSON"
    as_query = mt_wire(MT_FORM, MT_FORM_PARAMS, MT_FORM_SIG)
    assert refused("meituan", as_query, query={"zz_added": form_text(value)}), "query parameter"


@pytest.mark.parametrize(
    "body",
    [
        {"order_id": 27000000000000001, "reason_code": 1101},  # the bypass: cancels a real order
        {"order_id": 27000000000000001, "remind_id": 1, "remind_time": 1700000000},
        {"order_id": [27000000000000001], "status": 9},
        {"order_id": {"id": 1}, "refund_status": 3.0},
        {"detail": [{"food_name": 1}], "total": 1, "order_id": 1, "ctime": 1700000000},
        {"x": None},
        {"x": True},
        {"x": []},
        {"x": {}},
        {"sig": 12345, "order_id": 1, "reason_code": 1101},
    ],
    ids=lambda b: "+".join(b)[:40],
)
def test_a_meituan_json_push_of_non_string_values_without_a_valid_sig_is_refused(
    body: dict[str, Any],
) -> None:
    wire = Wire(json.dumps(body).encode(), {"Content-Type": "application/json"})
    assert refused("meituan", wire)


def test_the_meituan_url_check_posts_nothing_and_needs_no_sig() -> None:
    verify("meituan", Wire(b"", {}))  # acknowledged with "ok"; nothing is stored (see the loopback tests)


# -- Ele.me -----------------------------------------------------------------------------------------------
ELM = unchanged(PUSHES["eleme"][0])
ELM_ENV = SIGNER.eleme_envelope(ELM)
ELM_SIG = SIGNER.eleme_signature_of(ELM_ENV)


def test_the_eleme_envelope_as_signed_verifies() -> None:
    verify("eleme", SIGNER.eleme_wire(ELM_ENV, sig=ELM_SIG))


@pytest.mark.parametrize("field", sorted(ELM_ENV))
def test_any_change_to_any_eleme_envelope_field_is_refused(field: str) -> None:
    verify("eleme", _elm(ELM_ENV))  # as signed: accepted
    value = ELM_ENV[field]
    changes = (
        [(f"char {i}", c) for i, c in one_char_changes(value)]
        if isinstance(value, str)
        else list(json_value_changes(value, eleme_signed_text))
    )
    passed = [how for how, other in changes if not refused("eleme", _elm({**ELM_ENV, field: other}))]
    assert passed == [], f"{field}={str(value)[:80]!r}: these changes still verified"


@pytest.mark.parametrize("kind", sorted(EVERY_TYPE))
def test_a_field_added_to_a_signed_eleme_envelope_is_refused(kind: str) -> None:
    assert refused("eleme", _elm({**ELM_ENV, "zz_added": EVERY_TYPE[kind]}))


def _elm(envelope: dict[str, Any]) -> Wire:
    return SIGNER.eleme_wire(envelope, sig=ELM_SIG)


# -- Uber Eats and the own site: the whole body is signed -------------------------------------------------
def _whole_body(name: str) -> tuple[bytes, dict[str, Any]]:
    push = unchanged(PUSHES[name][0])
    body = SIGNER.body_of(push)
    return body, SIGNER.auth_headers(name, body)


@pytest.mark.parametrize("name", ["ubereats", "own"])
def test_any_byte_flipped_in_a_body_signed_whole_is_refused(name: str) -> None:
    body, headers = _whole_body(name)
    verify(name, Wire(body, headers))
    step = max(1, len(body) // 200)
    passed = [
        i
        for i in range(0, len(body), step)
        if not refused(name, Wire(body[:i] + bytes([body[i] ^ 0x01]) + body[i + 1 :], headers))
    ]
    assert passed == [], f"flipping the byte at these offsets still verified: {passed[:10]}"


@pytest.mark.parametrize("name", ["ubereats", "own"])
@pytest.mark.parametrize("kind", sorted(EVERY_TYPE))
def test_a_field_added_to_a_body_signed_whole_is_refused(name: str, kind: str) -> None:
    body, headers = _whole_body(name)
    data = json.loads(body)
    data["zz_added"] = EVERY_TYPE[kind]
    assert refused(name, Wire(json.dumps(data).encode(), headers))


@pytest.mark.parametrize("name", ["ubereats", "own"])
def test_any_character_changed_in_the_signature_headers_is_refused(name: str) -> None:
    body, headers = _whole_body(name)
    passed = []
    for key in [k for k in headers if k.startswith("X-") and k != "X-Environment"]:
        value = headers[key]
        for i in positions(value):
            changed = value[:i] + hex_flip(value[i]) + value[i + 1 :]
            if not refused(name, Wire(body, {**headers, key: changed})):
                passed.append((key, i))
    assert passed == []


# -- DoorDash: an auth token, not a signature of the body -------------------------------------------------
# DoorDash's webhook carries the token set beside the endpoint in the Developer Portal (Webhook subscription
# guide), or a DD-JWT-V1 bearer token; neither covers the body, so only the token is checked here.
def test_any_character_changed_in_the_doordash_token_is_refused() -> None:
    body, headers = _whole_body("doordash")
    verify("doordash", Wire(body, headers))
    token = headers["Authorization"].removeprefix("Bearer ")
    passed = [i for i, t in one_char_changes(token) if not refused("doordash", _dd(body, f"Bearer {t}"))]
    assert passed == []
    for auth in (
        "",
        "Bearer",
        "Bearer ",
        f"Basic {token}",  # Basic carries base64 of the token, not the token itself
        f"Bearer {token}x",
        f"Bearer {token[:-1]}",
    ):
        assert refused("doordash", _dd(body, auth)), auth


def test_any_character_changed_in_a_doordash_jwt_is_refused() -> None:
    body, _ = _whole_body("doordash")
    jwt = CONNECTORS["doordash"].make_jwt()  # type: ignore[attr-defined]
    verify("doordash", _dd(body, f"Bearer {jwt}"))
    passed = [
        i
        for i, t in one_char_changes(jwt)
        if t.count(".") == 2 and not refused("doordash", _dd(body, f"Bearer {t}"))
    ]
    assert passed == []
    head, claims, _sig = jwt.split(".")
    assert refused("doordash", _dd(body, f"Bearer {head}.{claims}.")), "no signature"
    none_head = _b64url(json.dumps({"alg": "none", "typ": "JWT", "dd-ver": "DD-JWT-V1"}).encode())
    assert refused("doordash", _dd(body, f"Bearer {none_head}.{claims}.")), "alg none"


def _dd(body: bytes, auth: str) -> Wire:
    return Wire(body, {"Authorization": auth, "Content-Type": "application/json"})


def _b64url(data: bytes) -> str:
    import base64

    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


# -- every platform ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", PLATFORMS)
def test_every_template_push_as_signed_verifies(name: str) -> None:
    """The starting points of the fuzz tests and of the cases above are accepted as they are signed."""
    for template in PUSHES[name]:
        push = unchanged(template)
        verify(name, SIGNER.sign(push))
        if push.order is not None:
            verify(name, SIGNER.sign(push.order))


def test_meituan_form_fields_round_trip_the_form_encoding() -> None:
    """A guard on the test itself: what ``mt_wire`` sends decodes to the text that was signed."""
    wire = mt_wire(MT_FORM, MT_FORM_PARAMS, MT_FORM_SIG)
    sent = dict(parse_qsl(wire.body.decode(), keep_blank_values=True))
    assert set(sent) == set(MT_FORM_PARAMS) | {"sig"}
