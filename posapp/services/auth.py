"""Staff PINs and roles: scrypt-hashed PINs, rate-limited wrong guesses, and an audit row for each."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from posapp.domain.roles import Permission, Role, User, can
from posapp.errors import LockedOut, NotAllowed, PinRejected
from posapp.services.clock import Clock, utc_now
from posapp.store import audit
from posapp.store import users as store
from posapp.store.db import Database

log = logging.getLogger(__name__)

DEMO_MANAGER = ("manager", "1234")  # created by `posapp --demo` on an empty database; documented in README


@dataclass(frozen=True, slots=True)
class ScryptParams:
    """scrypt cost: n=2**14, r=8 costs ~16 MB and tens of milliseconds per check: cheap once, slow to guess."""

    n: int = 2**14
    r: int = 8
    p: int = 1


def hash_pin(pin: str, *, params: ScryptParams = ScryptParams(), salt: bytes | None = None) -> str:
    """``scrypt$n$r$p$salt$hash`` (base64): the parameters and a random salt are stored with the hash."""
    salt = salt or os.urandom(16)
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=params.n, r=params.r, p=params.p, dklen=32)
    b64 = base64.b64encode
    return f"scrypt${params.n}${params.r}${params.p}${b64(salt).decode()}${b64(digest).decode()}"


def verify_pin(pin: str, stored: str) -> bool:
    """True when ``pin`` matches ``stored`` (constant-time compare); False for a malformed hash."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest)
        got = hashlib.scrypt(
            pin.encode(), salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p), dklen=len(expected)
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, expected)


def check_new_pin(pin: str) -> None:
    """A PIN is 4 to 8 digits and not one digit repeated; ``PinRejected`` says why otherwise."""
    if not pin.isdigit() or not 4 <= len(pin) <= 8:
        raise PinRejected("A PIN is 4 to 8 digits.")
    if len(set(pin)) == 1:
        raise PinRejected("Choose a PIN that is not one digit repeated.")


@dataclass(frozen=True, slots=True)
class LockPolicy:
    """After ``max_failures`` wrong PINs in a row, lock for ``first_lock``, doubling per further round."""

    max_failures: int = 5
    first_lock: timedelta = timedelta(seconds=30)
    longest_lock: timedelta = timedelta(hours=1)

    def lock_for(self, failures: int) -> timedelta | None:
        if failures < self.max_failures or failures % self.max_failures:
            return None
        rounds = failures // self.max_failures - 1
        return min(self.first_lock * (2**rounds), self.longest_lock)


