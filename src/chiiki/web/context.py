"""Who is asking, in which language, through which workbench: the request context every route
gets from one dependency, with the sign-in, role and CSRF checks made before the route runs.

A browser is signed in by its session cookie; a script by ``Authorization: Bearer <token>``
(then the session is ignored, and no CSRF token is needed: a cross-site page cannot send that
header). The workbench of a request is the app's, narrowed to the user
(:meth:`chiiki.Workbench.as_user`: what they may see).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from fastapi import HTTPException, Request

from chiiki.web.i18n import LANG_KEY, pick_lang
from chiiki.web.permissions import PUBLIC, allowed
from chiiki.web.security import (
    CSRF_FIELD,
    CSRF_HEADER,
    UNSAFE_METHODS,
    bearer_token,
    csrf_token,
    csrf_valid,
)

if TYPE_CHECKING:
    from chiiki.workbench import Workbench

USER_KEY = "user"


class NotSignedIn(Exception):
    """Raised by :func:`viewer` for a page without a signed-in user (→ redirect to /login)."""


@dataclass(frozen=True)
class Viewer:
    """One request's user (a dict: id, name, role), language and workbench."""

    user: dict[str, Any] | None
    lang: str
    wb: Workbench
    csrf: str
    path: str

    query: tuple[tuple[str, str], ...] = ()

    @property
    def role(self) -> str | None:
        return self.user["role"] if self.user else None

    def lang_link(self, lang: str) -> str:
        """This page in another language: the same path and query, ``lang`` replaced."""
        pairs = [(k, v) for k, v in self.query if k != "lang"] + [("lang", lang)]
        return self.path + "?" + urlencode(pairs)


def is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/openapi.json"


def base_workbench(request: Request) -> Workbench:
    wb: Workbench = request.app.state.workbench
    return wb


def user_info(user: dict[str, Any]) -> Any:
    """The Workbench's ``UserInfo`` for a user kept in the session."""
    from chiiki.workbench import UserInfo

    return UserInfo(id=int(user["id"]), name=str(user["name"]), role=str(user["role"]))


def session_user(request: Request) -> dict[str, Any] | None:
    user = request.session.get(USER_KEY)
    if isinstance(user, dict) and {"id", "name", "role"} <= user.keys():
        return user
    return None


def request_lang(request: Request) -> str:
    """``?lang=`` (remembered in the session), else the session's choice, else Japanese."""
    lang = pick_lang(request.query_params.get("lang"), request.session.get(LANG_KEY))
    if request.query_params.get("lang") == lang:
        request.session[LANG_KEY] = lang
    return lang


def _route_path(request: Request) -> str:
    route = request.scope.get("route")
    return str(getattr(route, "path", request.url.path))


def viewer(request: Request) -> Viewer:
    """The context of a request that needs a signed-in user with a role the route allows."""
    wb = base_workbench(request)
    lang = request_lang(request)
    token = bearer_token(request.headers.get("authorization"))
    if token is not None:
        info = wb.user_for_token(token)
        if info is None:
            raise HTTPException(401, "invalid token", headers={"WWW-Authenticate": "Bearer"})
        user: dict[str, Any] | None = {"id": info.id, "name": info.name, "role": info.role}
    else:
        user = session_user(request)
        if user is not None:  # the user as they are now: disabled, or a changed role, counts at once
            current = wb.user_by_id(int(user["id"]))
            if current is None:
                request.session.pop(USER_KEY, None)
                user = None
            else:
                fresh = {"id": current.id, "name": current.name, "role": current.role}
                if fresh != user:
                    request.session[USER_KEY] = fresh
                user = fresh
    route = _route_path(request)
    if user is None:
        if is_api(request):
            raise HTTPException(401, "sign-in required", headers={"WWW-Authenticate": "Bearer"})
        raise NotSignedIn
    if not allowed(route, str(user["role"])):
        raise HTTPException(403, "forbidden")
    narrowed = wb.as_user(user_info(user)).with_lang(lang)
    return Viewer(user, lang, narrowed, csrf_token(request.session), request.url.path, _query(request))


def anonymous(request: Request) -> Viewer:
    """The context of a public page (sign-in): language and CSRF token, no user."""
    lang, wb = request_lang(request), base_workbench(request)
    return Viewer(session_user(request), lang, wb, csrf_token(request.session), request.url.path, _query(request))


def _query(request: Request) -> tuple[tuple[str, str], ...]:
    return tuple(request.query_params.multi_items())


async def csrf_guard(request: Request) -> None:
    """Every unsafe request carries the session's CSRF token (header or form field), except
    one authenticated by a Bearer token (no cookie is involved). Wrong or missing → 403."""
    if request.method not in UNSAFE_METHODS or bearer_token(request.headers.get("authorization")):
        return
    sent = request.headers.get(CSRF_HEADER)
    if not sent and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        form = await request.form()
        value = form.get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    if not csrf_valid(request.session, sent):
        raise HTTPException(403, "CSRF token missing or wrong")


def public_route(path: str) -> bool:
    return path in PUBLIC
