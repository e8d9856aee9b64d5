"""The import in a real Chromium: a CP932 CSV with a bad row is refused with the row, column and
reason and the bad cell visibly highlighted (the stylesheet applied under the CSP); the fixed
file shows its counts, the confirm writes it and the history shows the file."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from tests.web.browser.conftest import Console, Server, sign_in_with_password

pytestmark = pytest.mark.xdist_group("browser")

HEADER = "事業名,都道府県名,エリア名,課題名,中核機関,事業開始年度,事業終了年度,中間評価,事後評価,事業予算の総額\n"
ECO = "地域イノベーション・エコシステム形成プログラム"
GOOD = (
    f"{ECO},宮城県,ブラウザ取込テスト甲,課題,,平成28年度,R2,,,\n{ECO},宮城県,ブラウザ取込テスト乙,課題,,2017,2021,,,\n"
)
BAD = GOOD.replace(",2017,", ",来年,")


def _upload(page: Page, path: Path) -> None:
    page.set_input_files("form.upload input[type=file]", str(path))
    page.click("form.upload button[type=submit]")
    page.wait_for_url("**/import/preview")


def test_bad_row_highlighted_then_fixed_file_imported(
    page: Page, server: Server, console: Console, shoot: Any, tmp_path: Path
) -> None:
    bad = tmp_path / "採択一覧_sjis.csv"
    bad.write_bytes((HEADER + BAD).encode("cp932"))
    sign_in_with_password(page, server, "coordinator")
    page.goto(f"{server.base}/import")
    _upload(page, bad)
    errors = page.locator("#row-errors tbody tr")
    expect(errors).to_have_count(1)
    cells = errors.first.locator("td").all_inner_texts()
    assert cells[:3] == ["3", "事業開始年度", "来年"] and cells[3].startswith("年度として読めません")
    cell = page.locator("#file-rows td.bad-cell")
    expect(cell).to_have_count(1)
    expect(cell).to_have_text("来年")
    expect(cell).to_have_css("background-color", "rgb(255, 214, 214)")  # app.css loaded: highlighted
    expect(page.locator("form[action='/import/confirm']")).to_have_count(0)
    shoot("refused")
    fixed = tmp_path / "採択一覧_sjis_fixed.csv"
    fixed.write_bytes((HEADER + GOOD).encode("cp932"))
    _upload(page, fixed)  # the form under the errors
    expect(page.locator("#n-inserted")).to_have_text("2")
    shoot("preview")
    page.click("form[action='/import/confirm'] button[type=submit]")
    page.wait_for_url(f"{server.base}/imports")
    history = page.locator("#history tbody tr")
    expect(history).to_have_count(1)
    row = history.first.inner_text()
    assert fixed.name in row and "u_coordinator" in row
    assert hashlib.sha256(fixed.read_bytes()).hexdigest() in row
    shoot("history")
    assert page.evaluate("typeof window.htmx") == "object"
    assert console.problems() == []