class AuthService:
    """Sign-in by PIN for the PIN pad; user management for managers. All DB work via ``Database.run``."""

    def __init__(
        self,
        db: Database,
        clock: Clock = utc_now,
        *,
        policy: LockPolicy = LockPolicy(),
        params: ScryptParams = ScryptParams(),
    ) -> None:
        self.db = db
        self.clock = clock
        self.policy = policy
        self.params = params

    async def needs_first_manager(self) -> bool:
        """True on first run: nobody can open the manager section until a manager PIN is set."""
        return await self.db.run(store.user_count) == 0

    def _create(self, name: str, role: Role | str, pin: str, by: str) -> Callable[[Session], User]:
        check_new_pin(pin)
        name = name.strip()
        if not name:
            raise PinRejected("Give the new user a name.")
        the_role = Role(role)
        pin_hash = hash_pin(pin, params=self.params)
        now = self.clock()

        def work(session: Session) -> User:
            if store.find_user(session, name) is not None:
                raise PinRejected(f"There is already a user called {name}.")
            user_id = store.add_user(session, name, the_role.value, pin_hash)
            audit.record(session, "user_created", at=now, by=by, detail=f"{name} ({the_role.value})")
            return User(user_id, name, the_role)

        return work

    async def create_user(self, name: str, role: Role | str, pin: str, *, by: str) -> User:
        """Add a member of staff; the PIN is hashed before it goes anywhere near the database."""
        work = await asyncio.to_thread(self._create, name, role, pin, by)  # scrypt off the GUI thread
        return await self.db.run(work)

    def create_user_now(self, name: str, role: Role | str, pin: str, *, by: str) -> User:
        """The same on the calling thread (command line)."""
        return self.db.call(self._create(name, role, pin, by))

    async def ensure_demo_manager(self) -> User | None:
        """``--demo`` on an empty database: a manager with the documented demo PIN 1234."""
        if await self.needs_first_manager():
            name, pin = DEMO_MANAGER
            return await self.create_user(name, Role.MANAGER, pin, by="demo")
        return None

    async def change_pin(self, user: User, new_pin: str, *, by: User) -> None:
        if by.id != user.id and not by.can(Permission.USERS):
            raise NotAllowed("Only a manager can change another user's PIN.")
        check_new_pin(new_pin)
        pin_hash = await asyncio.to_thread(hash_pin, new_pin, params=self.params)
        now = self.clock()

        def work(session: Session) -> None:
            store.set_pin_hash(session, user.id, pin_hash)
            audit.record(session, "pin_changed", at=now, by=by.actor, detail=user.name)

        await self.db.run(work)

    async def sign_in(self, pin: str, *, need: Permission | None = None, name: str | None = None) -> User:
        """The user whose PIN this is (among those allowed ``need``, or the named one).

        Wrong PINs count against every candidate; after too many the pad locks (``LockedOut`` with the time
        it opens again), for longer each round. Raises ``PinRejected`` for a wrong PIN.
        """
        now = self.clock()

        def load(session: Session) -> list[store.UserRecord]:
            if name is not None:
                one = store.find_user(session, name)
                return [one] if one is not None else []
            return [u for u in store.list_users(session) if need is None or can(u.role, need)]

        candidates = await self.db.run(load)
        if not candidates:
            raise PinRejected("No user may open this. A manager must set up a PIN first.")
        locked = [u.locked_until for u in candidates if u.locked_until is not None and u.locked_until > now]
        if locked:
            until = max(locked)
            raise LockedOut(_locked_sentence(until, now), until)
        # scrypt is deliberately slow: check the candidates off the DB thread and off the GUI thread.
        match = await asyncio.to_thread(
            lambda: next((u for u in candidates if verify_pin(pin, u.pin_hash)), None)
        )

        def record(session: Session) -> User | datetime | None:
            """The user on a match; else the lock's end if this failure locked the pad (committed, not raised)."""
            if match is not None:
                for u in candidates:
                    if u.failed_attempts or u.locked_until:
                        store.set_attempts(session, u.id, 0, None)
                audit.record(session, "sign_in", at=now, by=f"{match.role}:{match.name}")
                return User(match.id, match.name, Role(match.role))
            lock_until: datetime | None = None
            for u in candidates:
                failures = u.failed_attempts + 1
                lock = self.policy.lock_for(failures)
                until = now + lock if lock is not None else None
                lock_until = until or lock_until
                store.set_attempts(session, u.id, failures, until)
            audit.record(session, "pin_failed", at=now, by="unknown", detail=f"for {need or name}")
            return lock_until

        user = await self.db.run(record)
        if isinstance(user, datetime):
            raise LockedOut(_locked_sentence(user, now), user)
        if user is None:
            raise PinRejected("Wrong PIN.")
        log.info("signed in: %s", user.actor)
        return user

    @staticmethod
    def require(user: User | None, permission: Permission) -> User:
        """``user`` if it may do ``permission``; ``NotAllowed`` with the sentence to show otherwise."""
        if user is None or not user.can(permission):
            who = "Nobody is signed in" if user is None else f"A {user.role.value} cannot do this"
            raise NotAllowed(f"{who}: {permission.value} needs a manager PIN.")
        return user


def _locked_sentence(until: datetime, now: datetime) -> str:
    seconds = max(int((until - now).total_seconds() + 0.999), 1)
    wait = f"{seconds} s" if seconds < 120 else f"{(seconds + 59) // 60} min"
    return f"Too many wrong PINs. Try again in {wait}."
