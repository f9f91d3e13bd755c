"""Who may open the office page: named admins with scrypt-hashed passwords, a signed session cookie, lock-out.

The password is hashed with scrypt (RFC 7914; ``hashlib.scrypt``) and never stored or logged. A session is a
cookie signed with HMAC-SHA256 under a key derived from the hub key, so every hub process accepts a session
another issued, and a copy of the database alone cannot forge one. Logging out bumps the admin's session
generation: every cookie issued before then is refused by every process.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import Connection, select, update

from posapp.hub import tables as t

COOKIE = "posapp_hub_session"
SESSION_TTL = timedelta(hours=12)
MAX_FAILURES = 5  # wrong passwords in a row before the name is locked
LOCKOUT = timedelta(minutes=15)
MIN_PASSWORD = 10
# scrypt cost: 2**15 x 8 x 1 takes 32 MiB and about 0.1 s here, the OWASP password-storage minimum or above.
SCRYPT_N, SCRYPT_R, SCRYPT_P, SCRYPT_LEN = 2**15, 8, 1, 32
_SCRYPT_MEM = 64 * 1024 * 1024


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(
        password.encode("utf-8", "surrogatepass"),
        salt=salt,
        n=n,
        r=r,
        p=p,
        maxmem=_SCRYPT_MEM,
        dklen=SCRYPT_LEN,
    )


def hash_password(password: str) -> str:
    """``scrypt$n$r$p$salt$hash`` with a fresh 16-byte salt."""
    salt = secrets.token_bytes(16)
    digest = _scrypt(password, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${_b64(salt)}${_b64(digest)}"


def check_password(stored: str, password: str) -> bool:
    """Whether ``password`` matches the stored hash (constant-time); a malformed hash matches nothing."""
    try:
        kind, n, r, p, salt, digest = stored.split("$")
        if kind != "scrypt":
            return False
        got = _scrypt(password, _unb64(salt), int(n), int(r), int(p))
        return hmac.compare_digest(got, _unb64(digest))
    except (ValueError, TypeError):
        return False


_DUMMY: list[str] = []


def _dummy_hash() -> str:
    """A hash to check an unknown name against, so a wrong name costs the time a wrong password does."""
    if not _DUMMY:
        _DUMMY.append(hash_password(secrets.token_urlsafe(16)))
    return _DUMMY[0]


def set_admin(conn: Connection, name: str, password: str, now: datetime) -> bool:
    """Create ``name`` or give it a new password (its open sessions end); True if the name is new."""
    hashed = hash_password(password)
    row = conn.execute(select(t.admins.c.id).where(t.admins.c.name == name)).first()
    if row is None:
        conn.execute(
            t.admins.insert().values(
                name=name, password=hashed, generation=0, failures=0, locked_until=None, created_at=now
            )
        )
        return True
    conn.execute(
        update(t.admins)
        .where(t.admins.c.id == row.id)
        .values(password=hashed, generation=t.admins.c.generation + 1, failures=0, locked_until=None)
    )
    return False


def remove_admin(conn: Connection, name: str) -> bool:
    return conn.execute(t.admins.delete().where(t.admins.c.name == name)).rowcount == 1


def admin_names(conn: Connection) -> list[str]:
    return list(conn.execute(select(t.admins.c.name).order_by(t.admins.c.name)).scalars())


class Outcome(StrEnum):
    OK = "ok"
    WRONG = "wrong"  # wrong name or password
    LOCKED = "locked"  # too many wrong passwords: wait


@dataclass(frozen=True, slots=True)
class Attempt:
    outcome: Outcome
    generation: int = 0
    locked_until: datetime | None = None


@dataclass(frozen=True, slots=True)
class Admin:
    id: int
    name: str
    password: str  # the scrypt hash
    generation: int
    locked_until: datetime | None


def find(conn: Connection, name: str) -> Admin | None:
    row = conn.execute(select(t.admins).where(t.admins.c.name == name)).first()
    return None if row is None else Admin(row.id, row.name, row.password, row.generation, row.locked_until)


def password_matches(admin: Admin | None, password: str) -> bool:
    """The slow check, outside any transaction; an unknown name costs the same time as a wrong password."""
    if admin is None:
        check_password(_dummy_hash(), password)
        return False
    return check_password(admin.password, password)


def record(conn: Connection, admin: Admin | None, matched: bool, now: datetime) -> Attempt:
    """The outcome of one attempt: a success clears the failures; ``MAX_FAILURES`` in a row lock the name
    for ``LOCKOUT`` (counted in the database, so on every hub process)."""
    if admin is None:
        return Attempt(Outcome.WRONG)
    locked = conn.execute(select(t.admins.c.locked_until).where(t.admins.c.id == admin.id)).scalar()
    if locked is not None and locked > now:  # locked meanwhile by another attempt
        return Attempt(Outcome.LOCKED, locked_until=locked)
    if matched:
        conn.execute(update(t.admins).where(t.admins.c.id == admin.id).values(failures=0, locked_until=None))
        return Attempt(Outcome.OK, generation=admin.generation)
    failures = conn.execute(
        update(t.admins)
        .where(t.admins.c.id == admin.id)
        .values(failures=t.admins.c.failures + 1)
        .returning(t.admins.c.failures)
    ).scalar_one()
    if failures >= MAX_FAILURES:
        until = now + LOCKOUT
        conn.execute(update(t.admins).where(t.admins.c.id == admin.id).values(failures=0, locked_until=until))
        return Attempt(Outcome.LOCKED, locked_until=until)
    return Attempt(Outcome.WRONG)


def generation_of(conn: Connection, name: str) -> int | None:
    """The admin's current session generation; None once the admin is removed."""
    return conn.execute(select(t.admins.c.generation).where(t.admins.c.name == name)).scalar()


