"""The import pages against a real database (SQLite, and PostgreSQL when configured): a CP932
file with a bad row is previewed with the row, column and reason and the bad cell highlighted,
nothing written; the fixed file shows its counts, the confirm writes it and one history row
(file name, SHA-256) appears; roles, CSRF and escaping of cell values are checked on the server.

Tests run in file order on one module database: the writes come last.
"""

from __future__ import annotations

import hashlib
import re

from fastapi.testclient import TestClient
from tests.web.conftest import Site, csrf_of, sign_in

JA_HEADER = "事業名,都道府県名,エリア名,課題名,中核機関,事業開始年度,事業終了年度,中間評価,事後評価,事業予算の総額\n"
ECO = "地域イノベーション・エコシステム形成プログラム"
GOOD_ROWS = (
    f"{ECO},宮城県,ウェブ取込テスト甲,課題,,平成28年度,R2,,,\n{ECO},宮城県,ウェブ取込テスト乙,課題,,2017,2021,,,\n"
)
BAD_ROWS = (
    f"{ECO},宮城県,ウェブ取込テスト甲,課題,,平成28年度,R2,,,\n{ECO},宮城県,ウェブ取込テスト乙,課題,,来年,2021,,,\n"
)


def _file(text: str) -> bytes:
    return (JA_HEADER + text).encode("cp932")


def _preview(client: TestClient, name: str, data: bytes, **fields: str) -> str:
    token = csrf_of(client, "/import")
    r = client.post(
        "/import/preview",
        data={"csrf_token": token, **fields},
        files={"file": (name, data, "text/csv")},
    )
    assert r.status_code == 200, r.text[:500]
    return r.text


