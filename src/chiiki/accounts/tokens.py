"""Random tokens (API tokens, one-time sign-in links) and the hashes stored for them.

A token is ``secrets.token_urlsafe(32)``: 256 random bits. Only its SHA-256 hex is stored, and a
token is found by looking that hash up (a unique column), so the database never holds anything
a thief could replay, and no comparison of secrets happens in Python.

Why SHA-256 and not a slow hash like the passwords': a slow, salted hash protects *guessable*
secrets against a dictionary attack on a stolen database. A 256-bit random token cannot be
guessed — inverting its SHA-256 means searching 2**256 values — so a fast hash is just as safe
here, and being unsalted and deterministic it can be looked up on every API request.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from chiiki.model.accounts import utcnow

TOKEN_BYTES = 32


def new_token() -> tuple[str, str]:
    """A fresh token and its hash: ``(plain, sha256 hex)``; show the first once, store the second."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    return token, token_hash(token)


def token_hash(token: str) -> str:
    """The SHA-256 hex of ``token`` (its UTF-8 bytes), the form stored and looked up."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def now() -> datetime:
    """The clock of the accounts (naive UTC); one place for tests to move time."""
    return utcnow()
