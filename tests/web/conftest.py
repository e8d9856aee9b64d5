"""The web app against a real database with the bundled registry (an SQLite file, and the real
PostgreSQL server when CHIIKI_TEST_PG_URL is set), one user per role with a known password.

The database is made once per test module (``Workbench.init`` loads 121 adoptions: seconds);
each test gets its own app and client (a fresh rate limiter, no cookies).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from chiiki import Settings, Workbench
from chiiki.web.app import create_app
from chiiki.web.permissions import ROLES
from chiiki.web.security import RateLimiter

PASSWORDS = {role: f"pw-{role}-0123456789" for role in ROLES}
CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass
class Site:
    url: str
    wb: Workbench


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    if request.param == "postgresql":
        url = os.environ.get("CHIIKI_TEST_PG_URL")
        if not url:
            pytest.skip("no PostgreSQL server (CHIIKI_TEST_PG_URL unset; `make test` starts one)")
        from chiiki.model.db import dispose_engines, get_engine
        from chiiki.model.migrate import drop_schema

        dispose_engines()
        drop_schema(get_engine(url))
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('web') / 'chiiki.db'}"
    wb = Workbench.open(url)
    wb.init()
    for role in ROLES:
        wb.add_user(f"u_{role}", role, PASSWORDS[role])
    yield Site(url, wb)
    from chiiki.model.db import dispose_engines

    dispose_engines()


def make_client(site: Site, limiter: RateLimiter | None = None) -> TestClient:
    app = create_app(Settings(db_url=site.url), secret_key="test-secret-key", rate_limiter=limiter)
    return TestClient(app, base_url="http://testserver")


@pytest.fixture
def client(site: Site) -> TestClient:
    return make_client(site)


def csrf_of(client: TestClient, path: str = "/login") -> str:
    m = CSRF_RE.search(client.get(path).text)
    assert m, f"no CSRF field on {path}"
    return m.group(1)


def sign_in(client: TestClient, role: str) -> TestClient:
    token = csrf_of(client)
    r = client.post(
        "/login",
        data={"name": f"u_{role}", "password": PASSWORDS[role], "csrf_token": token},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text[:500]
    return client


@pytest.fixture
def admin(client: TestClient) -> TestClient:
    return sign_in(client, "admin")


def repo_root() -> Path:
    return Path(__file__).resolve().parents[2]
