"""Accounts of the web workbench: users with a role, their API tokens and one-time sign-in links.

Why these shapes:
- ``users.role`` is one of :class:`chiiki.model.enums.Role` (CHECK ``ck_users_role``); the role
  decides on the server what a person may see (transcripts and interviewee names only for admins
  and researchers).
- Only hashes are stored. ``password_hash`` is an Argon2id string (``$argon2id$…``, see
  :mod:`chiiki.accounts.passwords`); ``token_hash`` of a token or a sign-in link is the SHA-256 hex
  of a 256-bit random token (:mod:`chiiki.accounts.tokens`), unique so a token is found by its hash.
- Times are naive UTC (``DateTime`` without a zone), written by chiiki, not the server, so the
  expiry of a sign-in link compares the same on SQLite (no time zones) and PostgreSQL.
- A user is disabled, not deleted: the audit log and coded segments keep naming who did what.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from chiiki.model.base import Base
from chiiki.model.enums import Role, check


def utcnow() -> datetime:
    """Now as naive UTC, the form every accounts time column holds."""
    return datetime.now(UTC).replace(tzinfo=None)


class User(Base):
    """A person (or the local admin) who signs in to the workbench."""

    __tablename__ = "users"
    __table_args__ = (check("role", Role),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)

    tokens: Mapped[list[ApiToken]] = relationship(back_populates="user", cascade="all, delete-orphan")
    signin_links: Mapped[list[SigninLink]] = relationship(back_populates="user", cascade="all, delete-orphan")


class ApiToken(Base):
    """A long-lived API token (``Authorization: Bearer …``), stored as its SHA-256 hex."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime)

    user: Mapped[User] = relationship(back_populates="tokens")


class SigninLink(Base):
    """A one-time sign-in link: valid until ``expires_at``, spent when ``used_at`` is set."""

    __tablename__ = "signin_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    used_at: Mapped[datetime | None] = mapped_column(DateTime)

    user: Mapped[User] = relationship(back_populates="signin_links")


__all__ = ["ApiToken", "SigninLink", "User", "utcnow"]
