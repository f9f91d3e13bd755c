"""Mutated Meituan and Ele.me payloads: a parser returns messages or raises PayloadError, never anything else;
through the channel service every failure is a quarantine row with its reason."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl, unquote, urlencode

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from posapp.connectors.base import Connector
from posapp.connectors.eleme import ElemeConnector
from posapp.connectors.meituan import MeituanConnector
from posapp.domain.events import PlatformEvent
from posapp.domain.order import Order
from posapp.errors import PayloadError
from posapp.services.channels import ChannelService
from posapp.services.hub import Hub
from posapp.services.intake import IntakeService
from posapp.store.db import Database
from tests.cn_fixtures import FIXTURES

MEITUAN_FORM = dict(
    parse_qsl((FIXTURES / "meituan" / "push_order_mt05.form.txt").read_text().strip(), keep_blank_values=True)
)
MEITUAN_JSON = json.loads((FIXTURES / "meituan" / "getneworders_lihua.json").read_text(encoding="utf-8"))
ELEME_ENVELOPE = json.loads(
    (FIXTURES / "eleme" / "push_type10_longmaixuan_boxfee.json").read_text(encoding="utf-8")
)
ELEME_ORDER = json.loads(ELEME_ENVELOPE["message"])

scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12)
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=8,
)


def mutate(value: Any, data: st.DataObject, depth: int = 0) -> Any:
    """Drop keys, replace values with arbitrary JSON, or recurse: the shapes a broken platform could send."""
    if isinstance(value, dict):
        out = {}
        for key, inner in value.items():
            choice = data.draw(st.integers(0, 9))
            if choice == 0:
                continue
            out[key] = data.draw(json_values) if choice == 1 else mutate(inner, data, depth + 1)
        if data.draw(st.integers(0, 19)) == 0:
            out[data.draw(st.text(max_size=6))] = data.draw(json_values)
        return out
    if isinstance(value, list):
        items = [mutate(v, data, depth + 1) for v in value]
        if items and data.draw(st.integers(0, 9)) == 0:
            items.pop(data.draw(st.integers(0, len(items) - 1)))
        return items
    if data.draw(st.integers(0, 14)) == 0:
        return data.draw(json_values)
    return value


def meituan_body(data: st.DataObject) -> bytes:
    fields = {}
    for key, value in MEITUAN_FORM.items():
        if key in ("detail", "poi_receive_detail", "extras") and data.draw(st.booleans()):
            value = json.dumps(mutate(json.loads(unquote(value)), data), ensure_ascii=False)
        elif data.draw(st.integers(0, 9)) == 0:
            continue
        elif data.draw(st.integers(0, 9)) == 0:
            value = data.draw(st.text(max_size=20))
        fields[key] = value
    return urlencode(fields).encode()


def eleme_body(data: st.DataObject) -> bytes:
    envelope = mutate(dict(ELEME_ENVELOPE), data)
    if data.draw(st.booleans()):
        envelope["message"] = json.dumps(mutate(ELEME_ORDER, data), ensure_ascii=False)
    return json.dumps(envelope, ensure_ascii=False).encode()


def check(connector: Connector, body: bytes) -> None:
    try:
        messages = connector.parse(body)
    except PayloadError as exc:
        assert str(exc)
        return
    assert all(isinstance(m, (Order, PlatformEvent)) for m in messages)
    for m in messages:
        if isinstance(m, Order):
            m.to_canonical()


MT = MeituanConnector(app_id="3987", secret="s")
ELM = ElemeConnector(app_id="65929831", secret="s")


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_mutated_meituan_form_pushes_never_crash_the_parser(data: st.DataObject) -> None:
    check(MT, meituan_body(data))


@settings(max_examples=100, deadline=None)
@given(st.data())
def test_mutated_meituan_json_answers_never_crash_the_parser(data: st.DataObject) -> None:
    check(MT, json.dumps(mutate(MEITUAN_JSON, data), ensure_ascii=False).encode())


@settings(max_examples=100, deadline=None)
@given(st.data())
def test_mutated_eleme_envelopes_never_crash_the_parser(data: st.DataObject) -> None:
    check(ELM, eleme_body(data))


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=200) | st.text(max_size=200).map(str.encode))
def test_arbitrary_bytes_never_crash_either_parser(body: bytes) -> None:
    check(MT, body)
    check(ELM, body)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_every_failure_through_the_channel_is_a_quarantine_row_with_a_reason(
    db: Database, arun: Any, data: st.DataObject
) -> None:
    channels = ChannelService(IntakeService(db, Hub()), Hub(), [MT, ELM])
    connector = data.draw(st.sampled_from([MT, ELM]))
    body = meituan_body(data) if connector is MT else eleme_body(data)

    def rows() -> list[tuple[str, str]]:
        with db.engine.connect() as conn:
            return [(r[0], r[1]) for r in conn.execute(text("SELECT platform, reason FROM quarantine"))]

    before = len(rows())
    try:
        arun(channels.handle_body(connector, body))
    except PayloadError:
        arun(channels.client.aclose())
        after = rows()
        assert len(after) == before + 1
        platform, reason = after[-1]
        assert platform == connector.name and reason
    else:
        arun(channels.client.aclose())
        assert len(rows()) == before
