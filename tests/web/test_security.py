"""CSRF, security headers, body size limit, escaping of data values, the session secret."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from fastapi.testclient import TestClient
from tests.web.conftest import PASSWORDS, Site, csrf_of, make_client

from chiiki import Settings, Workbench
from chiiki.web.app import create_app
from chiiki.web.security import CSP, secret_key


def test_missing_or_wrong_csrf_token_is_403(admin: TestClient) -> None:
    assert admin.post("/logout", follow_redirects=False).status_code == 403
    assert admin.post("/logout", data={"csrf_token": "forged"}, follow_redirects=False).status_code == 403
    assert admin.get("/", follow_redirects=False).status_code == 200  # still signed in
    token = csrf_of(admin, "/")
    assert admin.post("/logout", headers={"X-CSRF-Token": token}, follow_redirects=False).status_code == 303


def test_login_form_needs_its_csrf_token(client: TestClient) -> None:
    client.get("/login")
    r = client.post("/login", data={"name": "u_admin", "password": PASSWORDS["admin"]}, follow_redirects=False)
    assert r.status_code == 403


def test_bearer_requests_need_no_csrf_token(site: Site, client: TestClient) -> None:
    token = site.wb.new_token("u_viewer").data["token"]
    r = client.post("/logout", headers={"Authorization": f"Bearer {token}"}, follow_redirects=False)
    assert r.status_code == 303


def test_security_headers_on_every_response(admin: TestClient) -> None:
    for path in ("/", "/login", "/static/app.css", "/adoptions/no-such-id", "/api/v1/summary", "/healthz"):
        r = admin.get(path, follow_redirects=False)
        assert r.headers["content-security-policy"] == CSP, path
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["referrer-policy"] == "same-origin"
        assert r.headers["x-frame-options"] == "DENY"


def test_templates_hold_no_inline_script_or_style() -> None:
    folder = Path(__file__).resolve().parents[2] / "src" / "chiiki" / "web" / "templates"
    for path in folder.glob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert "<style" not in text and " style=" not in text, path
        for tag in text.split("<script")[1:]:
            assert tag.lstrip().startswith("src="), path
        assert "onclick" not in text and "onload" not in text, path


def test_body_size_limit_is_413(client: TestClient) -> None:
    r = client.post("/login", content=b"x" * (20 * 1024 * 1024 + 1), headers={"content-type": "text/plain"})
    assert r.status_code == 413
    assert r.headers["content-security-policy"] == CSP


def test_script_in_a_name_shows_as_text(db_url: str, tmp_path: Path) -> None:
    wb = Workbench.open(db_url)
    wb.init()
    evil = "<script>alert(1)</script>"
    csv = tmp_path / "evil.csv"
    csv.write_text(
        "adoption_id,program_id,region_name,prefectures,start_fy,end_fy,title\n"
        f'XSS-1,CA_IPPAN,{evil},北海道,2010,2012,"=HYPERLINK(""http://x"")"\n'
        "XSS-2,CA_IPPAN,=1+2,北海道,2011,2013,formula\n",
        encoding="utf-8",
    )
    wb.import_file(csv)
    wb.add_user("u_admin", "admin", PASSWORDS["admin"])
    client = TestClient(create_app(Settings(db_url=db_url), secret_key="k"))
    token = csrf_of(client)
    client.post("/login", data={"name": "u_admin", "password": PASSWORDS["admin"], "csrf_token": token})
    for path in ("/adoptions?prefecture=北海道", "/adoptions/XSS-1"):
        page = client.get(path).text
        assert evil not in page, path
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page, path
    import csv as csvmod
    import io

    rows = list(
        csvmod.DictReader(io.StringIO(client.get("/adoptions.csv?prefecture=北海道").content.decode("utf-8-sig")))
    )
    assert next(r for r in rows if r["adoption_id"] == "XSS-1")["region_name"] == evil
    assert next(r for r in rows if r["adoption_id"] == "XSS-2")["region_name"] == "'=1+2"  # never a formula
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(client.get("/adoptions.xlsx?prefecture=北海道").content)).active
    cell = next(row[2] for row in sheet.iter_rows(min_row=2) if row[0].value == "XSS-2")
    assert cell.value == "=1+2" and cell.data_type == "s"
    detail = client.get("/api/v1/adoptions/XSS-1").json()
    assert detail["items"]["region_name"] == evil and detail["items"]["title"].startswith("=")


def test_sql_looking_filter_values_are_harmless(admin: TestClient) -> None:
    for value in ("' OR 1=1 --", "北海道'; DROP TABLE adoptions; --"):
        r = admin.get("/api/v1/adoptions", params={"prefecture": value})
        assert r.status_code == 200 and r.json()["total"] == 0
    assert admin.get("/api/v1/adoptions").json()["total"] == 121


def test_secret_key_file_is_private_and_stable(tmp_path: Path) -> None:
    db = tmp_path / "chiiki.db"
    first = secret_key(db, environ={})
    assert len(first) >= 40 and secret_key(db, environ={}) == first
    mode = stat.S_IMODE(os.stat(tmp_path / "chiiki-secret.key").st_mode)
    assert mode == 0o600
    assert secret_key(db, environ={"CHIIKI_SECRET_KEY": "from-env"}) == "from-env"
    assert [p.name for p in tmp_path.iterdir()] == ["chiiki-secret.key"]  # no temporary left


def test_sessions_survive_a_restart(site: Site) -> None:
    """Two apps with the same key (two workers, or a restart) accept each other's cookies."""
    a, b = make_client(site), make_client(site)
    token = csrf_of(a)
    a.post("/login", data={"name": "u_viewer", "password": PASSWORDS["viewer"], "csrf_token": token})
    b.cookies.update(a.cookies)
    assert b.get("/", follow_redirects=False).status_code == 200
