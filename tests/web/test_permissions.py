"""The permission table (chiiki.web.permissions) walked: every route × signed out and every
role → the documented answer; every route of the app has a row; a route without one is closed."""

from __future__ import annotations

from typing import Annotated

import pytest
from fastapi import Depends
from fastapi.routing import iter_route_contexts
from tests.web.conftest import Site, csrf_of, make_client, sign_in

from chiiki.web.context import Viewer, viewer
from chiiki.web.permissions import PERMISSIONS, PUBLIC, ROLES

HUB = "hub:KC1-nagano-ueda"
SAMPLES = {
    "/": "/",
    "/logout": "/logout",
    "/adoptions": "/adoptions",
    "/adoptions.{fmt}": "/adoptions.csv",
    "/adoptions/{adoption_id}": "/adoptions/CA-2007-hirosaki",
    "/hubs/{ref}": f"/hubs/{HUB}",
    "/timeline": "/timeline",
    "/openapi.json": "/openapi.json",
    "/api/v1/adoptions": "/api/v1/adoptions",
    "/api/v1/adoptions/{adoption_id}": "/api/v1/adoptions/CA-2007-hirosaki",
    "/api/v1/hubs/{ref}": f"/api/v1/hubs/{HUB}",
    "/api/v1/summary": "/api/v1/summary",
    "/login": "/login",
    "/signin/{token}": "/signin/not-a-real-token",
    "/healthz": "/healthz",
    "/static": "/static/app.css",
    "/import": "/import",
    "/import/preview": "/import/preview",
    "/import/confirm": "/import/confirm",
    "/imports": "/imports",
}
POSTS = {"/logout", "/import/preview", "/import/confirm"}
# what an allowed role gets from a POST of the walk: sign-out redirects; a preview of a file that
# is no table is a page saying why; a confirm of an upload never previewed is refused (400)
POST_OK = {"/logout": 303, "/import/preview": 200, "/import/confirm": 400}
POST_FIELDS = {"/import/confirm": {"sha": "0" * 64}}
POST_FILES = {"/import/preview": {"file": ("walk.csv", b"not,a\ntable\n", "text/csv")}}


def _routes(app: object) -> set[str]:
    """Every path the app serves, routers included (their prefixes applied)."""
    return {str(c.path) for c in iter_route_contexts(app.routes)}  # type: ignore[attr-defined]


def _ok(route: str) -> int:
    return POST_OK.get(route, 200)


def test_every_route_has_a_row_and_a_sample(site: Site) -> None:
    routes = _routes(make_client(site).app)
    assert routes == set(PERMISSIONS) | PUBLIC
    assert set(SAMPLES) == routes


def _call(client: object, route: str) -> int:
    url = SAMPLES[route]
    if route in POSTS:
        token = csrf_of(client, "/login")  # type: ignore[arg-type]
        data = {"csrf_token": token, **POST_FIELDS.get(route, {})}
        files = POST_FILES.get(route)
        return client.post(url, data=data, files=files, follow_redirects=False).status_code  # type: ignore[attr-defined]
    return client.get(url, follow_redirects=False).status_code  # type: ignore[attr-defined]


def test_signed_out_answers(site: Site) -> None:
    for route in SAMPLES:
        status = _call(make_client(site), route)
        if route in PUBLIC:
            expected = 200
        elif route.startswith("/api/") or route == "/openapi.json":
            expected = 401
        else:
            expected = 303
        assert status == expected, route


@pytest.mark.parametrize("role", ROLES)
def test_every_role_gets_the_documented_answer(site: Site, role: str) -> None:
    client = sign_in(make_client(site), role)
    for route in sorted(SAMPLES, key=lambda r: (r in POSTS, r == "/logout")):  # signing out last
        expected = _ok(route) if route in PUBLIC or role in PERMISSIONS[route] else 403
        assert _call(client, route) == expected, (role, route)


def test_a_route_without_a_row_is_refused_to_everyone(site: Site) -> None:
    client = make_client(site)

    @client.app.get("/not-in-the-table")  # type: ignore[attr-defined]
    def unlisted(v: Annotated[Viewer, Depends(viewer)]) -> dict[str, str]:
        return {"ok": "yes"}

    sign_in(client, "admin")
    assert client.get("/not-in-the-table").status_code == 403
