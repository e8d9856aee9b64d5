"""Users, their API tokens and one-time sign-in links, over an open session.

Each function does the reads and writes of one step and leaves the commit to the caller, who
opens a write session (under the writer lock) only when a step writes. User names are compared
and stored after NFKC with surrounding blanks removed, so ``ａｄｍｉｎ`` and ``admin`` cannot be
two accounts.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from chiiki.accounts import passwords, tokens
from chiiki.accounts.errors import BadValueError, UserExistsError, UserNotFoundError
from chiiki.model.accounts import ApiToken, SigninLink, User
from chiiki.model.enums import Role, labels, parse_code, values

NAME_MAX = 100  # users.name is String(100)
LOCAL_ADMIN = "admin"
# last_used_at of an API token is refreshed at most this often: every API request would
# otherwise be a write transaction taking the writer lock.
LAST_USED_RESOLUTION = timedelta(seconds=60)


@dataclass(frozen=True)
class Account:
    """What the interfaces learn of a user (no hash)."""

    id: int
    name: str
    role: str
    disabled: bool

    @classmethod
    def of(cls, user: User) -> Account:
        return cls(id=user.id, name=user.name, role=user.role, disabled=user.disabled)


def normalize_name(name: str) -> str:
    """The stored form of a user name: NFKC, blanks around removed; empty or too long refused."""
    text = unicodedata.normalize("NFKC", name or "").strip()
    if not text:
        raise BadValueError("accounts.name_empty")
    if len(text) > NAME_MAX:
        raise BadValueError("accounts.name_too_long", max=NAME_MAX, n=len(text))
    return text


def parse_role(role: str) -> str:
    """The stored role ``role`` names: its code or its label in either language (管理者, viewer …)."""
    from chiiki.ingest.messages import InvalidValue

    try:
        code = parse_code(Role, role)
    except InvalidValue:
        code = None
    if code is None:
        ja = labels(Role, "ja")
        choices = ", ".join(f"{c} ({ja[c]})" for c in values(Role))
        raise BadValueError("accounts.unknown_role", role=str(role), choices=choices)
    return code


def find(session: Session, name: str) -> User | None:
    return session.scalar(select(User).where(User.name == normalize_name(name)))


def get(session: Session, name: str) -> User:
    user = find(session, name)
    if user is None:
        raise UserNotFoundError("accounts.user_not_found", name=normalize_name(name))
    return user


def add(session: Session, name: str, role: str, password: str | None = None) -> tuple[Account, str | None]:
    """Add a user; returns the account and the generated password (None when one was given).

    A given password is checked (:func:`chiiki.accounts.passwords.check_strength`) before
    anything is written; a taken name raises :class:`UserExistsError`."""
    stored_name, code = normalize_name(name), parse_role(role)
    generated = None
    if password is None:
        password = generated = passwords.generate()
    passwords.check_strength(password)
    if find(session, stored_name) is not None:
        raise UserExistsError("accounts.user_exists", name=stored_name)
    user = User(name=stored_name, role=code, password_hash=passwords.hash_password(password), disabled=False)
    session.add(user)
    session.flush()
    return Account.of(user), generated


def rows(session: Session) -> list[dict[str, Any]]:
    """One dict per user, by name: name, role, created_at (UTC, to the second), disabled (never a hash)."""
    users = session.scalars(select(User).order_by(User.name)).all()
    return [
        {"name": u.name, "role": u.role, "created_at": u.created_at.replace(microsecond=0), "disabled": u.disabled}
        for u in users
    ]


@dataclass(frozen=True)
class Verdict:
    """The outcome of a password check: the account if it may sign in, and whether its stored
    hash should be replaced by one with today's parameters."""

    account: Account | None
    rehash: bool = False


def enabled_account(session: Session, user_id: int) -> Account | None:
    """The account with this id if it still exists and is enabled: a session cookie names a
    user, and what the user may do is read again on every request (a disabled user or a changed
    role takes effect at once, not when the cookie expires)."""
    user = session.get(User, user_id)
    if user is None or user.disabled:
        return None
    return Account.of(user)