def _cells(html: str, table_id: str) -> list[list[str]]:
    """The cells of one table of the page, with their class attribute: ``class|text``."""
    body = html.split(f'id="{table_id}"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", body, flags=re.S)
    return [
        [f"{cls}|{text.strip()}" for cls, text in re.findall(r'<t[dh](?: class="([^"]*)")?>(.*?)</t[dh]>', r, re.S)]
        for r in rows
    ]


def test_a_bad_row_is_listed_with_its_cell_highlighted_and_nothing_written(site: Site, client: TestClient) -> None:
    sign_in(client, "coordinator")
    before = site.wb.summary().n_adoptions
    html = _preview(client, "採択一覧_sjis.csv", _file(BAD_ROWS))
    errors = _cells(html, "row-errors")
    # header, then one error: row 3 (line 3 of the file), the column, the value, the reason in Japanese
    assert len(errors) == 2
    row, column, value, reason = (c.split("|", 1)[1] for c in errors[1])
    assert (row, column, value) == ("3", "事業開始年度", "来年")
    assert reason.startswith("年度として読めません")
    # the file's rows around the error, the bad cell (and only it) highlighted
    shown = _cells(html, "file-rows")
    bad_row = next(r for r in shown if r[0] == "|3")
    assert [c for c in bad_row if c.startswith("bad-cell|")] == ["bad-cell|来年"]
    assert "|ウェブ取込テスト甲" in next(r for r in shown if r[0] == "|2")
    assert not any(c.startswith("bad-cell") for r in shown if r[0] != "|3" for c in r)
    assert "Confirm" not in html and 'action="/import/confirm"' not in html
    assert site.wb.summary().n_adoptions == before
    assert site.wb.import_history().rows == []


def test_a_script_in_a_cell_is_shown_as_text(site: Site, client: TestClient) -> None:
    sign_in(client, "researcher")
    evil = f"{ECO},宮城県,ウェブ取込テスト丙,課題,,<script>alert(1)</script>,2021,,,\n"
    html = _preview(client, "evil.csv", _file(evil))
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'class="bad-cell">&lt;script&gt;' in html


def test_an_xlsx_with_a_title_row_highlights_the_spreadsheet_row(site: Site, client: TestClient) -> None:
    import io

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "採択一覧"
    sheet.append(["平成28年度 採択地域一覧（サンプル）"])
    sheet.append(JA_HEADER.strip().split(","))
    sheet.append([ECO, "宮城県", "XLSX取込テスト", "課題", None, 2016, 2020, None, "Ｚ", None])
    out = io.BytesIO()
    book.save(out)
    sign_in(client, "admin")
    html = _preview(client, "一覧.xlsx", out.getvalue(), sheet="採択一覧")
    row, column, value, _reason = (c.split("|", 1)[1] for c in _cells(html, "row-errors")[1])
    assert (row, column, value) == ("3", "事後評価", "Ｚ")
    bad_row = next(r for r in _cells(html, "file-rows") if r[0] == "|3")
    assert [c for c in bad_row if c.startswith("bad-cell|")] == ["bad-cell|Ｚ"]
    assert site.wb.import_history().rows == []


def test_a_preview_without_csrf_is_refused(site: Site, client: TestClient) -> None:
    sign_in(client, "admin")
    r = client.post("/import/preview", files={"file": ("a.csv", _file(GOOD_ROWS), "text/csv")})
    assert r.status_code == 403
    assert site.wb.import_history().rows == []


def test_a_viewer_and_an_expert_may_not_import(site: Site, client: TestClient) -> None:
    for role in ("viewer", "expert"):
        sign_in(client, role)
        assert client.get("/import").status_code == 403
        assert client.get("/imports").status_code == 403
        token = csrf_of(client, "/login")
        r = client.post(
            "/import/preview", data={"csrf_token": token}, files={"file": ("a.csv", _file(GOOD_ROWS), "text/csv")}
        )
        assert r.status_code == 403
        client.cookies.clear()


def test_a_confirm_needs_the_previewed_upload(site: Site, client: TestClient) -> None:
    sign_in(client, "admin")
    token = csrf_of(client, "/import")
    digest = hashlib.sha256(_file(GOOD_ROWS)).hexdigest()
    r = client.post("/import/confirm", data={"csrf_token": token, "sha": digest}, follow_redirects=False)
    assert r.status_code == 400
    assert site.wb.import_history().rows == []


def test_the_fixed_file_shows_counts_then_imports_with_a_history_row(site: Site, client: TestClient) -> None:
    sign_in(client, "coordinator")
    before = site.wb.summary().n_adoptions
    data = _file(GOOD_ROWS)
    html = _preview(client, "採択一覧_sjis.csv", data)
    assert 'id="row-errors"' not in html
    assert re.search(r'id="n-inserted">2<', html) and re.search(r'id="n-unchanged">0<', html)
    assert site.wb.summary().n_adoptions == before  # a preview writes nothing
    digest = hashlib.sha256(data).hexdigest()
    assert f'name="sha" value="{digest}"' in html
    from chiiki.web.app import STATIC

    staged = client.app.state.upload_folder / f"{digest}.csv"  # type: ignore[attr-defined]
    assert staged.read_bytes() == data and STATIC not in staged.parents
    token = csrf_of(client, "/import")
    r = client.post("/import/confirm", data={"csrf_token": token, "sha": digest}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/imports"
    assert not staged.exists()  # used up
    assert site.wb.summary().n_adoptions == before + 2 == 121 + 2
    history = site.wb.import_history().rows
    assert len(history) == 1
    h = history[0]
    assert (h["user_name"], h["file_name"], h["sha256"], h["table_name"]) == (
        "u_coordinator",
        "採択一覧_sjis.csv",
        digest,
        "adoptions",
    )
    assert (h["inserted"], h["updated"], h["unchanged"]) == (2, 0, 0)
    page = client.get("/imports").text
    assert "採択一覧_sjis.csv" in page and digest in page and "u_coordinator" in page
    # the same confirm again: the upload was used up
    r = client.post("/import/confirm", data={"csrf_token": token, "sha": digest}, follow_redirects=False)
    assert r.status_code == 400
    assert len(site.wb.import_history().rows) == 1


def test_a_cli_import_is_recorded_as_local(site: Site, tmp_path: object) -> None:
    from pathlib import Path

    path = Path(str(tmp_path)) / "cli.csv"
    path.write_bytes(_file(f"{ECO},宮城県,CLI取込テスト,課題,,2018,2022,,,\n"))
    from chiiki import Settings, Workbench

    Workbench(Settings(db_url=site.url)).import_file(path)
    h = site.wb.import_history().rows[0]
    assert (h["user_name"], h["file_name"], h["inserted"]) == ("local", str(path), 1)
    assert h["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
