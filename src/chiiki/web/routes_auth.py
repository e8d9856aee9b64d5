"""Signing in and out: the password form, the one-time link ``chiiki serve`` prints, logout.

A successful sign-in replaces the whole session (a new CSRF token, the language kept), so a
session made before signing in cannot be carried into the signed-in one. Failed passwords are
counted per address and name; the sixth within five minutes gets 429 without being checked.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from chiiki.web.context import USER_KEY, Viewer, anonymous, viewer
from chiiki.web.i18n import LANG_KEY, page
from chiiki.web.security import RateLimiter, csrf_token

router = APIRouter()


def _limiter(request: Request) -> RateLimiter:
    limiter: RateLimiter = request.app.state.rate_limiter
    return limiter


def _address(request: Request) -> str:
    return request.client.host if request.client else "-"


def _safe_next(target: str | None) -> str:
    """Only a path on this site (never ``//host`` or ``http://…``): no open redirect."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


def start_session(request: Request, user_id: int, name: str, role: str) -> None:
    lang = request.session.get(LANG_KEY)
    request.session.clear()
    if lang:
        request.session[LANG_KEY] = lang
    request.session[USER_KEY] = {"id": user_id, "name": name, "role": role}
    csrf_token(request.session)


def _login_page(
    v: Viewer, *, status: int = 200, error: str | None = None, name: str = "", target: str = "/"
) -> Response:
    html = page(v.lang, "login.html", {"v": v, "error": error, "name": name, "next": target})
    return HTMLResponse(html, status_code=status)


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, v: Annotated[Viewer, Depends(anonymous)], next: str = "/") -> Response:  # noqa: A002
    return _login_page(v, target=_safe_next(next))


@router.post("/login", response_class=HTMLResponse)
def login(
    request: Request,
    v: Annotated[Viewer, Depends(anonymous)],
    name: Annotated[str, Form(max_length=200)],
    password: Annotated[str, Form(max_length=1000)],
    next: Annotated[str, Form()] = "/",  # noqa: A002
) -> Response:
    limiter, address = _limiter(request), _address(request)
    if limiter.blocked(address, name):
        return _login_page(v, status=429, error="too_many", name=name, target=_safe_next(next))
    info = v.wb.authenticate(name, password)
    if info is None:
        limiter.failed(address, name)
        return _login_page(v, status=401, error="wrong", name=name, target=_safe_next(next))
    limiter.succeeded(address, name)
    start_session(request, info.id, info.name, info.role)
    return RedirectResponse(_safe_next(next), status_code=303)


@router.get("/signin/{token}", response_class=HTMLResponse)
def signin_link(request: Request, token: str, v: Annotated[Viewer, Depends(anonymous)]) -> Response:
    info = v.wb.consume_signin(token) if len(token) <= 200 else None
    if info is None:
        return _login_page(v, error="bad_link")  # the sign-in form, with why the link failed
    start_session(request, info.id, info.name, info.role)
    return RedirectResponse("/", status_code=303)


@router.post("/logout")
def logout(request: Request, v: Annotated[Viewer, Depends(viewer)]) -> Response:
    lang = request.session.get(LANG_KEY)
    request.session.clear()
    if lang:
        request.session[LANG_KEY] = lang
    return RedirectResponse("/login", status_code=303)


@router.get("/healthz")
def healthz() -> JSONResponse:
    return JSONResponse({"ok": True})
