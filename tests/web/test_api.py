"""The JSON API: Bearer tokens or a session, the filters with limit/offset, one adoption, a hub,
the summary, errors as JSON, the OpenAPI schema."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from tests.web.conftest import Site


@pytest.fixture
def bearer(site: Site) -> dict[str, str]:
    return {"Authorization": "Bearer " + site.wb.new_token("u_viewer", "tests").data["token"]}


def test_without_credentials_401(client: TestClient) -> None:
    for path in ("/api/v1/adoptions", "/api/v1/summary", "/api/v1/adoptions/CA-2007-hirosaki", "/openapi.json"):
        r = client.get(path)
        assert r.status_code == 401 and r.json()["status"] == 401, path
        assert r.headers["www-authenticate"] == "Bearer"
    assert client.get("/api/v1/summary", headers={"Authorization": "Bearer not-a-token"}).status_code == 401


def test_adoptions_with_filters_limit_and_offset(client: TestClient, bearer: dict[str, str]) -> None:
    body = client.get("/api/v1/adoptions", headers=bearer).json()
    assert body["total"] == 121 and len(body["rows"]) == 100 and body["columns"][0] == "adoption_id"
    page = client.get("/api/v1/adoptions", params={"limit": 50, "offset": 100}, headers=bearer).json()
    assert len(page["rows"]) == 21 and page["offset"] == 100
    assert client.get("/api/v1/adoptions", params={"prefecture": "北海道"}, headers=bearer).json()["total"] == 6
    ranged = client.get("/api/v1/adoptions", params={"from": "2010", "to": "2015"}, headers=bearer).json()
    assert ranged["total"] == 18
    assert client.get("/api/v1/adoptions", params={"limit": 0}, headers=bearer).status_code == 422


def test_bad_filter_is_a_json_error_with_its_message(client: TestClient, bearer: dict[str, str]) -> None:
    r = client.get("/api/v1/adoptions", params={"from": "soon"}, headers=bearer)
    assert r.status_code == 400
    assert r.json()["message"]["code"] == "registry.bad_filter" and "soon" in r.json()["error"]


def test_one_adoption_hub_and_summary(client: TestClient, bearer: dict[str, str]) -> None:
    a = client.get("/api/v1/adoptions/CA-2007-hirosaki", headers=bearer).json()
    assert a["items"]["start_fy"] == 2007
    assert "http://www.mext.go.jp/b_menu/houdou/22/06/1295030.htm" in a["sources"]
    assert client.get("/api/v1/adoptions/NO-SUCH", headers=bearer).status_code == 404
    hub = client.get(f"/api/v1/hubs/{a['hub']['id']}", headers=bearer).json()
    assert hub["hub"]["key"] == a["hub"]["key"] and any(s["adoption"]["id"] == "CA-2007-hirosaki" for s in hub["steps"])
    assert client.get("/api/v1/summary", headers=bearer).json()["n_adoptions"] == 121


def test_a_session_works_for_the_api_too(admin: TestClient) -> None:
    assert admin.get("/api/v1/summary").json()["n_adoptions"] == 121


def test_openapi_schema_lists_the_routes(client: TestClient, bearer: dict[str, str]) -> None:
    schema = client.get("/openapi.json", headers=bearer).json()
    for path in ("/api/v1/adoptions", "/api/v1/adoptions/{adoption_id}", "/api/v1/hubs/{ref}", "/api/v1/summary"):
        assert path in schema["paths"]
    params = {p["name"] for p in schema["paths"]["/api/v1/adoptions"]["get"]["parameters"]}
    assert {
        "program",
        "prefecture",
        "from",
        "to",
        "grade",
        "interim_grade",
        "has_successor",
        "limit",
        "offset",
    } <= params
    assert client.get("/api/docs", headers=bearer).status_code == 404  # no CDN page (see chiiki.web.app)
