"""Japanese by default, English by the switch (kept in the session), one language per page."""

from __future__ import annotations

import html
import re

from fastapi.testclient import TestClient
from tests.web.conftest import Site

JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff01-\uff60]")


def _without(page: str, values: set[str]) -> str:
    text = html.unescape(page)
    for value in sorted(values, key=len, reverse=True):
        text = text.replace(value, "")
    return text


def test_japanese_by_default(admin: TestClient) -> None:
    page = admin.get("/adoptions").text
    assert '<html lang="ja">' in page
    for label in ("採択", "開始年度", "絞り込む", "ダウンロード", "サインアウト"):
        assert label in page
    assert 'href="/adoptions?lang=en"' in page
    filtered = admin.get("/adoptions", params={"prefecture": "北海道", "page": "1"}).text
    assert 'href="/adoptions?prefecture=%E5%8C%97%E6%B5%B7%E9%81%93&amp;page=1&amp;lang=en"' in filtered


def test_english_switch_is_remembered_and_has_no_japanese_but_data(site: Site, admin: TestClient) -> None:
    first = admin.get("/adoptions", params={"lang": "en"}).text
    assert '<html lang="en">' in first
    data = set()
    for row in site.wb.list_adoptions().rows:
        data.update(str(v) for v in row.values() if v)
    for path in ("/adoptions", "/adoptions?page=2", "/adoptions?page=3", "/timeline"):
        page = admin.get(path).text  # no ?lang: the session remembers English
        assert '<html lang="en">' in page, path
        left = JAPANESE.findall(_without(page, data))
        assert left == [], (path, left[:10])
    assert "Filter" in first and "Sign out" in first and "start FY" in first
    summary = admin.get("/").text
    assert "121 adoptions" in html.unescape(summary)
    assert '<html lang="ja">' in admin.get("/?lang=ja").text
    assert '<html lang="ja">' in admin.get("/").text


def test_login_page_in_english(client: TestClient) -> None:
    page = client.get("/login?lang=en").text
    assert JAPANESE.findall(page) == []
    assert "Sign in" in page and "Password" in page
