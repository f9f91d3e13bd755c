"""Mutated pushes through the real webhook listener on loopback, every platform, signed and forged.

One listener and one SQLite file serve the whole module (``tests.webhook_rig``); each example takes a valid
push from a simulator's order generator, gives it a fresh order id (an event's order is stored first),
mutates it (dropped fields, values of any JSON type, 5,000-digit numbers, lone surrogates, 100,000-character
strings, deep nesting, impossible dates), signs it with the platform's own rule or forges it, posts it, and
judges the answer by the rows it left:

- no answer is a 5xx, and nothing logs a traceback;
- a correctly signed push is stored (an order, event or pending-message row) or quarantined; only a
  duplicate or a message the platform documents as carrying nothing for the queue leaves no row;
- an unsigned or forged push is refused (401/403) and changes nothing.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.webhook.live import LiveListener, post_and_judge
from tests.webhook.mutation import Chooser, mutate
from tests.webhook.oracle import Verdict
from tests.webhook.pushes import PATHS, PLATFORMS, Push
from tests.webhook.signing import forgeries

FUZZ = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,  # the same examples on every run and in CI
    database=None,
    phases=(Phase.explicit, Phase.generate, Phase.shrink),  # no "explain" phase: it reruns every example
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveListener]:
    rig = LiveListener(Path(tmp_path_factory.mktemp("fuzz")) / "data").start()
    yield rig
    rig.stop()


def chooser(data: st.DataObject) -> Chooser:
    return Chooser(lambda lo, hi: data.draw(st.integers(lo, hi)))


def check(v: Verdict) -> None:
    """One assertion per promise, so Hypothesis reports (and shrinks) each broken promise on its own."""
    assert v.problem != "5xx", v.detail
    assert v.problem != "traceback logged", v.detail
    assert v.problem != "signed push refused", v.detail
    assert not (v.problem or "").startswith("signed push answered"), v.detail
    assert v.problem != "signed push neither stored nor quarantined", v.detail
    assert v.problem != "unsigned push changed the database", v.detail
    assert not (v.problem or "").startswith("unsigned push answered"), v.detail
    assert v.problem is None, v.detail


@pytest.mark.parametrize("platform", PLATFORMS)
@FUZZ
@given(data=st.data())
def test_a_mutated_push_is_stored_quarantined_or_refused_never_a_5xx(
    live: LiveListener, platform: str, data: st.DataObject
) -> None:
    ch = chooser(data)
    template = ch.pick(live.templates[platform])
    forged = forgeries(platform)
    how = ch.pick(("signed",) * len(forged) + forged)  # half signed, half forged one way or another
    check(post_and_judge(live, template, ch, how))


def _mutate_fetched_order(push: Push, ch: Chooser, *, signed: bool) -> Push:
    out = copy.copy(push)
    assert push.fetched is not None
    out.fetched = mutate(push.fetched, ch, "plain", sites=ch.int(1, 4))
    return out


@settings(FUZZ, max_examples=50)
@given(data=st.data())
def test_an_uber_order_fetched_after_a_signed_notification_is_stored_or_quarantined(
    live: LiveListener, data: st.DataObject
) -> None:
    """Uber Eats pushes only a notice; the order comes from Get Order Details, here the simulator serving a
    mutated order body for the notified id (what ``json.dumps`` can write: numbers up to 4,300 digits)."""
    ch = chooser(data)
    check(post_and_judge(live, live.templates["ubereats"][0], ch, "signed", mutate=_mutate_fetched_order))


@settings(FUZZ, max_examples=40)
@given(platform=st.sampled_from(PLATFORMS), body=st.binary(min_size=1, max_size=300))
def test_arbitrary_unsigned_bytes_are_refused_and_change_nothing(
    live: LiveListener, platform: str, body: bytes
) -> None:
    before = live.counts()
    resp = live.http.post(PATHS[platform], content=body, headers={"Content-Type": "application/json"})
    assert resp.status_code < 500, resp.text
    assert live.counts() == before
    if body.strip():  # an empty body is Meituan's and Ele.me's URL check: "ok", and nothing stored
        assert resp.status_code in (401, 403), (body, resp.status_code, resp.text)
