"""A customer's data on request: find them by phone or name, export everything we hold about them as JSON, or
erase it (manager PIN, a reason, an audit row). The retention purge erases through the same path."""

from __future__ import annotations

import asyncio
import json
import logging
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from posapp.domain.privacy import Needles, PersonalOrder, digits_of, mask_phone, phone_matches
from posapp.domain.roles import Permission, User
from posapp.errors import NotAllowed, NotFoundError
from posapp.reports.segments import identity
from posapp.services.auth import AuthService
from posapp.services.clock import Clock, utc_now
from posapp.services.planner import ChangeFacts
from posapp.services.upload import HQ_TARGET, UPLOAD_KIND
from posapp.store import audit
from posapp.store import jobs as jobstore
from posapp.store import orders as repo
from posapp.store import privacy as store
from posapp.store.db import Database
from posapp.store.privacy import Erased

log = logging.getLogger(__name__)

EXPORT_FORMAT = "posapp-customer-data"
ERASED_ACTION = "customer_erased"
EXPORTED_ACTION = "customer_exported"
PURGE_ACTION = "purge_personal"
ERASED_EVENT = "personal_erased"  # the upload change that carries an erased order to head office
MIN_QUERY = 2
RULE = (
    "A full phone number given on the own website or at the counter is one customer on both. A masked or relay "
    "number (as delivery platforms give them) identifies a customer only on that platform, with the name given "
    "beside it: two people behind the same masked number stay two."
)


def customer_key(order: PersonalOrder) -> str | None:
    """Who an order belongs to, by the segments' rule (reports/segments.identity); an order with a name but
    no phone is that name on that platform."""
    key = identity(order.platform, order.phone, order.name)
    if key is None and order.name and order.name.strip():
        key = f"{order.platform}:|{order.name.strip().casefold()}"
    return key


@dataclass(frozen=True, slots=True)
class CustomerMatch:
    """One customer a search found, as the platforms identify them (never merged beyond their rules)."""

    key: str
    name: str | None  # from the latest order
    phone: str | None
    platforms: tuple[str, ...]
    orders: int
    last_order_at: datetime
    joined: bool  # one full phone across the own website and the counter

    @property
    def masked(self) -> bool:
        """A masked or relay number: the same digits may belong to someone else on another platform."""
        return not self.joined and self.phone is not None


@dataclass(frozen=True, slots=True)
class Erasure:
    """What an erasure did, for the manager's screen and the audit row."""

    orders: int
    uploads: int
    quarantine: int
    audit: int
    notes: int

    @classmethod
    def of(cls, erased: Erased, quarantine: int, audit_rows: int, notes: int) -> Erasure:
        return cls(erased.orders, erased.uploads, quarantine, audit_rows, notes)

    def text(self) -> str:
        return (
            f"{self.orders} orders, {self.uploads} upload rows, {self.quarantine} quarantined payloads, "
            f"{self.audit} audit rows, {self.notes} notes"
        )


def _matches(query: str, order: PersonalOrder) -> bool:
    q = query.strip()
    if len(digits_of(q)) >= 4:
        return phone_matches(q, order.phone)
    return bool(order.name) and q.casefold() in (order.name or "").casefold()


def _group(orders: Iterable[PersonalOrder]) -> dict[str, list[PersonalOrder]]:
    groups: dict[str, list[PersonalOrder]] = {}
    for o in orders:
        key = customer_key(o)
        if key is not None:
            groups.setdefault(key, []).append(o)
    return groups


def _match(key: str, orders: Sequence[PersonalOrder]) -> CustomerMatch:
    last = max(orders, key=lambda o: (o.placed_at, o.order_id))
    return CustomerMatch(
        key=key,
        name=last.name,
        phone=last.phone,
        platforms=tuple(sorted({o.platform for o in orders})),
        orders=len(orders),
        last_order_at=last.placed_at,
        joined=key.startswith("phone:"),
    )