def log_out(conn: Connection, name: str) -> None:
    """End every session of ``name`` (on every process): the generation its cookies carry is no longer current."""
    conn.execute(update(t.admins).where(t.admins.c.name == name).values(generation=t.admins.c.generation + 1))


@dataclass(frozen=True, slots=True)
class Session:
    name: str
    generation: int
    expires: int  # Unix seconds


class Sessions:
    """Issues and reads signed session cookies, and the CSRF token that goes with each one."""

    def __init__(self, key: bytes) -> None:
        if len(key) < 32:
            raise ValueError("a session key needs 32 bytes or more")
        self._key = key

    def _sign(self, label: bytes, data: bytes) -> bytes:
        return hmac.new(self._key, label + b"\0" + data, hashlib.sha256).digest()

    def issue(self, name: str, generation: int, now: datetime) -> str:
        expires = int((now + SESSION_TTL).timestamp())
        payload = _b64(json.dumps({"n": name, "g": generation, "e": expires}, separators=(",", ":")).encode())
        return f"{payload}.{_b64(self._sign(b'session', payload.encode()))}"

    def read(self, cookie: str, now: datetime) -> Session | None:
        """The session a cookie carries, if its signature holds and it has not expired; else None."""
        payload, dot, signature = cookie.partition(".")
        if not dot or len(cookie) > 1024 or not cookie.isascii():
            return None
        try:
            given = _unb64(signature)
        except ValueError:
            return None
        if not hmac.compare_digest(given, self._sign(b"session", payload.encode())):
            return None
        try:
            data = json.loads(_unb64(payload))
            session = Session(str(data["n"]), int(data["g"]), int(data["e"]))
        except (ValueError, KeyError, TypeError):
            return None
        return session if session.expires > now.timestamp() else None

    def csrf(self, cookie: str) -> str:
        """The token a logout form must send back: bound to this session's cookie, unknown to another site."""
        return _b64(self._sign(b"csrf", cookie.encode()))

    def csrf_ok(self, cookie: str, token: str) -> bool:
        return hmac.compare_digest(token.encode("utf-8", "surrogatepass"), self.csrf(cookie).encode())
