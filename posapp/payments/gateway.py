"""The payment gateway contract: what Alipay, WeChat Pay and a Stripe Terminal reader each provide.

posapp never sees a card number; a mobile payment code passes through one call to the gateway and is never stored
or logged. Every call carries our own ``request_id`` (the idempotency key): sending the same call twice with the same
id never charges twice, so a job that crashed between "sent" and "answered" is resolved by asking ``query`` with
that id, never by charging again.

This layer is pure: it imports the domain, ``posapp.errors`` and httpx, never Qt, the store or the services.
"""

from __future__ import annotations

import abc
from dataclasses import dataclass, field
from enum import StrEnum

from posapp.domain.money import Money


class PayState(StrEnum):
    """Where a payment stands. Only ``PAID`` is money received; ``UNKNOWN`` is shown as such, never as paid."""

    PENDING = "pending"  # sent, the customer has not confirmed yet (Alipay WAIT_BUYER_PAY, WeChat USERPAYING)
    PAID = "paid"
    FAILED = "failed"  # declined: wrong code, insufficient balance, card declined
    CANCELLED = "cancelled"  # cancelled or reversed before money moved (customer too slow, cashier cancelled)
    UNKNOWN = "unknown"  # no answer we can trust (network cut, gateway error): ask ``query`` again later


FINAL = frozenset({PayState.PAID, PayState.FAILED, PayState.CANCELLED})


class Method(StrEnum):
    """How the customer pays."""

    SCAN_CODE = "scan_code"  # we scan the customer's payment code (Alipay bar_code, WeChat micropay)
    SHOW_QR = "show_qr"  # the customer scans our QR (Alipay precreate, WeChat Native)
    CARD_READER = "card_reader"  # a registered card reader (Stripe Terminal server-driven)


@dataclass(frozen=True, slots=True)
class Intent:
    """One payment we ask a gateway to take. ``request_id`` is ours and unique per attempt; it is the
    gateway's out_trade_no / idempotency key. ``code`` (a scanned payment code) is only in memory."""

    request_id: str
    order_key: str  # "<platform>:<external_id>" of the order being paid
    amount: Money
    method: Method
    subject: str = ""  # what the customer sees on their phone ("Noodle House order 42")
    code: str | None = field(default=None, repr=False)  # the customer's payment code: never logged or stored
    reader_id: str | None = None  # CARD_READER: which reader


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a gateway answered about one payment."""

    state: PayState
    transaction_id: str | None = None  # the gateway's trade_no / transaction_id / PaymentIntent id
    message: str = ""  # a sentence for the cashier ("Insufficient balance", "Waiting for the customer…")
    qr_url: str | None = None  # SHOW_QR: what to draw as the QR code
    fee: Money | None = None  # what the gateway charges for this payment, where it says
    raw_code: str = ""  # the gateway's own result/error code, for the audit log


@dataclass(frozen=True, slots=True)
class RefundOutcome:
    state: PayState  # PAID means refunded; PENDING means accepted, completes later; FAILED/UNKNOWN as above
    refund_id: str  # ours, the idempotency key of the refund
    transaction_id: str | None = None  # the gateway's refund id
    message: str = ""


class GatewayError(Exception):
    """A gateway call could not be made or its answer cannot be trusted (bad signature, unreadable body).
    The payment's state is then UNKNOWN until a query answers."""


class SignatureError(GatewayError):
    """An answer or a callback whose signature does not verify: refused, never acted on."""


class Gateway(abc.ABC):
    """A payment gateway. Every method is idempotent on its ids; none raises for a declined payment (that is an
    Outcome with FAILED); network and signature troubles raise GatewayError."""

    name: str  # "alipay", "wechat", "stripe"
    methods: frozenset[Method]

    @abc.abstractmethod
    async def pay(self, intent: Intent) -> Outcome:
        """Start (and where the gateway allows, finish) a payment: SCAN_CODE charges ``intent.code`` and may
        answer PENDING while the customer confirms; SHOW_QR answers PENDING with ``qr_url``; CARD_READER hands
        the amount to the reader and answers PENDING."""

    @abc.abstractmethod
    async def query(self, request_id: str) -> Outcome:
        """Where the payment with our ``request_id`` stands now (the gateway's query call)."""

    @abc.abstractmethod
    async def cancel(self, request_id: str) -> Outcome:
        """Cancel / reverse a payment that has not completed (Alipay trade.cancel, WeChat reverse/close,
        Stripe cancel_action + cancel). Answers CANCELLED, or PAID if the money had already moved."""

    @abc.abstractmethod
    async def refund(self, request_id: str, refund_id: str, amount: Money, reason: str = "") -> RefundOutcome:
        """Refund ``amount`` (full or partial) of the paid payment ``request_id``; ``refund_id`` is ours."""

    def verify_callback(self, headers: dict[str, str], body: bytes) -> tuple[str, Outcome]:
        """An asynchronous notification from the gateway: (request_id, outcome) when its signature verifies;
        SignatureError otherwise. Gateways without callbacks raise GatewayError."""
        raise GatewayError(f"{self.name} sends no callbacks")

    async def aclose(self) -> None:
        """Close the HTTP client."""
        return None


# The cashier's wait: how long we keep asking before cancelling, per gateway rules (Alipay's and WeChat's own
# guides both poll about every 5 s for up to 30 s before cancelling/reversing a code payment).
POLL_EVERY_S = 5.0
GIVE_UP_AFTER_S = 30.0
