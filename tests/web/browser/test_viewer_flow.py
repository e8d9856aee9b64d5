"""A viewer in a real Chromium: opens an adoption, follows its hub link and sees the hub's
adoptions in time order, with the CSP holding on every page."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from tests.web.browser.conftest import Console, Server, sign_in_with_password

pytestmark = pytest.mark.xdist_group("browser")

HUB_KEY = "hub:KC1-nagano-ueda"
FY_RE = re.compile(r"(\d{4})–")  # "FY2002–2006" in English, "2002–2006年度" in Japanese


def test_viewer_follows_an_adoption_to_its_hub(page: Page, server: Server, console: Console, shoot: Any) -> None:
    from chiiki import Workbench
    from chiiki.model.db import dispose_engines

    history = next(h for h in Workbench.open(server.db_url).hub_histories(HUB_KEY).hubs if h.hub.key == HUB_KEY)
    dispose_engines()
    ids = [s.adoption.id for s in history.steps]
    assert len(ids) >= 2
    sign_in_with_password(page, server, "viewer")
    page.goto(f"{server.base}/adoptions/{ids[1]}")
    expect(page).to_have_title(re.compile(re.escape(ids[1])))
    expect(page.locator("table.fields")).to_contain_text(ids[1])
    shoot("adoption")
    page.click(f"a[href='/hubs/{history.hub.id}']")
    page.wait_for_url(f"{server.base}/hubs/{history.hub.id}")
    expect(page.locator("h1")).to_have_text(history.hub.name)
    steps = page.locator("ol.timeline > li")
    expect(steps).to_have_count(len(ids))
    shown = [step.locator("a").first.inner_text() for step in steps.all()]
    assert shown == ids  # the lineage, oldest first
    years = [int(m.group(1)) for t in steps.all_inner_texts() if (m := FY_RE.search(t))]
    assert years == sorted(years) and len(years) == len(ids)
    shoot("hub")
    assert page.evaluate("typeof window.htmx") == "object"
    assert console.problems() == []
