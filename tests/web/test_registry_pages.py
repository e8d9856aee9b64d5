"""The registry pages: summary, filters (counts checked against `chiiki adoptions list`), sort,
paging, downloads, one adoption with its sources, one hub's lineage, the timeline."""

from __future__ import annotations

import csv
import html
import io
import json
import re

from fastapi.testclient import TestClient
from openpyxl import load_workbook
from tests.web.conftest import Site

ROW_RE = re.compile(r'<td class="id"><a href="/adoptions/([^"]+)">')
HUB_KEY = "hub:KC1-nagano-ueda"


def _ids(page: str) -> list[str]:
    return ROW_RE.findall(page)


def test_summary_shows_the_counts_and_the_navigation(admin: TestClient) -> None:
    page = admin.get("/").text
    assert "121" in page
    for href in ('href="/adoptions"', 'href="/timeline"', 'href="/adoptions?program=CA_IPPAN"'):
        assert href in page


def test_filters_give_the_cli_counts(admin: TestClient) -> None:
    """`chiiki adoptions list --prefecture 北海道` lists 6, `--from 2010 --to 2015` 18 (checked
    with the CLI on the bundled data)."""
    hokkaido = admin.get("/adoptions", params={"prefecture": "北海道"}).text
    assert len(_ids(hokkaido)) == 6 and "採択 6 件" in hokkaido
    assert len(_ids(admin.get("/adoptions", params={"from": "2010", "to": "2015"}).text)) == 18
    # the same range written in Japanese eras (H22 = 2010, H27 = 2015)
    assert len(_ids(admin.get("/adoptions", params={"from": "H22", "to": "H27"}).text)) == 18
    page = admin.get("/adoptions", params={"prefecture": "北海道"}).text
    assert 'value="北海道"' in page  # the form keeps the filter


def test_a_bad_filter_value_says_why(admin: TestClient) -> None:
    r = admin.get("/adoptions", params={"from": "next year"})
    assert r.status_code == 400 and "next year" in html.unescape(r.text)


def test_paging_and_sort(admin: TestClient) -> None:
    first = _ids(admin.get("/adoptions").text)
    third = admin.get("/adoptions", params={"page": "3"}).text
    assert len(first) == 50 and len(_ids(third)) == 21
    assert "3ページ中3ページ" in third and 'rel="next"' not in third
    everything = first + _ids(admin.get("/adoptions?page=2").text) + _ids(third)
    assert len(set(everything)) == 121
    by_id = _ids(admin.get("/adoptions", params={"sort": "adoption_id"}).text)
    assert by_id == sorted(everything)[:50]
    desc = _ids(admin.get("/adoptions", params={"sort": "adoption_id", "desc": "1"}).text)
    assert desc == sorted(everything, reverse=True)[:50]
    nxt = re.search(r'href="(\?[^"]*page=2[^"]*)" rel="next"', admin.get("/adoptions?sort=adoption_id").text)
    assert nxt and "sort=adoption_id" in html.unescape(nxt.group(1))  # paging keeps the sort


def test_downloads_of_the_filtered_view_parse(admin: TestClient) -> None:
    q = {"prefecture": "北海道"}
    r = admin.get("/adoptions.csv", params=q)
    assert r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert len(rows) == 6 and all("北海道" in row["prefectures"] for row in rows)
    book = load_workbook(io.BytesIO(admin.get("/adoptions.xlsx", params=q).content), read_only=True)
    sheet = list(book.active.iter_rows(values_only=True))
    assert sheet[0][0] == "adoption_id" and len(sheet) == 7
    data = json.loads(admin.get("/adoptions.json", params=q).content)
    assert len(data) == 6 and {row["adoption_id"] for row in data} == {row["adoption_id"] for row in rows}
    assert admin.get("/adoptions.pdf").status_code == 404


def test_adoption_page_has_every_survey_item_and_its_sources(admin: TestClient) -> None:
    page = admin.get("/adoptions/CA-2007-hirosaki").text
    assert "QOLの向上に貢献するプロテオグリカンの応用研究と製品開発" in page
    for label in ("事業名", "備考", "開始年度", "エリア名", "出典"):
        assert f">{label}<" in page
    for url in (
        "http://www.mext.go.jp/b_menu/houdou/22/06/1295030.htm",
        "http://www.mext.go.jp/b_menu/houdou/23/03/1303461.htm",
    ):
        assert f'<a href="{url}"' in page
    assert admin.get("/adoptions/NO-SUCH").status_code == 404


def test_adoption_page_links_its_hub_and_lineage(site: Site, admin: TestClient) -> None:
    history = next(h for h in site.wb.hub_histories(HUB_KEY).hubs if h.hub.key == HUB_KEY)
    second = history.steps[1]
    assert second.link_in is not None
    page = admin.get(f"/adoptions/{second.adoption.id}").text
    assert f'href="/hubs/{history.hub.id}"' in page
    assert f'href="/adoptions/{second.link_in.from_adoption_id}"' in page  # its predecessor


def test_hub_page_shows_lineage_with_rule_text(site: Site, admin: TestClient) -> None:
    history = next(h for h in site.wb.hub_histories(HUB_KEY).hubs if h.hub.key == HUB_KEY)
    page = html.unescape(admin.get(f"/hubs/{HUB_KEY}").text)
    ids = [s.adoption.id for s in history.steps]
    positions = [page.index(f'href="/adoptions/{i}"') for i in ids]
    assert positions == sorted(positions)  # in time order
    rule_steps = [s for s in history.steps if s.link_in and s.link_in.explanation]
    assert rule_steps
    for step in rule_steps:
        sentence = site.wb.render(step.link_in.explanation)
        assert sentence in page
        label = site.wb.render(step.link_in.basis_label)
        flat = " ".join(page.split())
        assert f"[{label}] {sentence}" not in flat  # the sentence names its basis: not said twice
    stated = next(s for s in history.steps if s.link_in and s.link_in.basis == "stated")
    assert stated.link_in.rule in page
    by_id = admin.get(f"/hubs/{history.hub.id}")
    assert by_id.status_code == 200 and history.hub.name in html.unescape(by_id.text)
    assert admin.get("/hubs/999999").status_code == 404


def test_timeline_lists_the_program_families(site: Site, admin: TestClient) -> None:
    page = html.unescape(admin.get("/timeline").text)
    table = site.wb.timeline()
    assert table.rows
    for row in table.rows:
        assert site.wb.tr.gettext(row["label"]) in page
