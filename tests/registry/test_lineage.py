"""Lineage: explainable successor links and hubs on the bundled data."""

from __future__ import annotations

from sqlalchemy import select

from chiiki.model.db import session_scope
from chiiki.model.registry import Adoption, LineageLink
from chiiki.registry.lineage import area_words
from chiiki.registry.queries import find_hubs, hub_history, list_adoptions, timeline


def _links(url: str) -> dict[tuple[str, str], LineageLink]:
    with session_scope(url) as s:
        return {(x.from_adoption_id, x.to_adoption_id): x for x in s.scalars(select(LineageLink))}


def test_area_words() -> None:
    assert area_words("【札幌周辺を核とする道央地域】") == {"札幌", "道央"}
    assert area_words("(弘前エリア)") == area_words("【弘前エリア】") == {"弘前"}


def test_rule_links_say_why(bundled_db: str) -> None:
    links = _links(bundled_db)
    hirosaki = links[("CA-2007-hirosaki", "RICP-2010-hirosaki")]
    assert hirosaki.basis == "rule" and "弘前" in hirosaki.rule and "1 year" in hirosaki.rule
    assert "釜石市" in links[("CA-2007-iwate", "RICP-2010-iwate")].rule
    # the prefecture's name alone is not a shared area: 千葉・東葛 and かずさ・千葉 stay apart
    assert ("CA-2008-chiba-tokatsu", "CA-2009-kazusa") not in links


def test_stated_links_are_kept_and_group_hubs(bundled_db: str) -> None:
    links = _links(bundled_db)
    assert links[("KC1-2002-fukuoka", "KC2-2007-fukuoka")].basis == "stated"
    with session_scope(bundled_db) as s:
        a, b = s.get(Adoption, "KC1-toyama"), s.get(Adoption, "KC2-2008-toyama-ishikawa")
        c = s.get(Adoption, "KC1-ishikawa")
        assert a.hub_id == b.hub_id == c.hub_id is not None


def test_parallel_selections_share_a_hub(bundled_db: str) -> None:
    with session_scope(bundled_db) as s:
        assert s.get(Adoption, "RISPA-2011-aichi").hub_id == s.get(Adoption, "RISSP-2011-aichi").hub_id


def test_reject_override_vetoes_a_rule_link(bundled_db: str, tmp_path) -> None:
    from chiiki.registry.bundled import refresh_derived
    from chiiki.registry.imports import import_file

    path = tmp_path / "overrides.csv"
    path.write_text(
        "from_adoption_id,to_adoption_id,basis,rule\n"
        "CA-2007-hirosaki,RICP-2010-hirosaki,reject,different research field\n",
        encoding="utf-8",
    )
    with session_scope(bundled_db) as s:
        import_file(s, path, "links")
        refresh_derived(s)
    assert _links(bundled_db)[("CA-2007-hirosaki", "RICP-2010-hirosaki")].basis == "reject"
    with session_scope(bundled_db) as s:
        assert s.get(Adoption, "CA-2007-hirosaki").hub_id != s.get(Adoption, "RICP-2010-hirosaki").hub_id


def test_hub_history_and_queries(bundled_db: str) -> None:
    with session_scope(bundled_db) as s:
        hubs = find_hubs(s, "KC2-2007-fukuoka")
        assert len(hubs) == 1
        steps = [st.adoption.id for st in hub_history(s, hubs[0]).steps]
        assert steps.index("KC1-2002-fukuoka") < steps.index("KC2-2007-fukuoka")
        eco_s = list_adoptions(s, program="ECO", grade="S")  # the final grade only
        assert {r["adoption_id"] for r in eco_s} == {"ECO-2016-tsukuba"}
        interim_s = list_adoptions(s, program="ECO", interim_grade="S")
        assert {r["adoption_id"] for r in interim_s} == {"ECO-2017-kawasaki"}
        with_succ = list_adoptions(s, has_successor=True)
        assert "KC1-2002-fukuoka" in {r["adoption_id"] for r in with_succ}
        miyagi = list_adoptions(s, prefecture="宮城", fy_from=2010)
        assert {r["adoption_id"] for r in miyagi} == {"ECO-2018-tohoku"}
        lines = {ln.family: ln for ln in timeline(s)}
        assert lines["KC"].per_fy[2007] == 6 and "RICP" in lines["RIS"].follows