class Person:
    """One customer's orders and how their data looks in free text (payloads, audit details)."""

    def __init__(self, key: str, orders: Sequence[PersonalOrder]) -> None:
        self.key = key
        self.orders = list(orders)
        self.joined = key.startswith("phone:")
        self.platforms = {o.platform for o in orders}
        self.needles = Needles.of(t for o in orders for t in (o.name, o.phone, o.address))
        self._phones = Needles.of(o.phone for o in orders)
        self._names = Needles.of(o.name for o in orders)

    @property
    def ids(self) -> list[int]:
        return [o.order_id for o in self.orders]

    def named_in(self, text: str, platform: str | None = None) -> bool:
        """Whether ``text`` is about this customer: their full phone; for a masked or relay number, only on
        their platform and with both the number and the name in it (the digits alone may be another's)."""
        if self.joined:
            return self._phones.found_in(text)
        if platform is not None and platform not in self.platforms:
            return False
        checks = [n for n in (self._phones, self._names) if n.patterns]
        return bool(checks) and all(n.found_in(text) for n in checks)


def _person(session: Session, key: str, ids: Sequence[int]) -> Person:
    """The customer ``key`` in this transaction, from the orders a search found for them."""
    mine = [o for o in store.personal_orders(session, ids=ids) if customer_key(o) == key]
    if not mine:
        raise NotFoundError("No stored order names this customer any more.")
    return Person(key, mine)


def _payload(text: str | None) -> Any:
    """A stored payload as JSON when it is JSON, else as the text it is."""
    if text is None:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return text


def _export(session: Session, person: Person) -> dict[str, Any]:
    ids = person.ids
    raws = store.raw_payloads(session, ids)
    orders = []
    for order in repo.get_orders(session, ids):
        assert order.id is not None
        events = repo.events_for(session, order.id)
        orders.append(
            {
                "id": order.id,
                **order.to_canonical(),
                "raw_payload": _payload(raws.get(order.id)),
                "history": [
                    {"at": e.at.isoformat(), "by": e.by, "from": e.from_status, "to": e.to_status}
                    for e in events
                ],
            }
        )
    quarantined = [q for q in store.quarantine_entries(session) if person.named_in(q.body, q.platform)]
    uploads = store.upload_rows(session, ids)
    records = store.audit_records(session, ids, person.named_in)
    notes = store.customer_notes(session, [person.key])
    return {
        "orders": orders,
        "crm_notes": [{"customer": k, "note": v} for k, v in notes.items()],
        "quarantine": [
            {
                "id": q.id,
                "platform": q.platform,
                "received_at": q.received_at.isoformat(),
                "reason": q.reason,
                "content_type": q.content_type,
                "resolved": q.resolved,
                "body": _payload(q.body),
            }
            for q in quarantined
        ],
        "uploads_not_sent": [
            {"id": j.id, "state": j.state, "created_at": j.created_at.isoformat(), "payload": j.payload}
            for j in uploads
        ],
        "audit": [
            {
                "at": r.at.isoformat(),
                "by": r.by,
                "action": r.action,
                "order_id": r.order_id,
                "detail": r.detail,
            }
            for r in records
        ],
    }


def erase_in(
    session: Session,
    needles: dict[int, Needles],
    *,
    now: datetime,
    by: str,
    action: str,
    reason: str,
    person: Person | None = None,
    keep_raw: bool = True,
) -> Erasure:
    """The one erase path (a customer's request, or the retention purge): blank the orders' personal fields and
    scrub their raw payloads and upload rows; for a person also the quarantined payloads, audit rows and CRM
    notes that name them. Records ``action`` in the audit log with who and why (never who was erased)."""
    erased = store.erase_orders(session, needles, now=now, keep_raw=keep_raw)
    ids = list(needles)
    quarantined = audit_rows = notes = 0
    if person is not None:
        _tell_head_office(session, ids, now=now, by=by)
        entries = [q.id for q in store.quarantine_entries(session) if person.named_in(q.body, q.platform)]
        quarantined = store.scrub_quarantine(session, entries, person.needles)
        records = store.audit_records(session, ids, person.named_in)
        audit_rows = store.scrub_audit(session, [r.id for r in records], person.needles)
        notes = store.drop_customer_notes(session, [person.key])
    elif any(found.patterns for found in needles.values()):
        for order_id, found in needles.items():
            records = store.audit_records(session, [order_id])
            audit_rows += store.scrub_audit(session, [r.id for r in records], found)
    result = Erasure.of(erased, quarantined, audit_rows, notes)
    if result.orders or result.quarantine or result.audit or result.notes:
        said = person.needles.blank(reason) if person is not None else reason
        order_list = ", ".join(f"#{i}" for i in ids[:50]) + (" …" if len(ids) > 50 else "")
        audit.record(session, action, at=now, by=by, detail=f"{said} — {result.text()} ({order_list})")
    return result


