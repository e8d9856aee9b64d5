"""Signing in: by password, by the one-time link, wrong passwords, the rate limit, sessions."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from tests.web.conftest import PASSWORDS, Site, csrf_of, make_client

from chiiki.web.security import RateLimiter


def test_pages_need_a_signed_in_user(client: TestClient) -> None:
    r = client.get("/adoptions?prefecture=x", follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"] == "/login?next=%2Fadoptions%3Fprefecture%3Dx"
    assert client.get("/api/v1/adoptions").status_code == 401


def test_sign_in_by_password_shows_the_registry(client: TestClient) -> None:
    token = csrf_of(client)
    r = client.post(
        "/login",
        data={"name": "u_viewer", "password": PASSWORDS["viewer"], "csrf_token": token, "next": "/timeline"},
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"] == "/timeline"
    cookie = r.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie
    assert "secure" not in cookie  # CHIIKI_SECURE_COOKIES unset: plain http on 127.0.0.1 works
    page = client.get("/")
    assert page.status_code == 200 and "121" in page.text and "u_viewer" in page.text


def test_wrong_password_is_refused_with_a_message(client: TestClient) -> None:
    token = csrf_of(client)
    r = client.post("/login", data={"name": "u_viewer", "password": "nope-nope-nope", "csrf_token": token})
    assert r.status_code == 401
    assert "ユーザー名またはパスワードが違います" in r.text
    assert client.get("/", follow_redirects=False).status_code == 303  # still signed out


def test_open_redirect_after_sign_in_is_refused(client: TestClient) -> None:
    token = csrf_of(client)
    r = client.post(
        "/login",
        data={"name": "u_admin", "password": PASSWORDS["admin"], "csrf_token": token, "next": "//evil.example/"},
        follow_redirects=False,
    )
    assert r.headers["location"] == "/"


def test_rate_limit_after_five_failures(site: Site) -> None:
    now = [1000.0]
    client = make_client(site, RateLimiter(limit=5, window=300, clock=lambda: now[0]))
    token = csrf_of(client)
    wrong = {"name": "u_admin", "password": "guess-guess-guess", "csrf_token": token}
    assert [client.post("/login", data=wrong).status_code for _ in range(5)] == [401] * 5
    right = {**wrong, "password": PASSWORDS["admin"]}
    blocked = client.post("/login", data=right, follow_redirects=False)
    assert blocked.status_code == 429  # not even checked while blocked
    viewer = {**right, "name": "u_viewer", "password": PASSWORDS["viewer"]}
    assert client.post("/login", data=viewer, follow_redirects=False).status_code == 303  # another name: not blocked
    right["csrf_token"] = csrf_of(client)  # signing in made a new session (and CSRF token)
    assert client.post("/login", data=right, follow_redirects=False).status_code == 429
    now[0] += 301
    assert client.post("/login", data=right, follow_redirects=False).status_code == 303


def test_one_time_link_signs_in_once(site: Site, client: TestClient) -> None:
    token = site.wb.signin_link("u_researcher")
    r = client.get(f"/signin/{token}")
    assert r.status_code == 200 and r.url.path == "/" and "121" in r.text
    other = make_client(site)
    again = other.get(f"/signin/{token}")
    assert "このサインインリンクは無効です" in again.text
    assert other.get("/", follow_redirects=False).status_code == 303


def test_logout_ends_the_session(admin: TestClient) -> None:
    token = csrf_of(admin, "/")
    r = admin.post("/logout", data={"csrf_token": token}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login"
    assert admin.get("/", follow_redirects=False).status_code == 303


def test_a_forged_cookie_is_not_a_session(site: Site) -> None:
    client = make_client(site)
    client.cookies.set("chiiki_session", "eyJ1c2VyIjp7ImlkIjoxLCJuYW1lIjoiYWRtaW4iLCJyb2xlIjoiYWRtaW4ifX0=.x.y")
    assert client.get("/", follow_redirects=False).status_code == 303


def test_secure_cookie_when_asked(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHIIKI_SECURE_COOKIES", "1")
    client = make_client(site)
    r = client.get("https://testserver/login")
    assert "secure" in r.headers["set-cookie"].lower()


def test_a_disabled_user_is_signed_out_at_once(site: Site) -> None:
    """The session cookie names the user; what they may do is read again on each request, so
    disabling an account takes effect on the next click, not when the 8-hour cookie expires."""
    from sqlalchemy import create_engine, text

    site.wb.add_user("u_leaving", "viewer", "leaving-password")
    client = make_client(site)
    r = client.post(
        "/login",
        data={"name": "u_leaving", "password": "leaving-password", "csrf_token": csrf_of(client)},
        follow_redirects=False,
    )
    assert r.status_code == 303 and client.get("/").status_code == 200
    engine = create_engine(site.url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE users SET disabled = :yes WHERE name = 'u_leaving'"), {"yes": True})
    engine.dispose()
    assert client.get("/", follow_redirects=False).status_code == 303
    assert client.get("/api/v1/summary").status_code == 401
