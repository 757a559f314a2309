"""Accounts, roles and the audit log, kept in the database (``data.database``).

Roles, lowest first: **viewer** (reads the dashboard), **analyst** (also uploads, previews, publishes
and marks versions as presented), **admin** (also manages users and reads the audit log). A role
includes the ones below it. Passwords are hashed with Argon2id (``argon2-cffi``). After
``MAX_FAILURES`` wrong passwords in a row an account is locked for ``LOCK_MINUTES``.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Engine, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from data.database import audit, users
from data.versions import as_utc, utc_now
from settings import ROLES

log = logging.getLogger(__name__)

RANK = {role: n for n, role in enumerate(ROLES)}
MAX_FAILURES = 5
LOCK_MINUTES = 15
MIN_PASSWORD = 12
_USERNAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,99}$", re.ASCII)
_hasher = PasswordHasher()
#: Checked against when the user does not exist, so that an unknown name takes as long as a known one.
_DUMMY_HASH = _hasher.hash("not a password anyone has")


class AccountError(ValueError):
    """A change to an account that cannot be made (the message says why, in plain words)."""


@dataclass(frozen=True)
class User:
    username: str
    role: str
    #: Sessions carry it; it is raised when the role or password changes, ending older sessions.
    epoch: int = 0
    disabled: bool = False
    #: Signed in by the identity provider's proxy (no password here).
    from_proxy: bool = False
    locked_until: datetime | None = None

    def can(self, role: str) -> bool:
        """True when this user's role includes ``role``."""
        return not self.disabled and RANK.get(self.role, -1) >= RANK[role]


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: datetime
    actor: str
    action: str
    detail: str
    address: str


def _new_user(username: str, role: str, password_hash: str | None) -> dict:
    """A row of the users table for a new user (``password_hash`` None: signs in through the proxy)."""
    return {
        "username": username,
        "password_hash": password_hash,
        "role": role,
        "created_at": utc_now(),
        "disabled": False,
        "failures": 0,
        "epoch": 0,
    }


def check_username(name: str) -> str:
    name = (name or "").strip()
    if not _USERNAME_RE.match(name):
        raise AccountError("A user name is 1 to 100 letters, digits and . _ @ - (starting with a letter or digit).")
    return name


def check_password_strength(password: str) -> None:
    if len(password or "") < MIN_PASSWORD:
        raise AccountError(f"A password must be at least {MIN_PASSWORD} characters long.")
    if len(password) > 1000:
        raise AccountError("A password must be at most 1,000 characters long.")


def check_role(role: str) -> str:
    if role not in RANK:
        raise AccountError(f"A role is one of: {', '.join(ROLES)}.")
    return role