def _tell_head_office(session: Session, order_ids: Sequence[int], *, now: datetime, by: str) -> None:
    """Each erased order that head office was sent (it has upload rows) goes again, blanked, as a change
    ``personal_erased``: the receiver keeps an order's latest form, so its copy loses the customer too."""
    change = ChangeFacts(event=ERASED_EVENT, at=now, by=by).to_json()
    specs = []
    for order_id in order_ids:
        if store.upload_rows(session, [order_id], unsent_only=False):
            payload = {
                "key": str(uuid.uuid4()),
                "order_id": order_id,
                "order": repo.get_order(session, order_id).to_canonical(),
                "change": change,
            }
            specs.append((UPLOAD_KIND, HQ_TARGET, f"hq:{order_id}", payload, order_id))
    jobstore.enqueue_all(session, specs, now=now)


PURGE_BATCH = 200  # orders per transaction: intake and taps get the database thread between two batches


def purge_expired(session: Session, *, placed_before: datetime, now: datetime, by: str, reason: str) -> int:
    """One batch of the retention purge: up to ``PURGE_BATCH`` orders placed before ``placed_before`` erased
    through ``erase_in``; returns how many (0 when none is left). Past retention the raw payload is dropped
    whole, and the order's copies in upload rows lose the customer by key (no search for the name in free
    text: the notes that could repeat it are blanked with the rest)."""
    expired = store.expired_orders(session, placed_before=placed_before, limit=PURGE_BATCH)
    nothing = Needles(())
    needles = {o.order_id: nothing for o in expired}
    done = erase_in(session, needles, now=now, by=by, action=PURGE_ACTION, reason=reason, keep_raw=False)
    return done.orders


