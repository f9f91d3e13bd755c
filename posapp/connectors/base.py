"""What every platform connector provides. Connectors import the domain, never Qt, never the store."""

from __future__ import annotations

import hashlib
import hmac
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from posapp.domain.events import PlatformEvent
from posapp.domain.order import Order
from posapp.errors import PayloadError
from posapp.lazy import httpx  # imported on first use: posapp/lazy.py

Message = Order | PlatformEvent


def same_digest(given: str, expected: str) -> bool:
    """Constant-time comparison of a signature from a request with ours; a header or field of any text
    (non-ASCII, lone surrogates) is simply not equal, where ``hmac.compare_digest`` on str would raise."""
    return hmac.compare_digest(
        given.encode("utf-8", "surrogatepass"), expected.encode("utf-8", "surrogatepass")
    )


@contextmanager
def payload_errors(what: str) -> Iterator[None]:
    """Inside a parser: a missing field or a value of the wrong kind becomes one PayloadError naming ``what``.

    Our own PayloadErrors pass through unchanged; the body is then quarantined with that reason.
    """
    try:
        yield
    except (KeyError, TypeError, ValueError, AttributeError, ArithmeticError, RecursionError) as exc:
        raise PayloadError(f"{what} does not fit: {type(exc).__name__}: {exc}") from exc


class PushAction(StrEnum):
    """The store's actions a platform hears about."""

    ACCEPT = "accept"
    REJECT = "reject"
    READY = "ready"
    CANCEL = "cancel"
    SOLD_OUT = "sold_out"
    IN_STOCK = "in_stock"
    PAUSE = "pause"
    RESUME = "resume"


class CheckProblem(StrEnum):
    """What a Test connection found wrong, so the screens can say it in one sentence."""

    WRONG_SECRET = "wrong_secret"  # the platform refused our id or secret
    WRONG_SHOP = "wrong_shop"  # signed in, but the store / shop id is not ours or does not exist
    NO_NETWORK = "no_network"  # the platform could not be reached at all
    CLOCK_SKEW = "clock_skew"  # this computer's clock is too far off for signed calls
    REFUSED = "refused"  # anything else the platform answered


class CheckFailed(Exception):
    """``Connector.check`` found a problem; ``detail`` is the platform's own answer, for the log."""

    def __init__(self, problem: CheckProblem, detail: str = "") -> None:
        super().__init__(f"{problem.value}: {detail}" if detail else problem.value)
        self.problem = problem
        self.detail = detail


@dataclass(frozen=True, slots=True)
class WebhookReply:
    status: int
    body: bytes
    content_type: str = "application/json"


class Connector(ABC):
    """A delivery platform. ``verify`` runs before the body is trusted; ``parse`` maps it, once."""

    name: str = ""
    display_name: str = ""
    webhook_path: str | None = None

    def __init__(self, *, base_url: str, app_id: str = "", secret: str = "") -> None:
        self.base_url = base_url.rstrip("/")
        self.app_id = app_id
        self.secret = secret

    def configure(self, options: Mapping[str, Any], secret: Callable[[str], str | None]) -> None:
        """Platform-specific settings from ``[platforms.<name>]`` (store ids, extra keyring refs); default none."""
        return None

    def verify(self, *, headers: Mapping[str, str], body: bytes, query: Mapping[str, str]) -> None:
        """Raise ``SignatureError`` when the push is not from the platform (default: nothing to check)."""
        return None

    @abstractmethod
    def parse(self, body: bytes, *, content_type: str | None = None) -> list[Message]:
        """Turn one push body (or poll result) into orders and events; ``PayloadError`` if it cannot."""

    def check_push(self, body: bytes, *, content_type: str | None = None) -> None:
        """Whether a verified push can be read, without any network call: a head-office hub checks this before
        relaying, and quarantines the push with the ``PayloadError``'s reason. Default: it parses. A platform
        whose webhook is only a notice (``expand`` fetches the order) checks the notice itself."""
        self.parse(body, content_type=content_type)

    def message_key(self, *, headers: Mapping[str, str], body: bytes, query: Mapping[str, str]) -> str:
        """What identifies one delivery of a verified push, so a resend is applied once: by default a digest
        of the signed body (a platform resends the same bytes; a new message differs in id or timestamp).
        Connectors override it with the platform's message id, or when the signature covers more."""
        return "sha256:" + hashlib.sha256(body).hexdigest()

    def reply_ok(self) -> WebhookReply:
        return WebhookReply(200, b'{"ok":true}')

    def reply_error(self, status: int, reason: str) -> WebhookReply:
        import json

        return WebhookReply(status, json.dumps({"ok": False, "error": reason}).encode())

    async def expand(self, client: httpx.AsyncClient, body: bytes) -> list[bytes]:
        """Turn a verified push into the bodies to parse; platforms whose webhook is only a notice
        (Uber Eats) fetch the order here. Default: the push body itself."""
        return [body]

    async def poll(self, client: httpx.AsyncClient) -> list[bytes]:
        """Fetch new order bodies where the platform offers polling (default: push only)."""
        return []

    async def push(self, client: httpx.AsyncClient, action: PushAction, payload: Mapping[str, Any]) -> None:
        """Send the store's action to the platform; raise on anything but the platform's success answer."""
        raise NotImplementedError(f"{self.name} does not support {action}")

    async def check(self, client: httpx.AsyncClient) -> str:
        """Test connection: one real authenticated call (a token request, a shop lookup) that changes nothing;
        returns the store as the platform names it, or raises ``CheckFailed`` saying what is wrong.
        Network errors (httpx) are left to the caller. Default: nothing to call, so nothing to check."""
        return self.display_name or self.name

    # -- missed orders (issue 15) ------------------------------------------------------------------
    recovery_note: str = "its public API offers no list of orders to fetch"

    async def recover(self, client: httpx.AsyncClient) -> list[bytes] | None:
        """Order bodies the platform still holds for us (new or open) after the listener or the link was down,
        to parse through the same intake (an order already held stays one order). ``None``: the platform's
        public API cannot list them (``recovery_note`` says why); network errors are left to the caller."""
        return None

    # -- busy mode and prep times (issue 15) ---------------------------------------------------------
    ready_time_on_accept = False  # the accept call takes a ready time (payload ``ready_by``, Unix seconds)
    ready_time_note = ""  # how it does, for the screen
    busy_note = "its public API has no store prep-time or busy setting"
    accepted_delay_note = "its public API cannot move an accepted order's ready time"
