"""The web app's security basics: the session secret, CSRF tokens, response headers, the body
size limit and the sign-in rate limit.

Why by hand: Starlette gives the signed session cookie (itsdangerous) and FastAPI the
dependencies; what is left is small and specific — a per-session CSRF token compared in constant
time, a fixed set of headers on every response, and a failure counter per address and name —
and none of the CSRF or rate-limit packages on PyPI is both well kept and free of a database or
Redis of its own. Nothing here logs a request body.
"""

from __future__ import annotations

import hmac
import os
import secrets
import time
from collections import deque
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

ENV_SECRET = "CHIIKI_SECRET_KEY"
ENV_SECURE = "CHIIKI_SECURE_COOKIES"
ENV_HOME = "CHIIKI_HOME"
SECRET_FILE = "chiiki-secret.key"
CSRF_KEY = "csrf"
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
MAX_BODY_BYTES = 20 * 1024 * 1024  # uploads (later slices) are refused above this with 413

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
    "frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)
SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
)


# -- the session secret ---------------------------------------------------------------------------
def secret_key(sqlite_path: Path | None, environ: Mapping[str, str] | None = None) -> str:
    """The key that signs session cookies: ``CHIIKI_SECRET_KEY``, else the file
    ``chiiki-secret.key`` next to the SQLite database (or in ``CHIIKI_HOME``, or the current
    folder), created once with mode 0600 so sessions survive a restart and every worker of one
    server signs with the same key."""
    env = os.environ if environ is None else environ
    if env.get(ENV_SECRET):
        return env[ENV_SECRET]
    if sqlite_path is not None:
        folder = sqlite_path.resolve().parent
    else:
        folder = Path(env[ENV_HOME]) if env.get(ENV_HOME) else Path.cwd()
    return _key_file(folder / SECRET_FILE)


def _key_file(path: Path) -> str:
    """Read the key file, or create it whole: written to a private temporary file, fsynced, then
    hard-linked to its name (fails if a concurrent worker won: then its key is read). The link
    makes the file appear complete or not at all, as :mod:`chiiki.ingest.atomic` does for the
    files the library writes (which the web layer may not import)."""
    if path.exists():
        return path.read_text(encoding="ascii").strip()
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(8)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(secrets.token_urlsafe(48) + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass
    finally:
        tmp.unlink(missing_ok=True)
    return path.read_text(encoding="ascii").strip()


def secure_cookies(environ: Mapping[str, str] | None = None) -> bool:
    """``CHIIKI_SECURE_COOKIES=1`` marks the session cookie Secure (set it behind https)."""
    env = os.environ if environ is None else environ
    return env.get(ENV_SECURE, "").strip().lower() in {"1", "true", "yes", "on"}


# -- CSRF -----------------------------------------------------------------------------------------
def csrf_token(session: dict[str, Any]) -> str:
    """The session's CSRF token (made on first use); every form carries it in a hidden field."""
    token = session.get(CSRF_KEY)
    if not isinstance(token, str) or not token:
        token = secrets.token_urlsafe(32)
        session[CSRF_KEY] = token
    return token


def csrf_valid(session: Mapping[str, Any], sent: str | None) -> bool:
    expected = session.get(CSRF_KEY)
    if not isinstance(expected, str) or not expected or not sent:
        return False
    return hmac.compare_digest(expected.encode(), sent.encode())


def bearer_token(authorization: str | None) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header (None without one)."""
    if not authorization:
        return None
    scheme, _, token = authorization.partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


# -- the sign-in rate limit -----------------------------------------------------------------------
class RateLimiter:
    """At most ``limit`` failed sign-ins per ``window`` seconds per (address, name).

    Kept in the process's memory: with several workers each counts its own failures, so the
    bound is ``limit`` × workers — still a bound a password guesser cannot live with. The clock
    is a parameter so tests need no sleeping.
    """

    def __init__(self, limit: int = 5, window: float = 300.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit, self.window, self.clock = limit, window, clock
        self._failures: dict[tuple[str, str], deque[float]] = {}

    def _recent(self, key: tuple[str, str]) -> deque[float]:
        now = self.clock()
        q = self._failures.setdefault(key, deque())
        while q and now - q[0] >= self.window:
            q.popleft()
        return q

    def blocked(self, address: str, name: str) -> bool:
        return len(self._recent((address, name.strip().lower()))) >= self.limit

    def failed(self, address: str, name: str) -> None:
        key = (address, name.strip().lower())
        self._recent(key).append(self.clock())
        if len(self._failures) > 10_000:  # forget the oldest keys rather than grow without end
            for stale in list(self._failures)[:1000]:
                del self._failures[stale]

    def succeeded(self, address: str, name: str) -> None:
        self._failures.pop((address, name.strip().lower()), None)


# -- ASGI middleware ------------------------------------------------------------------------------
class SecurityHeaders:
    """Adds the Content-Security-Policy and the other fixed headers to every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in SECURITY_HEADERS if k not in names]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, send_with_headers)


class _TooLarge(Exception):
    pass


class BodyLimit:
    """Refuses a request body larger than ``max_bytes`` with 413: at once when Content-Length
    says so, and while reading when a chunked body grows past it."""

    def __init__(self, app: ASGIApp, max_bytes: int = MAX_BODY_BYTES) -> None:
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope.get("headers", [])).get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_bytes):
            await _plain_response(send, 413, b"request body too large")
            return
        seen = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise _TooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except _TooLarge:
            if not started:
                await _plain_response(send, 413, b"request body too large")


async def _plain_response(send: Send, status: int, body: bytes) -> None:
    headers = [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
