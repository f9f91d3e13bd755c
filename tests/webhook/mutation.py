"""Mutations that have broken parsers: dropped fields, values of any JSON type, huge numbers, lone
surrogates, very long strings, deep nesting, impossible dates. Choices come from a :class:`Chooser`, so the
benchmark drives them with ``random.Random`` and the tests with Hypothesis (which then shrinks them).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from tests.webhook.pushes import SYSTEM_FIELDS, Push, RawJSON


class Chooser:
    """Where a mutation's choices come from: ``random.Random`` (the benchmark) or Hypothesis (the tests)."""

    def __init__(self, draw_int: Callable[[int, int], int]) -> None:
        self.int = draw_int

    def pick(self, options: Any) -> Any:
        return options[self.int(0, len(options) - 1)]

    def one_in(self, n: int) -> bool:
        return self.int(0, n - 1) == 0


HUGE_DIGITS = (19, 20, 39, 41, 400, 4300, 4301, 5000)
SURROGATES = ("\ud800", "a\udfffb", "\udc80\udc80", "名\ud83d")
LONG_CHARS = ("x", "中", "😀", "\u202e", "\x1b", "%41", "\x00", " ", "\n")
LONG_SIZES = (300, 10_001, 100_000)
DEPTHS = (50, 1_000, 100_000)
DATES = (
    "0001-01-01T00:00:00+14:00",
    "9999-12-31T23:59:59-14:00",
    "0001-01-01T00:00:00Z",
    "2024-02-30T12:00:00Z",
    "2024-01-01T00:00:00",
    "2024-13-01T00:00:00+08:00",
    "2024-06-01T12:00:00.123456789+00:00",
    "2024-06-01T12:00:00+99:00",
    "1970-01-01T00:00:00Z",
    "+275760-09-13T00:00:00Z",
    "now",
    "",
)
EPOCHS = (-1, 0, 1, 253402300800, 10**13, 10**19, 2**63 - 1, 2**63, 2**64, -(2**63) - 1, 1e300, -1e300)
UNICODE_DIGITS = ("²", "١٢٣", "１２３", "٣", "߁")
PERCENT = ("100%41 fresh", "%ED%A0%80", "%", "%%", "%zz", "%2541", "%E4%B8%AD")
ODD_NUMBERS = (
    "-0",
    "1e400",
    "-1e400",
    "1E-400",
    "0.1e1",
    "NaN",
    "Infinity",
    "-Infinity",
    "1.0000000000000001",
)
SMALL_TEXT = ("", " ", "null", "None", "undefined", "0", "-1", "1.5", "true", "a", "中文", "😀", "\t")
SMALL_INTS = (0, 1, -1, 2, 100, 1101, 2**31, 2**53 + 1, -(2**31))
FLOATS = (0.0, -0.0, 0.5, 1e-7, 12.345, 1e16, float("nan"), float("inf"), float("-inf"))

# What each body may carry. "full": any JSON text at all. "canonical": numbers whose JSON text survives a
# decode and re-encode (a platform that signs a JSON value's text and one that re-encodes it agree).
# "plain": what ``json.dumps`` can write (the Uber simulator serves fetched orders with it).
PROFILES = ("full", "canonical", "plain")


def long_text(ch: Chooser) -> str:
    return ch.pick(LONG_CHARS) * ch.pick(LONG_SIZES)


def huge_number(ch: Chooser, profile: str) -> Any:
    digits = ch.pick(HUGE_DIGITS)
    sign = ch.pick(("", "-"))
    if profile == "plain" and digits > 4300:
        digits = 4300  # json.dumps cannot write more (sys.get_int_max_str_digits)
    if profile == "plain":
        return int(sign + "9" * digits)
    return RawJSON(sign + "9" * digits)


def deep(ch: Chooser, profile: str) -> Any:
    depth = ch.pick(DEPTHS)
    if profile == "plain":
        out: Any = []
        for _ in range(min(depth, 40)):
            out = [out]
        return out
    return RawJSON("[" * depth + "]" * depth)


def any_json(ch: Chooser, depth: int = 0) -> Any:
    """A small JSON value of any type."""
    kind = ch.int(0, 6 if depth < 2 else 4)
    if kind == 0:
        return None
    if kind == 1:
        return bool(ch.int(0, 1))
    if kind == 2:
        return ch.pick(SMALL_INTS)
    if kind == 3:
        return ch.pick(FLOATS)
    if kind == 4:
        return ch.pick(SMALL_TEXT)
    if kind == 5:
        return [any_json(ch, depth + 1) for _ in range(ch.int(0, 3))]
    return {ch.pick(SMALL_TEXT) + str(n): any_json(ch, depth + 1) for n in range(ch.int(0, 3))}