class Accounts:
    """Users and the audit log in one database."""

    def __init__(self, engine: Engine):
        self.engine = engine

    # Users -----------------------------------------------------------------------------------------

    def get(self, username: str) -> User | None:
        with self.engine.connect() as c:
            r = c.execute(select(users).where(users.c.username == username)).mappings().first()
        return _user(r) if r is not None else None

    def listing(self) -> list[User]:
        with self.engine.connect() as c:
            return [_user(r) for r in c.execute(select(users).order_by(users.c.username)).mappings()]

    def add(self, username: str, password: str, role: str, by: str, address: str = "") -> User:
        username = check_username(username)
        check_password_strength(password)
        check_role(role)
        try:
            with self.engine.begin() as c:
                c.execute(insert(users).values(_new_user(username, role, _hasher.hash(password))))
        except IntegrityError:
            raise AccountError(f"There is already a user called {username}.") from None
        self.record(by, "user-added", f"{username} as {role}", address)
        return User(username, role)

    def set_role(self, username: str, role: str, by: str, address: str = "") -> None:
        check_role(role)
        self._change(username, {"role": role}, end_sessions=True)
        self.record(by, "role-changed", f"{username} is now {role}", address)

    def set_password(self, username: str, password: str, by: str, address: str = "") -> None:
        check_password_strength(password)
        self._change(
            username,
            {"password_hash": _hasher.hash(password), "failures": 0, "locked_until": None},
            end_sessions=True,
        )
        self.record(by, "password-changed", username, address)

    def set_disabled(self, username: str, disabled: bool, by: str, address: str = "") -> None:
        self._change(username, {"disabled": disabled}, end_sessions=True)
        self.record(by, "user-disabled" if disabled else "user-enabled", username, address)

    def end_sessions(self, username: str) -> None:
        """Sign ``username`` out everywhere: every session cookie made before now stops working."""
        self._change(username, {}, end_sessions=True)

    def admins(self) -> int:
        with self.engine.connect() as c:
            return c.execute(
                select(func.count()).select_from(users).where(users.c.role == "admin", users.c.disabled.is_(False))
            ).scalar_one()

    def _change(self, username: str, values: dict, end_sessions: bool) -> None:
        with self.engine.begin() as c:
            statement = update(users).where(users.c.username == username).values(**values)
            if end_sessions:
                statement = statement.values(epoch=users.c.epoch + 1)
            if c.execute(statement).rowcount != 1:
                raise AccountError(f"There is no user called {username}.")

    # Signing in ------------------------------------------------------------------------------------

    def sign_in(self, username: str, password: str, address: str) -> tuple[User | None, str]:
        """The user when the password is right and the account usable, else None and why (in words
        that do not say whether the name exists). Every attempt is in the audit log."""
        now = utc_now()
        user = self.get(username) if _USERNAME_RE.match(username or "") else None
        hash_ = self._hash(username) if user is not None else None
        if user is None or hash_ is None:
            _verify(_DUMMY_HASH, password)
            self.record(username[:100] or "(blank)", "sign-in-failed", "unknown user or no password", address)
            return None, "The user name or password is not right."
        if user.locked_until is not None and user.locked_until > as_utc(now):
            self.record(username, "sign-in-failed", "account locked", address)
            return None, f"This account is locked after {MAX_FAILURES} wrong passwords. Try again later."
        if not _verify(hash_, password):
            locked = self._failed(username, now)
            self.record(username, "sign-in-failed", "wrong password" + ("; account locked" if locked else ""), address)
            if locked:
                return None, f"This account is locked after {MAX_FAILURES} wrong passwords. Try again later."
            return None, "The user name or password is not right."
        if user.disabled:
            self.record(username, "sign-in-failed", "account disabled", address)
            return None, "The user name or password is not right."
        with self.engine.begin() as c:
            c.execute(update(users).where(users.c.username == username).values(failures=0, locked_until=None))
            if _hasher.check_needs_rehash(hash_):
                c.execute(
                    update(users).where(users.c.username == username).values(password_hash=_hasher.hash(password))
                )
        self.record(username, "sign-in", f"as {user.role}", address)
        return user, ""

    def proxy_user(self, username: str, role: str) -> User:
        """The user named by the signing-in proxy, with the role its groups map to (kept in the
        database so that the audit log and sessions name them)."""
        username = check_username(username)
        existing = self.get(username)
        if existing is not None and self._hash(username) is not None:
            # A local account (with a password) is never taken over, nor its role changed, by the proxy.
            raise ValueError(f"{username} is a local account")
        if existing is None:
            try:
                with self.engine.begin() as c:
                    c.execute(insert(users).values(_new_user(username, role, None)))
            except IntegrityError:
                pass  # another request made it first
            return User(username, role, from_proxy=True)
        if existing.role != role:
            with self.engine.begin() as c:
                c.execute(update(users).where(users.c.username == username).values(role=role))
        return User(username, role, existing.epoch, existing.disabled, from_proxy=True)

    def _hash(self, username: str) -> str | None:
        with self.engine.connect() as c:
            return c.execute(select(users.c.password_hash).where(users.c.username == username)).scalar()

    def _failed(self, username: str, now: datetime) -> bool:
        """Count a wrong password; True when it locks the account."""
        with self.engine.begin() as c:
            c.execute(update(users).where(users.c.username == username).values(failures=users.c.failures + 1))
            failures = c.execute(select(users.c.failures).where(users.c.username == username)).scalar_one()
            if failures >= MAX_FAILURES:
                c.execute(
                    update(users)
                    .where(users.c.username == username)
                    .values(failures=0, locked_until=now + timedelta(minutes=LOCK_MINUTES))
                )
                return True
        return False

    # The audit log ---------------------------------------------------------------------------------

    def record(self, actor: str, action: str, detail: str, address: str = "") -> None:
        with self.engine.begin() as c:
            c.execute(
                insert(audit).values(
                    at=utc_now(), actor=actor[:200], action=action[:40], detail=detail, address=(address or "")[:100]
                )
            )
        log.info("audit: %s %s %s (%s)", actor, action, detail, address)

    def log_entries(self, limit: int = 200, before: int | None = None) -> list[AuditEntry]:
        """The latest entries, newest first (``before``: only those older than that entry id)."""
        query = select(audit).order_by(audit.c.id.desc()).limit(limit)
        if before is not None:
            query = query.where(audit.c.id < before)
        with self.engine.connect() as c:
            return [
                AuditEntry(r["id"], as_utc(r["at"]), r["actor"], r["action"], r["detail"], r["address"])
                for r in c.execute(query).mappings()
            ]

    def recent_failures(self, address: str, minutes: int = 15) -> int:
        """Failed sign-ins from ``address`` in the last ``minutes`` (counted in the shared database, so
        every worker and server sees the same count)."""
        since = utc_now() - timedelta(minutes=minutes)
        with self.engine.connect() as c:
            return c.execute(
                select(func.count())
                .select_from(audit)
                .where(audit.c.action == "sign-in-failed", audit.c.address == address, audit.c.at >= since)
            ).scalar_one()


def _verify(hash_: str, password: str) -> bool:
    try:
        return _hasher.verify(hash_, password or "")
    except (VerificationError, InvalidHashError):
        return False


def _user(r) -> User:
    locked = r["locked_until"]
    return User(
        username=r["username"],
        role=r["role"],
        epoch=r["epoch"],
        disabled=bool(r["disabled"]),
        from_proxy=r["password_hash"] is None,
        locked_until=as_utc(locked) if locked is not None else None,
    )