def check_password(session: Session, name: str, password: str) -> Verdict:
    """Check a sign-in (reads only). An unknown name costs one verification against a dummy
    hash, as a known one does, so the time taken does not tell which names exist; a disabled
    user is verified too, then refused."""
    try:
        user = find(session, name)
    except BadValueError:
        user = None
    if user is None:
        passwords.verify_nobody(password)
        return Verdict(None)
    if not passwords.verify(user.password_hash, password) or user.disabled:
        return Verdict(None)
    return Verdict(Account.of(user), passwords.needs_rehash(user.password_hash))


def rehash(session: Session, user_id: int, password: str) -> None:
    """Store a new hash of ``password`` (already verified) with today's parameters."""
    user = session.get(User, user_id)
    if user is not None:
        user.password_hash = passwords.hash_password(password)


def new_api_token(session: Session, name: str, label: str = "") -> str:
    """A new API token for user ``name``; its hash is stored, the token returned (shown once)."""
    user = get(session, name)
    token, digest = tokens.new_token()
    session.add(ApiToken(user_id=user.id, token_hash=digest, label=label or "", created_at=tokens.now()))
    session.flush()
    return token


@dataclass(frozen=True)
class TokenOwner:
    account: Account
    token_id: int
    stale: bool  # last_used_at is older than LAST_USED_RESOLUTION (or unset)


def token_owner(session: Session, token: str) -> TokenOwner | None:
    """The enabled user an API token belongs to, found by the token's hash (reads only)."""
    if not token:
        return None
    row = session.execute(
        select(ApiToken, User)
        .join(User, ApiToken.user_id == User.id)
        .where(ApiToken.token_hash == tokens.token_hash(token))
    ).first()
    if row is None or row[1].disabled:
        return None
    api_token, user = row
    last = api_token.last_used_at
    stale = last is None or tokens.now() - last >= LAST_USED_RESOLUTION
    return TokenOwner(Account.of(user), api_token.id, stale)


def touch_token(session: Session, token_id: int) -> None:
    session.execute(update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=tokens.now()))


def new_signin_link(session: Session, name: str, ttl_seconds: int = 600) -> str:
    """A one-time sign-in token for user ``name``, valid for ``ttl_seconds`` (its hash stored)."""
    if ttl_seconds < 0:
        raise BadValueError("accounts.bad_ttl", ttl=ttl_seconds)
    user = get(session, name)
    token, digest = tokens.new_token()
    expires = tokens.now() + timedelta(seconds=ttl_seconds)
    session.add(SigninLink(user_id=user.id, token_hash=digest, expires_at=expires))
    session.flush()
    return token


def consume_signin(session: Session, token: str) -> Account | None:
    """The user a sign-in token is for, the link spent in this same transaction; None for an
    unknown, expired or used link or a disabled user.

    The link is spent by one conditional UPDATE (``used_at IS NULL AND expires_at > now``), so
    of two requests racing with one link only one sees a row changed, writer lock or not."""
    if not token:
        return None
    at = tokens.now()
    spent = session.execute(
        update(SigninLink)
        .where(
            SigninLink.token_hash == tokens.token_hash(token),
            SigninLink.used_at.is_(None),
            SigninLink.expires_at > at,
        )
        .values(used_at=at)
        .returning(SigninLink.user_id)
    ).first()
    if spent is None:
        return None
    user = session.get(User, spent[0])
    if user is None or user.disabled:
        return None
    return Account.of(user)


def ensure_local_admin(session: Session) -> str:
    """The name of an enabled admin, creating ``admin`` (or ``admin-2``, … when that name is
    taken by another role or a disabled account) with a password nobody knows: the local
    admin signs in by a one-time link."""
    existing = session.scalar(
        select(User.name).where(User.role == Role.ADMIN.value, User.disabled.is_(False)).order_by(User.id).limit(1)
    )
    if existing is not None:
        return existing
    name, n = LOCAL_ADMIN, 1
    while find(session, name) is not None:
        n += 1
        name = f"{LOCAL_ADMIN}-{n}"
    session.add(User(name=name, role=Role.ADMIN.value, password_hash=passwords.unusable_hash(), disabled=False))
    session.flush()
    return name