def nasty(ch: Chooser, profile: str) -> Any:
    """A value that has broken a parser somewhere: huge, deep, long, lone surrogates, odd dates, odd digits."""
    kind = ch.int(0, 11)
    if kind == 0:
        return huge_number(ch, profile)
    if kind == 1:
        return ch.pick(SURROGATES)
    if kind == 2:
        return long_text(ch)
    if kind == 3:
        return deep(ch, profile)
    if kind == 4:
        return ch.pick(DATES)
    if kind == 5:
        return ch.pick(EPOCHS)
    if kind == 6:
        return ch.pick(UNICODE_DIGITS)
    if kind == 7:
        return ch.pick(PERCENT)
    if kind == 8:
        odd = ch.pick(ODD_NUMBERS)
        if profile == "plain" or (profile == "canonical" and odd not in ("NaN", "Infinity", "-Infinity")):
            return float(odd) if odd not in ("-0",) else 0
        return RawJSON(odd)
    if kind == 9:
        return str(ch.pick(EPOCHS))
    return any_json(ch)


Path_ = tuple[Any, ...]


def paths(value: Any, prefix: Path_ = ()) -> list[Path_]:
    """Every field and list entry of ``value``, parents before children, in a stable order."""
    out: list[Path_] = []
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, inner in items:
        out.append((*prefix, key))
        out += paths(inner, (*prefix, key))
    return out


def mutate(value: Any, ch: Chooser, profile: str | Callable[[Path_], str], *, sites: int) -> Any:
    """``value`` with up to ``sites`` changes, each at a field or list entry: dropped, replaced by a nasty
    value or by any JSON value, or joined by a new sibling field. Few changes keep most of a push valid, so
    the parser gets past its first check; Hypothesis shrinks a failure to the one change that matters."""
    out = copy.deepcopy(value)
    where = paths(out)
    for _ in range(sites):
        if not where:
            break
        path = ch.pick(where)
        kind = profile(path) if callable(profile) else profile
        parent = out
        try:
            for key in path[:-1]:
                parent = parent[key]
            parent[path[-1]]  # noqa: B018 - an earlier change may have removed it
        except (KeyError, IndexError, TypeError):
            continue
        if not isinstance(parent, (dict, list)):
            continue  # an earlier change put text where this path went ("abc"[0] reads, but cannot be set)
        op = ch.int(0, 3)
        if op == 0:
            del parent[path[-1]]
        elif op == 1:
            parent[path[-1]] = nasty(ch, kind)
        elif op == 2:
            parent[path[-1]] = any_json(ch)
        elif isinstance(parent, dict):
            parent[ch.pick(SMALL_TEXT) + "_x"] = nasty(ch, kind) if ch.int(0, 1) else any_json(ch)
        else:
            parent.append(parent[path[-1]])
    return out


def mutated(push: Push, ch: Chooser, *, signed: bool) -> Push:
    """``push`` with its payload (and Uber's fetched order) changed at 0-4 places; a signed push keeps its
    system fields (app id, timestamp), which its platform sets when it signs."""
    out = copy.copy(push)
    system = SYSTEM_FIELDS.get(push.platform, set()) if signed else set()
    payload = {k: v for k, v in push.payload.items() if k not in system}
    targets = 2 if push.fetched is not None else 1
    sites = [ch.int(0, targets - 1) for _ in range(ch.int(0, 4))]
    out.payload = {
        **{k: v for k, v in push.payload.items() if k in system},
        **mutate(payload, ch, _profile(push), sites=sites.count(0)),
    }
    if push.fetched is not None:
        out.fetched = mutate(push.fetched, ch, "plain", sites=sites.count(1))
    return out


def _profile(push: Push) -> Callable[[Path_], str]:
    """Which JSON text a field may hold: any inside JSON carried as text (Meituan form fields, Ele.me's
    ``message``) and in bodies signed byte for byte; values whose text survives re-encoding where the
    platform signs each value (a Meituan JSON body, the Ele.me envelope)."""

    def profile(path: Path_) -> str:
        if push.platform == "meituan":
            return "full" if push.form else "canonical"
        if push.platform == "eleme":
            return "full" if path[0] == "message" and len(path) > 1 else "canonical"
        return "full"

    return profile
