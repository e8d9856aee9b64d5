"""Password hashing with Argon2id (argon2-cffi's :class:`argon2.PasswordHasher`).

Why argon2-cffi: it is the kept binding of the reference implementation, and its
``PasswordHasher`` defaults are Argon2id with the parameters RFC 9106 recommends (low-memory
profile), so the hash string (``$argon2id$v=19$m=…,t=…,p=…$salt$hash``) carries its own
parameters and a later, stronger default is picked up by :func:`needs_rehash` at the next
sign-in. Nothing is hand-rolled here.

Passwords are compared after Unicode NFKC (as NIST SP 800-63B advises), so a password typed
with a Japanese IME in full-width letters is the same password as its half-width spelling.
"""

from __future__ import annotations

import secrets
import unicodedata
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from chiiki.accounts.errors import BadPasswordError

MIN_LENGTH = 8
_HASHER = PasswordHasher()  # argon2-cffi's defaults: Argon2id (RFC 9106 low-memory profile)


def _normalize(password: str) -> str:
    return unicodedata.normalize("NFKC", password)


def check_strength(password: str) -> None:
    """Refuse a password shorter than :data:`MIN_LENGTH` characters (after NFKC)."""
    n = len(_normalize(password))
    if n < MIN_LENGTH:
        raise BadPasswordError("accounts.password_too_short", min=MIN_LENGTH, n=n)


def generate() -> str:
    """A new random password: 12 random bytes, URL-safe base64 (16 characters, 96 bits)."""
    return secrets.token_urlsafe(12)


def hash_password(password: str) -> str:
    """The Argon2id string to store for ``password`` (a fresh random salt each time)."""
    return _HASHER.hash(_normalize(password))


def verify(stored_hash: str, password: str) -> bool:
    """Whether ``password`` matches ``stored_hash``; False for a mismatch or a hash that is not
    an Argon2 string (never raises for a wrong password)."""
    try:
        return bool(_HASHER.verify(stored_hash, _normalize(password)))
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    """Whether ``stored_hash`` was made with other parameters than today's defaults."""
    try:
        return bool(_HASHER.check_needs_rehash(stored_hash))
    except InvalidHashError:
        return True


@cache
def dummy_hash() -> str:
    """A fixed hash of a random secret, made once per process with the same hasher as real
    hashes (so verifying against it costs what a real verification costs): signing in as an
    unknown user takes as long as with a wrong password, and timing does not tell which names exist."""
    return _HASHER.hash(secrets.token_urlsafe(32))


def verify_nobody(password: str) -> None:
    """Spend the time of one verification (for an unknown user); the answer is always no."""
    verify(dummy_hash(), password)


def unusable_hash() -> str:
    """The hash of a random secret nobody is told: an account that can sign in only by a link."""
    return hash_password(secrets.token_urlsafe(32))