class PrivacyService:
    """Find, export and erase a customer's data; only a manager (``Permission.CUSTOMER_DATA``)."""

    def __init__(self, db: Database, auth: AuthService, clock: Clock = utc_now) -> None:
        self.db = db
        self.auth = auth
        self.clock = clock

    @staticmethod
    def _check_query(query: str) -> str:
        q = query.strip()
        if len(q) < MIN_QUERY and not (q and not q.isascii()):  # one Chinese character is a surname
            raise NotAllowed("Type at least two letters of a name or four digits of a phone number.")
        return q

    @staticmethod
    def _find(everyone: dict[str, list[PersonalOrder]], query: str) -> list[CustomerMatch]:
        # A customer is found by any of their orders, and shown with all of them.
        matches = [_match(k, mine) for k, mine in everyone.items() if any(_matches(query, o) for o in mine)]
        return sorted(matches, key=lambda m: (m.last_order_at, m.key), reverse=True)

    async def _everyone(self) -> dict[str, list[PersonalOrder]]:
        """Every customer's orders. The values are read on the database thread and opened on another:
        opening 20,000 orders takes a second or two, which taps and intake must not wait for."""
        sealed = await self.db.run(store.sealed_orders)
        return await asyncio.to_thread(lambda: _group(sealed.open()))

    def _everyone_now(self) -> dict[str, list[PersonalOrder]]:
        return _group(self.db.call(store.sealed_orders).open())

    @staticmethod
    def _ids(everyone: dict[str, list[PersonalOrder]], key: str) -> list[int]:
        mine = everyone.get(key)
        if not mine:
            raise NotFoundError("No stored order names this customer any more.")
        return [o.order_id for o in mine]

    async def find(self, query: str, *, by: User) -> list[CustomerMatch]:
        """Customers whose phone (whole, part, or fitting a masked one) or name matches, latest first."""
        AuthService.require(by, Permission.CUSTOMER_DATA)
        q = self._check_query(query)
        everyone = await self._everyone()
        return await asyncio.to_thread(self._find, everyone, q)

    async def history(self, key: str, *, by: User) -> list[PersonalOrder]:
        """The customer's orders, newest first, as the platforms gave them (a manager sees it all)."""
        AuthService.require(by, Permission.CUSTOMER_DATA)
        everyone = await self._everyone()
        self._ids(everyone, key)
        return sorted(everyone[key], key=lambda o: (o.placed_at, o.order_id), reverse=True)

    def _export_work(self, key: str, ids: Sequence[int], by: User) -> Callable[[Session], dict[str, Any]]:
        now = self.clock()

        def work(session: Session) -> dict[str, Any]:
            person = _person(session, key, ids)
            data = _export(session, person)
            orders = person.orders
            doc = {
                "format": EXPORT_FORMAT,
                "version": 1,
                "exported_at": now.isoformat(),
                "exported_by": by.actor,
                "customer": {
                    "key": key,
                    "names": sorted({o.name for o in orders if o.name}),
                    "phones": sorted({o.phone for o in orders if o.phone}),
                    "addresses": sorted({o.address for o in orders if o.address}),
                    "platforms": sorted(person.platforms),
                    "identified_by": RULE,
                },
                **data,
            }
            listed = ", ".join(f"#{i}" for i in person.ids[:50])
            audit.record(
                session, EXPORTED_ACTION, at=now, by=by.actor, detail=f"{len(orders)} orders ({listed})"
            )
            return doc

        return work

    async def export(self, key: str, *, by: User) -> dict[str, Any]:
        """Everything we hold about the customer: orders with their raw platform payloads and history, CRM
        notes, quarantined payloads and audit rows that name them, upload rows not sent yet. Audited."""
        AuthService.require(by, Permission.CUSTOMER_DATA)
        ids = self._ids(await self._everyone(), key)
        return await self.db.run(self._export_work(key, ids, by))

    def export_now(self, key: str, *, by: User) -> dict[str, Any]:
        AuthService.require(by, Permission.CUSTOMER_DATA)
        ids = self._ids(self._everyone_now(), key)
        return self.db.call(self._export_work(key, ids, by))

    async def export_to(self, key: str, path: Path, *, by: User) -> Path:
        """``export`` written to ``path`` as UTF-8 JSON (the file the manager picked)."""
        doc = await self.export(key, by=by)
        await asyncio.to_thread(write_json, doc, path)
        return path

    def _erase_work(
        self, key: str, ids: Sequence[int], reason: str, user: User
    ) -> Callable[[Session], Erasure]:
        now = self.clock()

        def work(session: Session) -> Erasure:
            person = _person(session, key, ids)
            needles = {i: person.needles for i in person.ids}
            return erase_in(
                session, needles, now=now, by=user.actor, action=ERASED_ACTION, reason=reason, person=person
            )

        return work

    @staticmethod
    def _check_reason(reason: str) -> str:
        said = " ".join(reason.split())
        if not said:
            raise NotAllowed("Say why the data is erased (for example: the customer asked by phone).")
        return said[:300]

    async def erase(self, key: str, *, reason: str, pin: str) -> Erasure:
        """Erase the customer's personal data everywhere; the PIN must be a manager's (checked now, even when
        the manager section is open), the reason is kept in the audit log with who did it."""
        said = self._check_reason(reason)
        user = await self.auth.sign_in(pin, need=Permission.CUSTOMER_DATA)
        ids = self._ids(await self._everyone(), key)
        result = await self.db.run(self._erase_work(key, ids, said, user))
        log.info("customer data erased by %s: %s", user.actor, result.text())
        return result


def write_json(doc: dict[str, Any], path: Path) -> Path:
    """The export as a file (blocking: run it in a thread)."""
    with path.open("w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, indent=2)
        f.write("\n")
    return path


__all__ = [
    "CustomerMatch",
    "Erasure",
    "PersonalOrder",
    "PrivacyService",
    "customer_key",
    "erase_in",
    "mask_phone",
    "purge_expired",
    "write_json",
]
