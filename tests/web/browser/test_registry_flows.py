"""The registry in a real Chromium: sign in with the printed one-time link, sign in with a
password, filter the adoptions, switch the page language — with the CSP holding on every page
(no blocked inline script or style, no script error) and htmx loaded from our own static files."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect
from tests.web.browser.conftest import Console, Server, sign_in_with_password

pytestmark = pytest.mark.xdist_group("browser")


def _assert_clean(page: Page, console: Console) -> None:
    """htmx came from /static/vendor (the CSP allows only 'self' scripts) and nothing was blocked."""
    assert page.evaluate("typeof window.htmx") == "object"
    assert console.problems() == []


def test_one_time_link_opens_the_registry(page: Page, server: Server, console: Console, shoot: Any) -> None:
    page.goto(server.link)
    assert page.url == f"{server.base}/"
    expect(page.locator("main")).to_contain_text("採択 121 件")
    shoot("home")
    _assert_clean(page, console)
    page.goto(server.link)  # one-time: a second use is refused
    expect(page.locator("main")).to_contain_text("無効")
    _assert_clean(page, console)


def test_password_sign_in_filter_and_english(page: Page, server: Server, console: Console, shoot: Any) -> None:
    sign_in_with_password(page, server, "researcher")
    _assert_clean(page, console)
    page.click("header nav a[href='/adoptions']")
    page.wait_for_url(f"{server.base}/adoptions")
    expect(page.locator("h1")).to_have_text("採択")
    _assert_clean(page, console)
    page.fill("form.filters input[name=prefecture]", "北海道")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**/adoptions?*prefecture=*")
    rows = page.locator("table.data tbody tr")
    expect(rows).to_have_count(6)
    for text in rows.all_inner_texts():
        assert "北海道" in text
    expect(page.locator("#total")).to_contain_text("採択 6 件")
    shoot("hokkaido-ja")
    _assert_clean(page, console)
    page.click("header a.lang[hreflang=en]")
    page.wait_for_url("**lang=en*")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#total")).to_contain_text("6 adoptions")
    expect(page.locator("form.filters button[type=submit]")).to_have_text("Filter")
    expect(page.locator("header form button")).to_have_text("Sign out")
    expect(page.locator("form.filters input[name=prefecture]")).to_have_value("北海道")  # the filter is kept
    expect(rows).to_have_count(6)
    shoot("hokkaido-en")
    _assert_clean(page, console)


def test_the_console_check_sees_a_blocked_inline_script(page: Page, server: Server, console: Console) -> None:
    """The CSP check above can fail: the real /login page, served with its real CSP header but
    with an inline script and an inline style added, is reported — and the script did not run."""

    def inject(route: Any) -> None:
        response = route.fetch()
        body = response.text().replace("</main>", '<script>window.ran = 1</script><p style="color:red">x</p></main>')
        route.fulfill(response=response, body=body)

    page.route("**/login", inject)
    page.goto(f"{server.base}/login")
    assert page.evaluate("typeof window.ran") == "undefined"
    problems = console.problems()
    assert any("Content Security Policy" in p and "script" in p for p in problems), problems
    assert any("Content Security Policy" in p and "style" in p for p in problems), problems
